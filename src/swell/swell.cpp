#include "swell/swell.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/format.hpp"
#include "core/parallel.hpp"
#include "foot/foot.hpp"
#include "save/save.hpp"

namespace fitcheck::swell {

namespace {

/// Enclosed volume of a closed, outward-oriented mesh, mm^3.
double volume(const Geometry& g) { return signed_volume(g); }

}  // namespace

void Options::validate() const {
  auto in = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  auto bad = [](const std::string& what) { throw Error(ErrorCode::usage, "swell", what); };
  if (!in(intensity, 0, 2)) bad("intensity must be in [0, 2]");
  if (!in(conditions, 0.5, 2)) bad("conditions must be in [0.5, 2]");
  if (!in(plateau_volume_pct, 0, 15)) bad("plateau_volume_pct must be in [0, 15] %");
  if (!in(time_constant_min, 0.5, 120)) bad("time_constant_min must be in [0.5, 120] min");
  if (!in(late_start_min, 0, 1440)) bad("late_start_min must be in [0, 1440] min");
  if (!in(late_loss_pct_per_hour, 0, 20)) bad("late_loss_pct_per_hour must be in [0, 20] %/h");
  if (!in(max_loss_pct, 0, 10)) bad("max_loss_pct must be in [0, 10] %");
  if (!in(dorsal_weight, 0, 5) || !in(side_weight, 0, 5) || !in(plantar_weight, 0, 5))
    bad("regional weights must be in [0, 5]");
  if (!(dorsal_weight + side_weight + plantar_weight > 0)) bad("at least one regional weight must be positive");
  if (!in(arch_drop_mm_per_hour, 0, 5)) bad("arch_drop_mm_per_hour must be in [0, 5] mm/h");
  if (!in(splay_length_pct, 0, 5)) bad("splay_length_pct must be in [0, 5] %");
  if (!in(splay_forefoot_width_pct, 0, 12)) bad("splay_forefoot_width_pct must be in [0, 12] %");
}

double volume_change_pct(double minute, const Options& o) {
  o.validate();
  if (!(std::isfinite(minute) && minute >= 0))
    throw Error(ErrorCode::usage, "swell", "run minute must be finite and >= 0");
  // literature.md S1/S3 (rise), S4/S5 (late loss); see the header.
  const double rise = o.intensity * o.conditions * o.plateau_volume_pct * (1 - std::exp(-minute / o.time_constant_min));
  const double loss = o.late_loss_pct_per_hour * std::max(0.0, minute - o.late_start_min) / 60.0;
  return std::max(rise - loss, -o.max_loss_pct);
}

std::vector<std::string> assumptions(const Options& o) {
  return {
      "swelling: foot volume +" + fmt_fixed(o.plateau_volume_pct) + " % approached with a " + fmt_fixed(o.time_constant_min) +
          " min time constant (literature S1: about +3 % after 10 min of running), scaled by intensity " +
          fmt_fixed(o.intensity, 2) + " and conditions " + fmt_fixed(o.conditions, 2) + "; an estimate for an average runner",
      "late fluid loss " + fmt_fixed(o.late_loss_pct_per_hour) + " %/h after " + fmt_fixed(o.late_start_min, 0) +
          " min (literature S4: -1.7 % after a 35 km run; S5: unchanged in well-hydrated ultra runners)",
      "swelling goes mostly to the dorsum and toes (weights " + fmt_fixed(o.dorsal_weight, 2) + " dorsum/toes, " +
          fmt_fixed(o.side_weight, 2) + " sides/heel, " + fmt_fixed(o.plantar_weight, 2) + " plantar)",
      "stance splay: length +" + fmt_fixed(o.splay_length_pct) + " %, forefoot width +" + fmt_fixed(o.splay_forefoot_width_pct) +
          " % with the height lowered to keep the volume (literature S7 gives +1.3 % length; width is an estimate)",
      "arch drop " + fmt_fixed(o.arch_drop_mm_per_hour) + " mm/h at the navicular (literature S4: -1.5 mm after ~3 h)",
  };
}

std::vector<State> simulate(const Geometry& foot, const measure::Result& m, const std::vector<double>& minutes,
                            const Options& o) {
  o.validate();
  if (!foot.is_mesh())
    throw Error(ErrorCode::invalid_input, "swell", "swelling needs a closed mesh of the foot (a point cloud was given)");
  if (analyze_topology(foot).boundary_edges > 0)
    throw Error(ErrorCode::invalid_input, "swell", "swelling needs a closed foot mesh (this one has open borders)");
  const double L = m.measurements.foot_length_mm;
  const measure::Landmark* nav = m.find("navicular");
  if (!(L > 0) || !nav) throw Error(ErrorCode::invalid_input, "swell", "the foot has no length or navicular landmark");
  for (double t : minutes)
    if (!(std::isfinite(t) && t >= 0)) throw Error(ErrorCode::usage, "swell", "run minutes must be finite and >= 0");
  const std::size_t n = foot.vertices.size();
  const double v0 = volume(foot);
  if (!(v0 > 0)) throw Error(ErrorCode::invalid_input, "swell", "the foot mesh encloses no volume (inside out?)");

  // Section mid-lines and sole heights per 1 % of length: the axes for the splay.
  std::vector<double> ylo(101, 1e300), yhi(101, -1e300), zlo(101, 1e300);
  auto bin = [&](double x) { return std::clamp(static_cast<int>(x / L * 100), 0, 100); };
  for (const auto& p : foot.vertices) {
    const int b = bin(p.x());
    ylo[b] = std::min(ylo[b], p.y()), yhi[b] = std::max(yhi[b], p.y()), zlo[b] = std::min(zlo[b], p.z());
  }
  for (int b = 0; b <= 100; ++b)  // fill empty bins from the neighbours
    if (ylo[b] > yhi[b]) {
      const int k = b > 0 ? b - 1 : b + 1;
      ylo[b] = ylo[k], yhi[b] = yhi[k], zlo[b] = zlo[k];
    }

  // Section centres per bin, linear in x between bin middles.
  std::vector<Eigen::Vector2d> centres(101);
  {
    std::vector<double> zhi(101, -1e300);
    for (const auto& p : foot.vertices) zhi[static_cast<std::size_t>(bin(p.x()))] = std::max(zhi[static_cast<std::size_t>(bin(p.x()))], p.z());
    for (std::size_t b = 0; b <= 100; ++b) {
      if (zhi[b] < zlo[b]) zhi[b] = zhi[b > 0 ? b - 1 : b + 1];
      centres[b] = Eigen::Vector2d(0.5 * (ylo[b] + yhi[b]), 0.5 * (zlo[b] + std::max(zhi[b], zlo[b])));
    }
  }
  auto centre_at = [&](double x) {
    const double t = std::clamp(x / L * 100 - 0.5, 0.0, 100.0);
    const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(t), 99);
    const double f = std::min(1.0, t - static_cast<double>(i));
    return Eigen::Vector2d(centres[i] + f * (centres[i + 1] - centres[i]));
  };
  // Regional weights, smoothed over the mesh (vertex neighbours from the faces).
  const std::vector<Eigen::Vector3d> normals0 = save::vertex_normals(foot);
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d& p = foot.vertices[i];
    const Eigen::Vector3d& nv = normals0[i];
    if (p.z() - zlo[static_cast<std::size_t>(bin(p.x()))] < 12.0 && nv.z() < -0.3) w[i] = o.plantar_weight;
    else if ((p.x() > 0.3 * L && nv.z() > 0.3) || p.x() > 0.8 * L) w[i] = o.dorsal_weight;
    else w[i] = o.side_weight;
  }
  std::vector<std::vector<int>> nbr(n);
  for (const auto& f : foot.faces)
    for (int k = 0; k < 3; ++k) nbr[static_cast<std::size_t>(f[k])].push_back(f[(k + 1) % 3]);
  for (int it = 0; it < 10; ++it) {
    std::vector<double> next(n);
    for (std::size_t i = 0; i < n; ++i) {
      double s = w[i];
      for (int j : nbr[i]) s += w[static_cast<std::size_t>(j)];
      next[i] = s / static_cast<double>(nbr[i].size() + 1);
    }
    w.swap(next);
  }

  // Stance splay (time-independent, volume-preserving: each widening or lengthening is paired with a lowering).
  Geometry loaded = foot;
  const double sl = o.splay_length_pct / 100, sw = o.splay_forefoot_width_pct / 100;
  for (auto& p : loaded.vertices) {
    const std::size_t b = static_cast<std::size_t>(bin(p.x()));
    const double mid = 0.5 * (ylo[b] + yhi[b]), sole = zlo[b];
    const double f = sw * smoothstep(0.40 * L, 0.60 * L, p.x());  // forefoot share
    const double y = mid + (p.y() - mid) * (1 + f);
    const double z = sole + (p.z() - sole) / ((1 + f) * (1 + sl));
    p = Eigen::Vector3d(p.x() * (1 + sl), y, z);
  }

  // The time points are independent: two at a time (each state is stored at its own index; a failure is reported for
  // the earliest minute that failed, as in a loop: parallel_for).
  std::vector<State> out(minutes.size());
  parallel_for(minutes.size(), 2, [&](std::size_t k) {
    const double t = minutes[k];
    State st;
    st.minute = t;
    st.target_volume_pct = volume_change_pct(t, o);
    st.arch_drop_mm = o.arch_drop_mm_per_hour * t / 60.0;
    Geometry g = loaded;
    // Arch drop: the medial midfoot around the navicular sinks, fading out over about 12 % of the length.
    if (st.arch_drop_mm > 0) {
      const Eigen::Vector3d c = nav->position_mm;
      for (std::size_t i = 0; i < n; ++i) {
        const Eigen::Vector3d& p0 = foot.vertices[i];
        const std::size_t b = static_cast<std::size_t>(bin(p0.x()));
        const double mid = 0.5 * (ylo[b] + yhi[b]), half = std::max(1.0, 0.5 * (yhi[b] - ylo[b]));
        const double along = std::exp(-std::pow((p0.x() - c.x()) / (0.12 * L), 2));
        const double medial = smoothstep(-0.2, 0.6, (p0.y() - mid) / half);
        const double low = 1 - smoothstep(c.z(), c.z() + 25.0, p0.z());
        g.vertices[i].z() -= st.arch_drop_mm * along * medial * low;
      }
    }
    // Swelling: each cross-section (plane x = const) grows about its centre, point by point in proportion to the
    // regional weight: p' = p + s w (p - c(x)) in y and z (literature S8: cross-sectional swelling). A radial move
    // inside each section keeps star-shaped sections free of folds (a normal offset folded the tiny triangles at
    // the heel and toe poles when the late loss shrinks the foot). s is solved for the volume (secant).
    std::vector<Eigen::Vector3d> dir(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Eigen::Vector3d& p = g.vertices[i];
      const Eigen::Vector2d c = centre_at(p.x());
      dir[i] = Eigen::Vector3d(0, p.y() - c.x(), p.z() - c.y()) * w[i];
    }
    const double target = v0 * (1 + st.target_volume_pct / 100);  // relative to the resting foot (header)
    Geometry cur = g;  // the foot moved by sc (the faces copied once)
    auto move = [&](double sc) {
      for (std::size_t i = 0; i < n; ++i) cur.vertices[i] = g.vertices[i] + sc * dir[i];
    };
    auto vol_at = [&](double sc) {
      move(sc);
      return volume(cur);
    };
    double s0 = 0, f0 = vol_at(0) - target, s = 0.01, f1 = vol_at(s) - target;
    for (int it = 0; it < 30 && std::abs(f1) > 1e-7 * v0; ++it) {
      if (f1 == f0) break;
      const double s2 = s - f1 * (s - s0) / (f1 - f0);
      s0 = s, f0 = f1, s = s2, f1 = vol_at(s) - target;
    }
    move(s);
    const double achieved = (volume(cur) - v0) / v0 * 100;
    if (!(std::abs(volume(cur) - target) <= 1e-4 * v0) || !all_finite(cur.vertices))
      throw Error(ErrorCode::did_not_converge, "swell", "the swollen volume did not reach its target at minute " + fmt_fixed(t));
    st.growth = s;
    st.volume_change_pct = achieved;
    st.foot = std::move(cur);
    out[k] = std::move(st);
  });
  return out;
}

}  // namespace fitcheck::swell
