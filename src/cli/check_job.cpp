#include "cli/check_job.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <memory>
#include <sstream>

#include "catalog/catalog.hpp"
#include "check/check.hpp"
#include "cli/commands.hpp"
#include "cli/option_checks.hpp"
#include "cli/text_file.hpp"
#include "contact/contact.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "load/load.hpp"
#include "recommend/recommend.hpp"
#include "report/report.hpp"
#include "save/save.hpp"
#include "symptoms/symptoms.hpp"

namespace fitcheck::cli {

namespace {

/// Options that only mean something for a shoe (a last): refused with a sock alone. The order of run_check_job's
/// `set` list.
constexpr const char* kShoeOptions[] = {"--size-step", "--width-step", "--catalog",
                                        "--lacing", "--lace-tension-n", "--no-laces", "--last-units", "--last-cache",
                                        "--catalog-shortlist", "--changes", "--screen-vertices", "--full-shortlist"};

/// The change in the forefoot's highest hotspot (ball and toes, recommend::kForefootFromFraction; a narrow toe box
/// shows here, not in the nerve peak), as "; forefoot (ball and toes) peak 477.3 -> 24.4 mmHg"; "" when it does not
/// change. A forefoot without a hotspot reads "below <caution>".
std::string forefoot_words(const recommend::Recommendation& t, double caution_mmhg) {
  const double b = t.before.forefoot_peak_mmhg, a = t.after.forefoot_peak_mmhg;
  if (std::abs(a - b) < 0.05) return "";
  auto level = [&](double v) { return v > 0 ? fmt_fixed(v) : "below " + fmt_fixed(caution_mmhg, 0); };
  return "; forefoot (ball and toes) peak " + level(b) + " -> " + level(a) + " mmHg";
}

/// Turns --changes (all, or a comma list of lacing, tension, size, width, sock) into the recommend options.
void set_changes(recommend::Options& ro, const std::string& list) {
  if (list == "all") return;
  if (list.empty())  // would try nothing and then say that nothing helped
    throw Error(ErrorCode::usage, "cli", "--changes: empty (all, or a comma list of lacing, tension, size, width, sock)");
  ro.lacing = ro.tension = ro.size = ro.width = ro.sock = false;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item == "lacing") ro.lacing = true;
    else if (item == "tension") ro.tension = true;
    else if (item == "size") ro.size = true;
    else if (item == "width") ro.width = true;
    else if (item == "sock") ro.sock = true;
    else
      throw Error(ErrorCode::usage, "cli",
                  "--changes: unknown change '" + item + "' (all, or a comma list of lacing, tension, size, width, sock)");
  }
}

double r1(double x) { return std::round(x * 10.0) / 10.0; }


std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

/// Shell-quoted when needed (for the printed command line).
std::string quoted(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t'\"\\$`!*?;&|<>()[]{}") == std::string::npos) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::vector<double> to_mmhg(const std::vector<double>& kpa) {
  std::vector<double> m(kpa.size());
  for (std::size_t i = 0; i < kpa.size(); ++i) m[i] = contact::mmhg(kpa[i]);
  return m;
}

nlohmann::ordered_json regions_json(const std::map<std::string, double>& m) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m) j[k] = r1(v);
  return j;
}

void write_meshes(const std::filesystem::path& dir, const check::Result& r) {
  // The peak field on the resting foot as placed (or in the foot frame for a sock alone).
  const Geometry& shown = r.fit ? r.fit->foot : r.foot;
  const auto peak_mmhg = to_mmhg(r.peak_kpa);
  const auto colors = save::colormap(peak_mmhg, 0.0, 60.0);
  save::write_geometry(dir / "pressure_peak.ply", shown, {{"pressure_kpa", r.peak_kpa}, {"pressure_mmhg", peak_mmhg}}, colors);
  save::write_geometry(dir / "pressure_peak.glb", shown, {{"pressure_kpa", r.peak_kpa}, {"pressure_mmhg", peak_mmhg}}, colors);
  // VTP per time point + a ParaView collection (.pvd) so the time series plays in ParaView. A previous report in the
  // same folder may have had more time points: its extra pressure_NN_minMMMM.vtp files would sit beside the new
  // series as if they belonged to it, so this run's pattern is cleared first (nothing else is touched).
  {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      // pressure_NN_minMMMM.vtp, matched by hand: std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.
      const std::string f = e.path().filename().string();
      auto digits = [&f](std::size_t from, std::size_t n) {
        return std::all_of(f.begin() + static_cast<std::ptrdiff_t>(from), f.begin() + static_cast<std::ptrdiff_t>(from + n),
                           [](char c) { return c >= '0' && c <= '9'; });
      };
      const bool ours = f.size() == 23 && f.compare(0, 9, "pressure_") == 0 && digits(9, 2) &&
                        f.compare(11, 4, "_min") == 0 && digits(15, 4) && f.compare(19, 4, ".vtp") == 0;
      std::error_code ignore;
      if (ours && e.is_regular_file(ignore)) std::filesystem::remove(e.path(), ignore);
    }
  }
  std::ostringstream pvd;
  pvd << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\">\n<Collection>\n";
  for (std::size_t k = 0; k < r.minutes.size(); ++k) {
    std::ostringstream name;
    name << "pressure_" << std::setw(2) << std::setfill('0') << k << "_min" << std::setw(4) << std::setfill('0')
         << static_cast<int>(std::lround(r.minutes[k])) << ".vtp";  // index first: fractional minutes stay distinct
    const auto& f = r.fields[k];
    save::write_geometry(dir / name.str(), r.feet[k],
                         {{"pressure_kpa", f.total_kpa}, {"pressure_mmhg", to_mmhg(f.total_kpa)}, {"membrane_kpa", f.membrane_kpa},
                          {"indentation_kpa", f.indentation_kpa}, {"lace_kpa", f.lace_kpa}, {"sock_kpa", f.sock_kpa}},
                         save::colormap(to_mmhg(f.total_kpa), 0.0, 60.0));
    pvd << "<DataSet timestep=\"" << r.minutes[k] << "\" file=\"" << name.str() << "\"/>\n";
  }
  pvd << "</Collection>\n</VTKFile>\n";
  write_text_file(dir / "pressure.pvd", pvd.str(), "cli");
}

