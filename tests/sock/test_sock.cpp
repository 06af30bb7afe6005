// Stage `sock`: the JSON spec (bundled example, every validation path with its exact error code and the key it must
// name), interpolation, the compression classes of literature.md C1, and the profile measured on a relaxed sock mesh
// (exact against independent and analytic sections, invariant under rigid motion, scaled under scaling).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <tuple>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "foot/foot.hpp"
#include "measure/measure.hpp"
#include "sock/sock.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
namespace tt = boost::test_tools;

namespace {

// A relaxed sock: the synthetic foot with a tall "ankle" (the cuff over the heel), scaled down by kSockScale. A knitted
// sock is smaller than the foot it is made for, and a mesh of it is foot-shaped with a cuff.
constexpr double kSockScale = 0.72;
synth::FootShape sock_shape() {
  synth::FootShape s;
  s.ankle_height_mm = 200.0;    // x 0.72 = 144 mm: a crew cuff reaching above kLegStartFraction x L
  s.toe_medial_shift_mm = 0.0;  // symmetric: the foot frame is then the synth frame, for the analytic check
  s.rings = 200;
  s.ring_points = 96;
  return s;
}
const Geometry& relaxed_sock() {
  static const Geometry g = [] {
    Geometry m = synth::make_foot(sock_shape());
    scale(m, kSockScale);
    return m;
  }();
  return g;
}

// A minimal valid spec; the error cases each change one thing in it (and check the change happened).
const std::string kValid = R"({
  "fitcheck_sock": 1,
  "name": "t",
  "fabric_modulus_n_per_mm": 0.25,
  "thickness_mm": 1.0,
  "compression_class": "RAL I",
  "foot_profile": [
    {"station_pct": 0, "circumference_mm": 150},
    {"station_pct": 50, "circumference_mm": 170},
    {"station_pct": 100, "circumference_mm": 110}
  ],
  "leg_profile": [
    {"height_mm": 80, "circumference_mm": 175},
    {"height_mm": 160, "circumference_mm": 165}
  ]
})";

std::string with(const std::string& from, const std::string& to) {
  const auto at = kValid.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "test bug: '" << from << "' not in the base spec");
  std::string s = kValid;
  s.replace(at, from.size(), to);
  return s;
}

// Rotation about an oblique axis plus a translation.
Eigen::Matrix4d rigid_motion() {
  Eigen::Matrix4d t = Eigen::Matrix4d::Identity();
  t.topLeftCorner<3, 3>() = Eigen::AngleAxisd(1.1, Eigen::Vector3d(0.3, -0.5, 0.8).normalized()).toRotationMatrix();
  t.topRightCorner<3, 1>() = Eigen::Vector3d(412.0, -87.5, 1250.0);
  return t;
}

}  // namespace

// ---- JSON ---------------------------------------------------------------------------------------------------------

// The bundled example is what users copy: it must load without warnings and describe a sock smaller than the foot.
BOOST_AUTO_TEST_CASE(bundled_example_parses) {
  const auto s = sock::load_sock(test::source_dir() / "lasts" / "sock-running.json");
  BOOST_TEST(s.source == "json");
  BOOST_TEST(s.name == "plain running sock (crew, adult, foot ~270 mm)");
  BOOST_TEST(s.foot.size() == 9u);
  BOOST_TEST(s.leg.size() == 3u);
  BOOST_TEST(s.fabric_modulus_n_per_mm == 0.25);
  BOOST_TEST(s.thickness_mm == 1.2);
  BOOST_TEST((s.compression == sock::CompressionClass::none));
  BOOST_TEST(s.warnings.empty(), "warnings: " << (s.warnings.empty() ? "" : s.warnings.front()));
  BOOST_TEST(s.foot.front().station_pct == 0.0);
  BOOST_TEST(s.foot.back().station_pct == 100.0);
  BOOST_TEST(s.foot[1].circumference_mm == 185.0);
  BOOST_TEST(s.leg[1].height_mm == 120.0);
}

