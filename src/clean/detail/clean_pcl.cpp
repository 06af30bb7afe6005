// Adapter: PCL filters and segmentation for point-cloud cleaning.
#include <pcl/ModelCoefficients.h>
#include <pcl/filters/radius_outlier_removal.h>
#include <pcl/filters/statistical_outlier_removal.h>
#include <pcl/filters/voxel_grid.h>
#include <pcl/point_types.h>
#include <pcl/search/kdtree.h>
#include <pcl/segmentation/extract_clusters.h>
#include <pcl/segmentation/sac_segmentation.h>
#include <pcl/surface/mls.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <unordered_map>
#include <unordered_set>

#include "core/detail/library_logs.hpp"
#include "clean/clean.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "core/geometry.hpp"

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

/// Planes tried for the floor, largest first (clean_scan): a foot's flank, the leg's front or a flat heel can hold
/// more points than a sparse floor.
constexpr int kFloorPlaneTries = 3;

/// A floor has the body on one side: at most this fraction of the points more than kFloorBodyMm off the plane may
/// lie on the other side (outliers). An estimate.
constexpr double kFloorBelowFraction = 0.03;

/// Left alone in the floor's band once the floor is gone (clean_scan): fewer than this many other points within this
/// radius, mm. A phone scan's points lie 1-3 mm apart; the floor's stray noise has none near it. Estimates.
constexpr double kFringeRadiusMm = 5.0;
constexpr int kFringeMinNeighbours = 3;

/// After the smoothing, a point with fewer others than this near it (clean_scan) is off the surface. An estimate.
constexpr int kSmoothMinNeighbours = 4;

/// Under the foot, the floor's points in a grid cell (floor_outside_foot) are the sole standing on it only where
/// nothing of the foot lies low above them: where points of the foot lie between kLowAboveBandMm above the floor's band
/// (above a noisy sole's own spread) and this height -- at least kLowMinPoints of them and kLowMinFraction of the
/// cell's points on the plane -- the cell is under the arch, the bulging sides or the toes, and the floor there (seen,
/// or filled in by a phone app) goes. Kept, it read the ball girth 5-12 mm and the instep girth 7-14 mm large (the
/// synthetic foot on a filled-in floor, 0.3-1 mm of noise). The foot stands on its heel, ball and lateral column, 30 mm
/// or more thick; the arch's underside lies 5-20 mm up. The toes, under 20 mm thick, stand on their pads too: a scan
/// that saw those loses them here (the toes' other points stay). Estimates.
constexpr double kSoleGapMm = 20.0;
constexpr int kLowMinPoints = 2;
constexpr double kLowMinFraction = 0.2;
constexpr double kLowAboveBandMm = 1.5;

/// A floor noisier than the RANSAC distance: its own points are those within this many sigmas of its noise
/// (floor_outside_foot). 3: 0.3 % of a Gaussian's points lie beyond.
constexpr double kFloorNoiseSigmas = 3.0;

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

/// The grid cell of `q` in the plane (axes a, b), shifted by (da, db) cells.
std::int64_t cell_key(const pcl::PointXYZ& q, const Eigen::Vector3d& a, const Eigen::Vector3d& b, double cell_mm, int da = 0,
                      int db = 0) {
  const Eigen::Vector3d p(q.x, q.y, q.z);
  const auto i = static_cast<std::int64_t>(std::floor(p.dot(a) / cell_mm)) + da;
  const auto j = static_cast<std::int64_t>(std::floor(p.dot(b) / cell_mm)) + db;
  return (i << 32) ^ (j & 0xffffffff);
}

/// Of the points in the floor's band (`is_in`), those within kFloorNearCells cells of a cell the body projects into.
std::vector<char> near_body(const Cloud& cloud, const std::vector<char>& is_in, const std::vector<char>& is_body,
                            const Eigen::Vector3d& a, const Eigen::Vector3d& b, double cell_mm) {
  std::unordered_set<std::int64_t> body;
  for (std::size_t i = 0; i < cloud.size(); ++i)
    if (is_body[i]) body.insert(cell_key(cloud[i], a, b, cell_mm));
  std::vector<char> near(cloud.size(), 0);
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    if (!is_in[i]) continue;
    for (int da = -kFloorNearCells; da <= kFloorNearCells && !near[i]; ++da)
      for (int db = -kFloorNearCells; db <= kFloorNearCells && !near[i]; ++db)
        near[i] = body.count(cell_key(cloud[i], a, b, cell_mm, da, db)) > 0;
  }
  return near;
}

