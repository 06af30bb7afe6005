// Stage `check`: the main job, wired from the stages (ARCHITECTURE.md pipeline): the measured foot, the prepared last
// and/or a sock -> placement -> swelling over the run -> pressure at each time point -> hotspots over nerves.
//
// Time points: 0, 5, 10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360 ... min up to the run length, plus the run's
// end. The swelling is applied to the foot in the foot frame and carried into the last by each vertex's pose
// rotation (place::Result::local_rotation), so the foot is placed once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "hotspots/hotspots.hpp"
#include "lacing/lacing.hpp"
#include "last/last.hpp"
#include "measure/measure.hpp"
#include "nerves/nerves.hpp"
#include "place/place.hpp"
#include "pressure/pressure.hpp"
#include "sock/sock.hpp"
#include "swell/swell.hpp"

namespace fitcheck::check {

struct Options {
  double run_minutes = 60.0;           ///< run length, min; [0, 1440]
  bool laces = true;                   ///< a laced shoe (false: slip-on / no laces)
  lacing::Options lacing;              ///< pattern and friction; its lace_tension_n counts only when
                                       ///< lace_to_comfort is false
  /// Comfort lacing (default): runners tie their laces to the resting foot before the run (literature.md S4) and
  /// tighten until the laces feel snug, not until they hurt. The lace tension is solved so that the laces alone give
  /// `lace_comfort_mmhg` at their highest point on the resting foot (lace pressure is linear in the tension). The
  /// default, 15 mmHg, lies below the caution line of the N grading (20 mmHg; venular flow is disturbed from 20-30
  /// mmHg, literature.md N1, N3): a MODEL ANCHOR, not a measurement (dorsal kPa under laces were not retrieved, P1,
  /// P5b). The solved tension is kept for the whole run (the laces do not retie themselves as the foot swells; the
  /// swollen girth loads the upper's lace zone through the membrane term). False: `lacing.lace_tension_n` as given.
  bool lace_to_comfort = true;
  double lace_comfort_mmhg = 15.0;     ///< [2, 40] mmHg; estimate, see above
  std::optional<sock::SockSpec> sock;  ///< worn sock (alone when no last is given)
  swell::Options swell;
  place::Options place;
  pressure::Options pressure;
  hotspots::Options hotspots;
  void validate() const;               ///< throws Error(usage)
};

/// The run's time points, min.
std::vector<double> time_points(double run_minutes);

/// The foot's half of a check, which does not depend on the shoe or the sock: the surface (a point cloud's Poisson
/// surface), the nerve atlas, the time points and the swollen foot at each. Checks of one foot in other lasts, sizes
/// or socks (recommendations, catalogs) share it instead of computing it again.
struct FootModel {
  Geometry foot;                      ///< resting surface, foot frame
  double foot_length_mm = 0;
  nerves::Atlas atlas;
  std::vector<double> minutes;
  std::vector<swell::State> states;   ///< one per minute
  std::vector<std::string> warnings;
  std::vector<std::pair<std::string, double>> timings_ms;
  // What it was made with: run() refuses options that differ in these.
  double run_minutes = 0;
  swell::Options swell;
  nerves::Options nerves;
  /// True when a check with `options` may use this model (same run minutes, swelling and nerve options).
  bool made_with(const Options& options) const;
};

/// The foot's half of the check of `scan` under `options` (run_minutes, swell, hotspots.nerves).
FootModel model_foot(const measure::ScanResult& scan, const Options& options);

struct Result {
  Geometry foot;                           ///< the resting foot mesh in the foot frame (vertex order of every field)
  double foot_length_mm = 0;
  std::optional<place::Result> fit;        ///< with a last
  lacing::Layout layout;                   ///< with a laced last
  double lace_tension_n = 0;               ///< the tension used (solved for comfort lacing or as given), N; 0 without laces
  std::vector<double> minutes;
  std::vector<Geometry> feet;              ///< the swollen foot per time point (last frame with a last, else foot frame);
                                           ///< in a shoe over a sock, offset outward by the sock's thickness (what
                                           ///< the shoe sees)
  std::vector<pressure::Field> fields;     ///< per time point
  std::vector<double> peak_kpa;            ///< per vertex, the highest pressure over the run
  nerves::Atlas atlas;
  hotspots::Result hot;
  std::vector<std::string> assumptions, warnings;
  std::vector<std::pair<std::string, double>> timings_ms;  ///< wall time per step of run(), ms (diagnostics); the
                                                           ///< foot's steps only when this run made the foot model
  std::shared_ptr<const FootModel> foot_model;              ///< the foot's half, for further checks of this foot
};

/// Runs the check. `last` may be null when `options.sock` is set (a sock alone). Throws Error(usage) when neither is.
Result run(const measure::ScanResult& foot, const last::Last* last, const Options& options);

/// The same check with the foot's half given (from model_foot(foot, options) or a previous Result::foot_model): the
/// same numbers as run(foot, last, options). Throws Error(usage) when `model` was made with other run minutes, swelling
/// or nerve options.
Result run(const measure::ScanResult& foot, std::shared_ptr<const FootModel> model, const last::Last* last,
           const Options& options);

/// The same check with other laces on the same foot in the same last: `base` must come from run() with `last`
/// (placement, swelling and the non-lace pressure parts are reused; only the lace pressure and the hotspots are
/// computed again). `o` differs from base's options in laces/lacing/lace tension only (comfort lacing is solved again
/// on the resting foot). Gives the same numbers as run() with `o`. Throws Error(usage) when `base` has no placement.
Result relace(const Result& base, const last::Last& last, const Options& o);

/// The seed's red flags (shared/seed/why-legs-go-numb.txt): signs that need a clinician, not a shoe change.
std::vector<std::string> red_flags();

}  // namespace fitcheck::check
