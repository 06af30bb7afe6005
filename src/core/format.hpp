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

}  // namespace fitcheck
