// The recommendations' coarse screen (recommend::Options::screen_vertices): the changes are simulated on a coarse copy
// of the foot and the lasts first, and only the best few in full. Shown here on the sample foot (10k vertices, so the
// screen runs on a ~3k copy) in the last narrow in the forefoot: the screen's recommendations are the exhaustive
// run's best ones, in order, with the same figures (both from full simulations), at a fraction of the full
// simulations. The screen is off by default; 3000 is the value measured in the README.
#include <boost/test/unit_test.hpp>

#include "load/load.hpp"
#include "recommend/recommend.hpp"
#include "recommend_test_util.hpp"
#include "test_util.hpp"

using namespace fitcheck;

namespace {

constexpr std::size_t kScreen = 3000;

struct Narrow {
  measure::ScanResult scan = measure::measure_scan(load::load_geometry(test::source_dir() / "scans/foot-right.ply").geometry);
  last::Last last = last::prepare_last(load::load_geometry(test::source_dir() / "lasts/last-narrow.ply").geometry);
  check::Options options;
  check::Result base = check::run(scan, &last, options);
  recommend::Result run(std::size_t screen_vertices) const {
    recommend::Options ro;
    ro.screen_vertices = screen_vertices;
    return recommend::recommend(test::recommend_input(scan, last, options, base), ro);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_coarse_screen_finds_the_exhaustive_runs_best_changes) {
  const Narrow n;
  BOOST_TEST(recommend::Options{}.screen_vertices == 0u);  // off unless asked for
  BOOST_TEST_REQUIRE(n.base.foot.vertices.size() > 2 * kScreen);
  const recommend::Result all = n.run(0), screened = n.run(kScreen);
  BOOST_TEST(all.coarse_foot_vertices == 0u);
  BOOST_TEST(all.coarse_simulated == 0);
  BOOST_TEST(screened.coarse_foot_vertices > 0u);
  BOOST_TEST(screened.coarse_foot_vertices < n.base.foot.vertices.size() / 2);
  BOOST_TEST(screened.coarse_simulated == all.candidates);
  BOOST_TEST(screened.candidates <= static_cast<int>(recommend::Options{}.full_shortlist));
  BOOST_TEST(screened.coarse_screened_out == all.candidates - screened.candidates);
  BOOST_TEST_REQUIRE(!all.recommendations.empty());
  BOOST_TEST_REQUIRE(!screened.recommendations.empty());
  // The screened run's recommendations are the exhaustive run's best ones, in the same order, with the same (full)
  // figures.
  BOOST_TEST(screened.recommendations.size() <= all.recommendations.size());
  for (std::size_t i = 0; i < screened.recommendations.size() && i < all.recommendations.size(); ++i) {
    const auto &r = screened.recommendations[i], &a = all.recommendations[i];
    BOOST_TEST_CONTEXT("rank " << i + 1 << ": " << r.change << " / " << a.change) {
      BOOST_TEST_MESSAGE(r.change << ": " << r.after.peak_mmhg << " mmHg, " << r.after.risk);
      BOOST_TEST(r.change == a.change);
      BOOST_TEST(r.after.peak_mmhg == a.after.peak_mmhg);
      BOOST_TEST(r.after.risk == a.after.risk);
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
