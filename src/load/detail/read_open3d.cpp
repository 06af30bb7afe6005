// Adapter: PLY through Open3D's rply reader.
// Not OBJ: Debian's Open3D 0.16 reads OBJ through Assimp, which drops vertices no face uses (point-only OBJ files
// load empty) and triangulates polygons only together with post-processing that re-welds and reorders vertices
// (the find-template keypoints index the file's vertex order). See read_obj.cpp. Not glTF either: Assimp skips
// point primitives. See read_gltf.cpp.
// Open3D reports failure as `false` plus a log line; we silence its log and turn failures into Error(io).
#include <open3d/geometry/PointCloud.h>
#include <open3d/geometry/TriangleMesh.h>
#include <open3d/io/PointCloudIO.h>
#include <open3d/io/TriangleMeshIO.h>

#include <exception>

#include "core/detail/library_logs.hpp"
#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

Geometry from_open3d(const open3d::geometry::TriangleMesh& m) {
  Geometry g;
  g.vertices.assign(m.vertices_.begin(), m.vertices_.end());
  g.faces.reserve(m.triangles_.size());
  for (const auto& t : m.triangles_) g.faces.emplace_back(t[0], t[1], t[2]);
  return g;
}

bool read_mesh(const std::filesystem::path& p, open3d::geometry::TriangleMesh& mesh) {
  fitcheck::detail::quiet_open3d();
  open3d::io::ReadTriangleMeshOptions opt;
  opt.enable_post_processing = false;
  opt.print_progress = false;
  try {
    return open3d::io::ReadTriangleMesh(p.string(), mesh, opt);
  } catch (const std::exception& e) {
    fail_io(p, std::string("could not be parsed: ") + e.what());
  }
}

}  // namespace

Raw read_ply_open3d(const std::filesystem::path& p, const PlyHeader& header) {
  Raw raw;
  raw.format = header.encoding == PlyHeader::Encoding::ascii ? "ply-ascii" : "ply-binary";
  if (header.faces > 0) {
    open3d::geometry::TriangleMesh mesh;
    if (!read_mesh(p, mesh)) fail_io(p, "malformed PLY mesh (Open3D/rply could not parse its data)");
    raw.geometry = from_open3d(mesh);
  } else {
    fitcheck::detail::quiet_open3d();
    open3d::geometry::PointCloud cloud;
    open3d::io::ReadPointCloudOption opt;
    opt.remove_nan_points = false;
    opt.remove_infinite_points = false;
    opt.print_progress = false;
    bool ok = false;
    try {
      ok = open3d::io::ReadPointCloud(p.string(), cloud, opt);
    } catch (const std::exception& e) {
      fail_io(p, std::string("could not be parsed: ") + e.what());
    }
    if (!ok) fail_io(p, "malformed PLY point cloud (Open3D/rply could not parse its data)");
    raw.geometry.vertices.assign(cloud.points_.begin(), cloud.points_.end());
  }
  if (raw.geometry.vertices.size() != header.vertices)
    fail_io(p, "PLY header declares " + std::to_string(header.vertices) + " vertices but " +
                   std::to_string(raw.geometry.vertices.size()) + " could be read");
  return raw;
}

}  // namespace fitcheck::load::detail
