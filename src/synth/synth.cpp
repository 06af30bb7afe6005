#include "synth/synth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "core/error.hpp"

namespace fitcheck::synth {

namespace {

double lerp(double a, double b, double t) { return a + (b - a) * t; }
double spow(double v, double e) { return std::copysign(std::pow(std::abs(v), e), v); }
// Round end cap: 0 at the end, 1 at distance >= r from it (quarter circle).
double cap(double d, double r) {
  const double t = std::clamp(d / r, 0.0, 1.0);
  return std::sqrt(std::max(0.0, 1.0 - (1.0 - t) * (1.0 - t)));
}

void orient_outward(Geometry& g) {
  if (signed_volume(g) < 0)
    for (auto& f : g.faces) std::swap(f[1], f[2]);
}

}  // namespace

void FootShape::validate() const {
  auto in = [](double v, double lo, double hi, const char* name) {
    if (!(v >= lo && v <= hi))
      throw Error(ErrorCode::usage, "synth",
                  std::string("FootShape.") + name + " = " + std::to_string(v) + " outside [" + std::to_string(lo) +
                      ", " + std::to_string(hi) + "]");
  };
  in(length_mm, 100, 400, "length_mm");
  in(ball_width_mm, 40, 160, "ball_width_mm");
  in(heel_width_mm, 30, 120, "heel_width_mm");
  in(ball_x_pct, 55, 85, "ball_x_pct");
  in(ball_height_mm, 15, 80, "ball_height_mm");
  in(instep_height_mm, 30, 120, "instep_height_mm");
  in(ankle_height_mm, 40, 200, "ankle_height_mm");
  in(toe_height_mm, 8, 50, "toe_height_mm");
  in(toe_medial_shift_mm, -30, 30, "toe_medial_shift_mm");
  in(forefoot_width_scale, 0.5, 1.5, "forefoot_width_scale");
  in(heel_height_mm, 0, 80, "heel_height_mm");
  in(toe_spring_mm, 0, 40, "toe_spring_mm");
  in(arch_height_mm, 0, 30, "arch_height_mm");
  in(rings, 8, 2000, "rings");
  in(ring_points, 8, 2000, "ring_points");
}

std::vector<Eigen::Vector3d> foot_section(const FootShape& s, double x, int M) {
  const double L = s.length_mm;
  const double xb = s.ball_x_pct / 100.0;
  const double u = x / L;
  // Half-width: heel -> narrow waist at 40 % -> ball -> toe taper.
  const double waist = 0.5 * (s.heel_width_mm + s.ball_width_mm) / 2 * 0.92;
  double hw;
  if (u < 0.40) hw = lerp(s.heel_width_mm / 2, waist, smoothstep(0.15, 0.40, u));
  else if (u < xb) hw = lerp(waist, s.ball_width_mm / 2, smoothstep(0.40, xb, u));
  else hw = lerp(s.ball_width_mm / 2, s.ball_width_mm / 2 * 0.55, smoothstep(xb, 1.0, u));
  hw *= lerp(1.0, s.forefoot_width_scale, smoothstep(0.45, 0.60, u));
  hw *= cap(x, s.heel_width_mm * 0.5) * cap(L - x, s.ball_width_mm * 0.42);
  // Dorsal height: flat ankle cut over the heel, instep, ball, toes.
  double h;
  if (u < 0.30) h = s.ankle_height_mm;
  else if (u < 0.50) h = lerp(s.ankle_height_mm, s.instep_height_mm, smoothstep(0.30, 0.50, u));
  else if (u < xb) h = lerp(s.instep_height_mm, s.ball_height_mm, smoothstep(0.50, xb, u));
  else if (u < 0.90) h = lerp(s.ball_height_mm, s.toe_height_mm, smoothstep(xb, 0.90, u));
  else h = s.toe_height_mm;
  h *= cap(x, 6.0) * cap(L - x, 14.0);
  h = std::max(h, 1e-3);
  hw = std::max(hw, 1e-3);
  // Centre line drifts medially towards the toes; the last bottom carries heel height and toe spring.
  const double cy = s.toe_medial_shift_mm * smoothstep(0.35, 1.0, u);
  const double z0 = s.heel_height_mm * (1 - smoothstep(0.15, 0.62, u)) +
                    s.toe_spring_mm * std::pow(smoothstep(0.72, 1.0, u), 2);
  const double arch_along = smoothstep(0.25, 0.38, u) * (1 - smoothstep(0.55, 0.68, u));
  // Cross-section: superellipse, flatter below (the sole) than above.
  std::vector<Eigen::Vector3d> ring;
  ring.reserve(M);
  for (int j = 0; j < M; ++j) {
    const double t = 2 * std::numbers::pi * j / M;
    const double c = std::cos(t), sn = std::sin(t);
    const double y = cy + hw * spow(c, 2.0 / 3.0);
    const double zn = sn >= 0 ? spow(sn, 2.0 / 2.4) : spow(sn, 2.0 / 6.0);  // top rounder, bottom flatter
    // The medial arch lifts the bottom's medial half (+y): none at the centre line, all of it from halfway out to the
    // border (c = 0.35: y at 50 % of the half-width) on, fading up the side (-zn goes to 0).
    // At most 0.4 of the section's height, so that a high arch in a low midfoot does not fold the section.
    const double lift = std::min(s.arch_height_mm * arch_along, 0.4 * h);
    const double arch = sn < 0 && c > 0 ? lift * smoothstep(0.0, 0.35, c) * -zn : 0.0;
    ring.emplace_back(x, y, z0 + 0.5 * h * (1 + zn) + arch);
  }
  return ring;
}

Geometry make_foot(const FootShape& s) {
  s.validate();
  const double L = s.length_mm;
  Geometry g;
  // Stations: cosine spacing, denser at both ends where the caps curve.
  const int R = s.rings, M = s.ring_points;
  for (int i = 1; i <= R; ++i) {
    const auto ring = foot_section(s, L * 0.5 * (1 - std::cos(std::numbers::pi * i / (R + 1))), M);
    g.vertices.insert(g.vertices.end(), ring.begin(), ring.end());
  }
  // Poles close the ends.
  auto ring_centre = [&](int ring) {
    Eigen::Vector3d c = Eigen::Vector3d::Zero();
    for (int j = 0; j < M; ++j) c += g.vertices[ring * M + j];
    return Eigen::Vector3d(c / M);
  };
  Eigen::Vector3d heel = ring_centre(0);
  heel.x() = 0.0;
  Eigen::Vector3d toe = ring_centre(R - 1);
  toe.x() = L;
  const int ih = static_cast<int>(g.vertices.size());
  g.vertices.push_back(heel);
  g.vertices.push_back(toe);
  const int it = ih + 1;
  for (int i = 0; i + 1 < R; ++i)
    for (int j = 0; j < M; ++j) {
      const int a = i * M + j, b = i * M + (j + 1) % M, c = (i + 1) * M + j, d = (i + 1) * M + (j + 1) % M;
      g.faces.emplace_back(a, c, b);
      g.faces.emplace_back(b, c, d);
    }
  for (int j = 0; j < M; ++j) {
    g.faces.emplace_back(ih, j, (j + 1) % M);
    g.faces.emplace_back(it, (R - 1) * M + (j + 1) % M, (R - 1) * M + j);
  }
  orient_outward(g);
  return g;
}

Geometry mirror_y(const Geometry& g) {
  Geometry m = g;
  for (auto& v : m.vertices) v.y() = -v.y();
  for (auto& f : m.faces) std::swap(f[1], f[2]);
  return m;
}

Geometry sample_surface(const Geometry& m, std::size_t n, double noise_mm, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<double> cum;
  double total = 0;
  for (const auto& f : m.faces) {
    total += 0.5 * (m.vertices[f[1]] - m.vertices[f[0]]).cross(m.vertices[f[2]] - m.vertices[f[0]]).norm();
    cum.push_back(total);
  }
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, noise_mm > 0 ? noise_mm : 1.0);
  Geometry c;
  c.vertices.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = std::lower_bound(cum.begin(), cum.end(), u(rng) * total) - cum.begin();
    const auto& f = m.faces[static_cast<std::size_t>(std::min<std::ptrdiff_t>(k, static_cast<std::ptrdiff_t>(m.faces.size()) - 1))];
    double a = u(rng), b = u(rng);
    if (a + b > 1) a = 1 - a, b = 1 - b;
    Eigen::Vector3d p = m.vertices[f[0]] + a * (m.vertices[f[1]] - m.vertices[f[0]]) + b * (m.vertices[f[2]] - m.vertices[f[0]]);
    if (noise_mm > 0) p += Eigen::Vector3d(noise(rng), noise(rng), noise(rng));
    c.vertices.push_back(p);
  }
  return c;
}

