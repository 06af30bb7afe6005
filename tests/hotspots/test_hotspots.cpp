// Hotspots on hand-made pressure fields over the sample foot: grading by the N thresholds, the dose (minutes above 30
// mmHg, interpolated between time points), the first minute, the minimum area, the nerve under a patch and the risk
// counted over the nerve where the nerve is; error paths by code.
#include <boost/test/unit_test.hpp>

#include "contact/contact.hpp"
#include "hotspots/hotspots.hpp"
#include "measure/measure.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;

namespace {

struct Foot {
  Geometry mesh;
  double length = 0;
};

const Foot& test_foot() {
  static const Foot f = [] {
    const measure::ScanResult s = measure::measure_scan(synth::make_foot(synth::FootShape{}));
    return Foot{s.frame.aligned, s.result.measurements.foot_length_mm};
  }();
  return f;
}

/// The highest vertex of the foot's top near station x (fraction of the length).
std::size_t top_vertex(double frac) {
  const Foot& f = test_foot();
  std::size_t best = 0;
  double z = -1e300;
  for (std::size_t i = 0; i < f.mesh.vertices.size(); ++i) {
    const auto& p = f.mesh.vertices[i];
    if (std::abs(p.x() - frac * f.length) < 3.0 && p.z() > z) z = p.z(), best = i;
  }
  return best;
}

/// An atlas with one nerve running along x over the top of the foot through the vertex at `frac`, 40 mm long.
nerves::Atlas one_nerve_over(double frac, double y_offset_mm = 0) {
  const Eigen::Vector3d c = test_foot().mesh.vertices[top_vertex(frac)] + Eigen::Vector3d(0, y_offset_mm, 0);
  nerves::Nerve n;
  n.name = "deep_peroneal";
  n.literature = "A1";
  n.label = "deep peroneal nerve";
  n.path_mm = {c - Eigen::Vector3d(20, 0, 0), c + Eigen::Vector3d(20, 0, 0)};
  n.confidence = 1;
  nerves::Atlas a;
  a.nerves.push_back(n);
  return a;
}

/// mmHg field: `mmhg` within `radius` of vertex `centre`, 0 elsewhere (kPa out).
std::vector<double> disc(std::size_t centre, double radius, double mmhg) {
  const Foot& f = test_foot();
  std::vector<double> kpa(f.mesh.vertices.size(), 0.0);
  for (std::size_t i = 0; i < kpa.size(); ++i)
    if ((f.mesh.vertices[i] - f.mesh.vertices[centre]).norm() <= radius) kpa[i] = contact::kpa(mmhg);
  return kpa;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_warning_over_a_nerve_for_most_of_the_run_is_a_high_risk_with_its_dose) {
  const std::size_t c = top_vertex(0.45);
  const std::vector<double> zero(test_foot().mesh.vertices.size(), 0.0), p40 = disc(c, 12, 40);
  // 0 mmHg at 0 min, 40 from 10 min on: caution (20) is first reached at 5 min, 30 at 7.5 min -> 52.5 min above 30.
  const auto r = hotspots::find(test_foot().mesh, test_foot().length, {0, 10, 20, 60}, {zero, p40, p40, p40}, one_nerve_over(0.45));
  BOOST_TEST_REQUIRE(r.hotspots.size() == 1u);
  const auto& h = r.hotspots[0];
  BOOST_TEST(h.peak_mmhg == 40.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.first_minute == 5.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.minutes_above_30mmhg == 52.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.level == "warning");
  BOOST_TEST(h.nerve == "deep_peroneal");
  BOOST_TEST(h.nerve_peak_mmhg == 40.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.risk == "high");  // warning with >= 30 min above 30 mmHg over a nerve
  BOOST_TEST(h.region == "instep");
  BOOST_TEST(h.area_mm2 > 200.0);  // a 12 mm disc: ~450 mm2 of surface
  BOOST_TEST(h.area_mm2 < 700.0);
  // The same warning for 20 minutes only: moderate.
  const auto s = hotspots::find(test_foot().mesh, test_foot().length, {0, 40, 60}, {zero, zero, p40}, one_nerve_over(0.45));
  BOOST_TEST_REQUIRE(s.hotspots.size() == 1u);
  BOOST_TEST(s.hotspots[0].minutes_above_30mmhg < 30.0);
  BOOST_TEST(s.hotspots[0].risk == "moderate");
  // Per nerve: the same figures.
  BOOST_TEST_REQUIRE(r.nerves.size() == 1u);
  BOOST_TEST(r.nerves[0].risk == "high");
  BOOST_TEST(r.nerves[0].peak_mmhg == 40.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(an_alarm_away_from_every_nerve_is_one_step_lower_and_tiny_patches_are_not_reported) {
  const Foot& f = test_foot();
  std::size_t heel = 0;  // the rearmost vertex at mid height
  for (std::size_t i = 0; i < f.mesh.vertices.size(); ++i)
    if (std::abs(f.mesh.vertices[i].z() - 30) < 5 && f.mesh.vertices[i].x() < f.mesh.vertices[heel].x()) heel = i;
  std::vector<double> p = disc(heel, 12, 60);
  p[top_vertex(0.92)] = contact::kpa(200);  // one vertex: a few mm2, below min_area_mm2
  const auto r = hotspots::find(f.mesh, f.length, {0, 60}, {p, p}, one_nerve_over(0.45));
  BOOST_TEST_REQUIRE(r.hotspots.size() == 1u);
  BOOST_TEST(r.hotspots[0].level == "alarm");
  BOOST_TEST(r.hotspots[0].region == "heel");
  BOOST_TEST(r.hotspots[0].nerve == "none");
  BOOST_TEST(r.hotspots[0].risk == "moderate");
  // The timeline still sees the single vertex.
  BOOST_TEST(r.timeline[0].peak_mmhg == 200.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.nerves[0].risk == "none");
}

BOOST_AUTO_TEST_CASE(a_large_patch_whose_edge_crosses_a_nerve_is_graded_by_the_pressure_over_the_nerve) {
  // 60 mmHg in a 30 mm disc centred 22 mm to the side of the nerve line, 25 mmHg beyond: only the low part touches it.
  const Foot& f = test_foot();
  const std::size_t c = top_vertex(0.45);
  std::vector<double> p(f.mesh.vertices.size(), 0.0);
  const Eigen::Vector3d centre = f.mesh.vertices[c] + Eigen::Vector3d(0, 22, 0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double d = (f.mesh.vertices[i] - centre).norm();
    if (d <= 14) p[i] = contact::kpa(60);
    else if (d <= 40) p[i] = contact::kpa(25);
  }
  nerves::Options near;
  near.near_mm = 6;  // a narrow nerve band, so the 60 mmHg core is not "over" it
  hotspots::Options o;
  o.nerves = near;
  const auto r = hotspots::find(f.mesh, f.length, {0, 60}, {p, p}, one_nerve_over(0.45), o);
  BOOST_TEST_REQUIRE(!r.hotspots.empty());
  const auto& h = r.hotspots[0];
  BOOST_TEST(h.peak_mmhg == 60.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.nerve == "deep_peroneal");
  BOOST_TEST(h.nerve_peak_mmhg == 25.0, boost::test_tools::tolerance(1e-9));
  // Not "high" (an alarm over the nerve would be): the alarm without a nerve (moderate) vs caution over it (low).
  BOOST_TEST(h.risk == "moderate");
}

BOOST_AUTO_TEST_CASE(errors_carry_their_codes) {
  const Foot& f = test_foot();
  const std::vector<double> z(f.mesh.vertices.size(), 0.0);
  auto code_of = [](const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    BOOST_FAIL("accepted");
    return ErrorCode::internal;
  };
  const auto a = one_nerve_over(0.45);
  BOOST_TEST(code_of([&] { hotspots::find(f.mesh, f.length, {10, 0}, {z, z}, a); }) == ErrorCode::internal);
  std::vector<double> neg = z;
  neg[3] = -1;
  BOOST_TEST(code_of([&] { hotspots::find(f.mesh, f.length, {0}, {neg}, a); }) == ErrorCode::internal);
  BOOST_TEST(code_of([&] { hotspots::find(Geometry{}, f.length, {0}, {z}, a); }) == ErrorCode::invalid_input);
  hotspots::Options bad;
  bad.min_area_mm2 = -1;
  BOOST_TEST(code_of([&] { hotspots::find(f.mesh, f.length, {0}, {z}, a, bad); }) == ErrorCode::usage);
  for (int k = 0; k < 4; ++k) BOOST_TEST(hotspots::risk_rank(hotspots::risk_name(k)) == k);
  BOOST_TEST(hotspots::risk_name(3) == "high");
  BOOST_TEST(hotspots::risk_name(0) == "none");
  BOOST_TEST(hotspots::risk_rank("severe") == -1);  // not a risk level
}

BOOST_AUTO_TEST_CASE(behind_a_quarter_of_the_length_low_is_heel_and_high_is_ankle) {
  // A sock's band on the lower leg peaked 90 mm above the sole at 4 % of the length and was called "heel".
  const Foot& f = test_foot();
  double sole = 1e300;
  for (const auto& p : f.mesh.vertices)
    if (p.x() < 0.25 * f.length) sole = std::min(sole, p.z());
  int heel = 0, ankle = 0;
  for (const auto& p : f.mesh.vertices) {
    if (p.x() >= 0.24 * f.length) continue;
    const std::string label = hotspots::region_label(f.mesh, f.length, p);
    if (p.z() - sole < hotspots::kHeelTopMm - 5) {
      BOOST_TEST(label == "heel", p.transpose());
      ++heel;
    }
    if (p.z() - sole > hotspots::kHeelTopMm + 5) {
      BOOST_TEST(label == "ankle", p.transpose());
      ++ankle;
    }
  }
  BOOST_TEST(heel > 10);
  BOOST_TEST(ankle > 10);
}

BOOST_AUTO_TEST_CASE(a_patch_over_two_nerves_names_the_one_it_presses_hardest) {
  // Review of 2026-12-06: a patch named the nerve under most of it, which could be the mildest; the summary then named
  // another nerve at high risk beside it. Here 25 mmHg over a 40 mm disc on the instep, whose long "sural" line runs
  // through the middle, and 60 mmHg in a 5 mm spot on a short "deep_peroneal" line 15 mm to the side.
  const Foot& f = test_foot();
  const Eigen::Vector3d centre = f.mesh.vertices[top_vertex(0.45)];
  Eigen::Vector3d spot = centre;  // the foot's surface 15 mm to the side
  for (const auto& v : f.mesh.vertices)
    if ((v - centre - Eigen::Vector3d(0, 15, 0)).norm() < (spot - centre - Eigen::Vector3d(0, 15, 0)).norm()) spot = v;
  std::vector<double> p(f.mesh.vertices.size(), 0.0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if ((f.mesh.vertices[i] - spot).norm() <= 5) p[i] = contact::kpa(60);
    else if ((f.mesh.vertices[i] - centre).norm() <= 40) p[i] = contact::kpa(25);
  }
  auto nerve = [](const std::string& name, const std::vector<Eigen::Vector3d>& path) {
    nerves::Nerve n;
    n.name = name;
    n.literature = "A1";
    n.label = name;
    n.path_mm = path;
    n.confidence = 1;
    return n;
  };
  std::vector<Eigen::Vector3d> ridge;  // along the top of the foot, on its surface
  for (double frac = 0.33; frac <= 0.575; frac += 0.02) ridge.push_back(f.mesh.vertices[top_vertex(frac)]);
  nerves::Atlas atlas;
  atlas.nerves = {nerve("sural", ridge), nerve("deep_peroneal", {spot - Eigen::Vector3d(4, 0, 0), spot + Eigen::Vector3d(4, 0, 0)})};
  {
    const nerves::Nearest near = nerves::nearest_nerves(atlas, f.mesh.vertices, hotspots::Options{}.nerves);
    std::size_t under[2] = {0, 0};
    for (std::size_t i = 0; i < p.size(); ++i)
      if (p[i] > 0 && near.nerve[i] >= 0) ++under[near.nerve[i]];
    BOOST_TEST_MESSAGE("patch vertices nearest sural " << under[0] << ", deep peroneal " << under[1]);
    BOOST_TEST_REQUIRE(under[0] > 2 * under[1]);  // most of the patch lies over the mild nerve
  }
  const auto r = hotspots::find(f.mesh, f.length, {0, 60}, {p, p}, atlas);
  BOOST_TEST_REQUIRE(!r.hotspots.empty());
  const auto& h = r.hotspots[0];
  BOOST_TEST(h.peak_mmhg == 60.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.nerve == "deep_peroneal");
  BOOST_TEST(h.nerve_peak_mmhg == 60.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.risk == "high");
  // Risk before peak: 40 mmHg over the long nerve for the whole hour (high) beats a 45 mmHg spot over the short one
  // that falls to 25 after 10 minutes, the rest of its band at 25 (above 30 for 7.5 minutes: moderate).
  const nerves::Nearest near = nerves::nearest_nerves(atlas, f.mesh.vertices, hotspots::Options{}.nerves);
  std::vector<double> early(p.size(), 0.0), late(p.size(), 0.0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if ((f.mesh.vertices[i] - centre).norm() > 40) continue;
    if ((f.mesh.vertices[i] - spot).norm() <= 5) early[i] = contact::kpa(45), late[i] = contact::kpa(25);
    else if (near.nerve[i] == 1) early[i] = late[i] = contact::kpa(25);
    else early[i] = late[i] = contact::kpa(40);
  }
  const auto t = hotspots::find(f.mesh, f.length, {0, 10, 60}, {early, late, late}, atlas);
  BOOST_TEST_REQUIRE(!t.hotspots.empty());
  BOOST_TEST(t.hotspots[0].nerve == "sural");
  BOOST_TEST(t.hotspots[0].risk == "high");
}
