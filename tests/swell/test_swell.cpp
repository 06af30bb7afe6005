// Running swelling: the time curve against literature S1/S4, the volume each state reaches, the long-run protocol's
// direction (S4), same topology and no self-intersections at every time point, and the error paths.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "clean/clean.hpp"
#include "foot/foot.hpp"
#include "load/load.hpp"
#include "measure/measure.hpp"
#include "swell/swell.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;

namespace {

struct Foot {
  Geometry g;
  measure::Result m;
};

const Foot& sample() {
  static const Foot f = [] {
    const foot::FootFrame fr = foot::align_foot(synth::make_foot());
    return Foot{fr.aligned, measure::measure_foot(fr.aligned)};
  }();
  return f;
}

double dorsal_height(const Geometry& g, double x) {
  double top = -1e300;
  for (const auto& p : measure::section(g, Eigen::Vector3d(x, 0, 0), Eigen::Vector3d::UnitX(), 0.5)) top = std::max(top, p.z());
  return top;
}

}  // namespace

BOOST_AUTO_TEST_CASE(time_curve_follows_the_literature) {
  // S1: about +3 % after 10 min of running (the issue asks +2 to +4 %).
  const double v10 = swell::volume_change_pct(10);
  BOOST_TEST(v10 >= 2.0);
  BOOST_TEST(v10 <= 4.0);
  // rises while running, before the late loss
  BOOST_TEST(swell::volume_change_pct(0) == 0.0);
  BOOST_TEST(swell::volume_change_pct(5) < v10);
  BOOST_TEST(swell::volume_change_pct(30) > v10);
  // S4: a 35 km run (~180 min) ends with less volume than before (-1.7 %).
  BOOST_TEST(std::abs(swell::volume_change_pct(180) - (-1.7)) <= 0.3);
  // walking pace swells less than running (S1: walking ~+2 %), heat more
  swell::Options walk;
  walk.intensity = 0.6;
  BOOST_TEST(swell::volume_change_pct(10, walk) < v10);
  swell::Options hot;
  hot.conditions = 1.3;
  BOOST_TEST(swell::volume_change_pct(10, hot) > v10);
}

BOOST_AUTO_TEST_CASE(ten_minute_run_adds_two_to_four_percent_volume) {
  const auto states = swell::simulate(sample().g, sample().m, {0, 10});
  BOOST_TEST_REQUIRE(states.size() == 2u);
  const double v0 = signed_volume(sample().g);
  const double v10 = signed_volume(states[1].foot);
  const double pct = (v10 - v0) / v0 * 100;
  BOOST_TEST_MESSAGE("minute 10: " << pct << " % (growth " << states[1].growth << "); minute 0: "
                                   << states[0].volume_change_pct << " % (splay only)");
  BOOST_TEST(pct >= 2.0);
  BOOST_TEST(pct <= 4.0);
  BOOST_TEST(std::abs(states[1].volume_change_pct - pct) <= 1e-6);
  // the stance splay alone keeps the volume (within 0.3 %) and widens the forefoot
  BOOST_TEST(std::abs(states[0].volume_change_pct) <= 0.3);
  const auto widest = [](const Geometry& g) {
    double lo = 1e300, hi = -1e300;
    for (const auto& p : g.vertices)
      if (p.x() > 150 && p.x() < 200) lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
    return hi - lo;
  };
  BOOST_TEST(widest(states[0].foot) > widest(sample().g) * 1.02);
}

BOOST_AUTO_TEST_CASE(long_run_moves_dorsal_height_and_volume_as_s4) {
  // S4 (35 km): volume -1.7 %, dorsal height -1.3 mm, navicular height -1.5 mm.
  const auto s = swell::simulate(sample().g, sample().m, {0, 180});
  const double L = sample().m.measurements.foot_length_mm;
  BOOST_TEST(signed_volume(s[1].foot) < signed_volume(s[0].foot));
  BOOST_TEST(dorsal_height(s[1].foot, 0.5 * L) < dorsal_height(s[0].foot, 0.5 * L));
  BOOST_TEST(std::abs(s[1].arch_drop_mm - 1.5) <= 0.01);
}

BOOST_AUTO_TEST_CASE(same_topology_and_no_self_intersections) {
  const std::vector<double> minutes = {0, 10, 30, 60, 120, 180};
  const auto states = swell::simulate(sample().g, sample().m, minutes);
  BOOST_TEST_REQUIRE(states.size() == minutes.size());
  BOOST_TEST_REQUIRE(!clean::self_intersects(sample().g));
  for (const auto& st : states) {
    BOOST_TEST_CONTEXT("minute " << st.minute) {
      BOOST_TEST(st.foot.vertices.size() == sample().g.vertices.size());
      BOOST_TEST((st.foot.faces == sample().g.faces));
      BOOST_TEST(all_finite(st.foot.vertices));
      BOOST_TEST(!clean::self_intersects(st.foot));
    }
  }
  // The check itself can fail: two boxes pushed into each other do intersect.
  Geometry two = synth::make_box(Eigen::Vector3d(10, 10, 10));
  const Geometry b = synth::make_box(Eigen::Vector3d(10, 10, 10));
  const int off = static_cast<int>(two.vertices.size());
  for (const auto& p : b.vertices) two.vertices.push_back(p + Eigen::Vector3d(5, 5, 5));
  for (const auto& f : b.faces) two.faces.emplace_back(f[0] + off, f[1] + off, f[2] + off);
  BOOST_TEST(clean::self_intersects(two));
}

BOOST_AUTO_TEST_CASE(swelling_on_a_real_scan) {
  const measure::ScanResult scan = measure::measure_scan(load::load_geometry(shared_data("scans/dupontgu-right.stl")).geometry);
  const auto s = swell::simulate(scan.frame.aligned, scan.result, {10});
  const double pct = s[0].volume_change_pct;
  BOOST_TEST(pct >= 2.0);
  BOOST_TEST(pct <= 4.0);
  BOOST_TEST(!clean::self_intersects(s[0].foot));
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_refused) {
  swell::Options bad;
  bad.intensity = -1;
  try {
    swell::volume_change_pct(10, bad);
    BOOST_FAIL("negative intensity accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::usage);
  }
  try {
    swell::simulate(sample().g, sample().m, {std::nan("")});
    BOOST_FAIL("NaN minute accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::usage);
  }
  Geometry cloud;
  cloud.vertices = sample().g.vertices;
  try {
    swell::simulate(cloud, sample().m, {10});
    BOOST_FAIL("point cloud accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
  }
}
