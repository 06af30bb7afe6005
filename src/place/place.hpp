// Stage `place`: the foot in the last (ARCHITECTURE.md stage 6; literature.md G3, G6).
//
// Inputs: the foot in the foot frame (foot/foot.hpp, measured by measure/measure.hpp) and a prepared last
// (last/last.hpp, last frame). Output: the posed foot in the last frame, the signed clearance per foot vertex and the
// fit figures.
//
// 1. Heel to heel: the foot's pternion goes to the last's heel back point, the foot axis along the last's centre line.
// 2. Pose (piecewise rigid with smooth blending): the foot is three rigid segments along x -- rearfoot
//    [0, rear_end_pct], forefoot [rear_end_pct, ball] and toes [ball, tip] (ball = the mean x of the 1st and 5th
//    metatarsal-head points). Each segment turns about y by the difference between the slope of the last's bottom
//    and that of the foot's sole under it (chords of the two bottom profiles, last/last.hpp), so the heel rises to the
//    heel height and the toes follow the toe spring. Turning angles blend over `blend_pct` of the foot length with a
//    smoothstep; every cross-section turns rigidly about its sole point, so lengths along the sole are kept. The
//    foot's ball sits on the last's bottom.
// 3. Constrained refinement (a rigid move, 3 shifts and 3 small turns): the heel is nested in the heel seat (all six
//    make the clearance over the heel region as even as possible) and the forefoot is centred between the last's
//    sides (only y, roll and the turn about z answer to the forefoot; its height and the pitch stay with the heel).
//    Gauss-Newton on the variance of the clearance, limited to the `max_shift_mm` / `max_turn_deg` box.
//    A foot equal to the last shrunk by a uniform offset ends concentric, so its clearance is that offset
//    everywhere; a real foot ends with its heel centred in the counter and its forefoot centred on the bottom.
//
// Clearance: signed distance from each posed foot vertex to the last's surface, mm; positive = room (inside the
// last), negative = interference (the foot pokes through the last, which the upper must stretch over).
// Toe allowance: last stick length minus foot length (literature.md G3: 10-17 mm is the usual range; the shoe
// cavity is typically 15-20 mm longer than the foot). Toe gap: in the placed pose, the last's front end minus the
// foot's front end along x (the heel may sit a little ahead of the last's heel back point).
// Regions of the foot (foot length Lf, foot frame): heel x < 25 % Lf and less than 45 mm above the sole;
// instep 40-60 % Lf, top half; ball 60-80 % Lf; toe box x > 80 % Lf. Per region: clearance statistics (area
// weighted), the area in interference, and a rating. The rating thresholds are estimates (no closed-form fit score
// is standard, literature.md G6) and are options.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "last/last.hpp"
#include "measure/measure.hpp"

