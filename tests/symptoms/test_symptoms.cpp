// Stage `symptoms`: the --symptoms text (round trip, every error path with its code and the text it must name), the
// rules of issue #6 on named patterns, each with a contrast pattern that turns the verdict (so none passes by
// default), the seed's warning signs, every cause tied to a section and words of ../shared/seed/why-legs-go-numb.txt,
// and invariants over many random patterns.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "symptoms/symptoms.hpp"

using namespace fitcheck;
using namespace fitcheck::symptoms;

namespace {

const Cause& cause(const Assessment& a, const std::string& id) {
  const auto it = std::find_if(a.causes.begin(), a.causes.end(), [&](const Cause& c) { return c.id == id; });
  BOOST_TEST_REQUIRE((it != a.causes.end()), "no cause " << id);
  return *it;
}
std::string fit_of(const std::string& text, const std::string& id) { return cause(assess(parse(text)), id).fit; }
bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// `text` must fail with Error(usage) from stage "symptoms" whose message contains `needle`.
void expect_usage(const std::string& text, const std::string& needle) {
  BOOST_TEST_CONTEXT("text '" << text << "'") {
    try {
      (void)parse(text);
      BOOST_ERROR("parse did not throw");
    } catch (const Error& e) {
      BOOST_TEST((e.code() == ErrorCode::usage));
      BOOST_TEST(e.stage() == "symptoms");
      BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos, "message: " << e.what());
    }
  }
}
void expect_usage(const Pattern& p, const std::string& needle) {
  try {
    p.validate();
    BOOST_ERROR("validate did not throw (expected '" << needle << "')");
  } catch (const Error& e) {
    BOOST_TEST((e.code() == ErrorCode::usage));
    BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos, "message: " << e.what());
  }
  try {  // assess validates too
    (void)assess(p);
    BOOST_ERROR("assess did not throw (expected '" << needle << "')");
  } catch (const Error& e) {
    BOOST_TEST((e.code() == ErrorCode::usage));
  }
}

const std::vector<std::string> kAtlasNerves{
    "deep_peroneal", "superficial_peroneal_medial", "superficial_peroneal_intermediate",
    "sural",         "interdigital_2nd_web",        "interdigital_3rd_web",
    "joplin"};

int rank(const std::string& fit) { return fit == "fits" ? 0 : fit == "possible" ? 1 : fit == "unlikely" ? 2 : 99; }

}  // namespace

// ---- the text ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(parse_reads_the_issue_example_and_round_trips) {
  const Pattern p = parse("where=instep+toes,onset=20,resolves=5,back-pain=no,weakness=no");
  BOOST_TEST(p.where.size() == 2u);
  BOOST_TEST((p.where[0] == Location::instep && p.where[1] == Location::toes));
  BOOST_TEST(p.onset_min.value_or(-1) == 20.0);
  BOOST_TEST(p.resolves_min.value_or(-1) == 5.0);
  BOOST_TEST((!p.back_pain && !p.weakness));
  BOOST_TEST(pattern_text(p) == "where=instep+toes,onset=20,resolves=5");
  BOOST_TEST((parse(pattern_text(p)) == p));

  // Spelling variants read the same: '-' or '_' in names and keys, case, spaces.
  BOOST_TEST((parse(" WHERE = Instep + toes , onset=20, resolves = 5 , back_pain=0") == p));
  BOOST_TEST((parse("where=forefoot-top").where == parse("where=forefoot_top").where));

  // Every field set, fractional minutes: text -> pattern -> text is exact.
  Pattern all;
  all.where = {Location::buttock_leg, Location::forefoot_top, Location::calf};
  all.onset_min = 12.75;
  all.resolves_min = 0.1;
  all.back_pain = all.weakness = all.foot_drop = all.bladder_bowel = all.worsening = all.spreading = all.at_rest =
      all.calf_pain = all.both_sides = all.burning = all.worse_leaning_back = true;
  const std::string text = pattern_text(all);
  BOOST_TEST((parse(text) == all), text);
  BOOST_TEST(pattern_text(parse(text)) == text);
  BOOST_TEST(text.find("onset=12.75") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_location_name_reads_back) {
  std::set<std::string> names;
  for (int i = 0; i < kLocationCount; ++i) {
    const auto l = static_cast<Location>(i);
    const std::string n = location_name(l);
    names.insert(n);
    BOOST_TEST(!location_label(l).empty());
    std::string hyphen = n;
    std::replace(hyphen.begin(), hyphen.end(), '_', '-');
    BOOST_TEST((parse("where=" + n).where == std::vector<Location>{l}), n);
    BOOST_TEST((parse("where=" + hyphen).where == std::vector<Location>{l}), hyphen);
  }
  BOOST_TEST(names.size() == static_cast<std::size_t>(kLocationCount));
}

