#include "clean/clean.hpp"

#include <map>
#include <utility>
#include <vector>

namespace fitcheck::clean {

std::size_t cut_above(Geometry& g, double cut_z) {
  const std::size_t n0 = g.vertices.size();
  std::size_t above = 0;
  for (const auto& v : g.vertices) above += v.z() > cut_z;
  if (above == 0) return 0;
  if (!g.is_mesh()) {
    std::vector<Eigen::Vector3d> v;
    for (const auto& p : g.vertices)
      if (p.z() <= cut_z) v.push_back(p);
    g.vertices = std::move(v);
    return n0 - g.vertices.size();
  }
  // Meshes are clipped exactly at the plane: triangles that cross it are split along it, so the new border is planar
  // (fill_holes then caps it flat) and one new vertex is shared per cut edge.
  std::vector<Eigen::Vector3d> verts;
  std::vector<int> remap(g.vertices.size(), -1);
  auto keep = [&](int i) {
    if (remap[i] < 0) {
      remap[i] = static_cast<int>(verts.size());
      verts.push_back(g.vertices[i]);
    }
    return remap[i];
  };
  std::map<std::pair<int, int>, int> on_edge;
  auto cut_point = [&](int a, int b) {
    const auto key = std::minmax(a, b);
    auto it = on_edge.find(key);
    if (it != on_edge.end()) return it->second;
    const Eigen::Vector3d& pa = g.vertices[key.first];
    const Eigen::Vector3d& pb = g.vertices[key.second];
    const double t = (cut_z - pa.z()) / (pb.z() - pa.z());
    Eigen::Vector3d p = pa + t * (pb - pa);
    p.z() = cut_z;
    verts.push_back(p);
    return on_edge[key] = static_cast<int>(verts.size()) - 1;
  };
  std::vector<Eigen::Vector3i> faces;
  for (const auto& f : g.faces) {
    std::vector<int> poly;  // the part of the triangle at or below the plane, in order
    for (int k = 0; k < 3; ++k) {
      const int a = f[k], b = f[(k + 1) % 3];
      const bool ia = g.vertices[a].z() <= cut_z, ib = g.vertices[b].z() <= cut_z;
      if (ia) poly.push_back(keep(a));
      if (ia != ib) poly.push_back(cut_point(a, b));
    }
    for (std::size_t k = 1; k + 1 < poly.size(); ++k) faces.emplace_back(poly[0], poly[k], poly[k + 1]);
  }
  g.vertices = std::move(verts);
  g.faces = std::move(faces);
  return above;
}

}  // namespace fitcheck::clean