report::Page html_page(const CheckArgs& a, const check::Result& r, const nlohmann::ordered_json& j,
                       const std::vector<std::string>& summary) {
  report::Page p;
  p.title = "fitcheck: " + std::filesystem::path(a.scan).filename().string() +
            (j.contains("last") ? " in " + std::filesystem::path(a.target).filename().string() : "") +
            (j.contains("sock") ? " with sock " + j["sock"].get<std::string>() : "");
  p.summary = summary;
  // Views of the peak pressure on the resting foot in the foot frame (x heel->toes, y medial, z up).
  const auto mmhg = to_mmhg(r.peak_kpa);
  report::RenderOptions ro;
  ro.min_value = 0;
  ro.max_value = 60;
  for (const auto& v : report::standard_views())
    p.views.emplace_back("peak pressure over the run, " + v.name + " view", report::render(r.foot, mmhg, v, ro));
  p.legend_min = 0;
  p.legend_max = 60;
  p.legend_marks = {{20, "caution"}, {30, "warning"}, {50, "alarm"}};
  if (j.contains("recommendations") && !j["recommendations"].empty()) {
    report::Table t{"Recommendations (each simulated through the whole check; predicted values are model estimates)",
                    {"rank", "change", "advice", "nerve peak before (mmHg)", "after", "risk before", "after",
                     "forefoot peak before (mmHg)", "after", "toe allowance after (mm)", "fitcheck check args"},
                    {}};
    // The forefoot's highest hotspot (ball and toes); 0 in the JSON: no hotspot there.
    auto forefoot = [&](const nlohmann::ordered_json& v) {
      const double x = v.get<double>();
      return x > 0 ? fmt_fixed(x) : "below " + fmt_fixed(j["thresholds_mmhg"]["caution"].get<double>(), 0);
    };
    for (const auto& rec : j["recommendations"])
      t.rows.push_back({std::to_string(rec["rank"].get<int>()), rec["change"].get<std::string>(), rec["advice"].get<std::string>(),
                        fmt_fixed(rec["peak_mmhg_before"].get<double>()), fmt_fixed(rec["peak_mmhg_after"].get<double>()),
                        rec["risk_before"].get<std::string>(), rec["risk_after"].get<std::string>(),
                        forefoot(rec["forefoot_peak_mmhg_before"]), forefoot(rec["forefoot_peak_mmhg_after"]),
                        rec["toe_allowance_mm_after"].is_number() ? fmt_fixed(rec["toe_allowance_mm_after"].get<double>())
                                                                  : std::string("no shoe"),
                        rec["command"].get<std::string>()});
    p.tables.push_back(t);
  }
  report::Table hs{"Hotspots (skin pressure; thresholds 20 / 30 / 50 mmHg, literature N)",
                   {"region", "nerve", "peak (mmHg)", "over the nerve (mmHg)", "area (cm2)", "first minute", "minutes above 30", "level", "risk"},
                   {}};
  for (const auto& h : r.hot.hotspots)
    hs.rows.push_back({h.region, h.nerve_label, fmt_fixed(h.peak_mmhg), fmt_fixed(h.nerve_peak_mmhg), fmt_fixed(h.area_mm2 / 100),
                       fmt_fixed(h.first_minute), fmt_fixed(h.minutes_above_30mmhg), h.level, h.risk});
  if (!hs.rows.empty()) p.tables.push_back(hs);
  report::Table nv{"Nerves (highest skin pressure over each nerve's path)", {"nerve", "source", "peak (mmHg)", "minutes above 30", "level", "risk"}, {}};
  for (const auto& n : r.hot.nerves)
    nv.rows.push_back({n.label, "literature " + n.literature, fmt_fixed(n.peak_mmhg), fmt_fixed(n.minutes_above_30mmhg), n.level, n.risk});
  p.tables.push_back(nv);
  report::Table tl{"Peak pressure over the run", {"minute", "peak (mmHg)", "where"}, {}};
  for (const auto& e : r.hot.timeline) tl.rows.push_back({fmt_fixed(e.minute, 0), fmt_fixed(e.peak_mmhg), e.peak_region});
  p.tables.push_back(tl);
  if (j.contains("symptoms")) {
    // What the runner entered and the care it calls for, so the page can be read on its own.
    p.tables.push_back(report::Table{"Your symptoms as entered", {"pattern", "care", "footwear as a cause"},
                                     {{j["symptoms"]["pattern"].get<std::string>(), j["symptoms"]["care"].get<std::string>(),
                                       j["symptoms"]["footwear"].get<std::string>()}}});
    report::Table st{"Your symptoms: which causes fit (from the seed text)", {"cause", "fit", "why", "footwear-related"}, {}};
    for (const auto& c : j["symptoms"]["causes"])
      st.rows.push_back({c["name"].get<std::string>(), c["fit"].get<std::string>(), c["why"].get<std::string>(),
                         c["footwear_related"].get<bool>() ? "yes" : "no"});
    p.tables.push_back(st);
    for (const auto& f : j["symptoms"]["red_flags"]) p.red_flags.push_back(f.get<std::string>());
  }
  for (const auto& f : check::red_flags()) p.red_flags.push_back("If you notice: " + f);
  p.assumptions = r.assumptions;
  for (const auto& w : j["warnings"]) p.warnings.push_back(w.get<std::string>());
  p.footer = "fitcheck 0.1, report schema fitcheck.check/0.2. All pressures are model estimates; the thresholds come "
             "from nerve studies (literature N) and how much skin pressure reaches a nerve is not known. Decision "
             "support, not a diagnosis.";
  return p;
}