BOOST_AUTO_TEST_CASE(parse_errors_are_usage_and_name_the_bad_text) {
  BOOST_REQUIRE_NO_THROW(parse("where=instep,onset=20,resolves=5,back-pain=no"));  // the base each case changes
  expect_usage("where=instep,onset=20,colour=red", "unknown key 'colour'");
  expect_usage("where=instep+knee", "unknown location 'knee'");
  expect_usage("where=instep,onset=-5", "onset_min = -5.0");
  expect_usage("onset=20,resolves=5", "'where' is missing");
  expect_usage("where=instep,onset=abc", "'abc' for onset");
  expect_usage("where=instep,onset=20min", "'20min' for onset");
  expect_usage("where=instep,resolves=inf", "'inf' for resolves");
  expect_usage("where=instep,resolves=nan", "'nan' for resolves");
  expect_usage("where=instep,resolves=10081", "resolves_min = 10081.0");
  expect_usage("where=instep,onset=1441", "onset_min = 1441.0");
  expect_usage("where=instep,back-pain=maybe", "'maybe' for back-pain");
  expect_usage("where=instep,onset=20,onset=30", "key 'onset' given twice");
  expect_usage("where=instep+instep", "location 'instep' given twice");
  expect_usage("where=instep++toes", "empty location");
  expect_usage("where=instep,,onset=20", "empty item");
  expect_usage("where=instep,onset", "is not key=value");
  expect_usage("where=instep,onset=", "has no value");
  expect_usage("", "empty text");
  // The whole text is named too, so a CLI user sees what was read.
  expect_usage("where=instep,colour=red", "symptoms 'where=instep,colour=red'");
}

BOOST_AUTO_TEST_CASE(validate_names_the_bad_field) {
  Pattern ok;
  ok.where = {Location::instep};
  BOOST_REQUIRE_NO_THROW(ok.validate());

  Pattern p = ok;
  p.where.clear();
  expect_usage(p, "Pattern.where is empty");
  p = ok;
  p.where.push_back(Location::instep);
  expect_usage(p, "Pattern.where repeats instep");
  p = ok;
  p.where.push_back(static_cast<Location>(99));
  expect_usage(p, "Pattern.where[1] = 99");
  p = ok;
  p.onset_min = std::numeric_limits<double>::quiet_NaN();
  expect_usage(p, "Pattern.onset_min");
  p = ok;
  p.resolves_min = -1.0;
  expect_usage(p, "Pattern.resolves_min = -1.0");
  p = ok;
  p.resolves_min = 10080.0;  // the bound itself is valid
  BOOST_CHECK_NO_THROW(p.validate());
}

