// Stage `symptoms`: an optional symptom pattern (where the numbness is, when it starts, how fast it goes after
// stopping, back pain, weakness, ...) matched against the causes of leg and foot numbness in runners named by
// ../shared/seed/why-legs-go-numb.txt ("the seed"). The result says which causes fit the pattern, whether footwear
// (shoe or sock) is a plausible cause at all, which of the foot nerves of nerves/nerves.hpp the fit check should
// watch, and which of the seed's warning signs the pattern shows (they need a clinician).
//
// This is a plain-language triage aid written from one lay article and literature.md A1-A5, not a diagnosis: every
// verdict is a rule on the pattern items written below, and reports must say so. No numbers here are sourced
// thresholds except where a literature.md line is named; the others are named estimates in symptoms.cpp.
//
// Text grammar (CLI --symptoms): comma-separated key=value items, e.g.
//   "where=instep+toes,onset=20,resolves=5,back-pain=no,weakness=no"
// Spaces around items, keys and values are ignored; keys and values are case-insensitive, '_' in a key reads as '-'
// (back_pain = back-pain); each key at most once.
//   where      one or more Location names joined by '+'; inside a name '-' and '_' are both accepted
//              (forefoot-top = forefoot_top); required; no repeats
//   onset      minutes into a run when the numbness starts; a decimal number in [0, 1440]
//   resolves   minutes after stopping until it is gone; a decimal number in [0, 10080] (a week)
//   booleans   yes/no/true/false/1/0:
//              back-pain (low back pain), weakness (muscle weakness in the leg or foot), foot-drop (cannot lift the
//              front of the foot), bladder-bowel (sudden changes in bladder or bowel function), worsening (symptoms
//              get worse over time despite rest), spreading (the numbness spreads to a larger area), at-rest (it
//              also comes when not running), calf-pain (pain, tightness or burning in the calf/shin muscles during
//              the run), both-sides (both legs or feet), burning (burning pain), worse-leaning-back (worse when the
//              back is arched backwards / the spine extended)
// Location names: toes, between-toes, big-toe, forefoot-top, instep, ankle-front, outer-foot, inner-arch,
// ball-sole, heel, whole-sole, whole-foot, shin, calf, buttock-leg (numbness running from the buttock down the back
// of the thigh and leg).
//
// Causes (Cause::id, seed heading in Cause::seed_section, the seed's words in Cause::seed_quote; footwear = F;
// atlas nerves). Where a cause names a specific nerve the seed does not, the nerve comes from literature.md A1-A5.
//   "Temporary Mechanical Triggers"
//     lace_pressure_deep_peroneal         F  deep_peroneal (A1)       laces too tight across the top of the foot
//     lace_pressure_superficial_peroneal  F  superficial_peroneal_medial, _intermediate (A2)   the same, its branches
//     swelling_tight_shoe                 F  deep_peroneal, superficial_peroneal_*   the foot swells into a shoe
//                                            laced to the pre-run foot (literature.md S1/S3: +3 % volume by 10-15 min)
//     toe_box_interdigital                F  interdigital_3rd_web, interdigital_2nd_web (A4)   narrow toe box, Morton
//     toe_box_joplin                      F  joplin (A5)              narrow toe box on the big toe joint
//     shoe_upper_sural                    F  sural (A3)               the seed's "footwear can also be a significant
//                                            factor" on the outer foot (the seed names no nerve there)
//     tight_socks                         F  superficial_peroneal_*, sural   restrictive socks (capped at "possible":
//                                            only a sock check can tell socks from shoes)
//     tight_apparel                          compression sleeves, a binding waistband (capped at "possible")
//     gait_biomechanics                      overstriding, excessive pronation (capped at "possible": needs a gait
//                                            analysis)
//     tarsal_tunnel                          tibial nerve at the inner ankle; the seed's "excessive foot pronation
//                                            ... repetitive pressure on specific nerves" made specific (the seed
//                                            does not name the tarsal tunnel; the atlas has no tibial nerve)
//     dehydration_electrolytes               dehydration or electrolyte imbalance (capped at "possible")
//   "Nerve Entrapment and Vascular Compression Syndromes"
//     piriformis_sciatic                     piriformis syndrome: from the buttock down the back of the thigh and leg
//     exertional_compartment                 chronic exertional compartment syndrome (CECS): calf/shin pain or
//                                            numbness after a consistent time, gone within minutes of stopping
//     lumbar_radiculopathy                   disc herniation or spinal stenosis: radiating numbness with low back
//                                            pain, weakness, or worse with the spine extended
//   "Identifying Warning Signs and Seeking Professional Help"
//     peripheral_neuropathy                  a chronic nerve problem: symptoms at rest or lingering for hours (the
//                                            seed does not name neuropathy; both feet, burning soles is its pattern)
//
// Rules (symptoms.cpp has each in one place):
//   - Timing: "within minutes" = resolves <= kQuickResolveMin (15, estimate for the seed's "a few minutes");
//     "lingering" = resolves >= kLingerMin (60, estimate: the seed says "hours"; an hour errs towards a clinician).
//   - A footwear cause fits when the numbness is where its nerve runs (core locations) and the pattern shows its sign:
//     gone within minutes of stopping (laces, sural); that or burning pain (toe box: interdigital, Joplin); onset at
//     kSwellOnsetMin or later and gone within minutes (swelling; an earlier onset moves it down one more step). At a
//     core location without the sign, or at a compatible location, it is "possible"; elsewhere "unlikely". Each of
//     these then moves it down one step (fits -> possible -> unlikely): it lingers; it comes at rest; it radiates
//     from the buttock or comes with low back pain (one step for either or both: the sciatic nerve or a nerve root
//     explains foot numbness too); CECS fits (the leg compartment can numb the foot too: the issue's "footwear
//     unlikely unless the foot location also fits"). tight_socks is capped at "possible".
//   - Other causes: piriformis_sciatic fits numbness from the buttock (possible with back pain too);
//     lumbar_radiculopathy fits back pain or worse-leaning-back with numbness anywhere, is possible for numbness from
//     the buttock, weakness or foot drop, or both sides without quick fading; exertional_compartment fits calf/shin
//     numbness or calf pain with onset >= kCompartmentOnsetMin and gone within minutes (possible with one of these or
//     neither, or for foot numbness with both; down a step each for lingering and at rest); tarsal_tunnel fits
//     inner-arch or whole-sole numbness with burning or an onset during the run (down a step on both sides);
//     peripheral_neuropathy fits both feet in the toes/sole with at rest, lingering or burning, and is possible for
//     at rest or lingering alone; tight_apparel (shin, calf, buttock), gait_biomechanics (foot, shin or calf; not at
//     rest or lingering) and dehydration_electrolytes (onset >= kLongRunMin) are at most "possible".
//   - Assessment::footwear = "plausible" when a footwear cause fits, "possible" when one is possible, else
//     "unlikely".
//   - Red flags (seed: "Identifying Warning Signs ..."): bladder-bowel, foot-drop, weakness -> immediate care;
//     worsening, spreading -> prompt consultation; at rest, lingering -> professional evaluation.
//
// Errors: Error(ErrorCode::usage, "symptoms", ...) from Pattern::validate naming the bad field and value, and from
// parse naming the text and the bad item (unknown key, unknown location, bad number or boolean, repeated key or
// location, missing where, empty item); location_name/location_label for a value outside the enum. assess
// validates its input first. Nothing else throws.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fitcheck::symptoms {