// A relaxed sock must be smaller than the foot it is made for (else it exerts no pressure): the example against the
// synthetic median-man foot (265 mm, synth defaults) measured with the same stations, and a strain in the range knits
// are worn at.
BOOST_AUTO_TEST_CASE(bundled_example_is_smaller_than_an_adult_foot) {
  const auto s = sock::load_sock(test::source_dir() / "lasts" / "sock-running.json");
  const auto foot = sock::sock_from_mesh(synth::make_foot());  // the foot's own circumference profile
  BOOST_REQUIRE(foot.foot.size() >= 15u);
  for (const auto& p : foot.foot) {
    const double c_sock = sock::relaxed_circumference_at(s, p.station_pct);
    const double strain = (p.circumference_mm - c_sock) / c_sock;
    BOOST_TEST(strain > 0.05,
               "station " << p.station_pct << " %: foot " << p.circumference_mm << " mm, sock " << c_sock);
    BOOST_TEST(strain < 1.0,
               "station " << p.station_pct << " %: foot " << p.circumference_mm << " mm, sock " << c_sock);
  }
}

BOOST_AUTO_TEST_CASE(base_spec_is_valid_and_read_exactly) {
  // The error cases below start from this text: it must itself be accepted, or they would test nothing.
  const auto s = sock::parse_sock_json(kValid, "base");
  BOOST_TEST(s.name == "t");
  BOOST_TEST(s.foot.size() == 3u);
  BOOST_TEST(s.foot[2].circumference_mm == 110.0);
  BOOST_TEST(s.leg.size() == 2u);
  BOOST_TEST((s.compression == sock::CompressionClass::ral_1));
  BOOST_TEST(s.warnings.empty());
}

// Interpolation is what the pressure stage will call per vertex: exact linear values, clamped ends, no leg -> empty.
// A blank name printed "in sock ." and a name with control characters reached the terminal raw (review 2026-11-28):
// both keep the default name (the file's stem, here `where`) with a warning.
BOOST_AUTO_TEST_CASE(blank_or_control_character_names_keep_the_default) {
  for (const std::string name : {R"("name": "",)", R"("name": "  ",)", R"("name": "a\nb",)", R"("name": "x\u0000",)"}) {
    const auto s = sock::parse_sock_json(with(R"("name": "t",)", name), "case-file");
    BOOST_TEST_INFO(name);
    BOOST_TEST(s.name == "case-file");
    BOOST_TEST(s.warnings.size() == 1u);
  }
  BOOST_TEST(sock::parse_sock_json(kValid, "case-file").name == "t");
}

// A key given twice was read as its last value without a word (review 2026-11-28): a spec with two versions or two
// profiles is ambiguous, refused naming the key.
BOOST_AUTO_TEST_CASE(a_key_given_twice_is_refused) {
  for (const auto& [from, to, key] :
       {std::tuple<std::string, std::string, std::string>{R"("name": "t",)", R"("name": "t", "name": "u",)", "name"},
        {R"("fitcheck_sock": 1,)", R"("fitcheck_sock": 1, "fitcheck_sock": 2,)", "fitcheck_sock"},
        {R"({"station_pct": 0, "circumference_mm": 150})", R"({"station_pct": 0, "circumference_mm": 150, "station_pct": 5})",
         "foot_profile[0].station_pct"}}) {
    try {
      (void)sock::parse_sock_json(with(from, to), "dup.json");
      BOOST_ERROR("accepted a duplicate " << key);
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::invalid_input);
      BOOST_TEST(std::string(e.what()).find("key '" + key + "' is given twice") != std::string::npos, e.what());
    }
  }
}

