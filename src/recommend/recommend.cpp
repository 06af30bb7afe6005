#include "recommend/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "clean/clean.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "core/parallel.hpp"
#include "hotspots/hotspots.hpp"
#include "lacing/lacing.hpp"
#include "measure/measure.hpp"
#include "size/size.hpp"

namespace fitcheck::recommend {

namespace {

/// The change id of snug (comfort) lacing for a runner who gave the pull (Setting::lace_tension_n).
const std::string kLaceSnug = "lace snug";
/// The coarse screen's placement refinement sample (place::Options::refine_samples; 2500 in full). On the bench foot
/// (50k vertices, a 3k-vertex coarse copy in a coarse copy of the narrow last, as the screen then ran) 300 samples
/// cut the coarse placement from ~100 to ~30 ms with the coarse nerve peaks 0-5 mmHg off those with the full sample,
/// 800 samples ~45 ms and 0-0.7 mmHg off (five sizes and widths, one run each). With the lasts as they are
/// (2026-12-07, tools/bench/screen_study and three real pairs): 2500 samples put the first four in the exhaustive
/// order in 13 of the study's 20 screened runs (400: 10; 1000: 11) but in 2 of 4 real-data runs like 400, at
/// 0.7-0.9 s more on the bench; 400 stays (README, Speed).
constexpr std::size_t kCoarseRefineSamples = 400;
/// Stands for the number of changes the coarse screen let through to the full simulation in texts written before
/// the backfill (recommend() fills it in after).
const std::string kFullCount = "\x1f{full}";

std::string num(double v) {
  std::ostringstream s;
  s << std::setprecision(10) << v;
  return s.str();
}

std::string signed_num(double v) { return (v > 0 ? "+" : "") + num(v); }

int kind_order(const std::string& k) {
  static const std::vector<std::string> order = {"none", "lacing", "tension", "sock", "width", "size", "size+width", "last"};
  const auto it = std::find(order.begin(), order.end(), k);
  return static_cast<int>(it - order.begin());
}

std::string short_nerve(const std::string& id) {
  if (id == "deep_peroneal") return "deep peroneal nerve (top of the foot)";
  if (id.rfind("superficial_peroneal", 0) == 0) return "superficial peroneal nerve (top of the foot)";
  if (id == "sural") return "sural nerve (outer side of the foot)";
  if (id.rfind("interdigital", 0) == 0) return "interdigital nerves (between the toes)";
  if (id == "joplin") return "nerve on the inner side of the big toe joint";
  return "nerves";
}

std::string size_words(double step) {
  const double a = std::abs(step);
  const std::string amount = a == 0.5 ? "half a size" : a == 1.0 ? "one size" : num(a) + " sizes";
  return amount + (step > 0 ? " up" : " down");
}

std::string width_words(int step) {
  const int a = std::abs(step);
  return (a == 1 ? std::string("one width") : std::to_string(a) + " widths") + (step > 0 ? " wider" : " narrower");
}

}  // namespace

std::vector<std::string> check_args(const std::string& scan, const Setting& s) {
  const bool sock_alone = s.last_path.empty();  // the sock file stands where the last would; no shoe options
  std::vector<std::string> a = {scan, sock_alone ? s.sock_path : s.last_path, "--run-minutes", num(s.run_minutes)};
  a.insert(a.end(), s.input_args.begin(), s.input_args.end());
  if (!sock_alone) {
    if (s.size_step != 0) a.insert(a.end(), {"--size-step", num(s.size_step)});
    if (s.width_step != 0) a.insert(a.end(), {"--width-step", std::to_string(s.width_step)});
    if (!s.laces) {
      a.push_back("--no-laces");
    } else {
      a.insert(a.end(), {"--lacing", s.lacing});
      if (s.lace_tension_n) a.insert(a.end(), {"--lace-tension-n", num(*s.lace_tension_n)});
    }
  }
  if (!s.sock_path.empty()) {
    if (!sock_alone) a.insert(a.end(), {"--sock", s.sock_path});
    if (s.sock_tension_scale != 1.0) a.insert(a.end(), {"--sock-tension-scale", num(s.sock_tension_scale)});
    if (s.sock_thickness_scale != 1.0) a.insert(a.end(), {"--sock-thickness-scale", num(s.sock_thickness_scale)});
  }
  return a;
}

namespace {
/// The size `L` is taken for (inferred from its stick length) and the size `size_step` and `width_step` away from it.
std::pair<size::Size, size::Size> sizes_for_steps(const last::Last& L, double size_step, int width_step) {
  if (!(std::isfinite(size_step) && std::abs(size_step) <= 3 && std::abs(size_step * 2 - std::round(size_step * 2)) < 1e-9))
    throw Error(ErrorCode::usage, "recommend", "size step must be a multiple of 0.5 in [-3, 3], got " + num(size_step));
  if (std::abs(width_step) > 4) throw Error(ErrorCode::usage, "recommend", "width step must be in [-4, 4]");
  const size::Size from = last::infer_size(L.measurements.stick_length_mm);
  size::Size to = from;
  to.value += size_step;
  to.width += width_step;
  to.width_given = true;
  return {from, to};
}
}  // namespace

last::Last graded(const last::Last& L, double size_step, int width_step) {
  if (size_step == 0 && width_step == 0) return L;
  const auto [from, to] = sizes_for_steps(L, size_step, width_step);
  return last::grade_last(L, from, to).graded;
}

sock::SockSpec scaled_sock(const sock::SockSpec& base, double scale, double thickness_scale) {
  if (!(std::isfinite(scale) && scale > 0 && scale <= 1))
    throw Error(ErrorCode::usage, "recommend", "sock tension scale must be in (0, 1], got " + num(scale));
  if (!(std::isfinite(thickness_scale) && thickness_scale >= 0.1 && thickness_scale <= 1))
    throw Error(ErrorCode::usage, "recommend", "sock thickness scale must be in [0.1, 1], got " + num(thickness_scale));
  sock::SockSpec s = base;
  s.fabric_modulus_n_per_mm *= scale;
  s.thickness_mm *= thickness_scale;
  if (s.thickness_mm < 0.1)
    throw Error(ErrorCode::usage, "recommend", "a sock thinner than 0.1 mm (" + num(s.thickness_mm) + " mm) is outside the sock format");
  return s;
}

void Options::validate() const {
  auto in = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  if (!in(min_toe_allowance_mm, 0, 30) || !in(max_toe_allowance_mm, 0, 40) || min_toe_allowance_mm > max_toe_allowance_mm)
    throw Error(ErrorCode::usage, "recommend", "toe allowance range must lie in [0, 40] mm, min <= max");
  if (!in(min_drop_mmhg, 0, 50) || !in(min_drop_fraction, 0, 1))
    throw Error(ErrorCode::usage, "recommend", "min_drop_mmhg must be in [0, 50], min_drop_fraction in [0, 1]");
  if (!in(max_region_rise_fraction, 0.05, 5))
    throw Error(ErrorCode::usage, "recommend", "max_region_rise_fraction must be in [0.05, 5]");
  if (!in(window_reach_mm, 5, 60)) throw Error(ErrorCode::usage, "recommend", "window_reach_mm must be in [5, 60]");
  if (hotspots::risk_rank(acceptable_risk) < 0)
    throw Error(ErrorCode::usage, "recommend", "acceptable_risk must be none, low, moderate or high");
  if (max_threads < 1 || max_threads > 64) throw Error(ErrorCode::usage, "recommend", "max_threads must be in [1, 64]");
  if (max_recommendations < 1 || max_recommendations > 50)
    throw Error(ErrorCode::usage, "recommend", "max_recommendations must be in [1, 50]");
  if (catalog_shortlist > 10000) throw Error(ErrorCode::usage, "recommend", "catalog_shortlist must be in [0, 10000]");
  if (screen_vertices != 0 && (screen_vertices < 500 || screen_vertices > 1000000))
    throw Error(ErrorCode::usage, "recommend", "screen_vertices must be 0 (off) or in [500, 1000000]");
  if (full_shortlist < 1 || full_shortlist > 50) throw Error(ErrorCode::usage, "recommend", "full_shortlist must be in [1, 50]");
}

Screen catalog_screen(const Geometry& foot, double Lf, const last::Last& last, const last::GradeScales* grade) {
  if (!(Lf > 0) || !foot.is_mesh() || !last.mesh.is_mesh())
    throw Error(ErrorCode::internal, "recommend", "the catalog screen needs a foot mesh, its length and a last mesh");
  const double s_l = grade ? grade->length_scale : 1.0, s_g = grade ? grade->girth_scale : 1.0;
  if (!(s_l > 0 && s_g > 0)) throw Error(ErrorCode::internal, "recommend", "grade scales must be positive");
  std::vector<double> xs, xs_last;
  for (int i = 0; i <= 19; ++i) {
    xs.push_back((0.60 + 0.02 * i) * Lf);
    xs_last.push_back(xs.back() / s_l);  // the graded last's section at x is the last's at x / s_L, scaled by s_G
  }
  const auto fs = measure::sections_along_x(foot, xs, 0.5), ls = measure::sections_along_x(last.mesh, xs_last, 0.5);
  Screen s;
  int n = 0;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    if (fs[k].size() < 3) continue;  // the foot's own tip region may be too thin to cut
    const double cf = measure::convex_perimeter(fs[k], Eigen::Vector3d::UnitX());
    if (ls[k].size() < 3) {
      s.max_strain = 1e9;  // the last ends before the foot does (rms_mm becomes 1e9 below)
      continue;
    }
    const double cl = s_g * measure::convex_perimeter(ls[k], Eigen::Vector3d::UnitX());
    s.max_strain = std::max(s.max_strain, std::max(0.0, cf - cl) / cl);
    s.rms_mm += (cl - cf) * (cl - cf);
    ++n;
  }
  if (n == 0 || s.max_strain >= 1e9) s.rms_mm = 1e9;
  else s.rms_mm = std::sqrt(s.rms_mm / n);
  return s;
}