namespace fitcheck::place {

/// The collar opening ends (the laced throat begins) at this % of the last's stick length: the top eyelet row of
/// src/lacing (kTopRowPct, an estimate). Behind it the foot leaves the shoe above the last's top.
constexpr double kCollarEndPct = 32.0;

/// The fit regions, on the foot's own anatomy: toes (from 80 % of the length), ball (60-80 %), instep (40-60 %, top
/// half), heel (behind 25 %, up to 45 mm above the sole).
inline constexpr const char* kRegionNames[] = {"toe_box", "ball", "instep", "heel"};

struct Options {
  double rear_end_pct = 45.0;        ///< end of the rigid rearfoot, % of foot length; [30, 60]
  double blend_pct = 6.0;            ///< width of the smooth blend between segments, % of foot length; [1, 15]
  int max_iterations = 40;           ///< refinement iterations (Levenberg-Marquardt); [0, 200]
  double max_shift_mm = 20.0;        ///< refinement may move the foot this far from the start, per axis, mm; [0, 60]
  double max_turn_deg = 10.0;        ///< and turn it this far about each axis, deg; [0, 30]
  std::size_t refine_samples = 2500; ///< foot vertices used in the refinement (evenly strided); [200, 1e6]
  double tight_mm = -3.0;            ///< rating: 5th-percentile clearance below this is tight, mm (an estimate: lasts
                                     ///< run at or 1-3 mm under foot girth and the upper stretches); [-20, 20]
  double loose_mm = 6.0;             ///< rating: a region whose median clearance is above this is loose, mm
  double min_toe_allowance_mm = 10.0;  ///< literature.md G3 lower end, mm; [0, 30]
  double max_toe_allowance_mm = 17.0;  ///< literature.md G3 upper end, mm; [min, 40]
  /// The regions rated (Result::regions), of kRegionNames; the others are listed as "not rated" with no figures. With
  /// place_foot's `clearance_wanted`, only the rated regions' clearance is computed (a caller that needs less).
  std::vector<std::string> rated_regions = {"toe_box", "ball", "instep", "heel"};
  bool rates(const std::string& region) const;  ///< `region` is in rated_regions
  bool rates_all_regions() const;    ///< every region of kRegionNames is in rated_regions
  void validate() const;             ///< throws Error(usage)
};

/// Signed distance to a closed triangle mesh (positive inside). CGAL AABB tree; the sign comes from the normal at the
/// closest point: the triangle's inside it, the angle-weighted pseudonormal on an edge or at a vertex (exact on a
/// closed, consistently oriented manifold; Baerentzen & Aanaes 2005). Where the mesh is not manifold (a border, an
/// edge of three triangles, a pinched vertex), ray parity decides (three rays, majority).
class SignedDistance {
 public:
  explicit SignedDistance(const Geometry& closed_mesh);
  ~SignedDistance();
  SignedDistance(const SignedDistance&) = delete;
  SignedDistance& operator=(const SignedDistance&) = delete;
  /// Which triangle was closest to a point: a start for the next query of a point near it (the search starts from the
  /// point's projection onto that triangle; it bounds the search only). Distances are the same with or without hints
  /// (to rounding); where two triangles are equally close (a shared edge), which one answers -- and so the normal --
  /// may depend on the start.
  struct Hint {
    std::size_t triangle = static_cast<std::size_t>(-1);  ///< index among this SignedDistance's triangles; none yet
  };
  /// Signed distances, mm; `normals` (optional) receives the outward unit normal of each closest triangle. `hints`
  /// (optional, one per point) start each search and receive this query's closest triangles, for callers that query
  /// the same points again after small moves (placement iterations).
  std::vector<double> query(const std::vector<Eigen::Vector3d>& points, std::vector<Eigen::Vector3d>* normals = nullptr,
                            std::vector<Hint>* hints = nullptr) const;
  /// How many query points so far took their sign from ray parity (the mesh not manifold at their closest point).
  std::size_t ray_parity_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct RegionFit {
  std::string region;                 ///< "toe_box", "ball", "instep", "heel"
  double area_mm2 = 0;
  double median_clearance_mm = 0, p5_clearance_mm = 0, min_clearance_mm = 0;
  double interference_area_mm2 = 0;   ///< area of the region with clearance < 0
  std::string rating;                 ///< "tight", "snug", "good", "loose"
};

struct Result {
  Geometry foot;                       ///< the posed foot in the last frame (the input's vertex order)
  std::vector<double> clearance_mm;    ///< one per foot vertex; NaN where not computed (clearance_partial)
  /// place_foot was given `clearance_wanted`: the clearance is computed only for those vertices and the rated
  /// regions' (Options::rated_regions), NaN elsewhere (and the hint there is none).
  bool clearance_partial = false;
  /// Per vertex: the closest triangle of the clearance query, as a hint for queries of the same vertices moved a
  /// little (the swollen foot); valid for the SignedDistance the placement used (the one passed in, else its own).
  std::vector<SignedDistance::Hint> clearance_hints;
  /// Per vertex: the rotation the pose gave that vertex's cross-section (input foot frame -> last frame). A small
  /// displacement d of the foot (e.g. swelling, in the foot frame) moves the placed vertex by local_rotation * d.
  std::vector<Eigen::Matrix3d> local_rotation;
  std::vector<std::uint8_t> inside_shoe;  ///< 0 where the foot rises within 2 mm of or above the last's highest
                                          ///< point behind kCollarEndPct (the collar opening): not rated
  double toe_allowance_mm = 0;         ///< last stick length - foot length
  double toe_gap_mm = 0;               ///< placed: last's front end - foot's front end along x (negative: through)
  double ball_girth_difference_mm = 0;   ///< last ball girth - foot ball girth
  double instep_girth_difference_mm = 0; ///< last instep girth - foot instep girth (at the foot's instep station)
  double heel_turn_deg = 0, toe_turn_deg = 0;  ///< pose: rearfoot and toe turns applied (positive: lifted)
  Eigen::Vector3d shift_mm = Eigen::Vector3d::Zero();  ///< refinement move
  double turn_deg = 0;                 ///< refinement turn about z, deg
  Eigen::Vector2d tilt_deg = Eigen::Vector2d::Zero();  ///< refinement roll (about x) and pitch (about y), deg
  int iterations = 0;
  bool converged = false;
  std::vector<RegionFit> regions;
  std::vector<std::string> warnings;   ///< e.g. a foot far too long for the last
};

/// Places `foot` (foot frame, measured by measure_foot into `foot_measure`) in `last`. `distance` (may be null: built
/// here) is the signed distance to `last.mesh`, for a caller that queries the same last again. `clearance_wanted`
/// (may be null: every vertex; else one flag per foot vertex) limits the clearance computed to the flagged vertices
/// and those of the rated regions (Result::clearance_partial); the placement itself does not depend on it.
Result place_foot(const Geometry& foot, const measure::Result& foot_measure, const last::Last& last,
                  const Options& options = {}, const SignedDistance* distance = nullptr,
                  const std::vector<std::uint8_t>* clearance_wanted = nullptr);

}  // namespace fitcheck::place
