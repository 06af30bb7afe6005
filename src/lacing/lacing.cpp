#include "lacing/lacing.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include "contact/contact.hpp"
#include "core/error.hpp"
#include "foot/foot.hpp"
#include "save/save.hpp"

namespace fitcheck::lacing {

namespace {

[[noreturn]] void bad_option(const std::string& what) { throw Error(ErrorCode::usage, "lacing", what); }
[[noreturn]] void bad_input(const std::string& what) { throw Error(ErrorCode::invalid_input, "lacing", what); }

std::string fmt(double v, int precision = 4) {
  std::ostringstream s;
  s.precision(precision);
  s << v;
  return s.str();
}

void in_range(double v, double lo, double hi, const char* field) {
  if (!(std::isfinite(v) && v >= lo && v <= hi))
    bad_option(std::string("Options.") + field + " = " + fmt(v) + " outside [" + fmt(lo) + ", " + fmt(hi) + "]");
}

const char* pattern_name(Pattern p) {
  switch (p) {
    case Pattern::criss_cross:
      return "criss-cross";
    case Pattern::window:
      return "window";
    case Pattern::parallel_bar:
      return "parallel";
    case Pattern::skip_lowest:
      return "skip-lowest";
    case Pattern::heel_lock:
      return "heel-lock";
  }
  return "?";
}

std::string rows_text(const std::vector<int>& rows) {
  std::ostringstream s;
  for (std::size_t i = 0; i < rows.size(); ++i) s << (i ? ", " : "") << rows[i];
  return s.str();
}

using Seg2 = std::pair<Eigen::Vector2d, Eigen::Vector2d>;  // (y, z) end points of a section segment

/// Sections x = const of a triangle mesh. Faces are bucketed by their x range so a section visits only the faces
/// that can cross its plane.
class Slicer {
 public:
  explicit Slicer(const Geometry& g, double bin_mm = 2.0) : g_(g), bin_mm_(bin_mm) {
    const BoundingBox bb = bounding_box(g.vertices);
    x0_ = bb.min.x();
    const std::size_t nb = static_cast<std::size_t>(std::floor((bb.max.x() - x0_) / bin_mm_)) + 1;
    // The faces of each bin in face order, as compressed rows (one pass to count, one to fill), with each face's
    // y range for point queries.
    const std::size_t nf = g.faces.size();
    std::vector<std::pair<std::size_t, std::size_t>> span(nf);
    y_range_.resize(nf);
    first_.assign(nb + 1, 0);
    for (std::size_t f = 0; f < nf; ++f) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo, ylo = lo, yhi = -lo;
      for (int k = 0; k < 3; ++k) {
        const Eigen::Vector3d& v = g.vertices[g.faces[f][k]];
        lo = std::min(lo, v.x()), hi = std::max(hi, v.x());
        ylo = std::min(ylo, v.y()), yhi = std::max(yhi, v.y());
      }
      span[f] = {bin(lo, nb), bin(hi, nb)};
      y_range_[f] = {ylo, yhi};
      for (std::size_t b = span[f].first; b <= span[f].second; ++b) ++first_[b + 1];
    }
    for (std::size_t b = 0; b < nb; ++b) first_[b + 1] += first_[b];
    faces_.resize(first_[nb]);
    std::vector<std::size_t> fill(first_.begin(), first_.end() - 1);
    for (std::size_t f = 0; f < nf; ++f)
      for (std::size_t b = span[f].first; b <= span[f].second; ++b) faces_[fill[b]++] = f;
  }

  /// Segments (y, z) where the plane x = `x` cuts the surface; empty outside the mesh.
  std::vector<Seg2> section(double x) const {
    std::vector<Seg2> out;
    if (!in_range(x)) return out;
    const std::size_t b = bin(x, first_.size() - 1);
    for (std::size_t j = first_[b]; j < first_[b + 1]; ++j)
      if (const auto seg = cut(faces_[j], x)) out.push_back(*seg);
    return out;
  }

