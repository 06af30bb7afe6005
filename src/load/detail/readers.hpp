// Private to stage `load`: one reader per format. Each returns raw geometry in the file's own units and throws
// fitcheck::Error(io) with the file named when the content is malformed. Validation common to all formats (finite
// values, counts, spread, units) happens afterwards in load.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace fitcheck::load::detail {

struct Raw {
  Geometry geometry;
  std::string format;
};

[[noreturn]] inline void fail_io(const std::filesystem::path& p, const std::string& what) {
  throw Error(ErrorCode::io, "load", p.string() + ": " + what);
}

Raw read_ply(const std::filesystem::path& p);   // ply_header.cpp checks, read_open3d.cpp parses
Raw read_obj(const std::filesystem::path& p);   // read_obj.cpp
Raw read_gltf(const std::filesystem::path& p);  // read_gltf.cpp (.gltf and .glb)
Raw read_stl(const std::filesystem::path& p);   // read_stl.cpp
Raw read_xyz(const std::filesystem::path& p);   // read_xyz.cpp
Raw read_pcd(const std::filesystem::path& p);   // read_pcd.cpp

/// What the PLY header promises; used to refuse truncated or lying files before a library parses them.
struct PlyHeader {
  enum class Encoding { ascii, binary_le, binary_be } encoding = Encoding::ascii;
  std::uint64_t vertices = 0;
  std::uint64_t faces = 0;
  std::uint64_t header_bytes = 0;         ///< offset of the first data byte
  std::uint64_t min_payload_bytes = 0;    ///< binary: smallest possible size of all elements' data
};
/// Parses and checks the header and that the payload can hold what it declares (binary: by size; ascii: by lines).
PlyHeader check_ply(const std::filesystem::path& p);

/// Opens Open3D's reader for a PLY mesh or cloud after check_ply() accepted it.
Raw read_ply_open3d(const std::filesystem::path& p, const PlyHeader& header);

/// Checks every face index against the vertex count; throws io naming the first bad face.
void check_face_indices(const std::filesystem::path& p, const Geometry& g);

}  // namespace fitcheck::load::detail
