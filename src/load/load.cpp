#include "load/load.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/error.hpp"
#include "core/format.hpp"
#include "load/detail/readers.hpp"

namespace fitcheck::load {

namespace {

std::string lower_extension(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// No foot scan or last has a coordinate this large in any supported unit (1e7 mm is 10 km; in m, cm or inch it is
// further still). Such values are corrupt data, and next to them the spread and unit checks lose all precision:
// one vertex at 1e38 made a foot "all points on one line".
constexpr double kMaxAbsCoordinate = 1e7;

[[noreturn]] void fail_input(const std::filesystem::path& p, const std::string& what) {
  throw Error(ErrorCode::invalid_input, "load", p.string() + ": " + what);
}

detail::Raw read_by_extension(const std::filesystem::path& p) {
  const std::string ext = lower_extension(p);
  if (ext == ".ply") return detail::read_ply(p);
  if (ext == ".obj") return detail::read_obj(p);
  if (ext == ".stl") return detail::read_stl(p);
  if (ext == ".pcd") return detail::read_pcd(p);
  if (ext == ".xyz" || ext == ".asc" || ext == ".pts" || ext == ".txt") return detail::read_xyz(p);
  if (ext == ".gltf" || ext == ".glb") return detail::read_gltf(p);
  detail::fail_io(p, "unsupported file type '" + (ext.empty() ? std::string("(none)") : ext) +
                         "' (supported: .ply .obj .stl .pcd .xyz .asc .pts .txt .gltf .glb)");
}

}  // namespace

Result load_geometry(const std::filesystem::path& path, const Options& options) {
  options.validate();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) detail::fail_io(path, "no such file");
  if (std::filesystem::is_directory(status)) detail::fail_io(path, "is a directory, not a file");
  if (!std::filesystem::is_regular_file(status)) detail::fail_io(path, "is not a regular file");
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) detail::fail_io(path, "cannot read its size: " + ec.message());
  if (bytes == 0) detail::fail_io(path, "file is empty");
  if (static_cast<double>(bytes) > options.max_file_mb * 1e6)
    // Bytes and the limit in bytes too: whole megabytes read "0 MB above 0 MB" for a small limit.
    fail_input(path, "file is " + std::to_string(bytes) + " bytes (" + fmt_fixed(static_cast<double>(bytes) / 1e6, 3) +
                         " MB), above the limit of " + fmt_fixed(options.max_file_mb, 3) + " MB (--max-file-mb)");
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) detail::fail_io(path, "cannot be opened for reading (permissions?)");
  }

  detail::Raw raw = read_by_extension(path);
  Result r;
  r.format = raw.format;
  r.geometry = std::move(raw.geometry);
  Geometry& g = r.geometry;
  r.vertices_in_file = g.vertices.size();
  detail::check_face_indices(path, g);

  std::size_t bad = 0;
  if (!all_finite(g.vertices, &bad))
    fail_input(path, "vertex " + std::to_string(bad) + " has a NaN or infinite coordinate");
  for (std::size_t i = 0; i < g.vertices.size(); ++i)
    if (g.vertices[i].cwiseAbs().maxCoeff() > kMaxAbsCoordinate) {
      std::ostringstream v;
      v << g.vertices[i].x() << ", " << g.vertices[i].y() << ", " << g.vertices[i].z();
      fail_input(path, "vertex " + std::to_string(i) + " (" + v.str() +
                           ") has a coordinate beyond +-1e7, which no foot scan or last has in any unit");
    }

  const bool had_faces = g.is_mesh();
  if (r.format.rfind("stl", 0) == 0) r.welded_vertices = weld_identical_vertices(g);

  if (g.vertices.size() < options.min_points)
    fail_input(path, "only " + std::to_string(g.vertices.size()) + " distinct points; a scan or last needs at least " +
                         std::to_string(options.min_points));
  const Spread spread = classify_spread(g.vertices);
  if (spread != Spread::volumetric)
    fail_input(path, std::string("degenerate geometry: ") + spread_name(spread) + ", not a 3D object");
  if (had_faces && g.faces.empty()) fail_input(path, "mesh has no non-degenerate faces");

  // Stray points far from the rest (a wall behind a phone scan) do not count in the length the unit is chosen on;
  // they stay in the geometry: a point-cloud scan's cleaning removes them (clean_scan), a mesh is kept as it is (a
  // mesh scan with a far-off part is then refused on its length by measure, with this warning).
  const std::vector<std::uint8_t> stray = stray_points(g.vertices);
  std::vector<Eigen::Vector3d> bulk;
  for (std::size_t i = 0; i < g.vertices.size(); ++i)
    if (!stray[i]) bulk.push_back(g.vertices[i]);
  const std::size_t n_stray = g.vertices.size() - bulk.size();
  const UnitChoice unit = choose_unit(principal_length(n_stray ? bulk : g.vertices), options, path.string());
  r.unit = unit.unit;
  r.units_reason = unit.reason;
  if (n_stray) {
    const std::string what = std::to_string(n_stray) + " point(s) lie far from the rest (" +
                             fmt_fixed(100.0 * static_cast<double>(n_stray) / static_cast<double>(g.vertices.size()), 2) +
                             " % of the file, more than " + fmt_fixed(kStrayDistanceFactor, 0) +
                             " times as far from its middle as most)";
    r.units_reason += "; " + what + " are not counted in that length";
    r.warnings.push_back(what + ": not counted in the length the unit was chosen on (a background object?)");
  }
  if (unit.ambiguous) r.warnings.push_back("unit guess is ambiguous: " + unit.reason);
  scale(g, mm_per_unit(unit.unit));
  return r;
}

}  // namespace fitcheck::load
