// Phone-scan robustness, each case built from a real kiosk scan (dupontgu-right, 6.4k vertices) turned into a
// point cloud: outliers, noise, a floor, a leg, a missing fifth of the surface. Foot length must stay within 3 mm of
// the clean cloud's (issue #3).
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <numbers>
#include <random>

#include "clean/clean.hpp"
#include "foot/foot.hpp"
#include "load/load.hpp"
#include "measure/measure.hpp"
#include "place/place.hpp"
#include "save/save.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;

namespace {

Geometry scan_cloud() {
  Geometry g = load::load_geometry(shared_data("scans/dupontgu-right.stl")).geometry;  // mm, z up, floor at z ~ 0
  g.faces.clear();
  return g;
}

double length_of(const Geometry& g) { return measure::measure_scan(g).result.measurements.foot_length_mm; }

const double& clean_length() {
  static const double l = length_of(scan_cloud());
  return l;
}

/// A floor 0.5 mm below the scan's lowest point, 600 x 600 mm every `step_mm`, `noise_mm` of noise; with `hidden`,
/// not under the scan's bounding box (a scanner does not see the floor under the foot).
void add_floor(Geometry& g, double step_mm, unsigned seed, bool hidden, double noise_mm = 0.3) {
  const BoundingBox b = bounding_box(g.vertices);
  const Eigen::Vector3d c = 0.5 * (b.min + b.max);
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd(0.0, noise_mm);
  for (double x = -300; x <= 300; x += step_mm)
    for (double y = -300; y <= 300; y += step_mm) {
      const Eigen::Vector3d p(c.x() + x, c.y() + y, b.min.z() - 0.5 + nd(rng));
      if (hidden && p.x() > b.min.x() && p.x() < b.max.x() && p.y() > b.min.y() && p.y() < b.max.y()) continue;
      g.vertices.push_back(p);
    }
}

/// The scan is cut flat at ~100 mm: a 150 mm tall cylinder (radius 38 mm) on the ankle section.
void add_leg(Geometry& g) {
  Eigen::Vector3d top = Eigen::Vector3d::Zero();
  int n = 0;
  double zmax = -1e300;
  for (const auto& p : g.vertices) zmax = std::max(zmax, p.z());
  for (const auto& p : g.vertices)
    if (p.z() > zmax - 3) top += p, ++n;
  top /= n;
  for (double z = zmax; z <= zmax + 150; z += 3)
    for (int k = 0; k < 80; ++k) {
      const double t = 2 * std::numbers::pi * k / 80;
      g.vertices.emplace_back(top.x() + 38 * std::cos(t), top.y() + 38 * std::sin(t), z);
    }
}


/// A phone's scan of `foot` standing on a floor: `samples` points on the foot with `noise_mm` of noise, less those
/// within 3 mm of the floor (a phone does not see the sole), and a floor 120 mm around the foot, a point per
/// `floor_step_mm` square (jittered) with `floor_noise_mm`; not under the foot unless `floor_under_foot`. The floor
/// lies `lift_mm` below the foot (0: the foot stands on it). Deterministic for a seed.
Geometry phone_scan(const Geometry& foot, double noise_mm, double floor_noise_mm, double floor_step_mm, unsigned seed,
                    bool floor_under_foot = false, std::size_t samples = 60000, double lift_mm = 0.0) {
  Geometry c = synth::sample_surface(foot, samples, noise_mm, seed);
  std::erase_if(c.vertices, [](const Eigen::Vector3d& p) { return p.z() < 3.0; });
  const BoundingBox b = bounding_box(foot.vertices);
  std::mt19937 rng(seed + 100);
  std::normal_distribution<double> nd(0.0, floor_noise_mm);
  std::uniform_real_distribution<double> jitter(-0.5, 0.5);
  for (double x = b.min.x() - 120; x <= b.max.x() + 120; x += floor_step_mm)
    for (double y = b.min.y() - 120; y <= b.max.y() + 120; y += floor_step_mm) {
      const Eigen::Vector3d p(x + floor_step_mm * jitter(rng), y + floor_step_mm * jitter(rng),
                              b.min.z() - lift_mm + nd(rng));
      const bool under = p.x() > b.min.x() && p.x() < b.max.x() && p.y() > b.min.y() && p.y() < b.max.y();
      if (!under || floor_under_foot) c.vertices.push_back(p);
    }
  return c;
}

/// The synthetic sample foot's measurements as a mesh (once).
const measure::Measurements& sample_mesh() {
  static const measure::Measurements m = measure::measure_scan(synth::make_foot()).result.measurements;
  return m;
}

/// `c`'s length and ball width within the tolerances of the sample mesh's, mm.
void near_sample_mesh(const measure::Measurements& c, double length_tol_mm, double width_tol_mm) {
  const measure::Measurements& m = sample_mesh();
  BOOST_TEST(std::abs(c.foot_length_mm - m.foot_length_mm) <= length_tol_mm, c.foot_length_mm << " vs " << m.foot_length_mm);
  BOOST_TEST(std::abs(c.ball_width_mm - m.ball_width_mm) <= width_tol_mm, c.ball_width_mm << " vs " << m.ball_width_mm);
}

bool has_step(const measure::ScanResult& r, const std::string& text) {
  return std::any_of(r.steps.begin(), r.steps.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

/// The count in the floor step's "N in it under the foot kept as the sole"; -1 without a floor step.
long kept_as_sole(const std::vector<std::string>& steps) {
  for (const auto& st : steps) {
    const auto at = st.find(" in it under the foot kept as the sole");
    if (st.rfind("floor plane removed", 0) != 0 || at == std::string::npos) continue;
    const auto from = st.rfind(' ', at - 1);
    return std::stol(st.substr(from + 1, at - from - 1));
  }
  return -1;
}

bool warns_not_standing(const measure::ScanResult& r) {
  const auto& w = r.result.warnings;
  return std::any_of(w.begin(), w.end(),
                     [](const std::string& s) { return s.find("does not seem to stand") != std::string::npos; });
}

}  // namespace

BOOST_AUTO_TEST_CASE(clean_cloud_matches_the_mesh) {
  const auto mesh = measure::measure_scan(load::load_geometry(shared_data("scans/dupontgu-right.stl")).geometry).result;
  BOOST_TEST(std::abs(clean_length() - mesh.measurements.foot_length_mm) <= 2.0,
             clean_length() << " vs mesh " << mesh.measurements.foot_length_mm);
  // Review of 2026-12-06: in the cloud the big toe (at 82 % of the length) stuck out further
  // medially than the 1st joint, and a [62, 82] % window took it for the joint: ball width 123.0 against the mesh's
  // 114.0 mm. The window ends at 80 % (literature A6: the joint at 70-79 %).
  const auto cloud = measure::measure_scan(scan_cloud()).result;
  BOOST_TEST(std::abs(cloud.measurements.ball_width_mm - mesh.measurements.ball_width_mm) <= 3.0,
             cloud.measurements.ball_width_mm << " vs mesh " << mesh.measurements.ball_width_mm);
  BOOST_TEST(std::abs(cloud.measurements.ball_girth_mm - mesh.measurements.ball_girth_mm) <= 5.0,
             cloud.measurements.ball_girth_mm << " vs mesh " << mesh.measurements.ball_girth_mm);
}

BOOST_AUTO_TEST_CASE(two_percent_outliers) {
  Geometry g = scan_cloud();
  const BoundingBox b = bounding_box(g.vertices);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-0.25, 1.25);
  const std::size_t n = g.vertices.size() / 50;
  for (std::size_t i = 0; i < n; ++i)
    g.vertices.push_back(b.min + Eigen::Vector3d(u(rng), u(rng), u(rng)).cwiseProduct(b.extent()));
  const auto r = measure::measure_scan(g);
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(half_mm_noise) {
  Geometry g = scan_cloud();
  std::mt19937 rng(4);
  std::normal_distribution<double> nd(0.0, 0.5);
  for (auto& p : g.vertices) p += Eigen::Vector3d(nd(rng), nd(rng), nd(rng));
  BOOST_TEST(std::abs(length_of(g) - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(added_floor_plane_is_removed) {
  Geometry g = scan_cloud();
  add_floor(g, 5.0, 5, false);
  const auto r = measure::measure_scan(g);
  bool floor_step = false;
  for (const auto& s : r.steps) floor_step = floor_step || s.find("floor plane removed") != std::string::npos;
  BOOST_TEST(floor_step);
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(the_floor_goes_but_the_sole_standing_on_it_stays) {
  // The floor's RANSAC inliers include the sole's contact points (within the inlier distance of the floor); removing
  // them opened the sole, and the Poisson surface ballooned out of it (a check then saw the toe box 33 mm into the
  // last). A scanner does not see the floor under the foot: the inliers inside the footprint are the sole.
  const Geometry clean = scan_cloud();
  const BoundingBox b = bounding_box(clean.vertices);
  const double floor_z = b.min.z() - 0.5;
  auto sole_points = [&](const std::vector<Eigen::Vector3d>& v) {
    return std::count_if(v.begin(), v.end(), [&](const Eigen::Vector3d& p) { return p.z() < floor_z + 2.5; });
  };
  const auto before = sole_points(clean.vertices);
  BOOST_TEST_REQUIRE(before > 50);
  Geometry g = clean;
  add_floor(g, 5.0, 7, true);
  const Eigen::Vector3d c = 0.5 * (b.min + b.max);
  const clean::Result r = clean::clean_scan(g);
  BOOST_TEST_REQUIRE(r.floor.has_value());
  BOOST_TEST(r.floor->up.z() > 0.999);
  BOOST_TEST(std::abs(r.floor->height(Eigen::Vector3d(c.x(), c.y(), floor_z))) < 0.5);
  const auto after = sole_points(r.geometry.vertices);
  BOOST_TEST_MESSAGE("sole points " << before << " -> " << after);
  BOOST_TEST(after >= 0.9 * static_cast<double>(before));
  // No floor left around the foot: nothing low lies outside the foot's own outline.
  for (const auto& p : r.geometry.vertices)
    if (p.z() < floor_z + 2.5) BOOST_TEST_REQUIRE((p.x() > b.min.x() - 1 && p.x() < b.max.x() + 1 && p.y() > b.min.y() - 1 && p.y() < b.max.y() + 1));
}

BOOST_AUTO_TEST_CASE(a_floor_and_a_leg_together_are_both_removed) {
  // A phone scan has both. Each alone was handled, together the leg tilted the frame search's length axis and the
  // scan was refused as "not a foot" (width/length 0.68); the floor now gives up and the leg goes first.
  Geometry g = scan_cloud();
  add_floor(g, 4.0, 9, false);
  add_leg(g);
  const auto r = measure::measure_scan(g);
  bool floor = false, leg = false;
  for (const auto& s : r.steps) {
    floor = floor || s.find("floor plane removed") != std::string::npos;
    leg = leg || s.find("above the removed floor") != std::string::npos;
  }
  BOOST_TEST(floor);
  BOOST_TEST(leg);
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(a_wall_behind_a_phone_scan_is_not_part_of_it) {
  // 300 points of a wall 1.5 m behind a phone scan (floor, leg, metres): the file read 1.79 units long and no unit
  // fitted (exit 4, also with --units m); and left in, they inflated the outlier statistics so the floor stayed (review).
  Geometry g = scan_cloud();
  add_floor(g, 4.0, 9, false);
  add_leg(g);
  // Nothing of the scan, its floor or its leg is called stray.
  const std::vector<std::uint8_t> none = stray_points(g.vertices);
  BOOST_TEST(std::count(none.begin(), none.end(), 1) == 0);
  const BoundingBox b = bounding_box(g.vertices);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int k = 0; k < 300; ++k) g.vertices.emplace_back(b.max.x() + 1500.0, -300.0 + 600.0 * u(rng), 500.0 * u(rng));
  for (auto& p : g.vertices) p *= 0.001;  // metres, as phone apps write
  TempDir d;
  save::write_geometry(d / "phone.ply", g);
  const load::Result loaded = load::load_geometry(d / "phone.ply");
  BOOST_TEST(loaded.unit == load::Unit::m, loaded.units_reason);
  BOOST_TEST(loaded.units_reason.find("300 point(s) lie far from the rest") != std::string::npos, loaded.units_reason);
  const auto r = measure::measure_scan(loaded.geometry);
  bool floor = false, stray = false;
  for (const auto& s : r.steps) {
    floor = floor || s.find("floor plane removed") != std::string::npos;
    stray = stray || s == "stray points far from the rest removed: 300";
  }
  BOOST_TEST(floor);
  BOOST_TEST(stray);
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(a_noisy_floor_is_removed_too) {
  // A phone's floor with 1.5 mm of noise: its points beyond the RANSAC distance (3 mm) lay all over it and counted as
  // the rest of the scan, so the floor "reached" no further than the rest and stayed; the scan was refused as a foot
  // 515 mm long (review). Before the change this case failed at 1.2 mm already.
  Geometry g = scan_cloud();
  // The foot's own points 6-10 mm above the floor (the floor's noise rarely reaches 6 mm, 4 sigma): they stay. A
  // footprint made only of what lies above the 10 mm band, eroded, took the foot's lowest mm along its outline away
  // with the floor (review: 40 % of the ball's, 95 % of the toes').
  const double floor_z = bounding_box(g.vertices).min.z() - 0.5;
  auto low = [&](const Geometry& x) {
    return std::count_if(x.vertices.begin(), x.vertices.end(),
                         [&](const Eigen::Vector3d& p) { return p.z() > floor_z + 6.0 && p.z() < floor_z + 10.0; });
  };
  const auto low_before = low(g);
  add_floor(g, 4.0, 11, true, 1.5);
  const clean::Result cleaned = clean::clean_scan(g);
  BOOST_TEST(low(cleaned.geometry) >= 0.97 * static_cast<double>(low_before), low(cleaned.geometry) << " of " << low_before);
  add_leg(g);
  const auto r = measure::measure_scan(g);
  bool floor = false;
  for (const auto& s : r.steps) floor = floor || s.find("floor plane removed") != std::string::npos;
  BOOST_TEST(floor);
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(attached_150mm_leg_is_cut) {
  Geometry g = scan_cloud();
  add_leg(g);
  const auto r = measure::measure_scan(g);
  bool cut = false;
  for (const auto& s : r.steps) cut = cut || s.find("leg cut") != std::string::npos;
  BOOST_TEST(cut);
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(twenty_percent_of_the_surface_missing) {
  // A phone scan misses the side away from the camera: drop the fifth of the points furthest to one side (+x in the
  // file frame, across the foot), keeping toe tip and heel.
  Geometry g = scan_cloud();
  std::vector<double> xs;
  for (const auto& p : g.vertices) xs.push_back(p.x());
  std::nth_element(xs.begin(), xs.begin() + static_cast<long>(xs.size() * 4 / 5), xs.end());
  const double cut = xs[xs.size() * 4 / 5];
  std::vector<Eigen::Vector3d> kept;
  for (const auto& p : g.vertices)
    if (p.x() < cut) kept.push_back(p);
  BOOST_TEST(kept.size() < g.vertices.size() * 81 / 100);
  g.vertices = kept;
  BOOST_TEST(std::abs(length_of(g) - clean_length()) <= 3.0);
}

BOOST_AUTO_TEST_CASE(cut_above_keeps_the_part_below) {
  Geometry g;
  for (int i = 0; i < 200; ++i) g.vertices.emplace_back(i, 0, i);
  BOOST_TEST(clean::cut_above(g, 99.5) == 100u);
  BOOST_TEST(g.vertices.size() == 100u);
  BOOST_TEST(bounding_box(g.vertices).max.z() <= 99.5);
}

BOOST_AUTO_TEST_CASE(poisson_volume_of_a_cloud_matches_the_mesh) {
  // The synthetic foot (closed mesh, exact volume) sampled as a 60k-point cloud with 0.3 mm noise.
  const Geometry m = synth::make_foot();
  const Geometry c = synth::sample_surface(m, 60000, 0.3, 12);
  const auto from_mesh = measure::measure_scan(m).result.measurements;
  const auto from_cloud = measure::measure_scan(c).result.measurements;
  BOOST_REQUIRE(from_mesh.volume_cm3.has_value());
  BOOST_REQUIRE(from_cloud.volume_cm3.has_value());
  BOOST_TEST_INFO("cloud " << *from_cloud.volume_cm3 << " cm3, mesh " << *from_mesh.volume_cm3 << " cm3");
  BOOST_TEST(std::abs(*from_cloud.volume_cm3 / *from_mesh.volume_cm3 - 1.0) <= 0.03);
  BOOST_TEST(std::abs(from_cloud.foot_length_mm - from_mesh.foot_length_mm) <= 1.5);
  BOOST_TEST(std::abs(from_cloud.ball_girth_mm - from_mesh.ball_girth_mm) <= 3.0);
}

BOOST_AUTO_TEST_CASE(the_poisson_surface_of_a_cloud_follows_the_foot) {
  // Review of 2026-12-06: normals turned "away from the centroid" pointed into the foot on top of the toes (the
  // centroid lies behind and above them), and Poisson raised a 5 mm bump there: 1068 mmHg against the toe box of a
  // last the mesh of the same foot fits without a hotspot. Below the ankle cut (whose sharp rim Poisson rounds), every
  // vertex of the surface lies within 1 mm of the mesh the cloud was sampled from (0.3 mm noise).
  const Geometry m = synth::make_foot();
  const Geometry s = clean::reconstruct_surface(synth::sample_surface(m, 60000, 0.3, 12));
  double top = -1e300;
  for (const auto& p : m.vertices) top = std::max(top, p.z());
  const place::SignedDistance to_mesh(m);
  const std::vector<double> d = to_mesh.query(s.vertices);
  double worst = 0;
  Eigen::Vector3d at = Eigen::Vector3d::Zero();
  std::size_t rated = 0;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (s.vertices[i].z() < top - 8.0) {
      ++rated;
      if (std::abs(d[i]) > worst) worst = std::abs(d[i]), at = s.vertices[i];
    }
  BOOST_TEST_REQUIRE(rated > d.size() / 2);
  BOOST_TEST(worst <= 1.0, "the surface is " << worst << " mm off the foot at (" << at.transpose() << ")");
  // Review of 2026-12-06: on an open shell (the lowest 8 mm unseen) the consistent orientation crossed the opening
  // and Poisson's surface came out open (8-26 border edges; the check then refused the foot, exit 4). An open
  // result falls back to the centroid rule, which closes it.
  Geometry shell = synth::sample_surface(m, 40000, 0.3, 7);
  std::erase_if(shell.vertices, [](const Eigen::Vector3d& p) { return p.z() < 8.0; });
  const Geometry closed = clean::reconstruct_surface(measure::measure_scan(shell).frame.aligned);
  const std::size_t border = analyze_topology(closed).boundary_edges;
  BOOST_TEST(border == 0u, border << " border edges");
}

BOOST_AUTO_TEST_CASE(a_cloud_without_its_sole_stands_on_the_sole_plane) {
  // A phone does not see the sole of a standing foot. Poisson bulged out of the open bottom below the plane the foot
  // stands on (review of 2026-12-06: the sample foot as such a cloud read 23 % more volume, and in its fitting last
  // 2767 mmHg at the toe box, where the mesh has no hotspot); the surface now stands on the sole plane.
  const Geometry m = synth::make_foot();
  Geometry c = synth::sample_surface(m, 60000, 0.3, 13);
  std::erase_if(c.vertices, [](const Eigen::Vector3d& p) { return p.z() < 4.0; });  // the sole unseen
  const auto from_mesh = measure::measure_scan(m).result.measurements;
  const auto from_cloud = measure::measure_scan(c);
  BOOST_REQUIRE(from_mesh.volume_cm3.has_value());
  BOOST_REQUIRE(from_cloud.result.measurements.volume_cm3.has_value());
  const double ratio = *from_cloud.result.measurements.volume_cm3 / *from_mesh.volume_cm3;
  BOOST_TEST_MESSAGE("volume without the sole " << *from_cloud.result.measurements.volume_cm3 << " cm3, mesh " << *from_mesh.volume_cm3);
  // The frame's sole plane lies at the lowest point seen, 4 mm up: that slab of the foot is lost (about 5 %).
  BOOST_TEST(std::abs(ratio - 1.0) <= 0.06, ratio);
}

BOOST_AUTO_TEST_CASE(a_phone_scan_with_1mm_of_noise_measures_like_the_mesh) {
  // The noise pushed the extreme points and the convex sections outward: at 1 mm the sample foot read 4-6 mm long,
  // its girths 10-20 mm large (review). Smoothed (moving least squares) before measuring.
  const auto& mesh = sample_mesh();
  const auto r = measure::measure_scan(phone_scan(synth::make_foot(), 1.0, 1.0, 3.0, 1));
  const auto& c = r.result.measurements;
  BOOST_TEST(has_step(r, "floor plane removed"));
  BOOST_TEST(has_step(r, "moving least squares"));
  BOOST_TEST(!warns_not_standing(r));
  near_sample_mesh(c, 2.0, 3.0);
  BOOST_TEST(std::abs(c.ball_girth_mm - mesh.ball_girth_mm) <= 8.0, c.ball_girth_mm << " vs " << mesh.ball_girth_mm);
  BOOST_TEST(std::abs(c.instep_girth_mm - mesh.instep_girth_mm) <= 4.0, c.instep_girth_mm << " vs " << mesh.instep_girth_mm);
}

BOOST_AUTO_TEST_CASE(a_floor_with_2mm_of_noise_leaves_no_fringe_beside_the_foot) {
  // The floor's points 3-10 mm off it near the foot stayed as a fringe that read the foot 10 mm long and 12-25 mm
  // wide (review). Now the floor's own points are those within 3 sigma of its noise, measured away from the foot.
  const auto r = measure::measure_scan(phone_scan(synth::make_foot(), 1.0, 2.0, 3.0, 1));
  BOOST_TEST(has_step(r, "its noise"));
  near_sample_mesh(r.result.measurements, 2.5, 3.0);
}

BOOST_AUTO_TEST_CASE(a_sparse_floor_is_found_behind_a_flat_flank_of_the_foot) {
  // A phone sees the floor from farther away than the foot, so its points lie farther apart: the largest plane was a
  // flat flank of the foot, not a floor, and the search stopped there (review: the scan refused as a 504 mm foot).
  // The next planes are tried; and the statistical outliers are removed after the floor, which went with them.
  const auto r = measure::measure_scan(phone_scan(synth::make_foot(), 1.0, 1.0, 4.0, 2));
  BOOST_TEST(has_step(r, "largest plane tried, the larger not a floor"));
  near_sample_mesh(r.result.measurements, 2.5, 3.0);
}

BOOST_AUTO_TEST_CASE(a_sole_less_scan_on_its_floor_stands_upright) {
  // A left foot whose sole the phone did not see, on a floor the app filled in under it: the frame search took the
  // straight dorsum for the sole, and the foot came out upside down and as a right foot (review). The removed
  // floor's normal is the scan's up (foot::FrameOptions::up_hint).
  const Geometry m = synth::mirror_y(synth::make_foot());
  const Geometry scan = phone_scan(m, 0.3, 0.3, 3.0, 2, true, 80000);
  const clean::Result cleaned = clean::clean_scan(scan);
  BOOST_REQUIRE(cleaned.floor.has_value());
  // The case is a hard one: without the hint the frame is upside down.
  const foot::FootFrame blind = foot::align_foot(cleaned.geometry);
  BOOST_TEST(blind.to_foot_frame(2, 2) < 0.0, blind.to_foot_frame(2, 2));
  const auto r = measure::measure_scan(scan);
  BOOST_TEST(r.frame.to_foot_frame(2, 2) > 0.99, r.frame.to_foot_frame(2, 2));
  BOOST_TEST((r.frame.side == foot::Side::left));
  BOOST_TEST(std::abs(r.result.measurements.foot_length_mm - measure::measure_scan(m).result.measurements.foot_length_mm) <= 2.0);
}

BOOST_AUTO_TEST_CASE(a_floor_filled_in_under_the_foot_stays_only_where_the_foot_stands) {
  // An app that fills the floor in under the foot: its points under the footprint were all kept as the sole, also
  // where the foot does not stand on it (under its bulging sides and the toes). On this left foot they read the ball
  // girth 263.1 and the instep girth 281.2 (bca412a; the mesh: 251.5, 267.4). Now the floor stays only where nothing
  // of the foot lies low above it.
  const auto& mesh = sample_mesh();
  const auto r = measure::measure_scan(phone_scan(synth::mirror_y(synth::make_foot()), 1.0, 1.0, 3.0, 1, true));
  const auto& c = r.result.measurements;
  BOOST_TEST(kept_as_sole(r.steps) > 100);  // under the heel and the ball (the flat sole's middle)
  BOOST_TEST(!warns_not_standing(r));
  near_sample_mesh(c, 2.0, 3.0);
  BOOST_TEST(std::abs(c.ball_girth_mm - mesh.ball_girth_mm) <= 8.0, c.ball_girth_mm << " vs " << mesh.ball_girth_mm);
  BOOST_TEST(std::abs(c.instep_girth_mm - mesh.instep_girth_mm) <= 4.0,
             c.instep_girth_mm << " vs " << mesh.instep_girth_mm);
}

BOOST_AUTO_TEST_CASE(a_sole_less_scan_of_an_arched_foot_tells_its_side_by_the_arch) {
  // A phone does not see the sole of a standing foot: what it sees lowest at the midfoot is the lower rim of each
  // side, the medial one higher under the arch. Side cue (c) was the centre of the contact band, which on a floor
  // filled in under the foot is the floor under the arch as well: +0.05 on this cloud (bca412a), no signal. Left foot,
  // toe tip on the heel's centre line (cues a and b near 0).
  synth::FootShape s;
  s.arch_height_mm = 15;
  s.toe_medial_shift_mm = 0;
  const Geometry m = synth::mirror_y(synth::make_foot(s));
  for (const bool filled : {false, true}) {
    const auto r = measure::measure_scan(phone_scan(m, 1.0, 1.0, 3.0, 1, filled));
    BOOST_TEST_CONTEXT((filled ? "floor filled in: " : "floor around the foot: ") << r.frame.side_reason) {
      BOOST_TEST((r.frame.side == foot::Side::left));
      BOOST_TEST(r.frame.side_cues.arch < -0.5);
    }
  }
  // Nor does a phone see the arch's underside (the generator above keeps it): without the faces that look down, the
  // lowest points seen are the side walls' lower edges, the medial one up at the arch.
  Geometry seen = m;
  seen.faces.clear();
  for (const auto& f : m.faces) {
    const Eigen::Vector3d n = (m.vertices[f[1]] - m.vertices[f[0]]).cross(m.vertices[f[2]] - m.vertices[f[0]]);
    if (n.z() > -0.5 * n.norm()) seen.faces.push_back(f);
  }
  for (const bool filled : {false, true}) {
    const auto r = measure::measure_scan(phone_scan(seen, 1.0, 1.0, 3.0, 1, filled));
    BOOST_TEST_CONTEXT("no underside, " << (filled ? "floor filled in: " : "floor around: ") << r.frame.side_reason) {
      BOOST_TEST((r.frame.side == foot::Side::left));
      BOOST_TEST(r.frame.side_cues.arch < -0.5);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_noisy_sole_standing_on_the_floor_stays) {
  // A scan that saw the sole, with 1 mm of noise on it: a cell under the foot with two or more points just above the
  // floor's band lost its points on the plane, the sole's contact among them (77 sole points here with that rule; 23
  // now, 8 at bca412a). Only points above 1.5 times the band, and at least a fifth of the cell's own, count.
  Geometry g = scan_cloud();
  std::mt19937 rng(5);
  std::normal_distribution<double> nd(0.0, 1.0);
  for (auto& p : g.vertices) p += Eigen::Vector3d(nd(rng), nd(rng), nd(rng));
  const double floor_z = bounding_box(scan_cloud().vertices).min.z() - 0.5;
  const auto in_band = std::count_if(g.vertices.begin(), g.vertices.end(),
                                     [&](const Eigen::Vector3d& p) { return std::abs(p.z() - floor_z) <= 3.0; });
  BOOST_TEST_REQUIRE(in_band > 200);
  const std::size_t foot_points = g.vertices.size();
  add_floor(g, 5.0, 7, true);
  const auto floor_points = static_cast<long>(g.vertices.size() - foot_points);
  const clean::Result r = clean::clean_scan(g);
  BOOST_TEST_REQUIRE(r.floor.has_value());
  // What the floor step removed beyond the floor's own points: the sole's.
  long removed = -1;
  for (const auto& st : r.steps)
    if (st.rfind("floor plane removed: ", 0) == 0) removed = std::stol(st.substr(21));
  BOOST_TEST_MESSAGE("sole points within 3 mm of the floor " << in_band << ", floor points " << floor_points
                                                              << ", the floor step removed " << removed);
  BOOST_TEST(removed - floor_points <= in_band / 50, removed << " removed, " << floor_points << " of them floor");
}

BOOST_AUTO_TEST_CASE(a_foot_held_above_its_floor_is_measured_with_a_warning) {
  // The floor gives the frame its up, so a foot held 8 mm above it (unloaded) was measured as a standing one with no
  // word of it. Its heel and ball now lie 12-13 mm above the floor (standing: within 10); the measurements stand.
  for (const bool filled : {false, true}) {
    const auto r = measure::measure_scan(phone_scan(synth::make_foot(), 1.0, 1.0, 3.0, 1, filled, 60000, 8.0));
    BOOST_TEST_INFO((filled ? "floor filled in under the foot" : "floor around the foot"));
    BOOST_TEST(warns_not_standing(r));
    near_sample_mesh(r.result.measurements, 2.0, 3.0);
  }
}
