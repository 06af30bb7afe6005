// Stage `nerves`: an atlas of the foot nerves that footwear compresses (literature.md A1-A6), placed on a scanned
// foot from its landmarks (measure/measure.hpp), and the query "which nerve lies under this surface point".
//
// Frame and units: the foot frame of foot/foot.hpp (right-foot convention, medial +y, sole z = 0, pternion x = 0,
// +z up; a left foot arrives mirrored), millimetres. L = foot length = akropodion.x - pternion.x. Stations are % of
// L from the pternion. Every number not in literature.md is a named estimate in nerves.cpp with its reason.
//
// Reference lines built from the landmarks:
//   MTP line   from the medial ball point (y of mth1_medial; its x kept within 70-79 % L, A6) to the lateral one
//              (y of mth5_lateral; its x kept within 60-70 % L around the lateral MTP joints' ~63-66 %); a landmark
//              outside its range is clamped with a warning and lower confidence.
//   positions across the breadth at the MTP line, fraction from the medial ball point: webs 1, 2, 3 at 0.40, 0.60,
//              0.73; toe lines 2 and 4 at 0.54, 0.78; 1st metatarsal head centre 0.18 (estimates: see nerves.cpp).
//   ray lines  from the pternion through such a position on the MTP line (the rays fan out from the hindfoot).
//   ankle      the malleoli when measure found both, at least 50 mm high and 35 mm apart; otherwise an estimated
//              ankle at 18 % L and 25 % L high (its malleoli = the outermost surface points to either side), with a
//              warning and confidence 0.2 for it.
// Nerves, in this order (name, literature.md line, path):
//   deep_peroneal                      A1  ankle front midway between the malleoli -> dorsum over the talonavicular
//                                          joint (42 % L, on the 1st-web ray line) -> dorsal 1st web on the MTP line
//   superficial_peroneal_medial        A2  ankle front halfway from the lateral to the medial malleolus -> dorsum at
//                                          50 % L -> dorsal MTP line on the 2nd toe line (toward toes 1-3)
//   superficial_peroneal_intermediate  A2  ankle front one third from the lateral malleolus -> dorsum at 50 % L ->
//                                          dorsal MTP line on the 4th toe line (toward toes 3-5)
//   sural                              A3  14 mm behind and 14 mm below the lateral malleolus tip (10 mm below its
//                                          prominence) -> lateral border -> 5th metatarsal tuberosity (47 % L, 6 % L
//                                          high) -> lateral MTP -> side of the little toe (8 % L further, 4.5 % L high)
//   interdigital_2nd_web / _3rd_web    A4  webs 2 and 3, from 5 mm behind to 5 mm ahead of the MTP line along their
//                                          ray lines, drawn on the DORSAL skin over the intermetatarsal space (the
//                                          skin a toe box presses on; the nerve itself lies deep, plantar to the deep
//                                          transverse metatarsal ligament)
//   joplin                             A5  plantar-medial 1st MTP joint, 10 mm behind to 20 mm ahead of it
// Ankle front: where a line from the malleolar-line point, 30 deg above +x, leaves the surface, if that is within
// 15-40 % L and below the top of the scan (a cut) by 3 mm; otherwise the dorsal point on the same y, from 27 % L
// forward, that is below the top of the scan (a leg or flat cut covers the ankle front), with a warning.
//
// Putting paths on the surface: a station is the outermost crossing of a line with the surface -- meshes: exact
// line-triangle intersections; point clouds: the cloud point nearest the line among those within 2.5 mm of it (up
// to 10 mm) and within 1 mm of the outermost -- dorsal stations along +z through (x, y) (the highest surface point
// over it), sural stations along -y through (x, z), Joplin's along the 45 deg plantar-medial diagonal. Between
// stations the polyline is resampled every <= 4 mm: between stations of the same kind each sample gets the same
// kind of line, otherwise it moves to the nearest surface point (meshes: on the triangles; clouds: nearest cloud
// point). A line that misses the surface falls back to the nearest surface point (one warning per nerve,
// confidence x 0.8 per miss). Every path point is therefore on the surface (clouds: a cloud point).
//
// Confidence: the mean of the confidences of the landmarks a nerve uses (measure's, 0.2 for an estimated ankle),
// x 0.8 for a clamped ball landmark, x 0.5 on the ankle term for an ankle front from the dorsal fallback, x 0.8 per
// missed line. Landmarks used: deep_peroneal ankle + ball points + pternion; superficial branches ankle + ball
// points; sural lateral malleolus + mth5 + pternion; interdigitals ball points; joplin mth1. The navicular is only a
// check (the talonavicular station must lie lateral of it, else a warning); instep is not needed.
//
// Errors: Error(usage, "nerves") for a bad option; Error(invalid_input, "nerves") when the geometry is empty, not
// finite or has a face index out of range, when pternion, akropodion, mth1_medial or mth5_lateral is missing or not
// finite, when the foot length is not positive, or when mth1_medial is not medial (+y) of mth5_lateral. Every output
// coordinate is finite (else Error(internal)).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "measure/measure.hpp"

namespace fitcheck::nerves {

struct Options {
  double near_mm = 12.0;  ///< a surface point within this distance of a nerve path lies "over" it, mm; [1, 40]
  void validate() const;  ///< throws Error(usage, "nerves") naming the bad field and value
  bool operator==(const Options&) const = default;
};

struct Nerve {
  std::string name;        ///< "deep_peroneal", "superficial_peroneal_medial", "superficial_peroneal_intermediate",
                           ///< "sural", "interdigital_2nd_web", "interdigital_3rd_web", "joplin"
  std::string literature;  ///< literature.md line: "A1", "A2", ...
  std::string label;       ///< plain words for reports, e.g. "deep peroneal nerve (top of the foot, 1st web space)"
  std::vector<Eigen::Vector3d> path_mm;  ///< polyline ON the foot surface (points snapped to the nearest surface
                                         ///< point), foot frame, mm, >= 2 points
  double confidence = 0;                 ///< 0..1, lower when the landmarks it relies on are missing or estimated
};

struct Atlas {
  std::vector<Nerve> nerves;          ///< the 7 nerves above, in that order
  std::vector<std::string> warnings;  ///< estimated landmarks, clamped stations, lines that missed the surface
};

/// Places the atlas on a foot in the foot frame (foot::align_foot; right-foot convention, medial +y, sole z = 0,
/// pternion x = 0), using measure::measure_foot's landmarks (pternion, akropodion, mth1_medial, mth5_lateral,
/// instep, navicular, malleoli if present). `foot` is the geometry the landmarks were measured on (mesh or cloud).
/// Throws Error(usage) for bad options, Error(invalid_input) as described at the top of this file.
Atlas build_atlas(const Geometry& foot, const measure::Result& landmarks, const Options& options = {});

/// Distance reported for a point with no nerve path within options.near_mm, mm.
inline constexpr double kNoNerveDistanceMm = 1e9;

/// For each point: index into atlas.nerves of the nearest nerve path within options.near_mm (else -1) and the
/// distance to that path (mm; kNoNerveDistanceMm = 1e9 when none). Distances are to the polyline segments.
/// Ties go to the lower index. Throws Error(usage) for bad options, Error(invalid_input) for a non-finite point.
struct Nearest {
  std::vector<int> nerve;
  std::vector<double> distance_mm;
};
Nearest nearest_nerves(const Atlas& atlas, const std::vector<Eigen::Vector3d>& points, const Options& options = {});

}  // namespace fitcheck::nerves