  /// top_z(section(x), y), computed from the faces whose y range reaches y only (the same segments, the same
  /// arithmetic: the same value).
  std::optional<double> top_z_at(double x, double y) const {
    std::optional<double> best;
    if (!in_range(x)) return best;
    const std::size_t b = bin(x, first_.size() - 1);
    for (std::size_t j = first_[b]; j < first_[b + 1]; ++j) {
      const std::size_t f = faces_[j];
      // A cut point lies on an edge, between its ends' y up to rounding: the margin keeps every segment that spans y.
      if (y < y_range_[f].first - 1e-9 || y > y_range_[f].second + 1e-9) continue;
      if (const auto seg = cut(f, x))
        if (const auto z = top_z_of(*seg, y); z && (!best || *z > *best)) best = z;
    }
    return best;
  }

  /// The highest point of one segment on the vertical line at `y`, if it spans y.
  static std::optional<double> top_z_of(const Seg2& seg, double y) {
    const auto& [p, q] = seg;
    const double lo = std::min(p.x(), q.x()), hi = std::max(p.x(), q.x());
    if (y < lo || y > hi) return std::nullopt;
    const double dy = q.x() - p.x();
    return std::abs(dy) < 1e-12 ? std::max(p.y(), q.y()) : p.y() + (y - p.x()) / dy * (q.y() - p.y());
  }

 private:
  bool in_range(double x) const { return x >= x0_ && x <= x0_ + bin_mm_ * static_cast<double>(first_.size() - 1); }
  std::size_t bin(double x, std::size_t nb) const {
    const double b = std::floor((x - x0_) / bin_mm_);
    return static_cast<std::size_t>(std::clamp(b, 0.0, static_cast<double>(nb - 1)));
  }
  /// Where the plane x = `x` cuts face f: a segment (y, z), if it crosses the face.
  std::optional<Seg2> cut(std::size_t f, double x) const {
    const auto& t = g_.faces[f];
    Eigen::Vector2d p[2];
    int n = 0;
    for (int k = 0; k < 3 && n < 2; ++k) {
      const Eigen::Vector3d& a = g_.vertices[t[k]];
      const Eigen::Vector3d& b = g_.vertices[t[(k + 1) % 3]];
      const double da = a.x() - x, db = b.x() - x;
      if ((da < 0) != (db < 0)) {  // a vertex on the plane counts as in front: each crossing face gives 2 points
        const double s = da / (da - db);
        const Eigen::Vector3d q = a + s * (b - a);
        p[n++] = Eigen::Vector2d(q.y(), q.z());
      }
    }
    if (n < 2) return std::nullopt;
    return Seg2(p[0], p[1]);
  }
  const Geometry& g_;
  double bin_mm_, x0_ = 0;
  std::vector<std::size_t> first_, faces_;                 // bin b's faces: faces_[first_[b] .. first_[b + 1])
  std::vector<std::pair<double, double>> y_range_;         // per face
};

/// Highest point of a section on the vertical line at `y` (the top surface), if the section reaches that y.
std::optional<double> top_z(const std::vector<Seg2>& sec, double y) {
  std::optional<double> best;
  for (const Seg2& seg : sec)
    if (const auto z = Slicer::top_z_of(seg, y); z && (!best || *z > *best)) best = z;
  return best;
}

/// Breadth (y range) of a section's part above its mid height, and the full y range.
struct Breadth {
  double upper_lo = 0, upper_hi = 0, lo = 0, hi = 0;
};
std::optional<Breadth> breadth(const std::vector<Seg2>& sec) {
  if (sec.empty()) return std::nullopt;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double zlo = kInf, zhi = -kInf;
  Breadth b{kInf, -kInf, kInf, -kInf};
  for (const auto& s : sec)
    for (const auto* p : {&s.first, &s.second}) {
      zlo = std::min(zlo, p->y());
      zhi = std::max(zhi, p->y());
      b.lo = std::min(b.lo, p->x());
      b.hi = std::max(b.hi, p->x());
    }
  const double zmid = 0.5 * (zlo + zhi);
  for (const auto& s : sec)
    for (const auto* p : {&s.first, &s.second})
      if (p->y() >= zmid) {
        b.upper_lo = std::min(b.upper_lo, p->x());
        b.upper_hi = std::max(b.upper_hi, p->x());
      }
  return b;
}

/// Tension after passing `eyelets` eyelets from the top, each by the capstan law (literature.md P7).
double tension_after(double t0, double mu, int eyelets) {
  double t = t0;
  for (int k = 0; k < eyelets; ++k) t = contact::capstan(t, mu, kEyeletWrapRad);
  return t;
}

/// Radius of the circle through three points of a section (y, z), ordered across; infinity unless the middle point
/// lies above the chord (a convex arc).
double arc_radius(const Eigen::Vector2d& a, const Eigen::Vector2d& m, const Eigen::Vector2d& b) {
  const Eigen::Vector2d u = m - a, v = b - a;
  const double cross = u.x() * v.y() - u.y() * v.x();  // < 0 when m is above the chord a-b (a left of b)
  const double chord = v.norm();
  if (!(cross < -1e-9 * chord * chord)) return std::numeric_limits<double>::infinity();
  return (m - a).norm() * (b - m).norm() * chord / (2.0 * std::abs(cross));
}

}  // namespace

