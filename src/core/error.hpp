// fitcheck::Error — the one exception type of the project, and the one table from error codes to exit codes.
//
// Every stage throws Error (never a library exception: adapters catch and rethrow with context). The message names
// the file, value or index that is wrong. The CLI maps `code` to a process exit code with exit_code().
#pragma once

#include <stdexcept>
#include <string>

namespace fitcheck {

enum class ErrorCode {
  usage,             ///< bad command line or bad option value                       -> exit 2
  io,                ///< input missing, unreadable, malformed or unsupported format  -> exit 3
  invalid_input,     ///< input readable but not usable (degenerate, not a foot, NaN)  -> exit 4
  did_not_converge,  ///< an iterative stage failed on usable input                   -> exit 4
  internal,          ///< a bug or an unexpected library failure                      -> exit 5
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string stage, const std::string& message);
  ErrorCode code() const noexcept { return code_; }
  const std::string& stage() const noexcept { return stage_; }

 private:
  ErrorCode code_;
  std::string stage_;
};

/// Process exit code for an error code (the one table; see ARCHITECTURE.md "Interfaces").
int exit_code(ErrorCode code) noexcept;
/// Short stable name ("io", "invalid_input", ...) for logs and JSON.
const char* error_code_name(ErrorCode code) noexcept;

/// Internal invariant check: active in debug and test builds, never used for user data.
#ifndef NDEBUG
#define FITCHECK_ASSERT(cond)                                                                        \
  do {                                                                                               \
    if (!(cond))                                                                                     \
      throw ::fitcheck::Error(::fitcheck::ErrorCode::internal, "assert",                            \
                              std::string(__FILE__) + ":" + std::to_string(__LINE__) + ": " #cond); \
  } while (0)
#else
#define FITCHECK_ASSERT(cond) ((void)0)
#endif

}  // namespace fitcheck
