#pragma once
#include <Eigen/Core>
#include <vector>

namespace fitcheck::foot::detail {

struct Plane {
  Eigen::Vector3d normal;  ///< unit, pointing out of the hull
  double offset = 0;       ///< normal . x = offset on the plane
  double area = 0;         ///< hull facet area on this plane, mm^2
};

/// Supporting planes of the convex hull of `points` (Open3D / qhull), coplanar facets merged (within ~1 deg).
std::vector<Plane> hull_planes(const std::vector<Eigen::Vector3d>& points);

}  // namespace fitcheck::foot::detail