bool screen_before(const Screen& a, const Screen& b) {
  const double ba = std::floor(a.max_strain / 0.005), bb = std::floor(b.max_strain / 0.005);
  if (ba != bb) return ba < bb;
  return a.rms_mm < b.rms_mm;
}

Outcome outcome_of(const check::Result& r) {
  Outcome o;
  int worst = -1;
  for (const auto& n : r.hot.nerves) {
    const int k = hotspots::risk_rank(n.risk);
    o.nerve_risk[n.nerve] = k;
    o.nerve_peak_mmhg[n.nerve] = n.peak_mmhg;
    o.risk_sum += k;
    o.peak_mmhg = std::max(o.peak_mmhg, n.peak_mmhg);
    worst = std::max(worst, k);
  }
  // Among the nerves with the worst risk, the one with the highest peak.
  double best_peak = -1;
  for (const auto& n : r.hot.nerves)
    if (hotspots::risk_rank(n.risk) == worst && n.peak_mmhg > best_peak) best_peak = n.peak_mmhg, o.worst_nerve = n.nerve;
  o.risk = hotspots::risk_name(worst);
  for (const auto& e : r.hot.timeline) o.field_peak_mmhg = std::max(o.field_peak_mmhg, e.peak_mmhg);
  for (const auto& h : r.hot.hotspots) {
    if (h.peak_position_mm.x() >= kForefootFromFraction * r.foot_length_mm) o.forefoot_peak_mmhg = std::max(o.forefoot_peak_mmhg, h.peak_mmhg);
    o.region_peak_mmhg[h.region] = std::max(o.region_peak_mmhg[h.region], h.peak_mmhg);
    o.region_risk[h.region] = std::max(o.region_risk[h.region], hotspots::risk_rank(h.risk));
  }
  o.region_new_risk = o.region_risk;
  if (r.fit) {
    o.toe_allowance_mm = r.fit->toe_allowance_mm;
    for (const auto& f : r.fit->regions)
      if (f.region == "heel") o.heel_rating = f.rating;
  }
  o.lace_tension_n = r.lace_tension_n;
  return o;
}

namespace {

/// Per foot vertex, the highest risk rank of a hotspot of `r` covering it (-1: none).
std::vector<int> hotspot_cover(const check::Result& r) {
  std::vector<int> cover(r.foot.vertices.size(), -1);
  for (const auto& h : r.hot.hotspots)
    for (int v : h.vertices)
      if (v >= 0 && static_cast<std::size_t>(v) < cover.size())
        cover[static_cast<std::size_t>(v)] = std::max(cover[static_cast<std::size_t>(v)], hotspots::risk_rank(h.risk));
  return cover;
}

/// Outcome::region_new_risk of `r` against the baseline's cover (hotspot_cover): the patches that no baseline hotspot
/// of at least their risk overlaps. With another vertex count (not the baseline's foot) every patch counts.
void mark_new_hotspots(Outcome& o, const check::Result& r, const std::vector<int>& base_cover) {
  o.region_new_risk.clear();
  const bool same_foot = base_cover.size() == r.foot.vertices.size();
  for (const auto& h : r.hot.hotspots) {
    const int k = hotspots::risk_rank(h.risk);
    bool covered = false;
    if (same_foot)
      for (int v : h.vertices)
        if (v >= 0 && static_cast<std::size_t>(v) < base_cover.size() && base_cover[static_cast<std::size_t>(v)] >= k) {
          covered = true;
          break;
        }
    if (!covered) o.region_new_risk[h.region] = std::max(o.region_new_risk[h.region], k);
  }
}

struct Candidate {
  std::string change, kind, advice;
  Setting setting;
  bool relace = false;                    ///< laces only: reuse the placement
  const last::Last* catalog_last = nullptr;
};

/// The dorsal hotspot over a nerve with the worst risk, and the eyelet rows whose crossings run over it: the crossing
/// "at row r" runs from row r-1's eyelets to row r's (lacing.hpp), so it spans x from row r (heelward) to row r-1;
/// rows whose span comes within `reach` of the hotspot's peak. Window lacing may skip rows 2..N-1 only; when the
/// hotspot needs row 1 or N, there is no targeted window (empty rows).
struct Target {
  std::vector<int> rows;
  std::string nerve;  ///< the hotspot's nerve id ("none" when no nerve is under it)
};
Target rows_over_hotspot(const check::Result& b, double reach) {
  const hotspots::Hotspot* best = nullptr;
  for (const auto& h : b.hot.hotspots) {
    if (h.region != "instep" && h.region != "dorsum") continue;
    if (!best || hotspots::risk_rank(h.risk) > hotspots::risk_rank(best->risk) ||
        (h.risk == best->risk && h.peak_mmhg > best->peak_mmhg))
      best = &h;
  }
  Target t;
  if (!best || !b.fit || best->peak_vertex < 0 || b.layout.eyelets.empty()) return t;
  t.nerve = best->nerve;
  const double x = b.fit->foot.vertices[static_cast<std::size_t>(best->peak_vertex)].x();
  std::map<int, double> row_x;
  for (const auto& e : b.layout.eyelets)
    if (e.medial) row_x[e.row] = e.position_mm.x();
  const int n = row_x.empty() ? 0 : row_x.rbegin()->first;
  for (int r = 2; r <= n; ++r) {
    const double lo = std::min(row_x[r], row_x[r - 1]), hi = std::max(row_x[r], row_x[r - 1]);
    if (x + reach >= lo && x - reach <= hi) t.rows.push_back(r);
  }
  const bool needs_end_row = std::find(t.rows.begin(), t.rows.end(), n) != t.rows.end();
  if (needs_end_row || t.rows.empty()) t.rows.clear();
  return t;
}

std::string rows_text(const std::vector<int>& rows) {
  std::string t;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) t += i + 1 == rows.size() ? " and " : ", ";
    t += std::to_string(rows[i]);
  }
  return t;
}