void Options::validate() const {
  if (eyelet_pairs < 3 || eyelet_pairs > 12)
    bad_option("Options.eyelet_pairs = " + std::to_string(eyelet_pairs) + " outside [3, 12]");
  in_range(lace_tension_n, 0, 200, "lace_tension_n");
  in_range(friction_mu, 0, 1, "friction_mu");
  in_range(tongue_spread_mm, 1, 40, "tongue_spread_mm");
  in_range(heel_lock_relief, 0, 1, "heel_lock_relief");
  const int n = eyelet_pairs;
  switch (pattern) {
    case Pattern::criss_cross:
    case Pattern::parallel_bar:
    case Pattern::heel_lock:
      if (!skipped_rows.empty())
        bad_option(std::string("Options.skipped_rows must be empty for ") + pattern_name(pattern) + " lacing (got " +
                   rows_text(skipped_rows) + ")");
      break;
    case Pattern::window: {
      if (skipped_rows.empty()) bad_option("Options.skipped_rows: window lacing needs at least one row to skip");
      std::set<int> seen;
      for (std::size_t i = 0; i < skipped_rows.size(); ++i) {
        const int r = skipped_rows[i];
        if (r < 2 || r > n - 1)
          bad_option("Options.skipped_rows[" + std::to_string(i) + "] = " + std::to_string(r) + " outside [2, " +
                     std::to_string(n - 1) + "] for window lacing with " + std::to_string(n) +
                     " eyelet pairs (skip row 1 with skip-lowest)");
        if (!seen.insert(r).second)
          bad_option("Options.skipped_rows[" + std::to_string(i) + "] = " + std::to_string(r) + " repeats a row");
      }
      break;
    }
    case Pattern::skip_lowest: {
      const int k = static_cast<int>(skipped_rows.size());
      if (k < 1 || k > n - 2)
        bad_option("Options.skipped_rows: skip-lowest needs 1 to " + std::to_string(n - 2) + " rows with " +
                   std::to_string(n) + " eyelet pairs (got " + std::to_string(k) + ")");
      for (int i = 0; i < k; ++i)
        if (skipped_rows[i] != i + 1)
          bad_option("Options.skipped_rows for skip-lowest must be 1.." + std::to_string(k) + " (got " +
                     rows_text(skipped_rows) + ")");
      break;
    }
    default:
      bad_option("Options.pattern has an unknown value " + std::to_string(static_cast<int>(pattern)));
  }
}