BOOST_AUTO_TEST_CASE(interpolation_exact_values) {
  const auto s = sock::parse_sock_json(kValid, "base");
  BOOST_TEST(sock::relaxed_circumference_at(s, 25) == 160.0, tt::tolerance(1e-12));
  BOOST_TEST(sock::relaxed_circumference_at(s, 75) == 140.0, tt::tolerance(1e-12));
  BOOST_TEST(sock::relaxed_circumference_at(s, 50) == 170.0);
  BOOST_TEST(sock::relaxed_circumference_at(s, 10) == 154.0, tt::tolerance(1e-12));
  BOOST_TEST(sock::relaxed_circumference_at(s, -5) == 150.0);   // behind the heel: the heel value
  BOOST_TEST(sock::relaxed_circumference_at(s, 130) == 110.0);  // past the toe: the toe value
  BOOST_TEST(*sock::relaxed_leg_circumference_at(s, 120) == 170.0, tt::tolerance(1e-12));
  BOOST_TEST(*sock::relaxed_leg_circumference_at(s, 100) == 172.5, tt::tolerance(1e-12));
  BOOST_TEST(*sock::relaxed_leg_circumference_at(s, 30) == 175.0);  // below the cuff: joins the foot part
  BOOST_TEST(*sock::relaxed_leg_circumference_at(s, 160) == 165.0);
  BOOST_TEST(!sock::relaxed_leg_circumference_at(s, 160.5).has_value());  // above the top: no sock there
  sock::SockSpec ankle = s;
  ankle.leg.clear();
  BOOST_TEST(!sock::relaxed_leg_circumference_at(ankle, 100).has_value());
  try {
    (void)sock::relaxed_circumference_at(s, std::nan(""));
    BOOST_FAIL("NaN station accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::usage);
  }
}

// Each way a spec can be wrong: the exact code (io only for text that is not JSON), stage "sock", and a message naming
// the source and the key with its index, so that a user can fix the file.
BOOST_AUTO_TEST_CASE(validation_errors_name_the_key) {
  struct Case {
    std::string text;
    ErrorCode code;
    std::string key;  // must appear in the message
  };
  const std::string fp0 = R"({"station_pct": 0, "circumference_mm": 150})";
  const std::string fp1 = R"({"station_pct": 50, "circumference_mm": 170})";
  const std::string lp0 = R"({"height_mm": 80, "circumference_mm": 175})";
  const std::string lp1 = R"({"height_mm": 160, "circumference_mm": 165})";
  const std::vector<Case> cases = {
      // not JSON -> io
      {R"({"fitcheck_sock": 1,)", ErrorCode::io, "line"},
      {"", ErrorCode::io, "not valid JSON"},
      {with("0.25", "NaN"), ErrorCode::io, "fabric_modulus_n_per_mm"},  // JSON has no NaN literal
      {with(fp1, R"({"station_pct": 50 "circumference_mm": 170})"), ErrorCode::io, "foot_profile[1]"},
      // JSON, but not a usable spec -> invalid_input
      {"[1, 2]", ErrorCode::invalid_input, "top level"},
      {with(R"("fitcheck_sock": 1,)", ""), ErrorCode::invalid_input, "fitcheck_sock"},
      {with(R"("fitcheck_sock": 1)", R"("fitcheck_sock": 2)"), ErrorCode::invalid_input, "fitcheck_sock"},
      {with(R"("fitcheck_sock": 1)", R"("fitcheck_sock": "1")"), ErrorCode::invalid_input, "fitcheck_sock"},
      {with(R"("name": "t")", R"("name": 5)"), ErrorCode::invalid_input, "name"},
      {with("0.25", "10"), ErrorCode::invalid_input, "fabric_modulus_n_per_mm"},
      {with("0.25", "0"), ErrorCode::invalid_input, "fabric_modulus_n_per_mm"},
      {with("0.25", "true"), ErrorCode::invalid_input, "fabric_modulus_n_per_mm"},
      {with(R"("thickness_mm": 1.0)", R"("thickness_mm": 0.01)"), ErrorCode::invalid_input, "thickness_mm"},
      {with(R"("RAL I")", R"("RAL V")"), ErrorCode::invalid_input, "compression_class"},
      {with(R"("RAL I")", "2"), ErrorCode::invalid_input, "compression_class"},
      {with(R"("foot_profile")", R"("foot_prof")"), ErrorCode::invalid_input, "foot_profile"},
      {with(R"("foot_profile": [)", R"("foot_profile": "none", "x": [)"), ErrorCode::invalid_input, "foot_profile"},
      {with(fp0 + ",\n    " + fp1 + ",", ""), ErrorCode::invalid_input, "foot_profile"},  // one point left
      {with(fp1, "170"), ErrorCode::invalid_input, "foot_profile[1]"},
      {with(fp1, R"({"station_pct": 50})"), ErrorCode::invalid_input, "foot_profile[1].circumference_mm"},
      {with(fp1, R"({"circumference_mm": 170})"), ErrorCode::invalid_input, "foot_profile[1].station_pct"},
      {with(fp1, R"({"station_pct": 50, "circumference_mm": "170"})"), ErrorCode::invalid_input,
       "foot_profile[1].circumference_mm"},
      {with(fp1, R"({"station_pct": 50, "circumference_mm": 900})"), ErrorCode::invalid_input,
       "foot_profile[1].circumference_mm"},
      {with(fp1, R"({"station_pct": 50, "circumference_mm": 40})"), ErrorCode::invalid_input,
       "foot_profile[1].circumference_mm"},
      {with(fp1, R"({"station_pct": 50, "circumference_mm": 1e999})"), ErrorCode::invalid_input,
       "foot_profile[1].circumference_mm"},
      {with(fp1, R"({"station_pct": -1e999, "circumference_mm": 170})"), ErrorCode::invalid_input,
       "foot_profile[1].station_pct"},
      {with(fp1, R"({"station_pct": 120, "circumference_mm": 170})"), ErrorCode::invalid_input,
       "foot_profile[1].station_pct"},
      {with(fp1, R"({"station_pct": -1, "circumference_mm": 170})"), ErrorCode::invalid_input,
       "foot_profile[1].station_pct"},
      {with(fp1, R"({"station_pct": 0, "circumference_mm": 170})"), ErrorCode::invalid_input,
       "foot_profile[1].station_pct"},  // not strictly increasing
      {with(lp0, R"({"height_mm": 700, "circumference_mm": 175})"), ErrorCode::invalid_input,
       "leg_profile[0].height_mm"},
      {with(lp1, R"({"height_mm": 80, "circumference_mm": 165})"), ErrorCode::invalid_input,
       "leg_profile[1].height_mm"},  // not increasing
      {with(lp1, R"({"height_mm": 160, "circumference_mm": 801})"), ErrorCode::invalid_input,
       "leg_profile[1].circumference_mm"},
      {with(lp0 + ",\n    " + lp1, ""), ErrorCode::invalid_input, "leg_profile"},  // empty array
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    try {
      (void)sock::parse_sock_json(c.text, "case-file.json");
      BOOST_ERROR("case " << i << " (" << c.key << "): accepted:\n" << c.text);
    } catch (const Error& e) {
      const std::string msg = e.what();
      BOOST_TEST(e.code() == c.code, "case " << i << ": " << msg);
      BOOST_TEST(e.stage() == "sock", "case " << i);
      BOOST_TEST(msg.find("case-file.json") != std::string::npos, "case " << i << " does not name the file: " << msg);
      BOOST_TEST(msg.find(c.key) != std::string::npos, "case " << i << " does not name '" << c.key << "': " << msg);
    }
  }
}

// Unknown keys are a likely typo or a newer field: warned about (naming them), never fatal. A missing modulus says the
// default is an estimate.
// Untrusted text: truncations and byte flips of a valid spec either parse or throw fitcheck::Error with io or
// invalid_input -- never a library exception, a crash or a spec that breaks the rules.
BOOST_AUTO_TEST_CASE(mutated_specs_fail_cleanly) {
  std::mt19937 rng(4);
  const std::string alphabet = std::string("0123456789-+.eE,:[]{}\" ") + '\0' + '\xff';
  int parsed = 0, io = 0, invalid = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string t = kValid;
    if (i % 3 == 0) {
      t.resize(rng() % t.size());
    } else {
      for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k)
        t[rng() % t.size()] = alphabet[rng() % alphabet.size()];
    }
    try {
      const auto s = sock::parse_sock_json(t, "fuzz");
      sock::validate_spec(s, "fuzz");
      ++parsed;
    } catch (const Error& e) {
      BOOST_TEST((e.code() == ErrorCode::io || e.code() == ErrorCode::invalid_input), e.what());
      (e.code() == ErrorCode::io ? io : invalid)++;
    } catch (const std::exception& e) {
      BOOST_ERROR("case " << i << ": non-fitcheck exception: " << e.what() << "\n" << t);
    }
  }
  // All three outcomes occur, so the loop exercised both error paths.
  BOOST_TEST(parsed > 0);
  BOOST_TEST(io > 0);
  BOOST_TEST(invalid > 0);
}

