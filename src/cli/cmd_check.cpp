// `fitcheck check SCAN LAST|SOCK [--sock SOCK] [--run-minutes 60] [--lacing PATTERN] [--lace-tension-n N]
//                [--no-laces] [--json] [--report DIR]`
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "check/check.hpp"
#include "cli/commands.hpp"
#include "contact/contact.hpp"
#include "core/error.hpp"
#include "load/load.hpp"
#include "save/save.hpp"

namespace fitcheck::cli {

namespace {
struct CheckArgs {
  std::string scan, target, sock, lacing = "criss-cross", report, scan_units, last_units, side = "auto";
  double run_minutes = 60.0;
  double lace_tension_n = -1;
  bool no_laces = false;
  double max_file_mb = 500.0;
};

double r1(double x) { return std::round(x * 10.0) / 10.0; }

bool is_json(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json";
}

std::string args_text(const CheckArgs& a) {
  std::ostringstream s;
  s << "--run-minutes " << a.run_minutes;
  if (a.no_laces) s << " --no-laces";
  else s << " --lacing " << a.lacing;
  if (a.lace_tension_n >= 0) s << " --lace-tension-n " << a.lace_tension_n;
  if (!a.sock.empty()) s << " --sock " << a.sock;
  return s.str();
}

void write_report(const std::filesystem::path& dir, const check::Result& r, const nlohmann::ordered_json& j) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::io, "cli", "cannot create report folder " + dir.string() + ": " + ec.message());
  auto mmhg = [](const std::vector<double>& kpa) {
    std::vector<double> m(kpa.size());
    for (std::size_t i = 0; i < kpa.size(); ++i) m[i] = contact::mmhg(kpa[i]);
    return m;
  };
  // The peak field on the resting foot as placed (or in the foot frame for a sock alone).
  const Geometry& shown = r.fit ? r.fit->foot : r.foot;
  const auto peak_mmhg = mmhg(r.peak_kpa);
  const auto colors = save::colormap(peak_mmhg, 0.0, 60.0);
  save::write_geometry(dir / "pressure_peak.ply", shown, {{"pressure_kpa", r.peak_kpa}, {"pressure_mmhg", peak_mmhg}}, colors);
  save::write_geometry(dir / "pressure_peak.glb", shown, {{"pressure_kpa", r.peak_kpa}, {"pressure_mmhg", peak_mmhg}}, colors);
  // VTP per time point + a ParaView collection (.pvd) so the time series plays in ParaView.
  std::ostringstream pvd;
  pvd << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\">\n<Collection>\n";
  for (std::size_t k = 0; k < r.minutes.size(); ++k) {
    std::ostringstream name;
    name << "pressure_" << std::setw(2) << std::setfill('0') << k << "_min" << std::setw(4) << std::setfill('0')
         << static_cast<int>(std::lround(r.minutes[k])) << ".vtp";  // index first: fractional minutes stay distinct
    const auto& f = r.fields[k];
    save::write_geometry(dir / name.str(), r.feet[k],
                         {{"pressure_kpa", f.total_kpa}, {"pressure_mmhg", mmhg(f.total_kpa)}, {"membrane_kpa", f.membrane_kpa},
                          {"indentation_kpa", f.indentation_kpa}, {"lace_kpa", f.lace_kpa}, {"sock_kpa", f.sock_kpa}},
                         save::colormap(mmhg(f.total_kpa), 0.0, 60.0));
    pvd << "<DataSet timestep=\"" << r.minutes[k] << "\" file=\"" << name.str() << "\"/>\n";
  }
  pvd << "</Collection>\n</VTKFile>\n";
  std::ofstream(dir / "pressure.pvd") << pvd.str();
  std::ofstream(dir / "report.json") << j.dump(2) << "\n";
  if (!std::filesystem::exists(dir / "report.json"))
    throw Error(ErrorCode::io, "cli", "cannot write the report in " + dir.string());
}

