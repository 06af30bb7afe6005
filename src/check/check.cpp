#include "check/check.hpp"

#include <algorithm>
#include <cmath>

#include "clean/clean.hpp"
#include "core/error.hpp"

namespace fitcheck::check {

void Options::validate() const {
  if (!(std::isfinite(run_minutes) && run_minutes >= 0 && run_minutes <= 1440))
    throw Error(ErrorCode::usage, "check", "run minutes must be in [0, 1440]");
  lacing.validate();
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

Result run(const measure::ScanResult& scan, const last::Last* last, const Options& o) {
  o.validate();
  if (!last && !o.sock) throw Error(ErrorCode::usage, "check", "give a last, a sock, or both");
  Result r;
  const double Lf = scan.result.measurements.foot_length_mm;
  // The pressure model needs a surface: a point-cloud scan gets its Poisson surface (foot frame).
  if (scan.frame.aligned.is_mesh()) {
    r.foot = scan.frame.aligned;
  } else {
    r.foot = clean::reconstruct_surface(scan.frame.aligned);
    r.warnings.push_back("point-cloud scan: pressures are computed on its Poisson surface (gaps are bridged)");
  }
  r.atlas = nerves::build_atlas(r.foot, scan.result, o.hotspots.nerves);
  r.warnings.insert(r.warnings.end(), r.atlas.warnings.begin(), r.atlas.warnings.end());
  r.minutes = time_points(o.run_minutes);
  const std::vector<swell::State> states = swell::simulate(r.foot, scan.result, r.minutes, o.swell);

  std::optional<place::SignedDistance> sd;
  if (last) {
    r.fit = place::place_foot(r.foot, scan.result, *last, o.place);
    r.warnings.insert(r.warnings.end(), r.fit->warnings.begin(), r.fit->warnings.end());
    if (o.laces) {
      r.layout = lacing::lay_out(*last, o.lacing);
    }
    sd.emplace(last->mesh);
  }
  const std::size_t n = r.foot.vertices.size();
  r.peak_kpa.assign(n, 0.0);
  std::vector<std::vector<double>> totals;
  for (const swell::State& st : states) {
    pressure::Field field;
    if (last) {
      Geometry placed = r.fit->foot;
      for (std::size_t i = 0; i < n; ++i)
        placed.vertices[i] += r.fit->local_rotation[i] * (st.foot.vertices[i] - r.foot.vertices[i]);
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
      field = pressure::shoe_pressure(in, o.pressure);
      r.feet.push_back(std::move(placed));
    } else {
      r.feet.push_back(st.foot);
    }
    if (o.sock) pressure::add_sock_pressure(field, st.foot, Lf, *o.sock, o.pressure.min_radius_mm);
    for (std::size_t i = 0; i < n; ++i) r.peak_kpa[i] = std::max(r.peak_kpa[i], field.total_kpa[i]);
    totals.push_back(field.total_kpa);
    r.fields.push_back(std::move(field));
  }
  r.hot = hotspots::find(r.foot, Lf, r.minutes, totals, r.atlas, o.hotspots);
  r.assumptions = swell::assumptions(o.swell);
  const auto pa = pressure::assumptions(o.pressure, last != nullptr, o.sock.has_value(),
                                        last && o.laces ? &o.lacing : nullptr);
  r.assumptions.insert(r.assumptions.end(), pa.begin(), pa.end());
  return r;
}

}  // namespace fitcheck::check