// ---- the rules of issue #6 -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(instep_numbness_after_20_to_30_min_gone_within_minutes_points_to_the_laces) {
  for (const char* onset : {"20", "30"}) {
    const Assessment a = assess(parse(std::string("where=instep,onset=") + onset + ",resolves=3"));
    BOOST_TEST_CONTEXT("onset " << onset) {
      BOOST_TEST(a.footwear == "plausible");
      const Cause& lace = cause(a, "lace_pressure_deep_peroneal");
      BOOST_TEST(lace.fit == "fits");
      BOOST_TEST(lace.footwear_related);
      BOOST_TEST(lace.why.find("instep") != std::string::npos, lace.why);
      BOOST_TEST(lace.why.find("3 min") != std::string::npos, lace.why);
      BOOST_TEST(contains(a.nerves_to_watch, "deep_peroneal"));
      BOOST_TEST(cause(a, "swelling_tight_shoe").fit == "fits");  // onset after the foot has swelled (S1, S3)
      BOOST_TEST(a.red_flags.empty());
      BOOST_TEST(a.care == "none");
    }
  }
  // Contrasts: the same place but lingering for hours, or also at rest, is no longer a lace pattern.
  const Assessment lingering = assess(parse("where=instep,onset=20,resolves=240"));
  BOOST_TEST(lingering.footwear != "plausible");
  BOOST_TEST(cause(lingering, "lace_pressure_deep_peroneal").fit != "fits");
  BOOST_TEST(!contains(lingering.nerves_to_watch, "deep_peroneal"));
  BOOST_TEST(fit_of("where=instep,onset=20,resolves=3,at-rest=yes", "lace_pressure_deep_peroneal") != "fits");
  // ... and numbness that starts at once is pressure from the start, not swelling.
  BOOST_TEST(fit_of("where=instep,onset=1,resolves=3", "lace_pressure_deep_peroneal") == "fits");
  BOOST_TEST(fit_of("where=instep,onset=1,resolves=3", "swelling_tight_shoe") == "unlikely");
}

BOOST_AUTO_TEST_CASE(burning_between_the_toes_or_ball_while_running_points_to_morton) {
  for (const char* where : {"between-toes", "ball-sole", "between-toes+ball-sole"}) {
    const Assessment a = assess(parse(std::string("where=") + where + ",onset=30,burning=yes"));
    BOOST_TEST_CONTEXT(where) {
      const Cause& morton = cause(a, "toe_box_interdigital");
      BOOST_TEST(morton.fit == "fits");
      BOOST_TEST(contains(morton.nerves, "interdigital_3rd_web"));
      BOOST_TEST(contains(a.nerves_to_watch, "interdigital_3rd_web"));
      BOOST_TEST(a.footwear == "plausible");
      BOOST_TEST(morton.why.find("burning") != std::string::npos, morton.why);
    }
  }
  // Contrast: no burning and no timing is only possible; burning in the heel is not Morton.
  BOOST_TEST(fit_of("where=between-toes", "toe_box_interdigital") == "possible");
  BOOST_TEST(fit_of("where=heel,burning=yes", "toe_box_interdigital") == "unlikely");
}

BOOST_AUTO_TEST_CASE(numbness_from_the_buttock_or_with_back_pain_points_away_from_footwear) {
  const Assessment buttock = assess(parse("where=buttock-leg,onset=10,resolves=5"));
  BOOST_TEST(buttock.footwear == "unlikely");
  BOOST_TEST(cause(buttock, "piriformis_sciatic").fit == "fits");
  BOOST_TEST(buttock.nerves_to_watch.empty());
  BOOST_TEST(buttock.footwear_reason.find("buttock") != std::string::npos, buttock.footwear_reason);

  const Assessment back = assess(parse("where=buttock-leg+calf+whole-foot,back-pain=yes"));
  BOOST_TEST(back.footwear == "unlikely");
  BOOST_TEST(cause(back, "lumbar_radiculopathy").fit == "fits");
  BOOST_TEST(cause(back, "piriformis_sciatic").fit == "possible");  // back pain points first to the spine

  const Assessment foot_back = assess(parse("where=whole-foot+calf,back-pain=yes"));
  BOOST_TEST(foot_back.footwear == "unlikely");
  BOOST_TEST(cause(foot_back, "lumbar_radiculopathy").fit == "fits");

  // A typical lace pattern with back pain too: footwear stays possible (the laces may still do it), not plausible.
  const Assessment lace_back = assess(parse("where=instep,onset=20,resolves=3,back-pain=yes"));
  BOOST_TEST(lace_back.footwear == "possible");
  BOOST_TEST(cause(lace_back, "lumbar_radiculopathy").fit == "fits");
  BOOST_TEST(cause(lace_back, "lace_pressure_deep_peroneal").fit == "possible");
  BOOST_TEST(lace_back.nerves_to_watch.empty());
  // Contrast: the same without the buttock or the back pain.
  BOOST_TEST(fit_of("where=calf+whole-foot", "lumbar_radiculopathy") == "unlikely");
  BOOST_TEST(fit_of("where=calf", "piriformis_sciatic") == "unlikely");
  BOOST_TEST(fit_of("where=instep,worse-leaning-back=yes", "lumbar_radiculopathy") == "fits");
}

