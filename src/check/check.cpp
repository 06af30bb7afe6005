#include "check/check.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "clean/clean.hpp"
#include "contact/contact.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "save/save.hpp"

namespace fitcheck::check {

void Options::validate() const {
  if (!(std::isfinite(run_minutes) && run_minutes >= 0 && run_minutes <= 1440))
    throw Error(ErrorCode::usage, "check", "run minutes must be in [0, 1440]");
  lacing.validate();
  if (!(std::isfinite(lace_comfort_mmhg) && lace_comfort_mmhg >= 2 && lace_comfort_mmhg <= 40))
    throw Error(ErrorCode::usage, "check", "lace comfort pressure must be in [2, 40] mmHg");
  swell.validate();
  place.validate();
  pressure.validate();
  hotspots.validate();
}

std::vector<double> time_points(double run) {
  std::vector<double> t;
  const double grid[] = {0, 5, 10, 20, 30, 45, 60, 90, 120, 180, 240};
  for (double g : grid)
    if (g < run || g == 0) t.push_back(g);
  for (double g = 300; g < run; g += 60) t.push_back(g);
  if (run > 0) t.push_back(run);
  return t;
}

std::vector<std::string> red_flags() {
  // shared/seed/why-legs-go-numb.txt, "Identifying Warning Signs and Seeking Professional Help".
  return {
      "severe muscle weakness, such as being unable to lift the foot (foot drop): see a clinician promptly",
      "sudden changes in bowel or bladder function: seek medical attention immediately",
      "numbness that spreads, or symptoms that worsen over time despite rest: see a clinician",
      "numbness that lingers for hours after running, or comes on when not running: a chronic problem for a clinician, "
      "not a shoe change",
      "numbness radiating from the buttock or lower back, or calf pain that starts after a set time and fades within "
      "minutes of stopping, points away from footwear (piriformis, spine, exertional compartment syndrome)",
  };
}

namespace {

/// Lays out the laces on `last` with the tension of `o` (comfort lacing: solved on the resting placed foot).
void lay_laces(Result& r, const last::Last& last, const Options& o) {
  r.layout = {};
  r.lace_tension_n = 0;
  if (!o.laces) return;
  lacing::Options lo = o.lacing;
  if (o.lace_to_comfort) {
    // Lace pressure is linear in the tension: lay out at 1 N, read the peak on the resting foot, scale.
    lo.lace_tension_n = 1.0;
    const lacing::Layout unit = lacing::lay_out(last, lo);
    // On the foot at the first time point (the resting foot as the pressure model sees it at minute 0).
    const std::vector<double> p1 = lacing::pressure_kpa(unit, r.feet.empty() ? r.fit->foot : r.feet.front(), lo);
    double peak = 0;
    for (std::size_t i = 0; i < p1.size(); ++i)
      if (r.fit->inside_shoe[i]) peak = std::max(peak, p1[i]);
    const double target_kpa = contact::kpa(o.lace_comfort_mmhg);
    if (peak > 0) {
      lo.lace_tension_n = std::clamp(target_kpa / peak, 0.5, 200.0);
    } else {
      lo.lace_tension_n = o.lacing.lace_tension_n;
      r.warnings.push_back("comfort lacing: the laces do not reach the foot; using the default lace tension");
    }
  }
  r.lace_tension_n = lo.lace_tension_n;
  r.layout = lacing::lay_out(last, lo);
}

void finish(Result& r, const last::Last* last, const Options& o, const std::vector<std::vector<double>>& totals) {
  r.hot = hotspots::find(r.foot, r.foot_length_mm, r.minutes, totals, r.atlas, o.hotspots);
  r.assumptions = swell::assumptions(o.swell);
  lacing::Options used = o.lacing;
  used.lace_tension_n = r.lace_tension_n;
  const auto pa = pressure::assumptions(o.pressure, last != nullptr, o.sock.has_value(),
                                        last && o.laces ? &used : nullptr);
  r.assumptions.insert(r.assumptions.end(), pa.begin(), pa.end());
  if (last && o.laces && o.lace_to_comfort)
    r.assumptions.push_back("comfort lacing: the lace tension (" + fmt_fixed(r.lace_tension_n) +
                            " N) was solved so that the laces alone give " + fmt_fixed(o.lace_comfort_mmhg) +
                            " mmHg at their highest point on the resting foot, below the 20 mmHg caution line "
                            "(a model anchor: runners lace to the resting foot, literature S4); kept over the run");
}

}  // namespace

Result run(const measure::ScanResult& scan, const last::Last* last, const Options& o) {
  o.validate();
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](Result& res, const char* name) {
    const auto t = std::chrono::steady_clock::now();
    res.timings_ms.emplace_back(name, std::chrono::duration<double, std::milli>(t - t0).count());
    t0 = t;
  };
  if (!last && !o.sock) throw Error(ErrorCode::usage, "check", "give a last, a sock, or both");
  Result r;
  const double Lf = scan.result.measurements.foot_length_mm;
  r.foot_length_mm = Lf;
  // The pressure model needs a surface: a point-cloud scan gets its Poisson surface (foot frame).
  if (scan.frame.aligned.is_mesh()) {
    r.foot = scan.frame.aligned;
  } else {
    r.foot = clean::reconstruct_surface(scan.frame.aligned);
    r.warnings.push_back("point-cloud scan: pressures are computed on its Poisson surface (gaps are bridged)");
  }
  r.atlas = nerves::build_atlas(r.foot, scan.result, o.hotspots.nerves);
  r.warnings.insert(r.warnings.end(), r.atlas.warnings.begin(), r.atlas.warnings.end());
  lap(r, "nerve atlas");
  r.minutes = time_points(o.run_minutes);
  const std::vector<swell::State> states = swell::simulate(r.foot, scan.result, r.minutes, o.swell);
  lap(r, "swelling");

