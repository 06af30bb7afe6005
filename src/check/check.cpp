#include "check/check.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "clean/clean.hpp"
#include "contact/contact.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "core/parallel.hpp"
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

bool FootModel::made_with(const Options& o) const {
  return run_minutes == o.run_minutes && swell == o.swell && nerves == o.hotspots.nerves;
}

FootModel model_foot(const measure::ScanResult& scan, const Options& o) {
  o.validate();
  auto t0 = std::chrono::steady_clock::now();
  FootModel m;
  auto lap = [&](const char* name) {
    const auto t = std::chrono::steady_clock::now();
    m.timings_ms.emplace_back(name, std::chrono::duration<double, std::milli>(t - t0).count());
    t0 = t;
  };
  m.run_minutes = o.run_minutes;
  m.swell = o.swell;
  m.nerves = o.hotspots.nerves;
  m.foot_length_mm = scan.result.measurements.foot_length_mm;
  // The pressure model needs a surface: a point-cloud scan gets its Poisson surface (foot frame).
  if (scan.frame.aligned.is_mesh()) {
    m.foot = scan.frame.aligned;
  } else {
    m.foot = measure::cloud_surface(scan.frame.aligned);
    m.warnings.push_back("point-cloud scan: pressures are computed on its Poisson surface (gaps are bridged)");
  }
  lap("surface");
  // The nerve atlas and the swelling are independent: side by side (each step's own wall time is reported; they
  // overlap). A failure of the atlas is reported before one of the swelling, as in a loop (parallel_for).
  m.minutes = time_points(o.run_minutes);
  double atlas_ms = 0, swell_ms = 0;
  parallel_for(2, 2, [&](std::size_t job) {
    const auto start = std::chrono::steady_clock::now();
    if (job == 0) m.atlas = nerves::build_atlas(m.foot, scan.result, o.hotspots.nerves);
    else m.states = swell::simulate(m.foot, scan.result, m.minutes, o.swell);
    (job == 0 ? atlas_ms : swell_ms) = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  });
  m.warnings.insert(m.warnings.end(), m.atlas.warnings.begin(), m.atlas.warnings.end());
  m.timings_ms.emplace_back("nerve atlas", atlas_ms);
  m.timings_ms.emplace_back("swelling", swell_ms);
  return m;
}

namespace {

/// run() with the last's signed distance given (null: built here).
Result run_with(const measure::ScanResult& scan, std::shared_ptr<const FootModel> model, const last::Last* last,
                const Options& o, std::unique_ptr<const place::SignedDistance> given_sd) {
  o.validate();
  if (!last && !o.sock) throw Error(ErrorCode::usage, "check", "give a last, a sock, or both");
  if (!model || !model->made_with(o))
    throw Error(ErrorCode::usage, "check", "the foot model was made with other run minutes, swelling or nerve options");
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](Result& res, const char* name) {
    const auto t = std::chrono::steady_clock::now();
    res.timings_ms.emplace_back(name, std::chrono::duration<double, std::milli>(t - t0).count());
    t0 = t;
  };
  Result r;
  const FootModel& fm = *model;
  r.foot_model = model;
  r.foot = fm.foot;
  r.foot_length_mm = fm.foot_length_mm;
  const double Lf = r.foot_length_mm;
  r.atlas = fm.atlas;
  r.minutes = fm.minutes;
  r.warnings = fm.warnings;
  const std::vector<swell::State>& states = fm.states;

