// Adapter: Open3D's screened Poisson reconstruction, for the volume of point-cloud scans.
#include <open3d/geometry/KDTreeSearchParam.h>
#include <open3d/geometry/PointCloud.h>
#include <open3d/geometry/TriangleMesh.h>

#include <algorithm>
#include <mutex>

#include "core/detail/library_logs.hpp"
#include "clean/clean.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"

namespace fitcheck::clean {

namespace {

/// Poisson surface of `pc` (normals set), cleaned of marching-cubes debris, largest piece kept.
Geometry poisson(const open3d::geometry::PointCloud& pc, const ReconstructOptions& o) {
  std::shared_ptr<open3d::geometry::TriangleMesh> mesh;
  // One reconstruction at a time in the process: callers may run on several threads (catalog lasts are prepared two
  // at a time) and Open3D's Poisson code is not documented as safe to run concurrently.
  static std::mutex lock_poisson;
  const std::lock_guard<std::mutex> lock(lock_poisson);
  try {
    // One thread: Open3D's Poisson solver sums in thread order, so with several threads the same cloud gave surfaces
    // whose heel height differed by 0.5 mm from run to run (freecad-scanned-last.asc, measured) -- a check must
    // give the same answer twice.
    mesh = std::get<0>(open3d::geometry::TriangleMesh::CreateFromPointCloudPoisson(
        pc, static_cast<std::size_t>(o.depth), 0.0f, 1.1f, false, 1));
  } catch (const std::exception& e) {
    throw Error(ErrorCode::did_not_converge, "clean", std::string("Poisson reconstruction failed: ") + e.what());
  }
  // Marching cubes leaves duplicated and degenerate triangles (tiny holes and slivers that later read as open
  // borders) and sometimes small detached islands: remove them and keep the largest connected piece.
  mesh->RemoveDuplicatedVertices();
  mesh->RemoveDuplicatedTriangles();
  mesh->RemoveDegenerateTriangles();
  if (!mesh->triangles_.empty()) {
    const auto [cluster, counts, area] = mesh->ClusterConnectedTriangles();
    (void)area;
    const int keep = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    std::vector<std::size_t> drop;
    for (std::size_t i = 0; i < cluster.size(); ++i)
      if (cluster[i] != keep) drop.push_back(i);
    mesh->RemoveTrianglesByIndex(drop);
  }
  mesh->RemoveUnreferencedVertices();
  Geometry g;
  g.vertices.assign(mesh->vertices_.begin(), mesh->vertices_.end());
  for (const auto& t : mesh->triangles_) g.faces.emplace_back(t[0], t[1], t[2]);
  return g;
}

}  // namespace

Geometry reconstruct_surface(const Geometry& cloud, const ReconstructOptions& o) {
  if (!(o.voxel_mm >= 0.5 && o.voxel_mm <= 10) || o.depth < 5 || o.depth > 11 || o.normal_neighbours < 5 ||
      o.normal_neighbours > 200)
    throw Error(ErrorCode::usage, "clean", "invalid reconstruction options (voxel_mm [0.5, 10], depth [5, 11], "
                                           "normal_neighbours [5, 200])");
  fitcheck::detail::quiet_open3d();
  open3d::geometry::PointCloud pc(cloud.vertices);
  auto down = pc.VoxelDownSample(o.voxel_mm);
  if (down->points_.size() < 100) throw Error(ErrorCode::invalid_input, "clean", "too few points to reconstruct a surface");
  down->EstimateNormals(open3d::geometry::KDTreeSearchParamKNN(o.normal_neighbours));
  const Eigen::Vector3d c = down->GetCenter();
  // Outward by the centroid: exact where the surface is seen from it, wrong where it is not (on top of the toes the
  // normal points up while the centroid lies behind and above: a patch there turned inward, and Poisson raised a
  // 5 mm bump that read as 1068 mmHg against the toe box).
  const std::vector<Eigen::Vector3d> estimated = down->normals_;
  auto by_centroid = [&] {
    down->normals_ = estimated;
    for (std::size_t i = 0; i < down->points_.size(); ++i)
      if (down->normals_[i].dot(down->points_[i] - c) < 0) down->normals_[i] = -down->normals_[i];
  };
  // First choice: Open3D's consistent tangent-plane orientation (Hoppe et al. 1992: propagation over a minimum
  // spanning tree of the k-nearest-neighbour graph), the centroid choosing only the sign of the whole set. On an open
  // shell (a cloud missing its sole) the propagation can cross the opening and leave Poisson's surface open, and Qhull
  // (which Open3D uses there) throws on a flat cloud: then the centroid rule, which gives a closed surface.
  bool consistent = true;
  try {
    down->OrientNormalsConsistentTangentPlane(static_cast<std::size_t>(o.normal_neighbours));
    std::size_t away = 0;
    for (std::size_t i = 0; i < down->points_.size(); ++i) away += down->normals_[i].dot(down->points_[i] - c) > 0;
    if (2 * away < down->points_.size())
      for (auto& n : down->normals_) n = -n;
  } catch (const std::exception&) {
    consistent = false;
    by_centroid();
  }
  Geometry g = poisson(*down, o);
  if (consistent && (g.faces.empty() || analyze_topology(g).boundary_edges > 0)) {
    by_centroid();
    g = poisson(*down, o);
  }
  if (g.faces.empty()) throw Error(ErrorCode::did_not_converge, "clean", "Poisson reconstruction produced no surface");
  return g;
}

}  // namespace fitcheck::clean