BOOST_AUTO_TEST_CASE(unknown_keys_warn_and_missing_modulus_is_flagged) {
  std::string text = with(R"("name": "t",)", R"("name": "t", "colour": "red",)");
  const std::string first = R"({"station_pct": 0,)";
  text.replace(text.find(first), first.size(), R"({"station_pct": 0, "extra": 1,)");
  const auto s = sock::parse_sock_json(text, "w.json");
  BOOST_REQUIRE(s.warnings.size() == 2u);
  BOOST_TEST(s.warnings[0].find("'colour'") != std::string::npos, s.warnings[0]);
  BOOST_TEST(s.warnings[1].find("'foot_profile[0].extra'") != std::string::npos, s.warnings[1]);

  const auto d = sock::parse_sock_json(with(R"("fabric_modulus_n_per_mm": 0.25,)", ""), "d.json");
  BOOST_TEST(d.fabric_modulus_n_per_mm == sock::kDefaultFabricModulusNPerMm);
  BOOST_REQUIRE(d.warnings.size() == 1u);
  BOOST_TEST(d.warnings[0].find("estimate") != std::string::npos, d.warnings[0]);
  BOOST_TEST(d.name == "t");
  // Without a name the spec is named after its source.
  BOOST_TEST(sock::parse_sock_json(with(R"("name": "t",)", ""), "label").name == "label");
}

