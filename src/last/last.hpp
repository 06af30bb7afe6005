// Stage `last`: the last frame, last measurements and grading (ARCHITECTURE.md stage 5; literature.md G1-G3).
//
// Input: a last (the inside shape of a shoe) as a mesh or point cloud in mm. Point clouds are cleaned and closed by a
// Poisson surface first; open meshes get their holes filled (CGAL), so every later step sees a closed mesh.
//
// Last frame (mm, right-foot convention like the foot frame: medial side +y; left lasts are mirrored and `side`
// says so):
//   1. resting pose: the plane the last stands on when put on a table (the convex-hull facet the foot frame uses,
//      foot/foot.hpp); x along the last's centre line, which runs through the centroids of the vertices in its rear
//      and front 3 % of length (y = 0 on it);
//   2. tread point: the bottom centre line under the ball line (midway between the medial and lateral joint points,
//      i.e. the most medial point at 62-80 % and the most lateral at 55-75 % of the length, as for feet);
//   3. design pose: the last is pitched about the tread so that the bottom is level there (a line fitted to the bottom
//      centre line over `tread_window_pct` of the length around the tread) and the tread is at z = 0. This is the
//      pose a shoe stands in: the ground touches the tread; the heel seat stands at the heel height and the toe at the
//      toe spring above it;
//   4. heel back point (rearmost point below 50 mm above the heel seat) at x = 0.
// The bottom profile is the lowest point of the convex hull of each cross-section (normal +x) at the section's
// middle breadth, sampled every 1 % of the stick length: it is the bottom centre line.
//
// Measurements (L = stick length):
//   stick_length_mm     extent along x from the heel back point to the toe tip (a size stick)
//   heel_height_mm      bottom profile height at `heel_seat_pct` of L (back of the heel seat)
//   toe_spring_mm       bottom profile height at `toe_spring_pct` of L (under the toe tip)
//   ball_girth_mm       convex (tape) perimeter of the vertical section through both joint points
//   ball_width_mm       horizontal distance between the joint points
//   bottom_width_mm     breadth of the ball section between its featherline points, where the lower convex hull
//                       of the section turns steeper than 45 deg
//   instep_girth_mm     convex perimeter of the section perpendicular to x at `instep_pct` of L
//   waist_girth_mm      convex perimeter of the section perpendicular to x midway between the tread and the instep
//                       station
//   heel_to_ball_mm     x of the medial joint point (heel back point to the 1st joint)
//   heel_width_mm       widest breadth for x in [5, 22] % of L within 40 mm above the bottom
//   toe_box_height_mm   largest height above the bottom profile for x in [85, 95] % of L
//   volume_cm3          enclosed volume
//
// Grading (grade_last): in the last frame, x -> s_L x (heel back point fixed), y -> s_G y and the height above the
// bottom profile -> s_G times itself (z -> b(x) + s_G (z - b(x)), b = bottom profile), so heel height and toe spring
// keep their shape and the heel stays put. s_L adds the length step of G1 to the stick length; s_G is solved so
// that the ball girth grows by the G2 step (6.5 mm per full US size, 6.35 mm per width letter; other systems by
// their length step, src/size).
//
// Errors: Error(invalid_input, "last") when the shape is not last-like (see foot frame) or the sections the
// measurements need are empty; Error(usage) for bad options.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "clean/clean.hpp"
#include "core/geometry.hpp"
#include "foot/foot.hpp"
#include "size/size.hpp"