/// "Within minutes" of stopping, min (estimate for the seed's "disappears within a few minutes").
inline constexpr double kQuickResolveMin = 15.0;
/// "Lingers", min (estimate: the seed says "linger for hours"; an hour errs towards seeing a clinician).
inline constexpr double kLingerMin = 60.0;
/// Onset from which foot swelling can matter, min (literature.md S1, S3: +3 % volume after 10-15 min of running).
inline constexpr double kSwellOnsetMin = 10.0;
/// Onset of CECS "after a consistent duration of running", min (estimate: not in the first minutes).
inline constexpr double kCompartmentOnsetMin = 5.0;
/// Onset from which dehydration could play a part, min (estimate: a long run).
inline constexpr double kLongRunMin = 60.0;

enum class Location {
  toes,          ///< the toes
  between_toes,  ///< between the toes (the web spaces)
  big_toe,       ///< the big toe or its joint
  forefoot_top,  ///< the top of the forefoot, behind the toes
  instep,        ///< the top of the foot at the instep (midfoot)
  ankle_front,   ///< the front of the ankle
  outer_foot,    ///< the outer (little-toe) side of the foot
  inner_arch,    ///< the inner arch, the inner ankle below the ankle bone
  ball_sole,     ///< the ball of the foot (sole under the toes' joints)
  heel,          ///< the heel
  whole_sole,    ///< the whole sole
  whole_foot,    ///< the whole foot
  shin,          ///< the shin (front of the lower leg)
  calf,          ///< the calf (back of the lower leg)
  buttock_leg,   ///< from the buttock down the back of the thigh and leg
};
inline constexpr int kLocationCount = 15;