Options parse_pattern(const std::string& text, Options base) {
  auto fail = [&](const std::string& why) -> void {
    bad_option("lacing pattern '" + text + "': " + why +
               " (expected criss-cross, window:ROWS e.g. window:3-4, parallel, skip-lowest:K, heel-lock)");
  };
  // A well-formed pattern whose rows the shoe does not have: no list of pattern names.
  auto out_of_range = [&](const std::string& why) -> void { bad_option("lacing pattern '" + text + "': " + why); };
  auto number = [&](std::string_view s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || s.front() == '-' || s.front() == '+')
      fail("'" + std::string(s) + "' is not a row number");
    return v;
  };
  const std::string_view t(text);
  const std::size_t colon = t.find(':');
  const std::string_view name = t.substr(0, colon);
  const bool has_arg = colon != std::string_view::npos;
  const std::string_view arg = has_arg ? t.substr(colon + 1) : std::string_view{};
  base.skipped_rows.clear();
  if (name == "criss-cross" || name == "parallel" || name == "heel-lock") {
    if (has_arg) fail("'" + std::string(name) + "' takes no ':' argument");
    base.pattern = name == "criss-cross" ? Pattern::criss_cross
                   : name == "parallel"  ? Pattern::parallel_bar
                                         : Pattern::heel_lock;
  } else if (name == "window") {
    if (!has_arg || arg.empty()) fail("window needs the rows to skip, e.g. window:3-4");
    base.pattern = Pattern::window;
    std::size_t start = 0;
    while (start <= arg.size()) {
      const std::size_t comma = std::min(arg.find(',', start), arg.size());
      const std::string_view item = arg.substr(start, comma - start);
      const std::size_t dash = item.find('-');
      const int a = number(item.substr(0, dash));
      const int b = dash == std::string_view::npos ? a : number(item.substr(dash + 1));
      if (b < a) fail("row range '" + std::string(item) + "' runs backwards");
      if (b - a > 100) fail("row range '" + std::string(item) + "' is too long");
      for (int r = a; r <= b; ++r) base.skipped_rows.push_back(r);
      start = comma + 1;
    }
    std::sort(base.skipped_rows.begin(), base.skipped_rows.end());
    // In the user's terms (validate() names the Options fields, for the library's callers).
    const int n = base.eyelet_pairs;
    for (std::size_t i = 0; i < base.skipped_rows.size(); ++i) {
      const int r = base.skipped_rows[i];
      if (r < 2 || r > n - 1)
        out_of_range("window lacing skips rows 2 to " + std::to_string(n - 1) + " of the " + std::to_string(n) +
                     " eyelet pairs, counted from the toe (got row " + std::to_string(r) +
                     (r == 1 ? "; to leave row 1 empty use skip-lowest:1)" : ")"));
      if (i > 0 && base.skipped_rows[i - 1] == r) out_of_range("row " + std::to_string(r) + " is given twice");
    }
  } else if (name == "skip-lowest") {
    if (!has_arg) fail("skip-lowest needs the number of rows, e.g. skip-lowest:2");
    base.pattern = Pattern::skip_lowest;
    const int k = number(arg);
    if (k < 1 || k > base.eyelet_pairs - 2)
      out_of_range("skip-lowest leaves 1 to " + std::to_string(base.eyelet_pairs - 2) + " of the " +
                   std::to_string(base.eyelet_pairs) + " eyelet pairs empty, counted from the toe (got " +
                   std::to_string(k) + ")");
    for (int r = 1; r <= k; ++r) base.skipped_rows.push_back(r);
  } else {
    fail("unknown pattern name '" + std::string(name) + "'");
  }
  try {
    base.validate();
  } catch (const Error& e) {
    fail(e.what());
  }
  return base;
}

std::string pattern_text(const Options& o) {
  o.validate();
  std::string s = pattern_name(o.pattern);
  if (o.pattern == Pattern::skip_lowest) s += ":" + std::to_string(o.skipped_rows.size());
  if (o.pattern == Pattern::window) {
    std::vector<int> r = o.skipped_rows;
    std::sort(r.begin(), r.end());
    s += ":";
    for (std::size_t i = 0; i < r.size();) {
      std::size_t j = i;
      while (j + 1 < r.size() && r[j + 1] == r[j] + 1) ++j;
      if (i) s += ",";
      s += std::to_string(r[i]);
      if (j > i) s += "-" + std::to_string(r[j]);
      i = j + 1;
    }
  }
  return s;
}