std::vector<std::string> summary_lines(const CheckArgs& a, const measure::ScanResult& scan, const check::Result& r,
                                       const check::Options& o, const std::optional<recommend::Result>& rec,
                                       const std::optional<symptoms::Assessment>& sy) {
  std::vector<std::string> s;
  // Red flags from the symptoms come first when they call for immediate or prompt care: they matter more than any
  // shoe change (they were only in the JSON and the HTML page).
  std::vector<std::string> flags;
  if (sy)
    for (const auto& f : sy->red_flags) flags.push_back("Red flag: " + f);
  const bool flags_first = sy && (sy->care == "immediate" || sy->care == "prompt");
  if (flags_first) s.insert(s.end(), flags.begin(), flags.end());
  std::string head = "Foot " + fmt_fixed(scan.result.measurements.foot_length_mm) + " mm (" +
                     foot::side_name(scan.frame.side) + ")";
  if (r.fit) head += " in " + std::filesystem::path(a.target).filename().string() + ": toe allowance " +
                     fmt_fixed(r.fit->toe_allowance_mm) + " mm, ball girth last minus foot " +
                     fmt_fixed(r.fit->ball_girth_difference_mm) + " mm.";
  else head += " in sock " + o.sock->name + ".";
  s.push_back(head);
  const hotspots::NerveRisk* worst = nullptr;
  for (const auto& n : r.hot.nerves)
    if (!worst || hotspots::risk_rank(n.risk) > hotspots::risk_rank(worst->risk) ||
        (n.risk == worst->risk && n.peak_mmhg > worst->peak_mmhg))
      worst = &n;
  if (worst)
    s.push_back("Over a " + fmt_short(o.run_minutes) + "-minute run the highest skin pressure over a nerve is " +
                fmt_fixed(worst->peak_mmhg) + " mmHg (" + worst->level + ", risk " + worst->risk + ") over the " +
                worst->label + (worst->minutes_above_30mmhg > 0 ? ", " + fmt_short(worst->minutes_above_30mmhg) + " min above 30 mmHg" : "") + ".");
  if (!r.hot.hotspots.empty()) {
    const auto& h = r.hot.hotspots.front();
    // When the patch's peak lies off its nerve's path, say what reaches the nerve: "56.0 mmHg at the heel (sural
    // nerve, risk moderate)" read as the sural nerve at 56 mmHg while the nerve line above said 23.6 (review).
    const bool off_path = h.nerve != "none" && h.nerve_peak_mmhg < h.peak_mmhg - 0.05;
    s.push_back(std::to_string(r.hot.hotspots.size()) + " area(s) reach the " + fmt_fixed(o.hotspots.caution_mmhg, 0) +
                " mmHg caution line; the highest: " + fmt_fixed(h.peak_mmhg) + " mmHg at the " + h.region + " (" +
                (off_path ? "near the " + h.nerve_label + ", " + fmt_fixed(h.nerve_peak_mmhg) + " mmHg over its path"
                          : h.nerve_label) +
                ", risk " + h.risk + ").");
  } else {
    // The timeline's peak is a single vertex's; a spot smaller than min_area_mm2 is no hotspot, but the summary must
    // not read "nothing reaches the line" while the JSON's timeline shows 176 mmHg (review).
    const hotspots::TimelineEntry* top = nullptr;
    for (const auto& e : r.hot.timeline)
      if (!top || e.peak_mmhg > top->peak_mmhg) top = &e;
    const std::string area = fmt_fixed(o.hotspots.min_area_mm2, 0) + " mm2";
    if (top && top->peak_mmhg >= o.hotspots.caution_mmhg)
      s.push_back("No area of " + area + " or more reaches the " + fmt_fixed(o.hotspots.caution_mmhg, 0) +
                  " mmHg caution line; the highest single point reads " + fmt_fixed(top->peak_mmhg) + " mmHg at the " +
                  top->peak_region + " (minute " + fmt_fixed(top->minute, 0) + ") on less than " + area +
                  ": a point contact, not rated as a hotspot (the timeline in the JSON and the report shows it).");
    else
      s.push_back("No area of the foot reaches the " + fmt_fixed(o.hotspots.caution_mmhg, 0) + " mmHg caution line.");
  }
  if (rec) {
    if (rec->no_change_needed) {
      s.push_back(rec->recommendations.front().advice);
    } else if (rec->judged_on_fit) {
      s.push_back("The nerve risk is " + rec->baseline.risk + ", but the shoe does not fit: " + rec->fit_problem + ".");
      if (!rec->recommendations.empty()) {
        const auto& t = rec->recommendations.front();
        s.push_back("Best change for the fit: " + t.advice + " Predicted toe allowance " +
                    fmt_fixed(t.before.toe_allowance_mm) + " -> " + fmt_fixed(t.after.toe_allowance_mm) +
                    " mm; nerve peak " + fmt_fixed(t.before.peak_mmhg) + " -> " + fmt_fixed(t.after.peak_mmhg) +
                    " mmHg, risk " + t.before.risk + " -> " + t.after.risk + ".");
      }
    } else if (rec->recommendations.empty() && rec->candidates == 0 && rec->rejected.empty()) {
      std::string why = rec->notes.empty() ? std::string("no change applies, so none was simulated") : rec->notes.back();
      why[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(why[0])));
      s.push_back(why + ".");
    } else if (rec->recommendations.empty()) {
      s.push_back("No simulated change (" + std::to_string(rec->candidates) + " tried) lowered the nerve risk" +
                  (r.fit ? " within the fit limits" : "") + "; see the rejected list.");
    } else {
      const auto& t = rec->recommendations.front();
      s.push_back("Best change: " + t.advice + " Predicted nerve peak " + fmt_fixed(t.before.peak_mmhg) + " -> " +
                  fmt_fixed(t.after.peak_mmhg) + " mmHg, risk " + t.before.risk + " -> " + t.after.risk +
                  forefoot_words(t, o.hotspots.caution_mmhg) + ".");
    }
    // A length no accepted change reaches (on the fit or on the nerves): the last length that would fit.
    for (const auto& n : rec->notes)
      if (n.rfind("no accepted change", 0) == 0) s.push_back("No" + n.substr(2) + ".");
    if (rec->screened_out > 0)
      s.push_back("Catalog: " + std::to_string(rec->screened_out) + " of its lasts or sizes were not simulated -- the " +
                  std::to_string(a.catalog_shortlist) + " that squeeze the forefoot least by girth were (a screen; "
                  "--catalog-shortlist 0 simulates every one).");
    if (rec->coarse_screened_out > 0)
      s.push_back("Speed: " + std::to_string(rec->coarse_screened_out) + " of the changes were judged on a coarse copy of "
                  "the foot only and not simulated in full (--screen-vertices 0 simulates every one).");
  }
  if (sy) s.push_back("Symptoms: footwear is " + sy->footwear + " as a cause. " + sy->footwear_reason);
  if (!flags_first) s.insert(s.end(), flags.begin(), flags.end());
  s.push_back("These are model estimates (see assumptions). Signs that need a clinician, not a shoe change, are listed "
              "under red_flags (JSON) and in the report.");
  return s;
}

}  // namespace

