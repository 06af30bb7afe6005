// The check job shared by `fitcheck check`, `fitcheck demo` and `fitcheck batch`: from command-line arguments to the
// report (JSON schema "fitcheck.check/0.2", a human summary, and with a report folder the meshes, the ParaView time
// series and a self-contained HTML page).
//
// JSON (fitcheck.check/0.2; 0.1 plus recommendations, symptoms, summary, timings_ms, lacing.tension_from,
// hotspots[].nerve_peak_mmhg). The JSON Schema (draft-07) with units and meanings: src/report/schema/
// fitcheck.check-0.2.schema.json; tests/report/check_schema.sh validates real outputs against it:
//   schema, scan, last, sock, args, foot_length_mm,
//   fit {toe_allowance_mm, toe_gap_mm, ball_girth_difference_mm, instep_girth_difference_mm,
//        regional_clearance {region: {rating, median_clearance_mm, p5_clearance_mm, interference_area_mm2}}},
//   timeline [{minute, peak_mmhg, peak_kpa, peak_region}],
//   hotspots [{region, nerve, nerve_label, peak_kpa, peak_mmhg, nerve_peak_mmhg, mean_mmhg, area_mm2, first_minute,
//              peak_minute, minutes_above_30mmhg, level, risk, peak_position_mm}],
//   nerves [{nerve, label, literature, peak_mmhg, minutes_above_30mmhg, level, risk}],
//   lacing {pattern, lace_tension_n, tension_from, eyelets, notes},
//   recommendations [{rank, change, kind, advice, peak_mmhg_before, peak_mmhg_after, risk_before, risk_after,
//                     worst_nerve_before, region_peak_mmhg_before {region: mmHg}, region_peak_mmhg_after,
//                     toe_allowance_mm_after, lace_tension_n_after, args [...], command}],
//   no_change_needed, judged_on_fit (calm nerves, the fit out: changes judged on the fit), rejected [{change, reason}], candidates_simulated, candidates_considered (simulated, turned
//   down on the toe allowance alone, left out by the catalog or the coarse screen, or failed), candidates_screened_out (catalog
//   candidates the screen left out: recommend::Options::catalog_shortlist), coarse_screen {foot_vertices, simulated,
//   left_out} (when the changes were screened on a coarse copy of the foot: recommend::Options::screen_vertices),
//   symptoms {pattern, footwear, footwear_reason, care, causes [...], red_flags, nerves_to_watch},
//   last_cache {file, lasts_from_cache, lasts_prepared} (with --last-cache: src/catalog),
//   thresholds_mmhg, summary [lines], assumptions, red_flags, warnings, report.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recommend/recommend.hpp"

namespace fitcheck::cli {

struct CheckArgs {
  std::string scan, target, sock, lacing = "criss-cross", report, scan_units, last_units, side = "auto";
  std::string catalog, symptoms, last_cache;
  std::string changes = "all";  ///< kinds of built-in changes to try: all, or a comma list of lacing, tension, size, width, sock
  double run_minutes = 60.0;
  double lace_tension_n = -1;      ///< < 0: comfort lacing
  double size_step = 0;            ///< US sizes, multiple of 0.5
  int width_step = 0;              ///< width letters
  double sock_tension_scale = 1.0;
  double sock_thickness_scale = 1.0;
  bool no_laces = false;
  bool recommend = true;
  std::size_t catalog_shortlist = 12;  ///< recommend::Options::catalog_shortlist (0: simulate every catalog last)
  std::size_t screen_vertices = recommend::Options{}.screen_vertices;  ///< recommend::Options::screen_vertices (0: off)
  std::size_t full_shortlist = recommend::Options{}.full_shortlist;    ///< recommend::Options::full_shortlist
  double max_file_mb = 500.0;
  /// The shoe-only options named on the command line (add_check_options fills it after parsing): with a sock alone
  /// they are refused even when given their default value (`--lacing criss-cross`).
  std::vector<std::string> shoe_options_given;
};

/// Registers the check options on `sub` (positional scan and last/sock included).
void add_check_options(CLI::App* sub, CheckArgs& a);

struct CheckOutput {
  nlohmann::ordered_json json;
  std::vector<std::string> summary;  ///< plain-language lines (also json["summary"])
};

/// True when `path` names a sock spec (.json, any case) rather than a last: `check SCAN SOCK.json` checks a sock alone.
bool is_sock_spec(const std::string& path);

/// Runs the whole check (and recommendations, symptoms, report folder). Throws fitcheck::Error.
CheckOutput run_check_job(const CheckArgs& a);

}  // namespace fitcheck::cli
