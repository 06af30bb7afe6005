#include "symptoms/symptoms.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "core/format.hpp"

namespace fitcheck::symptoms {

namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorCode::usage, "symptoms", what); }

// Locations in enum order: canonical name and plain words.
struct LocationInfo {
  Location location;
  const char* name;
  const char* label;
};
constexpr std::array<LocationInfo, kLocationCount> kLocations{{
    {Location::toes, "toes", "in the toes"},
    {Location::between_toes, "between_toes", "between the toes"},
    {Location::big_toe, "big_toe", "in the big toe"},
    {Location::forefoot_top, "forefoot_top", "on the top of the forefoot"},
    {Location::instep, "instep", "over the instep (the top of the midfoot)"},
    {Location::ankle_front, "ankle_front", "at the front of the ankle"},
    {Location::outer_foot, "outer_foot", "along the outer side of the foot"},
    {Location::inner_arch, "inner_arch", "in the inner arch"},
    {Location::ball_sole, "ball_sole", "under the ball of the foot"},
    {Location::heel, "heel", "in the heel"},
    {Location::whole_sole, "whole_sole", "over the whole sole"},
    {Location::whole_foot, "whole_foot", "over the whole foot"},
    {Location::shin, "shin", "in the shin"},
    {Location::calf, "calf", "in the calf"},
    {Location::buttock_leg, "buttock_leg", "from the buttock down the back of the leg"},
}};

bool valid_location(Location l) {
  const int i = static_cast<int>(l);
  return i >= 0 && i < kLocationCount;
}

// The atlas order of nerves/nerves.hpp (nerves_to_watch is reported in it).
constexpr std::array<const char*, 7> kAtlasNerves{
    "deep_peroneal", "superficial_peroneal_medial", "superficial_peroneal_intermediate",
    "sural",         "interdigital_2nd_web",        "interdigital_3rd_web",
    "joplin"};

// The seed's headings (why-legs-go-numb.txt), verbatim.
constexpr const char* kSeedMechanical = "Temporary Mechanical Triggers";
constexpr const char* kSeedEntrapment = "Nerve Entrapment and Vascular Compression Syndromes";
constexpr const char* kSeedWarning = "Identifying Warning Signs and Seeking Professional Help";

std::string minutes(double v) { return fmt_short(v) + " min"; }  // 9.96, not "10.0" next to a 10-min line

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string r;
  for (std::size_t i = 0; i < parts.size(); ++i) r += (i ? sep : "") + parts[i];
  return r;
}

// ---- evaluation ---------------------------------------------------------------------------------

enum Level : int { kUnlikely = 0, kPossible = 1, kFits = 2 };
const char* level_name(int level) { return level >= kFits ? "fits" : level == kPossible ? "possible" : "unlikely"; }

using Locs = std::vector<Location>;

// Facts of a pattern that several causes use.
struct Facts {
  const Pattern& p;
  bool quick = false;        // gone within kQuickResolveMin of stopping
  bool linger = false;       // lingers kLingerMin or more
  bool radiating = false;    // from the buttock, or with low back pain: sciatic nerve or nerve root
  bool compartment = false;  // exertional_compartment fits (set after it is evaluated)

  explicit Facts(const Pattern& pattern) : p(pattern) {
    quick = p.resolves_min && *p.resolves_min <= kQuickResolveMin;
    linger = p.resolves_min && *p.resolves_min >= kLingerMin;
    radiating = p.has(Location::buttock_leg) || p.back_pain;
  }
  bool any(const Locs& ls) const {
    return std::any_of(ls.begin(), ls.end(), [&](Location l) { return p.has(l); });
  }
  // The first of `ls` in the pattern, in plain words ("" when none).
  std::string first(const Locs& ls) const {
    for (const Location w : p.where)
      if (std::find(ls.begin(), ls.end(), w) != ls.end()) return location_label(w);
    return "";
  }
  std::string where_text() const {
    std::vector<std::string> w;
    for (const Location l : p.where) w.push_back(location_label(l));
    return join(w, " and ");
  }
  std::string resolves_text() const { return "it goes " + minutes(*p.resolves_min) + " after stopping"; }
};

// A verdict in the making: a level and the pattern items behind it.
struct Verdict {
  int level = kUnlikely;
  std::vector<std::string> reasons;
  void down(const std::string& reason) {
    level = std::max(0, level - 1);
    reasons.push_back(reason);
  }
};

