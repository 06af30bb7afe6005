#include "sock/sock.hpp"

#include <algorithm>
#include <set>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json_path.hpp"
#include "foot/foot.hpp"
#include "measure/measure.hpp"

namespace fitcheck::sock {

namespace {

using json = nlohmann::json;

constexpr std::uintmax_t kMaxSpecBytes = 1000000;  // 1 MB: a spec is a few hundred bytes

std::string num(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

std::string upper(std::string_view t) {
  std::string s(t);
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

[[noreturn]] void bad_class(std::string_view text, const std::string& why) {
  throw Error(ErrorCode::usage, "sock",
              "compression class '" + std::string(text) + "': " + why +
                  " (examples: \"none\", \"support\", \"RAL I\" .. \"RAL IV\", \"class II\", \"UK 1\" .. \"UK 3\")");
}

// "I".."IV" or "1".."4" -> 1..4; 0 when neither.
int class_number(const std::string& t) {
  static const char* const roman[] = {"I", "II", "III", "IV"};
  static const char* const arabic[] = {"1", "2", "3", "4"};
  for (int i = 0; i < 4; ++i)
    if (t == roman[i] || t == arabic[i]) return i + 1;
  return 0;
}

}  // namespace

// ---- compression classes (literature.md C1) ---------------------------------------------------------------------

CompressionClass parse_compression_class(std::string_view text) {
  std::string s = upper(text);
  for (auto& c : s)
    if (c == '-' || c == '_' || c == '.') c = ' ';
  std::istringstream in(s);
  std::vector<std::string> tok;
  for (std::string t; in >> t;) tok.push_back(t);
  if (tok.empty()) bad_class(text, "empty");
  if (tok.size() == 1 && tok[0] == "NONE") return CompressionClass::none;
  if (tok[0] == "SUPPORT" && (tok.size() == 1 || (tok.size() == 2 && tok[1] == "HOSIERY")))
    return CompressionClass::support;
  std::size_t i = 0;
  bool uk = false;
  if (tok[0] == "RAL" || tok[0] == "CCL") {
    ++i;
  } else if (tok[0] == "UK") {
    uk = true, ++i;
  } else if (tok[0] != "CLASS") {
    bad_class(text, "unknown system '" + tok[0] + "'");
  }
  if (i < tok.size() && tok[i] == "CLASS") ++i;
  if (i + 1 != tok.size()) bad_class(text, i >= tok.size() ? "no class number" : "expected one class number");
  const int n = class_number(tok[i]);
  if (n == 0) bad_class(text, "'" + tok[i] + "' is not a class number (I-IV or 1-4)");
  if (uk) {
    if (n > 3) bad_class(text, "the UK Drug Tariff has classes 1-3");
    return n == 1 ? CompressionClass::uk_1 : n == 2 ? CompressionClass::uk_2 : CompressionClass::uk_3;
  }
  return n == 1   ? CompressionClass::ral_1
         : n == 2 ? CompressionClass::ral_2
         : n == 3 ? CompressionClass::ral_3
                  : CompressionClass::ral_4;
}

const char* compression_class_name(CompressionClass c) noexcept {
  switch (c) {
    case CompressionClass::none:
      return "none";
    case CompressionClass::support:
      return "support";
    case CompressionClass::ral_1:
      return "RAL I";
    case CompressionClass::ral_2:
      return "RAL II";
    case CompressionClass::ral_3:
      return "RAL III";
    case CompressionClass::ral_4:
      return "RAL IV";
    case CompressionClass::uk_1:
      return "UK 1";
    case CompressionClass::uk_2:
      return "UK 2";
    case CompressionClass::uk_3:
      return "UK 3";
  }
  return "none";
}

std::optional<PressureRangeMmhg> nominal_pressure_mmhg(CompressionClass c) noexcept {
  switch (c) {  // literature.md C1
    case CompressionClass::none:
      return std::nullopt;
    case CompressionClass::support:
      return PressureRangeMmhg{0, 14};
    case CompressionClass::ral_1:
      return PressureRangeMmhg{18, 21};
    case CompressionClass::ral_2:
      return PressureRangeMmhg{23, 32};
    case CompressionClass::ral_3:
      return PressureRangeMmhg{34, 46};
    case CompressionClass::ral_4:
      return PressureRangeMmhg{49, 60};  // ">= 49"; 60 is our cap
    case CompressionClass::uk_1:
      return PressureRangeMmhg{14, 17};
    case CompressionClass::uk_2:
      return PressureRangeMmhg{18, 24};
    case CompressionClass::uk_3:
      return PressureRangeMmhg{25, 35};
  }
  return std::nullopt;
}

// ---- validation and interpolation -------------------------------------------------------------------------------

void validate_spec(const SockSpec& s, const std::string& where) {
  auto fail = [&](const std::string& what) {
    throw Error(ErrorCode::invalid_input, "sock", "sock spec '" + where + "': " + what);
  };
  auto in = [&](double v, double lo, double hi, const std::string& field, const char* unit) {
    if (!std::isfinite(v)) fail(field + " is not a finite number");
    if (!(v >= lo && v <= hi)) fail(field + " = " + num(v) + " is outside [" + num(lo) + ", " + num(hi) + "] " + unit);
  };
  if (s.foot.size() < 2)
    fail("foot_profile has " + std::to_string(s.foot.size()) + " point(s); at least 2 are needed (heel to toe)");
  if (s.foot.size() > kMaxProfilePoints)
    fail("foot_profile has " + std::to_string(s.foot.size()) + " points; at most " + std::to_string(kMaxProfilePoints) +
         " are allowed");
  if (s.leg.size() > kMaxProfilePoints)
    fail("leg_profile has " + std::to_string(s.leg.size()) + " points; at most " + std::to_string(kMaxProfilePoints) +
         " are allowed");
  for (std::size_t i = 0; i < s.foot.size(); ++i) {
    const std::string at = "foot_profile[" + std::to_string(i) + "]";
    in(s.foot[i].station_pct, 0, 100, at + ".station_pct", "%");
    in(s.foot[i].circumference_mm, kMinCircumferenceMm, kMaxCircumferenceMm, at + ".circumference_mm", "mm");
    if (i > 0 && !(s.foot[i].station_pct > s.foot[i - 1].station_pct))
      fail(at + ".station_pct = " + num(s.foot[i].station_pct) + " is not greater than foot_profile[" +
           std::to_string(i - 1) + "].station_pct = " + num(s.foot[i - 1].station_pct) +
           " (stations must increase from heel to toe)");
  }
  for (std::size_t i = 0; i < s.leg.size(); ++i) {
    const std::string at = "leg_profile[" + std::to_string(i) + "]";
    in(s.leg[i].height_mm, 0, kMaxLegHeightMm, at + ".height_mm", "mm");
    in(s.leg[i].circumference_mm, kMinCircumferenceMm, kMaxCircumferenceMm, at + ".circumference_mm", "mm");
    if (i > 0 && !(s.leg[i].height_mm > s.leg[i - 1].height_mm))
      fail(at + ".height_mm = " + num(s.leg[i].height_mm) + " is not greater than leg_profile[" +
           std::to_string(i - 1) + "].height_mm = " + num(s.leg[i - 1].height_mm) + " (heights must increase)");
  }
  in(s.fabric_modulus_n_per_mm, kMinFabricModulusNPerMm, kMaxFabricModulusNPerMm, "fabric_modulus_n_per_mm", "N/mm");
  in(s.thickness_mm, kMinThicknessMm, kMaxThicknessMm, "thickness_mm", "mm");
}

namespace {

// Piecewise-linear lookup with clamped ends; `pts` sorted by strictly increasing `key`.
template <class P, class Key>
double interpolate(const std::vector<P>& pts, double at, Key key) {
  if (at <= key(pts.front())) return pts.front().circumference_mm;
  if (at >= key(pts.back())) return pts.back().circumference_mm;
  const auto hi = std::upper_bound(pts.begin(), pts.end(), at, [&](double v, const P& p) { return v < key(p); });
  const auto lo = hi - 1;
  const double t = (at - key(*lo)) / (key(*hi) - key(*lo));
  return lo->circumference_mm + t * (hi->circumference_mm - lo->circumference_mm);
}

}  // namespace

double relaxed_circumference_at(const SockSpec& s, double station_pct) {
  if (!std::isfinite(station_pct))
    throw Error(ErrorCode::usage, "sock", "relaxed_circumference_at: station_pct is not a finite number");
  if (s.foot.empty()) throw Error(ErrorCode::invalid_input, "sock", "sock '" + s.name + "' has no foot profile");
  return interpolate(s.foot, station_pct, [](const ProfilePoint& p) { return p.station_pct; });
}

std::optional<double> relaxed_leg_circumference_at(const SockSpec& s, double height_mm) {
  if (!std::isfinite(height_mm))
    throw Error(ErrorCode::usage, "sock", "relaxed_leg_circumference_at: height_mm is not a finite number");
  if (s.leg.empty() || height_mm > s.leg.back().height_mm) return std::nullopt;
  return interpolate(s.leg, height_mm, [](const LegPoint& p) { return p.height_mm; });
}

// ---- JSON -------------------------------------------------------------------------------------------------------

namespace {

class SpecReader {
 public:
  SpecReader(std::string where, std::vector<std::string>& warnings) : where_(std::move(where)), warnings_(warnings) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::invalid_input, "sock", "sock spec '" + where_ + "': " + what);
  }
  void warn(const std::string& what) const { warnings_.push_back("sock spec '" + where_ + "': " + what); }

  static const char* type_of(const json& v) { return v.type_name(); }

  double number(const json& obj, const char* key, const std::string& path, double lo, double hi,
                const char* unit) const {
    const json& v = obj.at(key);
    if (!v.is_number()) fail(path + " must be a number, got " + type_of(v));
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(path + " is not a finite number");
    if (!(d >= lo && d <= hi)) fail(path + " = " + num(d) + " is outside [" + num(lo) + ", " + num(hi) + "] " + unit);
    return d;
  }
  std::string string(const json& obj, const char* key) const {
    const json& v = obj.at(key);
    if (!v.is_string()) fail(std::string(key) + " must be a string, got " + type_of(v));
    return v.get<std::string>();
  }
  void unknown_keys(const json& obj, const std::vector<const char*>& known, const std::string& prefix) const {
    for (const auto& [k, v] : obj.items()) {
      (void)v;
      if (std::none_of(known.begin(), known.end(), [&](const char* n) { return k == n; }))
        warn("unknown key '" + prefix + k + "' ignored");
    }
  }
  // An array of 1..kMaxProfilePoints objects each with `key_a` and circumference_mm.
  const json& profile(const json& j, const char* name, std::size_t min_points) const {
    const json& a = j.at(name);
    if (!a.is_array()) fail(std::string(name) + " must be an array of points, got " + type_of(a));
    if (a.size() < min_points)
      fail(std::string(name) + " has " + std::to_string(a.size()) + " point(s); at least " +
           std::to_string(min_points) + (min_points == 1 ? " is" : " are") + " needed" +
           (min_points == 1 ? " (omit the key when the sock has no leg part)" : " (heel to toe)"));
    if (a.size() > kMaxProfilePoints)
      fail(std::string(name) + " has " + std::to_string(a.size()) + " points; at most " +
           std::to_string(kMaxProfilePoints) + " are allowed");
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!a[i].is_object())
        fail(std::string(name) + "[" + std::to_string(i) + "] must be an object, got " + type_of(a[i]));
    return a;
  }
  void require(const json& obj, const char* key, const std::string& path) const {
    if (!obj.contains(key)) fail("missing key '" + path + "'");
  }

