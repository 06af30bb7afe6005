// The CLI's subcommands. Each registers itself on the CLI11 app and runs after parsing; errors are thrown as
// fitcheck::Error and mapped to exit codes in main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <functional>
#include <string>

namespace fitcheck::cli {

/// Common output switches.
struct OutputFlags {
  bool json = false;
};

/// The JSON text of `j` (nlohmann::json or ordered_json) indented by `indent`. Strings that are not valid UTF-8 (a
/// file name in another encoding, typed symptoms) have their bad bytes replaced by U+FFFD instead of throwing:
/// nlohmann's default threw type_error 316, which aborted the program inside the error handler or gave exit 5.
template <class Json>
std::string json_text(const Json& j, int indent = 2) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

/// A 4x4 transform as JSON rows (row-major), for `to_foot_frame` / `to_last_frame`.
template <class Json>
Json matrix_json(const Eigen::Matrix4d& m) {
  Json t = Json::array();
  for (int i = 0; i < 4; ++i) {
    Json row = Json::array();
    for (int k = 0; k < 4; ++k) row.push_back(m(i, k));
    t.push_back(row);
  }
  return t;
}

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
