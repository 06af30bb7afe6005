// `fitcheck place SCAN LAST [--json] [-o CLEARANCE.ply|.vtp|.glb] [--scan-units U] [--last-units U] [--side ...]`
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/option_checks.hpp"
#include "core/error.hpp"
#include "last/last.hpp"
#include "load/load.hpp"
#include "measure/measure.hpp"
#include "place/place.hpp"
#include "save/save.hpp"

namespace fitcheck::cli {

namespace {
struct PlaceArgs {
  std::string scan, last, scan_units, last_units, side = "auto", output;
  double max_file_mb = 500.0;
};

double r1(double x) { return std::round(x * 10.0) / 10.0; }

load::Options load_options(const std::string& option, const std::string& units, double max_mb) {
  load::Options lo;
  lo.units_option = option;
  if (!units.empty()) lo.units = load::parse_unit(units);
  lo.max_file_mb = max_mb;
  return lo;
}

int run_place(const PlaceArgs& a, const OutputFlags& out) {
  measure::ScanOptions so;
  if (a.side == "left") so.frame.side = foot::Side::left;
  else if (a.side == "right") so.frame.side = foot::Side::right;
  else if (a.side != "auto") throw Error(ErrorCode::usage, "cli", "--side must be left, right or auto");
  const load::Result scan_file = load::load_geometry(a.scan, load_options("--scan-units", a.scan_units, a.max_file_mb));
  const load::Result last_file = load::load_geometry(a.last, load_options("--last-units", a.last_units, a.max_file_mb));
  measure::ScanResult foot;
  try {
    foot = measure::measure_scan(scan_file.geometry, so);
  } catch (const Error& e) {
    throw Error(e.code(), e.stage(), a.scan + ": " + e.what());
  }
  last::Last L;
  try {
    L = last::prepare_last(last_file.geometry);
  } catch (const Error& e) {
    throw Error(e.code(), e.stage(), a.last + ": " + e.what());
  }
  const place::Result p = place::place_foot(foot.frame.aligned, foot.result, L);
  if (!a.output.empty()) {
    std::vector<double> inside(p.inside_shoe.begin(), p.inside_shoe.end());
    // Above the collar the foot is outside the shoe: grey, not the blue of the worst interference (its clearance to
    // the last's closed top is no fit figure; review).
    std::vector<save::Rgb> colors = save::colormap(p.clearance_mm, -5.0, 10.0);
    for (std::size_t i = 0; i < colors.size(); ++i)
      if (!p.inside_shoe[i]) colors[i] = {160, 160, 160};
    save::write_geometry(a.output, p.foot, {{"clearance_mm", p.clearance_mm}, {"inside_shoe", inside}}, colors);
  }
  std::vector<std::string> warnings = scan_file.warnings;
  warnings.insert(warnings.end(), last_file.warnings.begin(), last_file.warnings.end());
  warnings.insert(warnings.end(), foot.frame.warnings.begin(), foot.frame.warnings.end());
  warnings.insert(warnings.end(), L.warnings.begin(), L.warnings.end());
  if (foot.frame.side != L.side)
    warnings.push_back(std::string("a ") + foot::side_name(foot.frame.side) + " foot in a " + foot::side_name(L.side) +
                       " last: compared as mirror images (use --side if the detection is wrong)");
  warnings.insert(warnings.end(), p.warnings.begin(), p.warnings.end());

  double cmin = 1e300, cmax = -1e300;
  for (double c : p.clearance_mm) cmin = std::min(cmin, c), cmax = std::max(cmax, c);
  nlohmann::ordered_json j;
  j["scan"] = a.scan;
  j["last"] = a.last;
  j["foot_side"] = foot::side_name(foot.frame.side);
  j["last_side"] = foot::side_name(L.side);
  j["foot_length_mm"] = r1(foot.result.measurements.foot_length_mm);
  j["last_stick_length_mm"] = r1(L.measurements.stick_length_mm);
  j["toe_allowance_mm"] = r1(p.toe_allowance_mm);
  j["toe_gap_mm"] = r1(p.toe_gap_mm);
  j["ball_girth_difference_mm"] = r1(p.ball_girth_difference_mm);
  j["instep_girth_difference_mm"] = r1(p.instep_girth_difference_mm);
  nlohmann::ordered_json regions = nlohmann::ordered_json::object();
  for (const auto& f : p.regions)
    regions[f.region] = {{"rating", f.rating},
                         {"median_clearance_mm", r1(f.median_clearance_mm)},
                         {"p5_clearance_mm", r1(f.p5_clearance_mm)},
                         {"min_clearance_mm", r1(f.min_clearance_mm)},
                         {"interference_area_mm2", r1(f.interference_area_mm2)},
                         {"area_mm2", r1(f.area_mm2)}};
  j["regional_fit"] = regions;
  j["clearance_mm"] = {{"min", r1(cmin)}, {"max", r1(cmax)}, {"vertices", p.clearance_mm.size()}};
  j["pose"] = {{"heel_turn_deg", r1(p.heel_turn_deg)},
               {"toe_turn_deg", r1(p.toe_turn_deg)},
               {"shift_mm", {r1(p.shift_mm.x()), r1(p.shift_mm.y()), r1(p.shift_mm.z())}},
               {"turn_deg", r1(p.turn_deg)},
               {"roll_deg", r1(p.tilt_deg.x())},
               {"pitch_deg", r1(p.tilt_deg.y())},
               {"iterations", p.iterations},
               {"converged", p.converged}};
  j["clearance_note"] = "signed distance from each foot vertex to the last surface: + room, - interference (mm); "
                        "ratings are estimates (literature G6: no standard fit score)";
  if (!a.output.empty()) j["clearance_file"] = a.output;
  // What a designer needs to lay the field over the last in its own coordinates (review).
  j["to_last_frame"] = matrix_json<nlohmann::ordered_json>(L.to_last_frame);
  j["frame_note"] = "the placed foot (and -o's file) is in the last frame: ground tangent to the last's bottom at the "
                    "tread (z = 0), heel back point at x = 0, x toward the toe, right-last convention (medial +y), mm. "
                    "to_last_frame (row-major 4x4) maps the last file's coordinates, converted to mm, into it; its "
                    "inverse takes the field onto the last as the file has it (a left last is mirrored: the matrix flips one axis)";
  j["warnings"] = warnings;
  if (out.json) {
    std::cout << json_text(j) << "\n";
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1) << a.scan << " in " << a.last << "\n"
            << "  foot length " << foot.result.measurements.foot_length_mm << " mm, last " << L.measurements.stick_length_mm
            << " mm: toe allowance " << p.toe_allowance_mm << " mm (toe gap in place " << p.toe_gap_mm << " mm)\n"
            << "  ball girth: last - foot = " << p.ball_girth_difference_mm << " mm; instep girth: "
            << p.instep_girth_difference_mm << " mm\n";
  for (const auto& f : p.regions)
    std::cout << "  " << std::setw(8) << std::left << f.region << std::right << " " << f.rating << " (median "
              << f.median_clearance_mm << " mm, 5 % below " << f.p5_clearance_mm << " mm)\n";
  if (!a.output.empty()) std::cout << "  clearance field written to " << a.output << "\n";
  for (const auto& w : warnings) std::cout << "  warning: " << w << "\n";
  return 0;
}
}  // namespace

void add_place_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto args = std::make_shared<PlaceArgs>();
  CLI::App* sub = app.add_subcommand("place", "Place a foot scan in a last: clearance per vertex, toe allowance, regional fit");
  sub->add_option("scan", args->scan, "Foot scan (any supported format)")->required();
  sub->add_option("last", args->last, "Last (any supported format; point clouds are closed first)")->required();
  sub->add_option("-o,--output", args->output, "Write the placed foot with its clearance field (.ply, .vtp, .glb)")
      ->check(file_path());
  add_misnamed_units(sub);
  sub->add_option("--scan-units", args->scan_units, "Unit of the scan's coordinates: m, cm, mm or inch")
      ->check(unit_name());
  sub->add_option("--last-units", args->last_units, "Unit of the last's coordinates: m, cm, mm or inch")
      ->check(unit_name());
  sub->add_option("--side", args->side, "Side of the foot: left, right or auto");
  sub->add_option("--max-file-mb", args->max_file_mb, "Refuse files larger than this many MB")
      ->check(number_in(0.001, 1e6));
  sub->callback([&run, &out, args] { run = [args, &out] { return run_place(*args, out); }; });
}

}  // namespace fitcheck::cli
