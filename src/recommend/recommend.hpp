// Stage `recommend`: changes to the lacing, the lace tension, the size, the width, the last or the sock that lower
// the pressure over the foot's nerves, each simulated through the whole check (placement, swelling, contact,
// hotspots) and ranked (ARCHITECTURE.md stage "recommend"; issue #6).
//
// Candidates (each a Setting: what `fitcheck check` runs with, so that its `args` reproduce it exactly):
//   lacing      window lacing over the dorsal hotspot (the eyelet rows within `window_reach_mm` of its peak, along the
//               last), parallel bar lacing, skip the lowest one or two rows (a wide forefoot), heel-lock with a looser
//               forefoot; at the runner's present pull (the baseline's lace tension in N, written into the args).
//   tension     the same pattern at 75 % and 50 % of the present pull; when the runner gave the pull
//               (Setting::lace_tension_n), also "lace snug": the check's comfort lacing (check::Options::
//               lace_to_comfort, the laces alone at lace_comfort_mmhg on the resting foot), turned down when its
//               solved tension is not below 90 % of the present pull.
//   size        half and full sizes up and down (the last graded about its heel, src/last grade_last; G1, G2); when
//               the toe allowance is out of its range by more than that reaches (a shoe sizes too small or large),
//               also the half size, at most 3 from the last as given, nearest the middle of the placement's range
//               (place::Options, G3's 10-17 mm, as its "a last about ... mm long would fit" warning) -- plain (girth
//               graded with it) and with the girth kept (width letters giving back what the sizes add or take).
//   width       one and two width letters up and down (G2), and half a size up with one width up; when the toe
//               allowance is above its range, also half and one size down with one width up (shorter, girth kept).
//   last        every last of a catalog folder as it comes and, when its length puts the toe allowance more than
//               half a size off the middle of the range, also in the half size (within one size) nearest that middle.
//               A catalog with more of these than Options::catalog_shortlist is screened first (catalog_screen: the
//               forefoot girths against the foot at the end of the run) and only the shortlist is simulated.
//   sock        with a sock: its fabric tension per unit strain at 70 % (about one compression class lower, C1), and
//               a sock half as thick (under a shoe the sock takes its thickness of room, src/check).
// Lacing candidates reuse the placement (check::relace); the others run the whole check.
//
// Outcome of a setting: the worst nerve risk (hotspots: none < low < moderate < high), the sum of the nerves' risk
// ranks, the highest skin pressure over any nerve's path during the run (peak_mmhg), the peak per region (toe box,
// ball, instep, ...: the highest hotspot there), toe allowance and heel fit.
// With symptoms (Input::focus_nerves) the ranking puts the peak over those nerves before the overall nerve peak.
// Accepted when, against the baseline: it lowers the worst nerve risk, or the sum of risk ranks, or the nerve peak by
// at least `min_drop_mmhg` and `min_drop_fraction`, without raising the nerve peak by more than `min_drop_mmhg`; and
// it keeps the fit constraints -- toe allowance in
// [`min_toe_allowance_mm`, `max_toe_allowance_mm`] (literature.md G3; or closer to that range than the baseline), the
// heel region not rated "loose" (heel hold; unless it already was), no nerve's risk rank and no region's hotspot risk
// higher than before (no new hotspot elsewhere; a patch that overlaps a baseline hotspot of at least its risk is not
// new, whatever region its peak now falls in: Outcome::region_new_risk), and the highest hotspot peak on the foot not
// raised above the alarm line by more than `max_region_rise_fraction` of what it was. Ranked by worst risk after, nerve peak after (0.5 mmHg apart), sum
// of risk ranks after (ascending), then the simpler change first (lacing < tension < sock < width < size < last).
// A baseline whose worst nerve risk is at most `acceptable_risk` ("low": nothing above the 30 mmHg warning line over a
// nerve) and that keeps the fit constraints (toe allowance in range, heel not loose) gets one recommendation, "none":
// no change needed (its advice names any warning-level pressure away from the mapped nerves). One with acceptable
// nerves that breaks a fit constraint (e.g. a last far too long) is judged on the fit instead (Result::judged_on_fit):
// a change is accepted only when it brings the toe allowance into its range or at least 1 mm closer to it, or holds a
// loose heel (good or snug), under the same no-worse rules (nerve risks, nerve peak, no new hotspot); lacing and
// tension changes are not tried then (they keep the placement: neither length nor heel changes in the model). Ranked
// in range first, then by the toe allowance's distance from its range (whole mm, rounded up), heel hold, then as
// above; a note says so. Judged either way, a note names the last length that would fit when the toe allowance is
// out of range and no accepted change reaches it.
// Lacing and tension changes reuse the placement: heel hold is not re-checked for them (a note says so).
//
// All pressures are model estimates (see src/pressure, src/check): the ranking is relative; the absolute values carry
// the model's uncertainty.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "check/check.hpp"
#include "last/last.hpp"
#include "measure/measure.hpp"
#include "sock/sock.hpp"