/// Canonical name, as the enum: "forefoot_top" (parse also reads "forefoot-top").
std::string location_name(Location l);
/// Plain words for reports, with their preposition: "over the instep (the top of the midfoot)".
std::string location_label(Location l);

struct Pattern {
  std::vector<Location> where;         ///< where the numbness is; at least one, no repeats
  std::optional<double> onset_min;     ///< minutes into a run when it starts; [0, 1440]
  std::optional<double> resolves_min;  ///< minutes after stopping until it is gone; [0, 10080]
  bool back_pain = false;              ///< low back pain
  bool weakness = false;               ///< muscle weakness in the leg or foot
  bool foot_drop = false;              ///< cannot lift the front of the foot
  bool bladder_bowel = false;          ///< sudden changes in bladder or bowel function
  bool worsening = false;              ///< getting worse over time despite rest
  bool at_rest = false;                ///< also comes when not running
  bool calf_pain = false;              ///< pain, tightness or burning in the lower-leg muscles during the run
  bool both_sides = false;             ///< both legs or both feet
  bool burning = false;                ///< burning pain
  bool spreading = false;              ///< the numbness spreads to a larger area
  bool worse_leaning_back = false;     ///< worse with the spine extended (leaning back)
  void validate() const;               ///< Error(usage, "symptoms", ...) naming the first bad field and value
  bool has(Location l) const;          ///< `l` is in `where`
  friend bool operator==(const Pattern&, const Pattern&) = default;
};

/// Reads the text grammar above; the result is validated. Error(usage) naming the text and the bad item otherwise.
Pattern parse(const std::string& text);
/// The canonical text parse reads back: where in the given order, onset and resolves when set, then only the
/// booleans that are true ("=yes"), in the order of the grammar. Validates `p` first.
std::string pattern_text(const Pattern& p);

struct Cause {
  std::string id;                   ///< e.g. "lace_pressure_deep_peroneal" (the list at the top of this file)
  std::string name;                 ///< plain language
  std::string fit;                  ///< "fits", "possible", "unlikely"
  std::string why;                  ///< one sentence, plain language, naming the pattern items that led to the verdict
  bool footwear_related = false;    ///< a shoe or sock can cause it (fitcheck can check it)
  std::string seed_section;         ///< the heading of why-legs-go-numb.txt the cause comes from
  std::string seed_quote;           ///< words of that section (verbatim) the cause stands on
  std::vector<std::string> nerves;  ///< atlas nerve ids (nerves/nerves.hpp) this cause concerns; may be empty
};

struct Assessment {
  std::vector<Cause> causes;                 ///< all causes: "fits" first, then "possible", then "unlikely"; within a
                                             ///< verdict in the order of the list at the top of this file
  std::string footwear;                      ///< "plausible", "possible", "unlikely"
  std::string footwear_reason;               ///< plain language
  std::vector<std::string> red_flags;        ///< the seed's warning signs this pattern shows, plain language, each
                                             ///< starting with its urgency ("Seek immediate medical care: ...")
  std::string care;                          ///< most urgent: "immediate", "prompt", "evaluation", or "none"
  std::vector<std::string> nerves_to_watch;  ///< atlas nerve ids of the footwear causes that fit, atlas order
};

/// Matches `p` against every cause. Validates `p` (Error(usage)).
Assessment assess(const Pattern& p);

}  // namespace fitcheck::symptoms
