#include "clean/clean.hpp"

#include <vector>

namespace fitcheck::clean {

std::size_t cut_above(Geometry& g, double cut_z) {
  const std::size_t n0 = g.vertices.size();
  std::vector<int> remap(g.vertices.size(), -1);
  std::vector<char> keep(g.vertices.size(), 0);
  std::vector<Eigen::Vector3i> faces;
  if (g.is_mesh()) {
    for (const auto& f : g.faces)
      if (g.vertices[f[0]].z() <= cut_z && g.vertices[f[1]].z() <= cut_z && g.vertices[f[2]].z() <= cut_z) {
        faces.push_back(f);
        keep[f[0]] = keep[f[1]] = keep[f[2]] = 1;
      }
  } else {
    for (std::size_t i = 0; i < g.vertices.size(); ++i) keep[i] = g.vertices[i].z() <= cut_z;
  }
  std::vector<Eigen::Vector3d> v;
  for (std::size_t i = 0; i < g.vertices.size(); ++i)
    if (keep[i]) {
      remap[i] = static_cast<int>(v.size());
      v.push_back(g.vertices[i]);
    }
  for (auto& f : faces) f = Eigen::Vector3i(remap[f[0]], remap[f[1]], remap[f[2]]);
  g.vertices = std::move(v);
  g.faces = std::move(faces);
  return n0 - g.vertices.size();
}

}  // namespace fitcheck::clean
