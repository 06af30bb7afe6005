// `fitcheck demo [--samples DIR] [--out DIR] [--json]`: the whole check with recommendations on the bundled samples
// (scans/, lasts/ under DIR, default the current folder): the sample foot in a last that fits, in a last narrow in the
// forefoot, in the fitting last laced tight (with a symptom pattern: numb instep and toes from 25 min, gone 5 min after
// stopping), and with a class I compression sock alone. Each case writes its report
// (report.html, report.json, summary.txt, pressure meshes) under OUT/<case>/ and prints its summary.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/check_job.hpp"
#include "cli/commands.hpp"
#include "cli/option_checks.hpp"
#include "core/error.hpp"

namespace fitcheck::cli {

namespace {
struct DemoArgs {
  std::string samples = ".", out = "demo-report";
};

int run_demo(const DemoArgs& d, const OutputFlags& flags) {
  const std::filesystem::path s = d.samples;
  const std::filesystem::path scan = s / "scans" / "foot-right.ply";
  for (const auto& f : {scan, s / "lasts" / "last-fit.stl", s / "lasts" / "last-narrow.ply", s / "lasts" / "sock-class1.json"})
    if (!std::filesystem::exists(f))
      throw Error(ErrorCode::io, "demo", "sample " + f.string() + " not found: run from the project folder or give --samples DIR");
  struct Case {
    std::string name, title, target;
    double tension = -1;
    std::string symptoms;
  };
  const std::vector<Case> cases = {
      {"fitting-last", "the sample foot in a last that fits", (s / "lasts" / "last-fit.stl").string(), -1, ""},
      {"narrow-forefoot", "the same foot in a last narrow in the forefoot", (s / "lasts" / "last-narrow.ply").string(), -1, ""},
      {"tight-laces", "the fitting last laced tight (25 N pulled at the top), with a runner's symptom pattern",
       (s / "lasts" / "last-fit.stl").string(), 25.0, "where=instep+toes,onset=25,resolves=5,back-pain=no,weakness=no"},
      {"compression-sock", "a class I compression sock alone", (s / "lasts" / "sock-class1.json").string(), -1, ""},
  };
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Case& c : cases) {
    CheckArgs a;
    a.scan = scan.string();
    a.target = c.target;
    a.lace_tension_n = c.tension;
    a.symptoms = c.symptoms;
    a.report = (std::filesystem::path(d.out) / c.name).string();
    const CheckOutput r = run_check_job(a);
    if (flags.json) {
      all.push_back({{"case", c.name}, {"title", c.title}, {"result", r.json}});
      continue;
    }
    std::cout << "== " << c.title << " (" << c.name << ")\n";
    for (const auto& line : r.summary) std::cout << "   " << line << "\n";
    std::cout << "   report: " << a.report << "/report.html\n\n";
  }
  if (flags.json) std::cout << json_text(nlohmann::ordered_json{{"schema", "fitcheck.demo/0.1"}, {"cases", all}}) << "\n";
  return 0;
}
}  // namespace

void add_demo_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto d = std::make_shared<DemoArgs>();
  CLI::App* sub = app.add_subcommand("demo", "Run the whole check with recommendations on the bundled samples");
  sub->add_option("--samples", d->samples, "Folder holding scans/ and lasts/ (default: the current folder)");
  sub->add_option("--out", d->out, "Folder for the reports (default: demo-report)")->check(folder_path());
  sub->callback([&run, &out, d] { run = [d, &out] { return run_demo(*d, out); }; });
}

}  // namespace fitcheck::cli
