#include "size/size.hpp"

#include <cctype>
#include <cmath>
#include <sstream>
#include <vector>

#include "core/error.hpp"

namespace fitcheck::size {

namespace {

constexpr double kInch = 25.4;  // mm, exact

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw Error(ErrorCode::usage, "size", "size '" + std::string(text) + "': " + why +
                                            " (examples: \"US 9 D\", \"US 10 2E\", \"US W 8 B\", \"UK 8\", \"EU 43\", "
                                            "\"MP 270\")");
}

// Letters from narrowest to widest; index of the medium width per system.
const std::vector<std::string>& letters() {
  static const std::vector<std::string> l = {"4A", "3A", "2A", "A", "B", "C", "D", "E", "2E", "3E", "4E", "5E", "6E"};
  return l;
}
int medium_index(System s) { return s == System::us_women ? 4 /* B */ : 6 /* D */; }

std::string upper(std::string_view t) {
  std::string s(t);
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

int parse_width(std::string_view text, System s, const std::string& w) {
  std::string norm = w;
  // Accept "EE", "EEE", "AA", ... as well as "2E", "3A".
  if (norm.size() >= 2 && norm.find_first_not_of(norm[0]) == std::string::npos && (norm[0] == 'E' || norm[0] == 'A'))
    norm = std::to_string(norm.size()) + norm[0];
  const auto& l = letters();
  for (std::size_t i = 0; i < l.size(); ++i)
    if (l[i] == norm) return static_cast<int>(i) - medium_index(s);
  bad(text, "unknown width '" + w + "'");
}

}  // namespace

std::string width_label(System s, int width) {
  const int i = medium_index(s) + width;
  const auto& l = letters();
  if (i < 0 || i >= static_cast<int>(l.size())) return "?";
  return l[static_cast<std::size_t>(i)];
}

Size parse_size(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> tok;
  for (std::string t; in >> t;) tok.push_back(upper(t));
  if (tok.empty()) bad(text, "empty");
  Size s;
  std::size_t i = 0;
  if (tok[0] == "US") {
    s.system = System::us_men;
    ++i;
    if (i < tok.size() && (tok[i] == "W" || tok[i] == "WOMEN")) s.system = System::us_women, ++i;
    else if (i < tok.size() && (tok[i] == "M" || tok[i] == "MEN")) ++i;
  } else if (tok[0] == "UK") {
    s.system = System::uk, ++i;
  } else if (tok[0] == "EU" || tok[0] == "EUR") {
    s.system = System::eu, ++i;
  } else if (tok[0] == "MP" || tok[0] == "MONDO" || tok[0] == "MONDOPOINT") {
    s.system = System::mondopoint, ++i;
  } else {
    bad(text, "unknown size system '" + tok[0] + "'");
  }
  if (i >= tok.size()) bad(text, "no size number");
  try {
    std::size_t used = 0;
    s.value = std::stod(tok[i], &used);
    if (used != tok[i].size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    bad(text, "'" + tok[i] + "' is not a number");
  }
  ++i;
  const bool halves = s.system != System::mondopoint;
  if (!std::isfinite(s.value) || (halves && std::abs(s.value * 2 - std::round(s.value * 2)) > 1e-9))
    bad(text, "sizes come in whole and half steps");
  if (i < tok.size()) {
    if (s.system == System::eu || s.system == System::mondopoint) bad(text, "width letters are given with US/UK sizes");
    s.width = parse_width(text, s.system, tok[i]);
    s.width_given = true;
    ++i;
  }
  if (i != tok.size()) bad(text, "unexpected '" + tok[i] + "'");
  const double L = last_length_mm(s);
  if (L < 150 || L > 380) bad(text, "outside the adult range this tool grades (last length 150-380 mm)");
  return s;
}

std::string format_size(const Size& s) {
  std::ostringstream o;
  switch (s.system) {
    case System::us_men: o << "US "; break;
    case System::us_women: o << "US W "; break;
    case System::uk: o << "UK "; break;
    case System::eu: o << "EU "; break;
    case System::mondopoint: o << "MP "; break;
  }
  o << s.value;
  if (s.width_given || s.width != 0) o << ' ' << width_label(s.system, s.width);
  return o.str();
}

double length_step_mm(System s) {
  switch (s) {
    case System::us_men:
    case System::us_women:
    case System::uk: return kInch / 3.0;  // G1: 8.47 mm
    case System::eu: return 20.0 / 3.0;   // G1: Paris point, 6.67 mm
    case System::mondopoint: return 5.0;  // G1
  }
  return kInch / 3.0;
}

double last_length_mm(const Size& s) {
  switch (s.system) {
    case System::uk: return (s.value + 25.0) / 3.0 * kInch;
    case System::us_men: return (s.value - 1.0 + 25.0) / 3.0 * kInch;
    case System::us_women: return (s.value - 2.5 + 25.0) / 3.0 * kInch;
    case System::eu: return s.value / 1.5 * 10.0;
    case System::mondopoint: return s.value + kMondopointToeAllowanceMm;
  }
  return 0;
}

Size size_for_last_length(double mm, System system) {
  Size probe;
  probe.system = system;
  probe.value = 0;
  const double at_zero = last_length_mm(probe);
  const double step = system == System::mondopoint ? 1.0 : length_step_mm(system);
  const double raw = (mm - at_zero) / step;
  Size s;
  s.system = system;
  s.value = system == System::mondopoint ? std::round(raw / 5.0) * 5.0 : std::round(raw * 2.0) / 2.0;
  return s;
}

GradeDelta grade_delta(const Size& from, const Size& to) {
  GradeDelta d;
  d.length_mm = last_length_mm(to) - last_length_mm(from);
  // Girth follows length at the US rate (6.5 mm per 8.47 mm), plus the width letters (G2).
  d.ball_girth_mm = d.length_mm / length_step_mm(System::us_men) * kGirthPerUsSizeMm +
                    (to.width - from.width) * kGirthPerWidthMm;
  return d;
}

}  // namespace fitcheck::size
