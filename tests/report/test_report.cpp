// Report: the software heatmap renderer on analytic shapes (a box's silhouette size in pixels, a sphere's disk and
// shading, a gradient's direction per view, the z-buffer), its invariance under scaling and rigid motion, its speed on
// a 50k-triangle mesh; PNG bytes decoded back by libpng; base64 test vectors (RFC 4648); the HTML page (self-contained,
// escaped, one inline PNG per view); one test per error code.
#include <png.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "report/report.hpp"
#include "save/save.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;
using report::Image;

namespace {

/// Axis-aligned box [lo, hi], 8 vertices, 12 triangles wound outward.
Geometry box(const Eigen::Vector3d& lo, const Eigen::Vector3d& hi) {
  Geometry g;
  for (int i = 0; i < 8; ++i)
    g.vertices.emplace_back(i & 1 ? hi.x() : lo.x(), i & 2 ? hi.y() : lo.y(), i & 4 ? hi.z() : lo.z());
  const int quads[6][4] = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
  for (const auto& q : quads) {
    g.faces.emplace_back(q[0], q[1], q[2]);
    g.faces.emplace_back(q[0], q[2], q[3]);
  }
  return g;
}

/// UV sphere of radius r about the origin: `rings` latitude rings between the poles, `slices` around;
/// 2 slices rings triangles, wound outward.
Geometry sphere(double r, int rings, int slices) {
  Geometry g;
  g.vertices.emplace_back(0, 0, r);
  for (int i = 1; i <= rings; ++i) {
    const double th = std::numbers::pi * i / (rings + 1);
    for (int j = 0; j < slices; ++j) {
      const double ph = 2 * std::numbers::pi * j / slices;
      g.vertices.emplace_back(r * std::sin(th) * std::cos(ph), r * std::sin(th) * std::sin(ph), r * std::cos(th));
    }
  }
  g.vertices.emplace_back(0, 0, -r);
  const int south = static_cast<int>(g.vertices.size()) - 1;
  auto at = [&](int i, int j) { return 1 + (i - 1) * slices + (j % slices); };
  for (int j = 0; j < slices; ++j) g.faces.emplace_back(0, at(1, j), at(1, j + 1));
  for (int i = 1; i < rings; ++i)
    for (int j = 0; j < slices; ++j) {
      g.faces.emplace_back(at(i, j), at(i + 1, j), at(i + 1, j + 1));
      g.faces.emplace_back(at(i, j), at(i + 1, j + 1), at(i, j + 1));
    }
  for (int j = 0; j < slices; ++j) g.faces.emplace_back(south, at(rings, j + 1), at(rings, j));
  return g;
}

/// Flat grid of nu x nv vertices: p = origin + u_len (i / (nu-1)) u + v_len (j / (nv-1)) v, normal u x v.
Geometry plate(const Eigen::Vector3d& origin, const Eigen::Vector3d& u, const Eigen::Vector3d& v, int nu, int nv) {
  Geometry g;
  for (int j = 0; j < nv; ++j)
    for (int i = 0; i < nu; ++i) g.vertices.push_back(origin + u * i / (nu - 1) + v * j / (nv - 1));
  for (int j = 0; j + 1 < nv; ++j)
    for (int i = 0; i + 1 < nu; ++i) {
      const int a = j * nu + i, b = a + 1, c = a + nu, d = c + 1;
      g.faces.emplace_back(a, b, d);
      g.faces.emplace_back(a, d, c);
    }
  return g;
}

std::vector<double> values_along(const Geometry& g, int axis, double lo_mm, double hi_mm, double max_value = 60) {
  std::vector<double> v;
  for (const auto& p : g.vertices) v.push_back(max_value * (p[axis] - lo_mm) / (hi_mm - lo_mm));
  return v;
}

report::View view_named(const std::string& name) {
  for (const auto& v : report::standard_views())
    if (v.name == name) return v;
  throw std::runtime_error("no view " + name);
}

save::Rgb pixel(const Image& im, int x, int y) {
  const std::size_t i =
      3 * (static_cast<std::size_t>(y) * static_cast<std::size_t>(im.width) + static_cast<std::size_t>(x));
  return {im.rgb[i], im.rgb[i + 1], im.rgb[i + 2]};
}
bool is_white(const save::Rgb& c) { return c[0] == 255 && c[1] == 255 && c[2] == 255; }
bool is_red(const save::Rgb& c) { return c[0] > 180 && c[1] < 80 && c[2] < 80; }
bool is_blue(const save::Rgb& c) { return c[2] > 180 && c[0] < 80 && c[1] < 80; }
std::string str(const save::Rgb& c) {
  return std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]);
}

