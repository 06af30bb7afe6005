// Stage `load`: read a scan or last from disk into a fitcheck::Geometry in millimetres.
//
// Formats (chosen by extension, case-insensitive):
//   .ply  ascii / binary little- or big-endian, with or without faces (Open3D, header checked by us first)
//   .obj  Wavefront OBJ, polygons triangulated (Open3D / tinyobjloader); vertices only -> point cloud
//   .stl  ascii or binary; corners welded into a shared-vertex mesh (own reader: Open3D neither welds nor
//         diagnoses truncation)
//   .pcd  PCL point cloud, any encoding (PCL)
//   .xyz .asc .pts .txt  whitespace- or comma-separated "x y z ..." per line; lines starting with '#' or '//' and a
//         leading non-numeric header line are skipped
//   .gltf .glb  glTF 2.0 triangle and point primitives, node transforms applied (own reader, bounds-checked)
//
// Units: everything returned is in millimetres. Unless Options::units forces one, the unit is inferred from the
// length of the object (its extent along its first principal axis) among m, cm, mm and inch: the unit that makes it
// closest to a typical foot or last (260 mm) wins, and it must land within [min_length_mm, max_length_mm]. The
// result says which unit was chosen and why; an object no unit makes plausible is refused.
//
// Errors (fitcheck::Error, stage "load"):
//   io            missing file, a directory, empty file, unsupported extension, malformed or truncated content,
//                 face indices out of range, a header that promises more data than the file holds
//   invalid_input file above Options::max_file_mb, NaN/Inf coordinates, a coordinate beyond +-1e7 (no foot in any
//                 unit: corrupt data), fewer than min_points vertices, all points identical / collinear / coplanar,
//                 a size no unit makes plausible
//   usage         an Options field out of range (validate())
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.hpp"

namespace fitcheck::load {

enum class Unit { m, cm, mm, inch };

/// "m", "cm", "mm", "inch"
const char* unit_name(Unit u) noexcept;
/// Millimetres per one `u`.
double mm_per_unit(Unit u) noexcept;
/// Parses "m", "metre(s)", "meter(s)", "cm", "mm", "in", "inch", "inches"; throws Error(usage) otherwise.
Unit parse_unit(std::string_view text);

struct Options {
  std::optional<Unit> units;         ///< force the file's unit; empty = detect from size
  double max_file_mb = 500.0;        ///< refuse files larger than this, MB (1e6 bytes); range (0, 1e6]
  std::size_t min_points = 100;      ///< fewer vertices than this is not a usable scan; range [4, 1e9]
  double min_length_mm = 50.0;       ///< shortest plausible object (its longest principal extent), mm; (0, max)
  double max_length_mm = 1000.0;     ///< longest plausible object (a foot with floor and leg), mm; (min, 1e5]
  double typical_length_mm = 260.0;  ///< length a unit guess is pulled towards, mm; [min, max]
  std::string units_option = "--units";  ///< the command-line option that forces the unit, as messages name it
                                         ///< (empty: no such option, none named)
  /// Throws Error(usage) naming the first bad field.
  void validate() const;
};

struct UnitChoice {
  Unit unit = Unit::mm;
  double length_mm = 0.0;  ///< the object's principal length after conversion, mm
  std::string reason;      ///< human sentence: why this unit
  bool ambiguous = false;  ///< another unit was also plausible (within 100-400 mm)
};

/// Picks the unit for an object whose longest principal extent is `length_in_file_units`.
/// Throws Error(invalid_input) when no unit (or the forced one) gives a length within the options' range.
UnitChoice choose_unit(double length_in_file_units, const Options& options, const std::string& file_label);

struct Result {
  Geometry geometry;                  ///< millimetres; a mesh when the file had faces
  std::string format;                 ///< "ply-binary", "ply-ascii", "obj", "stl-binary", "stl-ascii", "pcd", "xyz",
                                      ///< "gltf", "glb"
  Unit unit = Unit::mm;
  std::string units_reason;
  std::size_t vertices_in_file = 0;   ///< before welding
  std::size_t welded_vertices = 0;    ///< duplicates merged (STL)
  std::vector<std::string> warnings;
};

/// Reads `path`. See the header comment for formats, units and errors.
Result load_geometry(const std::filesystem::path& path, const Options& options = {});

/// Extent of the point set along its first principal axis (same units as the points); rotation invariant.
double principal_length(const std::vector<Eigen::Vector3d>& points);

}  // namespace fitcheck::load
