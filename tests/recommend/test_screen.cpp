// The recommendations' coarse screen (recommend::Options::screen_vertices): the changes are simulated on a coarse copy
// of the foot and the lasts first, and only the best few in full. Shown here on the sample foot (10k vertices, so the
// screen runs on a ~3k copy) in the last narrow in the forefoot: the screen's recommendations are the exhaustive
// run's best ones with the same figures (both from full simulations), at a fraction of the full simulations.
#include <boost/test/unit_test.hpp>
#include <map>

#include "load/load.hpp"
#include "recommend/recommend.hpp"
#include "test_util.hpp"

using namespace fitcheck;

namespace {

struct Narrow {
  measure::ScanResult scan = measure::measure_scan(load::load_geometry(test::source_dir() / "scans/foot-right.ply").geometry);
  last::Last last = last::prepare_last(load::load_geometry(test::source_dir() / "lasts/last-narrow.ply").geometry);
  check::Options options;
  check::Result base = check::run(scan, &last, options);
  recommend::Result run(std::size_t screen_vertices) const {
    recommend::Input in;
    in.scan = &scan;
    in.scan_path = "scan.ply";
    in.last = &last;
    in.base.last_path = "last.ply";
    in.base.run_minutes = options.run_minutes;
    in.options = options;
    in.baseline = &base;
    recommend::Options ro;
    ro.screen_vertices = screen_vertices;
    return recommend::recommend(in, ro);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_coarse_screen_finds_the_exhaustive_runs_best_changes) {
  const Narrow n;
  BOOST_TEST_REQUIRE(n.base.foot.vertices.size() > 2 * recommend::Options{}.screen_vertices);
  const recommend::Result all = n.run(0), screened = n.run(recommend::Options{}.screen_vertices);
  BOOST_TEST(all.coarse_foot_vertices == 0u);
  BOOST_TEST(all.coarse_simulated == 0);
  BOOST_TEST(screened.coarse_foot_vertices > 0u);
  BOOST_TEST(screened.coarse_foot_vertices < n.base.foot.vertices.size() / 2);
  BOOST_TEST(screened.coarse_simulated == all.candidates);
  BOOST_TEST(screened.candidates <= static_cast<int>(recommend::Options{}.full_shortlist));
  BOOST_TEST(screened.considered == all.considered);
  BOOST_TEST(screened.coarse_screened_out == all.candidates - screened.candidates);
  BOOST_TEST_REQUIRE(!all.recommendations.empty());
  BOOST_TEST_REQUIRE(!screened.recommendations.empty());
  // The same best change, with the same (full) figures.
  BOOST_TEST(screened.recommendations.front().change == all.recommendations.front().change);
  // Every recommendation of the screened run is one the exhaustive run accepted, with the same after-values.
  std::map<std::string, const recommend::Recommendation*> accepted;
  for (const auto& r : all.recommendations) accepted[r.change] = &r;
  for (const auto& r : screened.recommendations) {
    BOOST_TEST_CONTEXT(r.change) {
      BOOST_TEST_MESSAGE(r.change << ": " << r.after.peak_mmhg << " mmHg, " << r.after.risk);
      const auto it = accepted.find(r.change);
      BOOST_TEST_REQUIRE((it != accepted.end()));
      BOOST_TEST(r.after.peak_mmhg == it->second->after.peak_mmhg);
      BOOST_TEST(r.after.risk == it->second->after.risk);
    }
  }
  // The changes left out are listed with their coarse estimate and how to turn the screen off.
  int listed = 0;
  for (const auto& r : screened.rejected)
    if (r.reason.rfind("not simulated in full (coarse screen", 0) == 0) {
      ++listed;
      BOOST_TEST(r.reason.find("coarse estimate: risk") != std::string::npos);
      BOOST_TEST(r.reason.find("--screen-vertices 0") != std::string::npos);
    }
  BOOST_TEST(listed == screened.coarse_screened_out);
}

BOOST_AUTO_TEST_CASE(screen_options_out_of_range_are_usage_errors) {
  recommend::Options o;
  o.screen_vertices = 200;
  BOOST_CHECK_THROW(o.validate(), Error);
  o.screen_vertices = 0;
  o.validate();
  o.full_shortlist = 0;
  BOOST_CHECK_THROW(o.validate(), Error);
}