Layout lay_out(const last::Last& last, const Options& options) {
  options.validate();
  if (!last.mesh.is_mesh() || !all_finite(last.mesh.vertices))
    bad_input("the last must be a finite triangle mesh in the last frame (last::prepare_last)");
  const double length = last.measurements.stick_length_mm;
  const double ball_width = last.measurements.ball_width_mm;
  if (!(std::isfinite(length) && length > 0 && std::isfinite(ball_width) && ball_width > 0))
    bad_input("the last has no stick length or ball width (" + fmt(length) + ", " + fmt(ball_width) +
              " mm): prepare it with last::prepare_last");
  const last::Landmark* heel = last.find("heel_back");
  const double x_heel = heel ? heel->position_mm.x() : 0.0;
  const int n = options.eyelet_pairs;
  const double h_nominal = kThroatHalfWidthFraction * ball_width;

  Layout out;
  const Slicer slicer(last.mesh);
  std::vector<double> row_x(n + 1);
  for (int r = 1; r <= n; ++r) {
    const double pct = kFirstRowPct + (kTopRowPct - kFirstRowPct) * (r - 1) / static_cast<double>(n - 1);
    const double x = x_heel + length * pct / 100.0;
    row_x[r] = x;
    const std::vector<Seg2> sec = slicer.section(x);
    const std::optional<Breadth> b = breadth(sec);
    if (!b)
      bad_input("eyelet row " + std::to_string(r) + ": the last has no section at x = " + fmt(x) + " mm (" +
                fmt(pct, 3) + " % of its stick length)");
    double mid = 0.5 * (b->upper_lo + b->upper_hi);
    double h = h_nominal;
    const double half_breadth = 0.5 * (b->upper_hi - b->upper_lo);
    if (h > 0.8 * half_breadth) {
      h = 0.8 * half_breadth;
      out.notes.push_back("row " + std::to_string(r) + ": the last's upper half is only " + fmt(2 * half_breadth, 3) +
                          " mm wide; throat half-width reduced to " + fmt(h, 3) + " mm");
    }
    // Centre the throat where its two eyelets are level (bisection on z(m + h) - z(m - h), within h of the breadth
    // midpoint): a symmetric section gives its symmetry plane, an oblique one (the last is pitched and turned in its
    // frame) the middle of its dorsal arc rather than of its widest part.
    {
      auto tilt = [&](double m) -> std::optional<double> {
        const auto zp = top_z(sec, m + h), zn = top_z(sec, m - h);
        if (!zp || !zn) return std::nullopt;
        return *zp - *zn;
      };
      double lo = std::max(mid - h, b->lo + h), hi = std::min(mid + h, b->hi - h);
      const auto f_lo = tilt(lo), f_hi = tilt(hi);
      if (lo < hi && f_lo && f_hi && *f_lo >= 0 && *f_hi <= 0) {
        for (int it = 0; it < 60 && hi - lo > 1e-6; ++it) {
          const double m = 0.5 * (lo + hi);
          const auto f = tilt(m);
          if (!f) break;
          (*f >= 0 ? lo : hi) = m;
        }
        mid = 0.5 * (lo + hi);
      } else {
        out.notes.push_back("row " + std::to_string(r) + ": no level throat within " + fmt(h, 3) +
                            " mm of the breadth midline; eyelets centred on the breadth midline");
      }
    }
    for (const bool medial : {true, false}) {
      const double y = mid + (medial ? h : -h);  // medial side is +y (last frame, right-foot convention)
      const std::optional<double> z = top_z(sec, y);
      if (!z)
        bad_input("eyelet row " + std::to_string(r) + (medial ? " medial" : " lateral") +
                  ": no last surface above y = " + fmt(y) + " mm at x = " + fmt(x) + " mm");
      out.eyelets.push_back({r, medial, Eigen::Vector3d(x, y, *z)});
    }
  }
  auto eye = [&](int r, bool medial) -> const Eigen::Vector3d& {
    return out.eyelets[static_cast<std::size_t>(2 * (r - 1) + (medial ? 0 : 1))].position_mm;
  };

  const double t0 = options.lace_tension_n, mu = options.friction_mu;
  auto add = [&](int r, double t, const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
    out.crossings.push_back({r, t, a, b});
  };
  const auto skipped = [&](int r) {
    return std::find(options.skipped_rows.begin(), options.skipped_rows.end(), r) != options.skipped_rows.end();
  };
  if (options.pattern == Pattern::parallel_bar) {
    // A bar across each row; going down, each row's lace passes two eyelets (P7).
    for (int r = 1; r <= n; ++r) add(r, tension_after(t0, mu, 2 * (n - r) + 1), eye(r, true), eye(r, false));
  } else {
    const int first = options.pattern == Pattern::skip_lowest ? static_cast<int>(options.skipped_rows.size()) + 1 : 1;
    const int top = options.pattern == Pattern::heel_lock ? n - 1 : n;
    const double factor = options.pattern == Pattern::heel_lock ? options.heel_lock_relief : 1.0;
    // Both halves of the lace pass eyelets n, n-1, ..., r on the way down from the top: n - r + 1 of them (P7).
    add(first, factor * tension_after(t0, mu, n - first + 1), eye(first, true), eye(first, false));
    for (int r = first + 1; r <= top; ++r) {
      if (options.pattern == Pattern::window && skipped(r)) continue;  // straight up the sides: no crossing
      const double t = factor * tension_after(t0, mu, n - r + 1);
      add(r, t, eye(r - 1, true), eye(r, false));
      add(r, t, eye(r - 1, false), eye(r, true));
    }
    if (options.pattern == Pattern::heel_lock) {
      // Lock: both ends cross straight at the top row through the opposite loops, pulled directly by the runner.
      add(n, t0, eye(n, true), eye(n, false));
      add(n, t0, eye(n, false), eye(n, true));
    }
  }

  out.notes.push_back("eyelet rows 1-" + std::to_string(n) + " at x = " + fmt(row_x[1]) + " to " + fmt(row_x[n]) +
                      " mm (" + fmt(kFirstRowPct, 3) + " % to " + fmt(kTopRowPct, 3) + " % of the stick length " +
                      fmt(length) + " mm; spacing " + fmt(std::abs(row_x[1] - row_x[2]), 3) + " mm; estimates)");
  out.notes.push_back("throat half-width " + fmt(h_nominal, 3) + " mm (" + fmt(100 * kThroatHalfWidthFraction, 3) +
                      " % of the ball width " + fmt(ball_width) + " mm; estimate)");
  out.notes.push_back("capstan (literature.md P7): mu = " + fmt(mu, 3) + ", wrap " + fmt(kEyeletWrapRad, 3) +
                      " rad per eyelet (model estimate): each eyelet passes " +
                      fmt(100 * tension_after(1.0, mu, 1), 3) + " % of the tension");
  std::string pat = std::string("pattern ") + pattern_text(options);
  if (options.pattern == Pattern::window)
    pat += ": no crossing at rows " + rows_text(options.skipped_rows) + " (the lace runs straight up the sides)";
  if (options.pattern == Pattern::skip_lowest)
    pat += ": the lace starts at row " + std::to_string(options.skipped_rows.size() + 1);
  if (options.pattern == Pattern::heel_lock)
    pat += ": lock loop at row " + std::to_string(n) + ", rows below at " + fmt(options.heel_lock_relief, 3) +
           " x their criss-cross tension";
  out.notes.push_back(pat);
  out.notes.push_back("lace tension " + fmt(t0) +
                      " N at the top: a MODEL ESTIMATE (dorsal kPa under laces not sourced, literature.md P1, P5b)");
  return out;
}

