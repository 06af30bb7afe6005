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
/// The jobs must be independent; each i runs at most once, so results stored per i do not depend on the thread count.
/// Errors are those of a loop run in order: when jobs throw, the exception of the lowest such i is rethrown here after
/// every thread has stopped; every job below it has run, and jobs above it that had not started are skipped.
template <class Job>
void parallel_for(std::size_t n, std::size_t max_threads, const Job& job) {
  const std::size_t threads = std::min<std::size_t>(
      {n, std::max<std::size_t>(1, max_threads), std::max<std::size_t>(1, std::thread::hardware_concurrency())});
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> first_failed{n};  // the lowest i whose job threw (n: none yet)
  std::vector<std::exception_ptr> errors(n);
  {
    std::vector<std::jthread> pool;  // joined on scope exit, also when starting a later thread throws
    for (std::size_t t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        for (std::size_t i = next++; i < n && i < first_failed; i = next++) {
          try {
            job(i);
          } catch (...) {
            errors[i] = std::current_exception();
            for (std::size_t f = first_failed; i < f && !first_failed.compare_exchange_weak(f, i);) {
            }
          }
        }
      });
  }
  if (const std::size_t f = first_failed; f < n) std::rethrow_exception(errors[f]);
}

}  // namespace fitcheck