/// The floor's points, to remove. On a `cell_mm` grid in the floor plane (axes a, b), two zones:
/// - near the body (within kFloorNearCells cells of a cell that `is_body` -- points above the floor's band --
///   projects into): only the plane's own points go, and only outside the footprint of every point off the plane,
///   eroded by one cell so that floor points along the foot's outline still go. The foot's lowest millimetres along
///   its outline stay (they are off the plane), and so does the sole standing on the floor (under that footprint:
///   `kept_as_sole` counts the plane's points kept there);
/// - farther away: every point in the band (`is_in`) goes -- the floor and its noise, which off the plane by a few mm
///   would otherwise make footprint of its own.
/// The plane's own points are RANSAC's inliers (`is_plane`, within `plane_mm`) or, on a floor noisier than that, those
/// within kFloorNoiseSigmas of its noise (estimated far from the body, where the band holds only floor: the median
/// absolute height x 1.4826, a robust sigma; `noise_mm` returns it): at 2 mm of noise the floor's points 3-10 mm off
/// it stayed along the foot as a fringe that read the foot 10 mm long and 12-25 mm wide (review). Points below the
/// plane by more than that (`height`: signed height above it) go in either zone: no foot is there.
pcl::PointIndices::Ptr floor_outside_foot(const Cloud& cloud, const std::vector<char>& is_in, const std::vector<char>& is_body,
                                          const std::vector<char>& is_plane, const std::vector<double>& height, double plane_mm,
                                          const Eigen::Vector3d& a, const Eigen::Vector3d& b, double cell_mm,
                                          std::size_t& kept_as_sole, double& noise_mm) {
  auto key = [&](const pcl::PointXYZ& q, int da = 0, int db = 0) { return cell_key(q, a, b, cell_mm, da, db); };
  const std::vector<char> near = near_body(cloud, is_in, is_body, a, b, cell_mm);
  std::vector<double> far_heights;
  for (std::size_t i = 0; i < cloud.size(); ++i)
    if (is_in[i] && !near[i]) far_heights.push_back(std::abs(height[i]));
  noise_mm = 0;
  if (far_heights.size() >= 50) noise_mm = 1.4826 * quantile(std::move(far_heights), 0.5);
  const double band = std::max(plane_mm, kFloorNoiseSigmas * noise_mm);
  std::vector<char> own(cloud.size(), 0);  // the plane's own points
  for (std::size_t i = 0; i < cloud.size(); ++i) own[i] = band > plane_mm ? std::abs(height[i]) <= band : is_plane[i];
  std::unordered_set<std::int64_t> off_plane;
  // Per cell: points of the foot low above the floor, and the plane's own points.
  std::unordered_map<std::int64_t, int> low, on_plane;
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    const std::int64_t cell = key(cloud[i]);
    if (own[i]) {
      ++on_plane[cell];
      continue;
    }
    off_plane.insert(cell);
    if (height[i] > band + kLowAboveBandMm && height[i] <= kSoleGapMm) ++low[cell];
  }
  pcl::PointIndices::Ptr out(new pcl::PointIndices);
  kept_as_sole = 0;
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    if (!is_in[i]) continue;
    bool gone = !near[i] || height[i] < -band;
    if (!gone && own[i]) {
      bool inside = true;
      for (int da = -1; da <= 1 && inside; ++da)
        for (int db = -1; db <= 1 && inside; ++db) inside = off_plane.count(key(cloud[i], da, db)) > 0;
      if (inside) {
        const std::int64_t cell = key(cloud[i]);
        const auto it = low.find(cell);
        inside = it == low.end() || it->second < std::max<double>(kLowMinPoints, kLowMinFraction * on_plane.at(cell));
      }
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
  if (!(smooth_radius_mm == 0 || (smooth_radius_mm >= 1 && smooth_radius_mm <= 20))) bad("smooth_radius_mm must be 0 (off) or in [1, 20] mm");
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
  // Statistical outliers: found here, removed after the floor. A phone sees the floor from farther away than the foot,
  // so its points lie farther apart, and removed first many of them went as outliers (a floor at a twentieth of the
  // foot's density lost 5980 of its 6900 points, and its remains read the foot 8 mm long; a floor that sparse is still
  // not found, see the README). Meanwhile the outliers do not count as the body the floor must reach beyond.
  auto outliers_of = [&](const Cloud::Ptr& c) {
    pcl::StatisticalOutlierRemoval<pcl::PointXYZ> sor(true);
    sor.setInputCloud(c);
    sor.setMeanK(o.outlier_neighbours);
    sor.setStddevMulThresh(o.outlier_std);
    Cloud kept;
    sor.filter(kept);
    std::vector<char> out(c->size(), 0);
    for (int i : *sor.getRemovedIndices()) out[static_cast<std::size_t>(i)] = 1;
    return out;
  };
  std::vector<char> outlier = outliers_of(cloud);
  {
    // Floor: a plane whose inliers reach well beyond the rest of the scan in it. The dominant plane first; when it is
    // not a floor (a flat flank of the foot can hold more points than a sparse floor a phone saw from farther away:
    // review, 1 mm of noise, the floor left in and the scan refused as a 504 mm foot), its points are set aside and
    // the next plane is tried, up to kFloorPlaneTries planes.
    std::vector<int> search_ids(cloud->size());  // the points RANSAC searches, as indices into `cloud`
    for (std::size_t i = 0; i < cloud->size(); ++i) search_ids[i] = static_cast<int>(i);
    std::vector<char> set_aside(cloud->size(), 0);  // inliers of a plane tried before, not a floor
    for (int attempt = 0; attempt < kFloorPlaneTries && search_ids.size() > 50; ++attempt) {
      Cloud::Ptr search(new Cloud);
      search->reserve(search_ids.size());
      for (int i : search_ids) search->push_back((*cloud)[static_cast<std::size_t>(i)]);
      pcl::SACSegmentation<pcl::PointXYZ> seg;
      seg.setOptimizeCoefficients(true);
      seg.setModelType(pcl::SACMODEL_PLANE);
      seg.setMethodType(pcl::SAC_RANSAC);
      seg.setDistanceThreshold(o.floor_distance_mm);
      seg.setMaxIterations(500);
      seg.setInputCloud(search);
      pcl::PointIndices::Ptr inliers(new pcl::PointIndices);
      pcl::ModelCoefficients coef;
      seg.segment(*inliers, coef);
      if (!(inliers->indices.size() > 50 && coef.values.size() == 4 &&
            Eigen::Vector3d(coef.values[0], coef.values[1], coef.values[2]).norm() > 0))
        break;
      const double len = Eigen::Vector3d(coef.values[0], coef.values[1], coef.values[2]).norm();
      Eigen::Vector3d n = Eigen::Vector3d(coef.values[0], coef.values[1], coef.values[2]) / len;
      double offset = coef.values[3] / len;
      // The floor's band and the body. A phone's floor is noisy: with 1.2 mm of noise some of its points lie beyond
      // the RANSAC distance all over it, and counted as "the rest of the scan" they reached as far as the floor, so
      // no floor was found (and the scan was refused as a 515 mm foot; review). The body is what lies well above
      // the floor (kFloorBodyMm or three RANSAC distances); the floor's reach is measured against it, and what lies
      // within that band is the floor's as floor_outside_foot decides (the sole and the foot's lowest mm stay).
      const double body_mm = std::max(kFloorBodyMm, 3.0 * o.floor_distance_mm);
      Eigen::Vector3d a, b;
      std::vector<char> is_in, is_body, ransac_in;
      std::vector<double> height;
      // Classifies the points by the plane (n, offset); the plane's points are RANSAC's `inliers` (and those set
      // aside before that lie on this plane too, where it meets a plane tried before), or without them every point
      // within the RANSAC distance. Returns the plane's reach beyond the body, mm.
      auto classify = [&](const pcl::PointIndices* inl) {
        a = (std::abs(n.z()) < 0.9 ? Eigen::Vector3d::UnitZ() : Eigen::Vector3d::UnitX()).cross(n).normalized();
        b = n.cross(a).normalized();
        is_in.assign(cloud->size(), 0), is_body.assign(cloud->size(), 0), height.assign(cloud->size(), 0.0);
        double body_side = 0;  // > 0: the body lies on the side n points to
        for (std::size_t i = 0; i < cloud->size(); ++i) {
          const Eigen::Vector3d p((*cloud)[i].x, (*cloud)[i].y, (*cloud)[i].z);
          height[i] = p.dot(n) + offset;
          is_in[i] = std::abs(height[i]) <= body_mm;
          is_body[i] = !is_in[i] && !outlier[i];
          if (is_body[i]) body_side += height[i];
        }
        if (body_side < 0)
          for (double& h : height) h = -h;
        ransac_in.assign(cloud->size(), 0);
        if (inl) {
          for (int j : inl->indices) ransac_in[static_cast<std::size_t>(search_ids[static_cast<std::size_t>(j)])] = 1;
          for (std::size_t i = 0; i < cloud->size(); ++i)
            if (set_aside[i] && std::abs(height[i]) <= o.floor_distance_mm) ransac_in[i] = 1;
        } else {
          for (std::size_t i = 0; i < cloud->size(); ++i) ransac_in[i] = std::abs(height[i]) <= o.floor_distance_mm;
        }
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
        // No body (everything within the band: a flat object, not a foot on a floor): no floor either. Nor when the
        // body lies on both sides: a foot's flat flank with a sparse floor running through it reached beyond the foot
        // as far as the floor (review), but the floor lay on both sides of it.
        // (Counted with the statistical outliers: a sparse floor's points are many of them.)
        std::size_t n_off = 0, n_below = 0;
        for (std::size_t i = 0; i < cloud->size(); ++i)
          if (!is_in[i]) ++n_off, n_below += height[i] < 0;
        if (std::count(is_body.begin(), is_body.end(), 1) > 0 &&
            static_cast<double>(n_below) <= kFloorBelowFraction * static_cast<double>(n_off))
          for (int k = 0; k < 2; ++k) reach = std::max({reach, out_lo[k] - in_lo[k], in_hi[k] - out_hi[k]});
        return reach;
      };
      double reach = classify(inliers.get());
      if (reach > o.floor_reach_mm) {
        // Fitted again to the band's points away from the body, where it holds only floor (least squares): RANSAC's
        // plane can be a parallel one a few mm up, through the foot's lowest ring of points where a phone did not see
        // the sole and the floor is sparse (4.5 mm up, the floor's own noise then read as 7.6 mm), or tilted a little
        // (the noise read 2.8 mm for 2; review). The floor's noise is measured against this plane.
        const std::vector<char> near = near_body(*cloud, is_in, is_body, a, b, kFootprintCellMm);
        std::vector<Eigen::Vector3d> far;
        for (std::size_t i = 0; i < cloud->size(); ++i)
          if (is_in[i] && !near[i] && !outlier[i]) far.emplace_back((*cloud)[i].x, (*cloud)[i].y, (*cloud)[i].z);
        if (far.size() >= 50) {
          const PrincipalAxes pa = principal_axes(far);
          Eigen::Vector3d m = pa.axes.col(0).normalized();  // the least-spread axis: the plane's normal
          if (m.dot(n) < 0) m = -m;
          if (m.dot(n) > std::cos(10.0 * std::numbers::pi / 180.0)) {
            n = m;
            offset = -m.dot(pa.mean);
            reach = classify(nullptr);
          }
        }
      }
      if (!(reach > o.floor_reach_mm)) {
        // Not a floor: its points are set aside and the next plane is searched without them.
        std::vector<int> rest;
        for (int i : search_ids)
          if (ransac_in[static_cast<std::size_t>(i)]) set_aside[static_cast<std::size_t>(i)] = 1;
          else rest.push_back(i);
        search_ids = std::move(rest);
        continue;
      }
      std::size_t sole = 0;
      double noise = 0;
      const pcl::PointIndices::Ptr floor_only =
          floor_outside_foot(*cloud, is_in, is_body, ransac_in, height, o.floor_distance_mm, a, b, kFootprintCellMm, sole, noise);
      // What stays, with its outlier flags and whether it lies in the floor's band.
      Cloud::Ptr rest(new Cloud);
      std::vector<char> rest_outlier, rest_in;
      {
        std::vector<char> gone(cloud->size(), 0);
        for (int i : floor_only->indices) gone[static_cast<std::size_t>(i)] = 1;
        for (std::size_t i = 0; i < cloud->size(); ++i)
          if (!gone[i]) rest->push_back((*cloud)[i]), rest_outlier.push_back(outlier[i]), rest_in.push_back(is_in[i]);
      }
      r.steps.push_back("floor plane removed: " + std::to_string(floor_only->indices.size()) + " points (reaching " +
                        std::to_string(static_cast<int>(reach)) + " mm beyond the foot" +
                        (attempt > 0 ? "; the " + std::to_string(attempt + 1) + (attempt == 1 ? "nd" : "rd") +
                                           " largest plane tried, the larger not a floor"
                                     : std::string()) +
                        (kFloorNoiseSigmas * noise > o.floor_distance_mm
                             ? "; its noise " + fmt_fixed(noise, 1) + " mm (sigma): points within " +
                                   fmt_fixed(kFloorNoiseSigmas * noise, 1) + " mm of it taken as floor"
                             : std::string()) +
                        "); " + std::to_string(sole) + " in it under the foot kept as the sole");
      // Up is the side the rest of the scan stands on.
      Floor f;
      f.up = n;
      f.offset = offset;
      double mean_height = 0;
      for (const auto& q : *rest) mean_height += f.height(Eigen::Vector3d(q.x, q.y, q.z));
      if (mean_height < 0) f.up = -f.up, f.offset = -f.offset;
      r.floor = f;
      cloud = rest;
      // The statistics again without the floor: the long distances between its sparse points raised the cut-off, so
      // the foot's own noise passed (2 mm of it read the foot 5 mm long). But not in the floor's band: a
      // sparse scan's lowest points along its open sole are few-neighboured there and went (40 of 250; review). There
      // the floor's noise left beside the foot (a point a few sigma off it near the body), alone now, goes if it has
      // fewer than kFringeMinNeighbours others within kFringeRadiusMm.
      {
        const std::vector<char> again = outliers_of(cloud);
        pcl::search::KdTree<pcl::PointXYZ> tree;
        tree.setInputCloud(cloud);
        pcl::Indices ids;
        std::vector<float> d2;
        outlier.assign(cloud->size(), 0);
        for (std::size_t i = 0; i < cloud->size(); ++i)
          outlier[i] = rest_in[i] ? rest_outlier[i] || tree.radiusSearch((*cloud)[i], kFringeRadiusMm, ids, d2,
                                                                         kFringeMinNeighbours + 1) < kFringeMinNeighbours + 1
                                  : again[i];
      }
      break;
    }
  }
  {
    Cloud::Ptr kept(new Cloud);
    for (std::size_t i = 0; i < cloud->size(); ++i)
      if (!outlier[i]) kept->push_back((*cloud)[i]);
    r.steps.push_back("statistical outliers removed: " + std::to_string(cloud->size() - kept->size()));
    cloud = kept;
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
  if (o.smooth_radius_mm > 0) {
    // A phone's depth noise (1-2 mm) pushes the extreme points outward: the foot read 4-6 mm long at 1 mm of noise and
    // 10-16 mm at 2 mm, its girths (convex sections) 10-40 mm large. Each point goes onto a quadratic fitted to its
    // neighbours within the radius (moving least squares, Levin 2003; PCL): the noise averages out over them, a
    // smooth surface stays where it is.
    Cloud::Ptr smooth(new Cloud);
    pcl::search::KdTree<pcl::PointXYZ>::Ptr tree(new pcl::search::KdTree<pcl::PointXYZ>);
    pcl::MovingLeastSquares<pcl::PointXYZ, pcl::PointXYZ> mls;
    mls.setInputCloud(cloud);
    mls.setSearchMethod(tree);
    mls.setSearchRadius(o.smooth_radius_mm);
    mls.setPolynomialOrder(2);
    mls.setComputeNormals(false);
    mls.process(*smooth);
    r.steps.push_back("smoothed (moving least squares, " + fmt_fixed(o.smooth_radius_mm, 1) + " mm radius): " +
                      std::to_string(smooth->size()) + " of " + std::to_string(cloud->size()) + " points kept");
    cloud = smooth;
    // The smoothed surface is a thin layer: a point the smoothing could not bring onto it (noise far off the surface,
    // with neighbours only among its own kind) now stands alone. Alone within half the smoothing radius or four times
    // the scan's median point spacing, whichever is larger (a sparse kiosk scan's points lie 3-4 mm apart).
    double spacing = 0;
    {
      pcl::search::KdTree<pcl::PointXYZ> near_tree;
      near_tree.setInputCloud(cloud);
      std::vector<double> nearest;
      pcl::Indices ids;
      std::vector<float> d2;
      for (std::size_t i = 0; i < cloud->size(); i += 10)
        if (near_tree.nearestKSearch((*cloud)[i], 2, ids, d2) == 2) nearest.push_back(std::sqrt(static_cast<double>(d2[1])));
      if (!nearest.empty()) spacing = quantile(std::move(nearest), 0.5);
    }
    pcl::RadiusOutlierRemoval<pcl::PointXYZ> ror;
    ror.setInputCloud(cloud);
    ror.setRadiusSearch(std::max(0.5 * o.smooth_radius_mm, 4.0 * spacing));
    ror.setMinNeighborsInRadius(kSmoothMinNeighbours);
    Cloud::Ptr kept(new Cloud);
    ror.filter(*kept);
    r.steps.push_back("points left off the smoothed surface removed: " + std::to_string(cloud->size() - kept->size()));
    cloud = kept;
  }
  r.geometry.vertices = from_pcl(*cloud);
  if (r.geometry.vertices.size() < 100)
    throw Error(ErrorCode::invalid_input, "clean", "only " + std::to_string(r.geometry.vertices.size()) + " of " +
                                                       std::to_string(n0) + " points left after cleaning");
  return r;
}

}  // namespace fitcheck::clean