namespace fitcheck::last {

struct Options {
  clean::Options clean;                ///< point-cloud lasts: outliers and clusters
  clean::ReconstructOptions reconstruct{2.0, 8, 20};  ///< point-cloud lasts: Poisson (2 mm voxel, depth 8)
  foot::FrameOptions frame;            ///< resting pose and side (force `frame.side` for a symmetric last)
  double tread_window_pct = 20.0;      ///< bottom window around the tread levelled in the design pose, % of L; [4, 30]
  double heel_seat_pct = 8.0;          ///< station of the heel height, % of L; [3, 20]
  double toe_spring_pct = 97.0;        ///< station of the toe spring, % of L; [85, 99.5]
  double instep_pct = 50.0;            ///< station of the instep girth, % of L; [35, 60]
  void validate() const;               ///< throws Error(usage)
};

/// Bottom centre line of the last: heights z_mm at stations x_mm (ascending), last frame.
struct BottomProfile {
  std::vector<double> x_mm, z_mm;
  /// Linear interpolation, constant beyond the ends. Precondition: at least one sample.
  double at(double x_mm) const;
};

struct Measurements {
  double stick_length_mm = 0, heel_height_mm = 0, toe_spring_mm = 0, ball_girth_mm = 0, ball_width_mm = 0,
         bottom_width_mm = 0, instep_girth_mm = 0, waist_girth_mm = 0, heel_to_ball_mm = 0, heel_width_mm = 0,
         toe_box_height_mm = 0, volume_cm3 = 0;
};

struct Landmark {
  std::string name;
  Eigen::Vector3d position_mm = Eigen::Vector3d::Zero();
};

/// A last ready for measurement, grading and placement.
struct Last {
  Geometry mesh;                                                ///< closed mesh in the last frame
  Eigen::Matrix4d to_last_frame = Eigen::Matrix4d::Identity();  ///< input mm -> last frame (incl. mirror)
  foot::Side side = foot::Side::right;
  std::string side_reason;
  BottomProfile bottom;
  Measurements measurements;
  std::vector<Landmark> landmarks;  ///< heel_back, toe_tip, joint_medial, joint_lateral, tread, heel_seat, instep
  std::vector<std::string> steps;     ///< reconstruction and repair, for the report
  std::vector<std::string> warnings;
  const Landmark* find(const std::string& name) const;
};

/// Reconstructs (clouds), closes, frames and measures a last given in mm.
Last prepare_last(const Geometry& last_mm, const Options& options = {});

/// Measurements of a closed mesh already in the last frame (used by prepare_last and after grading).
/// `joint_medial`/`joint_lateral`: the joint points (last frame).
Measurements measure_in_frame(const Geometry& mesh, const BottomProfile& bottom, const Eigen::Vector3d& joint_medial,
                              const Eigen::Vector3d& joint_lateral, const Options& options = {});

/// Turn about z (and shift along y) that lays the centre line -- through the centroids of the vertices in the rear
/// and front 3 % of the x extent -- on the x axis. Used for lasts and, in placement, for the foot, so both are
/// sampled along comparable lines.
Eigen::Matrix4d centre_line_turn(const Geometry& g);

/// Bottom centre line of a mesh (or a point cloud: 1.5 mm slabs as sections) in a frame with x along the length and
/// z up, every 1 % of [x_min, x_max]. Also the sole line of a foot in the foot frame.
BottomProfile bottom_profile(const Geometry& mesh);

/// The grading map's scales (see the grading note above), without the graded mesh.
struct GradeScales {
  size::Size from, to;
  size::GradeDelta delta;        ///< nominal steps (G1, G2)
  double length_scale = 1.0;     ///< s_L: the graded stick length is s_L times the last's
  double girth_scale = 1.0;      ///< s_G: a graded section at x is the last's section at x / s_L scaled by s_G in its
                                 ///< plane, so its convex perimeter is s_G times the last's
};

struct Grade : GradeScales {
  Last graded;                   ///< the graded last, measured again from scratch
  Geometry graded_input_frame;   ///< the graded mesh in the input's coordinates and side (mm)
};

/// The scales grade_last uses, from one section of the last (milliseconds; grade_last also re-measures the graded
/// mesh from scratch, ~100x longer). For screening many sizes. Errors: grade_last's, except those of preparing the
/// graded mesh (which only grade_last meets).
GradeScales grade_scales(const Last& last, const size::Size& from, const size::Size& to, const Options& options = {});

/// Grades `last` (of size `from`) to size `to`. Throws Error(usage) when the systems differ in kind (e.g. US to
/// EU is allowed; any pair of systems works through the nominal lengths), Error(did_not_converge) when no girth
/// scale reaches the target.
Grade grade_last(const Last& last, const size::Size& from, const size::Size& to, const Options& options = {});

/// `last` graded by the map of `scales` alone (see the grading note above), without framing and measuring the graded
/// mesh again: its mesh, bottom profile and landmarks mapped; stick length and heel-to-ball scaled by s_L; heel height
/// and toe spring kept; the ball girth the target grade_scales solved for, the ball width from the mapped joints;
/// instep and waist girths and toe box height scaled by s_G (their sections map onto the graded ones); bottom and heel
/// widths by s_G (approximate: measured in a fixed height window); the volume by s_L s_G^2. The frame transform, side,
/// steps and warnings are the last's (a step says it was graded by the map). About 100x faster than grade_last, for
/// the coarse screen of the recommendations; a check runs grade_last.
Last graded_by_map(const Last& last, const GradeScales& scales);

/// Size inferred from the stick length (US men's unless `system` says otherwise; width unknown).
size::Size infer_size(double stick_length_mm, size::System system = size::System::us_men);

}  // namespace fitcheck::last
