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
  const Geometry m = mesh_100k();
  std::mt19937 rng(11);
  std::vector<double> cum;
  double total = 0;
  for (const auto& f : m.faces) {
    total += 0.5 * (m.vertices[f[1]] - m.vertices[f[0]]).cross(m.vertices[f[2]] - m.vertices[f[0]]).norm();
    cum.push_back(total);
  }
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 0.5);  // 0.5 mm, as a phone scan
  Geometry c;
  for (int i = 0; i < 297000; ++i) {
    const auto k = std::lower_bound(cum.begin(), cum.end(), u(rng) * total) - cum.begin();
    const auto& f = m.faces[static_cast<std::size_t>(k)];
    double a = u(rng), b = u(rng);
    if (a + b > 1) a = 1 - a, b = 1 - b;
    const Eigen::Vector3d p = m.vertices[f[0]] + a * (m.vertices[f[1]] - m.vertices[f[0]]) + b * (m.vertices[f[2]] - m.vertices[f[0]]);
    c.vertices.push_back(p + Eigen::Vector3d(noise(rng), noise(rng), noise(rng)));
  }
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
