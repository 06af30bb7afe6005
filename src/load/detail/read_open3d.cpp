// Adapter: the formats Open3D parses well (PLY via rply, OBJ via tinyobjloader, glTF/GLB via tinygltf).
// Open3D reports failure as `false` plus a log line; we silence its log and turn failures into Error(io).
#include <open3d/geometry/PointCloud.h>
#include <open3d/geometry/TriangleMesh.h>
#include <open3d/io/PointCloudIO.h>
#include <open3d/io/TriangleMeshIO.h>
#include <open3d/utility/Logging.h>

#include <exception>
#include <fstream>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

void quiet_open3d() { open3d::utility::SetVerbosityLevel(open3d::utility::VerbosityLevel::Error); }

Geometry from_open3d(const open3d::geometry::TriangleMesh& m) {
  Geometry g;
  g.vertices.assign(m.vertices_.begin(), m.vertices_.end());
  g.faces.reserve(m.triangles_.size());
  for (const auto& t : m.triangles_) g.faces.emplace_back(t[0], t[1], t[2]);
  return g;
}

bool read_mesh(const std::filesystem::path& p, open3d::geometry::TriangleMesh& mesh) {
  quiet_open3d();
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
    quiet_open3d();
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

Raw read_obj(const std::filesystem::path& p) {
  // tinyobjloader indexes its vertex array with the file's face indices; refuse out-of-range ones before it does.
  std::ifstream in(p);
  std::string line;
  long long nv = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.size() > 1 && line[0] == 'v' && (line[1] == ' ' || line[1] == '\t')) {
      ++nv;
    } else if (line.size() > 1 && line[0] == 'f' && (line[1] == ' ' || line[1] == '\t')) {
      std::size_t pos = 1;
      while (pos < line.size()) {
        pos = line.find_first_not_of(" \t\r", pos);
        if (pos == std::string::npos) break;
        const std::size_t end = line.find_first_of(" \t\r", pos);
        const std::string tok = line.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        long long idx = 0;
        try {
          idx = std::stoll(tok);
        } catch (const std::exception&) {
          fail_io(p, "line " + std::to_string(line_no) + ": bad face index '" + tok + "'");
        }
        // OBJ indices are 1-based; negative ones count back from the last vertex defined so far.
        if (idx == 0 || idx > nv || -idx > nv)
          fail_io(p, "line " + std::to_string(line_no) + ": face index " + std::to_string(idx) +
                         " out of range (only " + std::to_string(nv) + " vertices defined so far)");
        pos = end;
      }
    }
  }
  if (nv == 0) fail_io(p, "no vertex ('v x y z') lines: not an OBJ file");

  open3d::geometry::TriangleMesh mesh;
  if (!read_mesh(p, mesh)) fail_io(p, "malformed OBJ (tinyobjloader could not parse it)");
  Raw raw;
  raw.format = "obj";
  raw.geometry = from_open3d(mesh);
  return raw;
}

Raw read_gltf(const std::filesystem::path& p) {
  open3d::geometry::TriangleMesh mesh;
  if (!read_mesh(p, mesh)) fail_io(p, "malformed glTF/GLB (tinygltf could not parse it)");
  Raw raw;
  raw.format = p.extension() == ".gltf" || p.extension() == ".GLTF" ? "gltf" : "glb";
  raw.geometry = from_open3d(mesh);
  if (raw.geometry.vertices.empty()) fail_io(p, "glTF file holds no mesh vertices");
  return raw;
}

}  // namespace fitcheck::load::detail