  std::unique_ptr<const place::SignedDistance> sd = std::move(given_sd);
  // Per time point, when made before the placement (else in the time-point loop): the plantar surface and the
  // contact zone without the inside-shoe test.
  std::vector<std::vector<std::uint8_t>> plantars, open_zones;
  if (last) {
    if (!sd) sd = std::make_unique<const place::SignedDistance>(last->mesh);
    // With regions left unrated (a caller that needs only some, e.g. recommend's candidates), the placement's
    // clearance is computed where the pressure reads it: the contact zone at any time point (here without the
    // inside-shoe test, a superset). The pressures are the same as with every vertex's clearance (and would be with
    // a smaller set: a vertex without one, NaN, is no bound below and is queried at each time point instead).
    std::optional<std::vector<std::uint8_t>> wanted;
    if (!o.place.rates_all_regions()) {
      plantars.resize(states.size());
      open_zones.resize(states.size());
      parallel_for(states.size(), 2, [&](std::size_t k) {
        plantars[k] = pressure::plantar_mask(states[k].foot, Lf);
        open_zones[k] = pressure::contact_zone(states[k].foot, Lf, nullptr, o.pressure, &plantars[k]);
      });
      wanted.emplace(fm.foot.vertices.size(), 0);
      for (const auto& zone : open_zones)
        for (std::size_t i = 0; i < zone.size(); ++i) (*wanted)[i] |= zone[i];
    }
    r.fit = place::place_foot(r.foot, scan.result, *last, o.place, sd.get(), wanted ? &*wanted : nullptr);
    r.warnings.insert(r.warnings.end(), r.fit->warnings.begin(), r.fit->warnings.end());
    lap(r, "placement");
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
  if (!last)
    for (const swell::State& st : states) r.feet.push_back(st.foot);
  // The time points are independent: two at a time (each field is stored at its own index).
  r.fields.resize(states.size());
  // Per time point, the deepest interference with the toe puff and with the heel counter, mm (for the range note).
  std::vector<double> deepest_toe(states.size(), 0.0), deepest_heel(states.size(), 0.0);
  parallel_for(states.size(), 2, [&](std::size_t k) {
    const swell::State& st = states[k];
    pressure::Field field;
    // The plantar surface at this time point: no shoe or sock pressure there (made once for both).
    const std::vector<std::uint8_t> plantar = plantars.empty() ? pressure::plantar_mask(st.foot, Lf) : std::move(plantars[k]);
    if (last) {
      const Geometry& placed = r.feet[k];
      // The clearance counts only where it is negative in the contact zone (toe puff, heel counter), so only the
      // vertices there that may touch the last are queried. A signed distance changes by at most the distance the
      // point moved (it is 1-Lipschitz): a vertex whose placement clearance exceeds its move since placement still
      // has room, and that lower bound stands in for it. Vertices outside the zone get +inf (never read as contact).
      // The pressures are the same as with every distance queried (pressure::ShoeInput::clearance_mm).
      // The zone is the open one (made before the placement) inside the shoe, or made here.
      std::vector<std::uint8_t> zone;
      if (open_zones.empty()) {
        zone = pressure::contact_zone(st.foot, Lf, &r.fit->inside_shoe, o.pressure, &plantar);
      } else {
        zone = std::move(open_zones[k]);
        if (zone.size() != n || r.fit->inside_shoe.size() != n)
          throw Error(ErrorCode::internal, "check", "contact zone and inside-shoe mask differ in size from the foot");
        for (std::size_t i = 0; i < n; ++i) zone[i] = zone[i] && r.fit->inside_shoe[i];
      }
      std::vector<double> clearance(n, std::numeric_limits<double>::infinity());
      std::vector<Eigen::Vector3d> near;
      std::vector<std::size_t> near_ids;
      std::vector<place::SignedDistance::Hint> hints;
      for (std::size_t i = 0; i < n; ++i) {
        if (!zone[i]) continue;
        const double bound = r.fit->clearance_mm[i] - (placed.vertices[i] - r.fit->foot.vertices[i]).norm();
        if (bound > 1e-6) {
          clearance[i] = bound;
        } else {
          near_ids.push_back(i);
          near.push_back(placed.vertices[i]);
          hints.push_back(r.fit->clearance_hints[i]);
        }
      }
      const std::vector<double> d = sd->query(near, nullptr, &hints);
      for (std::size_t j = 0; j < near_ids.size(); ++j) {
        clearance[near_ids[j]] = d[j];
        const bool toe = st.foot.vertices[near_ids[j]].x() / Lf > o.pressure.toe_puff_from_pct / 100;
        double& deepest = toe ? deepest_toe[k] : deepest_heel[k];
        deepest = std::max(deepest, -d[j]);
      }
      pressure::ShoeInput in;
      in.foot_in_last = &placed;
      in.foot_in_foot_frame = &st.foot;
      in.clearance_mm = &clearance;
      in.inside_shoe = &r.fit->inside_shoe;
      in.contact_zone = &zone;
      in.plantar = &plantar;
      in.foot_length_mm = Lf;
      in.last = last;
      in.lacing = o.laces ? &r.layout : nullptr;
      in.lacing_options = o.lacing;
      in.lacing_options.lace_tension_n = r.lace_tension_n;
      field = pressure::shoe_pressure(in, o.pressure);
    }
    if (o.sock) pressure::add_sock_pressure(field, st.foot, Lf, *o.sock, o.pressure.min_radius_mm, &plantar);
    r.fields[k] = std::move(field);
  });
  std::vector<std::vector<double>> totals;
  for (const pressure::Field& field : r.fields) {
    for (std::size_t i = 0; i < n; ++i) r.peak_kpa[i] = std::max(r.peak_kpa[i], field.total_kpa[i]);
    totals.push_back(field.total_kpa);
  }
  // The indentation law is a linear foundation of soft tissue over bone in series with the shoe's lining
  // (contact::Foundation): an interference deeper than compresses one of the layers fully is outside it -- the foot
  // would not go into the shoe, and the pressures there say "far too tight", not how much.
  auto beyond = [&](const std::vector<double>& deepest, const contact::Foundation& f, const char* part) {
    const double worst = deepest.empty() ? 0.0 : *std::max_element(deepest.begin(), deepest.end());
    const double range = contact::fully_compressed_mm(f);
    if (!(worst > range)) return;
    r.warnings.push_back(std::string("the foot presses up to ") + fmt_fixed(worst) + " mm into the " + part +
                         ", deeper than the " + fmt_fixed(range) + " mm at which the first of the contact law's layers "
                         "there (" + fmt_fixed(f.tissue_thickness_mm, 0) + " mm of soft tissue, literature M1, under " +
                         fmt_fixed(f.lining_thickness_mm, 0) + " mm of lining) would be fully compressed: the "
                         "foot would not go into this shoe, and the pressures there (up to " +
                         fmt_fixed(contact::mmhg(contact::winkler_kpa(worst, f)), 0) +
                         " mmHg) are beyond the model's range -- read them as far too tight, not as predictions");
  };
  beyond(deepest_toe, o.pressure.toe_puff, "toe puff (the stiff toe cap)");
  beyond(deepest_heel, o.pressure.counter, "heel counter");
  lap(r, "pressure at every time point");
  finish(r, last, o, totals);
  lap(r, "hotspots");
  return r;
}

}  // namespace

