// Stage `check`: the main job, wired from the stages (ARCHITECTURE.md pipeline): the measured foot, the prepared last
// and/or a sock -> placement -> swelling over the run -> pressure at each time point -> hotspots over nerves.
//
// Time points: 0, 5, 10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360 ... min up to the run length, plus the run's
// end. The swelling is applied to the foot in the foot frame and carried into the last by each vertex's pose
// rotation (place::Result::local_rotation), so the foot is placed once.
#pragma once

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
  lacing::Options lacing;
  std::optional<sock::SockSpec> sock;  ///< worn sock (alone when no last is given)
  swell::Options swell;
  place::Options place;
  pressure::Options pressure;
  hotspots::Options hotspots;
  void validate() const;               ///< throws Error(usage)
};

/// The run's time points, min.
std::vector<double> time_points(double run_minutes);

struct Result {
  Geometry foot;                           ///< the resting foot mesh in the foot frame (vertex order of every field)
  std::optional<place::Result> fit;        ///< with a last
  lacing::Layout layout;                   ///< with a laced last
  std::vector<double> minutes;
  std::vector<Geometry> feet;              ///< the swollen foot per time point (last frame with a last, else foot frame)
  std::vector<pressure::Field> fields;     ///< per time point
  std::vector<double> peak_kpa;            ///< per vertex, the highest pressure over the run
  nerves::Atlas atlas;
  hotspots::Result hot;
  std::vector<std::string> assumptions, warnings;
};

/// Runs the check. `last` may be null when `options.sock` is set (a sock alone). Throws Error(usage) when neither is.
Result run(const measure::ScanResult& foot, const last::Last* last, const Options& options);

/// The seed's red flags (shared/seed/why-legs-go-numb.txt): signs that need a clinician, not a shoe change.
std::vector<std::string> red_flags();

}  // namespace fitcheck::check
