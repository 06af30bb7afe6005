// Adapter: PCL filters and segmentation for point-cloud cleaning.
#include <pcl/ModelCoefficients.h>
#include <pcl/filters/extract_indices.h>
#include <pcl/filters/statistical_outlier_removal.h>
#include <pcl/filters/voxel_grid.h>
#include <pcl/point_types.h>
#include <pcl/search/kdtree.h>
#include <pcl/segmentation/extract_clusters.h>
#include <pcl/segmentation/sac_segmentation.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_set>

#include "core/detail/library_logs.hpp"
#include "clean/clean.hpp"
#include "core/error.hpp"

namespace fitcheck::clean {

namespace {

using Cloud = pcl::PointCloud<pcl::PointXYZ>;

/// Grid cell of the footprint test (floor_outside_foot), mm: a few point spacings of a phone scan.
constexpr double kFootprintCellMm = 5.0;

/// Above the floor's plane by more than this, a point is the body (foot, leg), not the floor's noise, mm: a phone's
/// floor noise (1-2 mm, several sigma) stays below. An estimate.
constexpr double kFloorBodyMm = 10.0;

/// The zone near the body where only the floor plane's own points go (floor_outside_foot), in grid cells (10 mm):
/// the foot's outline within its lowest kFloorBodyMm lies at most a few mm outside what lies above it.
constexpr int kFloorNearCells = 2;

Cloud::Ptr to_pcl(const std::vector<Eigen::Vector3d>& v) {
  Cloud::Ptr c(new Cloud);
  c->reserve(v.size());
  for (const auto& p : v) c->push_back(pcl::PointXYZ(static_cast<float>(p.x()), static_cast<float>(p.y()), static_cast<float>(p.z())));
  return c;
}

std::vector<Eigen::Vector3d> from_pcl(const Cloud& c) {
  std::vector<Eigen::Vector3d> v;
  v.reserve(c.size());
  for (const auto& p : c) v.emplace_back(p.x, p.y, p.z);
  return v;
}

/// The floor's points, to remove. On a `cell_mm` grid in the floor plane (axes a, b), two zones:
/// - near the body (within kFloorNearCells cells of a cell that `is_body` -- points above the floor's band --
///   projects into): only the plane's own points (`is_plane`: RANSAC inliers) go, and only outside the footprint of
///   every point off the plane, eroded by one cell so that floor points along the foot's outline still go. The foot's
///   lowest millimetres along its outline stay (they are off the plane), and so does the sole standing on the floor
///   (under that footprint: `kept_as_sole` counts the plane's points kept there);
/// - farther away: every point in the band (`is_in`) goes -- the floor and its noise, which off the plane by a few mm
///   would otherwise make footprint of its own.
/// Points below the plane by more than `below_mm` (`height`: signed height above it) go in either zone: no foot is there.
pcl::PointIndices::Ptr floor_outside_foot(const Cloud& cloud, const std::vector<char>& is_in, const std::vector<char>& is_body,
                                          const std::vector<char>& is_plane, const std::vector<double>& height, double below_mm,
                                          const Eigen::Vector3d& a, const Eigen::Vector3d& b, double cell_mm,
                                          std::size_t& kept_as_sole) {
  auto key = [&](const pcl::PointXYZ& q, int da = 0, int db = 0) {
    const Eigen::Vector3d p(q.x, q.y, q.z);
    const auto i = static_cast<std::int64_t>(std::floor(p.dot(a) / cell_mm)) + da;
    const auto j = static_cast<std::int64_t>(std::floor(p.dot(b) / cell_mm)) + db;
    return (i << 32) ^ (j & 0xffffffff);
  };
  std::unordered_set<std::int64_t> body, off_plane;
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    if (is_body[i]) body.insert(key(cloud[i]));
    if (!is_plane[i]) off_plane.insert(key(cloud[i]));
  }
  pcl::PointIndices::Ptr out(new pcl::PointIndices);
  kept_as_sole = 0;
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    if (!is_in[i]) continue;
    bool near = false;
    for (int da = -kFloorNearCells; da <= kFloorNearCells && !near; ++da)
      for (int db = -kFloorNearCells; db <= kFloorNearCells && !near; ++db) near = body.count(key(cloud[i], da, db)) > 0;
    bool gone = !near || height[i] < -below_mm;
    if (!gone && is_plane[i]) {
      bool inside = true;
      for (int da = -1; da <= 1 && inside; ++da)
        for (int db = -1; db <= 1 && inside; ++db) inside = off_plane.count(key(cloud[i], da, db)) > 0;
      gone = !inside;
      if (inside) ++kept_as_sole;
    }
    if (gone) out->indices.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace

void Options::validate() const {
  auto bad = [](const char* what) { throw Error(ErrorCode::usage, "clean", std::string("invalid option: ") + what); };
  if (outlier_neighbours < 4 || outlier_neighbours > 200) bad("outlier_neighbours must be in [4, 200]");
  if (!(outlier_std >= 0.5 && outlier_std <= 10)) bad("outlier_std must be in [0.5, 10]");
  if (voxel_above_points < 1000) bad("voxel_above_points must be at least 1000");
  if (!(voxel_mm >= 0.2 && voxel_mm <= 10)) bad("voxel_mm must be in [0.2, 10] mm");
  if (!(floor_distance_mm >= 0.5 && floor_distance_mm <= 20)) bad("floor_distance_mm must be in [0.5, 20] mm");
  if (!(floor_reach_mm >= 1 && floor_reach_mm <= 500)) bad("floor_reach_mm must be in [1, 500] mm");
  if (!(cluster_tolerance_mm >= 1 && cluster_tolerance_mm <= 50)) bad("cluster_tolerance_mm must be in [1, 50] mm");
}

Result clean_scan(const Geometry& scan, const Options& o) {
  o.validate();
  Result r;
  if (scan.is_mesh()) {
    r.geometry = scan;
    const std::string wound = orient_outward(r.geometry);
    r.steps.push_back(wound.empty() ? "mesh: kept as scanned" : "mesh: kept as scanned; " + wound);
    if (!wound.empty()) r.warnings.push_back("the scan's " + wound + " (check the exporter's normals)");
    return r;
  }
  fitcheck::detail::quiet_pcl();
  // Stray points far from the rest first (a wall or a table behind a phone scan, core/geometry.hpp): left in, they
  // inflated the outlier statistics below, so the scan's own noise stayed and the floor was not found.
  const std::vector<std::uint8_t> stray = stray_points(scan.vertices);
  std::vector<Eigen::Vector3d> bulk;
  bulk.reserve(scan.vertices.size());
  for (std::size_t i = 0; i < scan.vertices.size(); ++i)
    if (!stray[i]) bulk.push_back(scan.vertices[i]);
  if (bulk.size() < scan.vertices.size())
    r.steps.push_back("stray points far from the rest removed: " + std::to_string(scan.vertices.size() - bulk.size()));
  Cloud::Ptr cloud = to_pcl(bulk);
  const std::size_t n0 = scan.vertices.size();

  if (cloud->size() > o.voxel_above_points) {
    Cloud::Ptr down(new Cloud);
    pcl::VoxelGrid<pcl::PointXYZ> vg;
    vg.setInputCloud(cloud);
    const float leaf = static_cast<float>(o.voxel_mm);
    vg.setLeafSize(leaf, leaf, leaf);
    vg.filter(*down);
    r.steps.push_back("voxel grid " + std::to_string(o.voxel_mm).substr(0, 4) + " mm: " + std::to_string(cloud->size()) +
                      " -> " + std::to_string(down->size()) + " points");
    cloud = down;
  }
  {
    Cloud::Ptr kept(new Cloud);
    pcl::StatisticalOutlierRemoval<pcl::PointXYZ> sor;
    sor.setInputCloud(cloud);
    sor.setMeanK(o.outlier_neighbours);
    sor.setStddevMulThresh(o.outlier_std);
    sor.filter(*kept);
    r.steps.push_back("statistical outliers removed: " + std::to_string(cloud->size() - kept->size()));
    cloud = kept;
  }
  {
    // Floor: the dominant plane, if its inliers reach well beyond the rest of the scan in the plane.
    pcl::SACSegmentation<pcl::PointXYZ> seg;
    seg.setOptimizeCoefficients(true);
    seg.setModelType(pcl::SACMODEL_PLANE);
    seg.setMethodType(pcl::SAC_RANSAC);
    seg.setDistanceThreshold(o.floor_distance_mm);
    seg.setMaxIterations(500);
    seg.setInputCloud(cloud);
    pcl::PointIndices::Ptr inliers(new pcl::PointIndices);
    pcl::ModelCoefficients coef;
    seg.segment(*inliers, coef);
    if (inliers->indices.size() > 50 && coef.values.size() == 4 && Eigen::Vector3d(coef.values[0], coef.values[1], coef.values[2]).norm() > 0) {
      const double len = Eigen::Vector3d(coef.values[0], coef.values[1], coef.values[2]).norm();
      const Eigen::Vector3d n = Eigen::Vector3d(coef.values[0], coef.values[1], coef.values[2]) / len;
      const double offset = coef.values[3] / len;
      const Eigen::Vector3d a = (std::abs(n.z()) < 0.9 ? Eigen::Vector3d::UnitZ() : Eigen::Vector3d::UnitX()).cross(n).normalized();
      const Eigen::Vector3d b = n.cross(a).normalized();
      // The floor's band and the body. A phone's floor is noisy: with 1.2 mm of noise some of its points lie beyond
      // the RANSAC distance all over it, and counted as "the rest of the scan" they reached as far as the floor, so
      // no floor was found (and the scan was refused as a 515 mm foot; review). The body is what lies well above
      // the floor (kFloorBodyMm or three RANSAC distances); the floor's reach is measured against it, and what lies
      // within that band is the floor's as floor_outside_foot decides (the sole and the foot's lowest mm stay).
      const double body_mm = std::max(kFloorBodyMm, 3.0 * o.floor_distance_mm);
      std::vector<char> is_in(cloud->size(), 0), is_body(cloud->size(), 0);
      std::vector<double> height(cloud->size());
      double body_side = 0;  // > 0: the body lies on the side n points to
      for (std::size_t i = 0; i < cloud->size(); ++i) {
        const Eigen::Vector3d p((*cloud)[i].x, (*cloud)[i].y, (*cloud)[i].z);
        height[i] = p.dot(n) + offset;
        is_in[i] = std::abs(height[i]) <= body_mm;
        is_body[i] = !is_in[i];
        if (is_body[i]) body_side += height[i];
      }
      if (body_side < 0)
        for (double& h : height) h = -h;
      std::vector<char> ransac_in(cloud->size(), 0);
      for (int i : inliers->indices) ransac_in[i] = 1;
      double in_lo[2] = {1e300, 1e300}, in_hi[2] = {-1e300, -1e300}, out_lo[2] = {1e300, 1e300}, out_hi[2] = {-1e300, -1e300};
      for (std::size_t i = 0; i < cloud->size(); ++i) {
        if (!ransac_in[i] && !is_body[i]) continue;  // the band's noise: neither the plane nor the body
        const Eigen::Vector3d p((*cloud)[i].x, (*cloud)[i].y, (*cloud)[i].z);
        const double u[2] = {p.dot(a), p.dot(b)};
        for (int k = 0; k < 2; ++k) {
          if (ransac_in[i]) in_lo[k] = std::min(in_lo[k], u[k]), in_hi[k] = std::max(in_hi[k], u[k]);
          else out_lo[k] = std::min(out_lo[k], u[k]), out_hi[k] = std::max(out_hi[k], u[k]);
        }
      }
      double reach = 0;
      // No body (everything within the band: a flat object, not a foot on a floor): no floor either.
      if (std::count(is_body.begin(), is_body.end(), 1) > 0)
        for (int k = 0; k < 2; ++k) reach = std::max({reach, out_lo[k] - in_lo[k], in_hi[k] - out_hi[k]});
      if (reach > o.floor_reach_mm) {
        std::size_t sole = 0;
        const pcl::PointIndices::Ptr floor_only = floor_outside_foot(*cloud, is_in, is_body, ransac_in, height, o.floor_distance_mm, a, b, kFootprintCellMm, sole);
        Cloud::Ptr rest(new Cloud);
        pcl::ExtractIndices<pcl::PointXYZ> ex;
        ex.setInputCloud(cloud);
        ex.setIndices(floor_only);
        ex.setNegative(true);
        ex.filter(*rest);
        r.steps.push_back("floor plane removed: " + std::to_string(floor_only->indices.size()) + " points (reaching " +
                          std::to_string(static_cast<int>(reach)) + " mm beyond the foot); " + std::to_string(sole) +
                          " in it under the foot kept as the sole");
        // Up is the side the rest of the scan stands on.
        Floor f;
        f.up = n;
        f.offset = offset;
        double mean_height = 0;
        for (const auto& q : *rest) mean_height += f.height(Eigen::Vector3d(q.x, q.y, q.z));
        if (mean_height < 0) f.up = -f.up, f.offset = -f.offset;
        r.floor = f;
        cloud = rest;
      }
    }
  }
  {
    pcl::search::KdTree<pcl::PointXYZ>::Ptr tree(new pcl::search::KdTree<pcl::PointXYZ>);
    tree->setInputCloud(cloud);
    std::vector<pcl::PointIndices> clusters;
    pcl::EuclideanClusterExtraction<pcl::PointXYZ> ec;
    ec.setClusterTolerance(o.cluster_tolerance_mm);
    ec.setMinClusterSize(1);
    ec.setMaxClusterSize(static_cast<int>(cloud->size()));
    ec.setSearchMethod(tree);
    ec.setInputCloud(cloud);
    ec.extract(clusters);
    if (clusters.empty()) throw Error(ErrorCode::invalid_input, "clean", "nothing left after cleaning");
    const auto biggest = std::max_element(clusters.begin(), clusters.end(),
                                          [](auto& x, auto& y) { return x.indices.size() < y.indices.size(); });
    Cloud::Ptr main(new Cloud);
    for (int i : biggest->indices) main->push_back((*cloud)[i]);
    r.steps.push_back("largest cluster kept: " + std::to_string(main->size()) + " of " + std::to_string(cloud->size()) +
                      " points (" + std::to_string(clusters.size()) + " clusters)");
    cloud = main;
  }
  r.geometry.vertices = from_pcl(*cloud);
  if (r.geometry.vertices.size() < 100)
    throw Error(ErrorCode::invalid_input, "clean", "only " + std::to_string(r.geometry.vertices.size()) + " of " +
                                                       std::to_string(n0) + " points left after cleaning");
  return r;
}

}  // namespace fitcheck::clean