/// Number of non-white pixels in row y.
int coloured_in_row(const Image& im, int y) {
  int n = 0;
  for (int x = 0; x < im.width; ++x) n += !is_white(pixel(im, x, y));
  return n;
}
int coloured_in_column(const Image& im, int x) {
  int n = 0;
  for (int y = 0; y < im.height; ++y) n += !is_white(pixel(im, x, y));
  return n;
}
std::size_t count_if_pixel(const Image& im, bool (*pred)(const save::Rgb&)) {
  std::size_t n = 0;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) n += pred(pixel(im, x, y));
  return n;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

template <class F>
ErrorCode code_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    BOOST_TEST_MESSAGE("error: " << e.what());
    return e.code();
  }
  BOOST_FAIL("no fitcheck::Error thrown");
  return ErrorCode::internal;
}

}  // namespace

BOOST_AUTO_TEST_CASE(standard_views_are_the_five_documented_frames) {
  const auto views = report::standard_views();
  BOOST_REQUIRE_EQUAL(views.size(), 5u);
  const char* names[] = {"top", "medial", "lateral", "front", "back"};
  // Image right = up x toward_viewer: toes (+x) right from the top and from the lateral side, left from the medial.
  const Eigen::Vector3d rights[] = {Eigen::Vector3d::UnitX(), -Eigen::Vector3d::UnitX(), Eigen::Vector3d::UnitX(),
                                    Eigen::Vector3d::UnitY(), -Eigen::Vector3d::UnitY()};
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST(views[i].name == names[i]);
    BOOST_TEST(std::abs(views[i].toward_viewer.dot(views[i].up)) < 1e-12);
    BOOST_TEST((views[i].up.cross(views[i].toward_viewer) - rights[i]).norm() < 1e-12, views[i].name);
    BOOST_TEST(views[i].toward_viewer.z() >= 0.0, "no view from below");
  }
}

BOOST_AUTO_TEST_CASE(box_from_top_fills_the_middle_at_the_fitted_size_and_leaves_corners_white) {
  // A unit cube from the top: its 1 x 1 square fitted into 320 px height minus 5 % margins = 288 px, centred.
  // Values all 30 on 0..60 = the middle of the scale, pure green (0, 200, 0); the top face faces the viewer: no shade.
  const Geometry g = box({0, 0, 0}, {1, 1, 1});
  const std::vector<double> v(g.vertices.size(), 30.0);
  const Image im = report::render(g, v, view_named("top"));
  BOOST_REQUIRE_EQUAL(im.width, 480);
  BOOST_REQUIRE_EQUAL(im.height, 320);
  BOOST_REQUIRE_EQUAL(im.rgb.size(), 480u * 320u * 3u);
  BOOST_TEST(str(pixel(im, 240, 160)) == "0,200,0");
  for (auto [x, y] : {std::pair{0, 0}, {479, 0}, {0, 319}, {479, 319}, {50, 160}, {430, 160}})
    BOOST_TEST(is_white(pixel(im, x, y)), x << "," << y);
  BOOST_TEST(std::abs(coloured_in_row(im, 160) - 288) <= 1);
  BOOST_TEST(std::abs(coloured_in_column(im, 240) - 288) <= 1);
  // Exact-answer check again after scaling (x1e-3, x1e3) and moving: the fit makes the image independent of both.
  for (double k : {1e-3, 1e3}) {
    Geometry h = g;
    scale(h, k);
    for (auto& p : h.vertices) p += Eigen::Vector3d(-700, 250, 90);
    const Image im2 = report::render(h, v, view_named("top"));
    BOOST_TEST(std::abs(coloured_in_row(im2, 160) - 288) <= 1, "scale " << k);
    BOOST_TEST(str(pixel(im2, 240, 160)) == "0,200,0");
    BOOST_TEST(is_white(pixel(im2, 0, 0)));
  }
}

