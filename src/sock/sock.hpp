// Stage `sock`: a relaxed sock as circumference profiles along the foot and up the leg, with its fabric's membrane
// stiffness and an optional compression class (ARCHITECTURE.md "Sock"). Read from a JSON spec or measured on a mesh of
// the relaxed sock, and checked. This stage only loads and validates; pressure is computed by a later stage.
//
// How the numbers will be used (literature.md P6, Laplace): where the foot's girth c_foot exceeds the sock's relaxed
// circumference c_sock at the same place, the knit stretches by e = max(0, c_foot - c_sock) / c_sock, carries a
// membrane tension T = K x e (N/mm, K = fabric_modulus_n_per_mm) and presses on the skin with p = T / R (R = local
// radius; a circle of girth C has R = C / 2 pi). So a relaxed sock is SMALLER than the foot it is made for: a plain
// adult sock is about 150-190 mm round where the foot is 220-260 mm.
//
// Frame and units: millimetres, the foot frame of foot/foot.hpp (sole z = 0, heel at x = 0, toes towards +x).
//   Foot profile: circumference of the sock's cross-section perpendicular to the foot axis at a station, given as %
//     of the length from the heel (pternion, 0 %) to the toe tip (100 %). A sock's stations are % of its own length
//     (heel pocket to toe seam); worn, the heel pocket sits on the heel and the toe cup on the toes, so station s %
//     of the sock lies at s % of the foot's length whatever the sock's relaxed length.
//   Leg profile (optional, the cuff or a compression sleeve): circumference of the horizontal section at height_mm
//     above the sole.
//
// JSON spec (one object; `fitcheck_sock` is the format version and is required):
//   {
//     "fitcheck_sock": 1,                  required, must be 1
//     "name": "plain running sock",        optional string; default: the file's stem (load_sock) or `where`
//     "comment": "...",                    optional string, ignored
//     "fabric_modulus_n_per_mm": 0.25,     optional number in [0.005, 5] N/mm; default 0.25 with a warning
//     "thickness_mm": 1.0,                 optional number in [0.1, 5] mm; default 1.0
//     "compression_class": "RAL I",        optional string, see parse_compression_class; default "none"
//     "foot_profile": [                    required, 2..1000 points, station_pct strictly increasing in [0, 100]
//       {"station_pct": 0, "circumference_mm": 150}, ...],           circumference_mm in [50, 800]
//     "leg_profile": [                     optional, 1..1000 points, height_mm strictly increasing in [0, 600]
//       {"height_mm": 80, "circumference_mm": 175}, ...]             circumference_mm in [50, 800]
//   }
//   Unknown keys (at the top or inside a point) are ignored with a warning, not an error.
//   Example: lasts/sock-running.json, a plain (non-compression) crew running sock for an adult foot of ~270 mm:
//   ~170 mm round along the foot (heel pocket 185 mm, toe cup down to 70 mm at the seam), a 170-175 mm cuff from 80 to
//   160 mm high, 1.2 mm thick, K = 0.25 N/mm. On a 230 mm ankle its 172 mm cuff stretches by e = 0.34 and presses
//   about 0.25 x 0.34 / 36.6 mm = 2.3 kPa = 17 mmHg, below the sports socks measured in literature.md C2 (26 +- 4).
//
// Mesh of a relaxed sock (sock_from_mesh; e.g. a knitted sock scanned on a flat sock form or relaxed on a table, any
// mesh or point format load_geometry reads): shaped like a foot with a cuff. foot::align_foot gives the frame and
// length L (heel to toe along the sole). Foot profile: sections perpendicular to x (plane normal +x) at every
// MeshOptions::station_step_pct (5, 10, ..., 95 %; 0 and 100 % only touch the extreme points); sections in the rear
// kRearStationsPct % are clipped at the height kFootCutHeightFraction x L so the cuff above the heel is not counted.
// Leg profile: horizontal sections (normal +z) every MeshOptions::leg_step_mm from kLegStartFraction x L up to the
// top of the mesh (the last one 1 mm below the top), keeping only the part with x < kLegMaxXFraction x L. Every
// circumference is a tape measure: measure::convex_perimeter of measure::section (exact plane-triangle intersection
// for meshes, +-section_slab_mm slab for point clouds). Stations whose section is empty or whose circumference falls
// outside [50, 800] mm are skipped with a warning. A mesh carries no fabric data: modulus, thickness and class come
// from MeshOptions and a warning says so.
//
// Errors (fitcheck::Error, stage "sock"; messages name the file or `where`, the key and the index, e.g.
// "foot_profile[3].circumference_mm"):
//   io             file missing, a directory or unreadable; malformed JSON (the message gives line and column)
//   invalid_input  valid JSON but not a usable spec: not an object, missing or unsupported `fitcheck_sock`, missing
//                  `foot_profile`, a value of the wrong type, a number out of range or too large for a double
//                  (1e999), stations or heights not strictly increasing, an unknown compression class, a spec file
//                  above 1 MB; a mesh that is empty, not finite or does not look like a sock (sphere, box, blob)
//   usage          a MeshOptions field out of range; parse_compression_class on text it does not know
// Mesh files are read by load::load_geometry, whose errors keep stage "load".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.hpp"
#include "load/load.hpp"

