// `fitcheck last LAST [--size "US 9 D"] [--grade "US 10 2E" -o OUT] [--units U] [--side left|right|auto] [--json]`
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
#include "save/save.hpp"
#include "size/size.hpp"

namespace fitcheck::cli {

namespace {
struct LastArgs {
  std::string file, units, side = "auto", size, grade, output, write_aligned;
  double max_file_mb = 500.0;
};

double r1(double x) { return std::round(x * 10.0) / 10.0; }

nlohmann::ordered_json measurements_json(const last::Measurements& m) {
  return {{"stick_length_mm", r1(m.stick_length_mm)}, {"ball_girth_mm", r1(m.ball_girth_mm)},
          {"instep_girth_mm", r1(m.instep_girth_mm)}, {"waist_girth_mm", r1(m.waist_girth_mm)},
          {"heel_to_ball_mm", r1(m.heel_to_ball_mm)}, {"toe_box_height_mm", r1(m.toe_box_height_mm)},
          {"bottom_width_mm", r1(m.bottom_width_mm)}, {"ball_width_mm", r1(m.ball_width_mm)},
          {"heel_width_mm", r1(m.heel_width_mm)},     {"heel_height_mm", r1(m.heel_height_mm)},
          {"toe_spring_mm", r1(m.toe_spring_mm)},     {"volume_cm3", r1(m.volume_cm3)}};
}

const char* system_name(size::System s) {
  switch (s) {
    case size::System::us_men: return "US";
    case size::System::us_women: return "US women";
    case size::System::uk: return "UK";
    case size::System::eu: return "EU";
    case size::System::mondopoint: return "Mondopoint";
  }
  return "?";
}

nlohmann::ordered_json size_json(const size::Size& s, bool inferred, double stick_mm) {
  nlohmann::ordered_json j;
  j["text"] = size::format_size(s);
  j["system"] = system_name(s.system);
  j["value"] = s.value;
  j["width"] = s.width_given ? nlohmann::ordered_json(size::width_label(s.system, s.width)) : nullptr;
  j["inferred_from_length"] = inferred;
  j["nominal_last_length_mm"] = r1(size::last_length_mm(s));
  j["length_difference_mm"] = r1(stick_mm - size::last_length_mm(s));
  return j;
}

void print_measurements(const last::Measurements& m) {
  std::cout << std::fixed << std::setprecision(1) << "  stick length     " << m.stick_length_mm << " mm\n"
            << "  heel height      " << m.heel_height_mm << " mm\n"
            << "  toe spring       " << m.toe_spring_mm << " mm\n"
            << "  ball girth       " << m.ball_girth_mm << " mm\n"
            << "  instep girth     " << m.instep_girth_mm << " mm\n"
            << "  waist girth      " << m.waist_girth_mm << " mm\n"
            << "  heel to ball     " << m.heel_to_ball_mm << " mm\n"
            << "  ball width       " << m.ball_width_mm << " mm\n"
            << "  bottom width     " << m.bottom_width_mm << " mm\n"
            << "  heel width       " << m.heel_width_mm << " mm\n"
            << "  toe-box height   " << m.toe_box_height_mm << " mm\n"
            << "  volume           " << m.volume_cm3 << " cm3\n";
}

int run_last(const LastArgs& a, const OutputFlags& out) {
  load::Options lo;
  if (!a.units.empty()) lo.units = load::parse_unit(a.units);
  lo.max_file_mb = a.max_file_mb;
  last::Options opt;
  if (a.side == "left") opt.frame.side = foot::Side::left;
  else if (a.side == "right") opt.frame.side = foot::Side::right;
  else if (a.side != "auto") throw Error(ErrorCode::usage, "cli", "--side must be left, right or auto");
  if (!a.grade.empty() && a.output.empty()) throw Error(ErrorCode::usage, "cli", "--grade needs -o OUT (the graded last)");
  if (a.grade.empty() && !a.output.empty()) throw Error(ErrorCode::usage, "cli", "-o needs --grade SIZE");
  // Sizes are checked before the (slower) geometry so a typo fails fast.
  std::optional<size::Size> given, target;
  if (!a.size.empty()) given = size::parse_size(a.size);
  if (!a.grade.empty()) target = size::parse_size(a.grade);

  const load::Result loaded = load::load_geometry(a.file, lo);
  last::Last L;
  try {
    L = last::prepare_last(loaded.geometry, opt);
  } catch (const Error& e) {
    throw Error(e.code(), e.stage(), a.file + ": " + e.what());
  }
  std::vector<std::string> warnings = loaded.warnings;
  warnings.insert(warnings.end(), L.warnings.begin(), L.warnings.end());
  const bool inferred = !given;
  size::Size sz = given ? *given : last::infer_size(L.measurements.stick_length_mm);
  const double nominal = size::last_length_mm(sz);
  if (given && std::abs(L.measurements.stick_length_mm - nominal) > size::length_step_mm(sz.system))
    warnings.push_back("the stated size " + size::format_size(sz) + " expects a last of about " +
                       std::to_string(static_cast<int>(std::lround(nominal))) + " mm; this one is " +
                       std::to_string(static_cast<int>(std::lround(L.measurements.stick_length_mm))) +
                       " mm (more than one size step apart)");
  if (inferred) warnings.push_back("size inferred from the stick length (US men's scale); pass --size to state it");
  if (!a.write_aligned.empty()) save::write_geometry(a.write_aligned, L.mesh);

  std::optional<last::Grade> gr;
  if (target) {
    gr = last::grade_last(L, sz, *target, opt);
    save::write_geometry(a.output, gr->graded_input_frame);
  }

  nlohmann::ordered_json j;
  j["file"] = a.file;
  j["units"] = load::unit_name(loaded.unit);
  j["side"] = foot::side_name(L.side);
  j["side_reason"] = L.side_reason;
  j["size"] = size_json(sz, inferred, L.measurements.stick_length_mm);
  j["measurements"] = measurements_json(L.measurements);
  nlohmann::ordered_json lm = nlohmann::ordered_json::object();
  for (const auto& l : L.landmarks)
    lm[l.name] = {r1(l.position_mm.x()), r1(l.position_mm.y()), r1(l.position_mm.z())};
  j["landmarks"] = lm;
  j["to_last_frame"] = matrix_json<nlohmann::ordered_json>(L.to_last_frame);
  j["frame_note"] = "last frame: ground tangent to the bottom at the tread (z = 0), heel back point at x = 0, x toward "
                    "the toe, right-last convention (medial +y); positions in mm";
  if (gr) {
    nlohmann::ordered_json g;
    g["to"] = size_json(gr->to, false, gr->graded.measurements.stick_length_mm);
    g["output"] = a.output;
    g["output_note"] = "written in the input's coordinates and side, in millimetres";
    g["nominal_length_step_mm"] = r1(gr->delta.length_mm);
    g["nominal_ball_girth_step_mm"] = r1(gr->delta.ball_girth_mm);
    g["length_scale"] = gr->length_scale;
    g["girth_scale"] = gr->girth_scale;
    g["measurements"] = measurements_json(gr->graded.measurements);
    j["graded"] = g;
  }
  j["steps"] = L.steps;
  j["warnings"] = warnings;
  if (out.json) {
    std::cout << json_text(j) << "\n";
    return 0;
  }
  std::cout << a.file << "\n  " << foot::side_name(L.side) << " last, units " << load::unit_name(loaded.unit) << "\n"
            << "  size             " << size::format_size(sz) << (inferred ? " (inferred from the length)" : "") << "\n";
  print_measurements(L.measurements);
  if (gr) {
    std::cout << "graded to " << size::format_size(gr->to) << " -> " << a.output << " (mm, input coordinates)\n";
    print_measurements(gr->graded.measurements);
  }
  for (const auto& w : warnings) std::cout << "  warning: " << w << "\n";
  return 0;
}
}  // namespace

void add_last_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto args = std::make_shared<LastArgs>();
  CLI::App* sub = app.add_subcommand("last", "Frame and measure a shoe last; grade it to another size or width");
  sub->add_option("last", args->file, "Last: PLY, OBJ, STL, PCD, XYZ/ASC, glTF or GLB (point clouds are closed first)")
      ->required();
  sub->add_option("--size", args->size, "Size of the last, e.g. \"US 9 D\", \"UK 8\", \"EU 42\", \"MP 270\"");
  sub->add_option("--grade", args->grade, "Grade to this size/width, e.g. \"US 10 2E\" (needs -o)");
  sub->add_option("-o,--output", args->output, "Graded last file (.stl, .ply, .obj, .vtp, .glb)")->check(file_path());
  sub->add_option("--units", args->units, "Unit of the file's coordinates: m, cm, mm or inch (default: detect)")
      ->check(unit_name());
  sub->add_option("--side", args->side, "left, right or auto (default: detect)");
  sub->add_option("--write-aligned", args->write_aligned, "Write the last in the last frame (mm) to this file")
      ->check(file_path());
  sub->add_option("--max-file-mb", args->max_file_mb, "Refuse files larger than this many MB")
      ->check(number_in(0.001, 1e6));
  sub->callback([&run, &out, args] { run = [args, &out] { return run_last(*args, out); }; });
}

}  // namespace fitcheck::cli