BOOST_AUTO_TEST_CASE(sphere_from_top_is_a_shaded_disk_with_white_corners) {
  const Geometry g = sphere(20, 60, 120);
  const std::vector<double> v(g.vertices.size(), 30.0);
  report::RenderOptions o;
  o.width_px = 200, o.height_px = 200, o.margin_fraction = 0.1;
  const Image im = report::render(g, v, view_named("top"), o);
  const auto centre = pixel(im, 100, 100);
  BOOST_TEST(centre[1] >= 195);  // faces the viewer: green at (nearly) full brightness
  BOOST_TEST(centre[0] == 0);
  for (auto [x, y] : {std::pair{0, 0}, {199, 0}, {0, 199}, {199, 199}}) BOOST_TEST(is_white(pixel(im, x, y)));
  // Disk diameter = 200 x 0.8 = 160 px (polygon: slightly less).
  BOOST_TEST(std::abs(coloured_in_row(im, 100) - 160) <= 2);
  // Near the rim the surface is seen at a grazing angle: darker than the centre, but not below the ambient part.
  const auto rim = pixel(im, 100 + 78, 100);
  BOOST_TEST(rim[1] < centre[1] - 60, str(rim));
  BOOST_TEST(rim[1] >= static_cast<int>(report::kAmbient * 200) - 2, str(rim));
}

BOOST_AUTO_TEST_CASE(values_increasing_along_x_are_red_towards_the_toes_in_each_view) {
  // Top: a horizontal plate (normal +z), values 0..60 along x: toes to the right -> red right, blue left.
  // 100 x 40 mm fitted into 432 x 288 px (5 % margins): 4.32 px/mm, x from 24 to 456 px, y from 73.6 to 246.4 px.
  const Geometry top = plate({0, 0, 0}, {100, 0, 0}, {0, 40, 0}, 51, 21);
  const Image a = report::render(top, values_along(top, 0, 0, 100), view_named("top"));
  BOOST_TEST(is_red(pixel(a, 450, 160)), str(pixel(a, 450, 160)));
  BOOST_TEST(is_blue(pixel(a, 30, 160)), str(pixel(a, 30, 160)));
  BOOST_TEST(is_white(pixel(a, 10, 160)));
  BOOST_TEST(is_white(pixel(a, 240, 60)));
  // A vertical plate (y = 0) with the same values: red right from the lateral side (-y), left from the medial (+y).
  const Geometry side = plate({0, 0, 0}, {100, 0, 0}, {0, 0, 40}, 51, 21);
  const std::vector<double> vs = values_along(side, 0, 0, 100);
  const Image lat = report::render(side, vs, view_named("lateral"));
  const Image med = report::render(side, vs, view_named("medial"));
  BOOST_TEST(is_red(pixel(lat, 450, 160)));
  BOOST_TEST(is_blue(pixel(lat, 30, 160)));
  BOOST_TEST(is_red(pixel(med, 30, 160)));
  BOOST_TEST(is_blue(pixel(med, 450, 160)));
  // Values increasing with z on the same plate: red at the top of the image (z up) in the side views.
  const Image up = report::render(side, values_along(side, 2, 0, 40), view_named("lateral"));
  const int top_row = 80, bottom_row = 240;  // z = 38.4 and 1.4 mm
  BOOST_TEST(is_red(pixel(up, 240, top_row)), str(pixel(up, 240, top_row)));
  BOOST_TEST(is_blue(pixel(up, 240, bottom_row)), str(pixel(up, 240, bottom_row)));
}

