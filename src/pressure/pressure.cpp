#include "pressure/pressure.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "core/error.hpp"
#include "core/format.hpp"
#include "measure/measure.hpp"
#include "place/place.hpp"
#include "save/save.hpp"

namespace fitcheck::pressure {

namespace {

/// 1 % bins of the foot length (x in the foot frame), and the lowest z in each.
struct SoleBins {
  double L;
  std::vector<double> lowest;
  SoleBins(const Geometry& foot, double length) : L(length), lowest(101, 1e300) {
    for (const auto& p : foot.vertices) lowest[bin(p.x())] = std::min(lowest[bin(p.x())], p.z());
  }
  std::size_t bin(double x) const { return static_cast<std::size_t>(std::clamp(static_cast<int>(x / L * 100), 0, 100)); }
  double height(const Eigen::Vector3d& p) const { return p.z() - lowest[bin(p.x())]; }  ///< above the sole, mm
};

/// `given` when the caller has the mask, else the mask computed into `own`.
const std::vector<std::uint8_t>& plantar_of(const Geometry& ff, double Lf, const std::vector<std::uint8_t>* given,
                                            std::vector<std::uint8_t>& own) {
  if (given) {
    if (given->size() != ff.vertices.size()) throw Error(ErrorCode::internal, "pressure", "plantar mask differs in size");
    return *given;
  }
  own = plantar_mask(ff, Lf);
  return own;
}

/// Piecewise-linear lookup in (x ascending, value) samples; 0 outside.
double lookup(const std::vector<std::pair<double, double>>& s, double x) {
  if (s.empty() || x < s.front().first || x > s.back().first) return 0.0;
  const auto it = std::lower_bound(s.begin(), s.end(), x, [](const auto& a, double v) { return a.first < v; });
  if (it == s.begin()) return it->second;
  const auto& a = *(it - 1);
  const auto& b = *it;
  return b.first > a.first ? a.second + (x - a.first) / (b.first - a.first) * (b.second - a.second) : b.second;
}

}  // namespace

void Options::validate() const {
  auto in = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  if (!in(vamp_stiffness_n_per_mm, 0, 50) || !in(lace_zone_stiffness_n_per_mm, 0, 50))
    throw Error(ErrorCode::usage, "pressure", "upper stiffness must be in [0, 50] N/mm");
  if (!in(section_step_mm, 1, 20)) throw Error(ErrorCode::usage, "pressure", "section_step_mm must be in [1, 20] mm");
  if (!in(membrane_scale_mm, 0, 20)) throw Error(ErrorCode::usage, "pressure", "membrane_scale_mm must be in [0, 20] mm");
  if (!in(min_radius_mm, 1, 50)) throw Error(ErrorCode::usage, "pressure", "min_radius_mm must be in [1, 50] mm");
  if (!in(toe_puff_from_pct, 70, 100) || !in(counter_to_pct, 0, 40))
    throw Error(ErrorCode::usage, "pressure", "toe_puff_from_pct must be in [70, 100] %, counter_to_pct in [0, 40] %");
  toe_puff.validate();
  counter.validate();
}

std::vector<std::uint8_t> plantar_mask(const Geometry& ff, double Lf) {
  if (!(Lf > 0)) throw Error(ErrorCode::internal, "pressure", "plantar mask needs a positive foot length");
  const SoleBins sole(ff, Lf);
  const auto nrm = save::vertex_normals(ff);
  std::vector<std::uint8_t> m(ff.vertices.size(), 0);
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = (sole.height(ff.vertices[i]) < 8.0 && nrm[i].z() < -0.3) ? 1 : 0;
  return m;
}

std::vector<std::uint8_t> contact_zone(const Geometry& ff, double Lf, const std::vector<std::uint8_t>* inside_shoe,
                                       const Options& o, const std::vector<std::uint8_t>* plantar_given) {
  const std::size_t n = ff.vertices.size();
  if (!(Lf > 0)) throw Error(ErrorCode::internal, "pressure", "contact zone needs a positive foot length");
  if (inside_shoe && inside_shoe->size() != n) throw Error(ErrorCode::internal, "pressure", "inside_shoe differs in size");
  std::vector<std::uint8_t> own;
  const std::vector<std::uint8_t>& plantar = plantar_of(ff, Lf, plantar_given, own);
  const SoleBins sole(ff, Lf);
  std::vector<std::uint8_t> zone(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if ((inside_shoe && !(*inside_shoe)[i]) || plantar[i]) continue;
    const Eigen::Vector3d& p = ff.vertices[i];
    const double u = p.x() / Lf;
    zone[i] = (u > o.toe_puff_from_pct / 100 || (u < o.counter_to_pct / 100 && sole.height(p) < 50.0)) ? 1 : 0;
  }
  return zone;
}

Field shoe_pressure(const ShoeInput& in, const Options& o) {
  o.validate();
  if (!in.foot_in_last || !in.foot_in_foot_frame || !in.clearance_mm || !in.last || !(in.foot_length_mm > 0))
    throw Error(ErrorCode::internal, "pressure", "incomplete shoe input");
  const Geometry& g = *in.foot_in_last;
  const Geometry& ff = *in.foot_in_foot_frame;
  if (!g.is_mesh()) throw Error(ErrorCode::invalid_input, "pressure", "pressure needs a foot mesh (a point cloud was given)");
  const std::size_t n = g.vertices.size();
  if (ff.vertices.size() != n || in.clearance_mm->size() != n || (in.inside_shoe && in.inside_shoe->size() != n))
    throw Error(ErrorCode::internal, "pressure", "foot, foot-frame foot and clearance differ in size");
  const double Lf = in.foot_length_mm;
  const last::Last& L = *in.last;
  const double Ls = L.measurements.stick_length_mm;
  Field f;
  f.membrane_kpa.assign(n, 0.0), f.indentation_kpa.assign(n, 0.0), f.lace_kpa.assign(n, 0.0), f.sock_kpa.assign(n, 0.0);
  f.total_kpa.assign(n, 0.0);
  // Capped before the averaging too: a sliver's cotangent spike (up to 260/mm on a real scan) would otherwise spread
  // over its neighbours, and a non-finite one would spread as NaN.
  std::vector<double> H = contact::mean_curvature(g);
  for (double& h : H) h = std::isfinite(h) ? std::clamp(h, -1.0 / o.min_radius_mm, 1.0 / o.min_radius_mm) : 0.0;
  H = contact::smoothed_over(g, std::move(H), o.membrane_scale_mm);
  for (double& h : H) h = std::min(h, 1.0 / o.min_radius_mm);
  std::vector<std::uint8_t> own_plantar;
  const std::vector<std::uint8_t>& plantar = plantar_of(ff, Lf, in.plantar, own_plantar);
  auto inside = [&](std::size_t i) { return !in.inside_shoe || (*in.inside_shoe)[i] != 0; };

  // Upper membrane: girth strain per section.
  double last_top = -1e300;
  for (const auto& p : L.mesh.vertices) last_top = std::max(last_top, p.z());
  std::vector<std::pair<double, double>> tension;  // (x, N/mm)
  std::vector<double> xs;
  for (double x = 0.3 * Ls; x <= Ls; x += o.section_step_mm) xs.push_back(x);
  const auto last_secs = measure::sections_along_x(L.mesh, xs, 0.5);  // one pass over each mesh for all stations
  const auto foot_secs = measure::sections_along_x(g, xs, 0.5);
  for (std::size_t s = 0; s < xs.size(); ++s) {
    const double x = xs[s];
    const auto& last_sec = last_secs[s];
    if (last_sec.size() < 3) continue;
    // Behind the throat the shoe is open above the last's top: the ankle there is outside (place::kCollarEndPct).
    const double top = x <= place::kCollarEndPct / 100 * Ls ? last_top : 1e300;
    std::vector<Eigen::Vector3d> foot_sec;
    for (const auto& p : foot_secs[s])
      if (p.z() <= top) foot_sec.push_back(p);
    double N = 0;
    if (foot_sec.size() >= 3) {
      const double c_upper = measure::convex_perimeter(last_sec, Eigen::Vector3d::UnitX());
      const double c_foot = measure::convex_perimeter(foot_sec, Eigen::Vector3d::UnitX());
      const double k = x > 0.6 * Lf ? o.vamp_stiffness_n_per_mm : o.lace_zone_stiffness_n_per_mm;
      N = k * std::max(0.0, c_foot - c_upper) / c_upper;  // ARCHITECTURE "upper as a membrane", P6
    }
    tension.emplace_back(x, N);
  }
  for (std::size_t i = 0; i < n; ++i)
    if (inside(i) && !plantar[i] && H[i] > 0) f.membrane_kpa[i] = 2.0 * lookup(tension, g.vertices[i].x()) * H[i] * 1000.0;

  // Indentation against the stiff toe puff and heel counter (Winkler).
  const std::vector<std::uint8_t> own_zone =
      in.contact_zone ? std::vector<std::uint8_t>{} : contact_zone(ff, Lf, in.inside_shoe, o, &plantar);
  const std::vector<std::uint8_t>& zone = in.contact_zone ? *in.contact_zone : own_zone;
  if (zone.size() != n) throw Error(ErrorCode::internal, "pressure", "contact zone differs in size from the foot");
  for (std::size_t i = 0; i < n; ++i) {
    const double c = (*in.clearance_mm)[i];
    if (!(c < 0) || !zone[i]) continue;
    f.indentation_kpa[i] = contact::winkler_kpa(-c, ff.vertices[i].x() / Lf > o.toe_puff_from_pct / 100 ? o.toe_puff : o.counter);
  }
  if (in.lacing) {
    f.lace_kpa = lacing::pressure_kpa(*in.lacing, g, in.lacing_options);
    if (f.lace_kpa.size() != n) throw Error(ErrorCode::internal, "pressure", "lace pressure size mismatch");
    for (std::size_t i = 0; i < n; ++i)
      if (!inside(i)) f.lace_kpa[i] = 0.0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    f.total_kpa[i] = std::max(f.membrane_kpa[i], f.indentation_kpa[i]) + f.lace_kpa[i];
    if (!std::isfinite(f.total_kpa[i]) || f.total_kpa[i] < 0)
      throw Error(ErrorCode::internal, "pressure", "non-finite or negative pressure at vertex " + std::to_string(i));
  }
  return f;
}

void add_sock_pressure(Field& f, const Geometry& ff, double Lf, const sock::SockSpec& s, double min_radius_mm,
                       const std::vector<std::uint8_t>* plantar_given) {
  (void)min_radius_mm;  // the band law below uses each section's round-limb radius, not local curvature
  if (!ff.is_mesh()) throw Error(ErrorCode::invalid_input, "pressure", "sock pressure needs a foot mesh");
  if (!(Lf > 0)) throw Error(ErrorCode::invalid_input, "pressure", "sock pressure needs a positive foot length");
  const std::size_t n = ff.vertices.size();
  if (f.total_kpa.empty()) {
    f.total_kpa.assign(n, 0.0), f.membrane_kpa.assign(n, 0.0), f.indentation_kpa.assign(n, 0.0), f.lace_kpa.assign(n, 0.0);
  }
  if (f.total_kpa.size() != n) throw Error(ErrorCode::internal, "pressure", "sock: field size differs from the foot");
  f.sock_kpa.assign(n, 0.0);
  std::vector<std::uint8_t> own_plantar;
  const std::vector<std::uint8_t>& plantar = plantar_of(ff, Lf, plantar_given, own_plantar);
  // Where the foot part of the sock ends: below the leg profile when there is one, else (an ankle sock) at the
  // height sock_from_mesh clips its rear stations (src/sock: kFootCutHeightFraction of the length).
  const bool has_leg = !s.leg.empty();
  const double foot_top = has_leg ? s.leg.front().height_mm : sock::kFootCutHeightFraction * Lf;
  const double leg_top = has_leg ? s.leg.back().height_mm : foot_top;
  // A knit band has hoop tension only: p = T / (R + t/2) with R the round-limb radius girth / 2 pi of its section
  // (literature.md P6, the hosiery formula's assumption; contact::band_pressure_kpa).
  struct Station {
    double at = 0, kpa = 0;
  };
  std::vector<Station> foot_p, leg_p;
  std::vector<double> pcts, xs;
  for (double pct = 1; pct <= 99; pct += 2) pcts.push_back(pct), xs.push_back(pct / 100 * Lf);
  const auto secs = measure::sections_along_x(ff, xs, 0.5);  // one pass over the faces for all stations
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const double x = xs[k], pct = pcts[k];
    std::vector<Eigen::Vector3d> sec;
    for (const auto& p : secs[k])
      if (p.z() < foot_top) sec.push_back(p);
    if (sec.size() < 3) continue;
    const double girth = measure::convex_perimeter(sec, Eigen::Vector3d::UnitX());
    const contact::Band band{sock::relaxed_circumference_at(s, pct), s.fabric_modulus_n_per_mm, s.thickness_mm};
    foot_p.push_back({x, contact::band_pressure_kpa(band, girth, girth / (2 * std::numbers::pi))});
  }
  if (has_leg) {
    for (double h = foot_top; h <= leg_top; h += 5.0) {
      const auto relaxed = sock::relaxed_leg_circumference_at(s, h);
      if (!relaxed) break;
      std::vector<Eigen::Vector3d> sec;
      for (const auto& p : measure::section(ff, Eigen::Vector3d(0, 0, h), Eigen::Vector3d::UnitZ(), 0.5))
        if (p.x() < 0.45 * Lf) sec.push_back(p);
      if (sec.size() < 3) continue;
      const double girth = measure::convex_perimeter(sec, Eigen::Vector3d::UnitZ());
      leg_p.push_back({h, contact::band_pressure_kpa({*relaxed, s.fabric_modulus_n_per_mm, s.thickness_mm}, girth,
                                                     girth / (2 * std::numbers::pi))});
    }
  }
  auto as_pairs = [](const std::vector<Station>& v) {
    std::vector<std::pair<double, double>> o;
    for (const auto& st : v) o.emplace_back(st.at, st.kpa);
    return o;
  };
  const auto fp = as_pairs(foot_p), lp = as_pairs(leg_p);
  for (std::size_t i = 0; i < n; ++i) {
    if (plantar[i]) continue;
    const Eigen::Vector3d& p = ff.vertices[i];
    double kpa = 0;
    if (p.z() < foot_top) kpa = lookup(fp, p.x());
    else if (has_leg && p.z() <= leg_top && p.x() < 0.45 * Lf) kpa = lookup(lp, p.z());
    // else: above the sock's top, or the top of the foot in front of the leg above the foot part: not covered
    f.sock_kpa[i] = kpa;
    f.total_kpa[i] += kpa;
  }
}