const Locs kFootLocations{Location::toes,      Location::between_toes, Location::big_toe,    Location::forefoot_top,
                          Location::instep,    Location::ankle_front,  Location::outer_foot, Location::inner_arch,
                          Location::ball_sole, Location::heel,         Location::whole_sole, Location::whole_foot};

// A shoe or sock pressing on a nerve where it runs (core locations; compatible ones are only "possible"). It fits
// when the numbness is at a core location and `sign` holds (the cause's characteristic timing or symptom); each of
// lingering, at rest, radiating (buttock / back pain) and a fitting CECS moves it down one step. `cap` limits causes
// a pattern alone cannot show.
Verdict footwear_pressure(const Facts& f, const Locs& core, const Locs& compatible, const std::string& nerve_where,
                          const std::string& near_text, bool sign, const std::string& sign_reason,
                          const std::string& no_sign_reason, int cap = kFits) {
  Verdict v;
  if (f.any(core)) {
    v.level = sign ? kFits : kPossible;
    v.reasons.push_back("numbness " + f.first(core) + ", " + nerve_where);
    v.reasons.push_back(sign ? sign_reason : no_sign_reason);
  } else if (f.any(compatible)) {
    v.level = kPossible;
    v.reasons.push_back("numbness " + f.first(compatible) + ", " + near_text);
    if (sign) v.reasons.push_back(sign_reason);
  } else {
    v.reasons.push_back("the numbness (" + f.where_text() + ") is not " + nerve_where);
    return v;
  }
  if (v.level > cap) {
    v.level = cap;
    v.reasons.push_back("the pattern alone cannot tell this from the shoe itself");
  }
  if (f.linger) v.down("but " + f.resolves_text() + ", longer than pressure from a shoe usually lasts");
  if (f.p.at_rest) v.down("but it also comes at rest, when no running shoe presses");
  if (f.p.has(Location::buttock_leg))
    v.down("but numbness running from the buttock points to the sciatic nerve");
  else if (f.p.back_pain)
    v.down("but low back pain points to a nerve root in the lower back");
  if (f.compartment)
    v.down(
        "but leg symptoms with this timing point to compartment syndrome, which can numb the "
        "foot too");
  return v;
}

std::string quick_reason(const Facts& f) {
  return f.resolves_text() + ", within minutes, as pressure that stops with the run does";
}
std::string no_quick_reason(const Facts& f) {
  if (!f.p.resolves_min) return "how fast it goes after stopping is not given (within minutes would fit)";
  return f.resolves_text() + ", not within minutes";
}

struct CauseDef {
  const char* id;
  const char* name;
  bool footwear;
  const char* section;
  const char* quote;
  std::vector<std::string> nerves;
  Verdict (*evaluate)(const Facts&);
};