BOOST_AUTO_TEST_CASE(z_buffer_hides_a_face_behind_another) {
  // A big blue triangle at x = 10 in front of (seen from +x) a small red one at x = 0.
  Geometry g;
  g.vertices = {{10, -20, -20}, {10, 20, -20}, {10, 0, 20}, {0, -2, -2}, {0, 2, -2}, {0, 0, 2}};
  g.faces = {{0, 1, 2}, {3, 4, 5}};
  const std::vector<double> v = {0, 0, 0, 60, 60, 60};
  const Image front = report::render(g, v, view_named("front"));
  BOOST_TEST(count_if_pixel(front, is_red) == 0u);
  BOOST_TEST(count_if_pixel(front, is_blue) > 10000u);
  // The same scene from the back: now the red one is in front and visible (so the test above can fail).
  const Image back = report::render(g, v, view_named("back"));
  BOOST_TEST(count_if_pixel(back, is_red) > 100u);
  // And the red one drawn after the blue one: draw order must not matter.
  Geometry h = g;
  std::swap(h.faces[0], h.faces[1]);
  BOOST_TEST(count_if_pixel(report::render(h, v, view_named("front")), is_red) == 0u);
}

BOOST_AUTO_TEST_CASE(image_is_invariant_under_rigid_motion_of_mesh_and_view) {
  const Geometry g = sphere(30, 40, 80);
  const std::vector<double> v = values_along(g, 0, -30, 30);
  const report::View view = view_named("medial");
  const Image ref = report::render(g, v, view);
  for (unsigned seed : {1u, 2u, 3u}) {
    const Eigen::Matrix4d t = random_rigid(seed);
    const Eigen::Matrix3d r = t.topLeftCorner<3, 3>();
    Geometry h = g;
    for (auto& p : h.vertices) p = r * p + t.topRightCorner<3, 1>();
    const report::View moved{view.name, r * view.toward_viewer, r * view.up};
    const Image im = report::render(h, v, moved);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < im.rgb.size(); i += 3) {
      int d = 0;
      for (std::size_t k = 0; k < 3; ++k) d += std::abs(im.rgb[i + k] - ref.rgb[i + k]);
      differ += d > 6;
    }
    BOOST_TEST(differ <= 20u, "seed " << seed << ": " << differ << " pixels differ");  // rounding on edges only
  }
}

BOOST_AUTO_TEST_CASE(fifty_thousand_triangles_render_fast) {
  const Geometry g = sphere(100, 100, 250);  // 2 x 250 x 100 = 50 000 triangles
  BOOST_REQUIRE_EQUAL(g.faces.size(), 50000u);
  std::vector<double> v(g.vertices.size());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 70);
  for (auto& x : v) x = u(rng);
  // Best of 3 per view (robust to a busy machine: preemption only adds time), then the slowest view.
  const auto views = report::standard_views();
  std::vector<double> best_ms(views.size(), 1e300);
  double total_ms = 0;
  for (int rep = 0; rep < 3; ++rep)
    for (std::size_t k = 0; k < views.size(); ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      const Image im = report::render(g, v, views[k]);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      BOOST_TEST(!is_white(pixel(im, 240, 160)));
      best_ms[k] = std::min(best_ms[k], ms), total_ms += ms;
    }
  const double slowest_ms = *std::max_element(best_ms.begin(), best_ms.end());
  BOOST_TEST_MESSAGE("50k triangles at 480 x 320: mean " << total_ms / 15 << " ms, slowest view (best of 3) "
                                                         << slowest_ms << " ms");
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  BOOST_TEST(slowest_ms < 50.0);
#else
  BOOST_TEST(slowest_ms < 500.0);  // debug / sanitizer builds: only catch a blow-up
#endif
}