BOOST_AUTO_TEST_CASE(load_sock_file_errors) {
  test::TempDir dir;
  try {
    (void)sock::load_sock(dir / "missing.json");
    BOOST_FAIL("missing file accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::io);
    BOOST_TEST(std::string(e.what()).find("missing.json") != std::string::npos);
  }
  std::filesystem::create_directory(dir / "folder.json");
  try {
    (void)sock::load_sock(dir / "folder.json");
    BOOST_FAIL("directory accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::io);
  }
  test::write_text(dir / "big.json", std::string(1000001, ' '));
  try {
    (void)sock::load_sock(dir / "big.json");
    BOOST_FAIL("oversized spec accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
  }
  // Extension matching ignores case; the name defaults to the stem.
  test::write_text(dir / "MY-SOCK.JSON", with(R"("name": "t",)", ""));
  const auto s = sock::load_sock(dir / "MY-SOCK.JSON");
  BOOST_TEST(s.name == "MY-SOCK");
}

// ---- compression classes (literature.md C1) --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(class_parsing) {
  using C = sock::CompressionClass;
  const std::vector<std::pair<const char*, C>> ok = {
      {"none", C::none},           {"support", C::support}, {"Support hosiery", C::support},
      {"RAL I", C::ral_1},         {"RAL II", C::ral_2},    {"ral-2", C::ral_2},
      {"RAL class III", C::ral_3}, {"RAL_4", C::ral_4},     {"class I", C::ral_1},
      {"Class IV", C::ral_4},      {"CCL 2", C::ral_2},     {"UK 1", C::uk_1},
      {"uk class II", C::uk_2},    {"UK 3", C::uk_3},       {"  ral   iii ", C::ral_3}};
  for (const auto& [text, c] : ok) BOOST_TEST((sock::parse_compression_class(text) == c), text);
  // Canonical names read back.
  for (C c : {C::none, C::support, C::ral_1, C::ral_2, C::ral_3, C::ral_4, C::uk_1, C::uk_2, C::uk_3})
    BOOST_TEST((sock::parse_compression_class(sock::compression_class_name(c)) == c), sock::compression_class_name(c));
  for (const char* bad : {"", "RAL", "RAL V", "RAL 0", "UK 4", "UK IV", "class", "RAL I II", "DIN 2", "medium"}) {
    try {
      (void)sock::parse_compression_class(bad);
      BOOST_ERROR("accepted '" << bad << "'");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::usage, bad);
    }
  }
}

BOOST_AUTO_TEST_CASE(class_ranges_are_literature_c1) {
  using C = sock::CompressionClass;
  struct Row {
    C c;
    double lo, hi;
  };
  // C1: RAL-GZ 387 I 18-21, II 23-32, III 34-46, IV >= 49 (capped at 60); UK 14-17, 18-24, 25-35; support < 14.
  for (const Row& r : {Row{C::ral_1, 18, 21}, Row{C::ral_2, 23, 32}, Row{C::ral_3, 34, 46}, Row{C::ral_4, 49, 60},
                       Row{C::uk_1, 14, 17}, Row{C::uk_2, 18, 24}, Row{C::uk_3, 25, 35}, Row{C::support, 0, 14}}) {
    const auto range = sock::nominal_pressure_mmhg(r.c);
    BOOST_REQUIRE(range.has_value());
    BOOST_TEST(range->min_mmhg == r.lo, sock::compression_class_name(r.c));
    BOOST_TEST(range->max_mmhg == r.hi, sock::compression_class_name(r.c));
  }
  BOOST_TEST(!sock::nominal_pressure_mmhg(C::none).has_value());
}

// The default modulus must give class-I pressures at class-I-like strains (the header's back-of-envelope, P6).
BOOST_AUTO_TEST_CASE(default_modulus_back_of_envelope) {
  const double ankle_mm = 250.0, relaxed_mm = 176.0;
  const double T = sock::kDefaultFabricModulusNPerMm * (ankle_mm - relaxed_mm) / relaxed_mm;  // N/mm
  const double p_kpa = T / (ankle_mm / (2 * std::numbers::pi)) * 1000.0;                      // N/mm^2 -> kPa
  const double p_mmhg = p_kpa / 0.133322;
  const auto ral1 = *sock::nominal_pressure_mmhg(sock::CompressionClass::ral_1);
  BOOST_TEST(p_mmhg >= ral1.min_mmhg);
  BOOST_TEST(p_mmhg <= ral1.max_mmhg);
  // Hosiery form (P6): P = T[kgf] x n x 4620 / (C[cm] x W[cm]), per 1 cm of band width.
  const double p_hosiery = (T * 10.0 / 9.80665) * 1 * 4620.0 / (ankle_mm / 10.0 * 1.0);
  BOOST_TEST(p_hosiery == p_mmhg, tt::tolerance(0.002));
}

// ---- relaxed sock mesh -----------------------------------------------------------------------------------------

// The mesh path is "foot frame, then tape-measure sections": recomputing those sections independently must give the
// same numbers, so the stations (% of the frame's length), plane normals and the leg filter are the documented ones.
BOOST_AUTO_TEST_CASE(mesh_profile_matches_independent_sections) {
  const auto s = sock::sock_from_mesh(relaxed_sock());
  BOOST_TEST(s.source == "mesh");
  BOOST_TEST(s.foot.size() == 19u);  // 5 .. 95 % every 5 %
  BOOST_TEST(s.leg.size() >= 5u);
  BOOST_TEST(s.fabric_modulus_n_per_mm == sock::kDefaultFabricModulusNPerMm);
  BOOST_TEST(!s.warnings.empty());  // the modulus is not in a mesh
  const auto frame = foot::align_foot(relaxed_sock());
  const Geometry& a = frame.aligned;
  const double L = bounding_box(a.vertices).max.x();
  BOOST_TEST(L == kSockScale * 265.0, tt::tolerance(0.005));
  for (const auto& p : s.foot) {
    if (p.station_pct <= sock::kRearStationsPct) continue;  // clipped: checked analytically below
    const auto sec = measure::section(a, Eigen::Vector3d(p.station_pct / 100 * L, 0, 0), Eigen::Vector3d::UnitX(), 1.5);
    BOOST_TEST(std::abs(p.circumference_mm - measure::convex_perimeter(sec, Eigen::Vector3d::UnitX())) <= 0.5,
               "station " << p.station_pct);
  }
  for (const auto& p : s.leg) {
    auto sec = measure::section(a, Eigen::Vector3d(0, 0, p.height_mm), Eigen::Vector3d::UnitZ(), 1.5);
    std::erase_if(sec, [&](const Eigen::Vector3d& q) { return q.x() >= sock::kLegMaxXFraction * L; });
    BOOST_TEST(std::abs(p.circumference_mm - measure::convex_perimeter(sec, Eigen::Vector3d::UnitZ())) <= 0.5,
               "height " << p.height_mm);
  }
  BOOST_TEST(s.leg.front().height_mm == sock::kLegStartFraction * L, tt::tolerance(1e-9));
  BOOST_TEST(s.leg.back().height_mm == kSockScale * 200.0 - 1.0, tt::tolerance(0.01));
}

// Against the shape itself: synth::foot_section is the exact cross-section of the lofted body, so the profile
// (including the rear stations clipped at 0.35 L) must match its clipped tape-measure perimeter within 0.5 mm.
BOOST_AUTO_TEST_CASE(mesh_profile_matches_analytic_sections) {
  const auto s = sock::sock_from_mesh(relaxed_sock());
  const auto shape = sock_shape();
  const double L = kSockScale * shape.length_mm, zc = sock::kFootCutHeightFraction * L;
  int clipped = 0;
  for (const auto& p : s.foot) {
    const auto ring = synth::foot_section(shape, p.station_pct / 100 * shape.length_mm, 4000);
    std::vector<Eigen::Vector3d> pts;  // the closed ring scaled, clipped at z = zc (exact ends)
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const Eigen::Vector3d q0 = kSockScale * ring[i], q1 = kSockScale * ring[(i + 1) % ring.size()];
      const bool clip = p.station_pct <= sock::kRearStationsPct;
      if (!clip || q0.z() <= zc) pts.push_back(q0);
      if (clip && (q0.z() <= zc) != (q1.z() <= zc)) pts.push_back(q0 + (zc - q0.z()) / (q1.z() - q0.z()) * (q1 - q0));
    }
    if (p.station_pct <= sock::kRearStationsPct &&
        std::any_of(ring.begin(), ring.end(), [&](const Eigen::Vector3d& q) { return kSockScale * q.z() > zc; }))
      ++clipped;
    const double expect = measure::convex_perimeter(pts, Eigen::Vector3d::UnitX());
    // At 40-45 % the cuff's front falls 3.6 mm per mm to the instep: align_foot's sole fit tilts this body by ~0.1 deg
    // (0.17 mm of x at that height, ~1.2 mm of girth), which is the frame's error, not the section's. Elsewhere 0.5 mm.
    const double tol = p.station_pct > 37 && p.station_pct < 47 ? 1.5 : 0.5;
    BOOST_TEST(std::abs(p.circumference_mm - expect) <= tol,
               "station " << p.station_pct << ": " << p.circumference_mm << " vs analytic " << expect);
  }
  BOOST_TEST(clipped >= 5);  // the clip was exercised (the cuff rises above 0.35 L behind 35 %)
}

