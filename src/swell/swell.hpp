// Stage `swell`: the running foot over time (ARCHITECTURE.md stage 7; literature.md S1-S8).
//
// Input: a closed foot mesh in the foot frame (foot/foot.hpp) with its landmarks (measure/measure.hpp). Output: the
// same mesh (same vertices, same faces, same order) at each requested minute of a run, in the foot frame, mm.
//
// Model (every number is an option; defaults are fitted to the literature lines named and are ESTIMATES):
//   volume change V(t), % of the resting volume:
//     V(t) = k x P x (1 - exp(-t / tau))  -  D x max(0, t - t_late) / 60,   floored at -max_loss_pct
//     k = intensity x conditions. Defaults P = 3.5 %, tau = 5 min give +3.0 % at 10 min (S1: ~+3 % after 10 min of
//     running; S3: 15 min of running more than walking). D = 3.5 %/h after t_late = 90 min brings a 35 km run
//     (~180 min) to -1.7 % (S4: volume -1.7 % after 35 km). S5 (100 km, volume unchanged, change rising with fluid
//     intake): set late_loss_pct_per_hour to 0 for a well-hydrated runner.
//   distribution: every cross-section (x = const) grows about its centre, each point in proportion to a regional
//     weight -- dorsum and toes `dorsal_weight`, plantar surface `plantar_weight`, the rest `side_weight` (dorsum and
//     toes swell more than the plantar pad, which is bound by fascia and loaded; S8: cross-sectional swelling) --
//     with the weights smoothed over the mesh; the growth is solved so the enclosed volume changes by exactly V(t)
//     relative to the resting foot.
//   arch drop: the medial midfoot (navicular region) sinks by arch_drop_mm_per_hour x t / 60 (S4: navicular height
//     -1.5 mm after ~3 h), fading to zero over the heel and the forefoot.
//   stance splay: running loads the foot: length +splay_length_pct (S7: adults +1.3 % from no load to full load),
//     forefoot width +splay_forefoot_width_pct about the foot axis ahead of mid-foot (S7: +9.7-10.4 % at 80 % body
//     weight in a diabetic cohort is an upper bound); applied at every time point, including minute 0.
//
// Errors: Error(invalid_input, "swell") for a point cloud, an open mesh or a foot without landmarks; Error(usage) for
// options out of range; Error(did_not_converge) when the volume cannot be matched.
#pragma once

#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "measure/measure.hpp"

namespace fitcheck::swell {

struct Options {
  double intensity = 1.0;                 ///< pace factor k1: 0.5 walking .. 1 steady running .. 1.3 racing; [0, 2]
  double conditions = 1.0;                ///< heat/humidity factor k2: 0.8 cool, 1 temperate, 1.3 hot; [0.5, 2]
  double plateau_volume_pct = 3.5;        ///< P: volume gain approached during the run, %; [0, 15]
  double time_constant_min = 5.0;         ///< tau, min; [0.5, 120]
  double late_start_min = 90.0;           ///< t_late: when late fluid loss starts, min; [0, 1440]
  double late_loss_pct_per_hour = 3.5;    ///< D, %/h; [0, 20]
  double max_loss_pct = 3.0;              ///< floor of V(t) below the resting volume, %; [0, 10]
  double dorsal_weight = 1.0;             ///< share of the offset on the dorsum and toes; [0, 5]
  double side_weight = 0.6;               ///< on the sides and the heel; [0, 5]
  double plantar_weight = 0.3;            ///< on the plantar surface; [0, 5]
  double arch_drop_mm_per_hour = 0.5;     ///< navicular sink rate, mm/h; [0, 5]
  double splay_length_pct = 1.0;          ///< stance elongation, % of foot length; [0, 5]
  double splay_forefoot_width_pct = 3.0;  ///< stance widening of the forefoot, %; [0, 12]
  void validate() const;                  ///< throws Error(usage)
  bool operator==(const Options&) const = default;
};

/// V(t): volume change at `minute` of the run, % of the resting volume.
double volume_change_pct(double minute, const Options& options = {});

struct State {
  double minute = 0;
  Geometry foot;                 ///< same topology and vertex order as the input
  double volume_change_pct = 0;  ///< achieved (mesh volume), %
  double target_volume_pct = 0;  ///< V(t)
  double growth = 0;             ///< relative radial growth of the sections where the weight is 1
  double arch_drop_mm = 0;
};

/// The foot at each minute (ascending, >= 0). Precondition: `foot` closed, in the foot frame, measured into `m`.
std::vector<State> simulate(const Geometry& foot, const measure::Result& m, const std::vector<double>& minutes,
                            const Options& options = {});

/// Assumptions the report must state (one sentence each).
std::vector<std::string> assumptions(const Options& options = {});

}  // namespace fitcheck::swell