std::vector<double> pressure_kpa(const Layout& layout, const Geometry& foot, const Options& options) {
  options.validate();
  if (!foot.is_mesh()) bad_input("the foot must be a triangle mesh (pressure needs vertex areas)");
  std::size_t bad_vertex = 0;
  if (!all_finite(foot.vertices, &bad_vertex))
    bad_input("foot vertex " + std::to_string(bad_vertex) + " is not finite");
  for (std::size_t f = 0; f < foot.faces.size(); ++f)
    for (int k = 0; k < 3; ++k)
      if (foot.faces[f][k] < 0 || static_cast<std::size_t>(foot.faces[f][k]) >= foot.vertices.size())
        bad_input("foot face " + std::to_string(f) + " has a vertex index out of range");
  for (std::size_t i = 0; i < layout.crossings.size(); ++i) {
    const Segment& s = layout.crossings[i];
    if (!(s.from_mm.allFinite() && s.to_mm.allFinite() && std::isfinite(s.tension_n) && s.tension_n >= 0))
      bad_input("crossing " + std::to_string(i) + " (row " + std::to_string(s.row) +
                ") is not finite or has a negative tension");
  }

  const std::size_t nv = foot.vertices.size();
  std::vector<double> p(nv, 0.0);
  const std::vector<Eigen::Vector3d> normal = save::vertex_normals(foot);
  const std::vector<double> area = foot::vertex_weights(foot);
  const Slicer slicer(foot);
  const double sigma = options.tongue_spread_mm, cut = 4.0 * sigma;
  bool any_tension = false, any_over_foot = false;

  for (const Segment& s : layout.crossings) {
    if (!(s.tension_n > 0)) continue;
    any_tension = true;
    const Eigen::Vector3d d = s.to_mm - s.from_mm;
    const double plan = std::hypot(d.x(), d.y());
    if (!(plan > 1e-6)) continue;
    // Local radius of the dorsum: circle through the foot's top at the two eyelets' y and midway, at mid x.
    const double y_lo = std::min(s.from_mm.y(), s.to_mm.y()), y_hi = std::max(s.from_mm.y(), s.to_mm.y());
    const double x_mid = 0.5 * (s.from_mm.x() + s.to_mm.x());
    const std::vector<Seg2> mid_sec = slicer.section(x_mid);
    const auto za = top_z(mid_sec, y_lo), zm = top_z(mid_sec, 0.5 * (y_lo + y_hi)), zb = top_z(mid_sec, y_hi);
    double radius = std::numeric_limits<double>::infinity();
    if (za && zm && zb) radius = arc_radius({y_lo, *za}, {0.5 * (y_lo + y_hi), *zm}, {y_hi, *zb});
    if (zm) any_over_foot = true;
    if (!std::isfinite(radius)) continue;  // flat or concave under the lace, or the foot is narrower: no Laplace load

    // Dorsal vertices the tongue can load from this crossing.
    std::vector<std::size_t> cand;
    const double x_lo = std::min(s.from_mm.x(), s.to_mm.x()) - cut, x_hi = std::max(s.from_mm.x(), s.to_mm.x()) + cut;
    for (std::size_t i = 0; i < nv; ++i) {
      const Eigen::Vector3d& v = foot.vertices[i];
      if (normal[i].z() > 0 && v.y() >= y_lo && v.y() <= y_hi && v.x() >= x_lo && v.x() <= x_hi && area[i] > 0)
        cand.push_back(i);
    }
    if (cand.empty()) continue;

    // The lace path over the foot's top surface, about 1 mm per piece.
    const int pieces = std::max(16, static_cast<int>(std::ceil(plan)));
    std::vector<std::optional<Eigen::Vector3d>> path(static_cast<std::size_t>(pieces) + 1);
    for (int k = 0; k <= pieces; ++k) {
      const double u = k / static_cast<double>(pieces);
      const double x = s.from_mm.x() + u * d.x(), y = s.from_mm.y() + u * d.y();
      if (const auto z = slicer.top_z_at(x, y)) path[k] = Eigen::Vector3d(x, y, *z);
    }
    std::vector<double> w(cand.size());
    for (int k = 0; k < pieces; ++k) {
      if (!path[k] || !path[k + 1]) continue;
      any_over_foot = true;
      const Eigen::Vector3d c = 0.5 * (*path[k] + *path[k + 1]);
      const Eigen::Vector3d piece = *path[k + 1] - *path[k];
      if (!(piece.squaredNorm() > 0)) continue;
      // Laplace for a lace (literature.md P6) with Euler's normal curvature over a dorsum curved across the foot only:
      // cos^2(theta) / R, theta = the piece's angle to the across-foot plane (a helix on a cylinder: exact).
      const double cos2 = 1.0 - piece.x() * piece.x() / piece.squaredNorm();
      const double force_n = s.tension_n * cos2 / radius * piece.norm();  // N over this piece
      double z_norm = 0;  // the tongue's Gaussian, normalised by the vertex areas it covers: force is conserved
      for (std::size_t j = 0; j < cand.size(); ++j) {
        const double r2 = (foot.vertices[cand[j]] - c).squaredNorm();
        w[j] = r2 < cut * cut ? std::exp(-0.5 * r2 / (sigma * sigma)) : 0.0;
        z_norm += w[j] * area[cand[j]];
      }
      if (!(z_norm > 0)) continue;
      for (std::size_t j = 0; j < cand.size(); ++j)
        if (w[j] > 0) p[cand[j]] += 1000.0 * force_n * w[j] / z_norm;  // N/mm^2 -> kPa
    }
  }
  if (any_tension && !any_over_foot)
    bad_input("no lace crossing lies over the foot: is the foot in the last frame (place::place_foot)?");
  for (std::size_t i = 0; i < nv; ++i)
    if (!(std::isfinite(p[i]) && p[i] >= 0))
      throw Error(ErrorCode::internal, "lacing", "pressure at vertex " + std::to_string(i) + " is " + fmt(p[i]));
  return p;
}

}  // namespace fitcheck::lacing