// A scan's pose is arbitrary: moving the sock rigidly must not change its profile.
BOOST_AUTO_TEST_CASE(mesh_profile_invariant_under_rigid_motion) {
  const auto s0 = sock::sock_from_mesh(relaxed_sock());
  const auto s1 = sock::sock_from_mesh(foot::transformed(relaxed_sock(), rigid_motion()));
  BOOST_REQUIRE(s0.foot.size() == s1.foot.size());
  for (std::size_t i = 0; i < s0.foot.size(); ++i) {
    BOOST_TEST(s0.foot[i].station_pct == s1.foot[i].station_pct);
    BOOST_TEST(std::abs(s0.foot[i].circumference_mm - s1.foot[i].circumference_mm) <= 0.5,
               "station " << s0.foot[i].station_pct);
  }
  BOOST_REQUIRE(s0.leg.size() == s1.leg.size());
  for (std::size_t i = 0; i < s0.leg.size(); ++i) {
    BOOST_TEST(std::abs(s0.leg[i].height_mm - s1.leg[i].height_mm) <= 0.5);
    BOOST_TEST(std::abs(s0.leg[i].circumference_mm - s1.leg[i].circumference_mm) <= 0.5, "leg " << i);
  }
}

// Stations are % of length, so a sock 10 % larger has every foot circumference 10 % larger (units are not baked in).
BOOST_AUTO_TEST_CASE(mesh_profile_scales_with_the_sock) {
  const auto s0 = sock::sock_from_mesh(relaxed_sock());
  Geometry big = relaxed_sock();
  scale(big, 1.1);
  const auto s1 = sock::sock_from_mesh(big);
  BOOST_REQUIRE(s0.foot.size() == s1.foot.size());
  for (std::size_t i = 0; i < s0.foot.size(); ++i)
    BOOST_TEST(std::abs(1.1 * s0.foot[i].circumference_mm - s1.foot[i].circumference_mm) <= 0.5,
               "station " << s0.foot[i].station_pct);
  // 0.4 x the frame's length; align_foot's length is scale-covariant to ~1e-5 (its sole fit uses a subsample).
  BOOST_TEST(s1.leg.front().height_mm == 1.1 * s0.leg.front().height_mm, tt::tolerance(1e-4));
}

