// `fitcheck check SCAN LAST|SOCK [--sock SOCK] [--run-minutes 60] [--lacing PATTERN] [--lace-tension-n N]
//                [--no-laces] [--size-step S] [--width-step W] [--catalog DIR] [--catalog-shortlist N] [--no-recommend]
//                [--symptoms TEXT]
//                [--json] [--report DIR]`  (the job itself: cli/check_job.hpp)
#include <iostream>
#include <memory>

#include "cli/check_job.hpp"
#include "cli/commands.hpp"
#include "core/format.hpp"

namespace fitcheck::cli {

namespace {
int run_check(const CheckArgs& a, const OutputFlags& out) {
  const CheckOutput r = run_check_job(a);
  if (out.json) {
    std::cout << json_text(r.json) << "\n";
    return 0;
  }
  for (const auto& line : r.summary) std::cout << line << "\n";
  if (r.json.contains("recommendations") && r.json["recommendations"].size() > 1) {
    std::cout << "Other changes that help:\n";
    for (std::size_t k = 1; k < r.json["recommendations"].size(); ++k) {
      const auto& x = r.json["recommendations"][k];
      std::cout << "  " << x["rank"].get<int>() << ". " << x["advice"].get<std::string>() << " (nerve peak "
                << fmt_fixed(x["peak_mmhg_after"].get<double>()) << " mmHg, risk " << x["risk_after"].get<std::string>() << ")\n";
    }
  }
  for (const auto& w : r.json["warnings"]) std::cout << "warning: " << w.get<std::string>() << "\n";
  if (!a.report.empty()) std::cout << "report written to " << a.report << " (open report.html)\n";
  return 0;
}
}  // namespace

void add_check_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* sub = app.add_subcommand("check", "Swelling, pressure and nerve hotspots of a foot in a shoe (last) and/or sock, "
                                              "with recommendations");
  add_check_options(sub, *a);
  sub->callback([&run, &out, a] { run = [a, &out] { return run_check(*a, out); }; });
}

}  // namespace fitcheck::cli
