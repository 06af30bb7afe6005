// Stage `pressure`: contact pressure per foot vertex under a shoe and/or a sock (ARCHITECTURE.md stage 8, "contact
// model"), assembled from the laws of src/contact and the lacing of src/lacing. kPa per vertex; mmHg = kPa / 0.1333.
//
// Shoe (the foot placed in the last, vertices in the last frame):
//   upper membrane   cross-sections perpendicular to x every `section_step_mm` over the upper (from 30 % of the
//                    last's length to its toe): the upper's girth is the last's convex perimeter there, the foot's is
//                    its convex perimeter (behind the throat, place::kCollarEndPct, clipped at the last's top);
//                    strain e = max(0, c_foot - c_upper) / c_upper,
//                    tension N = k(region) x e (k per unit strain, N/mm: vamp / lace zone; literature.md M3
//                    gives no sourced values: estimates; the region by the section's x against the foot length:
//                    vamp ahead of 60 %), pressure 2 N H on convex, non-plantar vertices (an isotropic
//                    membrane: p = N1/R1 + N2/R2 with N1 = N2, P6).
//   indentation      where the foot pokes through a stiff part of the last -- toe puff (the toe cap: from
//                    `toe_puff_from_pct` of the foot length), heel counter (up to `counter_to_pct`, 50 mm high) --
//                    Winkler p = k x delta with tissue (M1) and the lining in series; elsewhere the soft upper gives
//                    way and the membrane term carries the load (the two are not added: the larger counts).
//   laces            lacing::pressure_kpa of the layout, added.
// Sock (the foot in the foot frame, stations as % of foot length): band tension from the relaxed circumference at
// each station (src/sock) and the foot's convex girth there, hoop pressure T / (R + t/2) with R = girth / 2 pi (the
// hosiery formula's round limb, P6) on the section's non-plantar vertices; the leg profile acts on horizontal
// sections of the scanned lower leg from its lowest to its highest point (a compression sleeve); an ankle sock (no
// leg profile) ends at 35 % of the foot length high, like src/sock's mesh stations. Under a shoe, sock and shoe pressures add,
// and the shoe presses the foot offset outward by the sock's thickness (src/check: the sock takes that room). The plantar surface is not modelled (the insole's
// support is not what squeezes dorsal and interdigital nerves): 0 there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contact/contact.hpp"
#include "core/geometry.hpp"
#include "lacing/lacing.hpp"
#include "last/last.hpp"
#include "sock/sock.hpp"

