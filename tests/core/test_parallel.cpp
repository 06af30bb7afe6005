// core/parallel.hpp: every job runs once, and the error rethrown is the one a loop in order would have met first.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/parallel.hpp"

using namespace fitcheck;

BOOST_AUTO_TEST_CASE(every_job_runs_once) {
  std::vector<std::atomic<int>> runs(1000);
  parallel_for(runs.size(), 2, [&](std::size_t i) { ++runs[i]; });
  for (const auto& r : runs) BOOST_TEST(r.load() == 1);
}

// The swelling's time points and the check's side-by-side steps used to report the error of whichever thread's job
// failed first in time; a loop reports the lowest index. Job 1 fails late, job 2 (on the thread that ran job 0) at
// once: job 1's error, every time.
BOOST_AUTO_TEST_CASE(the_lowest_failing_job_is_reported_and_every_job_below_it_ran) {
  for (int round = 0; round < 20; ++round) {
    std::vector<std::atomic<int>> runs(200);
    std::string what;
    try {
      parallel_for(runs.size(), 2, [&](std::size_t i) {
        ++runs[i];
        if (i == 1) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          throw std::runtime_error("job 1");
        }
        if (i == 2 || i == 57 || i == 120) throw std::runtime_error("job " + std::to_string(i));
      });
    } catch (const std::runtime_error& e) {
      what = e.what();
    }
    BOOST_TEST(what == "job 1");
    BOOST_TEST(runs[0].load() == 1);
    BOOST_TEST(runs[1].load() == 1);
    for (const auto& r : runs) BOOST_TEST(r.load() <= 1);
  }
  // A later first failure: every job below it has run.
  std::vector<std::atomic<int>> runs(200);
  std::string what;
  try {
    parallel_for(runs.size(), 2, [&](std::size_t i) {
      ++runs[i];
      if (i == 120 || i == 150) throw std::runtime_error("job " + std::to_string(i));
    });
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  BOOST_TEST(what == "job 120");
  for (std::size_t i = 0; i <= 120; ++i) BOOST_TEST(runs[i].load() == 1, "job " << i);
}