BOOST_AUTO_TEST_CASE(png_has_the_signature_and_decodes_back_to_the_same_pixels) {
  Image im;
  im.width = 37, im.height = 23;
  std::mt19937 rng(3);
  for (int i = 0; i < 37 * 23 * 3; ++i) im.rgb.push_back(static_cast<std::uint8_t>(rng() & 0xFF));
  const std::vector<std::uint8_t> png = report::encode_png(im);
  const std::uint8_t sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
  BOOST_REQUIRE(png.size() > 33u);
  BOOST_TEST(std::equal(sig, sig + 8, png.begin()));
  // IHDR: length 13, "IHDR", width and height big-endian, bit depth 8, colour type 2 (RGB).
  BOOST_TEST(std::string(png.begin() + 12, png.begin() + 16) == "IHDR");
  BOOST_TEST((png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19]) == 37);
  BOOST_TEST((png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23]) == 23);
  BOOST_TEST(png[24] == 8);
  BOOST_TEST(png[25] == 2);
  // Decode with libpng's simplified read API.
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  BOOST_REQUIRE(png_image_begin_read_from_memory(&img, png.data(), png.size()));
  img.format = PNG_FORMAT_RGB;
  BOOST_REQUIRE_EQUAL(img.width, 37u);
  BOOST_REQUIRE_EQUAL(img.height, 23u);
  std::vector<std::uint8_t> back(PNG_IMAGE_SIZE(img));
  BOOST_REQUIRE(png_image_finish_read(&img, nullptr, back.data(), 0, nullptr));
  BOOST_TEST(back == im.rgb);
  // A rendered heatmap round-trips too (mostly white: compresses well).
  const Geometry g = box({0, 0, 0}, {2, 1, 1});
  const Image h = report::render(g, values_along(g, 0, 0, 2), view_named("top"));
  const auto bytes = report::encode_png(h);
  BOOST_TEST(bytes.size() < h.rgb.size() / 10);
  png_image img2{};
  img2.version = PNG_IMAGE_VERSION;
  BOOST_REQUIRE(png_image_begin_read_from_memory(&img2, bytes.data(), bytes.size()));
  img2.format = PNG_FORMAT_RGB;
  std::vector<std::uint8_t> back2(PNG_IMAGE_SIZE(img2));
  BOOST_REQUIRE(png_image_finish_read(&img2, nullptr, back2.data(), 0, nullptr));
  BOOST_TEST(back2 == h.rgb);
}

BOOST_AUTO_TEST_CASE(base64_matches_the_rfc4648_test_vectors) {
  auto b = [](const std::string& s) { return report::base64(std::vector<std::uint8_t>(s.begin(), s.end())); };
  BOOST_TEST(b("") == "");
  BOOST_TEST(b("f") == "Zg==");
  BOOST_TEST(b("fo") == "Zm8=");
  BOOST_TEST(b("foo") == "Zm9v");
  BOOST_TEST(b("foob") == "Zm9vYg==");
  BOOST_TEST(b("fooba") == "Zm9vYmE=");
  BOOST_TEST(b("foobar") == "Zm9vYmFy");
  BOOST_TEST(report::base64({0xFB, 0xFF, 0xBF}) == "+/+/");  // the two non-alphanumeric digits
}

