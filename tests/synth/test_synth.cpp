// The parametric foot is the project's sample generator: it must be a closed, outward-oriented manifold with the
// dimensions it was asked for, and the mirror must be a proper left foot.
#include <boost/test/unit_test.hpp>
#include <numbers>

#include "core/error.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;


BOOST_AUTO_TEST_CASE(foot_is_closed_oriented_manifold) {
  const Geometry foot = synth::make_foot();
  const Topology t = analyze_topology(foot);
  BOOST_TEST(t.closed);
  BOOST_TEST(t.manifold());
  BOOST_TEST(t.oriented);
  BOOST_TEST(t.degenerate_faces == 0u);
  BOOST_TEST(signed_volume(foot) > 0.0);
}

BOOST_AUTO_TEST_CASE(foot_has_requested_dimensions) {
  synth::FootShape s;
  s.length_mm = 250;
  s.ball_width_mm = 95;
  s.ankle_height_mm = 90;
  const Geometry foot = synth::make_foot(s);
  const BoundingBox b = bounding_box(foot.vertices);
  BOOST_TEST(b.min.x() == 0.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(b.extent().x() == 250.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(b.min.z() == 0.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(b.extent().z() == 90.0, boost::test_tools::tolerance(1e-6));
  // The widest breadth is the ball width; the toe shift adds no width at the ball station.
  BOOST_TEST(std::abs(b.extent().y() - 95.0) < 2.0);
  // Volume of an adult foot cut at the ankle: roughly 0.8-1.6 litres.
  BOOST_TEST(signed_volume(foot) > 800e3);
  BOOST_TEST(signed_volume(foot) < 1600e3);
}

BOOST_AUTO_TEST_CASE(mirror_keeps_orientation_and_volume) {
  const Geometry r = synth::make_foot();
  const Geometry l = synth::mirror_y(r);
  BOOST_TEST(analyze_topology(l).oriented);
  BOOST_TEST(signed_volume(l) == signed_volume(r), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(bounding_box(l.vertices).max.y() == -bounding_box(r.vertices).min.y(), boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(an_arch_lifts_the_medial_border_of_the_midfoot_only) {
  synth::FootShape s;
  s.arch_height_mm = 15;
  const Geometry flat = synth::make_foot();
  const Geometry arched = synth::make_foot(s);
  const Topology t = analyze_topology(arched);
  BOOST_TEST(t.closed);
  BOOST_TEST(t.manifold());
  BOOST_TEST(signed_volume(arched) > 0.0);
  BOOST_REQUIRE(arched.vertices.size() == flat.vertices.size());
  // Lowest point of each side's outer quarter at a station (+y medial), mm.
  auto lowest = [](const Geometry& g, double x, bool medial) {
    const auto ring = [&] {
      std::vector<Eigen::Vector3d> r;
      for (const auto& p : g.vertices)
        if (std::abs(p.x() - x) < 2.0) r.push_back(p);
      return r;
    }();
    double ylo = 1e300, yhi = -1e300, z = 1e300;
    for (const auto& p : ring) ylo = std::min(ylo, p.y()), yhi = std::max(yhi, p.y());
    for (const auto& p : ring)
      if (medial ? p.y() > yhi - (yhi - ylo) / 4 : p.y() < ylo + (yhi - ylo) / 4) z = std::min(z, p.z());
    return z;
  };
  const double L = s.length_mm;
  BOOST_TEST(lowest(arched, 0.45 * L, true) - lowest(flat, 0.45 * L, true) > 10.0);
  BOOST_TEST(std::abs(lowest(arched, 0.45 * L, false) - lowest(flat, 0.45 * L, false)) < 1e-9);
  for (double u : {0.1, 0.75, 0.9})
    BOOST_TEST(std::abs(lowest(arched, u * L, true) - lowest(flat, u * L, true)) < 1e-9);
  s.arch_height_mm = 31;
  BOOST_CHECK_THROW(synth::make_foot(s), Error);
}

BOOST_AUTO_TEST_CASE(sphere_and_box_volumes) {
  const Geometry s = synth::make_uv_sphere(40, 64, 128);
  const double exact = 4.0 / 3.0 * std::numbers::pi * 40 * 40 * 40;
  BOOST_TEST(signed_volume(s) == exact, boost::test_tools::tolerance(0.01));  // polyhedral under-estimate < 1 %
  BOOST_TEST(signed_volume(synth::make_box({2, 3, 4})) == 24.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_shape_parameters_are_usage_errors) {
  synth::FootShape s;
  s.length_mm = 5;
  try {
    synth::make_foot(s);
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(ErrorCode::usage));
    BOOST_TEST(std::string(e.what()).find("length_mm") != std::string::npos);
  }
}