namespace fitcheck::recommend {

/// What one `fitcheck check` run uses besides the scan. Steps are applied to the last at `last_path`.
struct Setting {
  std::string last_path;                 ///< the last's file (as given on the command line, or a catalog last); empty:
                                         ///< a sock alone (sock_path then stands where the last would)
  double size_step = 0;                  ///< US sizes (G1: 8.47 mm per size), a multiple of 0.5; [-3, 3]
  int width_step = 0;                    ///< width letters (G2: 6.35 mm ball girth each); [-4, 4]
  bool laces = true;
  std::string lacing = "criss-cross";    ///< lacing::parse_pattern text
  std::optional<double> lace_tension_n;  ///< empty: comfort lacing (check::Options::lace_to_comfort)
  std::string sock_path;                 ///< empty: no sock
  double sock_tension_scale = 1.0;       ///< factor on the sock's fabric tension per unit strain; (0, 1]
  double sock_thickness_scale = 1.0;     ///< factor on the sock's fabric thickness (the room it takes in the shoe); [0.1, 1]
  double run_minutes = 60.0;
  std::vector<std::string> input_args;   ///< how the inputs are read, passed through unchanged (--scan-units,
                                         ///< --last-units, --side, --max-file-mb)
  bool grades() const { return size_step != 0 || width_step != 0; }  ///< the last is graded (graded())
};

/// The arguments of `fitcheck check` that run `s` on `scan` (after "check"): scan, last, then options; numbers
/// written with enough digits to reproduce the run.
std::vector<std::string> check_args(const std::string& scan, const Setting& s);

/// The last graded by `size_step` US sizes and `width_step` width letters about its heel (returns `last` unchanged
/// for zero steps). The size it starts from is inferred from the stick length (last::infer_size).
last::Last graded(const last::Last& last, double size_step, int width_step);

/// `base` with the sock's tension per unit strain and thickness scaled (Error(usage) for a tension scale outside
/// (0, 1], a thickness scale outside [0.1, 1], or a thickness below the sock format's 0.1 mm).
sock::SockSpec scaled_sock(const sock::SockSpec& base, double tension_scale, double thickness_scale = 1.0);

struct Options {
  double min_toe_allowance_mm = 8.0;    ///< literature.md G3 (10-17 typical; 8 lets a half size down be tried); [0, 30]
  double max_toe_allowance_mm = 17.0;   ///< G3; [0, 40]
  double min_drop_mmhg = 2.0;           ///< smallest nerve-peak drop that counts as an improvement; [0, 50]
  double min_drop_fraction = 0.05;      ///< ... and as a fraction of the baseline's nerve peak; [0, 1]
  /// A change is turned down when it raises the highest hotspot peak on the foot (the top of
  /// Outcome::region_peak_mmhg, wherever it lies) above the alarm line (hotspots::Options::alarm_mmhg) and by more than
  /// this fraction of what it was. Away from the mapped nerves a
  /// hotspot's risk is "moderate" at most, so the no-new-hotspot rule let "half a size down, one width wider" double a
  /// 515 mmHg toe-box spot (review). An estimate: above the spread of a region's peak between nearby settings; [0.05, 5]
  double max_region_rise_fraction = 0.25;
  double window_reach_mm = 15.0;        ///< window lacing skips the rows within this of the hotspot peak (along x); [5, 60]
  std::string acceptable_risk = "low";  ///< a baseline at or below this worst nerve risk needs no change
  std::size_t max_recommendations = 5;  ///< [1, 50]
  std::size_t max_threads = 4;          ///< candidates simulated at once (up to the machine's cores); [1, 64]
  /// Catalog candidates (a catalog last as it is, or in the half size that fits; see "last" above) simulated in full
  /// when a catalog offers more (a screen, so that a kiosk's catalog answers in seconds): the ones whose forefoot
  /// girths squeeze the swollen foot least (catalog_screen, screen_before); 0 = simulate every one. [0, 10000]
  std::size_t catalog_shortlist = 12;
  /// Coarse screen (kiosk speed). When the foot's surface has more than twice this many vertices and more candidates
  /// are left to simulate than `full_shortlist`, every one is first simulated on a coarse copy of the foot
  /// (clean::simplify to about this many vertices) in the lasts as they are (sizes and widths by the grading map alone,
  /// last::graded_by_map) and judged against the baseline simulated the same way (without the no-new-hotspot rule,
  /// which the coarse foot's patches make unreliable). Only the best `full_shortlist` of the coarse ranking (the
  /// changes it accepts first, ranked as below, then the others by the same order) are simulated in full; every
  /// recommendation's figures are from the full simulation, so its args reproduce them. When the full simulation turns
  /// down shortlisted changes, the next ones the coarse judge accepted are simulated in full, as many at a time as are
  /// missing (at least one per thread), until min(full_shortlist, max_recommendations) are accepted or none is left
  /// (backfill). The rest are listed in `rejected` with their coarse estimate, so about `full_shortlist`
  /// recommendations come out (a few more when changes pass through: those turned down on the last's length alone by
  /// the map, or that fail on the coarse copy, go to the full step, which turns them down before simulating or
  /// reports the failure). Any failure of the screen itself falls back to simulating every change in full (a note
  /// says so). The lasts are not coarsened: coarse copies (vertex clustering pulls a convex toe box and heel cup
  /// inward, and leaves a few non-manifold edges) gave false toe-box and heel contact that turned good lasts down.
  /// 0 = every candidate in full. Off by default: it changes which changes are simulated in full. In
  /// tools/bench/screen_study (README Speed) its first recommendation was the exhaustive run's in every case where it
  /// ran (10), the first four in order in 4 of them at 3000 and 6 at 6000. [0] or [500, 1e6]
  std::size_t screen_vertices = 0;
  std::size_t full_shortlist = 4;       ///< [1, 50]; see screen_vertices
  bool lacing = true, tension = true, size = true, width = true, sock = true;
  void validate() const;                ///< throws Error(usage)
};

/// The forefoot of a shoe (vamp and toe box: the ball and the toes) covers the foot from here to the tip, fraction of
/// the foot length (the ball lies at 70-79 %, literature.md A6; src/pressure's vamp starts at 60 %). Wider than the
/// hotspots' "toe box" region label (from 75 %), which leaves the ball's sides to "medial"/"lateral".
constexpr double kForefootFromFraction = 0.60;

/// The catalog screen's view of one last (`fitcheck check --catalog`): the foot at the end of the run (swollen, foot
/// frame, pternion at x = 0) and the last (its frame, heel back point at x = 0) are cut at the same stations along
/// the forefoot (60-98 % of the foot length, every 2 %), and their convex girths compared -- the quantity the
/// upper's membrane tension follows (src/pressure). It sees no placement, toe box height, laces or heel: a screen,
/// not a prediction.
struct Screen {
  double rms_mm = 0;       ///< root mean square of (last girth - foot girth) over the stations, mm (1e9: the last
                           ///< does not reach a station the foot reaches)
  double max_strain = 0;   ///< largest (foot girth - last girth) / last girth over the stations, >= 0 (for the notes)
};
/// With `grade`: the screen of `last` graded by that map (its sections at x / s_L scaled by s_G, without grading the
/// mesh). Exact for the map up to the mesh's edges (grade_last moves vertices; a section crosses edges between them);
/// grade_last's graded last is also framed and measured again from scratch, so a simulation of it can differ slightly
/// from the screen (tested: rms within 0.1 mm).
Screen catalog_screen(const Geometry& swollen_foot, double foot_length_mm, const last::Last& last,
                      const last::GradeScales* grade = nullptr);
/// Screens ordered best first: a last that squeezes the foot less (max_strain in 0.5 % buckets), then, among equals,
/// the girths closest to the foot's (smaller rms_mm: the snug one before the roomy one).
bool screen_before(const Screen& a, const Screen& b);

/// How a check came out, for ranking.
struct Outcome {
  double peak_mmhg = 0;         ///< the highest skin pressure over a nerve's path during the run
  double field_peak_mmhg = 0;   ///< the highest pressure anywhere
  std::string risk = "none";    ///< worst nerve risk
  int risk_sum = 0;             ///< sum of the nerves' risk ranks
  std::string worst_nerve;      ///< the nerve with the worst risk (highest peak among equals)
  double forefoot_peak_mmhg = 0; ///< highest hotspot peak in the shoe's forefoot (peak at or ahead of
                                 ///< kForefootFromFraction of the foot length: ball and toes); 0 without one
  std::map<std::string, double> region_peak_mmhg;  ///< highest hotspot peak per region ("toe box", "instep", ...)
  std::map<std::string, int> region_risk;           ///< worst hotspot risk rank per region
  /// As region_risk, over the patches that are new or worse: no baseline hotspot of at least their risk shares a
  /// vertex with them (recommend fills it against its baseline; outcome_of copies region_risk). A patch that only
  /// split off a larger one keeps its risk out of here: the region label follows each patch's peak, so a piece of a
  /// big "instep" patch may be labelled "lateral" without being a new hotspot.
  std::map<std::string, int> region_new_risk;
  std::map<std::string, int> nerve_risk;            ///< risk rank per nerve
  std::map<std::string, double> nerve_peak_mmhg;    ///< peak per nerve
  double symptom_peak_mmhg = 0;  ///< highest peak over the nerves the runner's symptoms point to (Input::focus_nerves); 0 without
  double toe_allowance_mm = 0;
  std::string heel_rating;      ///< placement's heel region rating ("" without a last)
  double lace_tension_n = 0;
};
Outcome outcome_of(const check::Result& r);

struct Recommendation {
  int rank = 0;
  std::string change;            ///< short id: "none", "lacing window:5-6", "width +1", "size +0.5", "last NAME" (the
                                 ///< catalog file's stem; where names would repeat, its file name or path), ...
  std::string kind;              ///< none, lacing, tension, sock, width, size, size+width, last
  std::string advice;            ///< plain language
  Outcome before, after;
  Setting setting;
  std::vector<std::string> args; ///< check_args(scan, setting)
};

struct Rejected {
  std::string change, reason;
};

/// The evaluated candidate changes (for the benchmark and reports).
struct Result {
  Outcome baseline;
  bool no_change_needed = false;
  /// The nerves were already acceptable but a fit constraint was broken (toe allowance, heel hold): the changes were
  /// judged on the fit (see the header comment) and `notes` say so.
  bool judged_on_fit = false;
  std::string fit_problem;  ///< with judged_on_fit: what does not fit ("toe allowance 41.9 mm outside 8-17 mm ..."); else empty
  std::vector<Recommendation> recommendations;  ///< ranked; {"none"} when no change is needed
  std::vector<Rejected> rejected;               ///< candidates that did not help or broke a constraint, with why
  int candidates = 0;                           ///< checks simulated in full
  /// Changes considered: the simulated ones, those turned down before simulation because the last's length alone puts
  /// the toe allowance out of range (and further out than now), catalog candidates the screen left out
  /// (Options::catalog_shortlist), those the coarse screen left out (Options::screen_vertices), and those whose
  /// simulation failed (all in `rejected`).
  int considered = 0;
  int screened_out = 0;                         ///< catalog candidates the screen left out (not simulated)
  int coarse_simulated = 0;                     ///< candidates simulated on the coarse copies (Options::screen_vertices)
  int coarse_screened_out = 0;                  ///< of which not simulated in full (in `rejected`)
  std::size_t coarse_foot_vertices = 0;         ///< the coarse foot's vertex count; 0 when there was no coarse screen
  std::vector<std::string> notes;
};

/// A last of a catalog, prepared, with the path its args use.
struct CatalogLast {
  std::string path;
  const last::Last* last = nullptr;
};

struct Input {
  const measure::ScanResult* scan = nullptr;
  std::string scan_path;                 ///< for the args
  const last::Last* last = nullptr;      ///< the last at base.last_path as prepared, NOT graded (base's steps are
                                         ///< applied here, as `fitcheck check --size-step/--width-step` does); null
                                         ///< for a sock alone (options.sock and base.sock_path set, base.last_path
                                         ///< empty): then only the sock's compression is changed
  Setting base;
  check::Options options;                ///< base's check options (sock, lacing, run, ...)
  const check::Result* baseline = nullptr;  ///< check::run(scan, last, options)
  std::vector<CatalogLast> catalog;
  /// Nerves the runner's symptoms point to (src/symptoms nerves_to_watch); when not empty, changes are ranked first by
  /// the pressure over these nerves (after the worst risk), so the advice answers the complaint.
  std::vector<std::string> focus_nerves;
};

/// Orders accepted changes, best first: the worst nerve risk after the change; with symptoms (`focus`), the highest
/// peak over the nerves they point to (Outcome::symptom_peak_mmhg); the highest peak over any nerve; the sum of the
/// nerves' risk ranks; the simpler kind of change (lacing before tension, sock, width, size, size+width, last). Peaks
/// compare by 0.5 mmHg buckets (floor(peak / 0.5)), so rounding noise does not reorder. Stable: equals keep their order.
/// With `toe_range` (min, max toe allowance, mm; given when the shoe's length is wrong), a change whose toe allowance
/// after lies in it comes before one whose does not, right after the worst risk.
void rank(std::vector<Recommendation>& recs, bool focus, std::optional<std::pair<double, double>> toe_range = {});

/// Simulates the candidates and ranks them. Throws Error(usage) for bad options, an input without a baseline, or
/// without a last and not a sock alone (a sock alone has no catalog).
Result recommend(const Input& in, const Options& options = {});

}  // namespace fitcheck::recommend
