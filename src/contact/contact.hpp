// Stage `contact`: the pressure laws of the contact model (ARCHITECTURE.md "contact model"; literature.md P6, P7,
// M1, C1) and their per-vertex forms on a mesh. Units: mm, N, N/mm (membrane tension), kPa, mmHg.
//
//   membrane (Laplace, P6)   p = N1/R1 + N2/R2; an isotropic tension N over a surface of mean curvature H:
//                            p = 2 N H (a cylinder of radius R: p = N / R). 1 N/mm^2 = 1 MPa = 1000 kPa.
//   band (sock, P6)          strain e = max(0, c - c0) / c0 of a band of relaxed circumference c0 worn at girth c;
//                            tension T = K e (K: fabric modulus, N/mm); p = T / (R + t/2) with R = c / 2 pi and the
//                            tension acting at the fabric's mid-thickness t/2 (P6: ignoring thickness overestimates).
//   hosiery form (P6)        P[mmHg] = T[kgf] x n x 4620 / (C[cm] x W[cm]), the clinical formula, for checking.
//   indentation (Winkler)    p = k x delta for an interference delta (mm); k = 1 / (t_tissue / E_tissue +
//                            t_lining / E_lining) (springs in series, kPa/mm), E_tissue = 200 kPa on the dorsum (M1);
//                            a stiff toe puff or heel counter is a lining of high modulus.
//   capstan (P7)             T_out = T_in x exp(-mu x phi) for a lace wrapping an eyelet by phi rad.
#pragma once

#include <vector>

#include "core/geometry.hpp"

namespace fitcheck::contact {

/// 1 mmHg = 133.322 Pa (literature.md N header: 1 mmHg = 0.1333 kPa).
constexpr double kKpaPerMmhg = 0.133322;
constexpr double mmhg(double kpa) { return kpa / kKpaPerMmhg; }
constexpr double kpa(double mmhg_value) { return mmhg_value * kKpaPerMmhg; }
/// Standard gravity, m/s^2 (kgf -> N in the hosiery formula).
constexpr double kStandardGravity = 9.80665;

/// Laplace: pressure under principal tensions n1, n2 (N/mm) over principal radii r1, r2 (mm, > 0; a flat direction
/// has r = infinity), kPa.
double laplace_kpa(double n1_n_per_mm, double r1_mm, double n2_n_per_mm = 0.0, double r2_mm = 1e300);

/// A band of knit (a sock or sleeve at one station).
struct Band {
  double relaxed_circumference_mm = 0;  ///< c0, mm; > 0
  double modulus_n_per_mm = 0.25;       ///< K, N/mm (src/sock: an estimate unless the maker states it)
  double thickness_mm = 1.0;            ///< t, mm; >= 0
};
/// Band tension (N/mm of band width) when worn at `girth_mm`.
double band_tension_n_per_mm(const Band& band, double girth_mm);
/// Band pressure on a section of girth `girth_mm` whose local radius is `radius_mm` (a round limb: girth / 2 pi), kPa.
double band_pressure_kpa(const Band& band, double girth_mm, double radius_mm);
/// The clinical hosiery formula (P6), mmHg: tension in kgf over the band width, n layers, circumference and width in cm.
double hosiery_mmhg(double tension_kgf, int layers, double circumference_cm, double width_cm);

/// Winkler foundation of soft tissue and lining in series.
struct Foundation {
  double tissue_thickness_mm = 5.0;    ///< soft tissue over bone, mm; dorsum 3-8 (estimate; M2: 15 mm under MTH2)
  double tissue_modulus_kpa = 200.0;   ///< literature.md M1: bulk soft tissue E = 0.20 MPa on the dorsum
  double lining_thickness_mm = 3.0;    ///< upper lining / tongue foam, mm (estimate)
  double lining_modulus_kpa = 300.0;   ///< foam lining, kPa (estimate; toe puff / counter: 5000 or more)
  void validate() const;               ///< throws Error(usage)
};
/// Stiffness k of the foundation, kPa per mm of interference.
double winkler_stiffness_kpa_per_mm(const Foundation& f);
/// p = k x max(0, interference), kPa.
double winkler_kpa(double interference_mm, const Foundation& f);
/// The interference at which the first of the two layers is fully compressed (its strain p / E_i reaches 1, i.e. the
/// pressure reaches the softer layer's modulus), mm: the end of the law's range. Tissue 10 mm / 200 kPa under 6 mm
/// of 50 kPa lining: 8.5 mm (the lining first); tissue 5 mm / 200 kPa under a stiff toe puff: about 5.1 mm. With no
/// lining (thickness 0) the tissue's thickness, whatever the lining's modulus.
double fully_compressed_mm(const Foundation& f);

/// Capstan: tension after wrapping `wrap_rad` with friction `mu`.
double capstan(double tension_in_n, double mu, double wrap_rad);

/// Mean curvature per vertex of a closed mesh (cotangent Laplacian over barycentric vertex areas), 1/mm; positive where the
/// surface is convex (outward normals).
std::vector<double> mean_curvature(const Geometry& mesh);
/// `values` (one per vertex) averaged over about `radius_mm` of the surface: rounds of area-weighted averaging over
/// each vertex and its neighbours across its faces, a diffusion that spreads by about the mean edge length times the
/// square root of the rounds: (radius / mean edge)^2 rounds, at most 400. The radius holds where the edges are about
/// the mean length and shrinks where they are shorter (a scan's fine parts). 0 returns `values` unchanged.
/// Error(usage) for a radius outside [0, 50].
std::vector<double> smoothed_over(const Geometry& mesh, std::vector<double> values, double radius_mm);
/// Membrane pressure per vertex for an isotropic tension per vertex (N/mm): p = 2 N H where H > 0, else 0 (a
/// membrane does not pull into a concave surface), kPa.
std::vector<double> membrane_pressure_kpa(const Geometry& mesh, const std::vector<double>& tension_n_per_mm);

}  // namespace fitcheck::contact