 private:
  std::string where_;
  std::vector<std::string>& warnings_;
};

SockSpec parse_json_impl(const std::string& text, const std::string& where, const std::string& default_name) {
  SockSpec s;
  s.source = "json";
  s.name = default_name;
  JsonPath path;
  json j;
  // Library exceptions are caught here and rethrown with the file and the key (STYLE.md "Errors").
  try {
    j = json::parse(text, [&path](int, json::parse_event_t ev, json& parsed) { return path.on_event(ev, parsed); });
  } catch (const json::out_of_range& e) {
    // 406: a number such as 1e999 overflows a double. Valid JSON grammar, unusable value.
    const std::string at = path.str();
    throw Error(ErrorCode::invalid_input, "sock",
                "sock spec '" + where + "': " + (at.empty() ? std::string("a number") : at) +
                    " is too large for a double (" + e.what() + ")");
  } catch (const json::exception& e) {
    const std::string at = path.str();
    throw Error(
        ErrorCode::io, "sock",
        "sock spec '" + where + "' is not valid JSON" + (at.empty() ? "" : " (near " + at + ")") + ": " + e.what());
  }

  const SpecReader r(where, s.warnings);
  if (!path.duplicate().empty()) {
    std::string what = "key '";
    what += path.duplicate();
    what += "' is given twice; which value is meant is unclear";
    r.fail(what);
  }
  if (!j.is_object()) r.fail(std::string("the top level must be a JSON object, got ") + j.type_name());
  if (!j.contains("fitcheck_sock"))
    r.fail("missing key 'fitcheck_sock' (the format version, " + std::to_string(kSpecVersion) +
           "): is this a fitcheck sock spec?");
  {
    const json& v = j.at("fitcheck_sock");
    if (!v.is_number())
      r.fail(std::string("fitcheck_sock must be the number ") + std::to_string(kSpecVersion) + ", got " +
             v.type_name());
    if (v.get<double>() != kSpecVersion)
      r.fail("fitcheck_sock = " + num(v.get<double>()) + " is not a version this build reads (" +
             std::to_string(kSpecVersion) + ")");
  }
  r.unknown_keys(j,
                 {"fitcheck_sock", "name", "comment", "fabric_modulus_n_per_mm", "thickness_mm", "compression_class",
                  "foot_profile", "leg_profile"},
                 "");
  if (j.contains("name")) {
    const std::string given = r.string(j, "name");
    // A blank name (or one with control characters, which would reach the terminal raw) keeps the default.
    if (given.find_first_not_of(" \t") == std::string::npos ||
        std::any_of(given.begin(), given.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
      s.warnings.push_back("sock name ignored (blank or with control characters): using '" + default_name + "'");
    else
      s.name = given;
  }
  if (j.contains("comment")) (void)r.string(j, "comment");
  if (j.contains("fabric_modulus_n_per_mm")) {
    s.fabric_modulus_n_per_mm = r.number(j, "fabric_modulus_n_per_mm", "fabric_modulus_n_per_mm",
                                         kMinFabricModulusNPerMm, kMaxFabricModulusNPerMm, "N/mm");
  } else {
    r.warn("no fabric_modulus_n_per_mm: using " + num(kDefaultFabricModulusNPerMm) +
           " N/mm, a default estimate (literature.md M3 has no sourced value)");
  }
  if (j.contains("thickness_mm"))
    s.thickness_mm = r.number(j, "thickness_mm", "thickness_mm", kMinThicknessMm, kMaxThicknessMm, "mm");
  if (j.contains("compression_class")) {
    const std::string c = r.string(j, "compression_class");
    try {
      s.compression = parse_compression_class(c);
    } catch (const Error& e) {
      r.fail(std::string("compression_class: ") + e.what());
    }
  }

  r.require(j, "foot_profile", "foot_profile");
  const json& foot = r.profile(j, "foot_profile", 2);
  for (std::size_t i = 0; i < foot.size(); ++i) {
    const std::string at = "foot_profile[" + std::to_string(i) + "]";
    const json& p = foot[i];
    r.require(p, "station_pct", at + ".station_pct");
    r.require(p, "circumference_mm", at + ".circumference_mm");
    r.unknown_keys(p, {"station_pct", "circumference_mm"}, at + ".");
    ProfilePoint q;
    q.station_pct = r.number(p, "station_pct", at + ".station_pct", 0, 100, "%");
    q.circumference_mm =
        r.number(p, "circumference_mm", at + ".circumference_mm", kMinCircumferenceMm, kMaxCircumferenceMm, "mm");
    s.foot.push_back(q);
  }
  if (j.contains("leg_profile")) {
    const json& leg = r.profile(j, "leg_profile", 1);
    for (std::size_t i = 0; i < leg.size(); ++i) {
      const std::string at = "leg_profile[" + std::to_string(i) + "]";
      const json& p = leg[i];
      r.require(p, "height_mm", at + ".height_mm");
      r.require(p, "circumference_mm", at + ".circumference_mm");
      r.unknown_keys(p, {"height_mm", "circumference_mm"}, at + ".");
      LegPoint q;
      q.height_mm = r.number(p, "height_mm", at + ".height_mm", 0, kMaxLegHeightMm, "mm");
      q.circumference_mm =
          r.number(p, "circumference_mm", at + ".circumference_mm", kMinCircumferenceMm, kMaxCircumferenceMm, "mm");
      s.leg.push_back(q);
    }
  }
  validate_spec(s, where);  // order (strictly increasing) and anything added later
  return s;
}

}  // namespace

SockSpec parse_sock_json(const std::string& text, const std::string& where) {
  return parse_json_impl(text, where, where);
}

// ---- mesh -------------------------------------------------------------------------------------------------------

void MeshOptions::validate() const {
  auto in = [](double v, double lo, double hi, const char* name, const char* unit) {
    if (!(v >= lo && v <= hi))
      throw Error(ErrorCode::usage, "sock",
                  std::string("MeshOptions.") + name + " = " + num(v) + " is outside [" + num(lo) + ", " + num(hi) +
                      "] " + unit);
  };
  in(fabric_modulus_n_per_mm, kMinFabricModulusNPerMm, kMaxFabricModulusNPerMm, "fabric_modulus_n_per_mm", "N/mm");
  in(thickness_mm, kMinThicknessMm, kMaxThicknessMm, "thickness_mm", "mm");
  in(station_step_pct, 1, 25, "station_step_pct", "%");
  in(leg_step_mm, 2, 100, "leg_step_mm", "mm");
  in(section_slab_mm, 0.2, 10, "section_slab_mm", "mm");
  load.validate();
}

namespace {

// Where the mesh's section by the plane x = x0 crosses the height z = zc: the two ends of that section clipped at zc
// (one per side wall for a sock). Same crossing rule as measure::section, so the segments are the same ones.
std::vector<Eigen::Vector3d> section_ends_at_height(const Geometry& g, double x0, double zc) {
  std::vector<Eigen::Vector3d> out;
  for (const auto& f : g.faces) {
    Eigen::Vector3d seg[2];
    int n = 0;
    double d[3];
    for (int k = 0; k < 3; ++k) d[k] = g.vertices[f[k]].x() - x0;
    for (int k = 0; k < 3 && n < 2; ++k) {
      const int j = (k + 1) % 3;
      if ((d[k] < 0) != (d[j] < 0)) {
        const double t = d[k] / (d[k] - d[j]);
        seg[n++] = g.vertices[f[k]] + t * (g.vertices[f[j]] - g.vertices[f[k]]);
      }
    }
    if (n != 2 || (seg[0].z() <= zc) == (seg[1].z() <= zc)) continue;
    const double t = (zc - seg[0].z()) / (seg[1].z() - seg[0].z());
    out.push_back(seg[0] + t * (seg[1] - seg[0]));
  }
  return out;
}

}  // namespace

SockSpec sock_from_mesh(const Geometry& g, const MeshOptions& opt) {
  opt.validate();
  const std::string where = "relaxed sock mesh";
  if (g.vertices.empty()) throw Error(ErrorCode::invalid_input, "sock", "the relaxed sock mesh is empty");
  std::size_t bad = 0;
  if (!all_finite(g.vertices, &bad))
    throw Error(ErrorCode::invalid_input, "sock",
                "the relaxed sock mesh has a non-finite coordinate at vertex " + std::to_string(bad));
  foot::FootFrame frame;
  try {
    frame = foot::align_foot(g);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid_input) throw;
    throw Error(ErrorCode::invalid_input, "sock",
                "the mesh does not look like a sock (a foot-shaped knit, heel at the back, cuff over the heel): " +
                    std::string(e.what()));
  }
  const Geometry& a = frame.aligned;
  const double L = frame.length_mm;

  SockSpec s;
  s.name = where;
  s.source = "mesh";
  s.fabric_modulus_n_per_mm = opt.fabric_modulus_n_per_mm;
  s.thickness_mm = opt.thickness_mm;
  s.compression = opt.compression;
  s.warnings.push_back("fabric modulus " + num(opt.fabric_modulus_n_per_mm) +
                       " N/mm comes from the options, not the mesh (default " + num(kDefaultFabricModulusNPerMm) +
                       " N/mm is an estimate, literature.md M3)");
  // align_foot's side warning does not matter here: a circumference does not change under mirroring.
  for (const auto& w : frame.warnings)
    if (w.rfind("side is uncertain", 0) != 0) s.warnings.push_back(w);

  // Foot profile: sections perpendicular to the axis; behind kRearStationsPct the cuff rises over the heel, so those
  // sections are clipped at kFootCutHeightFraction x L (the exact ends of the clipped curve added for meshes).
  const Eigen::Vector3d ex = Eigen::Vector3d::UnitX(), ez = Eigen::Vector3d::UnitZ();
  const double zc = kFootCutHeightFraction * L;
  for (int i = 1;; ++i) {
    const double pct = i * opt.station_step_pct;
    if (pct > 100 - 1e-9) break;
    const double x = pct / 100 * L;
    std::vector<Eigen::Vector3d> sec = measure::section(a, Eigen::Vector3d(x, 0, 0), ex, opt.section_slab_mm);
    if (pct <= kRearStationsPct) {
      std::erase_if(sec, [&](const Eigen::Vector3d& p) { return p.z() > zc; });
      if (a.is_mesh()) {
        const auto ends = section_ends_at_height(a, x, zc);
        sec.insert(sec.end(), ends.begin(), ends.end());
      }
    }
    if (sec.size() < 3) {
      s.warnings.push_back("foot station " + num(pct) + " %: empty section, skipped");
      continue;
    }
    const double c = measure::convex_perimeter(sec, ex);
    if (!(c >= kMinCircumferenceMm && c <= kMaxCircumferenceMm)) {
      s.warnings.push_back("foot station " + num(pct) + " %: circumference " + num(c) + " mm outside [" +
                           num(kMinCircumferenceMm) + ", " + num(kMaxCircumferenceMm) + "] mm, skipped");
      continue;
    }
    s.foot.push_back({pct, c});
  }
  if (s.foot.size() < 2)
    throw Error(ErrorCode::invalid_input, "sock",
                "the relaxed sock mesh gives " + std::to_string(s.foot.size()) +
                    " usable foot station(s); at least 2 are needed");

  // Leg profile: horizontal sections from kLegStartFraction x L to 1 mm below the top, behind kLegMaxXFraction x L.
  const double top = bounding_box(a.vertices).max.z();
  std::vector<double> heights;
  for (double h = kLegStartFraction * L; h < top - 1.0; h += opt.leg_step_mm) heights.push_back(h);
  if (top - 1.0 > kLegStartFraction * L) heights.push_back(top - 1.0);
  for (const double h : heights) {
    if (h > kMaxLegHeightMm) {
      s.warnings.push_back("the mesh reaches " + num(top) + " mm high; the leg profile stops at " +
                           num(kMaxLegHeightMm) + " mm");
      break;
    }
    std::vector<Eigen::Vector3d> sec = measure::section(a, Eigen::Vector3d(0, 0, h), ez, opt.section_slab_mm);
    const std::size_t before = sec.size();
    std::erase_if(sec, [&](const Eigen::Vector3d& p) { return p.x() >= kLegMaxXFraction * L; });
    if (sec.size() != before)
      s.warnings.push_back("leg section at " + num(h) + " mm reaches past " + num(100 * kLegMaxXFraction) +
                           " % of the length; only the part behind it was measured");
    if (sec.size() < 3) {
      s.warnings.push_back("leg section at " + num(h) + " mm: empty, skipped");
      continue;
    }
    const double c = measure::convex_perimeter(sec, ez);
    if (!(c >= kMinCircumferenceMm && c <= kMaxCircumferenceMm)) {
      s.warnings.push_back("leg section at " + num(h) + " mm: circumference " + num(c) + " mm outside [" +
                           num(kMinCircumferenceMm) + ", " + num(kMaxCircumferenceMm) + "] mm, skipped");
      continue;
    }
    s.leg.push_back({h, c});
  }
  validate_spec(s, where);
  return s;
}

SockSpec load_sock(const std::filesystem::path& path, const MeshOptions& opt) {
  opt.validate();
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".json") {
    const std::string where = path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
      throw Error(ErrorCode::io, "sock", "sock spec '" + where + "': no such file");
    if (std::filesystem::is_directory(status))
      throw Error(ErrorCode::io, "sock", "sock spec '" + where + "' is a directory, not a file");
    // A device or a pipe (/dev/zero, a FIFO) has no size to check: reading it ran out of memory or never ended.
    if (!std::filesystem::is_regular_file(status))
      throw Error(ErrorCode::io, "sock", "sock spec '" + where + "' is not a regular file");
    const auto bytes = std::filesystem::file_size(path, ec);
    if (ec) throw Error(ErrorCode::io, "sock", "sock spec '" + where + "': " + ec.message());
    if (bytes > kMaxSpecBytes)
      throw Error(ErrorCode::invalid_input, "sock",
                  "sock spec '" + where + "' is " + std::to_string(bytes) + " bytes; a spec above " +
                      std::to_string(kMaxSpecBytes) + " bytes is refused");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, "sock", "sock spec '" + where + "' cannot be opened");
    // At most one byte past the limit is read, in case the file grew after its size was taken.
    std::string text(kMaxSpecBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw Error(ErrorCode::io, "sock", "sock spec '" + where + "': read error");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSpecBytes)
      throw Error(ErrorCode::invalid_input, "sock", "sock spec '" + where + "' grew above " + std::to_string(kMaxSpecBytes) + " bytes while read");
    return parse_json_impl(text, where, path.stem().string());
  }
  load::Result r = load::load_geometry(path, opt.load);
  SockSpec s = sock_from_mesh(r.geometry, opt);
  s.name = path.stem().string();
  s.warnings.insert(s.warnings.begin(), r.warnings.begin(), r.warnings.end());
  return s;
}

}  // namespace fitcheck::sock
