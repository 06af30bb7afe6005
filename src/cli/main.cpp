// fitcheck command-line interface. Exit codes (ARCHITECTURE.md "Interfaces"): 0 ok, 2 usage, 3 unreadable input,
// 4 input readable but not usable, 5 internal failure. Errors go to stderr; with --json also as a JSON object on
// stdout so a kiosk can parse every outcome.
#include <CLI/CLI.hpp>
#include <exception>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace {

int report(const fitcheck::Error& e, bool json) {
  std::cerr << "fitcheck: error [" << fitcheck::error_code_name(e.code()) << "]: " << e.what() << "\n";
  if (json) {
    nlohmann::json j = {{"error", {{"code", fitcheck::error_code_name(e.code())},
                                   {"exit_code", fitcheck::exit_code(e.code())},
                                   {"stage", e.stage()},
                                   {"message", e.what()}}}};
    std::cout << fitcheck::cli::json_text(j) << "\n";
  }
  return fitcheck::exit_code(e.code());
}

/// Whether --json was given. After a parse error CLI11 may not have stored the flag yet (a subcommand stores its
/// options in the order they were added, its --json last), but it has counted every option it read.
bool json_given(const std::vector<const CLI::Option*>& flags) {
  for (const CLI::Option* f : flags) {
    if (f->count() == 0) continue;
    try {
      if (f->as<bool>()) return true;
    } catch (const CLI::Error&) {  // --json=maybe: not a request for JSON
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fitcheck: footwear and sock fit checker (foot scans, lasts, nerve-compression hotspots)"};
  app.require_subcommand(1);
  fitcheck::cli::OutputFlags out;
  std::vector<const CLI::Option*> json_flags = {app.add_flag("--json", out.json, "Print JSON to stdout")};
  std::function<int()> run;
  fitcheck::cli::add_info_command(app, run, out);
  fitcheck::cli::add_measure_command(app, run, out);
  fitcheck::cli::add_last_command(app, run, out);
  fitcheck::cli::add_place_command(app, run, out);
  fitcheck::cli::add_check_command(app, run, out);
  fitcheck::cli::add_demo_command(app, run, out);
  fitcheck::cli::add_batch_command(app, run, out);
  // --json is also accepted after the subcommand.
  for (CLI::App* sub : app.get_subcommands({}))
    json_flags.push_back(sub->add_flag("--json", out.json, "Print JSON to stdout"));

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A bad command line is a usage error like any other: the same message prefix, and JSON with --json.
    return report(fitcheck::Error(fitcheck::ErrorCode::usage, "cli", e.what()), json_given(json_flags));
  }
  try {
    return run ? run() : fitcheck::exit_code(fitcheck::ErrorCode::usage);
  } catch (const fitcheck::Error& e) {
    return report(e, out.json);
  } catch (const std::exception& e) {
    return report(fitcheck::Error(fitcheck::ErrorCode::internal, "cli", std::string("unexpected: ") + e.what()),
                  out.json);
  } catch (...) {
    return report(fitcheck::Error(fitcheck::ErrorCode::internal, "cli", "unexpected non-standard exception"),
                  out.json);
  }
}