Result run(const measure::ScanResult& scan, const last::Last* last, const Options& o) {
  o.validate();
  if (!last && !o.sock) throw Error(ErrorCode::usage, "check", "give a last, a sock, or both");
  // The foot's half and the last's signed distance (its AABB tree) are independent: side by side. A failure of the
  // foot's half is reported first, as in a loop (parallel_for).
  std::shared_ptr<const FootModel> model;
  std::unique_ptr<const place::SignedDistance> sd;
  double sd_ms = 0;
  parallel_for(last ? 2 : 1, 2, [&](std::size_t job) {
    const auto start = std::chrono::steady_clock::now();
    if (job == 0) {
      model = std::make_shared<const FootModel>(model_foot(scan, o));
    } else {
      sd = std::make_unique<const place::SignedDistance>(last->mesh);
      sd_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
  });
  Result r = run_with(scan, model, last, o, std::move(sd));
  r.timings_ms.insert(r.timings_ms.begin(), model->timings_ms.begin(), model->timings_ms.end());
  if (last) r.timings_ms.insert(r.timings_ms.begin() + static_cast<std::ptrdiff_t>(model->timings_ms.size()),
                                {"last's distance tree", sd_ms});
  return r;
}

Result run(const measure::ScanResult& scan, std::shared_ptr<const FootModel> model, const last::Last* last,
           const Options& o) {
  return run_with(scan, std::move(model), last, o, nullptr);
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
  r.foot_model = base.foot_model;
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
