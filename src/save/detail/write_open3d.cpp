#include <open3d/geometry/TriangleMesh.h>
#include <open3d/io/TriangleMeshIO.h>

#include "core/detail/library_logs.hpp"
#include "core/error.hpp"
#include "save/detail/writers.hpp"

namespace fitcheck::save::detail {

void write_open3d(const std::filesystem::path& path, const Geometry& g) {
  if (!g.is_mesh())
    throw Error(ErrorCode::usage, "save", path.string() + ": OBJ/STL output needs a mesh, this is a point cloud");
  fitcheck::detail::quiet_open3d();
  open3d::geometry::TriangleMesh m;
  m.vertices_.assign(g.vertices.begin(), g.vertices.end());
  m.triangles_.reserve(g.faces.size());
  for (const auto& f : g.faces) m.triangles_.emplace_back(f[0], f[1], f[2]);
  m.ComputeTriangleNormals();  // STL stores facet normals
  bool ok = false;
  try {
    ok = open3d::io::WriteTriangleMesh(path.string(), m, /*write_ascii=*/false, /*compressed=*/false,
                                       /*write_vertex_normals=*/false, /*write_vertex_colors=*/false,
                                       /*write_triangle_uvs=*/false, /*print_progress=*/false);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::io, "save", path.string() + ": " + e.what());
  }
  if (!ok) throw Error(ErrorCode::io, "save", path.string() + ": could not be written");
}

}  // namespace fitcheck::save::detail