// A scanned sock may come as points: the slab sections (+-1.5 mm, projected) follow the mesh profile within 4 mm where
// the walls are gentle. Measured here: up to 3.5 mm; at 40-45 % (a 3.6:1 slope) and the rounded top the slab reads up
// to 10 mm high, so those are not compared -- a known limit of slab sections, stated rather than hidden.
BOOST_AUTO_TEST_CASE(point_cloud_sock_follows_the_mesh) {
  const auto mesh = sock::sock_from_mesh(relaxed_sock());
  const auto cloud = sock::sock_from_mesh(synth::sample_surface(relaxed_sock(), 60000, 0.0, 3));
  BOOST_REQUIRE(mesh.foot.size() == cloud.foot.size());
  for (std::size_t i = 0; i < mesh.foot.size(); ++i) {
    const double pct = mesh.foot[i].station_pct;
    if (pct > 37 && pct < 47) continue;
    BOOST_TEST(std::abs(mesh.foot[i].circumference_mm - cloud.foot[i].circumference_mm) <= 4.0, "station " << pct);
  }
  BOOST_REQUIRE(mesh.leg.size() == cloud.leg.size());
  for (std::size_t i = 0; i + 1 < mesh.leg.size(); ++i)
    BOOST_TEST(std::abs(mesh.leg[i].circumference_mm - cloud.leg[i].circumference_mm) <= 4.0, "leg " << i);
}