namespace fitcheck::pressure {

struct Options {
  double vamp_stiffness_n_per_mm = 2.0;       ///< upper tension per unit strain over the forefoot/toes, N/mm; estimate; [0, 50]
  double lace_zone_stiffness_n_per_mm = 1.0;  ///< over the instep (tongue and quarters, closed by the laces); estimate; [0, 50]
  double section_step_mm = 4.0;               ///< spacing of the membrane sections, mm; [1, 20]
  double min_radius_mm = 5.0;                 ///< membranes bridge sharper features: curvature is capped at 1/this (a
                                              ///< scan's or mesh's tips are not skin radii; estimate); [1, 50]
  double membrane_scale_mm = 5.0;             ///< the upper bridges skin features smaller than this: the curvature
                                              ///< it wraps is the mean curvature averaged over about this radius
                                              ///< (a phone scan's noise and Poisson's ripples, +- a few mm, cancel;
                                              ///< contact::smoothed_over; estimate); [0, 20]
  double toe_puff_from_pct = 90.0;            ///< the toe puff covers the foot from here to the tip, % of length; estimate; [70, 100]
  double counter_to_pct = 15.0;               ///< the heel counter covers the foot up to here, % of length; estimate; [0, 40]
  contact::Foundation toe_puff{5.0, 200.0, 2.0, 5000.0};  ///< tissue (M1) + stiff toe puff; lining values are estimates
  /// Heel pad tissue (10 mm, M1's 0.20 MPa) + the counter's collar/lining padding: running shoes pad the counter with
  /// soft open-cell PU foam, about 6 mm thick with a compressive modulus of tens of kPa (50 kPa here; estimates,
  /// not sourced). In series: 5.9 kPa per mm of interference.
  contact::Foundation counter{10.0, 200.0, 6.0, 50.0};
  void validate() const;                      ///< throws Error(usage)
};

/// Per-vertex pressure and its parts, kPa.
struct Field {
  std::vector<double> total_kpa, membrane_kpa, indentation_kpa, lace_kpa, sock_kpa;
};

/// What the shoe sees: the foot placed in the last (vertices in the last frame), the same foot in the foot frame (for
/// its anatomy: regions by x / foot length and height above the sole), and the clearance of each placed vertex.
struct ShoeInput {
  const Geometry* foot_in_last = nullptr;
  const Geometry* foot_in_foot_frame = nullptr;
  /// Signed clearance per placed vertex, mm. Only its negative values inside contact_zone() count (contact with the
  /// toe puff or counter): elsewhere, and where it is known to be positive, any positive value may stand in
  /// (check::run queries only the vertices that can touch).
  const std::vector<double>* clearance_mm = nullptr;
  const std::vector<std::uint8_t>* inside_shoe = nullptr;  ///< 0 above the collar: no shoe pressure there
  /// contact_zone(foot_in_foot_frame, foot_length_mm, inside_shoe, options) when the caller has it (check::run needs
  /// it to choose which distances to query); null: computed here.
  const std::vector<std::uint8_t>* contact_zone = nullptr;
  /// plantar_mask(foot_in_foot_frame, foot_length_mm) when the caller has it; null: computed here.
  const std::vector<std::uint8_t>* plantar = nullptr;
  double foot_length_mm = 0;
  const last::Last* last = nullptr;
  const lacing::Layout* lacing = nullptr;  ///< may be null (no laces)
  lacing::Options lacing_options;
};

/// The plantar surface of a foot in the foot frame (1 = plantar): within 8 mm of the lowest point of its 1 % of the
/// length and facing down (vertex normal z < -0.3). No shoe or sock pressure is computed there.
std::vector<std::uint8_t> plantar_mask(const Geometry& foot_in_foot_frame, double foot_length_mm);

/// Where the stiff parts can press (the indentation term): vertices inside the shoe (`inside_shoe` may be null: all),
/// not plantar, under the toe puff (x > toe_puff_from_pct of the foot length) or the heel counter (x <
/// counter_to_pct, less than 50 mm above the sole). 1 = in the zone. Elsewhere the clearance does not count.
/// `plantar`: plantar_mask() of the same foot when the caller has it; null: computed here.
std::vector<std::uint8_t> contact_zone(const Geometry& foot_in_foot_frame, double foot_length_mm,
                                       const std::vector<std::uint8_t>* inside_shoe, const Options& options = {},
                                       const std::vector<std::uint8_t>* plantar = nullptr);

/// Shoe pressure (membrane, indentation, laces). Sock parts stay zero.
Field shoe_pressure(const ShoeInput& in, const Options& options = {});

/// Sock pressure on the foot in the foot frame (foot length from measure). Adds into `field.sock_kpa` and
/// `field.total_kpa` (resized to the foot's vertices if empty).
/// `plantar`: plantar_mask() of the same foot when the caller has it; null: computed here.
void add_sock_pressure(Field& field, const Geometry& foot_in_foot_frame, double foot_length_mm, const sock::SockSpec& sock,
                       double min_radius_mm = 5.0, const std::vector<std::uint8_t>* plantar = nullptr);

/// Plain-sentence assumptions of the pressure model, for the report.
std::vector<std::string> assumptions(const Options& options, bool shoe, bool sock, const lacing::Options* lacing);

}  // namespace fitcheck::pressure
