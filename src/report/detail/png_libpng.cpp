// libpng adapter: PNG encoding into memory.
//
// libpng reports errors with longjmp. A longjmp that skips C++ destructors is undefined behaviour, so the frame that
// calls setjmp (write_image) and every frame libpng can jump out of (the callbacks) hold only trivially destructible
// objects; the error text is copied into a fixed buffer and turned into fitcheck::Error after libpng has returned.
#include "report/detail/png.hpp"

#include <png.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace fitcheck::report::detail {

namespace {

struct Context {
  std::vector<std::uint8_t>* out = nullptr;
  char message[256] = {};
};

void on_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<Context*>(png_get_error_ptr(png));
  if (ctx) std::snprintf(ctx->message, sizeof ctx->message, "%s", msg ? msg : "unknown error");
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // nothing libpng warns about here changes the output

void on_write(png_structp png, png_bytep data, png_size_t n) {
  auto* ctx = static_cast<Context*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    ctx->out->insert(ctx->out->end(), data, data + n);
  } catch (...) {  // bad_alloc must not unwind through libpng (C code)
    ok = false;
  }
  if (!ok) png_error(png, "out of memory while writing PNG bytes");
}

void on_flush(png_structp) {}

/// Returns false when libpng jumped out with an error (the message is in the error Context).
bool write_image(png_structp png, png_infop info, const std::uint8_t* rgb, int width, int height) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const std::size_t stride = static_cast<std::size_t>(width) * 3;
  for (int y = 0; y < height; ++y)
    png_write_row(png, rgb + static_cast<std::size_t>(y) * stride);  // libpng does not modify the row
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

std::vector<std::uint8_t> encode_png_rgb8(const std::uint8_t* rgb, int width, int height) {
  FITCHECK_ASSERT(rgb != nullptr && width > 0 && height > 0);
  std::vector<std::uint8_t> out;
  Context ctx;
  ctx.out = &out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
  if (!png) throw Error(ErrorCode::internal, "report", "libpng: png_create_write_struct failed");
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error(ErrorCode::internal, "report", "libpng: png_create_info_struct failed");
  }
  png_set_write_fn(png, &ctx, on_write, on_flush);
  const bool ok = write_image(png, info, rgb, width, height);
  png_destroy_write_struct(&png, &info);
  if (!ok)
    throw Error(ErrorCode::internal, "report",
                "libpng failed to encode a " + std::to_string(width) + " x " + std::to_string(height) +
                    " image: " + ctx.message);
  return out;
}

}  // namespace fitcheck::report::detail