BOOST_AUTO_TEST_CASE(calf_pain_after_a_set_time_fading_within_minutes_points_to_compartment_syndrome) {
  const Assessment a = assess(parse("where=calf,calf-pain=yes,onset=15,resolves=10"));
  BOOST_TEST(cause(a, "exertional_compartment").fit == "fits");
  BOOST_TEST(a.footwear == "unlikely");
  BOOST_TEST(a.footwear_reason.find("compartment") != std::string::npos, a.footwear_reason);
  BOOST_TEST(fit_of("where=shin,onset=15,resolves=10", "exertional_compartment") == "fits");

  // Unless the foot location also fits: then footwear stays possible (the leg can numb the foot too).
  const Assessment both = assess(parse("where=calf+instep,calf-pain=yes,onset=15,resolves=10"));
  BOOST_TEST(cause(both, "exertional_compartment").fit == "fits");
  BOOST_TEST(both.footwear == "possible");
  BOOST_TEST(cause(both, "lace_pressure_deep_peroneal").fit == "possible");

  // Contrasts: pain lingering for hours, or with no set onset and no timing, is not the CECS pattern.
  BOOST_TEST(fit_of("where=calf,calf-pain=yes,onset=15,resolves=180", "exertional_compartment") != "fits");
  BOOST_TEST(fit_of("where=calf,calf-pain=yes", "exertional_compartment") == "possible");
  BOOST_TEST(fit_of("where=instep,onset=15,resolves=10", "exertional_compartment") == "possible");
  BOOST_TEST(fit_of("where=heel,onset=15,resolves=10", "exertional_compartment") == "unlikely");
}

BOOST_AUTO_TEST_CASE(the_seeds_warning_signs_are_listed_with_their_urgency) {
  struct Case {
    const char* item;
    const char* care;
    const char* words;
  };
  for (const Case& c :
       {Case{"bladder-bowel=yes", "immediate", "bladder or bowel"}, Case{"foot-drop=yes", "immediate", "foot drop"},
        Case{"weakness=yes", "immediate", "weakness"}, Case{"worsening=yes", "prompt", "worse over time"},
        Case{"spreading=yes", "prompt", "spreads"}, Case{"at-rest=yes", "evaluation", "not running"},
        Case{"resolves=180", "evaluation", "lingers 180 min"}}) {
    const Assessment a = assess(parse(std::string("where=instep,") + c.item));
    BOOST_TEST_CONTEXT(c.item) {
      BOOST_TEST_REQUIRE(a.red_flags.size() == 1u);
      BOOST_TEST(a.red_flags[0].find(c.words) != std::string::npos, a.red_flags[0]);
      BOOST_TEST(a.care == c.care);
    }
  }
  const Assessment bb = assess(parse("where=buttock-leg,bladder-bowel=yes"));
  BOOST_TEST(bb.red_flags.at(0).find("Seek immediate medical care") == 0u, bb.red_flags.at(0));

  // All at once: most urgent first; a quick-fading pattern has none.
  const Assessment all =
      assess(parse("where=instep,resolves=180,at-rest=yes,worsening=yes,spreading=yes,weakness=yes,foot-drop=yes,"
                   "bladder-bowel=yes"));
  BOOST_TEST(all.red_flags.size() == 7u);
  BOOST_TEST(all.care == "immediate");
  BOOST_TEST(all.red_flags.front().find("bladder") != std::string::npos);
  BOOST_TEST(all.red_flags.back().find("lingers") != std::string::npos);
  BOOST_TEST(assess(parse("where=instep,resolves=59")).red_flags.empty());  // under kLingerMin
  BOOST_TEST(assess(parse("where=instep,resolves=60")).red_flags.size() == 1u);
}

