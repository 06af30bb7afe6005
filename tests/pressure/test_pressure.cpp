// Pressure assembly on analytic shapes: the upper membrane on a cylinder foot inside a thinner cylinder last gives
// k x e / R (P6: a cylinder in a stretched tube), and a sock band on a cylinder gives the band law T / (R + t/2).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numbers>

#include "contact/contact.hpp"
#include "last/last.hpp"
#include "place/place.hpp"
#include "pressure/pressure.hpp"
#include "save/save.hpp"
#include "sock/sock.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;

namespace {

/// A cylinder along x standing on z = 0 (axis at height r).
Geometry cylinder(double r, double l) { return closed_cylinder(r, l, 96, 61, r); }

}  // namespace

BOOST_AUTO_TEST_CASE(upper_membrane_on_a_cylinder_in_a_tube) {
  const double R = 40, Rl = 38, Lf = 250;
  const Geometry foot = cylinder(R, Lf);
  last::Last L;
  L.mesh = cylinder(Rl, 270);
  for (auto& p : L.mesh.vertices) p.z() += R - Rl;  // same axis as the foot
  L.measurements.stick_length_mm = 270;
  const place::SignedDistance sd(L.mesh);
  const std::vector<double> clearance = sd.query(foot.vertices);
  pressure::ShoeInput in;
  in.foot_in_last = &foot;
  in.foot_in_foot_frame = &foot;
  in.clearance_mm = &clearance;
  in.foot_length_mm = Lf;
  in.last = &L;
  const pressure::Options o;
  const pressure::Field f = pressure::shoe_pressure(in, o);
  // Lace zone (35-55 % of the foot), away from the sole: N = k e, p = N / R.
  const double e = (R - Rl) / Rl;  // girth strain of the upper
  const double expect = o.lace_zone_stiffness_n_per_mm * e / R * 1000;
  const auto nrm = save::vertex_normals(foot);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < foot.vertices.size(); ++i) {
    const auto& p = foot.vertices[i];
    if (p.x() < 0.35 * Lf || p.x() > 0.55 * Lf || nrm[i].z() < -0.3) continue;
    ++checked;
    BOOST_TEST_REQUIRE(std::abs(f.membrane_kpa[i] - expect) <= 0.02 * expect, f.membrane_kpa[i] << " vs " << expect);
    BOOST_TEST_REQUIRE(f.total_kpa[i] == f.membrane_kpa[i]);  // no laces, no stiff part there
  }
  BOOST_TEST(checked > 500u);
  // Vamp (ahead of 60 %): its own stiffness.
  for (std::size_t i = 0; i < foot.vertices.size(); ++i) {
    const auto& p = foot.vertices[i];
    if (p.x() < 0.65 * Lf || p.x() > 0.85 * Lf || nrm[i].z() < -0.3) continue;
    const double vamp = o.vamp_stiffness_n_per_mm * e / R * 1000;
    BOOST_TEST_REQUIRE(std::abs(f.membrane_kpa[i] - vamp) <= 0.02 * vamp);
  }
  // A looser upper (a wider last) presses nothing.
  last::Last wide = L;
  wide.mesh = cylinder(45, 270);
  for (auto& p : wide.mesh.vertices) p.z() += R - 45;
  const place::SignedDistance sd2(wide.mesh);
  const std::vector<double> c2 = sd2.query(foot.vertices);
  in.last = &wide;
  in.clearance_mm = &c2;
  const pressure::Field g = pressure::shoe_pressure(in, o);
  for (double v : g.total_kpa) BOOST_TEST_REQUIRE(v == 0.0);
}

BOOST_AUTO_TEST_CASE(sock_band_on_a_cylinder) {
  const double R = 40, Lf = 250;
  const Geometry foot = cylinder(R, Lf);
  sock::SockSpec s;
  s.foot = {{0, 200}, {100, 200}};
  s.fabric_modulus_n_per_mm = 0.25;
  s.thickness_mm = 1.0;
  pressure::Field f;
  pressure::add_sock_pressure(f, foot, Lf, s);
  const double girth = 2 * std::numbers::pi * R;
  const double expect = contact::band_pressure_kpa({200, 0.25, 1.0}, girth, R);
  const auto nrm = save::vertex_normals(foot);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < foot.vertices.size(); ++i) {
    const auto& p = foot.vertices[i];
    if (p.x() < 0.1 * Lf || p.x() > 0.9 * Lf) continue;
    if (nrm[i].z() < -0.3 && p.z() < 8) {
      BOOST_TEST_REQUIRE(f.sock_kpa[i] == 0.0);  // plantar: not modelled
      continue;
    }
    ++checked;
    BOOST_TEST_REQUIRE(std::abs(f.sock_kpa[i] - expect) <= 0.01 * expect, f.sock_kpa[i] << " vs " << expect);
    BOOST_TEST_REQUIRE(f.total_kpa[i] == f.sock_kpa[i]);
  }
  BOOST_TEST(checked > 500u);
  // An ankle sock (no leg profile) ends at 35 % of the length high: a taller "leg" above it gets nothing.
  const Geometry tall = cylinder(150, Lf);  // top at 300 mm
  pressure::Field t;
  s.foot = {{0, 600}, {100, 600}};
  pressure::add_sock_pressure(t, tall, Lf, s);
  for (std::size_t i = 0; i < tall.vertices.size(); ++i)
    if (tall.vertices[i].z() > sock::kFootCutHeightFraction * Lf) BOOST_TEST_REQUIRE(t.sock_kpa[i] == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_inputs) {
  pressure::Options o;
  o.min_radius_mm = 0;
  BOOST_CHECK_THROW(o.validate(), Error);
  pressure::ShoeInput in;  // empty
  try {
    pressure::shoe_pressure(in);
    BOOST_FAIL("empty input accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::internal);
  }
  pressure::Field f;
  sock::SockSpec s;
  s.foot = {{0, 200}, {100, 200}};
  try {
    pressure::add_sock_pressure(f, cylinder(40, 250), 0.0, s);
    BOOST_FAIL("zero foot length accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
  }
}
