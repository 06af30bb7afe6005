// `fitcheck info` on the bundled samples: exit 0, the documented JSON keys, and the human text.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace fitcheck::test;

BOOST_AUTO_TEST_CASE(bundled_samples_info_json) {
  struct Case {
    const char* file;
    const char* units;
    double length_mm;
  };
  for (const Case c : {Case{"scans/foot-right.ply", "mm", 265.0}, Case{"scans/foot-left.obj", "m", 265.0},
                       Case{"lasts/last-fit.stl", "mm", 277.0}, Case{"lasts/last-narrow.ply", "mm", 277.0}}) {
    const CliRun r = run_cli("info --json " + quote(source_dir() / c.file));
    BOOST_TEST_INFO(c.file << ": " << r.err);
    BOOST_REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    BOOST_TEST(j["units"] == c.units);
    BOOST_TEST(j["kind"] == "mesh");
    BOOST_TEST(j["closed"].get<bool>());
    BOOST_TEST(j["manifold"].get<bool>());
    BOOST_TEST(j["holes"].get<int>() == 0);
    BOOST_TEST(std::abs(j["bbox_mm"][0].get<double>() - c.length_mm) < 0.01);
    BOOST_TEST(std::filesystem::file_size(source_dir() / c.file) < 2'000'000u);  // samples stay small
  }
}

BOOST_AUTO_TEST_CASE(human_output_names_unit_and_reason) {
  const CliRun r = run_cli("info " + quote(source_dir() / "scans/foot-left.obj"));
  BOOST_REQUIRE(r.exit_code == 0);
  BOOST_TEST(r.out.find("units     m:") != std::string::npos);
  BOOST_TEST(r.out.find("closed, manifold, 0 hole(s)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(forced_units_override_detection) {
  // The right foot is in mm; forcing cm makes it 2.65 m long: refused, not silently rescaled.
  const CliRun r = run_cli("info --units cm " + quote(source_dir() / "scans/foot-right.ply"));
  BOOST_TEST(r.exit_code == 4);
  BOOST_TEST(r.err.find("--units cm") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(faces_without_area_are_counted_and_warned) {
  // A foot whose faces all repeat a corner ("f 1 1 1"): no surface at all, so neither closed nor silent about it.
  TempDir d;
  {
    std::ofstream obj(d / "flat.obj");
    // 125 points on a 265 x 100 x 80 mm grid (foot-sized, so units and point count pass), one face on each.
    for (int i = 0; i < 5; ++i)
      for (int k = 0; k < 5; ++k)
        for (int m = 0; m < 5; ++m) obj << "v " << 66.25 * i << " " << 25 * k << " " << 20 * m << "\n";
    for (int v = 1; v <= 125; ++v) obj << "f " << v << " " << v << " " << v << "\n";
  }
  const CliRun r = run_cli("info --json " + quote(d / "flat.obj"));
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(!j["closed"].get<bool>());
  BOOST_TEST(j["degenerate_faces"].get<int>() == 125);
  BOOST_TEST(j["warnings"].dump().find("repeat a corner") != std::string::npos);
}
