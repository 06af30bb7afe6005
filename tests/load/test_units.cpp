// Unit detection: the same object written in m, cm, mm and inch loads to the same millimetre geometry; forced
// units are honoured; sizes no unit makes plausible are refused with invalid_input.
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "load/load.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(same_foot_in_four_units_loads_identically) {
  TempDir d;
  synth::FootShape s;
  s.rings = 30;
  s.ring_points = 20;
  const Geometry foot = synth::make_foot(s);
  const BoundingBox ref = bounding_box(foot.vertices);
  for (auto u : {load::Unit::m, load::Unit::cm, load::Unit::mm, load::Unit::inch}) {
    std::vector<Eigen::Vector3d> v = foot.vertices;
    for (auto& p : v) p /= load::mm_per_unit(u);
    const auto path = d / (std::string("foot_") + load::unit_name(u) + ".xyz");
    write_xyz(path, v);
    const auto r = load::load_geometry(path);
    BOOST_TEST_INFO("written in " << load::unit_name(u) << ": " << r.units_reason);
    BOOST_TEST(r.unit == u);
    BOOST_TEST(!r.units_reason.empty());
    const BoundingBox b = bounding_box(r.geometry.vertices);
    for (int k = 0; k < 3; ++k) BOOST_TEST(std::abs(b.extent()[k] - ref.extent()[k]) < 1e-3);
  }
}

BOOST_AUTO_TEST_CASE(choose_unit_picks_the_closest_plausible) {
  const load::Options o;
  BOOST_TEST(load::choose_unit(0.27, o, "f").unit == load::Unit::m);
  BOOST_TEST(load::choose_unit(27.0, o, "f").unit == load::Unit::cm);
  BOOST_TEST(load::choose_unit(270.0, o, "f").unit == load::Unit::mm);
  BOOST_TEST(load::choose_unit(10.6, o, "f").unit == load::Unit::inch);  // 269 mm; as cm only 106 mm
  // 12 units: 120 mm as cm or 305 mm as inch, both within 100-400 mm: the guess says it is ambiguous.
  const auto amb = load::choose_unit(12.0, o, "f");
  BOOST_TEST(amb.unit == load::Unit::inch);
  BOOST_TEST(amb.ambiguous);
  BOOST_TEST(amb.reason.find("cm") != std::string::npos);
  BOOST_TEST(!load::choose_unit(270.0, o, "f").ambiguous);
}

BOOST_AUTO_TEST_CASE(forced_unit_is_used_and_checked) {
  load::Options o;
  o.units = load::Unit::cm;
  const auto c = load::choose_unit(27.0, o, "f");
  BOOST_TEST(c.unit == load::Unit::cm);
  BOOST_TEST(c.length_mm == 270.0, tt::tolerance(1e-12));
  BOOST_TEST(c.reason.find("given by the user") != std::string::npos);
  try {
    load::choose_unit(270.0, o, "foot.ply");  // 2.7 m
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
    BOOST_TEST(std::string(e.what()).find("foot.ply") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(implausible_sizes_are_refused) {
  const load::Options o;
  for (double len : {1e-5, 1e7, 0.0}) {
    try {
      load::choose_unit(len, o, "x.xyz");
      BOOST_FAIL("expected an error for length " << len);
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::invalid_input);
    }
  }
}

BOOST_AUTO_TEST_CASE(parse_unit_names) {
  BOOST_TEST(load::parse_unit("M") == load::Unit::m);
  BOOST_TEST(load::parse_unit("metres") == load::Unit::m);
  BOOST_TEST(load::parse_unit("in") == load::Unit::inch);
  BOOST_TEST(load::parse_unit("mm") == load::Unit::mm);
  BOOST_CHECK_THROW(load::parse_unit("ft"), Error);
}

BOOST_AUTO_TEST_CASE(bad_options_are_usage_errors) {
  load::Options o;
  o.max_file_mb = -1;
  try {
    o.validate();
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::usage);
    BOOST_TEST(std::string(e.what()).find("max_file_mb") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(coordinates_beyond_1e7_are_refused_by_name) {
  // One vertex at 1e38 swamped the spread check, which called a foot "all points on one line".
  TempDir d;
  std::vector<Eigen::Vector3d> v = sample_foot().vertices;
  v[17].x() = 1e38;
  write_xyz(d / "spike.xyz", v);
  try {
    load::load_geometry(d / "spike.xyz");
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
    BOOST_TEST(std::string(e.what()).find("vertex 17 (1e+38, ") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("beyond +-1e7") != std::string::npos, e.what());
  }
  // Just inside the bound, a whole object that large is still judged by its size.
  std::vector<Eigen::Vector3d> large = sample_foot().vertices;
  for (auto& p : large) p = (p - sample_foot().vertices[0]) * (9e6 / 300);  // the foot is under 300 long
  write_xyz(d / "large.xyz", large);
  try {
    load::load_geometry(d / "large.xyz");
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("none within the plausible") != std::string::npos, e.what());
  }
}
