// Pressure laws of the contact model against their analytic cases (issue #5 asks each within 2 %): a cylinder in a
// stretched tube (p = N / R), a sphere under isotropic tension (p = 2 N / R), a flat punch (p = k x delta), a sock
// band on a cylinder against the hosiery formula (P6), and the bundled class I sock on an average ankle (C1).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <functional>
#include <numbers>

#include "contact/contact.hpp"
#include "place/place.hpp"
#include "sock/sock.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;

BOOST_AUTO_TEST_CASE(cylinder_in_a_stretched_tube) {
  const double R = 40, K = 0.3;
  const double c0 = 0.8 * 2 * std::numbers::pi * R;  // the tube is 20 % smaller than the cylinder
  const double N = K * (2 * std::numbers::pi * R - c0) / c0;
  const double expect = N / R * 1000;  // kPa
  // closed form of the band law (no thickness)
  BOOST_TEST(std::abs(contact::band_pressure_kpa({c0, K, 0.0}, 2 * std::numbers::pi * R, R) - expect) <= 1e-9 * expect);
  // per-vertex membrane pressure on a meshed cylinder, away from the caps
  const Geometry g = closed_cylinder(R, 200, 128, 41, 0.0);
  BOOST_TEST_REQUIRE(analyze_topology(g).closed);
  const auto p = contact::membrane_pressure_kpa(g, std::vector<double>(g.vertices.size(), N));
  std::size_t checked = 0;
  for (std::size_t i = 0; i < g.vertices.size(); ++i)
    if (g.vertices[i].x() > 30 && g.vertices[i].x() < 170) {
      ++checked;
      BOOST_TEST_REQUIRE(std::abs(p[i] - expect) <= 0.02 * expect, "vertex " << i << ": " << p[i] << " vs " << expect);
    }
  BOOST_TEST(checked > 1000u);
}

BOOST_AUTO_TEST_CASE(sphere_under_isotropic_tension) {
  const double R = 50, N = 0.1;
  const Geometry g = synth::make_uv_sphere(R, 64, 128);
  const auto p = contact::membrane_pressure_kpa(g, std::vector<double>(g.vertices.size(), N));
  const double expect = 2 * N / R * 1000;
  std::size_t checked = 0;
  for (std::size_t i = 0; i < g.vertices.size(); ++i)
    if (std::abs(g.vertices[i].z()) < 0.8 * R) {  // away from the poles' fans
      ++checked;
      BOOST_TEST_REQUIRE(std::abs(p[i] - expect) <= 0.02 * expect, p[i] << " vs " << expect);
    }
  BOOST_TEST(checked > 1000u);
  // a membrane does not pull into a concave surface: the inside-out sphere has no pressure
  Geometry inv = g;
  for (auto& f : inv.faces) std::swap(f[1], f[2]);
  const auto q = contact::membrane_pressure_kpa(inv, std::vector<double>(inv.vertices.size(), N));
  for (double v : q) BOOST_TEST_REQUIRE(v == 0.0);
}

// The curvature a membrane wraps, averaged over a few mm: a sphere's stays 1/R; ripples of +-0.2 mm laid on it (a
// scanner's noise, Poisson's ripples) raise the raw mean curvature up to several times 1/R and the average cancels
// them.
BOOST_AUTO_TEST_CASE(smoothed_curvature_keeps_a_sphere_and_drops_ripples) {
  const double R = 50;
  const Geometry g = synth::make_uv_sphere(R, 64, 128);
  Geometry rough = g;
  for (std::size_t i = 0; i < rough.vertices.size(); ++i)  // a checkerboard of bumps, one vertex apart
    rough.vertices[i] *= 1.0 + ((i % 2) ? 0.2 : -0.2) / R;
  auto band = [&](const std::vector<double>& h, double& lo, double& hi) {
    lo = 1e9, hi = -1e9;
    for (std::size_t i = 0; i < h.size(); ++i)
      if (std::abs(g.vertices[i].z()) < 0.6 * R) lo = std::min(lo, h[i]), hi = std::max(hi, h[i]);
  };
  double lo = 0, hi = 0;
  band(contact::mean_curvature(rough), lo, hi);
  BOOST_TEST_MESSAGE("rippled sphere, raw: " << lo << " .. " << hi << " 1/mm (1/R = " << 1 / R << ")");
  BOOST_TEST_REQUIRE(hi > 2.0 / R);  // the ripples read as curvature
  band(contact::smoothed_over(rough, contact::mean_curvature(rough), 5.0), lo, hi);
  BOOST_TEST_MESSAGE("rippled sphere, over 5 mm: " << lo << " .. " << hi << " 1/mm");
  BOOST_TEST(lo >= 0.8 / R);
  BOOST_TEST(hi <= 1.2 / R);
  band(contact::smoothed_over(g, contact::mean_curvature(g), 5.0), lo, hi);
  BOOST_TEST(lo >= 0.98 / R);
  BOOST_TEST(hi <= 1.02 / R);
  const std::vector<double> h = contact::mean_curvature(g);
  BOOST_TEST((contact::smoothed_over(g, h, 0.0) == h));  // 0: unchanged
  BOOST_CHECK_THROW(contact::smoothed_over(g, h, -1.0), Error);
  BOOST_CHECK_THROW(contact::smoothed_over(g, h, std::nan("")), Error);
  BOOST_CHECK_THROW(contact::smoothed_over(g, std::vector<double>(3, 0.0), 5.0), Error);
}

