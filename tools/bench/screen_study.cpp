// How faithful the recommendations' coarse screen is (recommend::Options::screen_vertices): for a set of synthetic
// feet (the bench foot, 50k vertices, and five variants of it) in a last narrow in the forefoot with a 13-last catalog
// and in a slightly narrow last with the foot's own changes only, the recommendations of the exhaustive run against
// those with the screen at 3000 and 6000 vertices. Prints each case's first four and a summary: how often the first
// recommendation and the first four (in order) are the exhaustive run's. The README's Speed section quotes it.
//
//   tools/setup.sh --benchmarks && build/screen_study      (the study itself: about 2-4 minutes on the 2-core machine)
//   build/screen_study 6                                   (the same with 6 simulated in full: full_shortlist)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "recommend/recommend.hpp"
#include "synth/synth.hpp"

using namespace fitcheck;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

synth::FootShape bench_foot() {  // as tools/bench/bench_check.cpp: ~50k vertices
  synth::FootShape s;
  s.rings = 400;
  s.ring_points = 125;
  return s;
}

struct Variant {
  const char* name;
  synth::FootShape shape;
};

}  // namespace

int main(int argc, char** argv) {
  // Optional: how many of the coarse step's best are simulated in full (recommend::Options::full_shortlist).
  std::size_t full_shortlist = recommend::Options{}.full_shortlist;
  if (argc > 1) {
    char* end = nullptr;
    const long v = std::strtol(argv[1], &end, 10);
    if (argc > 2 || end == argv[1] || *end != '\0' || v < 4 || v > 50) {  // the summary compares first fours
      std::fprintf(stderr, "usage: screen_study [FULL_SHORTLIST in 4..50]\n");
      return 2;
    }
    full_shortlist = static_cast<std::size_t>(v);
  }
  std::printf("full shortlist: %zu\n", full_shortlist);
  std::vector<Variant> feet;
  auto add = [&](const char* name, auto&& change) {
    Variant v{name, bench_foot()};
    change(v.shape);
    feet.push_back(v);
  };
  add("bench foot", [](synth::FootShape&) {});
  add("wide, high instep", [](synth::FootShape& s) { s.ball_width_mm = 108, s.instep_height_mm = 78; });
  add("narrow, low instep", [](synth::FootShape& s) { s.ball_width_mm = 94, s.instep_height_mm = 66; });
  add("short (255 mm)", [](synth::FootShape& s) { s.length_mm = 255; });
  add("long (275 mm), wide", [](synth::FootShape& s) { s.length_mm = 275, s.ball_width_mm = 104; });
  add("high forefoot", [](synth::FootShape& s) { s.toe_height_mm = 28, s.ball_height_mm = 46; });

  // The bench foot's fitting last (50k faces) and a catalog of 13 of it, forefoot 0.88-1.12.
  synth::FootShape last_shape = synth::fitting_last_shape(bench_foot());
  last_shape.rings = 200;
  last_shape.ring_points = 128;
  std::vector<last::Last> catalog;
  for (int k = 0; k < 13; ++k) {
    synth::FootShape c = last_shape;
    c.forefoot_width_scale = 0.88 + 0.24 * k / 12.0;
    catalog.push_back(last::prepare_last(synth::make_foot(c)));
  }
  const std::size_t screens[] = {0, 3000, 6000};
  int cases = 0, screened = 0, same_first[2] = {0, 0}, same_four[2] = {0, 0};
  for (const Variant& foot : feet) {
    const measure::ScanResult scan = measure::measure_scan(synth::make_foot(foot.shape));
    for (int with_catalog = 1; with_catalog >= 0; --with_catalog) {
      synth::FootShape ls = last_shape;
      ls.forefoot_width_scale = with_catalog ? 0.90 : 0.95;
      const last::Last last = last::prepare_last(synth::make_foot(ls));
      check::Options o;
      o.run_minutes = 40;
      const check::Result base = check::run(scan, &last, o);
      std::vector<std::string> top[3];
      double ms[3] = {0, 0, 0};
      bool no_change = false;  // nothing to screen: the exhaustive run needs no change
      for (int s = 0; s < 3; ++s) {
        recommend::Input in;
        in.scan = &scan;
        in.scan_path = "scan.ply";
        in.last = &last;
        in.base.last_path = "last.stl";
        in.base.run_minutes = o.run_minutes;
        in.options = o;
        in.baseline = &base;
        if (with_catalog)
          for (std::size_t k = 0; k < catalog.size(); ++k)
            in.catalog.push_back({"catalog-" + std::to_string(k) + ".stl", &catalog[k]});
        recommend::Options ro;
        ro.catalog_shortlist = 0;  // every catalog last goes to the coarse step (or, without the screen, in full)
        ro.screen_vertices = screens[s];
        ro.full_shortlist = full_shortlist;
        const double t0 = now_ms();
        const recommend::Result r = recommend::recommend(in, ro);
        ms[s] = now_ms() - t0;
        if (s == 0) no_change = r.no_change_needed;
        for (const auto& rec : r.recommendations) {
          char buf[160];
          std::snprintf(buf, sizeof buf, "%s %.1f %s", rec.change.c_str(), rec.after.peak_mmhg, rec.after.risk.c_str());
          top[s].push_back(buf);
        }
      }
      ++cases;
      std::printf("== %s in forefoot x%.2f, %s (%.1f / %.1f / %.1f s)\n", foot.name, ls.forefoot_width_scale,
                  with_catalog ? "own changes + 13 catalog lasts" : "own changes", ms[0] / 1000, ms[1] / 1000, ms[2] / 1000);
      for (int s = 0; s < 3; ++s) {
        std::printf("  %-11s", s == 0 ? "exhaustive:" : s == 1 ? "3000:" : "6000:");
        for (std::size_t q = 0; q < top[s].size() && q < 4; ++q) std::printf(" [%s]", top[s][q].c_str());
        std::printf("\n");
      }
      std::fflush(stdout);
      if (no_change) {
        std::printf("  (no change needed: the screen does not run)\n");
        continue;
      }
      ++screened;
      for (int s = 1; s < 3; ++s) {
        bool four = true;
        for (std::size_t q = 0; q < 4; ++q) {
          const std::string a = q < top[0].size() ? top[0][q] : "", b = q < top[s].size() ? top[s][q] : "";
          four = four && a == b;
        }
        same_four[s - 1] += four;
        same_first[s - 1] += top[0].empty() ? top[s].empty() : (!top[s].empty() && top[0][0] == top[s][0]);
      }
    }
  }
  std::printf("%d cases, %d with changes to screen. Of those, the same first recommendation: %d at 3000, %d at 6000. "
              "The same first four in order: %d at 3000, %d at 6000.\n",
              cases, screened, same_first[0], same_first[1], same_four[0], same_four[1]);
  return 0;
}
