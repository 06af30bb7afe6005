#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "load/load.hpp"

namespace fitcheck::load {

const char* unit_name(Unit u) noexcept {
  switch (u) {
    case Unit::m: return "m";
    case Unit::cm: return "cm";
    case Unit::mm: return "mm";
    case Unit::inch: return "inch";
  }
  return "?";
}

double mm_per_unit(Unit u) noexcept {
  switch (u) {
    case Unit::m: return 1000.0;
    case Unit::cm: return 10.0;
    case Unit::mm: return 1.0;
    case Unit::inch: return 25.4;  // exact by definition (1959 international inch)
  }
  return 1.0;
}

Unit parse_unit(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (t == "m" || t == "metre" || t == "metres" || t == "meter" || t == "meters") return Unit::m;
  if (t == "cm") return Unit::cm;
  if (t == "mm") return Unit::mm;
  if (t == "in" || t == "inch" || t == "inches") return Unit::inch;
  throw Error(ErrorCode::usage, "load", "unknown unit '" + std::string(text) + "' (use m, cm, mm or inch)");
}

void Options::validate() const {
  auto bad = [](const std::string& what) { throw Error(ErrorCode::usage, "load", "invalid option: " + what); };
  if (!(max_file_mb > 0.0 && max_file_mb <= 1e6)) bad("max_file_mb must be in (0, 1e6] MB");
  if (min_points < 4 || min_points > 1000000000) bad("min_points must be in [4, 1e9]");
  if (!(min_length_mm > 0.0 && min_length_mm < max_length_mm)) bad("min_length_mm must be in (0, max_length_mm)");
  if (!(max_length_mm <= 1e5)) bad("max_length_mm must be at most 1e5 mm");
  if (!(typical_length_mm >= min_length_mm && typical_length_mm <= max_length_mm))
    bad("typical_length_mm must lie within [min_length_mm, max_length_mm]");
}

namespace {
std::string fmt_mm(double v) {
  std::ostringstream s;
  s.precision(v >= 100 ? 4 : 3);
  s << v;
  return s.str();
}
}  // namespace

UnitChoice choose_unit(double length, const Options& o, const std::string& label) {
  // The range where a foot or a last normally lies; a guess inside it is confident. (ARCHITECTURE.md: 150-350 mm
  // for feet, lasts up to ~400 mm; issue #2: 100-400 mm.)
  constexpr double kTypicalLo = 100.0, kTypicalHi = 400.0;
  UnitChoice c;
  if (!(length > 0.0) || !std::isfinite(length))
    throw Error(ErrorCode::invalid_input, "load", label + ": object has no extent");

  if (o.units) {
    c.unit = *o.units;
    c.length_mm = length * mm_per_unit(c.unit);
    if (c.length_mm < o.min_length_mm || c.length_mm > o.max_length_mm)
      throw Error(ErrorCode::invalid_input, "load",
                  label + ": with " + o.units_option + " " + unit_name(c.unit) + " the object is " + fmt_mm(c.length_mm) +
                      " mm long, outside the plausible " + fmt_mm(o.min_length_mm) + "-" + fmt_mm(o.max_length_mm) +
                      " mm for a foot or last");
    c.reason = "given by the user (" + o.units_option + " " + unit_name(c.unit) + "); object " + fmt_mm(c.length_mm) +
               " mm long";
    return c;
  }

  const Unit all[] = {Unit::m, Unit::cm, Unit::mm, Unit::inch};
  double best_score = 1e300;
  for (Unit u : all) {
    const double mm = length * mm_per_unit(u);
    const double score = std::abs(std::log(mm / o.typical_length_mm));
    if (score < best_score) {
      best_score = score;
      c.unit = u;
      c.length_mm = mm;
    }
  }
  if (c.length_mm < o.min_length_mm || c.length_mm > o.max_length_mm) {
    throw Error(ErrorCode::invalid_input, "load",
                label + ": object is " + fmt_mm(length) + " file units long; as m, cm, mm or inch that is " +
                    fmt_mm(length * 1000) + ", " + fmt_mm(length * 10) + ", " + fmt_mm(length) + " or " +
                    fmt_mm(length * 25.4) + " mm, none within the plausible " + fmt_mm(o.min_length_mm) + "-" +
                    fmt_mm(o.max_length_mm) + " mm of a foot or last" + (o.units_option.empty() ? "" : " (use " + o.units_option + " to force one)"));
  }
  std::vector<std::string> others;
  for (Unit u : all) {
    const double mm = length * mm_per_unit(u);
    if (u != c.unit && mm >= kTypicalLo && mm <= kTypicalHi) {
      others.push_back(std::string(unit_name(u)) + " (" + fmt_mm(mm) + " mm)");
      c.ambiguous = true;
    }
  }
  std::ostringstream r;
  r << "object is " << fmt_mm(length) << " file units long; as " << unit_name(c.unit) << " that is "
    << fmt_mm(c.length_mm) << " mm, the unit closest to a typical " << fmt_mm(o.typical_length_mm)
    << " mm foot or last";
  if (c.length_mm < kTypicalLo || c.length_mm > kTypicalHi)
    r << " (outside the usual " << kTypicalLo << "-" << kTypicalHi << " mm: check the scan)";
  if (c.ambiguous) {
    r << "; also plausible: ";
    for (std::size_t i = 0; i < others.size(); ++i) r << (i ? ", " : "") << others[i];
    if (!o.units_option.empty()) r << " (use " << o.units_option << " to force)";
  }
  c.reason = r.str();
  return c;
}

double principal_length(const std::vector<Eigen::Vector3d>& points) {
  if (points.size() < 2) return 0.0;
  const PrincipalAxes pa = principal_axes(points);
  const Eigen::Vector3d& mean = pa.mean;
  const Eigen::Vector3d axis = pa.axes.col(2);
  double lo = 1e300, hi = -1e300;
  for (const auto& p : points) {
    const double t = (p - mean).dot(axis);
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
  return hi - lo;
}

}  // namespace fitcheck::load
