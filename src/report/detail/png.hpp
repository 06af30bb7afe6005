// The one place that talks to libpng (STYLE.md: library types stay in an adapter).
#pragma once

#include <cstdint>
#include <vector>

namespace fitcheck::report::detail {

/// PNG bytes of an 8-bit RGB image (`rgb`: 3 x width x height bytes, top row first). Preconditions: width, height > 0.
/// Error(internal, "report") when libpng fails, with libpng's message.
std::vector<std::uint8_t> encode_png_rgb8(const std::uint8_t* rgb, int width, int height);

}  // namespace fitcheck::report::detail
