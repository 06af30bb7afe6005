// Adapter: CGAL's 2D convex hull for tape-measure perimeters (literature.md G5: a tape spans concavities).
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/convex_hull_2.h>

#include <vector>

#include "measure/measure.hpp"

namespace fitcheck::measure {

double convex_perimeter(const std::vector<Eigen::Vector3d>& points, const Eigen::Vector3d& normal) {
  using K = CGAL::Exact_predicates_inexact_constructions_kernel;
  if (points.size() < 3) return 0.0;
  // In-plane basis.
  const Eigen::Vector3d n = normal.normalized();
  const Eigen::Vector3d a = (std::abs(n.z()) < 0.9 ? Eigen::Vector3d::UnitZ() : Eigen::Vector3d::UnitX()).cross(n).normalized();
  const Eigen::Vector3d b = n.cross(a);
  std::vector<K::Point_2> in;
  in.reserve(points.size());
  for (const auto& p : points) in.emplace_back(p.dot(a), p.dot(b));
  std::vector<K::Point_2> hull;
  CGAL::convex_hull_2(in.begin(), in.end(), std::back_inserter(hull));
  double per = 0;
  for (std::size_t i = 0; i < hull.size(); ++i) per += std::sqrt(CGAL::squared_distance(hull[i], hull[(i + 1) % hull.size()]));
  return per;
}

}  // namespace fitcheck::measure
