// Stage `lacing`: eyelets on the last's throat, the lace path of a lacing pattern with its tension, and the pressure
// the laces put on the top of the foot through the tongue (ARCHITECTURE.md "Contact model", Lacing; literature.md P1,
// P2, P5, P5b, P6, P7). Units: mm, N, kPa. Frame: the last frame of last/last.hpp (heel back point at x = 0, toes
// towards +x, z up, medial side +y); the foot must be given in the same frame (place::Result::foot).
//
// Eyelets (lay_out). `eyelet_pairs` = N rows, row 1 nearest the toes (the vamp, about at the instep/ball transition)
// and row N at the collar (the front of the ankle). Row r sits at x_r = L x (kFirstRowPct + (kTopRowPct -
// kFirstRowPct) x (r - 1) / (N - 1)) / 100 with L = the last's stick length: 64 % to 32 % of L, i.e. row 1 about 6 % of
// L behind the ball line (~70 %) and 14.8 mm spacing for 7 pairs on a 277 mm last (estimates from the proportions of
// running shoes; no sourced values). In the section of the last at x_r (plane normal +x), the medial (+y) and lateral
// (-y) eyelets sit at the dorsal midline y_m +- the throat half-width h = kThroatHalfWidthFraction x the last's ball
// width (20 %: ~20 mm, so eyelets ~40 mm apart across a laced throat; estimate), on the last's surface (the highest
// point of the section at that y). The dorsal midline y_m is where the two eyelets come out level (bisection on
// z(y_m + h) - z(y_m - h) within h of the middle of the breadth of the section's upper half): the symmetry plane of a
// symmetric section, and the middle of the dorsal arc of one cut obliquely (lasts are pitched and turned in their
// frame); when there is no level position in that window, the breadth middle is used and a note says so. Where the
// section's upper half is narrower than 2 h / 0.8, h shrinks to 80 % of its half-breadth and a note says so.
//
// Lace path and tension (literature.md P7, capstan). The runner pulls both lace ends with `lace_tension_n` = T0 at the
// top; at each eyelet the lace passed on the way down the tension falls by c = exp(-mu x kEyeletWrapRad).
// kEyeletWrapRad = pi/2 (MODEL ESTIMATE): a lace fed up through an eyelet makes a hairpin round the flap (up to pi),
// but a runner who laces from the toes up leaves part of the tension in the lower rows, which static friction then
// holds, so the full hairpin from the top is a lower bound for those rows; we take half of it. With mu = 0.3 each
// eyelet passes 62 %. A crossing's "row" is the row whose eyelets it arrives at (coming from the toes):
//   criss_cross   a straight bar across row 1, then two diagonals (medial r-1 -> lateral r, lateral r-1 -> medial r)
//                 at every row r = 2..N; crossing at row r carries T0 c^(N - r + 1) (row 1: both halves meet, c^N).
//   window        as criss_cross but rows in `skipped_rows` (within [2, N-1]) have no crossing: the lace runs straight
//                 up the sides from row r-1 to r; tension continues (the same eyelets are passed, same exponents).
//                 The dorsum between the row below the window and its top row is free of lace.
//   parallel_bar  a straight bar across every row; bar at row r carries T0 c^(2 (N - r) + 1) (two eyelets per row).
//   skip_lowest   `skipped_rows` = {1..k}: the lace starts with a bar across row k+1 (T0 c^(N - k)), criss-cross above.
//   heel_lock     criss-cross on rows 1..N-1, each times `heel_lock_relief` (a looser forefoot); at row N the lace
//                 runs straight up each side into a lock loop and both ends cross the throat there straight, through
//                 the opposite loops, pulled directly: two strands at T0 (a lock: 1/c higher than criss-cross's top).
//
// Pressure (pressure_kpa; literature.md P6, Laplace). A crossing of tension T runs over the foot's dorsum from one
// eyelet's (x, y) to the other's: the path follows the foot's top surface (the highest foot point at each (x, y) along
// the straight line between the two eyelets in plan view). The local radius R of the dorsum is the radius of the
// circle through three points of the foot's top surface in its section at the crossing's mid x: at the two eyelets'
// y and midway (R = infinity, no load, where that arc is flat or concave or the foot's section does not reach both
// eyelets' y). Lace pieces with no foot under them carry no load. A lace piece at angle theta to the across-foot
// plane has the normal curvature cos^2(theta) / R (Euler, the dorsum taken as curved across the foot only), so it
// presses with a line load T cos^2(theta) / R N/mm along its length: T / R for a straight bar, and in all
// T cos(theta) x (arc angle) for a diagonal laid like a helix on a cylinder. The tongue spreads each lace piece's
// load over the dorsal vertices (outward vertex normal with z > 0 whose y lies within the crossing's span between its
// eyelets) with a Gaussian of 3D distance, sigma = `tongue_spread_mm`, cut at 4 sigma; the weights of each piece are
// normalised by the vertex areas they cover, so the integral of the pressure over the foot equals the lace's load
// exactly. Mid-span, a long straight band gives (T / R) / (sigma
// sqrt(2 pi)); within ~2 sigma of the eyelets, where the load cannot spread beyond the span, it piles up by up to ~7 %.
// Other vertices get 0. 1 N/mm^2 = 1000 kPa.
//
// Magnitudes: dorsal pressures under laces have been measured (literature.md P1, P5, P5b: highest over the talus,
// navicular and first ray) but their kPa values were not retrieved, and lace tensions are not sourced either (M3). The
// default `lace_tension_n` is therefore a MODEL ESTIMATE chosen so that criss-cross lacing of the bundled sample foot
// (scans/foot-right.ply) in its sample last (lasts/last-fit.stl) gives a dorsal peak of the order of tens of kPa:
// 25 N (a 2.5 kgf pull on each lace end) gives 21 kPa (159 mmHg) there, over the front of the ankle (rows 5-7; the
// capstan fall leaves rows 1-2 under 1 kPa). Reports must say so. Only relative comparisons between patterns and
// tensions are grounded in the model; literature.md P2 (tighter, higher lacing) and P5 (laces lose pressure over a
// run) are qualitative.
//
// Errors (fitcheck::Error, stage "lacing"): usage - an Options field out of range (validate, naming the field and
// value) or pattern text parse_pattern does not know (naming the text); invalid_input - a last without the section or
// surface an eyelet row needs, a foot that is not a finite triangle mesh, non-finite eyelets or crossings, or a
// layout with tension whose crossings find no foot surface under them (wrong frame?).
#pragma once