// Each evaluate function is one cause's rule (see symptoms.hpp for the list and the seed lines they stand on).
const std::vector<CauseDef>& catalogue() {
  static const std::vector<CauseDef> defs = {
      {"lace_pressure_deep_peroneal",
       "Laces pressing on the deep peroneal nerve on the top of the foot",
       true,
       kSeedMechanical,
       "laced too tightly across the top of the foot",
       {"deep_peroneal"},
       [](const Facts& f) {
         // literature.md A1: under the retinaculum at the ankle front, over the talonavicular joint, to the 1st web.
         return footwear_pressure(f, {Location::instep, Location::ankle_front, Location::forefoot_top},
                                  {Location::between_toes, Location::big_toe, Location::toes, Location::whole_foot},
                                  "where the deep peroneal nerve runs under the laces",
                                  "near the deep peroneal nerve's path but not on it", f.quick, quick_reason(f),
                                  no_quick_reason(f));
       }},
      {"lace_pressure_superficial_peroneal",
       "Laces or the shoe's upper pressing on the superficial peroneal nerve branches on the top of the foot",
       true,
       kSeedMechanical,
       "compress the delicate nerves and blood vessels along the top of the foot",
       {"superficial_peroneal_medial", "superficial_peroneal_intermediate"},
       [](const Facts& f) {
         // literature.md A2: the dorsal branches cross the ankle front and the dorsum to toes 1-5.
         return footwear_pressure(
             f, {Location::forefoot_top, Location::instep},
             {Location::ankle_front, Location::toes, Location::big_toe, Location::between_toes, Location::whole_foot},
             "where the superficial peroneal branches run under the laces",
             "near the superficial peroneal branches but not on them", f.quick, quick_reason(f), no_quick_reason(f));
       }},
      {"swelling_tight_shoe",
       "The foot swelling during the run into a shoe laced snug at the start",
       true,
       kSeedMechanical,
       "Since feet naturally swell when running, constrictive lacing can compress",
       {"deep_peroneal", "superficial_peroneal_medial", "superficial_peroneal_intermediate"},
       [](const Facts& f) {
         // literature.md S1, S3: about +3 % foot volume after 10-15 min of running; runners lace to the pre-run
         // foot (S4). So the numbness starts some minutes in, not at once.
         const bool late = f.p.onset_min && *f.p.onset_min >= kSwellOnsetMin;
         std::string sign_reason = late ? "it starts " + minutes(*f.p.onset_min) +
                                              " into the run, once the foot "
                                              "has swelled, and " +
                                              quick_reason(f)
                                        : "";
         std::string no_sign =
             !f.p.onset_min ? "when it starts is not given (after 10 min or more would fit)"
             : !late        ? "it starts " + minutes(*f.p.onset_min) + " into the run, before the foot has swelled much"
                            : no_quick_reason(f);
         Verdict v = footwear_pressure(
             f, {Location::whole_foot, Location::forefoot_top, Location::instep, Location::toes},
             {Location::between_toes, Location::big_toe, Location::ball_sole, Location::outer_foot,
              Location::ankle_front},
             "where a shoe gets tight as the foot swells",
             "a place a swelling foot can press, though not the usual one", late && f.quick, sign_reason, no_sign);
         if (f.p.onset_min && !late && v.level > kUnlikely) v.level -= 1;
         return v;
       }},
      {"toe_box_interdigital",
       "A narrow toe box squeezing a nerve between the toes (Morton's neuroma)",
       true,
       kSeedMechanical,
       "too narrow in the toe box",
       {"interdigital_3rd_web", "interdigital_2nd_web"},
       [](const Facts& f) {
         // literature.md A4: 3rd web in 85-90 %, else 2nd; the metatarsal heads squeezed together.
         const bool sign = f.quick || f.p.burning;
         const std::string sign_reason =
             f.p.burning ? "with burning pain, typical of a squeezed nerve between the metatarsal heads"
                         : quick_reason(f);
         return footwear_pressure(f, {Location::between_toes, Location::ball_sole},
                                  {Location::toes, Location::forefoot_top},
                                  "where the nerves between the 2nd-3rd and 3rd-4th toes are squeezed",
                                  "next to the web spaces where these nerves are squeezed, not in them", sign,
                                  sign_reason, "there is no burning and " + no_quick_reason(f));
       }},
      {"toe_box_joplin",
       "A tight toe box pressing on the nerve at the inner side of the big toe joint (Joplin's neuroma)",
       true,
       kSeedMechanical,
       "too narrow in the toe box",
       {"joplin"},
       [](const Facts& f) {
         // literature.md A5: plantar-medial 1st MTP joint; tight shoes aggravate it.
         const bool sign = f.quick || f.p.burning;
         return footwear_pressure(
             f, {Location::big_toe}, {Location::ball_sole, Location::inner_arch, Location::toes},
             "where the nerve of the big toe runs past its joint", "near the big toe joint but not at it", sign,
             f.p.burning ? "with burning pain" : quick_reason(f), "there is no burning and " + no_quick_reason(f));
       }},
      {"shoe_upper_sural",
       "The shoe's collar or upper pressing on the sural nerve on the outer side of the foot",
       true,
       kSeedMechanical,
       "Footwear can also be a significant factor",
       {"sural"},
       [](const Facts& f) {
         // literature.md A3: behind and below the outer ankle bone, along the outer border to the little toe.
         return footwear_pressure(f, {Location::outer_foot}, {Location::heel, Location::toes},
                                  "where the sural nerve runs along the outer side of the foot",
                                  "within the sural nerve's area but not on its usual pressure point", f.quick,
                                  quick_reason(f), no_quick_reason(f));
       }},
      {"tight_socks",
       "Socks that are too tight pressing on nerves or circulation",
       true,
       kSeedMechanical,
       "restrictive socks",
       {"superficial_peroneal_medial", "superficial_peroneal_intermediate", "sural"},
       [](const Facts& f) {
         return footwear_pressure(f, kFootLocations, {Location::shin, Location::calf}, "where a sock can press",
                                  "where only a long or compression sock presses", f.quick, quick_reason(f),
                                  no_quick_reason(f), kPossible);
       }},
      {"tight_apparel",
       "Compression sleeves or a binding waistband pressing on nerves or circulation",
       false,
       kSeedMechanical,
       "compression sleeves, or shorts with a binding waistband",
       {},
       [](const Facts& f) {
         Verdict v;
         if (f.any({Location::shin, Location::calf, Location::buttock_leg})) {
           v.level = kPossible;
           v.reasons.push_back("numbness " + f.first({Location::shin, Location::calf, Location::buttock_leg}) +
                               " can come from a tight sleeve or waistband; the pattern alone cannot show it");
           if (f.linger) v.down("but " + f.resolves_text() + ", longer than such pressure usually lasts");
           if (f.p.at_rest) v.down("but it also comes at rest");
         } else {
           v.reasons.push_back("the numbness is in the foot, not under a sleeve or waistband");
         }
         return v;
       }},
      {"gait_biomechanics",
       "Running form (overstriding, excessive pronation) putting repetitive pressure on nerves",
       false,
       kSeedMechanical,
       "overstriding or excessive foot pronation",
       {},
       [](const Facts& f) {
         Verdict v;
         if (f.p.at_rest) {
           v.reasons.push_back("it also comes at rest, while running form acts only during the run");
         } else if (f.linger) {
           v.reasons.push_back(f.resolves_text() + ", longer than irritation from the stride usually lasts");
         } else if (f.any(kFootLocations) || f.any({Location::shin, Location::calf})) {
           v.level = kPossible;
           v.reasons.push_back("numbness " + f.where_text() +
                               " during runs can come from the stride; only a gait analysis can show it");
         } else {
           v.reasons.push_back("numbness from the buttock is not a stride pressure pattern");
         }
         return v;
       }},
      {"tarsal_tunnel",
       "The tibial nerve pinched at the inner ankle (tarsal tunnel), e.g. with excessive pronation",
       false,
       kSeedMechanical,
       "excessive foot pronation, can increase impact forces or place repetitive pressure",
       {},
       [](const Facts& f) {
         Verdict v;
         const Locs core{Location::inner_arch, Location::whole_sole};
         const Locs compatible{Location::heel, Location::ball_sole, Location::toes, Location::big_toe};
         if (f.any(core)) {
           const bool sign = f.p.burning || f.p.onset_min.has_value();
           v.level = sign ? kFits : kPossible;
           v.reasons.push_back("numbness " + f.first(core) + ", the area of the tibial nerve in the sole");
           v.reasons.push_back(f.p.burning     ? "with burning pain"
                               : f.p.onset_min ? "coming on during the run"
                                               : "no burning and no onset during a run given");
         } else if (f.any(compatible)) {
           v.level = kPossible;
           v.reasons.push_back("numbness " + f.first(compatible) + " is within the area of the tibial nerve");
         } else {
           v.reasons.push_back("the numbness (" + f.where_text() + ") is not in the sole or inner arch");
           return v;
         }
         if (f.p.both_sides) v.down("but both sides at once points more to a general nerve problem");
         return v;
       }},
      {"dehydration_electrolytes",
       "Dehydration or an electrolyte imbalance making nerves more sensitive",
       false,
       kSeedMechanical,
       "severe dehydration or electrolyte imbalances",
       {},
       [](const Facts& f) {
         Verdict v;
         if (f.p.onset_min && *f.p.onset_min >= kLongRunMin && !f.p.at_rest) {
           v.level = kPossible;
           v.reasons.push_back("it starts only " + minutes(*f.p.onset_min) +
                               " into the run, when fluid and salt losses build up; the pattern alone cannot show it");
         } else if (f.p.at_rest) {
           v.reasons.push_back("it also comes at rest, not only in hard runs");
         } else {
           v.reasons.push_back(f.p.onset_min
                                   ? "it starts " + minutes(*f.p.onset_min) + " into the run, before large fluid losses"
                                   : "nothing points to it: no late onset in a long run given");
         }
         return v;
       }},
      {"piriformis_sciatic",
       "Piriformis syndrome: the buttock muscle pressing on the sciatic nerve",
       false,
       kSeedEntrapment,
       "Piriformis Syndrome",
       {},
       [](const Facts& f) {
         Verdict v;
         if (f.p.has(Location::buttock_leg)) {
           v.level = kFits;
           v.reasons.push_back("numbness runs from the buttock down the leg, the path of the sciatic nerve");
           if (f.p.back_pain)
             v.down("but low back pain points first to a nerve root in the lower back");
           else
             v.reasons.push_back("without low back pain");
         } else {
           v.reasons.push_back("the numbness does not run from the buttock down the leg");
         }
         return v;
       }},
      {"exertional_compartment",
       "Chronic exertional compartment syndrome (CECS): lower-leg muscles swelling in a tight sheath",
       false,
       kSeedEntrapment,
       "begin after a consistent duration of running and subside within minutes of stopping",
       {},
       [](const Facts& f) {
         Verdict v;
         const bool leg = f.any({Location::shin, Location::calf}) || f.p.calf_pain;
         const bool timed = f.p.onset_min && *f.p.onset_min >= kCompartmentOnsetMin;
         const std::string leg_text =
             f.p.calf_pain ? "pain in the lower-leg muscles" : "numbness " + f.first({Location::shin, Location::calf});
         std::vector<std::string> timing;
         if (timed) timing.push_back("it starts " + minutes(*f.p.onset_min) + " into the run");
         if (f.quick) timing.push_back(f.resolves_text() + ", within minutes");
         // The anterior compartment holds the deep peroneal nerve (top of the foot, 1st web), the deep posterior
         // one the tibial nerve (sole): CECS can numb the foot, but only the timing shows it.
         const Locs foot{Location::instep,      Location::forefoot_top, Location::between_toes,
                         Location::ankle_front, Location::whole_sole,   Location::whole_foot};
         if (leg) {
           v.level = timed && f.quick ? kFits : kPossible;
           v.reasons.push_back(leg_text);
           if (timing.empty())
             v.reasons.push_back("no set onset time and no quick fading given");
           else
             v.reasons.insert(v.reasons.end(), timing.begin(), timing.end());
         } else if (f.any(foot) && timed && f.quick) {
           v.level = kPossible;
           v.reasons.push_back("numbness " + f.first(foot) +
                               " without leg pain, but a leg compartment can numb the foot with this timing");
           v.reasons.insert(v.reasons.end(), timing.begin(), timing.end());
         } else {
           v.reasons.push_back("no shin or calf symptoms" +
                               std::string(timed && f.quick ? "" : " and not the timed pattern of the syndrome"));
           return v;
         }
         if (f.linger) v.down("but " + f.resolves_text() + ", while this syndrome fades within minutes");
         if (f.p.at_rest) v.down("but it also comes at rest");
         return v;
       }},
      {"lumbar_radiculopathy",
       "A pinched nerve root in the lower back (disc herniation or spinal stenosis)",
       false,
       kSeedEntrapment,
       "Lumbar Spinal Issues",
       {},
       [](const Facts& f) {
         Verdict v;
         if (f.p.back_pain || f.p.worse_leaning_back) {
           v.level = kFits;
           v.reasons.push_back("numbness " + f.where_text() +
                               (f.p.back_pain ? " with low back pain" : " that is worse when leaning back"));
         } else if (f.p.has(Location::buttock_leg)) {
           v.level = kPossible;
           v.reasons.push_back(
               "numbness from the buttock down the leg can come from the lower back even without "
               "back pain");
         } else if (f.p.weakness || f.p.foot_drop) {
           v.level = kPossible;
           v.reasons.push_back(f.p.foot_drop ? "foot drop" : "muscle weakness");
           v.reasons.back() += " can come from a pinched nerve root";
         } else if (f.p.both_sides && !f.quick) {
           v.level = kPossible;
           v.reasons.push_back("both legs at once can come from a narrowed spinal canal (stenosis)");
         } else {
           v.reasons.push_back("no low back pain, no numbness from the buttock and no weakness");
         }
         return v;
       }},
      {"peripheral_neuropathy",
       "A chronic nerve problem such as peripheral neuropathy",
       false,
       kSeedWarning,
       "occur even when not running, suggest a chronic problem",
       {},
       [](const Facts& f) {
         Verdict v;
         const bool chronic = f.p.at_rest || f.linger;
         const Locs distal{Location::whole_sole, Location::whole_foot, Location::toes, Location::ball_sole,
                           Location::big_toe};
         const bool symmetric = f.p.both_sides && f.any(distal);
         std::vector<std::string> items;
         if (symmetric) items.push_back("numbness in both feet, " + f.first(distal));
         if (f.p.at_rest) items.push_back("also at rest");
         if (f.linger) items.push_back(f.resolves_text());
         if (f.p.burning) items.push_back("burning pain");
         if (symmetric && (chronic || f.p.burning))
           v.level = kFits;
         else if (chronic || symmetric)
           v.level = kPossible;
         if (v.level == kUnlikely)
           v.reasons.push_back("nothing points to lasting nerve damage: not at rest, not lingering, not both feet");
         else
           v.reasons.push_back(join(items, ", ") + ": the pattern of a chronic nerve problem");
         return v;
       }},
  };
  return defs;
}

