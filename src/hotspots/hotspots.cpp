#include "hotspots/hotspots.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "contact/contact.hpp"
#include "core/error.hpp"
#include "foot/foot.hpp"

namespace fitcheck::hotspots {

const char* level_name(Level l) noexcept {
  switch (l) {
    case Level::ok: return "ok";
    case Level::caution: return "caution";
    case Level::warning: return "warning";
    case Level::alarm: return "alarm";
  }
  return "?";
}

void Options::validate() const {
  if (!(caution_mmhg > 0 && caution_mmhg < warning_mmhg && warning_mmhg < alarm_mmhg && alarm_mmhg < 1000))
    throw Error(ErrorCode::usage, "hotspots", "thresholds must satisfy 0 < caution < warning < alarm < 1000 mmHg");
  if (!(high_dose_min >= 1 && high_dose_min <= 600)) throw Error(ErrorCode::usage, "hotspots", "high_dose_min must be in [1, 600]");
  if (!(min_area_mm2 >= 0 && min_area_mm2 <= 1000)) throw Error(ErrorCode::usage, "hotspots", "min_area_mm2 must be in [0, 1000]");
  nerves.validate();
}

Level level_of(double mmhg, const Options& o) {
  if (mmhg >= o.alarm_mmhg) return Level::alarm;
  if (mmhg >= o.warning_mmhg) return Level::warning;
  if (mmhg >= o.caution_mmhg) return Level::caution;
  return Level::ok;
}

namespace {

struct Shape {  // per 1 % of length: sole, top and mid-line of the foot
  std::vector<double> sole, top, ylo, yhi;
  double L = 0;
  std::size_t bin(double x) const { return static_cast<std::size_t>(std::clamp(static_cast<int>(x / L * 100), 0, 100)); }
};

Shape shape_of(const Geometry& g, double L) {
  Shape s;
  s.L = L;
  s.sole.assign(101, 1e300), s.top.assign(101, -1e300), s.ylo.assign(101, 1e300), s.yhi.assign(101, -1e300);
  for (const auto& p : g.vertices) {
    const std::size_t b = s.bin(p.x());
    s.sole[b] = std::min(s.sole[b], p.z()), s.top[b] = std::max(s.top[b], p.z());
    s.ylo[b] = std::min(s.ylo[b], p.y()), s.yhi[b] = std::max(s.yhi[b], p.y());
  }
  return s;
}

std::string label(const Shape& s, const Eigen::Vector3d& p) {
  const double u = p.x() / s.L;
  if (u >= 0.75) return "toe box";
  const std::size_t b = s.bin(p.x());
  if (u < 0.25) return p.z() - s.sole[b] > kHeelTopMm ? "ankle" : "heel";
  if (s.top[b] > s.sole[b] && p.z() - s.sole[b] > 0.6 * (s.top[b] - s.sole[b])) return u < 0.55 ? "instep" : "dorsum";
  return p.y() > 0.5 * (s.ylo[b] + s.yhi[b]) ? "medial" : "lateral";
}

/// Minutes during which the piecewise-linear series v(t) is at or above `thr`.
double minutes_above(const std::vector<double>& t, const std::vector<double>& v, double thr) {
  double total = 0;
  for (std::size_t k = 0; k + 1 < t.size(); ++k) {
    const double a = v[k] - thr, b = v[k + 1] - thr, dt = t[k + 1] - t[k];
    if (a >= 0 && b >= 0) total += dt;
    else if (a >= 0 || b >= 0) total += dt * (a >= 0 ? a : b) / std::abs(a - b);
  }
  return total;
}

/// First time the series reaches `thr` (linear between samples); -1 when never.
double first_at(const std::vector<double>& t, const std::vector<double>& v, double thr) {
  if (!v.empty() && v[0] >= thr) return t[0];
  for (std::size_t k = 0; k + 1 < t.size(); ++k)
    if (v[k] < thr && v[k + 1] >= thr) return t[k] + (thr - v[k]) / (v[k + 1] - v[k]) * (t[k + 1] - t[k]);
  return -1;
}

std::string risk_of(Level l, double dose_min, bool over_nerve, const Options& o) {
  int r = 0;  // 0 none, 1 low, 2 moderate, 3 high
  if (l == Level::alarm) r = 3;
  else if (l == Level::warning) r = dose_min >= o.high_dose_min ? 3 : 2;
  else if (l == Level::caution) r = 1;
  if (!over_nerve && r > 0) --r;
  return risk_name(r);
}

}  // namespace

namespace {
constexpr const char* kRiskNames[] = {"none", "low", "moderate", "high"};
}

int risk_rank(const std::string& risk) noexcept {
  for (int k = 0; k < 4; ++k)
    if (risk == kRiskNames[k]) return k;
  return -1;
}

std::string risk_name(int rank) { return kRiskNames[std::clamp(rank, 0, 3)]; }

std::string region_label(const Geometry& foot, double L, const Eigen::Vector3d& p) { return label(shape_of(foot, L), p); }

Result find(const Geometry& foot, double L, const std::vector<double>& minutes, const std::vector<std::vector<double>>& kpa,
            const nerves::Atlas& atlas, const Options& o) {
  o.validate();
  const std::size_t n = foot.vertices.size();
  if (n == 0 || !foot.is_mesh() || !(L > 0) || !std::isfinite(L))
    throw Error(ErrorCode::invalid_input, "hotspots", "hotspots need a foot mesh and a positive foot length");
  if (minutes.empty() || minutes.size() != kpa.size()) throw Error(ErrorCode::internal, "hotspots", "one field per minute expected");
  for (std::size_t k = 0; k < kpa.size(); ++k) {
    if (kpa[k].size() != n) throw Error(ErrorCode::internal, "hotspots", "field size differs from the foot");
    if (k > 0 && !(minutes[k] > minutes[k - 1])) throw Error(ErrorCode::internal, "hotspots", "minutes must ascend");
    for (double v : kpa[k])
      if (!(std::isfinite(v) && v >= 0)) throw Error(ErrorCode::internal, "hotspots", "pressure must be finite and >= 0");
  }
  const Shape shape = shape_of(foot, L);
  const std::vector<double> area = foot::vertex_weights(foot);
  const nerves::Nearest near = nerves::nearest_nerves(atlas, foot.vertices, o.nerves);
  Result r;
  // Timeline.
  for (std::size_t k = 0; k < minutes.size(); ++k) {
    const auto it = std::max_element(kpa[k].begin(), kpa[k].end());
    TimelineEntry e;
    e.minute = minutes[k];
    e.peak_kpa = *it;
    e.peak_mmhg = contact::mmhg(*it);
    e.peak_region = label(shape, foot.vertices[static_cast<std::size_t>(it - kpa[k].begin())]);
    r.timeline.push_back(e);
  }
  // Patches: vertices reaching caution at any time, connected over the mesh.
  std::vector<double> vmax(n, 0.0);
  for (const auto& f : kpa)
    for (std::size_t i = 0; i < n; ++i) vmax[i] = std::max(vmax[i], contact::mmhg(f[i]));
  std::vector<std::vector<int>> nbr(n);
  for (const auto& f : foot.faces)
    for (int a = 0; a < 3; ++a) {
      nbr[static_cast<std::size_t>(f[a])].push_back(f[(a + 1) % 3]);
      nbr[static_cast<std::size_t>(f[(a + 1) % 3])].push_back(f[a]);
    }
  std::vector<int> comp(n, -1);
  int ncomp = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (comp[s] >= 0 || vmax[s] < o.caution_mmhg) continue;
    std::vector<int> stack = {static_cast<int>(s)};
    comp[s] = ncomp;
    Hotspot h;
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      h.vertices.push_back(v);
      for (int w : nbr[static_cast<std::size_t>(v)])
        if (comp[static_cast<std::size_t>(w)] < 0 && vmax[static_cast<std::size_t>(w)] >= o.caution_mmhg)
          comp[static_cast<std::size_t>(w)] = ncomp, stack.push_back(w);
    }
    ++ncomp;
    // Peak over time and its series.
    std::vector<double> series(minutes.size(), 0.0);
    std::size_t peak_t = 0;
    for (std::size_t k = 0; k < minutes.size(); ++k)
      for (int v : h.vertices) {
        const double m = contact::mmhg(kpa[k][static_cast<std::size_t>(v)]);
        if (m > series[k]) series[k] = m;
        if (m > h.peak_mmhg) h.peak_mmhg = m, h.peak_vertex = v, peak_t = k;
      }
    h.peak_kpa = contact::kpa(h.peak_mmhg);
    h.peak_minute = minutes[peak_t];
    h.peak_position_mm = foot.vertices[static_cast<std::size_t>(h.peak_vertex)];
    double a = 0, am = 0;
    for (int v : h.vertices) {
      const double m = contact::mmhg(kpa[peak_t][static_cast<std::size_t>(v)]);
      if (m >= o.caution_mmhg) a += area[static_cast<std::size_t>(v)], am += area[static_cast<std::size_t>(v)] * m;
    }
    h.area_mm2 = a;
    h.mean_mmhg = a > 0 ? am / a : 0;
    if (a < o.min_area_mm2) continue;
    h.first_minute = first_at(minutes, series, o.caution_mmhg);
    h.minutes_above_30mmhg = minutes_above(minutes, series, o.warning_mmhg);
    h.region = label(shape, h.peak_position_mm);
    // The nerve named is the one the patch puts at most risk: its part of the patch graded in full (the pressure over
    // its path within the patch and the minutes above `warning_mmhg`), then the highest pressure, then most of the
    // patch. A patch over several nerves used to name the one under most of it, which could be the mildest -- the
    // summary then named another nerve at high risk beside it.
    std::map<int, std::pair<std::vector<double>, int>> under;  // nerve -> (its series within the patch, vertices)
    for (int v : h.vertices) {
      const int k = near.nerve[static_cast<std::size_t>(v)];
      if (k < 0) continue;
      auto& [series_k, count] = under[k];
      series_k.resize(minutes.size(), 0.0);
      ++count;
      for (std::size_t t = 0; t < minutes.size(); ++t)
        series_k[t] = std::max(series_k[t], contact::mmhg(kpa[t][static_cast<std::size_t>(v)]));
    }
    int best = -1;
    std::tuple<int, double, int> best_by{-1, -1.0, 0};
    for (const auto& [k, part] : under) {
      const double peak = *std::max_element(part.first.begin(), part.first.end());
      const int rank = risk_rank(risk_of(level_of(peak, o), minutes_above(minutes, part.first, o.warning_mmhg), true, o));
      const std::tuple<int, double, int> by{rank, peak, part.second};
      if (by > best_by) best = k, best_by = by;
    }
    if (best >= 0) {
      h.nerve = atlas.nerves[static_cast<std::size_t>(best)].name;
      h.nerve_label = atlas.nerves[static_cast<std::size_t>(best)].label;
    } else {
      h.nerve = "none";
      h.nerve_label = "no mapped nerve under this patch";
    }
    const Level l = level_of(h.peak_mmhg, o);
    h.level = level_name(l);
    // The risk counts the pressure over the nerve where the nerve is: a patch can be large (a whole heel cup) with its
    // peak far from the nerve that passes through one edge of it. Patch peak without a nerve (one step lower) or the
    // part of the patch over the nerve, whichever is higher.
    h.risk = risk_of(l, h.minutes_above_30mmhg, false, o);
    if (best >= 0) {
      std::vector<double> over(minutes.size(), 0.0);
      for (std::size_t k = 0; k < minutes.size(); ++k)
        for (int v : h.vertices)
          if (near.nerve[static_cast<std::size_t>(v)] == best)
            over[k] = std::max(over[k], contact::mmhg(kpa[k][static_cast<std::size_t>(v)]));
      for (double v : over) h.nerve_peak_mmhg = std::max(h.nerve_peak_mmhg, v);
      const std::string on = risk_of(level_of(h.nerve_peak_mmhg, o), minutes_above(minutes, over, o.warning_mmhg), true, o);
      if (risk_rank(on) > risk_rank(h.risk)) h.risk = on;
    }
    r.hotspots.push_back(std::move(h));
  }
  std::sort(r.hotspots.begin(), r.hotspots.end(), [](const Hotspot& a, const Hotspot& b) { return a.peak_mmhg > b.peak_mmhg; });
  // Per nerve: the pressure on the skin over its path (vertices whose nearest nerve it is).
  for (std::size_t k = 0; k < atlas.nerves.size(); ++k) {
    NerveRisk nr;
    nr.nerve = atlas.nerves[k].name;
    nr.label = atlas.nerves[k].label;
    nr.literature = atlas.nerves[k].literature;
    std::vector<double> series(minutes.size(), 0.0);
    for (std::size_t t = 0; t < minutes.size(); ++t)
      for (std::size_t i = 0; i < n; ++i)
        if (near.nerve[i] == static_cast<int>(k)) series[t] = std::max(series[t], contact::mmhg(kpa[t][i]));
    for (double v : series) nr.peak_mmhg = std::max(nr.peak_mmhg, v);
    nr.minutes_above_30mmhg = minutes_above(minutes, series, o.warning_mmhg);
    const Level l = level_of(nr.peak_mmhg, o);
    nr.level = level_name(l);
    nr.risk = risk_of(l, nr.minutes_above_30mmhg, true, o);
    r.nerves.push_back(nr);
  }
  return r;
}

}  // namespace fitcheck::hotspots