bool toe_ok(double ta, const Options& o) { return ta >= o.min_toe_allowance_mm && ta <= o.max_toe_allowance_mm; }
double toe_distance(double ta, const Options& o) {
  return ta < o.min_toe_allowance_mm ? o.min_toe_allowance_mm - ta : ta > o.max_toe_allowance_mm ? ta - o.max_toe_allowance_mm : 0.0;
}

std::string toe_words(double ta, const Options& o) {
  return "toe allowance " + fmt_outside(ta, o.min_toe_allowance_mm, o.max_toe_allowance_mm) + " mm outside " +
         fmt_fixed(o.min_toe_allowance_mm, 0) + "-" +
         fmt_fixed(o.max_toe_allowance_mm, 0) + " mm (literature G3)";
}

}  // namespace

namespace {
void set_symptom_peak(Outcome& o, const std::vector<std::string>& focus) {
  o.symptom_peak_mmhg = 0;
  for (const auto& nv : focus)
    if (o.nerve_peak_mmhg.count(nv)) o.symptom_peak_mmhg = std::max(o.symptom_peak_mmhg, o.nerve_peak_mmhg.at(nv));
}
}  // namespace

void rank(std::vector<Recommendation>& recs, bool focus, std::optional<std::pair<double, double>> toe_range) {
  auto in_range = [&](const Recommendation& r) {
    return r.after.toe_allowance_mm >= toe_range->first && r.after.toe_allowance_mm <= toe_range->second;
  };
  std::stable_sort(recs.begin(), recs.end(), [&](const Recommendation& a, const Recommendation& b) {
    const int ra = hotspots::risk_rank(a.after.risk), rb = hotspots::risk_rank(b.after.risk);
    if (ra != rb) return ra < rb;
    if (toe_range && in_range(a) != in_range(b)) return in_range(a);
    if (focus) {  // the nerves the symptoms point to first (0.5 mmHg buckets)
      const double fa = std::floor(a.after.symptom_peak_mmhg / 0.5), fb = std::floor(b.after.symptom_peak_mmhg / 0.5);
      if (fa != fb) return fa < fb;
    }
    // Nerve peaks in 0.5 mmHg buckets (a strict weak order: equal buckets fall through to the next key).
    const double ba = std::floor(a.after.peak_mmhg / 0.5), bb = std::floor(b.after.peak_mmhg / 0.5);
    if (ba != bb) return ba < bb;
    if (a.after.risk_sum != b.after.risk_sum) return a.after.risk_sum < b.after.risk_sum;
    return kind_order(a.kind) < kind_order(b.kind);
  });
}

