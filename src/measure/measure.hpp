// Stage `measure`: landmarks and foot measurements in the foot frame (see foot/foot.hpp), with the definitions of
// literature.md G5 where it gives one and the stated approximations where it does not.
//
// All positions in the foot frame, mm. L = foot length.
//   pternion          centre of the rear-most millimetre of the heel below 50 mm (x = 0 by construction)
//   akropodion        most anterior point (tip of the longest toe)
//   mth1_medial       most medial point (max y) with x in [62, 80] % L: medial prominence of the 1st metatarsal head
//                     (literature A6: the joint at 70-79 %; beyond 80 % the big toe may stick out further medially)
//   mth5_lateral      most lateral point (min y) with x in [55, 75] % L: lateral prominence of the 5th metatarsal head
//   instep            highest point of the cross-section at 55 % L
//   navicular         most medial point of the cross-section at 43 % L between 10 and 70 mm high (approximation of
//                     the navicular tuberosity; a surface scan does not show bone)
//   malleolus_medial / malleolus_lateral  most medial / lateral points with x in [5, 35] % L and z in [40, 120] mm,
//                     only when the scan reaches at least 15 mm above them
// Measurements:
//   foot_length_mm       akropodion.x - pternion.x (parallel to the foot axis, G5)
//   ball_width_mm        horizontal distance mth1_medial - mth5_lateral (G5)
//   heel_width_mm        widest breadth for x in [5, 22] % L below 40 mm height
//   ball_girth_mm        convex (tape) perimeter of the vertical section through mth1_medial and mth5_lateral (G5)
//   instep_girth_mm      convex perimeter of the section perpendicular to the axis at 55 % L
//   arch_height_mm       navicular.z
//   dorsal_height_50_mm  highest point of the section at 50 % L
//   toe_box_height_mm    highest point with x in [85, 95] % L
//   volume_cm3           enclosed volume below the top cut (meshes; point clouds after reconstruction)
// Sections of meshes are exact plane-triangle intersections; of point clouds, points within +-section_slab_mm.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "clean/clean.hpp"
#include "core/geometry.hpp"
#include "foot/foot.hpp"

namespace fitcheck::measure {

struct Options {
  double section_slab_mm = 1.5;  ///< point clouds: half-thickness of the slab taken as a section, mm; [0.2, 10]
  double top_cut_mm = 0.0;       ///< volume counts the foot below this height, mm; 0 = up to the scan's top; [0, 400]
  void validate() const;         ///< throws Error(usage)
};

struct Landmark {
  std::string name;
  Eigen::Vector3d position_mm = Eigen::Vector3d::Zero();
  double confidence = 0.0;  ///< 0..1: how well the definition can be applied to this scan
};

struct Measurements {
  double foot_length_mm = 0, ball_width_mm = 0, heel_width_mm = 0, ball_girth_mm = 0, instep_girth_mm = 0,
         arch_height_mm = 0, dorsal_height_50_mm = 0, toe_box_height_mm = 0;
  std::optional<double> volume_cm3;  ///< empty when the surface is not closed enough to enclose a volume
};

struct Result {
  Measurements measurements;
  std::vector<Landmark> landmarks;
  std::vector<std::string> warnings;
  const Landmark* find(const std::string& name) const;
};

/// Measures a foot already in the foot frame (foot::align_foot). Throws Error(invalid_input) when a section is
/// empty (the scan misses the part a measurement needs).
Result measure_foot(const Geometry& aligned, const Options& options = {});

/// The whole foot-scan path: clean (point clouds), foot frame, cut the leg above the ankle, foot frame again on what
/// is left (a leg biases the first one), measure.
struct ScanOptions {
  clean::Options clean;
  foot::FrameOptions frame;
  Options measure;
  double leg_cut_pct = 42.0;  ///< cut height above the sole as % of foot length (above the malleoli); [25, 100]
};
struct ScanResult {
  foot::FootFrame frame;           ///< final frame; to_foot_frame maps the input (mm) to it
  Result result;
  std::vector<std::string> steps;  ///< cleaning and cutting, for the report
};
ScanResult measure_scan(const Geometry& scan_mm, const ScanOptions& options = {});

/// Points where the plane (point `origin`, unit `normal`) cuts the surface: exact for meshes, a slab for clouds.
std::vector<Eigen::Vector3d> section(const Geometry& g, const Eigen::Vector3d& origin, const Eigen::Vector3d& normal,
                                     double slab_mm);

/// section() of a mesh with the planes x = xs[k] (normal +x) for many k in one pass over the faces: the same points in
/// the same order as section(g, (xs[k], 0, 0), +x, slab) for each k (clouds: the slab rule per plane). `xs` must ascend.
std::vector<std::vector<Eigen::Vector3d>> sections_along_x(const Geometry& g, const std::vector<double>& xs, double slab_mm);

/// Perimeter of the 2D convex hull of `points` projected on the plane with unit `normal` (a tape measure), mm.
double convex_perimeter(const std::vector<Eigen::Vector3d>& points, const Eigen::Vector3d& normal);

/// The closed surface of a point-cloud foot in the foot frame (sole plane z = 0): its Poisson surface
/// (clean::reconstruct_surface) standing on the sole plane -- vertices below z = 0 are lifted onto it. A phone does not
/// see the sole of a standing foot; Poisson then bulges out of the open bottom, below the plane the foot stands on,
/// which no foot does (the bulge read as 23 % more volume and pushed the foot up into the upper). Likewise at the top:
/// vertices above the cloud's highest point (the leg cut) are lowered onto its height, a flat cap like the one a mesh
/// scan's cut gets (clean::fill_holes). Poisson domed the open cut 4-7 mm above it, into the last's instep: a
/// 60k-point cloud of the find-template mesh read 36.5 mmHg (risk high) over the superficial peroneal nerve at
/// z = 111.5 mm, above the 108 mm cut, where the mesh reads 18.5 over any nerve (review; 17.7 over that nerve after).
Geometry cloud_surface(const Geometry& aligned_cloud);

/// Volume enclosed by the mesh below the plane z = cut_z (the part above is clipped away and the cut capped), mm^3.
/// Exact for a closed, outward-oriented mesh; for an open one the result is refused by the caller via topology.
double volume_below(const Geometry& mesh, double cut_z);

}  // namespace fitcheck::measure
