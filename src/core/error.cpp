#include "core/error.hpp"

namespace fitcheck {

Error::Error(ErrorCode code, std::string stage, const std::string& message)
    : std::runtime_error(message), code_(code), stage_(std::move(stage)) {}

int exit_code(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::usage: return 2;
    case ErrorCode::io: return 3;
    case ErrorCode::invalid_input: return 4;
    case ErrorCode::did_not_converge: return 4;
    case ErrorCode::internal: return 5;
  }
  return 5;
}

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::usage: return "usage";
    case ErrorCode::io: return "io";
    case ErrorCode::invalid_input: return "invalid_input";
    case ErrorCode::did_not_converge: return "did_not_converge";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace fitcheck