// ---- the causes ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_cause_stands_on_its_seed_section) {
  std::ifstream in(std::string(FITCHECK_SOURCE_DIR) + "/../shared/seed/why-legs-go-numb.txt");
  BOOST_TEST_REQUIRE(in.good(), "seed text not found next to the checkout");
  // Headings: the short lines that are not sentences.
  std::vector<std::pair<std::string, std::string>> sections;  // heading, text
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line.size() < 80 && line.back() != '.')
      sections.push_back({line, ""});
    else if (!sections.empty())
      sections.back().second += line + "\n";
  }
  BOOST_TEST_REQUIRE(sections.size() == 4u);  // the title and three sections

  const Assessment a = assess(parse("where=instep"));
  std::set<std::string> ids, used_sections;
  for (const Cause& c : a.causes) {
    BOOST_TEST_CONTEXT(c.id) {
      BOOST_TEST(ids.insert(c.id).second);
      const auto s =
          std::find_if(sections.begin(), sections.end(), [&](const auto& h) { return h.first == c.seed_section; });
      BOOST_TEST_REQUIRE((s != sections.end()), "no heading '" << c.seed_section << "'");
      BOOST_TEST(s->second.find(c.seed_quote) != std::string::npos, "'" << c.seed_quote << "' not in its section");
      used_sections.insert(c.seed_section);
      for (const std::string& n : c.nerves) BOOST_TEST(contains(kAtlasNerves, n), n);
      BOOST_TEST(!c.name.empty());
    }
  }
  BOOST_TEST(used_sections.size() == 3u);  // every section of the seed contributes
  // The causes the seed names (and the brief's ids) are all there.
  for (const char* id : {"lace_pressure_deep_peroneal", "lace_pressure_superficial_peroneal", "swelling_tight_shoe",
                         "toe_box_interdigital", "toe_box_joplin", "shoe_upper_sural", "tight_socks", "tight_apparel",
                         "gait_biomechanics", "tarsal_tunnel", "dehydration_electrolytes", "piriformis_sciatic",
                         "exertional_compartment", "lumbar_radiculopathy", "peripheral_neuropathy"})
    BOOST_TEST(ids.count(id) == 1u, id);
  BOOST_TEST(ids.size() == 15u);
}

BOOST_AUTO_TEST_CASE(every_cause_can_be_reached) {
  // A pattern for each cause that gives it its best verdict (causes the pattern alone cannot show stop at possible).
  struct Case {
    const char* id;
    const char* text;
    const char* fit;
  };
  for (const Case& c : {
           Case{"lace_pressure_deep_peroneal", "where=ankle-front,resolves=2", "fits"},
           Case{"lace_pressure_superficial_peroneal", "where=forefoot-top,resolves=2", "fits"},
           Case{"swelling_tight_shoe", "where=whole-foot,onset=25,resolves=5", "fits"},
           Case{"toe_box_interdigital", "where=between-toes,resolves=2", "fits"},
           Case{"toe_box_joplin", "where=big-toe,burning=yes", "fits"},
           Case{"shoe_upper_sural", "where=outer-foot,resolves=2", "fits"},
           Case{"tight_socks", "where=heel,resolves=2", "possible"},
           Case{"tight_apparel", "where=calf", "possible"},
           Case{"gait_biomechanics", "where=heel,onset=5,resolves=2", "possible"},
           Case{"tarsal_tunnel", "where=inner-arch,burning=yes", "fits"},
           Case{"dehydration_electrolytes", "where=calf+whole-foot,onset=90,both-sides=yes", "possible"},
           Case{"piriformis_sciatic", "where=buttock-leg", "fits"},
           Case{"exertional_compartment", "where=shin,onset=12,resolves=4", "fits"},
           Case{"lumbar_radiculopathy", "where=calf,back-pain=yes", "fits"},
           Case{"peripheral_neuropathy", "where=whole-sole,both-sides=yes,at-rest=yes,burning=yes", "fits"},
       })
    BOOST_TEST(fit_of(c.text, c.id) == c.fit, c.id << " on '" << c.text << "'");
  // Capped causes never reach "fits".
  BOOST_TEST(fit_of("where=instep,onset=90,resolves=1", "tight_socks") == "possible");
  BOOST_TEST(fit_of("where=calf,onset=90,resolves=1", "dehydration_electrolytes") == "possible");
  // Neuropathy contrast: one foot, only while running, gone in minutes.
  BOOST_TEST(fit_of("where=whole-sole,onset=20,resolves=2", "peripheral_neuropathy") == "unlikely");
  BOOST_TEST(fit_of("where=whole-sole,both-sides=yes,burning=yes", "tarsal_tunnel") == "possible");
}

