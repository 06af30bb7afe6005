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

/// `v` for a sentence that says it lies outside [lo, hi]: one decimal, or more (up to three) while fewer would round it
/// onto the range -- "toe allowance 17.04 mm outside 8-17 mm", not "17.0 mm outside 8-17 mm" (review). Closer to the
/// range than 0.0005 it still reads as its end ("17.000").
inline std::string fmt_outside(double v, double lo, double hi) {
  std::string t;
  for (int d = 1; d <= 3; ++d) {
    t = fmt_fixed(v, d);
    const double shown = std::stod(t);
    if (shown < lo || shown > hi) break;
  }
  return t;
}

}  // namespace fitcheck