// load_sock sends mesh files through load and the same measurement; options reach the spec.
BOOST_AUTO_TEST_CASE(load_sock_reads_a_mesh_file) {
  test::TempDir dir;
  test::write_ascii_ply(dir / "relaxed.ply", relaxed_sock().vertices, relaxed_sock().faces);
  sock::MeshOptions opt;
  opt.fabric_modulus_n_per_mm = 0.4;
  opt.thickness_mm = 2.0;
  opt.compression = sock::CompressionClass::ral_2;
  const auto s = sock::load_sock(dir / "relaxed.ply", opt);
  const auto direct = sock::sock_from_mesh(relaxed_sock());
  BOOST_TEST(s.source == "mesh");
  BOOST_TEST(s.name == "relaxed");
  BOOST_TEST(s.fabric_modulus_n_per_mm == 0.4);
  BOOST_TEST(s.thickness_mm == 2.0);
  BOOST_TEST((s.compression == sock::CompressionClass::ral_2));
  BOOST_REQUIRE(s.foot.size() == direct.foot.size());
  for (std::size_t i = 0; i < s.foot.size(); ++i)
    BOOST_TEST(std::abs(s.foot[i].circumference_mm - direct.foot[i].circumference_mm) <= 0.01);
}

// Things that are not a sock are refused with invalid_input from stage "sock" (not a foot error leaking out).
BOOST_AUTO_TEST_CASE(not_a_sock_is_invalid_input) {
  auto expect = [](const Geometry& g, const std::string& what, const std::string& needle) {
    try {
      (void)sock::sock_from_mesh(g);
      BOOST_ERROR(what << " accepted");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::invalid_input, what << ": " << e.what());
      BOOST_TEST(e.stage() == "sock", what);
      BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos, what << ": " << e.what());
    }
  };
  expect(synth::make_uv_sphere(90.0), "sphere", "does not look like a sock");
  expect(synth::make_box(Eigen::Vector3d(200, 80, 60)), "box", "does not look like a sock");
  expect(Geometry{}, "empty mesh", "empty");
  Geometry nan_sock = relaxed_sock();
  nan_sock.vertices[7].y() = std::nan("");
  expect(nan_sock, "NaN vertex", "vertex 7");
}

BOOST_AUTO_TEST_CASE(bad_mesh_options_are_usage_errors) {
  auto expect_usage = [](sock::MeshOptions o, const std::string& field) {
    try {
      (void)sock::sock_from_mesh(relaxed_sock(), o);
      BOOST_ERROR(field << " accepted");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::usage, field);
      BOOST_TEST(std::string(e.what()).find(field) != std::string::npos, e.what());
    }
  };
  sock::MeshOptions o;
  o.fabric_modulus_n_per_mm = 0.001;
  expect_usage(o, "fabric_modulus_n_per_mm");
  o = {};
  o.thickness_mm = 6;
  expect_usage(o, "thickness_mm");
  o = {};
  o.station_step_pct = 0;
  expect_usage(o, "station_step_pct");
  o = {};
  o.leg_step_mm = std::nan("");
  expect_usage(o, "leg_step_mm");
}

// A spec built in code goes through the same rules as a file.
BOOST_AUTO_TEST_CASE(validate_spec_on_code_built_specs) {
  sock::SockSpec s = sock::parse_sock_json(kValid, "base");
  BOOST_CHECK_NO_THROW(sock::validate_spec(s, "code"));
  s.foot[2].circumference_mm = std::numeric_limits<double>::infinity();
  try {
    sock::validate_spec(s, "code");
    BOOST_FAIL("infinite circumference accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
    BOOST_TEST(std::string(e.what()).find("foot_profile[2].circumference_mm") != std::string::npos, e.what());
  }
}