  std::optional<place::SignedDistance> sd;
  if (last) {
    r.fit = place::place_foot(r.foot, scan.result, *last, o.place);
    r.warnings.insert(r.warnings.end(), r.fit->warnings.begin(), r.fit->warnings.end());
    lap(r, "placement");
    sd.emplace(last->mesh);
    // The placed foot at every time point first (the comfort lacing is solved on the first).
    for (const swell::State& st : states) {
      Geometry placed = r.fit->foot;
      for (std::size_t i = 0; i < placed.vertices.size(); ++i)
        placed.vertices[i] += r.fit->local_rotation[i] * (st.foot.vertices[i] - r.foot.vertices[i]);
      if (o.sock) {
        // A sock under the shoe takes its thickness of room everywhere: the shoe sees the foot offset outward by the
        // fabric thickness (the sock's own band pressure is computed on the bare foot, below).
        const std::vector<Eigen::Vector3d> nrm = save::vertex_normals(placed);
        for (std::size_t i = 0; i < placed.vertices.size(); ++i) placed.vertices[i] += o.sock->thickness_mm * nrm[i];
      }
      r.feet.push_back(std::move(placed));
    }
    lay_laces(r, *last, o);
    lap(r, "laces");
  }
  const std::size_t n = r.foot.vertices.size();
  r.peak_kpa.assign(n, 0.0);
  std::vector<std::vector<double>> totals;
  for (std::size_t k = 0; k < states.size(); ++k) {
    const swell::State& st = states[k];
    pressure::Field field;
    if (last) {
      const Geometry& placed = r.feet[k];
      const std::vector<double> clearance = sd->query(placed.vertices);
      pressure::ShoeInput in;
      in.foot_in_last = &placed;
      in.foot_in_foot_frame = &st.foot;
      in.clearance_mm = &clearance;
      in.inside_shoe = &r.fit->inside_shoe;
      in.foot_length_mm = Lf;
      in.last = last;
      in.lacing = o.laces ? &r.layout : nullptr;
      in.lacing_options = o.lacing;
      in.lacing_options.lace_tension_n = r.lace_tension_n;
      field = pressure::shoe_pressure(in, o.pressure);
    } else {
      r.feet.push_back(st.foot);
    }
    if (o.sock) pressure::add_sock_pressure(field, st.foot, Lf, *o.sock, o.pressure.min_radius_mm);
    for (std::size_t i = 0; i < n; ++i) r.peak_kpa[i] = std::max(r.peak_kpa[i], field.total_kpa[i]);
    totals.push_back(field.total_kpa);
    r.fields.push_back(std::move(field));
  }
  lap(r, "pressure at every time point");
  finish(r, last, o, totals);
  lap(r, "hotspots");
  return r;
}

Result relace(const Result& base, const last::Last& last, const Options& o) {
  o.validate();
  if (!base.fit || base.fields.size() != base.minutes.size() || base.feet.size() != base.minutes.size())
    throw Error(ErrorCode::usage, "check", "relace needs a check of a foot in a last");
  Result r;
  r.foot = base.foot;
  r.foot_length_mm = base.foot_length_mm;
  r.fit = base.fit;
  r.minutes = base.minutes;
  r.feet = base.feet;
  r.atlas = base.atlas;
  r.warnings = base.warnings;
  lay_laces(r, last, o);
  lacing::Options lo = o.lacing;
  lo.lace_tension_n = r.lace_tension_n;
  const std::size_t n = r.foot.vertices.size();
  r.peak_kpa.assign(n, 0.0);
  std::vector<std::vector<double>> totals;
  for (std::size_t k = 0; k < r.minutes.size(); ++k) {
    pressure::Field f = base.fields[k];
    f.lace_kpa = o.laces ? lacing::pressure_kpa(r.layout, r.feet[k], lo) : std::vector<double>(n, 0.0);
    // The same sum as pressure::shoe_pressure and add_sock_pressure, in the same order.
    for (std::size_t i = 0; i < n; ++i) {
      if (!r.fit->inside_shoe[i]) f.lace_kpa[i] = 0.0;
      f.total_kpa[i] = std::max(f.membrane_kpa[i], f.indentation_kpa[i]) + f.lace_kpa[i];
      if (o.sock) f.total_kpa[i] += f.sock_kpa[i];
      r.peak_kpa[i] = std::max(r.peak_kpa[i], f.total_kpa[i]);
    }
    totals.push_back(f.total_kpa);
    r.fields.push_back(std::move(f));
  }
  finish(r, &last, o, totals);
  return r;
}

}  // namespace fitcheck::check
