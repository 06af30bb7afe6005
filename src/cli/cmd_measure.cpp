// `fitcheck measure SCAN [--units U] [--side left|right|auto] [--json] [--write-aligned FILE]`
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/option_checks.hpp"
#include "core/error.hpp"
#include "foot/foot.hpp"
#include "load/load.hpp"
#include "measure/measure.hpp"
#include "save/save.hpp"

namespace fitcheck::cli {

namespace {
struct MeasureArgs {
  std::string file, units, side = "auto", write_aligned;
  double max_file_mb = 500.0;
};

nlohmann::ordered_json vec(const Eigen::Vector3d& v) {
  auto r = [](double x) { return std::round(x * 100.0) / 100.0; };
  return {r(v.x()), r(v.y()), r(v.z())};
}

int run_measure(const MeasureArgs& a, const OutputFlags& out) {
  load::Options lo;
  if (!a.units.empty()) lo.units = load::parse_unit(a.units);
  lo.max_file_mb = a.max_file_mb;
  const load::Result loaded = load::load_geometry(a.file, lo);
  foot::FrameOptions fo;
  if (a.side == "left") fo.side = foot::Side::left;
  else if (a.side == "right") fo.side = foot::Side::right;
  else if (a.side != "auto") throw Error(ErrorCode::usage, "cli", "--side must be left, right or auto");
  measure::ScanOptions so;
  so.frame = fo;
  measure::ScanResult scan;
  try {
    scan = measure::measure_scan(loaded.geometry, so);
  } catch (const Error& e) {
    throw Error(e.code(), e.stage(), a.file + ": " + e.what());  // name the file in stage errors
  }
  const foot::FootFrame& frame = scan.frame;
  const measure::Result& res = scan.result;
  if (!a.write_aligned.empty()) save::write_geometry(a.write_aligned, frame.aligned);

  std::vector<std::string> warnings = loaded.warnings;
  warnings.insert(warnings.end(), frame.warnings.begin(), frame.warnings.end());
  warnings.insert(warnings.end(), res.warnings.begin(), res.warnings.end());
  const auto& m = res.measurements;
  nlohmann::ordered_json j;
  j["file"] = a.file;
  j["units"] = load::unit_name(loaded.unit);
  j["units_reason"] = loaded.units_reason;
  j["side"] = foot::side_name(frame.side);
  j["side_reason"] = frame.side_reason;
  j["side_confidence"] = frame.side_confidence;
  auto r1 = [](double x) { return std::round(x * 10.0) / 10.0; };
  j["measurements"] = {{"foot_length_mm", r1(m.foot_length_mm)},
                       {"ball_width_mm", r1(m.ball_width_mm)},
                       {"heel_width_mm", r1(m.heel_width_mm)},
                       {"ball_girth_mm", r1(m.ball_girth_mm)},
                       {"instep_girth_mm", r1(m.instep_girth_mm)},
                       {"arch_height_mm", r1(m.arch_height_mm)},
                       {"dorsal_height_50_mm", r1(m.dorsal_height_50_mm)},
                       {"toe_box_height_mm", r1(m.toe_box_height_mm)},
                       {"volume_cm3", m.volume_cm3 ? nlohmann::ordered_json(r1(*m.volume_cm3)) : nullptr}};
  nlohmann::ordered_json lm = nlohmann::ordered_json::object(), conf = nlohmann::ordered_json::object();
  for (const auto& l : res.landmarks) {
    lm[l.name] = vec(l.position_mm);
    conf[l.name] = l.confidence;
  }
  j["landmarks"] = lm;
  j["landmark_confidence"] = conf;
  j["to_foot_frame"] = matrix_json<nlohmann::ordered_json>(frame.to_foot_frame);
  j["cleaning"] = scan.steps;
  j["to_foot_frame_note"] = "maps the file's coordinates converted to mm into the foot frame (row-major 4x4)";
  j["warnings"] = warnings;
  if (out.json) {
    std::cout << json_text(j) << "\n";
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1);
  std::cout << a.file << "\n  " << foot::side_name(frame.side) << " foot (" << frame.side_reason << ")\n"
            << "  units " << load::unit_name(loaded.unit) << "\n"
            << "  foot length      " << m.foot_length_mm << " mm\n"
            << "  ball width       " << m.ball_width_mm << " mm\n"
            << "  heel width       " << m.heel_width_mm << " mm\n"
            << "  ball girth       " << m.ball_girth_mm << " mm\n"
            << "  instep girth     " << m.instep_girth_mm << " mm\n"
            << "  arch height      " << m.arch_height_mm << " mm (approximate: navicular from the surface)\n"
            << "  dorsal height 50 " << m.dorsal_height_50_mm << " mm\n"
            << "  toe-box height   " << m.toe_box_height_mm << " mm\n";
  if (m.volume_cm3) std::cout << "  volume           " << *m.volume_cm3 << " cm3\n";
  for (const auto& w : warnings) std::cout << "  warning: " << w << "\n";
  return 0;
}
}  // namespace

void add_measure_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto args = std::make_shared<MeasureArgs>();
  CLI::App* sub = app.add_subcommand("measure", "Align a foot scan to the foot frame and measure it");
  sub->add_option("scan", args->file, "Foot scan: PLY, OBJ, STL, PCD, XYZ/ASC, glTF or GLB")->required();
  sub->add_option("--units", args->units, "Unit of the file's coordinates: m, cm, mm or inch (default: detect)")
      ->check(unit_name());
  sub->add_option("--side", args->side, "left, right or auto (default: detect)");
  sub->add_option("--write-aligned", args->write_aligned, "Write the aligned foot (foot frame, mm) to this file")
      ->check(file_path());
  sub->add_option("--max-file-mb", args->max_file_mb, "Refuse files larger than this many MB")
      ->check(number_in(0.001, 1e6));
  sub->callback([&run, &out, args] { run = [args, &out] { return run_measure(*args, out); }; });
}

}  // namespace fitcheck::cli
