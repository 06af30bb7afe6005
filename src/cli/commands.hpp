// The CLI's subcommands. Each registers itself on the CLI11 app and runs after parsing; errors are thrown as
// fitcheck::Error and mapped to exit codes in main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace fitcheck::cli {

/// Common output switches.
struct OutputFlags {
  bool json = false;
};

/// Adds `info` to `app`; `run` is set to the action to execute when it was chosen.
void add_info_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

/// Adds `measure`.
void add_measure_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

/// Adds `last`.
void add_last_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

/// Adds `place`.
void add_place_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

/// Adds `check`.
void add_check_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

/// Adds `demo`.
void add_demo_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

/// Adds `batch` (a CSV manifest of checks run as child processes; see cmd_batch.cpp).
void add_batch_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out);

}  // namespace fitcheck::cli
