// `fitcheck info --json` on every real scan and last in ../shared/data: the unit its README states, and bounding
// boxes in mm consistent with the lengths it states (tolerances say how well the README pins each one down).
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "test_util.hpp"

using namespace fitcheck::test;

namespace {

nlohmann::json info(const std::string& rel) {
  const auto path = shared_data(rel);
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(path), path << " is missing: tests read ../shared/data");
  const CliRun r = run_cli("info --json " + quote(path));
  BOOST_TEST_INFO(r.err);
  BOOST_REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

[[maybe_unused]] double longest_horizontal(const nlohmann::json& j, int up_axis) {
  double m = 0;
  for (int k = 0; k < 3; ++k)
    if (k != up_axis) m = std::max(m, j["bbox_mm"][k].get<double>());
  return m;
}

void common_keys(const nlohmann::json& j) {
  for (const char* k : {"format", "kind", "vertices", "faces", "units", "units_reason", "bbox_mm", "closed", "holes"})
    BOOST_TEST(j.contains(k), "key " << k);
}

}  // namespace

BOOST_AUTO_TEST_CASE(dupontgu_feet_are_metres_275mm) {
  for (const char* f : {"scans/dupontgu-left.stl", "scans/dupontgu-right.stl"}) {
    const auto j = info(f);
    common_keys(j);
    BOOST_TEST(j["units"] == "m");
    BOOST_TEST(j["kind"] == "mesh");
    BOOST_TEST(j["format"] == "stl-binary");
    // README: foot length about 275 mm, z up, cut ~10 cm above the floor.
    BOOST_TEST(std::abs(longest_horizontal(j, 2) - 275.0) < 8.0);
    BOOST_TEST(std::abs(j["bbox_mm"][2].get<double>() - 100.0) < 10.0);
    BOOST_TEST(j["faces"].get<int>() > 12000);
    BOOST_TEST(j["closed"].get<bool>());
    BOOST_TEST(j["holes"].get<int>() == 0);
  }
}

BOOST_AUTO_TEST_CASE(find_template_is_metres_with_leg) {
  const auto j = info("scans/find-template.obj");
  common_keys(j);
  BOOST_TEST(j["units"] == "m");
  // Every 'v' line is kept in file order (keypoints.csv indexes them), including ones no face uses.
  std::ifstream obj(shared_data("scans/find-template.obj"));
  std::size_t v_lines = 0;
  for (std::string line; std::getline(obj, line);) v_lines += line.rfind("v ", 0) == 0;
  BOOST_TEST(v_lines > 44000u);
  BOOST_TEST(j["vertices"].get<std::size_t>() == v_lines);
  // README: foot length 255-258 mm; the axis-aligned box is a little longer as the foot sits at an angle. (The
  // README says y up; measured, the long leg-ward extent is z, 150 mm, and y is the 96 mm foot breadth.)
  std::vector<double> e = j["bbox_mm"].get<std::vector<double>>();
  std::sort(e.begin(), e.end());
  BOOST_TEST(e[2] > 250.0);
  BOOST_TEST(e[2] < 270.0);
  BOOST_TEST(e[1] > 120.0);  // includes ankle and lower leg
  BOOST_TEST(e[0] > 85.0);
  BOOST_TEST(e[0] < 110.0);
}

BOOST_AUTO_TEST_CASE(openshoedesigner_lasts_are_metres_245mm) {
  for (const char* f : {"lasts/openshoedesigner-default.stl", "lasts/openshoedesigner-warped.stl"}) {
    const auto j = info(f);
    common_keys(j);
    BOOST_TEST(j["units"] == "m");
    BOOST_TEST(std::abs(j["bbox_mm"][0].get<double>() - 245.0) < 3.0);
    BOOST_TEST(j["closed"].get<bool>());
  }
}

BOOST_AUTO_TEST_CASE(freecad_last_is_mm_points_with_stated_box) {
  const auto j = info("lasts/freecad-scanned-last.asc");
  common_keys(j);
  BOOST_TEST(j["units"] == "mm");
  BOOST_TEST(j["kind"] == "points");
  BOOST_TEST(j["vertices"].get<int>() == 42628);
  // README: 258.6 x 92.7 x 112.9 mm.
  BOOST_TEST(std::abs(j["bbox_mm"][0].get<double>() - 258.6) < 0.5);
  BOOST_TEST(std::abs(j["bbox_mm"][1].get<double>() - 92.7) < 0.5);
  BOOST_TEST(std::abs(j["bbox_mm"][2].get<double>() - 112.9) < 0.5);
}