Result recommend(const Input& in, const Options& opt) {
  opt.validate();
  // A shoe (a last, with or without a sock), or a sock alone: then the only change is the sock's compression.
  const bool shoe = in.last != nullptr;
  if (!in.scan || !in.baseline ||
      (shoe ? !in.baseline->fit
            : !in.options.sock || in.base.sock_path.empty() || !in.base.last_path.empty() || in.baseline->fit))
    throw Error(ErrorCode::usage, "recommend", "recommendations need a foot checked in a last or a sock");
  if (!shoe && !in.catalog.empty())
    throw Error(ErrorCode::usage, "recommend", "a catalog of lasts needs a last to compare with (a sock alone was checked)");
  const check::Result& base = *in.baseline;
  Result res;
  res.baseline = outcome_of(base);
  set_symptom_peak(res.baseline, in.focus_nerves);
  const Outcome& B = res.baseline;
  const int acceptable = hotspots::risk_rank(opt.acceptable_risk);
  auto none_rec = [&](const std::string& advice) {
    Recommendation r;
    r.rank = 1;
    r.change = "none";
    r.kind = "none";
    r.advice = advice;
    r.before = r.after = B;
    r.setting = in.base;
    r.args = check_args(in.scan_path, in.base);
    return r;
  };
  // The fit constraints (toe allowance, heel hold) hold now: then acceptable nerves mean no change. When they do not
  // (a last far too long for the foot has no nerve risk either), the changes are simulated for the fit instead.
  const bool fit_ok = !shoe || (toe_ok(B.toe_allowance_mm, opt) && B.heel_rating != "loose");  // a sock has no length
  const bool nerves_ok = hotspots::risk_rank(B.risk) <= acceptable;
  const bool for_fit = nerves_ok && !fit_ok;
  res.judged_on_fit = for_fit;
  if (for_fit && !toe_ok(B.toe_allowance_mm, opt)) res.fit_problem = toe_words(B.toe_allowance_mm, opt);
  if (for_fit && B.heel_rating == "loose")
    res.fit_problem += std::string(res.fit_problem.empty() ? "" : "; ") + "the heel is loose (no heel hold)";
  if (nerves_ok && fit_ok) {
    res.no_change_needed = true;
    std::string advice = "No change needed for the nerves: the nerve risk stays " + B.risk + " during the " +
                         fmt_short(in.base.run_minutes) + "-minute run (highest skin pressure over a nerve " +
                         fmt_fixed(B.peak_mmhg) + " mmHg; model estimate).";
    // Pressure away from the mapped nerves (e.g. a snug heel cup) is not a nerve risk but is worth saying.
    const hotspots::Hotspot* away = nullptr;
    for (const auto& h : base.hot.hotspots)
      if (h.level == "warning" || h.level == "alarm")
        if (!away || h.peak_mmhg > away->peak_mmhg) away = &h;
    if (away)
      advice += " The highest pressure, " + fmt_fixed(away->peak_mmhg) + " mmHg at the " + away->region +
                ", lies away from the mapped nerves (risk " + away->risk + "): a firm spot, not a nerve squeeze in this model.";
    res.recommendations.push_back(none_rec(advice));
    return res;
  }

  // ---- candidates ----
  std::vector<Candidate> cands;
  const std::string nerve = short_nerve(B.worst_nerve);
  const double pull = base.lace_tension_n;
  // Judged on the fit, laces are not tried: they keep the foot where it sits (check::relace), so they change neither
  // the toe allowance nor the heel rating in this model.
  if (for_fit && in.base.laces && in.options.laces)
    res.notes.push_back("lacing and tension changes were not tried: in this model they change neither the toe "
                        "allowance nor the heel hold" +
                        std::string(B.heel_rating == "loose" ? " (a heel-lock lacing may still help a loose heel in practice)" : ""));
  if (shoe && in.base.laces && in.options.laces && !for_fit) {
    auto lace_cand = [&](const std::string& pattern, double tension, const std::string& kind, const std::string& advice) {
      Candidate c;
      c.setting = in.base;
      c.setting.lacing = pattern;
      c.setting.lace_tension_n = tension;
      c.kind = kind;
      c.change = kind == "tension" ? "lace tension " + fmt_fixed(tension) + " N" : "lacing " + pattern;
      c.advice = advice;
      c.relace = true;
      cands.push_back(c);
    };
    const int n_rows = in.options.lacing.eyelet_pairs;
    if (opt.lacing) {
      const Target target = rows_over_hotspot(base, opt.window_reach_mm);
      const std::vector<int>& rows = target.rows;
      if (!rows.empty()) {
        std::string pattern = "window:" + std::to_string(rows.front()) +
                              (rows.back() != rows.front() ? "-" + std::to_string(rows.back()) : std::string());
        const std::string over = target.nerve == "none" ? std::string("where the pressure is highest")
                                                        : "over the " + short_nerve(target.nerve);
        lace_cand(pattern, pull, "lacing",
                  "Window lacing: skip the crossing" + std::string(rows.size() > 1 ? "s" : "") + " at eyelet pair" +
                      (rows.size() > 1 ? "s " : " ") + rows_text(rows) +
                      " (counted from the toes) on both sides -- run the lace straight up the side there -- to take the "
                      "laces off the top of the foot " + over + ". Pull as before.");
      }
      for (int a = 2; a + 1 <= n_rows - 1; ++a) {
        const std::string pattern = "window:" + std::to_string(a) + "-" + std::to_string(a + 1);
        if (rows.size() == 2 && rows.front() == a) continue;  // the same window as above
        lace_cand(pattern, pull, "lacing",
                  "Window lacing: skip the crossings at eyelet pairs " + std::to_string(a) + " and " + std::to_string(a + 1) +
                      " (counted from the toes) on both sides; pull as before.");
      }
      lace_cand("parallel", pull, "lacing", "Straight (parallel bar) lacing: the lace crosses the top of the foot only as "
                                            "straight bars, none diagonally; pull as before.");
      lace_cand("skip-lowest:1", pull, "lacing", "Leave the lowest eyelet pair (nearest the toes) empty and start lacing at "
                                                 "pair 2: more room over the forefoot; pull as before.");
      lace_cand("skip-lowest:2", pull, "lacing", "Leave the two lowest eyelet pairs empty and start lacing at pair 3: more "
                                                 "room over the forefoot; pull as before.");
      lace_cand("heel-lock", pull, "lacing", "Heel-lock (runner's loop) at the top eyelets with a looser forefoot: the heel "
                                             "is held by the loop, not by pulling the whole lace tight.");
    }
    if (opt.tension && pull > 0) {
      const std::string same = in.base.lacing;
      lace_cand(same, 0.75 * pull, "tension",
                "Lace about a quarter looser than now (in the model " + fmt_fixed(0.75 * pull) +
                    " N instead of " + fmt_fixed(pull) + " N pulled at the top). Check the heel still holds.");
      lace_cand(same, 0.5 * pull, "tension",
                "Lace about half as tight as now (in the model " + fmt_fixed(0.5 * pull) + " N instead of " + fmt_fixed(pull) +
                    " N pulled at the top). Check the heel still holds.");
      // A runner who pulls the laces to a given tension may pull far harder than snug: the check's comfort lacing
      // (laces alone at check::Options::lace_comfort_mmhg on the resting foot) is the loosest lacing that still
      // closes the shoe in this model. Its tension is solved in the simulation; the advice is written after it.
      if (in.base.lace_tension_n) {
        Candidate c;
        c.setting = in.base;
        c.setting.lace_tension_n.reset();
        c.kind = "tension";
        c.change = kLaceSnug;
        c.relace = true;
        cands.push_back(c);
      }
    }
  }
  auto shoe_cand = [&](double ds, int dw, const std::string& kind, const std::string& advice) {
    if (!shoe) return;
    // Beyond the steps a setting may take from the last as given (Setting: 3 sizes, 4 widths) there is no change.
    if (std::abs(in.base.size_step + ds) > 3 + 1e-9 || std::abs(in.base.width_step + dw) > 4) return;
    Candidate c;
    c.setting = in.base;
    c.setting.size_step = in.base.size_step + ds;
    c.setting.width_step = in.base.width_step + dw;
    c.kind = kind;
    std::string ch;
    if (ds != 0) ch += "size " + signed_num(ds);
    if (dw != 0) ch += std::string(ch.empty() ? "" : ", ") + "width " + signed_num(dw);
    c.change = ch;
    c.advice = advice;
    cands.push_back(c);
  };
  if (opt.width)
    for (int dw : {1, 2, -1})
      shoe_cand(0, dw, "width", "The same size " + width_words(dw) + " (" + fmt_fixed(std::abs(dw) * size::kGirthPerWidthMm) +
                                    " mm " + (dw > 0 ? "more" : "less") + " ball girth per the grading rule, literature G2).");
  if (opt.size)
    for (double ds : {0.5, 1.0, -0.5, -1.0})
      shoe_cand(ds, 0, "size", "Go " + size_words(ds) + " in the same width (" + fmt_fixed(std::abs(ds) * 8.47) + " mm " +
                                   (ds > 0 ? "longer" : "shorter") + ", girth graded with it).");
  if (opt.size && opt.width) {
    shoe_cand(0.5, 1, "size+width", "Half a size up and one width wider.");
    // A shoe too long for a foot of ordinary girth: shorter, with the girth a smaller size would lose given back.
    if (B.toe_allowance_mm > opt.max_toe_allowance_mm)
      for (double ds : {-0.5, -1.0})
        shoe_cand(ds, 1, "size+width", "Go " + size_words(ds) + " and one width wider (shorter, with about the same girth).");
  }
  // The toe allowance a last that fits the length has: the middle of the placement's range (literature G3), as in its
  // "a last about ... mm long would fit" warning.
  const double fit_mid = 0.5 * (in.options.place.min_toe_allowance_mm + in.options.place.max_toe_allowance_mm);
  // A shoe far off in length: the toe allowance out of its range by more than the steps above reach (a runner's
  // shoe several sizes too small). The half size, at most 3 sizes from the last as given (Setting), whose length
  // (size rule, G1) brings the toe allowance nearest fit_mid -- as a plain size change (girth graded
  // with the length) and with the girth kept (width letters giving back the girth the sizes add or take, G2).
  if (shoe && opt.size && !toe_ok(B.toe_allowance_mm, opt)) {
    const double mid = fit_mid;
    const size::Size from = last::infer_size(base.foot_length_mm + B.toe_allowance_mm);
    double best = 0, best_off = std::abs(B.toe_allowance_mm - mid);
    for (double ds = -6.0; ds <= 6.0; ds += 0.5) {
      if (ds == 0 || std::abs(in.base.size_step + ds) > 3 + 1e-9) continue;
      size::Size to = from;
      to.value += ds;
      const double off = std::abs(B.toe_allowance_mm + size::grade_delta(from, to).length_mm - mid);
      if (off < best_off - 1e-9) best_off = off, best = ds;
    }
    if (std::abs(best) > 1.0) {
      const std::string why = B.toe_allowance_mm < opt.min_toe_allowance_mm ? "This shoe is too short for the foot: "
                                                                              : "This shoe is too long for the foot: ";
      size::Size to = from;
      to.value += best;
      const double dl = size::grade_delta(from, to).length_mm;
      shoe_cand(best, 0, "size", why + "go " + size_words(best) + " in the same width (" + fmt_fixed(std::abs(dl)) +
                                     " mm " + (best > 0 ? "longer" : "shorter") + ", girth graded with it).");
      const int dw = std::clamp(static_cast<int>(-std::lround(best * size::kGirthPerUsSizeMm / size::kGirthPerWidthMm)),
                                -4 - in.base.width_step, 4 - in.base.width_step);
      if (dw != 0 && opt.width)  // `--changes size` alone offers no width letters
        shoe_cand(best, dw, "size+width", why + "go " + size_words(best) + " and " + width_words(dw) + " (" +
                                              (best > 0 ? "longer" : "shorter") + ", with about the same girth).");
    }
  }
  // Every catalog last as it is, and -- when its length puts the toe allowance more than half a size off the middle of
  // the range -- also in the half size (up to one size either way) that brings it closest to the middle: a catalog
  // ranks lasts and sizes. The length after grading is predicted by the size rule (src/size, G1); the simulation
  // measures the graded last again.
  const double toe_mid = 0.5 * (opt.min_toe_allowance_mm + opt.max_toe_allowance_mm);
  // A change is named by the last's file stem; where names repeat (foo.stl and foo.ply), by the file name, and where
  // they still do, by the path. Of a repeating group only those at the shortest kind of name move on (a.stl.ply's stem
  // is a.stl's file name: a.stl.ply takes its file name, a.stl keeps its own), so that every file, unless given twice,
  // has a name of its own and no longer one than that needs.
  std::vector<std::string> names(in.catalog.size());
  {
    std::vector<int> level(in.catalog.size(), 0);  // 0 stem, 1 file name, 2 path
    for (bool repeats = true; repeats;) {
      std::map<std::string, std::vector<std::size_t>> by_name;
      for (std::size_t i = 0; i < names.size(); ++i) {
        const std::filesystem::path path(in.catalog[i].path);
        names[i] = level[i] == 0 ? path.stem().string() : level[i] == 1 ? path.filename().string() : path.string();
        by_name[names[i]].push_back(i);
      }
      repeats = false;
      for (const auto& [name, ids] : by_name) {
        if (ids.size() < 2) continue;
        int lowest = 2;
        for (std::size_t i : ids) lowest = std::min(lowest, level[i]);
        for (std::size_t i : ids)
          if (level[i] == lowest && lowest < 2) ++level[i], repeats = true;
      }
    }
  }
  for (std::size_t ci = 0; ci < in.catalog.size(); ++ci) {
    const auto& c = in.catalog[ci];
    Candidate k;
    k.setting = in.base;
    k.setting.last_path = c.path;
    k.setting.size_step = 0;
    k.setting.width_step = 0;
    k.kind = "last";
    const std::string file = std::filesystem::path(c.path).filename().string(), name = names[ci];
    k.change = "last " + name;
    k.advice = "Try the shoe built on last '" + file + "'.";
    k.catalog_last = c.last;
    cands.push_back(k);
    const double stick = c.last->measurements.stick_length_mm;
    const size::Size from = last::infer_size(stick);
    double best_step = 0, best_off = std::abs(stick - base.foot_length_mm - toe_mid);
    for (double ds : {-1.0, -0.5, 0.5, 1.0}) {
      size::Size to = from;
      to.value += ds;
      const double off = std::abs(stick + size::grade_delta(from, to).length_mm - base.foot_length_mm - toe_mid);
      if (off < best_off - 1e-9) best_off = off, best_step = ds;
    }
    if (best_step != 0 && std::abs(stick - base.foot_length_mm - toe_mid) > 0.5 * size::length_step_mm(from.system)) {
      k.setting.size_step = best_step;
      k.kind = "last";
      k.change = "last " + name + ", size " + signed_num(best_step);
      k.advice = "Try the shoe built on last '" + file + "', " + size_words(best_step) + " (its own size is " +
                 (best_step > 0 ? "short" : "long") + " for this foot).";
      cands.push_back(k);
    }
  }
  if (opt.sock && in.options.sock && !in.base.sock_path.empty() && in.base.sock_tension_scale * 0.7 >= 0.01) {
    Candidate c;
    c.setting = in.base;
    c.setting.sock_tension_scale = in.base.sock_tension_scale * 0.7;
    c.kind = "sock";
    c.change = "sock tension x0.7";
    c.advice = "A sock with about 30 % less compression (roughly one compression class lower, literature C1).";
    cands.push_back(c);
    // A thinner sock gives room in a shoe (check: the shoe sees the foot offset by the thickness); alone, it only
    // presses a little more (the band law's radius), so it is tried in a shoe only.
    if (shoe && in.options.sock->thickness_mm * 0.5 >= 0.1 && in.base.sock_thickness_scale * 0.5 >= 0.1) {
      Candidate t;
      t.setting = in.base;
      t.setting.sock_thickness_scale = in.base.sock_thickness_scale * 0.5;
      t.kind = "sock";
      t.change = "sock thickness x0.5";
      t.advice = "A thinner sock (about half as thick: " + fmt_fixed(in.options.sock->thickness_mm * 0.5, 2) +
                 " mm instead of " + fmt_fixed(in.options.sock->thickness_mm, 2) + " mm): more room in the shoe.";
      cands.push_back(t);
    }
  }

  // ---- screen the catalog ----
  // A catalog larger than the shortlist: every catalog last whose length passes is screened on its forefoot girths
  // against the foot at the end of the run, and only the best `catalog_shortlist` are simulated. A catalog last offered
  // in another half size is screened through the grading map (last::grade_scales: its stick length and sections
  // follow from the last's own) and graded in full only if it is simulated.
  std::vector<std::string> screened_why(cands.size());
  auto toe_turned_down_at = [&](double stick_length_mm) {
    const double ta = stick_length_mm - base.foot_length_mm;
    return !toe_ok(ta, opt) && toe_distance(ta, opt) > toe_distance(B.toe_allowance_mm, opt) + 0.05;
  };
  auto toe_turned_down = [&](const last::Last& L) { return toe_turned_down_at(L.measurements.stick_length_mm); };
  {
    std::vector<std::size_t> ids;
    for (std::size_t k = 0; k < cands.size(); ++k)
      if (cands[k].catalog_last) ids.push_back(k);
    const bool have_swollen = base.foot_model && !base.foot_model->states.empty();
    if (opt.catalog_shortlist > 0 && ids.size() > opt.catalog_shortlist && have_swollen) {
      const Geometry& swollen = base.foot_model->states.back().foot;
      // Empty: turned down on length, or the grading map failed (simulate meets the same and says why). The length is
      // the map's (s_L x stick; the graded last, framed again, measures within ~0.1 mm of it), so a candidate at the
      // edge of the toe range may be screened and then turned down on its measured length, or the other way round.
      // A graded mesh that fails to prepare is only found when simulated: if it was screened out it is listed as
      // such, if shortlisted it takes its place and is reported as failed (the next one is not moved up).
      std::vector<std::optional<Screen>> scr(ids.size());
      parallel_for(ids.size(), opt.max_threads, [&](std::size_t j) {
        const Candidate& c = cands[ids[j]];
        const last::Last& L = *c.catalog_last;
        try {
          std::optional<last::GradeScales> g;
          if (c.setting.grades()) {
            const auto [from, to] = sizes_for_steps(L, c.setting.size_step, c.setting.width_step);
            g = last::grade_scales(L, from, to);
          }
          if (!toe_turned_down_at(L.measurements.stick_length_mm * (g ? g->length_scale : 1.0)))
            scr[j] = catalog_screen(swollen, base.foot_length_mm, L, g ? &*g : nullptr);
        } catch (const Error&) {
          // not screened: simulate grades it, fails the same way and reports it
        }
      });
      std::vector<std::size_t> order;  // positions in ids that were screened
      for (std::size_t j = 0; j < ids.size(); ++j)
        if (scr[j]) order.push_back(j);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return screen_before(*scr[a], *scr[b]); });
      if (order.size() > opt.catalog_shortlist) {
        const Screen& last_kept = *scr[order[opt.catalog_shortlist - 1]];
        for (std::size_t r = opt.catalog_shortlist; r < order.size(); ++r) {
          const Screen& sc = *scr[order[r]];
          const std::string off = sc.rms_mm >= 1e9 ? std::string("the last ends before the foot does")
                                                    : fmt_fixed(sc.rms_mm) + " mm rms, the foot up to " +
                                                          fmt_fixed(100 * sc.max_strain, 1) + " % over the last's girth";
          screened_why[ids[order[r]]] =
              "not simulated (catalog screen): the " + std::to_string(opt.catalog_shortlist) +
              " catalog candidates simulated squeeze the swollen forefoot less or fit it more closely by girth (this one: " + off +
              "; the last one simulated: " + fmt_fixed(last_kept.rms_mm) + " mm rms, up to " +
              fmt_fixed(100 * last_kept.max_strain, 1) + " %); --catalog-shortlist 0 simulates every one";
        }
        res.notes.push_back("catalog screen: " + std::to_string(opt.catalog_shortlist) + " of the " + std::to_string(order.size()) +
                            " catalog candidates screened (catalog lasts, some also in the half size that fits, not "
                            "already turned down on length) simulated in full, those whose forefoot girths squeeze "
                            "the foot at the end of the run least, the snug before the roomy (a screen: placement, toe box height and laces are not "
                            "seen); --catalog-shortlist 0 simulates every one");
      }
    }
  }

  // ---- simulate ----
  const std::optional<last::Last> base_last =
      shoe ? std::optional<last::Last>(graded(*in.last, in.base.size_step, in.base.width_step)) : std::nullopt;
  std::optional<sock::SockSpec> base_sock_unscaled;  // the sock as loaded (the base setting's scales undone)
  if (in.options.sock) {
    base_sock_unscaled = *in.options.sock;
    base_sock_unscaled->fabric_modulus_n_per_mm /= in.base.sock_tension_scale;
    base_sock_unscaled->thickness_mm /= in.base.sock_thickness_scale;
  }
  // Every candidate is an independent simulation: run them on a small pool of threads (outcomes are collected per
  // candidate and judged below in candidate order, so the result does not depend on the thread count).
  struct Sim {
    std::optional<Outcome> outcome;
    std::string error;
    std::string too_long_or_short;  ///< turned down before simulation (toe allowance), why
  };
  std::vector<Sim> sims(cands.size());
  const std::vector<int> base_cover = hotspot_cover(base);
  // The scan with the baseline's surface: a point-cloud scan is not reconstructed again for every candidate (the same
  // surface, and Open3D's Poisson is not run from several threads).
  measure::ScanResult scan = *in.scan;
  scan.frame.aligned = base.foot;
  // The check options of a candidate's setting (the sock's scales applied to the sock as loaded).
  auto options_for = [&](const Candidate& c, const check::Options& from) {
    check::Options o = from;
    // A change is judged on its nerve risks, toe allowance and heel hold: of the fit regions only the heel is rated
    // (the clearance elsewhere outside the contact zone is not computed; the pressures are the same).
    o.place.rated_regions = {"heel"};
    o.run_minutes = c.setting.run_minutes;
    o.laces = c.setting.laces;
    if (c.setting.laces) o.lacing = lacing::parse_pattern(c.setting.lacing, o.lacing);
    o.lace_to_comfort = !c.setting.lace_tension_n.has_value();
    if (c.setting.lace_tension_n) o.lacing.lace_tension_n = *c.setting.lace_tension_n;
    if (base_sock_unscaled)
      o.sock = scaled_sock(*base_sock_unscaled, c.setting.sock_tension_scale, c.setting.sock_thickness_scale);
    return o;
  };
  // Why a change with outcome A is turned down against baseline Bx ("" = accepted); also sets A's symptom peak.
  // `regions`: the region rules (no new hotspot, no region much worse); off on the coarse copies, whose patches away
  // from the nerves are unreliable.
  auto judge = [&](const Candidate& c, Outcome& A, const Outcome& Bx, bool regions) {
    set_symptom_peak(A, in.focus_nerves);
    std::string why;
    // Snug lacing is a change only for a runner who pulls harder than that (its tension is known only now).
    if (c.change == kLaceSnug && A.lace_tension_n > 0.9 * Bx.lace_tension_n)
      why = "the laces are already no tighter than snug lacing (snug: " + fmt_fixed(A.lace_tension_n) + " N in the model; now " +
            fmt_fixed(Bx.lace_tension_n) + " N)";
    // Out of range only counts against a change that makes it worse: laces do not change a long shoe's length.
    else if (!toe_ok(A.toe_allowance_mm, opt) && toe_distance(A.toe_allowance_mm, opt) > toe_distance(Bx.toe_allowance_mm, opt) + 0.05)
      why = toe_words(A.toe_allowance_mm, opt);
    else if (A.heel_rating == "loose" && Bx.heel_rating != "loose")
      why = "the heel would be loose (no heel hold)";
    for (const auto& [nv, rk] : A.nerve_risk)
      if (why.empty() && rk > (Bx.nerve_risk.count(nv) ? Bx.nerve_risk.at(nv) : 0))
        why = "raises the risk over the " + nv + " nerve to " + hotspots::risk_name(rk);
    for (const auto& [rg, rk] : A.region_new_risk)
      if (regions && why.empty() && rk > (Bx.region_risk.count(rg) ? Bx.region_risk.at(rg) : 0))
        why = "a new or worse hotspot at the " + rg + " (risk " + hotspots::risk_name(rk) + ")";
    const int wa = hotspots::risk_rank(A.risk), wb = hotspots::risk_rank(Bx.risk);
    // For the fit: the toe allowance into its range, or at least 1 mm closer to it; or a loose heel held again
    // (good or snug: a heel gone tight is no better).
    const bool fits_better = (toe_ok(A.toe_allowance_mm, opt) && !toe_ok(Bx.toe_allowance_mm, opt)) ||
                             toe_distance(A.toe_allowance_mm, opt) < toe_distance(Bx.toe_allowance_mm, opt) - 1.0 ||
                             (Bx.heel_rating == "loose" && (A.heel_rating == "good" || A.heel_rating == "snug"));
    // With the nerves already acceptable only the fit counts (a lower peak on calm nerves is no reason to change).
    const bool better = for_fit ? fits_better
                                : wa < wb || A.risk_sum < Bx.risk_sum ||
                                      (Bx.peak_mmhg - A.peak_mmhg >= std::max(opt.min_drop_mmhg, opt.min_drop_fraction * Bx.peak_mmhg));
    if (why.empty() && A.peak_mmhg > Bx.peak_mmhg + opt.min_drop_mmhg)
      why = "raises the highest pressure over a nerve (" + fmt_fixed(Bx.peak_mmhg) + " -> " + fmt_fixed(A.peak_mmhg) + " mmHg)";
    // The worst spot on the foot made much worse (away from the nerves a hotspot's risk stays "moderate", so the rules
    // above miss it). The highest hotspot anywhere, not per region: a change that takes a far worse spot away may
    // leave a smaller one elsewhere higher than it was (3 sizes up for a foot 31 mm too long: the toe puff's 5700
    // mmHg go, a lateral spot goes 36 -> 68 mmHg).
    const double alarm = in.options.hotspots.alarm_mmhg;
    auto top_spot = [](const Outcome& o) {
      std::pair<double, std::string> t{0.0, ""};
      for (const auto& [rg, pk] : o.region_peak_mmhg)
        if (pk > t.first) t = {pk, rg};
      return t;
    };
    const auto [pa, ra] = top_spot(A);
    const auto [pb, rb] = top_spot(Bx);
    if (regions && why.empty() && pb > 0 && pa >= alarm && pa > pb * (1.0 + opt.max_region_rise_fraction))
      why = "raises the highest pressure on the foot (" + fmt_fixed(pb) + " mmHg at the " + rb + " -> " + fmt_fixed(pa) +
            " mmHg at the " + ra + ", above the " + fmt_fixed(alarm, 0) + " mmHg alarm line)";
    if (why.empty() && !better)
      why = for_fit ? "does not bring the fit closer (" +
                          (toe_ok(A.toe_allowance_mm, opt) ? "toe allowance " + fmt_fixed(A.toe_allowance_mm) + " mm"
                                                           : toe_words(A.toe_allowance_mm, opt)) +
                          ", heel " + (A.heel_rating.empty() ? "not rated" : A.heel_rating) + ")"
                    : "does not lower the nerve risk (" + A.risk + ", peak " + fmt_fixed(A.peak_mmhg) + " mmHg over a nerve)";
    return why;
  };
  // Judged on the nerves in a shoe of the wrong length: among changes of the same worst risk, those that bring the
  // toe allowance into range come first (the fit constraint; a foot 12.5 mm longer than the last was told "width +2"
  // before "size +3" for 8 mmHg, leaving its toes in the toe puff).
  std::optional<std::pair<double, double>> toe_range;
  if (shoe && !for_fit && !toe_ok(B.toe_allowance_mm, opt)) toe_range.emplace(opt.min_toe_allowance_mm, opt.max_toe_allowance_mm);
  // The order of accepted changes, best first.
  auto order = [&](std::vector<Recommendation>& recs) {
    rank(recs, !in.focus_nerves.empty(), toe_range);
    if (!for_fit) return;
    // The fit first: in range before out of it, then the distance from the range in whole mm (rounded up, so 0.9 mm
    // out is not taken for in), then heel hold; the nerve order breaks ties.
    std::stable_sort(recs.begin(), recs.end(), [&](const Recommendation& a, const Recommendation& b) {
      const bool ia = toe_ok(a.after.toe_allowance_mm, opt), ib = toe_ok(b.after.toe_allowance_mm, opt);
      if (ia != ib) return ia;
      const double da = std::ceil(toe_distance(a.after.toe_allowance_mm, opt)),
                   db = std::ceil(toe_distance(b.after.toe_allowance_mm, opt));
      if (da != db) return da < db;
      return (a.after.heel_rating == "loose") < (b.after.heel_rating == "loose");
    });
  };

  // ---- coarse screen ----
  std::vector<std::uint8_t> coarse_out(cands.size(), 0);
  std::vector<std::size_t> reserve;  // accepted by the coarse judge but not shortlisted, best first (see backfill below)
  std::size_t shortlisted = 0;       // of the coarse ranking, simulated in full before any backfill
  std::string coarse_note;           // the screen's note; kFullCount stands for the number simulated in full
  {
    std::vector<std::size_t> left;  // candidates the catalog screen kept
    for (std::size_t k = 0; k < cands.size(); ++k)
      if (screened_why[k].empty()) left.push_back(k);
    if (shoe && opt.screen_vertices > 0 && base.foot.vertices.size() > 2 * opt.screen_vertices && left.size() > opt.full_shortlist &&
        base.foot_model && base.foot_model->made_with(in.options)) {
      try {
        // The foot's half again on a coarse copy of its surface. The lasts stay as they are (graded by the map alone):
        // coarse copies of the lasts (vertex clustering pulls their convex toe box and heel cup inward) gave false
        // toe-box and heel contact and turned good lasts down; the foot's vertex count sets the cost, the last's
        // barely does (its distance tree and sections).
        measure::ScanResult cscan = *in.scan;
        cscan.frame.aligned = clean::simplify(base.foot, opt.screen_vertices);
        const auto cmodel = std::make_shared<const check::FootModel>(check::model_foot(cscan, in.options));
        // The last of a setting: `src` itself, or graded by the map into `own` (grade_scales from its measurements).
        auto coarse_last = [&](const last::Last& src, double ds, int dw, std::optional<last::Last>& own) -> const last::Last& {
          if (ds == 0 && dw == 0) return src;
          const auto [from, to] = sizes_for_steps(src, ds, dw);
          return *(own = last::graded_by_map(src, last::grade_scales(src, from, to)));
        };
        std::optional<last::Last> cbase_own;
        const last::Last& cbase_last = coarse_last(*in.last, in.base.size_step, in.base.width_step, cbase_own);
        // The placement's refinement on fewer points too (its cost is set by its sample, not by the mesh).
        check::Options copt = in.options;
        copt.place.refine_samples = std::min<std::size_t>(copt.place.refine_samples, kCoarseRefineSamples);
        const check::Result cbase = check::run(cscan, cmodel, &cbase_last, copt);
        Outcome CB = outcome_of(cbase);
        set_symptom_peak(CB, in.focus_nerves);
        std::vector<std::optional<Outcome>> co(cands.size());
        parallel_for(left.size(), opt.max_threads, [&](std::size_t j) {
          const std::size_t k = left[j];
          const Candidate& c = cands[k];
          try {
            const check::Options o = options_for(c, copt);
            if (c.relace) {
              co[k] = outcome_of(check::relace(cbase, cbase_last, o));
              return;
            }
            std::optional<last::Last> own;
            const last::Last& L =
                coarse_last(c.catalog_last ? *c.catalog_last : *in.last, c.setting.size_step, c.setting.width_step, own);
            if (toe_turned_down(L)) return;  // passes through: the full step turns it down on its measured length
            co[k] = outcome_of(cmodel->made_with(o) ? check::run(cscan, cmodel, &L, o) : check::run(cscan, &L, o));
          } catch (const Error&) {
            // passes through: the full step simulates it and reports what happens there
          }
        });
        // Rank: the changes the coarse judge accepts, in the final order, then the others in the same order.
        std::vector<Recommendation> yes, no;
        std::vector<std::string> why_c(cands.size());  // the coarse judge's reason, by candidate
        for (std::size_t k : left) {
          if (!co[k]) continue;
          ++res.coarse_simulated;
          Recommendation r;
          r.kind = cands[k].kind;
          r.after = *co[k];
          r.rank = static_cast<int>(k);  // carries the candidate's index through the sort (rank() does not write it)
          // Not the no-new-hotspot rule: hotspot patches away from the nerves on the coarse meshes are unreliable
          // (on the bench foot they rejected the three best changes for a toe-box patch the full simulation does
          // not have). The full judge applies it.
          r.after.region_new_risk.clear();
          why_c[k] = judge(cands[k], r.after, CB, false);
          (why_c[k].empty() ? yes : no).push_back(std::move(r));
        }
        order(yes);
        order(no);
        const std::size_t n_yes = yes.size();
        yes.insert(yes.end(), no.begin(), no.end());
        for (std::size_t i = opt.full_shortlist; i < yes.size(); ++i) {
          const std::size_t k = static_cast<std::size_t>(yes[i].rank);
          const Outcome& A = yes[i].after;
          coarse_out[k] = 1;
          if (i < n_yes) reserve.push_back(k);
          screened_why[k] = "not simulated in full (coarse screen on a " + std::to_string(cscan.frame.aligned.vertices.size()) +
                            "-vertex copy of the foot): " +
                            (i < n_yes ? "accepted there, but ranked " + std::to_string(i + 1) + " of " + std::to_string(n_yes) +
                                             " and only the best " + kFullCount + " were simulated in full"
                                       : why_c[static_cast<std::size_t>(yes[i].rank)]) +
                            " (coarse estimate: risk " + A.risk + ", nerve peak " + fmt_fixed(A.peak_mmhg) + " mmHg against " +
                            fmt_fixed(CB.peak_mmhg) + " for the shoe as it is); --screen-vertices 0 simulates every one in full";
        }
        res.coarse_foot_vertices = cscan.frame.aligned.vertices.size();
        const std::size_t passed = left.size() - static_cast<std::size_t>(res.coarse_simulated);
        shortlisted = std::min(opt.full_shortlist, yes.size());
        if (yes.size() > opt.full_shortlist)
          coarse_note =
              "coarse screen: " + std::to_string(res.coarse_simulated) + " changes were simulated on a " +
              std::to_string(res.coarse_foot_vertices) + "-vertex copy of the " + std::to_string(base.foot.vertices.size()) +
              "-vertex foot (in the lasts as they are, sizes and widths graded by the grading map alone); the best " +
              kFullCount + " of them were simulated in full" +
              (passed > 0 ? " (with " + std::to_string(passed) + " that the coarse step turned down on the last's length "
                                                                 "or could not simulate)"
                          : std::string()) +
              ", and every figure given for a recommendation is from the full simulation. --screen-vertices 0 "
              "simulates every change in full";
      } catch (const std::exception& e) {  // the screen is an optimisation: without it, every change in full
        for (std::size_t k = 0; k < cands.size(); ++k) {
          if (coarse_out[k]) screened_why[k].clear();
          coarse_out[k] = 0;
        }
        reserve.clear();
        coarse_note.clear();
        res.coarse_simulated = 0;
        res.coarse_foot_vertices = 0;
        res.notes.push_back(std::string("the coarse screen failed (") + e.what() + "); every change was simulated in full");
      }
    }
  }

  auto simulate = [&](std::size_t k) {
    const Candidate& c = cands[k];
    if (!screened_why[k].empty()) return;
    try {
      const check::Options o = options_for(c, in.options);
      if (c.relace) {
        const check::Result cr = check::relace(base, *base_last, o);
        sims[k].outcome = outcome_of(cr);
        mark_new_hotspots(*sims[k].outcome, cr, base_cover);
      } else {
        // The last to simulate (none for a sock alone): the catalog's own (not copied) or graded here.
        std::optional<last::Last> own;
        const last::Last* L = nullptr;
        if (shoe) {
          L = (c.catalog_last && !c.setting.grades())
                  ? c.catalog_last
                  : &*(own = graded(c.catalog_last ? *c.catalog_last : *in.last, c.setting.size_step,
                                    c.setting.width_step));
          // The toe allowance is the last's stick length minus the foot's length (place::Result): a last that breaks
          // the toe constraint is known before it is simulated.
          if (toe_turned_down(*L)) {
            sims[k].too_long_or_short =
                toe_words(L->measurements.stick_length_mm - base.foot_length_mm, opt) + " (not simulated)";
            return;
          }
        }
        // The foot's half (surface, nerves, swelling) is the baseline's: only the shoe's (or sock's) half is simulated
        // again.
        const bool same_foot = base.foot_model && base.foot_model->made_with(o);
        const check::Result cr = same_foot ? check::run(scan, base.foot_model, L, o) : check::run(scan, L, o);
        sims[k].outcome = outcome_of(cr);
        mark_new_hotspots(*sims[k].outcome, cr, base_cover);
      }
    } catch (const Error& e) {
      sims[k].error = e.what();
    }
  };
  parallel_for(cands.size(), opt.max_threads, simulate);  // a non-Error exception is a bug: rethrown
  // Backfill: when the full simulation turns down shortlisted changes, the next ones the coarse judge accepted are
  // simulated in full, as many at a time as are missing (at least one per thread), until as many are accepted as the
  // shortlist holds (at most max_recommendations) or none is left. The screen must not turn a change that helps into
  // "nothing helped", nor shorten the list for a coarse judge that accepted what the full one turns down.
  std::vector<signed char> accepted(cands.size(), -1);  // the full judge's verdict, once per simulated change
  const std::size_t wanted = std::min(opt.full_shortlist, opt.max_recommendations);
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(opt.max_threads, std::thread::hardware_concurrency()));
  std::size_t backfilled = 0;
  for (std::size_t next = 0; next < reserve.size();) {
    std::size_t n_ok = 0;
    for (std::size_t k = 0; k < cands.size(); ++k)
      if (screened_why[k].empty() && sims[k].outcome) {
        if (accepted[k] < 0) {
          Outcome A = *sims[k].outcome;
          accepted[k] = judge(cands[k], A, B, true).empty() ? 1 : 0;
        }
        n_ok += static_cast<std::size_t>(accepted[k]);
      }
    if (n_ok >= wanted) break;
    std::vector<std::size_t> batch;
    for (; next < reserve.size() && batch.size() < std::max(wanted - n_ok, threads); ++next) {
      batch.push_back(reserve[next]);
      screened_why[reserve[next]].clear();
      coarse_out[reserve[next]] = 0;
    }
    parallel_for(batch.size(), opt.max_threads, [&](std::size_t j) { simulate(batch[j]); });
    backfilled += batch.size();
  }
  if (!coarse_note.empty() || backfilled > 0) {
    // The number simulated in full, now known, in the screen's note and in the reasons of the changes left out.
    const std::string full = std::to_string(shortlisted + backfilled);
    auto fill_in = [&](std::string& text) {
      for (std::size_t at; (at = text.find(kFullCount)) != std::string::npos;) text.replace(at, kFullCount.size(), full);
    };
    for (std::size_t k = 0; k < cands.size(); ++k)
      if (coarse_out[k]) fill_in(screened_why[k]);
    if (!coarse_note.empty()) {
      fill_in(coarse_note);
      res.notes.push_back(coarse_note);
    }
    if (backfilled > 0)
      res.notes.push_back("coarse screen: the full simulation turned down some of the best " + std::to_string(shortlisted) +
                          ", so " + std::to_string(backfilled) +
                          " more that the coarse step accepted were simulated in full (counted in the " + full + " above)");
  }
  std::vector<Recommendation> ok;
  for (std::size_t k = 0; k < cands.size(); ++k) {
    const Candidate& c = cands[k];
    ++res.considered;
    if (!screened_why[k].empty()) {
      ++(coarse_out[k] ? res.coarse_screened_out : res.screened_out);
      res.rejected.push_back({c.change, screened_why[k]});
      continue;
    }
    if (!sims[k].too_long_or_short.empty()) {
      res.rejected.push_back({c.change, sims[k].too_long_or_short});
      continue;
    }
    if (!sims[k].outcome) {
      res.rejected.push_back({c.change, "could not be simulated: " + sims[k].error});
      continue;
    }
    ++res.candidates;
    Outcome& A = *sims[k].outcome;
    const std::string why = judge(c, A, B, true);
    std::string advice = c.advice;  // snug lacing's names the tension solved in its simulation
    if (c.change == kLaceSnug) {
      advice = "Lace only until snug, not tight: pull until the shoe closes on the top of the foot without pressing (in "
               "the model " + fmt_fixed(A.lace_tension_n) + " N instead of " + fmt_fixed(B.lace_tension_n) +
               " N pulled at the top: the laces alone then press about " + fmt_fixed(in.options.lace_comfort_mmhg, 0) +
               " mmHg on the resting foot). Check the heel still holds.";
    }
    if (!why.empty()) {
      res.rejected.push_back({c.change, why});
      continue;
    }
    Recommendation rec;
    rec.change = c.change;
    rec.kind = c.kind;
    rec.advice = advice;
    rec.before = B;
    rec.after = A;
    rec.setting = c.setting;
    rec.args = check_args(in.scan_path, c.setting);
    ok.push_back(std::move(rec));
  }
  order(ok);
  if (for_fit) {
    res.notes.push_back("the nerve risk is already " + B.risk + " (highest skin pressure over a nerve " +
                        fmt_fixed(B.peak_mmhg) + " mmHg; model estimate), but the shoe does not fit: " + res.fit_problem +
                        ". The changes were judged on the fit, none allowed to raise the nerve risk.");
  }
  // Judged on the fit or on the nerves: a length no accepted change reaches is named (a shoe more than 3 sizes off).
  if (shoe && !toe_ok(B.toe_allowance_mm, opt)) {
    const double want = base.foot_length_mm + fit_mid;
    bool reaches = false;
    for (const auto& r : ok) reaches = reaches || toe_ok(r.after.toe_allowance_mm, opt);
    if (!reaches)
      res.notes.push_back("no accepted change brings the toe allowance into range (see `rejected`" +
                          std::string(res.coarse_screened_out > 0 ? ", including the changes the coarse screen kept out of "
                                                                    "the full simulation" : "") +
                          "): a last about " +
                          fmt_fixed(want, 0) + " mm long (stick length) would fit this " +
                          fmt_fixed(base.foot_length_mm) + " mm foot");
  }
  for (std::size_t i = 0; i < ok.size() && i < opt.max_recommendations; ++i) {
    ok[i].rank = static_cast<int>(i) + 1;
    res.recommendations.push_back(std::move(ok[i]));
  }
  for (const auto& r : res.recommendations)
    if (r.kind == "lacing" || r.kind == "tension") {
      res.notes.push_back("lacing and tension changes keep the foot where it sits: heel hold is not re-checked for them "
                          "(the placement does not model lace tension)");
      break;
    }
  if (res.recommendations.empty() && res.candidates == 0)
    res.notes.push_back(!res.rejected.empty() ? "none of the changes tried could be simulated; see `rejected`"
                        : shoe ? "no change of the kinds asked for applies to this shoe, so none was simulated"
                               : "a sock alone is changed only in its compression, and this sock's is already near the "
                                 "lowest tension scale (0.01 of the fabric's), so none was simulated");
  else if (res.recommendations.empty())
    res.notes.push_back("none of the " + std::to_string(res.candidates) +
                        (for_fit ? " simulated changes brought the fit closer without raising the nerve risk; see `rejected`"
                                 : " simulated changes lowered the nerve risk without breaking a fit constraint; see `rejected`") +
                        (res.coarse_screened_out > 0
                             ? " (the coarse screen turned down " + std::to_string(res.coarse_screened_out) +
                                   " more on a coarse copy of the foot; --screen-vertices 0 simulates them in full)"
                             : std::string()));
  return res;
}

}  // namespace fitcheck::recommend