BOOST_AUTO_TEST_CASE(escape_html_replaces_the_five_special_characters) {
  BOOST_TEST(report::escape_html("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
  BOOST_TEST(report::escape_html("plain 12.5 mmHg") == "plain 12.5 mmHg");
  BOOST_TEST(report::escape_html("&amp;") == "&amp;amp;");  // text, not markup: escaped again
}

namespace {
report::Page sample_page() {
  report::Page p;
  p.title = "Fit check: runner & \"last-fit\"";
  p.summary = {"Peak 42 mmHg over the deep peroneal nerve.", "Two hotspots."};
  const Geometry g = sphere(20, 20, 40);
  const std::vector<double> v = values_along(g, 0, -20, 20);
  report::RenderOptions o;
  o.width_px = 120, o.height_px = 80;
  for (const auto& view : report::standard_views())
    p.views.emplace_back("view: " + view.name, report::render(g, v, view, o));
  p.legend_marks = {{20, "caution"}, {30, "warning"}, {50, "alarm"}, {75, "off-scale"}};
  p.tables.push_back({"Recommendations", {"what", "why"}, {{"<script>alert('x')</script>", "test"}, {"loosen row 5"}}});
  p.tables.push_back({"Hotspots", {"region", "peak mmHg"}, {{"dorsum", "42"}}});
  p.assumptions = {"Lace tension is a model estimate."};
  p.red_flags = {"Numbness: see a clinician."};
  p.warnings = {"Scan has 3 holes."};
  p.footer = "generated by fitcheck 0.1; model estimates";
  return p;
}
}  // namespace

BOOST_AUTO_TEST_CASE(html_is_self_contained_escaped_and_has_one_inline_png_per_view) {
  const report::Page p = sample_page();
  const std::string h = report::html(p);
  BOOST_TEST(h.rfind("<!DOCTYPE html>", 0) == 0u);
  BOOST_TEST(h.find("</html>") != std::string::npos);
  // Nothing to fetch: no URLs, no scripts, no stylesheet links, no CSS url().
  BOOST_TEST(h.find("http://") == std::string::npos);
  BOOST_TEST(h.find("https://") == std::string::npos);
  BOOST_TEST(h.find("<script") == std::string::npos);
  BOOST_TEST(h.find("<link") == std::string::npos);
  BOOST_TEST(h.find("url(") == std::string::npos);
  BOOST_TEST(count(h, "src=\"") == count(h, "src=\"data:image/png;base64,"));
  // The table cell is text.
  BOOST_TEST(h.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(h.find("runner &amp; &quot;last-fit&quot;") != std::string::npos);
  // One inline PNG per view (each the exact bytes of encode_png), plus the legend's colour bar.
  BOOST_TEST(count(h, "<figure><img src=\"data:image/png;base64,") == p.views.size());
  BOOST_TEST(count(h, "<img ") == p.views.size() + 1);
  for (const auto& [caption, image] : p.views) {
    BOOST_TEST(h.find(report::base64(report::encode_png(image))) != std::string::npos, caption);
    BOOST_TEST(h.find(report::escape_html(caption)) != std::string::npos);
  }
  // Legend: the marks in range with their labels, the one off the scale left out; the unit.
  for (const char* m : {"20 caution", "30 warning", "50 alarm"}) BOOST_TEST(h.find(m) != std::string::npos, m);
  BOOST_TEST(h.find("off-scale") == std::string::npos);
  BOOST_TEST(h.find("left:33.33%") != std::string::npos);  // 20 on 0..60
  BOOST_TEST(h.find("mmHg") != std::string::npos);
  // Every section; red flags before the views; the short row padded to the header's two cells.
  for (const char* s : {"Numbness: see a clinician.", "Scan has 3 holes.", "Lace tension is a model estimate.",
                        "generated by fitcheck 0.1", "Peak 42 mmHg", "<th>peak mmHg</th>"})
    BOOST_TEST(h.find(s) != std::string::npos, s);
  BOOST_TEST(h.find("Numbness") < h.find("<figure>"));
  BOOST_TEST(h.find("<td>loosen row 5</td><td></td></tr>") != std::string::npos);
  // An empty page is still a valid document without empty sections.
  const std::string e = report::html(report::Page{});
  BOOST_TEST(e.find("<section") == std::string::npos);
  BOOST_TEST(e.find("<img") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(write_html_writes_the_page_and_creates_its_folder) {
  TempDir tmp;
  const report::Page p = sample_page();
  const auto path = tmp / "out" / "report.html";
  report::write_html(path, p);
  BOOST_TEST(read_text(path) == report::html(p));
}

BOOST_AUTO_TEST_CASE(errors_carry_their_codes) {
  const Geometry g = box({0, 0, 0}, {1, 1, 1});
  const std::vector<double> v(8, 10.0);
  const report::View top = view_named("top");
  // invalid_input: the mesh and its values.
  BOOST_TEST(code_of([&] { report::render(g, std::vector<double>(7, 1.0), top); }) == ErrorCode::invalid_input);
  Geometry cloud = g;
  cloud.faces.clear();
  BOOST_TEST(code_of([&] { report::render(cloud, v, top); }) == ErrorCode::invalid_input);
  Geometry nan_vertex = g;
  nan_vertex.vertices[3].y() = std::nan("");
  BOOST_TEST(code_of([&] { report::render(nan_vertex, v, top); }) == ErrorCode::invalid_input);
  std::vector<double> inf_value = v;
  inf_value[5] = std::numeric_limits<double>::infinity();
  BOOST_TEST(code_of([&] { report::render(g, inf_value, top); }) == ErrorCode::invalid_input);
  Geometry bad_index = g;
  bad_index.faces[4][1] = 8;
  BOOST_TEST(code_of([&] { report::render(bad_index, v, top); }) == ErrorCode::invalid_input);
  try {
    report::render(g, std::vector<double>(7, 1.0), top);
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("7 values for 8 vertices") != std::string::npos, e.what());
    BOOST_TEST(e.stage() == "report");
  }
  // usage: options and view.
  auto with = [&](auto edit) {
    report::RenderOptions o;
    edit(o);
    return code_of([&] { report::render(g, v, top, o); });
  };
  BOOST_TEST(with([](report::RenderOptions& o) { o.width_px = 0; }) == ErrorCode::usage);
  BOOST_TEST(with([](report::RenderOptions& o) { o.height_px = 4097; }) == ErrorCode::usage);
  BOOST_TEST(with([](report::RenderOptions& o) { o.max_value = o.min_value; }) == ErrorCode::usage);
  BOOST_TEST(with([](report::RenderOptions& o) { o.min_value = std::nan(""); }) == ErrorCode::usage);
  BOOST_TEST(with([](report::RenderOptions& o) { o.margin_fraction = 0.41; }) == ErrorCode::usage);
  BOOST_TEST(code_of([&] { report::render(g, v, {"zero", {0, 0, 0}, {0, 0, 1}}); }) == ErrorCode::usage);
  BOOST_TEST(code_of([&] { report::render(g, v, {"parallel", {0, 0, 2}, {0, 0, -1}}); }) == ErrorCode::usage);
  BOOST_TEST(code_of([&] { report::render(g, v, {"no up", {1, 0, 0}, {0, 0, 0}}); }) == ErrorCode::usage);
  // An oblique up is fine (orthogonalised).
  BOOST_CHECK_NO_THROW(report::render(g, v, {"oblique", {0, 0, 1}, {0.3, 1, 0.5}}));
  // invalid_input: images and pages.
  Image broken;
  broken.width = 4, broken.height = 4;
  broken.rgb.assign(47, 0);
  BOOST_TEST(code_of([&] { report::encode_png(broken); }) == ErrorCode::invalid_input);
  BOOST_TEST(code_of([&] { report::encode_png(Image{}); }) == ErrorCode::invalid_input);
  report::Page bad_legend;
  bad_legend.legend_max = bad_legend.legend_min;
  BOOST_TEST(code_of([&] { report::html(bad_legend); }) == ErrorCode::invalid_input);
  report::Page ragged;
  ragged.tables.push_back({"t", {"a"}, {{"1", "2"}}});
  BOOST_TEST(code_of([&] { report::html(ragged); }) == ErrorCode::invalid_input);
  report::Page bad_view;
  bad_view.views.emplace_back("v", broken);
  BOOST_TEST(code_of([&] { report::html(bad_view); }) == ErrorCode::invalid_input);
  // internal: libpng refuses a width above its default user limit (1 000 000 px); the longjmp path comes back as Error.
  Image wide;
  wide.width = 1000001, wide.height = 1;
  wide.rgb.assign(3 * 1000001u, 200);
  BOOST_TEST(code_of([&] { report::encode_png(wide); }) == ErrorCode::internal);
  // io: the folder cannot be created (a file is in the way); the message names the path.
  TempDir tmp;
  write_text(tmp / "file", "x");
  const auto path = tmp.path() / "file" / "report.html";
  try {
    report::write_html(path, report::Page{});
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::io);
    BOOST_TEST(std::string(e.what()).find(path.string()) != std::string::npos, e.what());
  }
}
