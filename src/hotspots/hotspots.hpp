// Stage `hotspots`: where and for how long the pressure is high, and over which nerve (ARCHITECTURE.md stage 9;
// literature.md N1-N7 for the thresholds, A1-A6 via src/nerves for the nerves).
//
// Grading of skin pressure (literature.md N, suggested grading): < 20 mmHg ok; 20-30 caution (venular flow, N1);
// 30-50 warning (paresthesia zone, fast axonal transport blocked after 2 h at 30, N3/N5; capillary closing ~32, N6);
// >= 50 alarm (intraneural flow stops 50-70, N2). Dose: minutes above 30 mmHg.
// A hotspot is a connected patch of the foot surface whose pressure reaches the caution level at some time point and
// whose area above caution reaches `min_area_mm2` at its peak.
// Per hotspot: region label (toe box, dorsum, instep, medial, lateral, heel by the peak's place on the foot; behind
// 25 % of the length and more than kHeelTopMm above the sole -- the ankle and lower leg a sock or a collar reaches --
// ankle), the
// nerve under it (src/nerves: of the nerves with part of the patch within `near_mm`, the one whose part, graded in
// full, has the highest risk, then the highest pressure during the run, then most of the patch), peak (kPa and mmHg, over time),
// area and area-weighted mean at the peak time, the first minute the patch reaches caution (linear between time
// points), minutes above 30 mmHg (above `warning_mmhg`, 30 by default; of the patch's maximum, linear between time
// points), level, risk.
// Risk: alarm -> high; warning with >= 30 min above 30 mmHg -> high; warning -> moderate; caution -> low; one step
// lower when no nerve lies under the patch. A hotspot's risk is the higher of its peak graded one step lower (not
// over the nerve) and the part of the patch over its nerve graded in full (nerve_peak_mmhg, its own dose). How much skin pressure reaches a nerve is unknown (literature N): the
// risk is a screening flag, not a diagnosis.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "nerves/nerves.hpp"

namespace fitcheck::hotspots {

enum class Level { ok, caution, warning, alarm };
const char* level_name(Level l) noexcept;

struct Options {
  double caution_mmhg = 20.0;  ///< literature.md N1 (venular flow 20-30), N4 (20 mmHg for 8 h: no effect)
  double warning_mmhg = 30.0;  ///< N3/N5 (30 mmHg: paresthesia, blocked axonal transport over 2 h)
  double alarm_mmhg = 50.0;    ///< N2 (intraneural circulation stops at 50-70)
  double high_dose_min = 30.0; ///< minutes above warning_mmhg that make a warning a high risk; estimate; [1, 600]
  double min_area_mm2 = 20.0;  ///< patches smaller than this at their peak (about one in-shoe sensor cell, 5 x 5 mm) are
                               ///< not reported: single mesh vertices at a scan's tips are not a pressure area; [0, 1000]
  nerves::Options nerves;      ///< near_mm: how close a nerve path must be to count as "under" a patch
  void validate() const;       ///< throws Error(usage)
};
Level level_of(double mmhg, const Options& o = {});
/// "none" 0, "low" 1, "moderate" 2, "high" 3 (for ranking and comparisons); -1 for any other text.
int risk_rank(const std::string& risk) noexcept;
/// The inverse of risk_rank: 0..3 -> "none" .. "high" (clamped into the range).
std::string risk_name(int rank);

struct Hotspot {
  std::string region, nerve, nerve_label;
  double peak_kpa = 0, peak_mmhg = 0, mean_mmhg = 0, area_mm2 = 0;
  double nerve_peak_mmhg = 0;  ///< the patch's peak over its nerve's path (vertices nearest that nerve); 0 without a nerve
  double peak_minute = 0, first_minute = 0, minutes_above_30mmhg = 0;
  Eigen::Vector3d peak_position_mm = Eigen::Vector3d::Zero();  ///< foot frame
  int peak_vertex = -1;
  std::string level, risk;
  std::vector<int> vertices;  ///< the patch
};
struct TimelineEntry {
  double minute = 0, peak_kpa = 0, peak_mmhg = 0;
  std::string peak_region;
};
struct NerveRisk {
  std::string nerve, label, literature;
  double peak_mmhg = 0, minutes_above_30mmhg = 0;
  std::string level, risk;
};
struct Result {
  std::vector<Hotspot> hotspots;  ///< highest peak first
  std::vector<TimelineEntry> timeline;
  std::vector<NerveRisk> nerves;  ///< every nerve of the atlas
};

/// `foot`: the foot mesh in the foot frame (for adjacency, areas, regions; vertex order as the pressure fields);
/// `minutes` ascending with one pressure field (kPa per vertex) each.
Result find(const Geometry& foot, double foot_length_mm, const std::vector<double>& minutes,
            const std::vector<std::vector<double>>& kpa, const nerves::Atlas& atlas, const Options& options = {});

/// Above this height over the sole, behind 25 % of the foot length, a point is labelled "ankle", not "heel", mm: the
/// height of the heel counter (src/pressure's contact zone), so that what the counter holds is the heel.
constexpr double kHeelTopMm = 50.0;

/// Region label of a point of the foot (foot frame) given the foot's length, mid-line and sole/top heights there.
std::string region_label(const Geometry& foot, double foot_length_mm, const Eigen::Vector3d& p);

}  // namespace fitcheck::hotspots
