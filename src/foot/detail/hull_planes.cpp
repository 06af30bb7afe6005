// Adapter: Open3D's convex hull (qhull). A foot standing on a floor rests on a facet of its convex hull, so the
// hull's facets are exactly the candidate sole planes.
#include "core/detail/library_logs.hpp"
#include "foot/detail/hull_planes.hpp"

#include <open3d/geometry/PointCloud.h>
#include <open3d/geometry/TriangleMesh.h>

#include <cctype>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace fitcheck::foot::detail {

std::vector<Plane> hull_planes(const std::vector<Eigen::Vector3d>& points) {
  fitcheck::detail::quiet_open3d();
  open3d::geometry::PointCloud cloud(points);
  std::shared_ptr<open3d::geometry::TriangleMesh> hull;
  try {
    hull = std::get<0>(cloud.ComputeConvexHull(false));
  } catch (const std::exception& e) {
    // qhull's message runs to a dozen lines of its options; its first line says what was wrong.
    std::string why = e.what();
    why = why.substr(0, why.find('\n'));
    while (!why.empty() && std::isspace(static_cast<unsigned char>(why.back()))) why.pop_back();
    throw Error(ErrorCode::invalid_input, "foot",
                "the shape has no volume to stand on (flat or thin after cleaning: not a foot or a last); qhull: " + why);
  }
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  for (const auto& v : hull->vertices_) centre += v;
  centre /= static_cast<double>(std::max<std::size_t>(1, hull->vertices_.size()));
  // Facets within 1 degree and 1 mm of each other are one plane. Computed once: CGAL builds with -frounding-math,
  // which keeps GCC from folding std::cos of a constant, and this loop visits (facets x planes) pairs.
  const double same_plane_cos = std::cos(1.0 * 3.14159265358979 / 180.0);
  std::vector<Plane> planes;
  for (const auto& t : hull->triangles_) {
    const Eigen::Vector3d a = hull->vertices_[t[0]], b = hull->vertices_[t[1]], c = hull->vertices_[t[2]];
    Eigen::Vector3d n = (b - a).cross(c - a);
    const double area2 = n.norm();
    if (area2 <= 0) continue;
    n /= area2;
    if (n.dot(a - centre) < 0) n = -n;
    bool merged = false;
    for (auto& p : planes)
      if (p.normal.dot(n) > same_plane_cos && std::abs(n.dot(a) - p.offset) < 1.0) {
        p.area += 0.5 * area2;
        merged = true;
        break;
      }
    if (!merged) planes.push_back({n, n.dot(a), 0.5 * area2});
  }
  return planes;
}

}  // namespace fitcheck::foot::detail
