// Stage `size`: shoe size systems and grading steps (literature.md G1, G2), the groundwork for grading lasts.
//
// Sizes are written like "US 9 D", "US 10 2E", "US W 8 B" (women's), "UK 8", "EU 43", "MP 270" (Mondopoint, mm).
// Length per full size (G1): US and UK 1/3 inch = 8.4667 mm, EU (Paris point) 2/3 cm = 6.6667 mm, Mondopoint 5 mm
// per step of the stated value. Last length from the customary formulas (UK = 3 x last_in - 25, US men
// = UK + 1, US women = UK + 2.5 -- an assumption: US women's offsets of +1.5 to +2.5 are in use; EU = 1.5 x last_cm;
// Mondopoint states foot length, last length = foot length + toe allowance, default 12 mm per G3).
// Width letters (US): ... AA, A, B, C, D, E, 2E ... 6E; one letter = 6.35 mm of ball girth (G2, sources 4.8-6.5 mm).
// Ball girth per full US size: 6.5 mm (G2), scaled to other systems by their length step.
#pragma once

#include <string>
#include <string_view>

namespace fitcheck::size {

enum class System { us_men, us_women, uk, eu, mondopoint };

struct Size {
  System system = System::us_men;
  double value = 9.0;  ///< the number as written (Mondopoint: mm)
  int width = 0;       ///< width letters relative to the medium width (men's D, women's B); +1 = one letter wider
  bool width_given = false;
};

/// Parses "US 9 D", "US 9.5", "US W 8 B", "UK 8 E", "EU 43", "MP 270". Throws Error(usage) naming the text.
Size parse_size(std::string_view text);
/// Canonical text, e.g. "US 10 2E".
std::string format_size(const Size& s);
/// Width letter label for a width index in a system ("D", "2E", "B", ...).
std::string width_label(System system, int width);

/// Length added by one full size, mm (G1).
double length_step_mm(System system);
/// Customary last (stick) length for a size, mm.
double last_length_mm(const Size& s);
/// The size (same system, rounded to halves; Mondopoint to 5 mm) whose last length is closest to `mm`.
Size size_for_last_length(double last_mm, System system);

/// What changes between two sizes: last length and ball girth, mm.
struct GradeDelta {
  double length_mm = 0;
  double ball_girth_mm = 0;
};
GradeDelta grade_delta(const Size& from, const Size& to);

/// literature.md G2: ball girth per width letter, mm.
constexpr double kGirthPerWidthMm = 6.35;
/// literature.md G2: ball girth per full adult US size, mm.
constexpr double kGirthPerUsSizeMm = 6.5;
/// literature.md G3: toe allowance used to turn a Mondopoint foot length into a last length, mm.
constexpr double kMondopointToeAllowanceMm = 12.0;

}  // namespace fitcheck::size