Geometry make_uv_sphere(double r, int rings, int segments) {
  Geometry g;
  g.vertices.emplace_back(0, 0, r);
  for (int i = 1; i < rings; ++i) {
    const double th = std::numbers::pi * i / rings;
    for (int j = 0; j < segments; ++j) {
      const double ph = 2 * std::numbers::pi * j / segments;
      g.vertices.emplace_back(r * std::sin(th) * std::cos(ph), r * std::sin(th) * std::sin(ph), r * std::cos(th));
    }
  }
  g.vertices.emplace_back(0, 0, -r);
  const int south = static_cast<int>(g.vertices.size()) - 1;
  for (int j = 0; j < segments; ++j) g.faces.emplace_back(0, 1 + j, 1 + (j + 1) % segments);
  for (int i = 0; i + 2 < rings; ++i)
    for (int j = 0; j < segments; ++j) {
      const int a = 1 + i * segments + j, b = 1 + i * segments + (j + 1) % segments;
      const int c = a + segments, d = b + segments;
      g.faces.emplace_back(a, c, d);
      g.faces.emplace_back(a, d, b);
    }
  const int last = 1 + (rings - 2) * segments;
  for (int j = 0; j < segments; ++j) g.faces.emplace_back(south, last + (j + 1) % segments, last + j);
  orient_outward(g);
  return g;
}

Geometry make_box(const Eigen::Vector3d& s) {
  Geometry g;
  for (int i = 0; i < 8; ++i) g.vertices.emplace_back(i & 1 ? s.x() : 0, i & 2 ? s.y() : 0, i & 4 ? s.z() : 0);
  const int q[6][4] = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
  for (const auto& f : q) {
    g.faces.emplace_back(f[0], f[1], f[2]);
    g.faces.emplace_back(f[0], f[2], f[3]);
  }
  orient_outward(g);
  return g;
}

FootShape fitting_last_shape(const FootShape& foot) {
  FootShape last = foot;
  last.length_mm = foot.length_mm + 12.0;
  last.ball_width_mm = foot.ball_width_mm + 4.0;
  last.ball_height_mm = foot.ball_height_mm + 3.0;
  last.instep_height_mm = foot.instep_height_mm + 2.0;
  last.toe_height_mm = foot.toe_height_mm + 4.0;
  last.ankle_height_mm = 90.0;
  last.heel_height_mm = 10.0;
  last.toe_spring_mm = 12.0;
  return last;
}

}  // namespace fitcheck::synth
