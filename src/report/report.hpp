// Stage `report`: a self-contained HTML page (issue #6, `--report DIR`) with the pressure heatmap of the foot seen
// from several sides, a colour-bar legend, tables (recommendations, hotspots, nerves) and the model's assumptions,
// red flags and warnings. The page needs no scripts and no network: CSS is inline and every image is a PNG in a
// data: URI, so the file can be mailed or archived on its own.
//
// Rendering (render). Orthographic software rasterisation with a z-buffer, no external renderer. View frame:
// `toward_viewer` (from the mesh towards the eye) and `up` (its part orthogonal to `toward_viewer` points to the top
// of the image); the image's right is up x toward_viewer. The mesh (the vertices its faces use) is fitted into the
// image with `margin_fraction` of the width / height free on each side, aspect kept, centred. Every triangle is
// coloured by interpolating (barycentric, per pixel) the per-vertex colours of save::colormap(values, min_value,
// max_value), times a shade kAmbient + (1 - kAmbient) |cos| with cos between the face normal and the direction to
// the viewer (light at the eye; two-sided, so open scans seen from inside are still shaded). Background white. A pixel
// belongs to a triangle when its centre does (no anti-aliasing): triangles smaller than a pixel may drop out where
// their neighbours cover the pixel centres. Cost: O(vertices + faces + covered pixels), scanline spans per row; a few
// buffers per image, no allocation per face or pixel (50k triangles at 480 x 320: ~8 ms on one core).
//
// Errors (fitcheck::Error, stage "report"): usage - a RenderOptions field out of range (naming the field and value),
// a zero or non-finite view direction, or an `up` parallel to it; invalid_input - a geometry without faces, a face
// index out of range, values.size() != vertices.size(), a non-finite vertex or value (naming the index), an Image whose
// pixel buffer does not match its size, a Page with a bad legend range or a table row longer than its header; io -
// write_html cannot create the folder or write the file (naming the path); internal - libpng fails.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/geometry.hpp"

namespace fitcheck::report {

/// Shade of a face seen edge-on (fraction of its colour); a face facing the viewer gets the full colour.
constexpr double kAmbient = 0.45;

/// A viewing direction. Unit length is not required; `up` must not be parallel to `toward_viewer`.
struct View {
  std::string name;                                          ///< "top", "medial", ...
  Eigen::Vector3d toward_viewer = Eigen::Vector3d::UnitZ();  ///< from the mesh towards the eye
  Eigen::Vector3d up = Eigen::Vector3d::UnitY();  ///< towards the top of the image (orthogonalised against it)
};

/// The five views of a foot or last in its frame (x heel -> toes, y towards the medial side for a right foot, z up):
///   "top"     from +z, toes to the right, +y (medial of a right foot) up
///   "medial"  from +y, z up, toes to the left
///   "lateral" from -y, z up, toes to the right
///   "front"   from +x (looking at the toes), z up, +y to the right
///   "back"    from -x (looking at the heel), z up, +y to the left
/// (No sole view: the report is about the upper's pressure.) For a left foot mirrored into this frame medial is -y:
/// the caller swaps the captions.
std::vector<View> standard_views();

/// 8-bit RGB image, row-major, top row first: pixel (x, y) at rgb[3 (y width + x) + channel].
struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  ///< 3 x width x height bytes
};

struct RenderOptions {
  int width_px = 480;             ///< image width, pixels; [16, 4096]
  int height_px = 320;            ///< image height, pixels; [16, 4096]
  double min_value = 0.0;         ///< value shown blue (bottom of the colour scale), the values' unit (the caller
                                  ///< uses mmHg); finite
  double max_value = 60.0;        ///< value shown red (top of the scale); finite, > min_value; values outside the
                                  ///< range get the end colours
  double margin_fraction = 0.05;  ///< free border on each side, fraction of the image width / height; [0, 0.4]
  void validate() const;          ///< throws Error(usage) naming the first bad field
};

/// Heatmap of `values` (one per vertex) on `mesh` seen along `view`; see the file comment for the method.
/// Output: an options.width_px x options.height_px image.
Image render(const Geometry& mesh, const std::vector<double>& values, const View& view,
             const RenderOptions& options = {});

/// PNG file bytes (8-bit RGB, no interlace, zlib default level) of `image`, made in memory by libpng.
/// Error(invalid_input) for an empty image or a buffer of the wrong size; Error(internal) when libpng fails.
std::vector<std::uint8_t> encode_png(const Image& image);

/// Standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /, '=' padding, no line breaks).
std::string base64(const std::vector<std::uint8_t>& bytes);

/// A table of text cells. Rows shorter than the header are padded with empty cells.
struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// The content of a report page. All text is plain text (escaped on output, never interpreted as HTML).
struct Page {
  std::string title;
  std::vector<std::string> summary;                  ///< short summary lines, one paragraph each
  std::vector<std::pair<std::string, Image>> views;  ///< caption, image (e.g. render() of standard_views())
  double legend_min = 0;                             ///< colour bar range: as the images' RenderOptions; finite,
  double legend_max = 60;                            ///< legend_max > legend_min
  std::string legend_unit = "mmHg";
  std::vector<std::pair<double, std::string>> legend_marks;  ///< ticks on the colour bar, e.g. {20, "caution"}; marks
                                                             ///< outside [legend_min, legend_max] are not drawn
  std::vector<Table> tables;                                 ///< e.g. recommendations, hotspots, nerves, in order
  std::vector<std::string> assumptions;                      ///< model assumptions and estimates the reader must know
  std::vector<std::string> red_flags;                        ///< shown first and highlighted (e.g. "see a clinician")
  std::vector<std::string> warnings;                         ///< input-quality and model warnings
  std::string footer;                                        ///< e.g. "generated by fitcheck 0.1 ...; model estimates"
};

/// One self-contained HTML5 document (UTF-8): inline CSS, every view as <img src="data:image/png;base64,...">, the
/// colour bar as an inline PNG from save::colormap with the marks, all text through escape_html; no scripts, no
/// external resources. Empty sections are left out. Section order: title, red flags, summary, views with legend,
/// tables, warnings, assumptions, footer.
std::string html(const Page& page);

/// Writes html(page) to `path` (creating its folder). Error(io) naming the path when it cannot.
void write_html(const std::filesystem::path& path, const Page& page);

/// `s` with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39; (safe in element text and quoted attributes).
std::string escape_html(const std::string& s);

}  // namespace fitcheck::report
