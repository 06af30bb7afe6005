// The recommendations' coarse screen (recommend::Options::screen_vertices): the changes are simulated on a coarse copy
// of the foot (in the lasts as they are) first, and only the best few in full. Shown here on the sample foot (10k
// vertices, so the screen runs on a ~3k copy) in the last narrow in the forefoot: the screen's recommendations are the
// exhaustive run's best ones, in order, with the same figures (both from full simulations), at a fraction of the full
// simulations. The screen is off by default; README Speed gives its measured speed and fidelity.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <utility>

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
  BOOST_TEST(screened.candidates < all.candidates / 2);  // the point of it: most changes are not simulated in full
  BOOST_TEST(screened.coarse_screened_out == all.candidates - screened.candidates);
  BOOST_TEST_REQUIRE(!all.recommendations.empty());
  BOOST_TEST_REQUIRE(!screened.recommendations.empty());
  // The screened run's recommendations are the exhaustive run's best ones, in the same order, with the same (full)
  // figures.
  // As many as the shortlist holds (the backfill fills it when the full step turns shortlisted changes down).
  BOOST_TEST(screened.recommendations.size() ==
             std::min<std::size_t>(recommend::Options{}.full_shortlist, all.recommendations.size()));
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

// A wide foot with a high instep in a last narrow in the forefoot, with a catalog of 13 lasts (forefoot x0.88-1.12):
// on a 2000-vertex copy the coarse judge accepts changes that the full simulation turns down (every one of the first
// four, then three of the next four), so the screen simulates more that the coarse step accepted until its list is
// full (backfill). Measured when it was added: the same four, in order, as the exhaustive run's first four.
BOOST_AUTO_TEST_CASE(the_backfill_fills_the_list_when_the_full_step_turns_shortlisted_changes_down) {
  synth::FootShape wide;
  wide.ball_width_mm = 108;
  wide.instep_height_mm = 78;
  const measure::ScanResult scan = measure::measure_scan(synth::make_foot(wide));
  const last::Last last = test::screen_last(0.9);
  std::vector<last::Last> cat;
  for (int k = 0; k < 13; ++k) cat.push_back(test::screen_last(0.88 + 0.24 * k / 12.0));
  check::Options options;
  options.run_minutes = 40;
  const check::Result base = check::run(scan, &last, options);
  const recommend::Input in = test::recommend_input(scan, last, options, base, cat);
  recommend::Options ro;
  ro.catalog_shortlist = 0;  // every catalog last to the coarse step
  const recommend::Result all = recommend::recommend(in, ro);
  ro.screen_vertices = 2000;
  const recommend::Result screened = recommend::recommend(in, ro);
  BOOST_TEST_REQUIRE(screened.coarse_foot_vertices > 0u);
  int backfills = 0;
  for (const auto& n : screened.notes) backfills += n.find("more that the coarse step accepted were simulated in full") != std::string::npos;
  BOOST_TEST(backfills >= 1);
  BOOST_TEST(screened.candidates > static_cast<int>(ro.full_shortlist));  // more than the shortlist simulated in full
  BOOST_TEST_REQUIRE(all.recommendations.size() >= ro.full_shortlist);
  BOOST_TEST_REQUIRE(screened.recommendations.size() == ro.full_shortlist);
  for (std::size_t i = 0; i < ro.full_shortlist; ++i) {
    BOOST_TEST_CONTEXT("rank " << i + 1) {
      BOOST_TEST(screened.recommendations[i].change == all.recommendations[i].change);
      BOOST_TEST(screened.recommendations[i].after.peak_mmhg == all.recommendations[i].after.peak_mmhg);
    }
  }
}

// The screen's other modes: with the runner's symptoms (changes ranked first by the pressure over the nerves they
// point to) and with the changes judged on the fit (calm nerves in a shoe far too long). In both the coarse judge
// ranks as the full one does, so the screened list starts with the exhaustive run's first recommendation, with the
// same figures, in the same mode.
BOOST_AUTO_TEST_CASE(with_symptoms_or_judged_on_the_fit_the_screen_keeps_the_first_recommendation) {
  // The exhaustive run and the run screened at `screen` vertices; the screen must have left changes out, so the
  // comparison means something.
  auto both = [](const recommend::Input& in, std::size_t screen) {
    recommend::Options ro;
    std::pair<recommend::Result, recommend::Result> r{recommend::recommend(in, ro), {}};
    ro.screen_vertices = screen;
    r.second = recommend::recommend(in, ro);
    BOOST_TEST_REQUIRE(r.second.coarse_screened_out > 0);
    BOOST_TEST_REQUIRE(!r.first.recommendations.empty());
    BOOST_TEST_REQUIRE(!r.second.recommendations.empty());
    return r;
  };
  {
    const Narrow n;
    recommend::Input in = test::recommend_input(n.scan, n.last, n.options, n.base);
    in.focus_nerves = {"interdigital_2nd_web", "interdigital_3rd_web"};  // symptoms "where=toes" (src/symptoms)
    const auto [all, screened] = both(in, kScreen);
    const auto &a = all.recommendations.front(), &s = screened.recommendations.front();
    BOOST_TEST_MESSAGE("symptoms: " << a.change << " / " << s.change << ", " << s.after.symptom_peak_mmhg << " mmHg over them");
    BOOST_TEST(s.change == a.change);
    // A recommendation's figures are the full simulation's, never the coarse estimate.
    BOOST_TEST(s.after.symptom_peak_mmhg == a.after.symptom_peak_mmhg);
    BOOST_TEST(s.after.symptom_peak_mmhg > 0.0);  // the focus was applied: the nerves lie under the toe box's pressure
  }
  {
    // A 235 mm foot in the sample's fitting last (277 mm): toe allowance ~42 mm, calm nerves (test_fit.cpp).
    synth::FootShape small;
    small.length_mm = 235.0;
    const measure::ScanResult scan = measure::measure_scan(synth::make_foot(small));
    const last::Last last = last::prepare_last(load::load_geometry(test::source_dir() / "lasts/last-fit.stl").geometry);
    const check::Options options;
    const check::Result base = check::run(scan, &last, options);
    const auto [all, screened] = both(test::recommend_input(scan, last, options, base), 2000);
    BOOST_TEST(all.judged_on_fit);
    BOOST_TEST(screened.judged_on_fit);
    const auto &a = all.recommendations.front(), &s = screened.recommendations.front();
    BOOST_TEST_MESSAGE("fit: " << a.change << " / " << s.change << ", toe allowance " << s.after.toe_allowance_mm << " mm");
    BOOST_TEST(s.change == a.change);
    BOOST_TEST(s.after.toe_allowance_mm == a.after.toe_allowance_mm);
    BOOST_TEST(s.after.peak_mmhg == a.after.peak_mmhg);
  }
}
