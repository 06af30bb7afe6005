// Benchmarks of the foot-scan path (issue #3): a 100k-face mesh (kiosk / CAD) and a 300k-point noisy cloud
// (phone), both from the parametric foot of src/synth. Run: build/bench_measure --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <random>

#include "measure/measure.hpp"
#include "synth/synth.hpp"

using namespace fitcheck;

namespace {

Geometry mesh_100k() {
  synth::FootShape s;
  s.rings = 700;
  s.ring_points = 72;  // 2 x 72 x 699 + 144 = 100,800 faces
  return synth::make_foot(s);
}

Geometry noisy_cloud_300k() {
  Geometry c = synth::sample_surface(mesh_100k(), 297000, 0.5, 11);  // 0.5 mm noise, as a phone scan
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  const BoundingBox box = bounding_box(c.vertices);
  for (int i = 0; i < 3000; ++i)  // 1 % outliers
    c.vertices.push_back(box.min + Eigen::Vector3d(u(rng), u(rng), u(rng)).cwiseProduct(box.extent() * 1.4));
  return c;
}

void BM_measure_mesh_100k_faces(benchmark::State& state) {
  const Geometry g = mesh_100k();
  for (auto _ : state) benchmark::DoNotOptimize(measure::measure_scan(g));
  state.counters["faces"] = static_cast<double>(g.faces.size());
}
BENCHMARK(BM_measure_mesh_100k_faces)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_measure_cloud_300k_points(benchmark::State& state) {
  const Geometry g = noisy_cloud_300k();
  for (auto _ : state) benchmark::DoNotOptimize(measure::measure_scan(g));
  state.counters["points"] = static_cast<double>(g.vertices.size());
}
BENCHMARK(BM_measure_cloud_300k_points)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