BOOST_AUTO_TEST_CASE(assessments_are_consistent_on_random_patterns) {
  // Invariants over many patterns: all causes once, sorted by verdict, one-sentence reasons, the footwear verdict
  // and nerves_to_watch derived from the footwear causes exactly as the header says, red flags iff warning items.
  std::mt19937 rng(6);
  std::uniform_int_distribution<int> loc(0, kLocationCount - 1), coin(0, 3), count(1, 3);
  std::uniform_real_distribution<double> minutes(0.0, 300.0);
  for (int i = 0; i < 3000; ++i) {
    Pattern p;
    for (int k = count(rng); k > 0; --k) {
      const auto l = static_cast<Location>(loc(rng));
      if (!p.has(l)) p.where.push_back(l);
    }
    if (coin(rng)) p.onset_min = minutes(rng) / 4;
    if (coin(rng)) p.resolves_min = coin(rng) ? minutes(rng) / 10 : minutes(rng);
    for (bool* b : {&p.back_pain, &p.weakness, &p.foot_drop, &p.bladder_bowel, &p.worsening, &p.spreading, &p.at_rest,
                    &p.calf_pain, &p.both_sides, &p.burning, &p.worse_leaning_back})
      *b = coin(rng) == 0;
    const Assessment a = assess(p);
    BOOST_TEST_CONTEXT(pattern_text(p)) {
      BOOST_TEST_REQUIRE(a.causes.size() == 15u);
      BOOST_TEST((parse(pattern_text(p)) == p));
      int best = 2;
      std::set<std::string> watch;
      for (std::size_t k = 0; k < a.causes.size(); ++k) {
        const Cause& c = a.causes[k];
        BOOST_TEST(rank(c.fit) <= 2);
        if (k) BOOST_TEST(rank(a.causes[k - 1].fit) <= rank(c.fit));
        BOOST_TEST((c.why.size() > 10 && c.why.back() == '.' && c.why.find(". ") == std::string::npos), c.why);
        if (c.footwear_related) {
          best = std::min(best, rank(c.fit));
          if (c.fit == "fits") watch.insert(c.nerves.begin(), c.nerves.end());
        }
      }
      BOOST_TEST(a.footwear == (best == 0 ? "plausible" : best == 1 ? "possible" : "unlikely"));
      BOOST_TEST((std::set<std::string>(a.nerves_to_watch.begin(), a.nerves_to_watch.end()) == watch));
      BOOST_TEST(a.nerves_to_watch.size() == watch.size());
      const bool warn = p.bladder_bowel || p.foot_drop || p.weakness || p.worsening || p.spreading || p.at_rest ||
                        (p.resolves_min && *p.resolves_min >= kLingerMin);
      BOOST_TEST(a.red_flags.empty() == !warn);
      BOOST_TEST((a.care == "none") == !warn);
      if (p.has(Location::buttock_leg) || p.back_pain) BOOST_TEST(a.footwear != "plausible");
    }
  }
}