std::string sentence(int level, const std::vector<std::string>& reasons) {
  std::string s = level >= kFits ? "Fits" : level == kPossible ? "Possible" : "Unlikely";
  return s + ": " + join(reasons, "; ") + ".";
}

}  // namespace

// ---- locations ----------------------------------------------------------------------------------

std::string location_name(Location l) {
  if (!valid_location(l)) bad("location value " + std::to_string(static_cast<int>(l)) + " is not a Location");
  return kLocations[static_cast<std::size_t>(l)].name;
}

std::string location_label(Location l) {
  if (!valid_location(l)) bad("location value " + std::to_string(static_cast<int>(l)) + " is not a Location");
  return kLocations[static_cast<std::size_t>(l)].label;
}

// ---- pattern ------------------------------------------------------------------------------------

bool Pattern::has(Location l) const { return std::find(where.begin(), where.end(), l) != where.end(); }

void Pattern::validate() const {
  if (where.empty()) bad("Pattern.where is empty: give at least one location");
  std::set<int> seen;
  for (std::size_t i = 0; i < where.size(); ++i) {
    const int v = static_cast<int>(where[i]);
    if (!valid_location(where[i]))
      bad("Pattern.where[" + std::to_string(i) + "] = " + std::to_string(v) + " is not a Location");
    if (!seen.insert(v).second) bad("Pattern.where repeats " + location_name(where[i]));
  }
  const auto range = [](const std::optional<double>& v, double hi, const char* field) {
    if (v && !(std::isfinite(*v) && *v >= 0.0 && *v <= hi))
      bad(std::string("Pattern.") + field + " = " + fmt_fixed(*v, 1) + " outside [0, " + fmt_fixed(hi, 0) + "] min");
  };
  range(onset_min, 1440.0, "onset_min");
  range(resolves_min, 10080.0, "resolves_min");
}

