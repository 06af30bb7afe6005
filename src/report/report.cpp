#include "report/report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/format.hpp"
#include "report/detail/png.hpp"
#include "save/save.hpp"

namespace fitcheck::report {

namespace {

[[noreturn]] void fail(ErrorCode c, const std::string& what) { throw Error(c, "report", what); }

std::string num(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

std::string vec(const Eigen::Vector3d& v) {  // a stream: GCC 12's -Wrestrict misfires on "(" + std::string
  std::ostringstream s;
  s.precision(6);
  s << '(' << v.x() << ", " << v.y() << ", " << v.z() << ')';
  return s.str();
}

/// Orthonormal camera frame: right, up, toward the viewer (right = up x toward).
struct Frame {
  Eigen::Vector3d right, up, toward;
};

Frame frame_of(const View& view) {
  const Eigen::Vector3d d = view.toward_viewer;
  if (!d.allFinite() || !(d.norm() > 0))
    fail(ErrorCode::usage, "view '" + view.name + "': toward_viewer " + vec(d) + " must be finite and non-zero");
  Frame f;
  f.toward = d.normalized();
  if (!view.up.allFinite()) fail(ErrorCode::usage, "view '" + view.name + "': up " + vec(view.up) + " must be finite");
  const Eigen::Vector3d u = view.up - view.up.dot(f.toward) * f.toward;
  // Relative test: an up within ~0.06 degrees of the view direction gives no usable image orientation.
  if (!(u.norm() > 1e-6 * view.up.norm()))
    fail(ErrorCode::usage,
         "view '" + view.name + "': up " + vec(view.up) + " is zero or parallel to toward_viewer " + vec(d));
  f.up = u.normalized();
  f.right = f.up.cross(f.toward);
  return f;
}

void check_mesh(const Geometry& mesh, const std::vector<double>& values) {
  if (!mesh.is_mesh()) fail(ErrorCode::invalid_input, "render needs a triangle mesh (the geometry has no faces)");
  const std::size_t n = mesh.vertices.size();
  if (values.size() != n)
    fail(ErrorCode::invalid_input,
         "render got " + std::to_string(values.size()) + " values for " + std::to_string(n) + " vertices");
  std::size_t bad = 0;
  if (!all_finite(mesh.vertices, &bad))
    fail(ErrorCode::invalid_input, "vertex " + std::to_string(bad) + " is not finite");
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i]))
      fail(ErrorCode::invalid_input, "value at vertex " + std::to_string(i) + " is not finite");
  for (std::size_t f = 0; f < mesh.faces.size(); ++f)
    for (int k = 0; k < 3; ++k) {
      const int i = mesh.faces[f][k];
      if (i < 0 || static_cast<std::size_t>(i) >= n)
        fail(ErrorCode::invalid_input, "face " + std::to_string(f) + " has vertex index " + std::to_string(i) +
                                           " outside [0, " + std::to_string(n) + ")");
    }
}

void check_image(const Image& image, const std::string& what) {
  if (image.width <= 0 || image.height <= 0)
    fail(ErrorCode::invalid_input,
         what + ": image size " + std::to_string(image.width) + " x " + std::to_string(image.height) + " is empty");
  if (image.rgb.size() != 3 * static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height))
    fail(ErrorCode::invalid_input, what + ": " + std::to_string(image.rgb.size()) + " bytes for a " +
                                       std::to_string(image.width) + " x " + std::to_string(image.height) +
                                       " RGB image");
}

std::string data_uri(const Image& image) { return "data:image/png;base64," + base64(encode_png(image)); }

/// The colour bar: save::colormap over 256 columns, 12 rows (stretched by CSS).
Image legend_bar(double lo, double hi) {
  constexpr int kW = 256, kH = 12;
  std::vector<double> v(kW);
  for (int i = 0; i < kW; ++i) v[static_cast<std::size_t>(i)] = lo + (hi - lo) * i / (kW - 1);
  const std::vector<save::Rgb> c = save::colormap(v, lo, hi);
  Image img;
  img.width = kW, img.height = kH;
  img.rgb.resize(3 * kW * kH);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      for (int k = 0; k < 3; ++k)
        img.rgb[static_cast<std::size_t>(3 * (y * kW + x) + k)] = c[static_cast<std::size_t>(x)][k];
  return img;
}