BOOST_AUTO_TEST_CASE(flat_punch) {
  // A box "foot" whose sole pokes delta = 2 mm through the flat bottom of a box "last": the clearance there is -2 mm
  // (place::SignedDistance) and the Winkler pressure k x 2.
  const Geometry last_box = synth::make_box(Eigen::Vector3d(100, 60, 50));
  Geometry foot_box = synth::make_box(Eigen::Vector3d(80, 40, 32));
  for (auto& p : foot_box.vertices) p += Eigen::Vector3d(10, 10, -2);
  const place::SignedDistance sd(last_box);
  const auto clearance = sd.query(foot_box.vertices);
  const contact::Foundation f;  // 5 mm tissue at 200 kPa, 3 mm lining at 300 kPa
  const double k = contact::winkler_stiffness_kpa_per_mm(f);
  BOOST_TEST(std::abs(k - 1.0 / (5.0 / 200.0 + 3.0 / 300.0)) <= 1e-12);
  std::size_t sole = 0;
  for (std::size_t i = 0; i < foot_box.vertices.size(); ++i) {
    const double p = contact::winkler_kpa(-clearance[i], f);
    if (foot_box.vertices[i].z() < 0) {
      ++sole;
      BOOST_TEST(std::abs(clearance[i] + 2.0) <= 1e-9);
      BOOST_TEST(std::abs(p - 2.0 * k) <= 0.02 * 2.0 * k);
    } else {
      BOOST_TEST(p == 0.0);  // inside the last: no contact
    }
  }
  BOOST_TEST(sole == 4u);
  // a stiff toe puff (lining 5000 kPa) presses harder for the same interference
  contact::Foundation puff = f;
  puff.lining_modulus_kpa = 5000;
  BOOST_TEST(contact::winkler_kpa(2.0, puff) > contact::winkler_kpa(2.0, f));
  // The law ends where a layer is fully compressed (its strain p / E reaches 1): the heel counter's soft lining
  // (6 mm, 50 kPa) under 10 mm of heel pad (200 kPa) at 50 kPa x (10/200 + 6/50) mm/kPa = 8.5 mm, the lining first; the
  // tissue under a stiff toe puff at just over its own 5 mm.
  const contact::Foundation counter{10.0, 200.0, 6.0, 50.0};
  const double counter_end = contact::fully_compressed_mm(counter);
  BOOST_TEST(counter_end == 50.0 * (10.0 / 200.0 + 6.0 / 50.0), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(contact::winkler_kpa(counter_end, counter) == 50.0, boost::test_tools::tolerance(1e-12));
  const contact::Foundation toe_puff{5.0, 200.0, 2.0, 5000.0};
  const double toe_end = contact::fully_compressed_mm(toe_puff);
  BOOST_TEST((toe_end > 5.0 && toe_end < 5.2), toe_end);
  BOOST_TEST(contact::winkler_kpa(toe_end, toe_puff) == 200.0, boost::test_tools::tolerance(1e-12));
  // No lining: a layer of no thickness is never "fully compressed" first, however soft its modulus says it is; the
  // tissue's own thickness ends the range (was 50/200 of it with a 50 kPa modulus on a 0 mm lining).
  const contact::Foundation bare{10.0, 200.0, 0.0, 50.0};
  BOOST_TEST(contact::fully_compressed_mm(bare) == 10.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(contact::winkler_kpa(contact::fully_compressed_mm(bare), bare) == 200.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(sock_band_on_a_cylinder_matches_the_hosiery_formula) {
  // P6: P[mmHg] = T[kgf] x n x 4620 / (C[cm] x W[cm]). A 1 cm wide band of the sock, one layer, on a 25 cm limb.
  for (double c_mm : {200.0, 250.0, 320.0}) {
    const contact::Band band{0.75 * c_mm, 0.25, 0.0};
    const double t_n_per_mm = contact::band_tension_n_per_mm(band, c_mm);
    const double width_mm = 10.0;
    const double tension_kgf = t_n_per_mm * width_mm / contact::kStandardGravity;
    const double hosiery = contact::hosiery_mmhg(tension_kgf, 1, c_mm / 10, width_mm / 10);
    const double laplace = contact::mmhg(contact::band_pressure_kpa(band, c_mm, c_mm / (2 * std::numbers::pi)));
    BOOST_TEST_INFO("C = " << c_mm << " mm: hosiery " << hosiery << ", Laplace " << laplace);
    BOOST_TEST(std::abs(hosiery - laplace) <= 0.02 * laplace);
  }
}

BOOST_AUTO_TEST_CASE(class_one_sock_on_an_average_ankle) {
  // Average ankle: median of ANSUR II's minimum ankle circumference over men and women together.
  std::vector<double> ankles;
  for (const char* f : {"anthropometry/ansur2-male-foot.csv", "anthropometry/ansur2-female-foot.csv"}) {
    std::ifstream in(shared_data(f));
    std::string line;
    std::getline(in, line);
    BOOST_TEST_REQUIRE(line.find("anklecircumference") != std::string::npos);
    while (std::getline(in, line)) {
      std::vector<std::string> c;
      std::stringstream ss(line);
      for (std::string x; std::getline(ss, x, ',');) c.push_back(x);
      ankles.push_back(std::stod(c[13]));  // anklecircumference
    }
  }
  std::sort(ankles.begin(), ankles.end());
  const double ankle = ankles[ankles.size() / 2];
  BOOST_TEST_MESSAGE("average ankle " << ankle << " mm");
  BOOST_TEST_REQUIRE(ankle > 190);
  BOOST_TEST_REQUIRE(ankle < 260);
  const sock::SockSpec s = sock::load_sock(source_dir() / "lasts" / "sock-class1.json");
  BOOST_TEST_REQUIRE((s.compression == sock::CompressionClass::ral_1));
  const auto relaxed = sock::relaxed_leg_circumference_at(s, 90.0);  // the narrow ankle band
  BOOST_TEST_REQUIRE(relaxed.has_value());
  const contact::Band band{*relaxed, s.fabric_modulus_n_per_mm, s.thickness_mm};
  const double p = contact::mmhg(contact::band_pressure_kpa(band, ankle, ankle / (2 * std::numbers::pi)));
  BOOST_TEST_MESSAGE("class I sock at the ankle: " << p << " mmHg");
  BOOST_TEST(p >= 18.0);
  BOOST_TEST(p <= 21.0);
  const auto range = sock::nominal_pressure_mmhg(s.compression);
  BOOST_TEST_REQUIRE(range.has_value());
  BOOST_TEST(p >= range->min_mmhg);
  BOOST_TEST(p <= range->max_mmhg);
  // the plain running sock is no compression sock: well below class I on the same ankle at its cuff
  const sock::SockSpec plain = sock::load_sock(source_dir() / "lasts" / "sock-running.json");
  const contact::Band cuff{*sock::relaxed_leg_circumference_at(plain, 90.0), plain.fabric_modulus_n_per_mm, plain.thickness_mm};
  BOOST_TEST(contact::mmhg(contact::band_pressure_kpa(cuff, ankle, ankle / (2 * std::numbers::pi))) < p);
}

BOOST_AUTO_TEST_CASE(capstan_and_units) {
  BOOST_TEST(std::abs(contact::capstan(10.0, 0.3, std::numbers::pi) - 10.0 * std::exp(-0.3 * std::numbers::pi)) <= 1e-12);
  BOOST_TEST(contact::capstan(10.0, 0.0, 2.0) == 10.0);
  BOOST_TEST(std::abs(contact::mmhg(0.133322) - 1.0) <= 1e-12);
  BOOST_TEST(std::abs(contact::kpa(30.0) - 4.0) <= 0.001);  // 30 mmHg = 4.0 kPa
  for (auto bad : {std::function<void()>([] { contact::capstan(-1, 0.3, 1); }),
                   std::function<void()>([] { contact::laplace_kpa(0.1, 0.0); }),
                   std::function<void()>([] { contact::band_pressure_kpa({0.0, 0.25, 1.0}, 200, 30); }),
                   std::function<void()>([] { contact::winkler_kpa(std::nan(""), contact::Foundation{}); }),
                   // an infinitely thick lining would make the foundation infinitely soft: refused, not 0 kPa
                   std::function<void()>([] { contact::winkler_kpa(1.0, contact::Foundation{5, 200, HUGE_VAL, 300}); })}) {
    try {
      bad();
      BOOST_FAIL("bad input accepted");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::usage);
    }
  }
}
