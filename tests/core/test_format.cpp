// core/format.hpp: the numbers in messages.
#include <boost/test/unit_test.hpp>

#include "core/format.hpp"

using namespace fitcheck;

BOOST_AUTO_TEST_CASE(fixed_and_short) {
  BOOST_TEST(fmt_fixed(12.34) == "12.3");
  BOOST_TEST(fmt_fixed(2.0, 0) == "2");
  BOOST_TEST(fmt_short(60.0) == "60");
  BOOST_TEST(fmt_short(9.96) == "9.96");
  BOOST_TEST(fmt_short(-0.001) == "0");
}

BOOST_AUTO_TEST_CASE(a_value_said_to_be_outside_a_range_reads_outside_it_to_three_decimals) {
  // "toe allowance 17.0 mm outside 8-17 mm" (review): one decimal rounded 17.04 onto the range's end.
  BOOST_TEST(fmt_outside(17.04, 8, 17) == "17.04");
  BOOST_TEST(fmt_outside(7.96, 8, 17) == "7.96");
  BOOST_TEST(fmt_outside(17.3, 8, 17) == "17.3");
  BOOST_TEST(fmt_outside(17.0004, 8, 17) == "17.000");  // at most three decimals: then it reads as the range's end
  BOOST_TEST(fmt_outside(-3.27, 8, 17) == "-3.3");
}