constexpr const char* kCss = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1040px;
padding:16px 20px;color:#1d1d1f;background:#fff;line-height:1.45}
h1{font-size:1.6em;margin:.2em 0 .4em}
h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.red-flags{background:#fdecea;border:1px solid #e0a39b;border-left:6px solid #c62828;padding:8px 14px;border-radius:4px}
.red-flags h2{border:none;margin-top:.3em;color:#b71c1c}
.warnings{background:#fff8e1;border-left:6px solid #f9a825;padding:4px 14px;border-radius:4px}
.views{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;flex:1 1 300px;max-width:100%;text-align:center}
figure img{max-width:100%;height:auto;border:1px solid #ddd;border-radius:4px}
figcaption{font-size:.9em;color:#444}
.legend{max-width:560px;margin:8px 0 28px}
.legend-bar{position:relative;height:16px}
.legend-bar img{display:block;width:100%;height:16px;border:1px solid #999;box-sizing:border-box;image-rendering:auto}
.tick{position:absolute;top:0;height:22px;border-left:2px solid #222}
.tick span{position:absolute;top:22px;left:-40px;width:80px;text-align:center;font-size:.75em;white-space:nowrap}
.legend-ends{display:flex;justify-content:space-between;font-size:.8em;color:#444;margin-top:26px}
table{border-collapse:collapse;width:100%;font-size:.92em;margin-bottom:8px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2}tbody tr:nth-child(even){background:#fafafa}
footer{margin-top:2em;font-size:.8em;color:#666;border-top:1px solid #ddd;padding-top:.5em}
@media print{body{max-width:none}figure{break-inside:avoid}table{break-inside:auto}tr{break-inside:avoid}}
)";

void list_section(std::ostringstream& o, const char* cls, const char* heading, const std::vector<std::string>& items) {
  if (items.empty()) return;
  o << "<section class=\"" << cls << "\">\n<h2>" << heading << "</h2>\n<ul>\n";
  for (const auto& s : items) o << "<li>" << escape_html(s) << "</li>\n";
  o << "</ul>\n</section>\n";
}

}  // namespace

void RenderOptions::validate() const {
  if (width_px < 16 || width_px > 4096)
    fail(ErrorCode::usage, "width_px = " + std::to_string(width_px) + " must be in [16, 4096]");
  if (height_px < 16 || height_px > 4096)
    fail(ErrorCode::usage, "height_px = " + std::to_string(height_px) + " must be in [16, 4096]");
  if (!std::isfinite(min_value)) fail(ErrorCode::usage, "min_value = " + num(min_value) + " must be finite");
  if (!std::isfinite(max_value) || !(max_value > min_value))
    fail(ErrorCode::usage, "max_value = " + num(max_value) + " must be finite and > min_value = " + num(min_value));
  if (!(margin_fraction >= 0 && margin_fraction <= 0.4))
    fail(ErrorCode::usage, "margin_fraction = " + num(margin_fraction) + " must be in [0, 0.4]");
}

std::vector<View> standard_views() {
  const Eigen::Vector3d x = Eigen::Vector3d::UnitX(), y = Eigen::Vector3d::UnitY(), z = Eigen::Vector3d::UnitZ();
  return {{"top", z, y}, {"medial", y, z}, {"lateral", -y, z}, {"front", x, z}, {"back", -x, z}};
}

Image render(const Geometry& mesh, const std::vector<double>& values, const View& view, const RenderOptions& o) {
  o.validate();
  const Frame cam = frame_of(view);
  check_mesh(mesh, values);
  const std::size_t n = mesh.vertices.size();

  // Screen-plane coordinates (mm) and depth (mm towards the viewer) of every vertex; extent of the used ones.
  std::vector<Eigen::Vector3d> proj(n);
  std::vector<char> used(n, 0);
  for (const auto& f : mesh.faces) used[f[0]] = used[f[1]] = used[f[2]] = 1;
  double xmin = std::numeric_limits<double>::infinity(), ymin = xmin, xmax = -xmin, ymax = -xmin;
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d& p = mesh.vertices[i];
    proj[i] = Eigen::Vector3d(p.dot(cam.right), p.dot(cam.up), p.dot(cam.toward));
    if (!used[i]) continue;
    xmin = std::min(xmin, proj[i].x()), xmax = std::max(xmax, proj[i].x());
    ymin = std::min(ymin, proj[i].y()), ymax = std::max(ymax, proj[i].y());
  }
  const double W = o.width_px, H = o.height_px;
  const double avail_w = W * (1 - 2 * o.margin_fraction), avail_h = H * (1 - 2 * o.margin_fraction);
  const double ex = xmax - xmin, ey = ymax - ymin;
  double s = std::numeric_limits<double>::infinity();  // pixels per mm
  if (ex > 0) s = std::min(s, avail_w / ex);
  if (ey > 0) s = std::min(s, avail_h / ey);
  if (!std::isfinite(s)) s = 1;  // everything projects to one point: nothing has area anyway
  const double cx = 0.5 * (xmin + xmax), cy = 0.5 * (ymin + ymax);
  // Pixel coordinates: x to the right, y down, pixel (i, j) covers [i, i+1) x [j, j+1), sampled at its centre.
  for (std::size_t i = 0; i < n; ++i) {
    proj[i].x() = 0.5 * W + s * (proj[i].x() - cx);
    proj[i].y() = 0.5 * H - s * (proj[i].y() - cy);
  }

  const std::vector<save::Rgb> colour = save::colormap(values, o.min_value, o.max_value);
  Image img;
  img.width = o.width_px, img.height = o.height_px;
  const std::size_t npix = static_cast<std::size_t>(o.width_px) * static_cast<std::size_t>(o.height_px);
  img.rgb.assign(3 * npix, 255);
  std::vector<double> zbuf(npix, -std::numeric_limits<double>::infinity());  // larger = nearer the viewer

  // A pixel centre on a shared edge can fall a rounding error outside both triangles; accept that much.
  constexpr double kEdgeTol = 1e-9;
  for (const auto& f : mesh.faces) {
    const Eigen::Vector3d &a = proj[f[0]], &b = proj[f[1]], &c = proj[f[2]];
    const double area = (b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x());
    if (!(std::abs(area) > 0)) continue;  // edge-on or degenerate: covers no pixel
    const Eigen::Vector3d& A = mesh.vertices[f[0]];
    const Eigen::Vector3d nrm = (mesh.vertices[f[1]] - A).cross(mesh.vertices[f[2]] - A);
    const double nlen = nrm.norm();
    const double cosine = nlen > 0 ? std::min(1.0, std::abs(nrm.dot(cam.toward)) / nlen) : 0.0;
    const double shade = kAmbient + (1 - kAmbient) * cosine;
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min({a.x(), b.x(), c.x()}) - 0.5)));
    const int x1 = std::min(o.width_px - 1, static_cast<int>(std::ceil(std::max({a.x(), b.x(), c.x()}) - 0.5)));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min({a.y(), b.y(), c.y()}) - 0.5)));
    const int y1 = std::min(o.height_px - 1, static_cast<int>(std::ceil(std::max({a.y(), b.y(), c.y()}) - 0.5)));
    if (x0 > x1 || y0 > y1) continue;
    const double inv = 1.0 / area;
    double ca[3], cb[3], cc[3];  // vertex colours times the shade
    for (int k = 0; k < 3; ++k) {
      ca[k] = colour[f[0]][k] * shade;
      cb[k] = colour[f[1]][k] * shade;
      cc[k] = colour[f[2]][k] * shade;
    }
    // Barycentric weights as affine functions of the pixel centre, w = gx xc + gy yc + g0 (the edge functions over
    // the doubled signed area); orthographic, so depth and colour are linear in them.
    const double gx[3] = {(b.y() - c.y()) * inv, (c.y() - a.y()) * inv, (a.y() - b.y()) * inv};
    const double gy[3] = {(c.x() - b.x()) * inv, (a.x() - c.x()) * inv, (b.x() - a.x()) * inv};
    const double g0[3] = {(b.x() * c.y() - b.y() * c.x()) * inv, (c.x() * a.y() - c.y() * a.x()) * inv,
                          (a.x() * b.y() - a.y() * b.x()) * inv};
    for (int py = y0; py <= y1; ++py) {
      const double yc = py + 0.5;
      // The pixel span of this row inside all three edges (scanline: no per-pixel inside test).
      double lo = x0, hi = x1;
      double row[3];
      for (int k = 0; k < 3; ++k) {
        row[k] = gy[k] * yc + g0[k];
        if (gx[k] > 0)
          lo = std::max(lo, std::ceil((-kEdgeTol - row[k]) / gx[k] - 0.5));
        else if (gx[k] < 0)
          hi = std::min(hi, std::floor((-kEdgeTol - row[k]) / gx[k] - 0.5));
        else if (row[k] < -kEdgeTol)
          hi = lo - 1;
      }
      if (!(lo <= hi)) continue;
      const std::size_t base = static_cast<std::size_t>(py) * static_cast<std::size_t>(o.width_px);
      for (int px = static_cast<int>(lo); px <= static_cast<int>(hi); ++px) {
        const double xc = px + 0.5;
        const double wa = gx[0] * xc + row[0], wb = gx[1] * xc + row[1], wc = gx[2] * xc + row[2];
        const std::size_t pix = base + static_cast<std::size_t>(px);
        const double depth = wa * a.z() + wb * b.z() + wc * c.z();
        if (!(depth > zbuf[pix])) continue;
        zbuf[pix] = depth;
        for (int k = 0; k < 3; ++k)  // weights >= ~-kEdgeTol: + 0.5 and truncation round (no lround call)
          img.rgb[3 * pix + static_cast<std::size_t>(k)] =
              static_cast<std::uint8_t>(std::clamp(wa * ca[k] + wb * cb[k] + wc * cc[k] + 0.5, 0.0, 255.0));
      }
    }
  }
  return img;
}

std::vector<std::uint8_t> encode_png(const Image& image) {
  check_image(image, "encode_png");
  return detail::encode_png_rgb8(image.rgb.data(), image.width, image.height);
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    if (rest == 2) v |= std::uint32_t{bytes[i + 1]} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string html(const Page& page) {
  if (!std::isfinite(page.legend_min) || !std::isfinite(page.legend_max) || !(page.legend_max > page.legend_min))
    fail(ErrorCode::invalid_input, "legend range [" + num(page.legend_min) + ", " + num(page.legend_max) +
                                       "] must be finite with legend_max > legend_min");
  for (const auto& t : page.tables)
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      if (!t.header.empty() && t.rows[r].size() > t.header.size())
        fail(ErrorCode::invalid_input, "table '" + t.title + "' row " + std::to_string(r) + " has " +
                                           std::to_string(t.rows[r].size()) + " cells for " +
                                           std::to_string(t.header.size()) + " columns");
  for (const auto& [caption, image] : page.views) check_image(image, "view '" + caption + "'");

  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << escape_html(page.title) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n";
  o << "<header><h1>" << escape_html(page.title) << "</h1></header>\n";
  list_section(o, "red-flags", "Red flags", page.red_flags);
  if (!page.summary.empty()) {
    o << "<section class=\"summary\">\n";
    for (const auto& p : page.summary) o << "<p>" << escape_html(p) << "</p>\n";
    o << "</section>\n";
  }
  if (!page.views.empty()) {
    const std::string unit = escape_html(page.legend_unit);
    o << "<section>\n<h2>Pressure heatmap</h2>\n<div class=\"legend\">\n<div class=\"legend-bar\"><img src=\""
      << data_uri(legend_bar(page.legend_min, page.legend_max)) << "\" alt=\"colour scale from "
      << escape_html(num(page.legend_min)) << " to " << escape_html(num(page.legend_max)) << ' ' << unit << "\">\n";
    for (const auto& [value, label] : page.legend_marks) {
      if (!std::isfinite(value) || value < page.legend_min || value > page.legend_max) continue;
      const double pct = 100.0 * (value - page.legend_min) / (page.legend_max - page.legend_min);
      o << "<div class=\"tick\" style=\"left:" << fmt_fixed(pct, 2) << "%\"><span>" << escape_html(num(value)) << ' '
        << escape_html(label) << "</span></div>\n";
    }
    o << "</div>\n<div class=\"legend-ends\"><span>" << escape_html(num(page.legend_min)) << ' ' << unit
      << "</span><span>&ge; " << escape_html(num(page.legend_max)) << ' ' << unit << "</span></div>\n</div>\n";
    o << "<div class=\"views\">\n";
    for (const auto& [caption, image] : page.views)
      o << "<figure><img src=\"" << data_uri(image) << "\" width=\"" << image.width << "\" height=\"" << image.height
        << "\" alt=\"" << escape_html(caption) << "\"><figcaption>" << escape_html(caption)
        << "</figcaption></figure>\n";
    o << "</div>\n</section>\n";
  }
  for (const auto& t : page.tables) {
    o << "<section>\n";
    if (!t.title.empty()) o << "<h2>" << escape_html(t.title) << "</h2>\n";
    o << "<table>\n";
    if (!t.header.empty()) {
      o << "<thead><tr>";
      for (const auto& h : t.header) o << "<th>" << escape_html(h) << "</th>";
      o << "</tr></thead>\n";
    }
    o << "<tbody>\n";
    for (const auto& row : t.rows) {
      o << "<tr>";
      for (const auto& cell : row) o << "<td>" << escape_html(cell) << "</td>";
      for (std::size_t k = row.size(); k < t.header.size(); ++k) o << "<td></td>";
      o << "</tr>\n";
    }
    o << "</tbody>\n</table>\n</section>\n";
  }
  list_section(o, "warnings", "Warnings", page.warnings);
  list_section(o, "assumptions", "Assumptions", page.assumptions);
  if (!page.footer.empty()) o << "<footer>" << escape_html(page.footer) << "</footer>\n";
  o << "</body>\n</html>\n";
  return o.str();
}

void write_html(const std::filesystem::path& path, const Page& page) {
  const std::string text = html(page);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) fail(ErrorCode::io, path.string() + ": cannot create its folder: " + ec.message());
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) fail(ErrorCode::io, path.string() + ": cannot be opened for writing");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail(ErrorCode::io, path.string() + ": writing failed");
}

}  // namespace fitcheck::report
