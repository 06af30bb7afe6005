// The bundled samples in scans/ and lasts/ are exactly what tools/make_samples generates: regenerating them gives
// byte-identical files, so the samples can always be rebuilt and reviewed from source.
#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace fitcheck::test;

BOOST_AUTO_TEST_CASE(samples_regenerate_byte_identical) {
  TempDir d;
  const std::string cmd = std::string("'") + FITCHECK_MAKE_SAMPLES + "' " + quote(d.path()) + " > /dev/null";
  BOOST_REQUIRE(std::system(cmd.c_str()) == 0);
  for (const char* f : {"scans/foot-right.ply", "scans/foot-left.obj", "lasts/last-fit.stl", "lasts/last-narrow.ply"}) {
    BOOST_TEST_INFO(f);
    BOOST_REQUIRE(std::filesystem::exists(d / f));
    BOOST_TEST((read_text(d / f) == read_text(source_dir() / f)));
  }
}