namespace {

struct BoolKey {
  const char* key;
  bool Pattern::*field;
};
// In the order of the grammar in symptoms.hpp (pattern_text writes them in this order).
const std::array<BoolKey, 11> kBoolKeys{{
    {"back-pain", &Pattern::back_pain},
    {"weakness", &Pattern::weakness},
    {"foot-drop", &Pattern::foot_drop},
    {"bladder-bowel", &Pattern::bladder_bowel},
    {"worsening", &Pattern::worsening},
    {"spreading", &Pattern::spreading},
    {"at-rest", &Pattern::at_rest},
    {"calf-pain", &Pattern::calf_pain},
    {"both-sides", &Pattern::both_sides},
    {"burning", &Pattern::burning},
    {"worse-leaning-back", &Pattern::worse_leaning_back},
}};

std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  return std::string(buf, r.ptr);
}

}  // namespace

Pattern parse(const std::string& text) {
  // The text is quoted once, cut to 200 characters: a long text was echoed twice (240 kB of stderr for 120 kB).
  const std::string shown = text.size() > 200 ? text.substr(0, 200) + "..." : text;
  const auto fail = [&](const std::string& why) {
    bad("symptoms '" + shown + "': " + (why.size() > 300 ? why.substr(0, 300) + "..." : why) +
        " (expected e.g. where=instep+toes,onset=20,resolves=5,back-pain=no; see symptoms.hpp)");
  };
  Pattern p;
  std::set<std::string> seen;
  bool has_where = false;
  const std::string_view t(text);
  if (trim(t).empty()) fail("empty text, 'where' is required");
  std::size_t start = 0;
  while (start <= t.size()) {
    const std::size_t comma = std::min(t.find(',', start), t.size());
    const std::string_view item = trim(t.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) fail("empty item");
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) fail("item '" + std::string(item) + "' is not key=value");
    std::string key = lower(trim(item.substr(0, eq)));
    std::replace(key.begin(), key.end(), '_', '-');
    const std::string value = lower(trim(item.substr(eq + 1)));
    if (!seen.insert(key).second) fail("key '" + key + "' given twice");
    if (value.empty()) fail("key '" + key + "' has no value");
    if (key == "where") {
      has_where = true;
      std::size_t s = 0;
      while (s <= value.size()) {
        const std::size_t plus = std::min(value.find('+', s), value.size());
        std::string name(trim(std::string_view(value).substr(s, plus - s)));
        s = plus + 1;
        std::replace(name.begin(), name.end(), '-', '_');
        const auto it =
            std::find_if(kLocations.begin(), kLocations.end(), [&](const LocationInfo& li) { return name == li.name; });
        if (name.empty()) fail("empty location in where='" + value + "'");
        if (it == kLocations.end()) {
          std::string known;
          for (const LocationInfo& li : kLocations) known += (known.empty() ? "" : ", ") + std::string(li.name);
          fail("unknown location '" + name + "' (known: " + known + ")");
        }
        if (p.has(it->location)) fail("location '" + name + "' given twice");
        p.where.push_back(it->location);
      }
    } else if (key == "onset" || key == "resolves") {
      double v = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(v))
        fail("'" + value + "' for " + key + " is not a number of minutes");
      (key == "onset" ? p.onset_min : p.resolves_min) = v;
    } else {
      const auto it = std::find_if(kBoolKeys.begin(), kBoolKeys.end(), [&](const BoolKey& b) { return key == b.key; });
      if (it == kBoolKeys.end()) fail("unknown key '" + key + "'");
      if (value == "yes" || value == "true" || value == "1")
        p.*(it->field) = true;
      else if (value == "no" || value == "false" || value == "0")
        p.*(it->field) = false;
      else
        fail("'" + value + "' for " + key + " is not yes/no/true/false/1/0");
    }
  }
  if (!has_where) fail("'where' is missing");
  try {
    p.validate();
  } catch (const Error& e) {
    fail(e.what());
  }
  return p;
}