void add_check_options(CLI::App* sub, CheckArgs& a) {
  sub->add_option("scan", a.scan, "Foot scan")->required();
  sub->add_option("last", a.target, "Last (any mesh/point format) or a sock spec (.json) for a sock alone")->required();
  sub->add_option("--sock", a.sock, "Sock worn in the shoe: JSON spec or relaxed-sock mesh")->check(file_path());
  sub->add_option("--sock-tension-scale", a.sock_tension_scale, "Factor on the sock's fabric tension per unit strain [0.01, 1]")
      ->check(number_in(0.01, 1.0));
  sub->add_option("--sock-thickness-scale", a.sock_thickness_scale, "Factor on the sock's thickness [0.1, 1]")
      ->check(number_in(0.1, 1.0));
  sub->add_option("--run-minutes", a.run_minutes, "Run length, min")->check(number_in(0.0, 1440.0));
  CLI::Option* lacing =
      sub->add_option("--lacing", a.lacing, "criss-cross, window:3-4, parallel, skip-lowest:2, heel-lock");
  CLI::Option* tension = sub->add_option("--lace-tension-n", a.lace_tension_n,
                                         "Lace tension pulled at the top, N (default: comfort lacing, solved so the "
                                         "laces alone give 15 mmHg at rest)")
                             ->check(number_in(0.0, 200.0));
  // A lacing or a pull for a shoe without laces contradicts it: refused rather than dropped unsaid.
  sub->add_flag("--no-laces", a.no_laces, "A shoe without laces")->excludes(lacing)->excludes(tension);
  sub->add_option("--size-step", a.size_step, "Grade the last by this many US sizes about its heel (multiple of 0.5)")
      ->check(number_in(-3.0, 3.0));
  sub->add_option("--width-step", a.width_step, "Grade the last by this many width letters")
      ->check(whole_number_in(-4, 4));
  sub->add_option("--catalog", a.catalog, "Folder of other lasts to rank for this foot (recommendations)")
      ->check(folder_path());
  sub->add_option("--catalog-shortlist", a.catalog_shortlist,
                  "Simulate in full only this many catalog candidates (a catalog last, or one in the half size that "
                  "fits), those whose forefoot girths squeeze the swollen foot least (a screen); 0 simulates every one")
      ->check(whole_number_in(0, 10000));
  sub->add_option("--screen-vertices", a.screen_vertices,
                  "Screen the changes on a coarse copy of the foot with about this many vertices and simulate only the "
                  "best few in full (used when the foot has more than twice as many); 0 simulates every change in full")
      ->check(zero_or_whole_number_in(500, 1000000));
  sub->add_option("--full-shortlist", a.full_shortlist,
                  "With --screen-vertices: how many of the coarse step's best changes are simulated in full, at "
                  "least (more when the full simulation turns some down); recommendations stay at most 5")
      ->check(whole_number_in(1, 50));
  // An existing empty file is taken as an empty cache, as SQLite does, not refused: SQLite creates a new cache file
  // empty and writes its header only later, so a batch row or kiosk call starting meanwhile sees an empty file. A
  // non-empty file that is not a cache is refused (src/catalog).
  sub->add_option("--last-cache", a.last_cache,
                  "SQLite file that keeps prepared lasts (created if missing or empty), keyed by file content, load "
                  "options and the running fitcheck and its libraries: a kiosk's catalog is prepared once, not on "
                  "every call (other builds' entries are deleted " +
                  std::to_string(catalog::Options{}.keep_other_builds_days) + " days after they were stored)")
      ->check(file_path());
  sub->add_option("--changes", a.changes,
                  "Built-in changes to try: all (default), or a comma list of lacing, tension, size, width, sock "
                  "(catalog lasts come with --catalog); e.g. size,width for a kiosk's size and width ranking")
      ->capture_default_str();
  sub->add_flag("!--no-recommend", a.recommend, "Skip the recommendations (faster)");
  sub->add_option("--symptoms", a.symptoms,
                  "Symptom pattern, e.g. where=instep+toes,onset=20,resolves=5,back-pain=no,weakness=no")
      ->check(non_empty("TEXT"));  // '' was ignored without a word; ' ' was refused
  sub->add_option("--report", a.report,
                  "Write report.html, report.json, summary.txt and the pressure meshes (PLY, VTP + .pvd, GLB) here")
      ->check(folder_path());
  sub->add_option("--scan-units", a.scan_units, "Unit of the scan: m, cm, mm or inch")->check(unit_name());
  sub->add_option("--last-units", a.last_units, "Unit of the last: m, cm, mm or inch")->check(unit_name());
  add_misnamed_units(sub);
  sub->add_option("--side", a.side, "Side of the foot: left, right or auto");
  sub->add_option("--max-file-mb", a.max_file_mb, "Refuse files larger than this many MB")
      ->check(number_in(0.001, 1e6));
  sub->parse_complete_callback([sub, &a] {
    a.shoe_options_given.clear();
    for (const char* name : kShoeOptions)
      if (sub->get_option(name)->count() > 0) a.shoe_options_given.emplace_back(name);
  });
}

