// Size systems and grading steps against literature.md G1/G2: +1 US size = 8.47 mm of last length and 6.5 mm of
// ball girth, one width letter = 6.35 mm of girth, round trips exact, bad sizes are usage errors.
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "size/size.hpp"
#include "test_util.hpp"

using namespace fitcheck;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(parse_and_format) {
  const auto s = size::parse_size("US 10 2E");
  BOOST_TEST(s.value == 10.0);
  BOOST_TEST(s.width == 2);
  BOOST_TEST(size::format_size(s) == "US 10 2E");
  BOOST_TEST(size::format_size(size::parse_size("us w 8 b")) == "US W 8 B");
  BOOST_TEST(size::parse_size("US 9 EEEE").width == 4);
  BOOST_TEST(size::parse_size("UK 8.5").value == 8.5);
  BOOST_TEST((size::parse_size("EU 43").system == size::System::eu));
  BOOST_TEST(size::parse_size("MP 270").value == 270.0);
}

BOOST_AUTO_TEST_CASE(one_us_size_is_8_47_mm_and_6_5_mm_girth) {
  const auto d = size::grade_delta(size::parse_size("US 9 D"), size::parse_size("US 10 D"));
  BOOST_TEST(std::abs(d.length_mm - 8.47) <= 0.2);
  BOOST_TEST(d.ball_girth_mm == 6.5, tt::tolerance(1e-9));
  const auto half = size::grade_delta(size::parse_size("US 9"), size::parse_size("US 9.5"));
  BOOST_TEST(half.length_mm == 25.4 / 6, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(one_width_letter_is_6_35_mm_girth_and_no_length) {
  const auto d = size::grade_delta(size::parse_size("US 9 D"), size::parse_size("US 9 E"));
  BOOST_TEST(d.length_mm == 0.0);
  BOOST_TEST(d.ball_girth_mm == 6.35, tt::tolerance(1e-9));
  const auto two = size::grade_delta(size::parse_size("US 10 D"), size::parse_size("US 10 2E"));
  BOOST_TEST(two.ball_girth_mm == 12.7, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(round_trip_us9_us10_us9_is_exact) {
  const auto a = size::parse_size("US 9 D"), b = size::parse_size("US 10 2E");
  const auto up = size::grade_delta(a, b), down = size::grade_delta(b, a);
  BOOST_TEST(std::abs(up.length_mm + down.length_mm) < 1e-12);
  BOOST_TEST(std::abs(up.ball_girth_mm + down.ball_girth_mm) < 1e-12);
}

BOOST_AUTO_TEST_CASE(other_systems_steps) {
  BOOST_TEST(size::grade_delta(size::parse_size("EU 42"), size::parse_size("EU 43")).length_mm == 20.0 / 3,
             tt::tolerance(1e-9));
  BOOST_TEST(size::grade_delta(size::parse_size("MP 265"), size::parse_size("MP 270")).length_mm == 5.0,
             tt::tolerance(1e-9));
  BOOST_TEST(size::grade_delta(size::parse_size("UK 8"), size::parse_size("UK 9")).length_mm == 25.4 / 3,
             tt::tolerance(1e-9));
  // US men's is UK + 1 (the customary offset): same last.
  BOOST_TEST(size::last_length_mm(size::parse_size("US 9")) == size::last_length_mm(size::parse_size("UK 8")),
             tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(size_for_length_inverts_last_length) {
  for (const char* t : {"US 7", "US 9.5", "US 12", "UK 6", "EU 41", "MP 250", "US W 8"}) {
    const auto s = size::parse_size(t);
    const auto back = size::size_for_last_length(size::last_length_mm(s), s.system);
    BOOST_TEST(back.value == s.value, t);
  }
  // A 245 mm last (openshoedesigner's) is about a US men's 5-5.5 or EU 37.
  BOOST_TEST(size::size_for_last_length(245.0, size::System::eu).value == 37.0);
}

BOOST_AUTO_TEST_CASE(bad_sizes_are_usage_errors) {
  for (const char* t : {"", "US", "US nine", "US 9.3", "XX 9", "US 9 Q", "EU 43 D", "US 9 D extra", "US 90"}) {
    try {
      size::parse_size(t);
      BOOST_FAIL("no error for '" << t << "'");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::usage, t);
    }
  }
}
