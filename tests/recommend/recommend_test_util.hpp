// Helpers shared by the recommendation tests (test_recommend.cpp, test_fit.cpp, test_catalog.cpp, test_screen.cpp):
// running `fitcheck check` for its JSON, reading a check's nerve peak, re-running recommendations' args, and the
// baselines the library-level tests build recommend::Input from.
#pragma once

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "check/check.hpp"
#include "hotspots/hotspots.hpp"
#include "last/last.hpp"
#include "measure/measure.hpp"
#include "recommend/recommend.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

namespace fitcheck::test {

using json = nlohmann::json;

inline std::string sample(const std::string& rel) { return test::quote(test::source_dir() / rel); }

inline json check_json(const std::string& args) {
  const test::CliRun r = test::run_cli("check " + args + " --json");
  BOOST_TEST_REQUIRE(r.exit_code == 0, "fitcheck check " << args << " failed: " << r.err);
  return json::parse(r.out);
}

/// The highest skin pressure over any nerve and the worst nerve risk of a check's JSON.
inline std::pair<double, std::string> nerve_peak(const json& j) {
  double peak = 0;
  int worst = 0;
  for (const auto& n : j["nerves"]) {
    peak = std::max(peak, n["peak_mmhg"].get<double>());
    worst = std::max(worst, hotspots::risk_rank(n["risk"].get<std::string>()));
  }
  return {peak, hotspots::risk_name(worst)};
}

/// Runs each recommendation's args and compares with its prediction (the CLI rounds nerve peaks to 0.1 mmHg).
inline void expect_reproduced(const json& j, std::size_t how_many) {
  for (std::size_t k = 0; k < j["recommendations"].size() && k < how_many; ++k) {
    const json& rec = j["recommendations"][k];
    std::string args;
    for (const auto& a : rec["args"]) args += test::quote(a.get<std::string>()) + " ";
    const json again = check_json(args + "--no-recommend");
    const auto [peak, risk] = nerve_peak(again);
    const double predicted = rec["peak_mmhg_after"].get<double>();
    BOOST_TEST_MESSAGE(rec["change"].get<std::string>() << ": predicted " << predicted << " mmHg, re-run " << peak);
    BOOST_TEST(std::abs(peak - predicted) <= std::max(0.01 * predicted, 0.051), rec["change"] << ": " << peak << " vs " << predicted);
    BOOST_TEST(risk == rec["risk_after"].get<std::string>());
  }
}

/// A recommend::Input for the check `result` of `scan` in `last` under `options`, with `cat` (if any) as the catalog
/// (cat-0.stl, cat-1.stl, ...). The paths only appear in the args.
inline recommend::Input recommend_input(const measure::ScanResult& scan, const last::Last& last,
                                        const check::Options& options, const check::Result& result,
                                        const std::vector<last::Last>& cat = {}) {
  recommend::Input in;
  in.scan = &scan;
  in.scan_path = "scan.ply";
  in.last = &last;
  in.base.last_path = "last.stl";
  in.base.run_minutes = options.run_minutes;
  in.options = options;
  in.baseline = &result;
  for (std::size_t k = 0; k < cat.size(); ++k) in.catalog.push_back({"cat-" + std::to_string(k) + ".stl", &cat[k]});
  return in;
}

/// The sample foot's fitting last (as the bench's catalog, tools/bench/bench_check.cpp) in `width_scale`.
inline last::Last screen_last(double width_scale, double extra_length_mm = 0) {
  synth::FootShape l = synth::fitting_last_shape(synth::FootShape{});
  l.forefoot_width_scale = width_scale;
  l.length_mm += extra_length_mm;
  return last::prepare_last(synth::make_foot(l));
}

/// The synthetic foot checked for a 40-minute run in its fitting last of forefoot width `width_scale`: the baseline
/// of the catalog screen tests.
struct ScreenBase {
  measure::ScanResult scan = measure::measure_scan(synth::make_foot(synth::FootShape{}));
  check::Options options = [] {
    check::Options o;
    o.run_minutes = 40;
    return o;
  }();
  last::Last last;
  check::Result result;
  explicit ScreenBase(double width_scale) : last(screen_last(width_scale)), result(check::run(scan, &last, options)) {}
  const Geometry& swollen() const { return result.foot_model->states.back().foot; }
  /// A recommend input for this baseline with `cat` as the catalog (cat-0.stl, cat-1.stl, ...).
  recommend::Input input(const std::vector<last::Last>& cat) const { return recommend_input(scan, last, options, result, cat); }
};

}  // namespace fitcheck::test
