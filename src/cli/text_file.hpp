// Writing the CLI's small text outputs (summaries, report.json, the .pvd index) so that a failure is an error, not a
// silently empty or cut file: a full disk or a directory in the file's place gave exit 0 with "report written".
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"

namespace fitcheck::cli {

/// Writes `text` next to `p` and renames it over `p`, so that a reader never sees half a file. Throws Error(io,
/// `stage`) naming `p` when the bytes cannot all be written or the rename fails (the temporary file is removed).
inline void write_text_file(const std::filesystem::path& p, const std::string& text, const std::string& stage) {
  const std::filesystem::path tmp = p.string() + ".tmp-" + std::to_string(::getpid());
  std::error_code ec;
  {
    std::ofstream o(tmp, std::ios::binary);
    o << text;
    o.close();
    if (!o) {
      std::filesystem::remove(tmp, ec);
      throw Error(ErrorCode::io, stage, "cannot write " + p.string() + " (disk full or not writable?)");
    }
  }
  std::filesystem::rename(tmp, p, ec);
  if (ec) {
    std::error_code ignore;
    std::filesystem::remove(tmp, ignore);
    throw Error(ErrorCode::io, stage, "cannot write " + p.string() + ": " + ec.message());
  }
}

}  // namespace fitcheck::cli