std::vector<std::string> assumptions(const Options& o, bool shoe, bool sock, const lacing::Options* lace) {
  std::vector<std::string> a;
  if (shoe) {
    a.push_back("upper: an isotropic membrane stretched by the girth excess of each cross-section over the last, " +
                fmt_fixed(o.vamp_stiffness_n_per_mm) + " N/mm per unit strain over the vamp and " +
                fmt_fixed(o.lace_zone_stiffness_n_per_mm) +
                " N/mm over the lace zone (no sourced values, literature M3: estimates)");
    a.push_back("toe puff and heel counter: Winkler foundation of soft tissue (E = 0.20 MPa, literature M1) in series "
                "with a stiff lining (estimate); elsewhere the soft upper yields and the membrane term counts");
    if (lace)
      a.push_back("laces: " + lacing::pattern_text(*lace) + " at " + fmt_fixed(lace->lace_tension_n) +
                  " N, capstan friction mu = " + fmt_fixed(lace->friction_mu, 2) +
                  " (literature P7); dorsal pressure magnitudes under laces are not sourced (P1, P5b): model estimate");
    a.push_back("the plantar surface is not modelled (no insole pressure)");
  }
  if (sock)
    a.push_back("sock: knit bands at each station, tension = fabric modulus x strain, Laplace pressure with the "
                "tension at mid-thickness (literature P6); under a shoe the sock's and the shoe's pressures add");
  a.push_back("how much skin pressure reaches a nerve is not known (literature N): thresholds are applied to skin "
              "pressure over the nerve's path");
  a.push_back("decision support, not a diagnosis");
  return a;
}

}  // namespace fitcheck::pressure
