// Stage `foot`: the canonical foot frame (ARCHITECTURE.md stage 3), independent of the scanner's axes, units and
// vertex order.
//
// Foot frame: sole plane z = 0 (foot above, +z up), pternion (rearmost heel point) at x = 0, foot axis (pternion ->
// 2nd toe tip) along +x, y = 0 through the pternion, right-foot convention with the medial side at +y. Left feet are
// detected and mirrored (y -> -y) so that every later stage sees a right foot; `to_foot_frame` then has
// determinant -1 and `side` says "left".
//
// Method: area-weighted principal axes give the length direction; the sole is the convex-hull facet plane (the
// plane the foot would stand on) whose 3 mm contact band is longest and largest (a flat top cut is short, a side
// wall thin), refined by least-squares planes through the lowest band; the heel is the end under the higher part (ankle or leg); side from three cues
// (toe tip medial to the forefoot centre, ball line oblique, the medial arch's border higher than the lateral one).
//
// Errors: Error(invalid_input, "foot") when the shape is not foot-like (no sole band spanning the length, length
// outside 100-400 mm, width/length outside 0.25-0.6).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace fitcheck::foot {

enum class Side { right, left };

/// The pternion is searched below this height above the sole, mm: the posterior heel prominence lies below the
/// malleoli (ANSUR II lateral malleolus height, shared/data/anthropometry: roughly 55-90 mm), while a calf leaning
/// back in a scan with the leg can reach further back than the heel.
constexpr double kPternionMaxHeightMm = 50.0;
const char* side_name(Side s) noexcept;

/// How far the sole plane may tilt from FrameOptions::up_hint, deg (a foot standing on the floor the hint came from:
/// its sole's contact plane lies on it, to the scan's error; an estimate).
constexpr double kUpHintDeg = 5.0;

struct FrameOptions {
  std::optional<Side> side;       ///< force the side; empty = detect
  double sole_band_mm = 3.0;      ///< thickness of the lowest band taken as sole contact, mm; [0.5, 20]
  /// The scan's up when known (unit, into the foot: a removed floor's normal, clean::Floor): the sole is searched
  /// among the planes within kUpHintDeg of it, and is the hint itself when none is there. A phone scan's sole is
  /// often unseen, and a straight dorsum offered a plane as long and as large as the sole's: the foot came out upside
  /// down and mirrored (review).
  std::optional<Eigen::Vector3d> up_hint;
  void validate() const;          ///< throws Error(usage)
};

struct FootFrame {
  Eigen::Matrix4d to_foot_frame = Eigen::Matrix4d::Identity();  ///< input mm -> foot frame mm (incl. mirror)
  Geometry aligned;              ///< the input in the foot frame, right-foot convention, faces outward
  Side side = Side::right;
  std::string side_reason;
  double side_confidence = 0.0;  ///< 0 (a guess) .. 1 (all cues agree strongly)
  /// The three side cues (each in [-1, 1], + for a right foot; side_reason gives them in words): (a) the toe tip
  /// towards the medial side, (b) the ball line oblique (1st joint ahead of the 5th), (c) the medial arch's border
  /// higher than the lateral one at the midfoot. All 0 when the side was given.
  struct SideCues {
    double toe_tip = 0, ball_line = 0, arch = 0;
  } side_cues;
  double length_mm = 0.0;        ///< pternion to the most anterior point along +x
  std::vector<std::string> warnings;
};

/// Aligns a foot (mesh or points, mm). Precondition: `foot` passed load's checks (finite, >= 100 points, 3D).
FootFrame align_foot(const Geometry& foot, const FrameOptions& options = {});

/// Per-vertex weights: a third of the incident triangle areas for meshes (so dense patches do not dominate), 1 for
/// point clouds.
std::vector<double> vertex_weights(const Geometry& g);

/// Applies a 4x4 affine transform to every vertex; flips face winding when it mirrors (det < 0).
Geometry transformed(const Geometry& g, const Eigen::Matrix4d& t);

}  // namespace fitcheck::foot
