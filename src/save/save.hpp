// Stage `save`: write meshes and point clouds with per-vertex scalar fields and colours, for ParaView, MeshLab,
// Rhino, browsers and our own reader. Positions are written in millimetres as given.
//
//   .ply  binary little-endian; float x y z, one float property per field, uchar red green blue, int face lists
//   .vtp  VTK XML PolyData (ascii); every field as point data (ParaView), colours as "rgb" (UInt8, 3 components)
//   .glb  glTF 2.0 binary; POSITION, NORMAL (meshes), COLOR_0 (RGBA8 normalized) and one custom float attribute per
//         field named '_' + upper-cased field name (e.g. pressure_kpa -> _PRESSURE_KPA), per the glTF rule that
//         application-specific attributes start with an underscore. Point clouds are written with mode POINTS.
//         The node says what the millimetres with +Z up are to glTF (metres, +Y up): a 0.001 scale and -90 deg about
//         x, so viewers show the foot standing; load/ turns glTF's +Y up back to +Z up.
//   .obj .stl  geometry only (Open3D's writers); fields and colours are not representable there
//
// Errors: Error(io, "save") when the file cannot be written; Error(invalid_input) when a field or colour array
// has the wrong length or a field holds a non-finite value; Error(usage) for an unknown extension.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/geometry.hpp"

namespace fitcheck::save {

using Rgb = std::array<std::uint8_t, 3>;

/// Writes `g` to `path`, format by extension. `fields` and `colors` are optional (empty) or one entry per vertex.
void write_geometry(const std::filesystem::path& path, const Geometry& g, const std::vector<VertexField>& fields = {},
                    const std::vector<Rgb>& colors = {});

/// Maps values to colours (blue -> cyan -> green -> yellow -> red) over [lo, hi]; values outside are clamped.
/// Precondition hi > lo.
std::vector<Rgb> colormap(const std::vector<double>& values, double lo, double hi);

/// Per-vertex normals (area-weighted face normals, unit length; zero for isolated vertices).
std::vector<Eigen::Vector3d> vertex_normals(const Geometry& g);

/// The glTF attribute name used for a field: "_" + upper case, non-alphanumerics replaced by '_'.
std::string gltf_attribute_name(const std::string& field_name);

}  // namespace fitcheck::save