int run_check(const CheckArgs& a, const OutputFlags& out) {
  check::Options o;
  o.run_minutes = a.run_minutes;
  o.laces = !a.no_laces;
  o.lacing = lacing::parse_pattern(a.lacing);
  if (a.lace_tension_n >= 0) o.lacing.lace_tension_n = a.lace_tension_n;
  const bool sock_only = is_json(a.target);
  if (sock_only && !a.sock.empty()) throw Error(ErrorCode::usage, "cli", "give the sock either as the second argument or with --sock");
  if (sock_only) o.sock = sock::load_sock(a.target);
  else if (!a.sock.empty()) o.sock = sock::load_sock(a.sock);
  o.validate();

  load::Options lo;
  lo.max_file_mb = a.max_file_mb;
  if (!a.scan_units.empty()) lo.units = load::parse_unit(a.scan_units);
  const load::Result scan_file = load::load_geometry(a.scan, lo);
  measure::ScanOptions so;
  if (a.side == "left") so.frame.side = foot::Side::left;
  else if (a.side == "right") so.frame.side = foot::Side::right;
  else if (a.side != "auto") throw Error(ErrorCode::usage, "cli", "--side must be left, right or auto");
  measure::ScanResult scan;
  try {
    scan = measure::measure_scan(scan_file.geometry, so);
  } catch (const Error& e) {
    throw Error(e.code(), e.stage(), a.scan + ": " + e.what());
  }
  std::optional<last::Last> L;
  std::vector<std::string> warnings = scan_file.warnings;
  if (!sock_only) {
    load::Options ll;
    ll.max_file_mb = a.max_file_mb;
    if (!a.last_units.empty()) ll.units = load::parse_unit(a.last_units);
    const load::Result last_file = load::load_geometry(a.target, ll);
    warnings.insert(warnings.end(), last_file.warnings.begin(), last_file.warnings.end());
    try {
      L = last::prepare_last(last_file.geometry);
    } catch (const Error& e) {
      throw Error(e.code(), e.stage(), a.target + ": " + e.what());
    }
    warnings.insert(warnings.end(), L->warnings.begin(), L->warnings.end());
  }
  const check::Result r = check::run(scan, L ? &*L : nullptr, o);
  if (L && scan.frame.side != L->side)
    warnings.push_back(std::string("a ") + foot::side_name(scan.frame.side) + " foot in a " + foot::side_name(L->side) +
                       " last: compared as mirror images (use --side if the detection is wrong)");
  warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());

  nlohmann::ordered_json j;
  j["schema"] = "fitcheck.check/0.1";
  j["scan"] = a.scan;
  if (L) j["last"] = a.target;
  if (o.sock) j["sock"] = o.sock->name;
  j["args"] = args_text(a);
  j["foot_length_mm"] = r1(scan.result.measurements.foot_length_mm);
  if (r.fit) {
    nlohmann::ordered_json reg = nlohmann::ordered_json::object();
    for (const auto& f : r.fit->regions)
      reg[f.region] = {{"rating", f.rating}, {"median_clearance_mm", r1(f.median_clearance_mm)},
                       {"p5_clearance_mm", r1(f.p5_clearance_mm)}, {"interference_area_mm2", r1(f.interference_area_mm2)}};
    j["fit"] = {{"toe_allowance_mm", r1(r.fit->toe_allowance_mm)},
                {"toe_gap_mm", r1(r.fit->toe_gap_mm)},
                {"ball_girth_difference_mm", r1(r.fit->ball_girth_difference_mm)},
                {"instep_girth_difference_mm", r1(r.fit->instep_girth_difference_mm)},
                {"regional_clearance", reg}};
  }
  nlohmann::ordered_json tl = nlohmann::ordered_json::array();
  for (const auto& e : r.hot.timeline)
    tl.push_back({{"minute", e.minute}, {"peak_mmhg", r1(e.peak_mmhg)}, {"peak_kpa", r1(e.peak_kpa)}, {"peak_region", e.peak_region}});
  j["timeline"] = tl;
  nlohmann::ordered_json hs = nlohmann::ordered_json::array();
  for (const auto& h : r.hot.hotspots)
    hs.push_back({{"region", h.region},
                  {"nerve", h.nerve},
                  {"nerve_label", h.nerve_label},
                  {"peak_kpa", r1(h.peak_kpa)},
                  {"peak_mmhg", r1(h.peak_mmhg)},
                  {"mean_mmhg", r1(h.mean_mmhg)},
                  {"area_mm2", r1(h.area_mm2)},
                  {"first_minute", r1(h.first_minute)},
                  {"peak_minute", h.peak_minute},
                  {"minutes_above_30mmhg", r1(h.minutes_above_30mmhg)},
                  {"level", h.level},
                  {"risk", h.risk},
                  {"peak_position_mm", {r1(h.peak_position_mm.x()), r1(h.peak_position_mm.y()), r1(h.peak_position_mm.z())}}});
  j["hotspots"] = hs;
  nlohmann::ordered_json nv = nlohmann::ordered_json::array();
  for (const auto& n : r.hot.nerves)
    nv.push_back({{"nerve", n.nerve}, {"label", n.label}, {"literature", n.literature}, {"peak_mmhg", r1(n.peak_mmhg)},
                  {"minutes_above_30mmhg", r1(n.minutes_above_30mmhg)}, {"level", n.level}, {"risk", n.risk}});
  j["nerves"] = nv;
  if (L && o.laces)
    j["lacing"] = {{"pattern", lacing::pattern_text(o.lacing)}, {"lace_tension_n", o.lacing.lace_tension_n},
                   {"eyelets", r.layout.eyelets.size()}, {"notes", r.layout.notes}};
  j["thresholds_mmhg"] = {{"caution", o.hotspots.caution_mmhg}, {"warning", o.hotspots.warning_mmhg}, {"alarm", o.hotspots.alarm_mmhg}};
  j["assumptions"] = r.assumptions;
  j["red_flags"] = check::red_flags();
  j["warnings"] = warnings;
  if (!a.report.empty()) {
    j["report"] = a.report;
    write_report(a.report, r, j);
  }
  if (out.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1) << a.scan << (L ? " in " + a.target : "") << (o.sock ? " with sock " + o.sock->name : "")
            << ", " << a.run_minutes << " min run\n";
  if (r.fit) std::cout << "  toe allowance " << r.fit->toe_allowance_mm << " mm\n";
  std::cout << "  peak pressure over time:";
  for (const auto& e : r.hot.timeline) std::cout << "  " << e.minute << " min " << e.peak_mmhg << " mmHg";
  std::cout << "\n";
  if (r.hot.hotspots.empty()) std::cout << "  no hotspot reaches " << o.hotspots.caution_mmhg << " mmHg\n";
  for (std::size_t k = 0; k < r.hot.hotspots.size() && k < 6; ++k) {
    const auto& h = r.hot.hotspots[k];
    std::cout << "  " << h.level << ": " << h.region << ", " << h.peak_mmhg << " mmHg peak, " << h.area_mm2 / 100 << " cm2, over "
              << h.nerve_label << ", " << h.minutes_above_30mmhg << " min above 30 mmHg -> risk " << h.risk << "\n";
  }
  std::cout << "  (model estimates; how much skin pressure reaches a nerve is not known)\n";
  for (const auto& w : warnings) std::cout << "  warning: " << w << "\n";
  if (!a.report.empty()) std::cout << "  report written to " << a.report << "\n";
  return 0;
}
}  // namespace

