// Small text helpers shared by the stages' messages and reports.
#pragma once

#include <sstream>
#include <string>

namespace fitcheck {

/// `v` with a fixed number of decimals ("12.3"), for messages. (A stream, not std::to_string: that prints 6 decimals.)
inline std::string fmt_fixed(double v, int decimals = 1) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(decimals);
  s << v;
  return s.str();
}

/// `v` with no decimals when it is whole to 0.01, else with up to two (trailing zeros dropped): "60", "0.4", "9.96".
/// For values that decide a threshold in the same sentence (a 0.4-minute run is not "0-minute"; 9.96 min is not
/// "10.0 min" when 10 is the line).
inline std::string fmt_short(double v) {
  std::string t = fmt_fixed(v, 2);
  if (t.find('.') != std::string::npos) {
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
  }
  return t == "-0" ? "0" : t;
}

}  // namespace fitcheck
