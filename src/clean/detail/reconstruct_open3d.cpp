// Adapter: Open3D's screened Poisson reconstruction, for the volume of point-cloud scans.
#include <open3d/geometry/KDTreeSearchParam.h>
#include <open3d/geometry/PointCloud.h>
#include <open3d/geometry/TriangleMesh.h>

#include <algorithm>
#include <mutex>

#include "core/detail/library_logs.hpp"
#include "clean/clean.hpp"
#include "core/error.hpp"

namespace fitcheck::clean {

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
  // Orient outward: away from the centroid. A foot cut at the ankle is close to star-shaped about it; Open3D's
  // consistent tangent-plane orientation would cost seconds per scan (measured: 300k-point benchmark 1.9 -> 4.9 s).
  const Eigen::Vector3d c = down->GetCenter();
  for (std::size_t i = 0; i < down->points_.size(); ++i)
    if (down->normals_[i].dot(down->points_[i] - c) < 0) down->normals_[i] = -down->normals_[i];
  std::shared_ptr<open3d::geometry::TriangleMesh> mesh;
  // One reconstruction at a time in the process: callers may run on several threads (catalog lasts are prepared two
  // at a time) and Open3D's Poisson code is not documented as safe to run concurrently.
  static std::mutex poisson;
  const std::lock_guard<std::mutex> lock(poisson);
  try {
    // One thread: Open3D's Poisson solver sums in thread order, so with several threads the same cloud gave surfaces
    // whose heel height differed by 0.5 mm from run to run (freecad-scanned-last.asc, measured) -- a check must
    // give the same answer twice.
    mesh = std::get<0>(open3d::geometry::TriangleMesh::CreateFromPointCloudPoisson(
        *down, static_cast<std::size_t>(o.depth), 0.0f, 1.1f, false, 1));
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
  if (g.faces.empty()) throw Error(ErrorCode::did_not_converge, "clean", "Poisson reconstruction produced no surface");
  return g;
}

}  // namespace fitcheck::clean