#include <Eigen/Core>
#include <numbers>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "last/last.hpp"

namespace fitcheck::lacing {

/// Station of row 1 (vamp) and of row N (collar), % of the last's stick length from the heel back point (estimates).
constexpr double kFirstRowPct = 64.0;
constexpr double kTopRowPct = 32.0;
/// Throat half-width (eyelet to dorsal midline, horizontal) as a fraction of the last's ball width (estimate).
constexpr double kThroatHalfWidthFraction = 0.20;
/// Wrap angle of the lace at each eyelet it passes, rad (MODEL ESTIMATE, see above; literature.md P7).
constexpr double kEyeletWrapRad = std::numbers::pi / 2.0;

enum class Pattern { criss_cross, window, parallel_bar, skip_lowest, heel_lock };

struct Options {
  Pattern pattern = Pattern::criss_cross;
  int eyelet_pairs = 7;            ///< eyelet rows along the throat; [3, 12] (ARCHITECTURE: default 7 pairs)
  std::vector<int> skipped_rows;   ///< rows (1 = nearest the toes) the lace does not cross over: window lacing skips
                                   ///< rows over a hotspot (each in [2, N-1], no repeats), skip_lowest the first k
                                   ///< rows (exactly {1..k}, k in [1, N-2]); must be empty for the other patterns
  double lace_tension_n = 25.0;    ///< tension the runner pulls each lace end with at the top, N; [0, 200]. MODEL
                                   ///< ESTIMATE (no sourced lace tension or dorsal kPa): gives a criss-cross dorsal
                                   ///< peak of about 21 kPa on the bundled sample foot in its sample last
  double friction_mu = 0.3;        ///< lace-eyelet friction (literature.md P7: 0.2-0.4); [0, 1]
  double tongue_spread_mm = 10.0;  ///< the tongue spreads each lace crossing's load with a Gaussian of this sigma
                                   ///< along and across the foot, mm (about its thickness plus padding; estimate);
                                   ///< [1, 40]
  double heel_lock_relief = 0.6;   ///< heel_lock: factor on the forefoot rows' (1..N-1) tension (looser forefoot);
                                   ///< [0, 1] (estimate)
  void validate() const;           ///< throws Error(ErrorCode::usage, "lacing", ...) naming the first bad field
};

/// "criss-cross", "window:3-4" (skip rows 3 and 4; a list like "window:3,5-6" also works), "parallel",
/// "skip-lowest:2", "heel-lock". Fields other than `pattern` and `skipped_rows` come from `base`; the result is
/// validated. Error(usage) naming the text otherwise (unknown name, bad row list, rows out of range for
/// base.eyelet_pairs).
Options parse_pattern(const std::string& text, Options base = {});
/// The canonical text parse_pattern reads back (for CLI args): window rows sorted, runs written as "a-b".
/// Validates `o` first (Error(usage)).
std::string pattern_text(const Options& o);

/// One eyelet, last frame, on the last's surface.
struct Eyelet {
  int row = 0;         ///< 1 = nearest the toes, N = collar
  bool medial = true;  ///< medial side (+y in the last frame)
  Eigen::Vector3d position_mm = Eigen::Vector3d::Zero();
};

/// A lace run that crosses the throat over the tongue and arrives at the eyelets of `row` (see the patterns above).
struct Segment {
  int row = 0;
  double tension_n = 0;  ///< N, constant along the run
  /// Its two eyelets (last frame), in lacing order.
  Eigen::Vector3d from_mm = Eigen::Vector3d::Zero(), to_mm = Eigen::Vector3d::Zero();
};

struct Layout {
  std::vector<Eyelet> eyelets;     ///< row 1 medial, row 1 lateral, row 2 medial, ...
  std::vector<Segment> crossings;  ///< in row order, toes first
  std::vector<std::string> notes;  ///< stations, throat width, capstan factor, pattern; shrunk throats
};

/// Eyelets on `last` (prepared, last frame) and the lace path with its tensions for `options`. Throws Error(usage)
/// for bad options, Error(invalid_input) when a row's section of the last is missing or has no surface at an eyelet.
Layout lay_out(const last::Last& last, const Options& options);

/// Lace pressure on the foot (a triangle mesh in the last frame, e.g. place::Result::foot), kPa per vertex, as
/// described above. Dorsal vertices only; all values finite and >= 0. Uses `options` for tongue_spread_mm (the
/// tensions are in `layout`). Throws Error(usage) for bad options, Error(invalid_input) for a foot that is not a
/// finite mesh, a non-finite layout, or a layout with tension none of whose crossings lies over the foot.
std::vector<double> pressure_kpa(const Layout& layout, const Geometry& foot_in_last_frame, const Options& options);

}  // namespace fitcheck::lacing