bool is_sock_spec(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json";
}

CheckOutput run_check_job(const CheckArgs& a) {
  check::Options o;
  o.run_minutes = a.run_minutes;
  o.laces = !a.no_laces;
  o.lacing = lacing::parse_pattern(a.lacing);
  if (a.lace_tension_n >= 0) {
    o.lacing.lace_tension_n = a.lace_tension_n;
    o.lace_to_comfort = false;
  }
  const bool sock_only = is_sock_spec(a.target);
  if (sock_only && !a.sock.empty()) throw Error(ErrorCode::usage, "cli", "give the sock either as the second argument or with --sock");
  if (sock_only) {
    // The shoe's options with a sock alone were ignored with exit 0 (and echoed in `args`): refused, like grading.
    // Named on the command line, or (a CheckArgs built in code, e.g. by the demo) set off its default.
    const CheckArgs d;
    const bool set[] = {a.size_step != 0, a.width_step != 0, !a.catalog.empty(), a.lacing != d.lacing,
                        a.lace_tension_n != d.lace_tension_n, a.no_laces, !a.last_units.empty(), !a.last_cache.empty(),
                        a.catalog_shortlist != d.catalog_shortlist, a.changes != d.changes,
                        a.screen_vertices != d.screen_vertices, a.full_shortlist != d.full_shortlist};
    static_assert(std::size(set) == std::size(kShoeOptions));
    std::vector<std::string> shoe;
    for (std::size_t k = 0; k < std::size(kShoeOptions); ++k)
      if (set[k] || std::find(a.shoe_options_given.begin(), a.shoe_options_given.end(), kShoeOptions[k]) !=
                        a.shoe_options_given.end())
        shoe.emplace_back(kShoeOptions[k]);
    if (!shoe.empty()) {
      std::string list;
      for (const auto& x : shoe) list += (list.empty() ? "" : ", ") + x;
      throw Error(ErrorCode::usage, "cli", list + (shoe.size() > 1 ? " need" : " needs") + " a last (this checks a sock alone)");
    }
  }
  // A sock mesh is read with the same file limit as the scan and the last (--max-file-mb was not applied to it).
  sock::MeshOptions sock_mesh;
  sock_mesh.load.max_file_mb = a.max_file_mb;
  sock_mesh.load.units_option.clear();  // `check` has no option for a sock mesh's unit
  std::optional<sock::SockSpec> sock_loaded;
  if (sock_only) sock_loaded = sock::load_sock(a.target, sock_mesh);
  else if (!a.sock.empty()) sock_loaded = sock::load_sock(a.sock, sock_mesh);
  if (sock_loaded) {
    try {
      o.sock = recommend::scaled_sock(*sock_loaded, a.sock_tension_scale, a.sock_thickness_scale);
    } catch (const Error& e) {  // name the option that led there
      std::ostringstream v;
      v << std::setprecision(10) << a.sock_thickness_scale;
      throw Error(e.code(), "cli", "--sock-thickness-scale " + v.str() + ": " + e.what());
    }
  }
  else if (a.sock_tension_scale != 1.0 || a.sock_thickness_scale != 1.0)
    throw Error(ErrorCode::usage, "cli", "--sock-tension-scale and --sock-thickness-scale need a sock");
  std::optional<symptoms::Assessment> sy;
  std::optional<symptoms::Pattern> pattern;
  if (!a.symptoms.empty()) {
    pattern = symptoms::parse(a.symptoms);
    sy = symptoms::assess(*pattern);
  }
  o.validate();
  recommend::Options ro;  // --changes is checked before the work starts
  set_changes(ro, a.changes);
  // A kind of change that cannot apply was tried as nothing, then reported as "none of the 0 simulated changes
  // lowered the nerve risk" (review of 2026-12-06): refused, like the shoe's options with a sock alone.
  if (!sock_only && a.changes != "all") {
    if (ro.sock && !sock_loaded) throw Error(ErrorCode::usage, "cli", "--changes sock needs a sock (--sock FILE)");
    if ((ro.lacing || ro.tension) && a.no_laces)
      throw Error(ErrorCode::usage, "cli", std::string("--changes ") + (ro.lacing ? "lacing" : "tension") +
                                               " needs laces (the shoe is checked with --no-laces)");
  }
  ro.catalog_shortlist = a.catalog_shortlist;
  ro.screen_vertices = a.screen_vertices;
  ro.full_shortlist = a.full_shortlist;

  load::Options lo;
  lo.max_file_mb = a.max_file_mb;
  lo.units_option = "--scan-units";
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
  load::Options ll;
  ll.max_file_mb = a.max_file_mb;
  ll.units_option = "--last-units";
  if (!a.last_units.empty()) ll.units = load::parse_unit(a.last_units);
  catalog::Options co;
  co.load = ll;
  co.cache_path = a.last_cache;
  std::size_t lasts_from_cache = 0, lasts_prepared = 0;
  std::optional<last::Last> original, L;
  std::vector<std::string> warnings = scan_file.warnings;
  // The sock's own warnings (unknown keys, a modulus taken as the estimate default, a mesh's units): they were lost.
  if (sock_loaded)
    for (const auto& w : sock_loaded->warnings) warnings.push_back(w.rfind("sock", 0) == 0 ? w : "sock: " + w);
  // A relaxed sock is knitted smaller than the foot it is for; one as large as the foot at the ball (a foot scan or
  // a last given by mistake) presses only by the swelling, which the numbers would not say.
  if (o.sock) {
    const measure::Landmark* m1 = scan.result.find("mth1_medial");
    const measure::Landmark* m5 = scan.result.find("mth5_lateral");
    const double Lf = scan.result.measurements.foot_length_mm, girth = scan.result.measurements.ball_girth_mm;
    if (m1 && m5 && Lf > 0 && girth > 0) {
      const double ball_pct = std::clamp(50.0 * (m1->position_mm.x() + m5->position_mm.x()) / Lf, 0.0, 100.0);
      const double relaxed = sock::relaxed_circumference_at(*o.sock, ball_pct);
      if (relaxed >= 0.97 * girth)
        warnings.push_back("sock '" + o.sock->name + "': its relaxed girth at the ball (" + fmt_fixed(relaxed) +
                           " mm) is not smaller than the foot's (" + fmt_fixed(girth) +
                           " mm); a sock is knitted smaller than the foot, so this one stretches little (is the file "
                           "a sock?)");
    }
  }
  if (!sock_only) {
    catalog::PreparedLast p = catalog::prepare_file(a.target, co);
    warnings.insert(warnings.end(), p.warnings.begin(), p.warnings.end());
    ++(p.from_cache ? lasts_from_cache : lasts_prepared);
    original = std::move(p.last);
    L = recommend::graded(*original, a.size_step, a.width_step);
  }
  const check::Result r = check::run(scan, L ? &*L : nullptr, o);
  if (L && scan.frame.side != L->side)
    warnings.push_back(std::string("a ") + foot::side_name(scan.frame.side) + " foot in a " + foot::side_name(L->side) +
                       " last: compared as mirror images (use --side if the detection is wrong)");
  warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());

  recommend::Setting base;
  base.last_path = sock_only ? "" : a.target;
  base.size_step = a.size_step;
  base.width_step = a.width_step;
  base.laces = o.laces;
  base.lacing = lacing::pattern_text(o.lacing);
  if (!o.lace_to_comfort) base.lace_tension_n = o.lacing.lace_tension_n;
  base.sock_path = sock_only ? a.target : a.sock;  // a sock alone: in the last's place (recommend::Setting)
  base.sock_tension_scale = a.sock_tension_scale;
  base.sock_thickness_scale = a.sock_thickness_scale;
  base.run_minutes = a.run_minutes;
  if (!a.scan_units.empty()) base.input_args.insert(base.input_args.end(), {"--scan-units", a.scan_units});
  if (!a.last_units.empty()) base.input_args.insert(base.input_args.end(), {"--last-units", a.last_units});
  if (a.side != "auto") base.input_args.insert(base.input_args.end(), {"--side", a.side});
  if (a.max_file_mb != CheckArgs{}.max_file_mb) {
    std::ostringstream mb;
    mb << std::setprecision(10) << a.max_file_mb;
    base.input_args.insert(base.input_args.end(), {"--max-file-mb", mb.str()});
  }

  std::optional<recommend::Result> rec;
  std::vector<last::Last> catalog_lasts;
  std::vector<std::string> catalog_paths;
  if (L && a.recommend && a.screen_vertices == 0 &&
      (a.full_shortlist != CheckArgs{}.full_shortlist ||
       std::find(a.shoe_options_given.begin(), a.shoe_options_given.end(), "--full-shortlist") != a.shoe_options_given.end()))
    warnings.push_back("--full-shortlist has no effect without --screen-vertices: every change is simulated in full");
  if (a.recommend && (L || sock_only)) {  // a sock alone: its compression is the change tried
    if (!a.catalog.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_directory(a.catalog, ec))
        throw Error(ErrorCode::io, "cli", "--catalog " + a.catalog + " is not a folder");
      catalog::Folder folder = catalog::prepare_folder(a.catalog, co, a.target);
      lasts_from_cache += folder.from_cache;
      lasts_prepared += folder.prepared;
      for (const auto& k : folder.skipped) warnings.push_back("catalog: skipped " + k);
      if (folder.lasts.empty())  // a kiosk's empty or wrong folder was ranked silently as no catalog at all
        warnings.push_back("catalog: " + a.catalog + " holds no other last to rank (" +
                           (folder.skipped.empty()
                                ? std::string("no .stl .ply .obj .glb .gltf .xyz .asc .pts .pcd file but the last checked")
                                : "every other last file in it was skipped") +
                           "): only changes to the last given were tried");
      warnings.insert(warnings.end(), folder.warnings.begin(), folder.warnings.end());
      for (auto& p : folder.lasts) {
        catalog_paths.push_back(p.path);
        catalog_lasts.push_back(std::move(p.last));
      }
    }
    recommend::Input in;
    in.scan = &scan;
    in.scan_path = a.scan;
    in.last = L ? &*original : nullptr;
    in.base = base;
    in.options = o;
    in.baseline = &r;
    for (std::size_t i = 0; i < catalog_lasts.size(); ++i) in.catalog.push_back({catalog_paths[i], &catalog_lasts[i]});
    if (sy) in.focus_nerves = sy->nerves_to_watch;
    rec = recommend::recommend(in, ro);
  }

  nlohmann::ordered_json j;
  j["schema"] = "fitcheck.check/0.2";
  j["scan"] = a.scan;
  if (L) j["last"] = a.target;
  if (o.sock) j["sock"] = o.sock->name;
  j["args"] = recommend::check_args(a.scan, base);  // a sock alone: the sock file where the last would be
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
                  {"nerve_peak_mmhg", r1(h.nerve_peak_mmhg)},
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
    j["lacing"] = {{"pattern", lacing::pattern_text(o.lacing)},
                   {"lace_tension_n", std::round(r.lace_tension_n * 1000) / 1000},
                   {"tension_from", o.lace_to_comfort ? "comfort lacing: solved so the laces alone give " +
                                                            fmt_fixed(o.lace_comfort_mmhg) + " mmHg on the resting foot (model anchor)"
                                                      : std::string("--lace-tension-n")},
                   {"eyelets", r.layout.eyelets.size()},
                   {"notes", r.layout.notes}};
  if (rec) {
    nlohmann::ordered_json ra = nlohmann::ordered_json::array();
    for (const auto& x : rec->recommendations) {
      std::vector<std::string> cmd = {"fitcheck", "check"};
      cmd.insert(cmd.end(), x.args.begin(), x.args.end());
      std::vector<std::string> q;
      for (const auto& c : cmd) q.push_back(quoted(c));
      // Unrounded before/after: applying the args reproduces them (issue #6: within 1 %).
      ra.push_back({{"rank", x.rank},
                    {"change", x.change},
                    {"kind", x.kind},
                    {"advice", x.advice},
                    {"peak_mmhg_before", x.before.peak_mmhg},
                    {"peak_mmhg_after", x.after.peak_mmhg},
                    {"risk_before", x.before.risk},
                    {"risk_after", x.after.risk},
                    {"worst_nerve_before", x.before.worst_nerve},
                    {"symptom_nerves_peak_mmhg_before", r1(x.before.symptom_peak_mmhg)},
                    {"symptom_nerves_peak_mmhg_after", r1(x.after.symptom_peak_mmhg)},
                    {"forefoot_peak_mmhg_before", r1(x.before.forefoot_peak_mmhg)},
                    {"forefoot_peak_mmhg_after", r1(x.after.forefoot_peak_mmhg)},
                    {"region_peak_mmhg_before", regions_json(x.before.region_peak_mmhg)},
                    {"region_peak_mmhg_after", regions_json(x.after.region_peak_mmhg)},
                    {"toe_allowance_mm_after", L ? nlohmann::ordered_json(r1(x.after.toe_allowance_mm)) : nlohmann::ordered_json()},
                    {"lace_tension_n_after", std::round(x.after.lace_tension_n * 1000) / 1000},
                    {"args", x.args},
                    {"command", join(q, " ")}});
    }
    j["recommendations"] = ra;
    j["no_change_needed"] = rec->no_change_needed;
    j["judged_on_fit"] = rec->judged_on_fit;
    nlohmann::ordered_json rj = nlohmann::ordered_json::array();
    for (const auto& x : rec->rejected) rj.push_back({{"change", x.change}, {"reason", x.reason}});
    j["rejected"] = rj;
    j["candidates_simulated"] = rec->candidates;
    j["candidates_considered"] = rec->considered;
    j["candidates_screened_out"] = rec->screened_out;
    if (rec->coarse_foot_vertices > 0)
      j["coarse_screen"] = {{"foot_vertices", rec->coarse_foot_vertices}, {"simulated", rec->coarse_simulated},
                            {"left_out", rec->coarse_screened_out}};
    if (!rec->notes.empty()) j["recommendation_notes"] = rec->notes;
  }
  if (!a.last_cache.empty())
    j["last_cache"] = {{"file", a.last_cache}, {"lasts_from_cache", lasts_from_cache}, {"lasts_prepared", lasts_prepared}};
  if (sy) {
    nlohmann::ordered_json cs = nlohmann::ordered_json::array();
    for (const auto& c : sy->causes)
      cs.push_back({{"id", c.id}, {"name", c.name}, {"fit", c.fit}, {"why", c.why}, {"footwear_related", c.footwear_related},
                    {"seed_section", c.seed_section}, {"nerves", c.nerves}});
    j["symptoms"] = {{"pattern", symptoms::pattern_text(*pattern)}, {"footwear", sy->footwear},
                     {"footwear_reason", sy->footwear_reason}, {"care", sy->care}, {"causes", cs},
                     {"red_flags", sy->red_flags}, {"nerves_to_watch", sy->nerves_to_watch}};
  }
  {
    nlohmann::ordered_json t = nlohmann::ordered_json::object();
    for (const auto& [name, ms] : r.timings_ms) t[name] = std::round(ms);
    j["timings_ms"] = t;  // the check's steps (not the recommendations), wall time on this machine
  }
  j["thresholds_mmhg"] = {{"caution", o.hotspots.caution_mmhg}, {"warning", o.hotspots.warning_mmhg}, {"alarm", o.hotspots.alarm_mmhg}};
  CheckOutput out;
  out.summary = summary_lines(a, scan, r, o, rec, sy);
  j["summary"] = out.summary;
  j["assumptions"] = r.assumptions;
  j["red_flags"] = check::red_flags();
  j["warnings"] = warnings;
  if (!a.report.empty()) {
    const std::filesystem::path dir = a.report;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::io, "cli", "cannot create report folder " + dir.string() + ": " + ec.message());
    j["report"] = a.report;
    // The frame of the written meshes, and how to lay them over the input file (review: a designer could not overlay
    // the pressure map on the last in Rhino or ParaView).
    nlohmann::ordered_json mf;
    if (r.fit) {
      mf["frame"] = "last";  // positions as stored (mm, +Z up); a .glb's node turns them for viewers (save.hpp)
      const bool as_given = a.size_step == 0 && a.width_step == 0;
      mf["from_file"] = as_given ? matrix_json<nlohmann::ordered_json>(original->to_last_frame) : nlohmann::ordered_json(nullptr);
      mf["note"] = std::string("the foot as placed in the last frame: ground tangent to the last's bottom at the tread (z = 0), "
                               "heel back point at x = 0, x toward the toe, right-last convention (medial +y), mm. ") +
                   (as_given ? "from_file (row-major 4x4) maps the last file's coordinates, converted to mm, into it; its "
                               "inverse takes the meshes onto the last as the file has it (a left last is mirrored: "
                               "the matrix flips one axis)"
                             : "The last was graded (--size-step/--width-step): the graded last's own frame, which "
                               "no file holds (`fitcheck last --grade -o` writes the graded last in the input's "
                               "coordinates), so no transform is given");
    } else {
      mf["frame"] = "foot";
      mf["from_file"] = matrix_json<nlohmann::ordered_json>(scan.frame.to_foot_frame);
      mf["note"] = "the resting foot in the foot frame: sole on z = 0, pternion at x = 0, x toward the 2nd toe, medial +y "
                   "(a left foot mirrored), mm. from_file (row-major 4x4) maps the scan file's coordinates, converted "
                   "to mm, into it";
    }
    j["mesh_frame"] = mf;
    write_meshes(dir, r);
    report::write_html(dir / "report.html", html_page(a, r, j, out.summary));
    write_text_file(dir / "summary.txt", join(out.summary, "\n") + "\n", "cli");
    write_text_file(dir / "report.json", json_text(j) + "\n", "cli");
  }
  out.json = std::move(j);
  return out;
}

}  // namespace fitcheck::cli
