// Stage `synth`: parametric shapes with known dimensions, for the bundled samples (tools/make_samples) and for
// exact-answer tests. All lengths in millimetres. Outputs are closed, oriented (outward), manifold triangle meshes.
//
// Foot frame used here (ARCHITECTURE.md stage 3): sole on z = 0, heel back (pternion) at x = 0, foot axis along +x,
// medial side +y for a right foot.
#pragma once

#include "core/geometry.hpp"

namespace fitcheck::synth {

/// A lofted foot- or last-like body: superelliptic cross-sections along x.
/// Proportions default to an ANSUR II median man (shared/data/anthropometry, literature.md D1: foot length 271 mm,
/// breadth 101 mm, ball girth ~250 mm) rounded to a slightly smaller foot.
struct FootShape {
  double length_mm = 265.0;          ///< heel back to toe tip along x, mm; [100, 400]
  double ball_width_mm = 100.0;      ///< widest breadth at the ball, mm; [40, 160]
  double heel_width_mm = 68.0;       ///< breadth at the heel, mm; [30, 120]
  double ball_x_pct = 70.0;          ///< ball station as % of length (literature.md A6: 1st MTP 70-79 %); [55, 85]
  double ball_height_mm = 42.0;      ///< dorsal height at the ball, mm; [15, 80]
  double instep_height_mm = 72.0;    ///< dorsal height at 50 % length, mm; [30, 120]
  double ankle_height_mm = 95.0;     ///< height of the flat top cut over the heel (kiosk-style), mm; [40, 200]
  double toe_height_mm = 24.0;       ///< dorsal height at 90 % length, mm; [8, 50]
  double toe_medial_shift_mm = 12.0; ///< medial (+y) shift of the toe tip from the heel centre line, mm; [-30, 30]
  double forefoot_width_scale = 1.0; ///< multiplies the half-width ahead of 50 % length (narrow lasts < 1); [0.5, 1.5]
  double heel_height_mm = 0.0;       ///< last only: lift of the heel seat above the forepart, mm; [0, 80]
  double toe_spring_mm = 0.0;        ///< last only: lift of the toe tip, mm; [0, 40]
  /// Foot only: the medial longitudinal arch, how far the medial plantar border is lifted at the midfoot (35-55 % of
  /// the length, tapering to none at 25 % and 68 %), mm; 0 = a flat sole across its width (the default, every
  /// sample and test so far). The lift grows from none at the sole's centre line to the medial border, and is at most
  /// 0.4 of the section's height. [0, 30]
  double arch_height_mm = 0.0;
  int rings = 140;                   ///< cross-sections along x; [8, 2000]
  int ring_points = 72;              ///< points per cross-section; [8, 2000]
  /// Throws Error(usage) naming the first field out of range.
  void validate() const;
};

/// The exact cross-section of the body at station x (mm from the heel), `points` samples around it.
std::vector<Eigen::Vector3d> foot_section(const FootShape& shape, double x_mm, int points);

/// A last that fits a running `foot` (the bundled sample lasts/last-fit.stl): 12 mm toe allowance (literature.md G3:
/// 10-12 mm typical), 4 mm wider and 3 mm higher at the ball, 2 mm higher at the instep and 4 mm at the toes than the
/// resting foot (about 11 mm of ball girth: the room the forefoot needs once it swells and splays, literature.md S1,
/// S7, S8 -- a last at the resting foot's girth pinches the ball after half an hour in fitcheck's model), a 90 mm top
/// cut, 10 mm heel height, 12 mm toe spring. Everything else (resolution, forefoot_width_scale, ...) as in `foot`.
FootShape fitting_last_shape(const FootShape& foot);

/// Builds the lofted body from `rings` sections. Deterministic.
Geometry make_foot(const FootShape& shape = {});

/// Mirror across the plane y = 0 (right foot -> left foot), flipping face winding so normals stay outward.
Geometry mirror_y(const Geometry& g);

/// `n` points drawn uniformly (by area) on the mesh surface plus Gaussian noise of `noise_mm` per axis: a scanner's
/// point cloud of a known surface. Deterministic for a seed.
Geometry sample_surface(const Geometry& mesh, std::size_t n, double noise_mm, unsigned seed);

/// Unit-test shapes.
Geometry make_uv_sphere(double radius_mm, int rings = 32, int segments = 64);
Geometry make_box(const Eigen::Vector3d& size_mm);  ///< axis-aligned, min corner at the origin, 12 triangles

}  // namespace fitcheck::synth