void add_check_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* sub = app.add_subcommand("check", "Swelling, pressure and nerve hotspots of a foot in a shoe (last) and/or sock");
  sub->add_option("scan", a->scan, "Foot scan")->required();
  sub->add_option("last", a->target, "Last (any mesh/point format) or a sock spec (.json) for a sock alone")->required();
  sub->add_option("--sock", a->sock, "Sock worn in the shoe: JSON spec or relaxed-sock mesh");
  sub->add_option("--run-minutes", a->run_minutes, "Run length, min")->check(CLI::Range(0.0, 1440.0));
  sub->add_option("--lacing", a->lacing, "criss-cross, window:3-4, parallel, skip-lowest:2, heel-lock");
  sub->add_option("--lace-tension-n", a->lace_tension_n, "Lace tension, N (default: the model's estimate)")->check(CLI::Range(0.0, 200.0));
  sub->add_flag("--no-laces", a->no_laces, "A shoe without laces");
  sub->add_option("--report", a->report, "Write pressure fields (PLY, VTP time series + .pvd, GLB) and report.json here");
  sub->add_option("--scan-units", a->scan_units, "Unit of the scan: m, cm, mm or inch");
  sub->add_option("--last-units", a->last_units, "Unit of the last: m, cm, mm or inch");
  sub->add_option("--side", a->side, "Side of the foot: left, right or auto");
  sub->add_option("--max-file-mb", a->max_file_mb, "Refuse files larger than this many MB")->check(CLI::Range(0.001, 1e6));
  sub->callback([&run, &out, a] { run = [a, &out] { return run_check(*a, out); }; });
}

}  // namespace fitcheck::cli
