// Value checks for options. The numeric ones are used instead of CLI::Range: Range lets "nan" through (every
// comparison with NaN is false), so an option the code reads as `x >= 0` was silently ignored; and it calls "1.5" for
// a whole-number option "not in range" when the fraction is the problem. Both read the text as CLI11 converts it
// afterwards (the whole text, strtod / strtoll base 0), so the value checked is the value stored.
#pragma once

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>
#include <string>

#include "load/load.hpp"

namespace fitcheck::cli {

namespace detail {
inline std::string range_text(double lo, double hi) {
  std::ostringstream s;
  s << std::setprecision(10) << "[" << lo << ", " << hi << "]";
  return s.str();
}
}  // namespace detail

/// A number (not NaN) in [lo, hi].
inline CLI::Validator number_in(double lo, double hi) {
  const std::string range = detail::range_text(lo, hi);
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || std::isnan(v)) return text + " is not a number";
        if (!(v >= lo && v <= hi)) return text + " is outside " + range;
        return {};
      },
      "FLOAT in " + range);
}

/// A whole number in [lo, hi].
inline CLI::Validator whole_number_in(long long lo, long long hi) {
  const std::string range = detail::range_text(static_cast<double>(lo), static_cast<double>(hi));
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(text.c_str(), &end, 0);
        if (text.empty() || end != text.c_str() + text.size()) return text + " is not a whole number";
        if (errno == ERANGE || v < lo || v > hi) return text + " is outside " + range;
        return {};
      },
      "INT in " + range);
}

/// 0 (off) or a whole number in [lo, hi].
inline CLI::Validator zero_or_whole_number_in(long long lo, long long hi) {
  const CLI::Validator in_range = whole_number_in(lo, hi);
  return CLI::Validator(
      [in_range](std::string& text) -> std::string {
        if (text == "0") return {};
        const std::string why = in_range(text);
        return why.empty() ? why : why + " (or 0: off)";
      },
      "0 or INT in " + detail::range_text(static_cast<double>(lo), static_cast<double>(hi)));
}

/// A non-empty folder path: '' reached the file system as the current folder (batch -o '' wrote its rows there), or
/// was taken as "none" (check --report '' wrote no report), neither of which the user asked for.
inline CLI::Validator folder_path() {
  return CLI::Validator(
      [](std::string& text) { return text.empty() ? std::string("must not be empty (. is the current folder)") : ""; },
      "FOLDER");
}

/// A non-empty value, shown in help as `label`: '' was taken as "none" (`--sock ''` checked without the sock,
/// `--write-aligned ''` wrote nothing, `--symptoms ''` was ignored), which a script passing an unset variable did not
/// mean.
inline CLI::Validator non_empty(const std::string& label) {
  return CLI::Validator([](std::string& text) { return text.empty() ? std::string("must not be empty") : ""; }, label);
}
/// A non-empty file path.
inline CLI::Validator file_path() { return non_empty("FILE"); }

/// A unit name load::parse_unit reads (m, cm, mm, inch and their spellings); CLI11 names the option in the error.
inline CLI::Validator unit_name() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        try {
          (void)load::parse_unit(text);
        } catch (const std::exception&) {
          return "unknown unit '" + text + "' (use m, cm, mm or inch)";
        }
        return {};
      },
      "UNIT");
}

/// A hidden `--units` on a command of two files (check, place), which take --scan-units and --last-units: `measure`
/// and `last` take --units, and CLI11 said only "The following arguments were not expected: m --units" (review).
inline void add_misnamed_units(CLI::App* sub) {
  sub->add_option_function<std::string>("--units", [name = sub->get_name()](const std::string&) {
       throw CLI::ValidationError("--units", name + " takes --scan-units (and --last-units for the last)");
     })->group("");
}

}  // namespace fitcheck::cli
