// Benchmarks of the main job (issue #6): the check with recommendations for a 50k-vertex scan in a 50k-face last at 6
// time points with at least 30 candidate changes (target: 1 s wall on the 2-core machine), and a catalog of 50 lasts
// ranked for one foot (target: 10 s). Feet and lasts come from the parametric shapes of src/synth (the sample foot and
// lasts of tools/make_samples at a finer resolution). Run: build/bench_check --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "catalog/catalog.hpp"
#include "check/check.hpp"
#include "recommend/recommend.hpp"
#include "save/save.hpp"
#include "synth/synth.hpp"

using namespace fitcheck;

namespace {

synth::FootShape foot_shape() {
  synth::FootShape s;  // the sample foot (265 mm, 100 mm ball width)
  s.rings = 400;
  s.ring_points = 125;  // 400 x 125 + 2 = 50,002 vertices
  return s;
}

/// A last narrow in the forefoot (so the recommendations have work to do), ~51k faces.
synth::FootShape last_shape(double width_scale) {
  synth::FootShape l = synth::fitting_last_shape(foot_shape());
  l.rings = 200;
  l.ring_points = 128;  // 2 x 128 x 199 + 256 = 51,200 faces
  l.forefoot_width_scale = width_scale;
  return l;
}

struct Fixture {
  measure::ScanResult scan;
  last::Last last;
  check::Options options;
  Fixture() {
    scan = measure::measure_scan(synth::make_foot(foot_shape()));
    last = last::prepare_last(synth::make_foot(last_shape(0.9)));
    options.run_minutes = 40;  // time points 0, 5, 10, 20, 30, 40
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

/// The lasts of a catalog: the fixture's last in `n` forefoot widths from 0.88 to 1.12 (all the same length, so none is
/// turned down on the toe allowance alone: every one is simulated or screened -- the worst case for a catalog).
std::vector<last::Last> catalog(int n) {
  std::vector<last::Last> cat;
  for (int k = 0; k < n; ++k) cat.push_back(last::prepare_last(synth::make_foot(last_shape(0.88 + 0.24 * k / std::max(1, n - 1)))));
  return cat;
}

/// `fitcheck check SCAN LAST --catalog DIR` as the CLI runs it: the check, then its recommendations (the built-in
/// changes plus every catalog last).
void check_with_recommendations(benchmark::State& state, int n_catalog, std::size_t shortlist = recommend::Options{}.catalog_shortlist,
                                std::size_t screen_vertices = 0) {
  const Fixture& f = fixture();
  const std::vector<last::Last> cat = catalog(n_catalog);
  int candidates = 0, simulated = 0, screened_out = 0, coarse = 0;
  for (auto _ : state) {
    const check::Result base = check::run(f.scan, &f.last, f.options);
    recommend::Input in;
    in.scan = &f.scan;
    in.scan_path = "scan.ply";
    in.last = &f.last;
    in.base.last_path = "last.stl";
    in.base.run_minutes = f.options.run_minutes;
    in.options = f.options;
    in.baseline = &base;
    for (std::size_t k = 0; k < cat.size(); ++k) in.catalog.push_back({"catalog-" + std::to_string(k) + ".stl", &cat[k]});
    recommend::Options ro;
    ro.catalog_shortlist = shortlist;
    ro.screen_vertices = screen_vertices;
    const recommend::Result r = recommend::recommend(in, ro);
    candidates = r.considered;     // every change considered
    simulated = r.candidates;      // of which simulated in full (the rest break the toe allowance by the last's length
                                   // alone, or the catalog or coarse screen left them out)
    screened_out = r.screened_out;
    coarse = r.coarse_simulated;   // simulated on the coarse copies (0 without the coarse screen)
    benchmark::DoNotOptimize(r);
  }
  state.counters["scan_vertices"] = static_cast<double>(f.scan.frame.aligned.vertices.size());
  state.counters["last_faces"] = static_cast<double>(f.last.mesh.faces.size());
  state.counters["time_points"] = static_cast<double>(check::time_points(f.options.run_minutes).size());
  state.counters["candidates"] = candidates;
  state.counters["simulated"] = simulated;
  state.counters["screened_out"] = screened_out;
  state.counters["coarse_simulated"] = coarse;
}

/// The check with at least 30 candidate changes (the built-in ones and a 13-last catalog, every one simulated: no
/// catalog screen).
void BM_check_with_recommendations(benchmark::State& state) { check_with_recommendations(state, 13, 0); }
BENCHMARK(BM_check_with_recommendations)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
/// The same with the coarse screen (the argument: --screen-vertices): every change on a coarse copy, the best 4 in
/// full.
void BM_check_with_recommendations_screened(benchmark::State& state) {
  check_with_recommendations(state, 13, 0, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_check_with_recommendations_screened)->Arg(3000)->Arg(6000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
/// ... and the 50-last catalog with the catalog screen and the coarse screen.
void BM_catalog_50_lasts_screened(benchmark::State& state) {
  check_with_recommendations(state, 50, recommend::Options{}.catalog_shortlist, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_catalog_50_lasts_screened)->Arg(3000)->Arg(6000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

/// Ranking a catalog of 50 lasts for one foot (lasts prepared beforehand, as a kiosk holds its catalog): the same job
/// with 50 catalog lasts, as the CLI runs it (the catalog screen simulates the 12 best by girth in full) ...
void BM_catalog_50_lasts(benchmark::State& state) { check_with_recommendations(state, 50); }
BENCHMARK(BM_catalog_50_lasts)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
/// ... and with every one of the 50 simulated (--catalog-shortlist 0).
void BM_catalog_50_lasts_all_simulated(benchmark::State& state) { check_with_recommendations(state, 50, 0); }
BENCHMARK(BM_catalog_50_lasts_all_simulated)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

/// The check alone (the kiosk's first answer).
void BM_check_only(benchmark::State& state) {
  const Fixture& f = fixture();
  check::Result r;
  for (auto _ : state) {
    r = check::run(f.scan, &f.last, f.options);
    benchmark::DoNotOptimize(r);
  }
  for (const auto& [step, ms] : r.timings_ms) state.counters[step + " ms"] = ms;  // the last run's steps
}
BENCHMARK(BM_check_only)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

/// Preparing a catalog folder of 50 last files (the 51.2k-face lasts above as binary PLY, 50 forefoot widths) as
/// `check --catalog DIR` does before any simulation: without a cache (two at a time), and with a warm --last-cache.
struct CatalogFolder {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "fitcheck-bench-catalog";
  CatalogFolder() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    for (int k = 0; k < 50; ++k)
      save::write_geometry(dir / ("last-" + std::to_string(100 + k) + ".ply"), synth::make_foot(last_shape(0.88 + 0.24 * k / 49.0)));
  }
  ~CatalogFolder() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

void prepare_catalog(benchmark::State& state, bool cached) {
  const CatalogFolder folder;
  catalog::Options o;
  if (cached) {
    o.cache_path = (folder.dir / "cache.db").string();
    catalog::prepare_folder(folder.dir.string(), o);  // fills the cache (not timed)
  }
  std::size_t lasts = 0, hits = 0;
  for (auto _ : state) {
    const catalog::Folder f = catalog::prepare_folder(folder.dir.string(), o);
    lasts = f.lasts.size(), hits = f.from_cache;
    benchmark::DoNotOptimize(f);
  }
  state.counters["lasts"] = static_cast<double>(lasts);
  state.counters["from_cache"] = static_cast<double>(hits);
}
void BM_catalog_prepare_50_files(benchmark::State& state) { prepare_catalog(state, false); }
BENCHMARK(BM_catalog_prepare_50_files)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
void BM_catalog_prepare_50_files_cached(benchmark::State& state) { prepare_catalog(state, true); }
BENCHMARK(BM_catalog_prepare_50_files_cached)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
