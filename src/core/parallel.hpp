// A small work-sharing loop for the stages' independent jobs (distance queries, time points, candidate changes).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace fitcheck {

/// Calls `job(i)` for every i in [0, n) on up to `max_threads` threads (never more than the machine's cores or n).
/// The jobs must be independent; each i runs exactly once, so results stored per i do not depend on the thread
/// count. The first exception thrown by a job is rethrown here after every thread has stopped (the remaining jobs are
/// skipped).
template <class Job>
void parallel_for(std::size_t n, std::size_t max_threads, const Job& job) {
  const std::size_t threads = std::min<std::size_t>(
      {n, std::max<std::size_t>(1, max_threads), std::max<std::size_t>(1, std::thread::hardware_concurrency())});
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(threads);
  {
    std::vector<std::jthread> pool;  // joined on scope exit, also when starting a later thread throws
    for (std::size_t t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          for (std::size_t i = next++; i < n && !failed; i = next++) job(i);
        } catch (...) {
          errors[t] = std::current_exception();
          failed = true;
        }
      });
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace fitcheck