std::string pattern_text(const Pattern& p) {
  p.validate();
  std::string s = "where=";
  for (std::size_t i = 0; i < p.where.size(); ++i) s += (i ? "+" : "") + location_name(p.where[i]);
  if (p.onset_min) s += ",onset=" + number_text(*p.onset_min);
  if (p.resolves_min) s += ",resolves=" + number_text(*p.resolves_min);
  for (const BoolKey& b : kBoolKeys)
    if (p.*(b.field)) s += "," + std::string(b.key) + "=yes";
  return s;
}

// ---- assessment ---------------------------------------------------------------------------------

Assessment assess(const Pattern& p) {
  p.validate();
  Facts f(p);
  const auto& defs = catalogue();
  // CECS first: whether it fits changes the footwear causes' verdicts.
  for (const CauseDef& d : defs)
    if (std::string_view(d.id) == "exertional_compartment") f.compartment = d.evaluate(f).level >= kFits;

  Assessment a;
  std::vector<std::pair<int, Cause>> rated;
  for (const CauseDef& d : defs) {
    const Verdict v = d.evaluate(f);
    Cause c;
    c.id = d.id;
    c.name = d.name;
    c.fit = level_name(v.level);
    c.why = sentence(v.level, v.reasons);
    c.footwear_related = d.footwear;
    c.seed_section = d.section;
    c.seed_quote = d.quote;
    c.nerves = d.nerves;
    rated.emplace_back(v.level, std::move(c));
  }
  std::stable_sort(rated.begin(), rated.end(), [](const auto& x, const auto& y) { return x.first > y.first; });

  int best_footwear = kUnlikely;
  std::vector<std::string> footwear_fits, footwear_possible, other_fits;
  std::set<std::string> watch;
  for (auto& [level, c] : rated) {
    if (c.footwear_related) {
      best_footwear = std::max(best_footwear, level);
      if (level >= kFits) {
        footwear_fits.push_back(c.name);
        watch.insert(c.nerves.begin(), c.nerves.end());
      } else if (level == kPossible) {
        footwear_possible.push_back(c.name);
      }
    } else if (level >= kFits) {
      other_fits.push_back(c.name);
    }
    a.causes.push_back(std::move(c));
  }
  for (const char* n : kAtlasNerves)
    if (watch.count(n)) a.nerves_to_watch.emplace_back(n);

  // Why footwear is less likely, in the pattern's own items (the brief's and the seed's "points elsewhere").
  std::vector<std::string> elsewhere;
  if (p.has(Location::buttock_leg))
    elsewhere.push_back("numbness running from the buttock points to the sciatic nerve");
  if (p.back_pain) elsewhere.push_back("low back pain points to a nerve root in the lower back");
  if (f.compartment)
    elsewhere.push_back(
        "leg pain that starts after a set time and fades within minutes points to "
        "exertional compartment syndrome");
  if (p.at_rest) elsewhere.push_back("it also comes at rest, when no running shoe presses");
  if (f.linger) elsewhere.push_back("it lingers " + minutes(*p.resolves_min) + " after stopping");
  if (!std::any_of(p.where.begin(), p.where.end(),
                   [](Location l) { return l != Location::shin && l != Location::calf && l != Location::buttock_leg; }))
    elsewhere.push_back("the numbness is in the leg, not in the foot where a shoe presses");

  if (best_footwear >= kFits) {
    a.footwear = "plausible";
    a.footwear_reason = "A shoe or sock can explain this pattern: " + join(footwear_fits, "; ") + "." +
                        (f.quick ? " Numbness that goes within a few minutes of stopping usually means a temporary "
                                   "pressure or circulation problem."
                                 : "") +
                        " A fit check of the shoe and sock can show where they press.";
  } else if (best_footwear == kPossible) {
    a.footwear = "possible";
    a.footwear_reason = "A shoe or sock might play a part (" + join(footwear_possible, "; ") + ")" +
                        (elsewhere.empty() ? std::string(", but the pattern does not show it clearly.")
                                           : ", but " + join(elsewhere, "; ") + ".");
  } else {
    a.footwear = "unlikely";
    a.footwear_reason = "Footwear is unlikely to be the cause" +
                        (elsewhere.empty() ? std::string(": the numbness is not where shoes or socks press.")
                                           : ": " + join(elsewhere, "; ") + ".");
  }
  if (!other_fits.empty()) a.footwear_reason += " Fitting causes other than footwear: " + join(other_fits, "; ") + ".";

  // The seed's warning signs ("Identifying Warning Signs and Seeking Professional Help"), most urgent first.
  int urgency = 0;  // 0 none, 1 evaluation, 2 prompt, 3 immediate
  const auto flag = [&](int u, const std::string& text) {
    static const char* const kPrefix[] = {
        "", "See a clinician for an evaluation: ", "See a clinician promptly: ", "Seek immediate medical care: "};
    a.red_flags.push_back(kPrefix[u] + text);
    urgency = std::max(urgency, u);
  };
  if (p.bladder_bowel)
    flag(3,
         "sudden changes in bladder or bowel function with leg numbness can mean pressure on the nerves at the "
         "base of the spine; go now, do not wait for it to pass.");
  if (p.foot_drop)
    flag(3,
         "not being able to lift the front of the foot (foot drop) needs care before the nerve is "
         "damaged for good.");
  if (p.weakness) flag(3, "muscle weakness in the leg or foot needs care before the nerve is damaged for good.");
  if (p.worsening) flag(2, "symptoms that get worse over time despite rest.");
  if (p.spreading) flag(2, "numbness that spreads to a larger area.");
  if (p.at_rest) flag(1, "numbness that also comes when not running suggests a chronic problem.");
  if (f.linger)
    flag(1, "numbness that lingers " + minutes(*p.resolves_min) +
                " after stopping (not gone within a few minutes) suggests a chronic problem.");
  static const char* const kCare[] = {"none", "evaluation", "prompt", "immediate"};
  a.care = kCare[urgency];
  return a;
}

}  // namespace fitcheck::symptoms
