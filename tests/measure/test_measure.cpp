// Foot frame + measurements: exact answers on synthetic feet, invariance under rigid motion, units, vertex order and
// mirroring (synthetic and real scans), landmarks against find-template's ground-truth keypoints, and the dupontgu
// pair against each other and ANSUR II.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <fstream>
#include <numbers>
#include <random>

#include "foot/foot.hpp"
#include "load/load.hpp"
#include "measure/measure.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;

namespace {

struct Measured {
  foot::FootFrame frame;
  measure::Result result;
};

Measured run(const Geometry& g, std::optional<foot::Side> side = {}) {
  foot::FrameOptions fo;
  fo.side = side;
  Measured m{foot::align_foot(g, fo), {}};
  m.result = measure::measure_foot(m.frame.aligned);
  return m;
}

std::vector<double> values(const measure::Measurements& m) {
  return {m.foot_length_mm,   m.ball_width_mm,       m.heel_width_mm,     m.ball_girth_mm, m.instep_girth_mm,
          m.arch_height_mm,   m.dorsal_height_50_mm, m.toe_box_height_mm, m.volume_cm3.value_or(-1)};
}
const char* kNames[] = {"foot_length", "ball_width", "heel_width", "ball_girth", "instep_girth",
                        "arch_height", "dorsal_height_50", "toe_box_height", "volume_cm3"};

void expect_same(const measure::Measurements& a, const measure::Measurements& b, double tol_mm) {
  const auto va = values(a), vb = values(b);
  for (std::size_t i = 0; i < va.size(); ++i) {
    // Volume: tol_mm over a ~120 x 100 mm section is a fair volume tolerance only in relative terms: 0.5 %.
    const double tol = i == 8 ? 0.005 * std::abs(va[i]) : tol_mm;
    BOOST_TEST_INFO(kNames[i] << ": " << va[i] << " vs " << vb[i]);
    BOOST_TEST(std::abs(va[i] - vb[i]) <= tol);
  }
}


Geometry load_mm(const std::string& rel) { return load::load_geometry(shared_data(rel)).geometry; }

double max_z_of_section(const synth::FootShape& s, double x) {
  double z = 0;
  for (const auto& p : synth::foot_section(s, x, 4000)) z = std::max(z, p.z());
  return z;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(synthetic_exact)

// A symmetric synthetic foot (no toe shift) so the ball points lie on one known section.
synth::FootShape symmetric_shape() {
  synth::FootShape s;
  s.toe_medial_shift_mm = 0;
  s.rings = 400;
  s.ring_points = 240;
  return s;
}

BOOST_AUTO_TEST_CASE(known_dimensions_within_half_mm) {
  const synth::FootShape s = symmetric_shape();
  const Geometry g = synth::make_foot(s);
  const Measured m = run(g, foot::Side::right);
  const auto& r = m.result.measurements;
  const double L = s.length_mm;
  BOOST_TEST(std::abs(r.foot_length_mm - L) <= 0.5, r.foot_length_mm);
  BOOST_TEST(std::abs(r.ball_width_mm - s.ball_width_mm) <= 0.5, r.ball_width_mm);
  BOOST_TEST(std::abs(r.dorsal_height_50_mm - s.instep_height_mm) <= 0.5, r.dorsal_height_50_mm);
  // Girths: convex perimeter of the generator's exact section (4000 samples) at the same station.
  const double ball_x = s.ball_x_pct / 100 * L;
  const double girth = measure::convex_perimeter(synth::foot_section(s, ball_x, 4000), Eigen::Vector3d::UnitX());
  BOOST_TEST(std::abs(r.ball_girth_mm - girth) <= 0.5, r.ball_girth_mm << " vs " << girth);
  const double instep =
      measure::convex_perimeter(synth::foot_section(s, 0.55 * L, 4000), Eigen::Vector3d::UnitX());
  BOOST_TEST(std::abs(r.instep_girth_mm - instep) <= 0.5, r.instep_girth_mm << " vs " << instep);
  // Toe-box height: the highest point between 85 and 95 % (heights fall towards the toes, so at 85 %).
  BOOST_TEST(std::abs(r.toe_box_height_mm - max_z_of_section(s, 0.85 * L)) <= 0.5, r.toe_box_height_mm);
  // Heel width: widest section between 5 and 22 % below 40 mm.
  double heel = 0;
  for (double pct = 5; pct <= 22; pct += 0.25) {
    double lo = 1e9, hi = -1e9;
    for (const auto& p : synth::foot_section(s, pct / 100 * L, 4000))
      if (p.z() <= 40) lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
    heel = std::max(heel, hi - lo);
  }
  BOOST_TEST(std::abs(r.heel_width_mm - heel) <= 0.5, r.heel_width_mm << " vs " << heel);
  // Volume: independent signed volume of the generated mesh.
  BOOST_REQUIRE(r.volume_cm3.has_value());
  BOOST_TEST(std::abs(*r.volume_cm3 - signed_volume(g) / 1000.0) <= 0.01);
}

BOOST_AUTO_TEST_CASE(scaling_the_shape_scales_the_answers) {
  synth::FootShape s = symmetric_shape();
  s.length_mm = 230;
  s.ball_width_mm = 88;
  const Measured m = run(synth::make_foot(s), foot::Side::right);
  BOOST_TEST(std::abs(m.result.measurements.foot_length_mm - 230.0) <= 0.5);
  BOOST_TEST(std::abs(m.result.measurements.ball_width_mm - 88.0) <= 0.5);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(invariance)

void check_invariance(const Geometry& g, foot::Side expected_side) {
  const Measured ref = run(g);
  BOOST_TEST(ref.frame.side == expected_side);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    BOOST_TEST_CONTEXT("rigid motion + shuffle, seed " << seed) {
      const Measured m = run(shuffled(foot::transformed(g, random_rigid(seed)), seed));
      BOOST_TEST(m.frame.side == expected_side);
      expect_same(m.result.measurements, ref.result.measurements, 0.5);
    }
  }
  BOOST_TEST_CONTEXT("mirror image") {
    const Measured m = run(foot::transformed(mirrored(g), random_rigid(9)));
    BOOST_TEST(m.frame.side != expected_side);
    expect_same(m.result.measurements, ref.result.measurements, 0.5);
  }
}

void check_units(const Geometry& g) {
  TempDir d;
  const Measured ref = run(g);
  for (auto u : {load::Unit::m, load::Unit::inch, load::Unit::mm}) {
    std::vector<Eigen::Vector3d> v = g.vertices;
    for (auto& p : v) p /= load::mm_per_unit(u);
    write_ascii_ply(d / "f.ply", v, g.faces);
    const auto loaded = load::load_geometry(d / "f.ply");
    BOOST_TEST(loaded.unit == u);
    BOOST_TEST_CONTEXT("written in " << load::unit_name(u)) {
      expect_same(run(loaded.geometry).result.measurements, ref.result.measurements, 0.5);
    }
  }
}

BOOST_AUTO_TEST_CASE(synthetic_right_foot) {
  const Geometry g = synth::make_foot();
  check_invariance(g, foot::Side::right);
  check_units(g);
}

BOOST_AUTO_TEST_CASE(synthetic_left_foot_is_detected_and_mirrored) {
  const Measured r = run(synth::make_foot());
  const Measured l = run(synth::mirror_y(synth::make_foot()));
  BOOST_TEST(l.frame.side == foot::Side::left);
  const double det = l.frame.to_foot_frame.block(0, 0, 3, 3).determinant();
  BOOST_TEST(det < 0);
  expect_same(l.result.measurements, r.result.measurements, 0.5);
}

BOOST_AUTO_TEST_CASE(real_dupontgu_right) { check_invariance(load_mm("scans/dupontgu-right.stl"), foot::Side::right); }
BOOST_AUTO_TEST_CASE(real_dupontgu_left) { check_invariance(load_mm("scans/dupontgu-left.stl"), foot::Side::left); }
BOOST_AUTO_TEST_CASE(real_find_template) {
  const Geometry g = load_mm("scans/find-template.obj");
  check_invariance(g, run(g).frame.side);
  check_units(g);
}

BOOST_AUTO_TEST_SUITE_END()