namespace fitcheck::sock {

/// Compression classes of literature.md C1: RAL-GZ 387 (German, I-IV) and the UK Drug Tariff (1-3). The standards state
/// the pressure at the ankle.
enum class CompressionClass { none, support, ral_1, ral_2, ral_3, ral_4, uk_1, uk_2, uk_3 };

/// Parses a class name, case-insensitive, with spaces, '-', '_' or '.' as separators and roman or arabic numerals:
///   "none"; "support" / "support hosiery"; RAL: "RAL I", "ral-2", "RAL class III", "CCL 2", "class I" (a bare
///   "class" means RAL); UK: "UK 1", "UK class II". RAL I-IV, UK 1-3. Throws Error(usage) naming the text otherwise.
CompressionClass parse_compression_class(std::string_view text);
/// Canonical name: "none", "support", "RAL I" .. "RAL IV", "UK 1" .. "UK 3" (parse_compression_class reads it back).
const char* compression_class_name(CompressionClass c) noexcept;

/// Nominal pressure range of a class, mmHg (literature.md C1).
struct PressureRangeMmhg {
  double min_mmhg = 0;
  double max_mmhg = 0;
};
/// RAL I 18-21, II 23-32, III 34-46, IV 49-60 (RAL gives ">= 49"; 60 is our cap, not the standard's); UK 1 14-17,
/// 2 18-24, 3 25-35; support 0-14 (C1: "< 14"). Empty for `none`: no class is stated, which does not mean no pressure
/// (literature.md C2 measured ordinary sports socks at 26 +- 4 mmHg).
std::optional<PressureRangeMmhg> nominal_pressure_mmhg(CompressionClass c) noexcept;

/// The format version this build reads in "fitcheck_sock".
constexpr int kSpecVersion = 1;
/// Fabric modulus K (membrane tension per unit strain) used when none is given, N/mm. AN ESTIMATE: literature.md M3
/// has no sourced N/mm values for knits. Back-of-envelope: RAL I (~20 mmHg = 2.67 kPa) on a 250 mm ankle (R = 39.8 mm)
/// needs T = p x R = 0.106 N/mm (P6; the hosiery form T[kgf] x n x 4620 / (C[cm] x W[cm]) with 0.108 kgf per cm of
/// band width, C = 25 cm, n = 1 gives the same 20 mmHg), i.e. a strain of 0.42 at K = 0.25 N/mm: a 176 mm relaxed
/// ankle worn on a 250 mm one, a plausible sock. Pressures computed with it are model estimates.
constexpr double kDefaultFabricModulusNPerMm = 0.25;
constexpr double kMinFabricModulusNPerMm = 0.005;  ///< N/mm
constexpr double kMaxFabricModulusNPerMm = 5.0;    ///< N/mm
/// Fabric thickness when none is given, mm (P6: ignoring thickness overestimates pressure by ~19 % at a 25 cm ankle).
constexpr double kDefaultThicknessMm = 1.0;
constexpr double kMinThicknessMm = 0.1;
constexpr double kMaxThicknessMm = 5.0;
/// Valid relaxed circumferences, mm (a toe seam of a small sock to a thigh-high sleeve).
constexpr double kMinCircumferenceMm = 50.0;
constexpr double kMaxCircumferenceMm = 800.0;
/// Highest leg-profile height, mm (thigh-high).
constexpr double kMaxLegHeightMm = 600.0;
/// At most this many points per profile.
constexpr std::size_t kMaxProfilePoints = 1000;
/// sock_from_mesh: foot stations up to this % of the length are clipped at kFootCutHeightFraction x length.
constexpr double kRearStationsPct = 35.0;
constexpr double kFootCutHeightFraction = 0.35;
/// sock_from_mesh: the leg profile starts at this fraction of the length above the sole ...
constexpr double kLegStartFraction = 0.40;
/// ... and keeps only section points behind this fraction of the length (the leg, not the dorsum of the foot).
constexpr double kLegMaxXFraction = 0.45;

struct ProfilePoint {
  double station_pct = 0;       ///< % of the foot length from the heel (pternion, 0) to the toe tip (100); [0, 100]
  double circumference_mm = 0;  ///< relaxed circumference of the cross-section there, mm; [50, 800]
};

struct LegPoint {
  double height_mm = 0;         ///< height above the sole, mm; [0, 600]
  double circumference_mm = 0;  ///< relaxed circumference of the horizontal section there, mm; [50, 800]
};

struct SockSpec {
  std::string name;
  std::vector<ProfilePoint> foot;  ///< >= 2 points, station_pct strictly increasing
  std::vector<LegPoint> leg;       ///< empty = no leg part (an ankle sock); otherwise height_mm strictly increasing
  /// Membrane tension per unit strain, N/mm; [0.005, 5]. Default 0.25 is an ESTIMATE (see
  /// kDefaultFabricModulusNPerMm).
  double fabric_modulus_n_per_mm = kDefaultFabricModulusNPerMm;
  double thickness_mm = kDefaultThicknessMm;  ///< fabric thickness, mm; [0.1, 5]
  CompressionClass compression = CompressionClass::none;
  std::string source;  ///< "json" or "mesh"
  std::vector<std::string> warnings;
};

/// Checks every rule of the JSON format on a spec built in code (sizes, ranges, order, finiteness). Throws
/// Error(invalid_input, "sock") naming `where`, the field and the index.
void validate_spec(const SockSpec& spec, const std::string& where);

/// Relaxed circumference at a foot station (% of length), mm: linear between profile points, the end values beyond
/// them. Throws Error(invalid_input) when the spec has no foot profile, Error(usage) when station_pct is not finite.
double relaxed_circumference_at(const SockSpec& spec, double station_pct);
/// Relaxed circumference of the leg part at a height above the sole, mm: linear between points, the lowest value below
/// the lowest point (the foot part joins there). Empty when the sock has no leg part or height_mm is above its highest
/// point (the sock does not reach there). Throws Error(usage) when height_mm is not finite.
std::optional<double> relaxed_leg_circumference_at(const SockSpec& spec, double height_mm);

/// Parses a JSON spec (format above). `where` names the source in messages (a path or a label) and is the default
/// name. source = "json". Errors: see the header comment.
SockSpec parse_sock_json(const std::string& text, const std::string& where);

struct MeshOptions {
  /// Membrane tension per unit strain, N/mm; [0.005, 5]. A mesh does not carry it: default 0.25, an ESTIMATE.
  double fabric_modulus_n_per_mm = kDefaultFabricModulusNPerMm;
  double thickness_mm = kDefaultThicknessMm;              ///< fabric thickness, mm; [0.1, 5]
  CompressionClass compression = CompressionClass::none;  ///< the class the maker states, if any
  double station_step_pct = 5.0;                          ///< foot stations every this % of the length; [1, 25]
  double leg_step_mm = 10.0;                              ///< leg sections every this many mm; [2, 100]
  double section_slab_mm = 1.5;  ///< point clouds: half-thickness of a section slab, mm; [0.2, 10]
  load::Options load;            ///< load_sock: how a mesh file is read (units, limits)
  void validate() const;         ///< throws Error(usage) naming the first bad field
};

/// Measures a relaxed sock mesh or point cloud (mm, any pose). source = "mesh", name "relaxed sock mesh". Throws
/// Error(invalid_input, "sock") when it is empty, not finite, not foot-shaped (align_foot refuses it), or gives fewer
/// than two usable foot stations; Error(usage) for bad options.
SockSpec sock_from_mesh(const Geometry& relaxed_sock_mm, const MeshOptions& options = {});

/// Reads a sock: ".json" (any case) -> parse_sock_json; any other extension -> load::load_geometry(options.load) then
/// sock_from_mesh(options), load's warnings kept. The name defaults to the file's stem.
SockSpec load_sock(const std::filesystem::path& path, const MeshOptions& options = {});

}  // namespace fitcheck::sock
