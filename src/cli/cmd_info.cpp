// `fitcheck info FILE [--json] [--units U] [--max-file-mb MB]`: what the loader sees in a file.
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/option_checks.hpp"
#include "core/geometry.hpp"
#include "load/load.hpp"

namespace fitcheck::cli {

namespace {
struct InfoArgs {
  std::string file;
  std::string units;
  double max_file_mb = 500.0;
};

int run_info(const InfoArgs& a, const OutputFlags& out) {
  load::Options opt;
  if (!a.units.empty()) opt.units = load::parse_unit(a.units);
  opt.max_file_mb = a.max_file_mb;
  load::Result r = load::load_geometry(a.file, opt);
  const Geometry& g = r.geometry;
  const BoundingBox box = bounding_box(g.vertices);
  const Eigen::Vector3d ext = box.extent();
  nlohmann::ordered_json j;
  j["file"] = a.file;
  j["format"] = r.format;
  j["kind"] = g.is_mesh() ? "mesh" : "points";
  j["vertices"] = g.vertices.size();
  j["vertices_in_file"] = r.vertices_in_file;
  j["faces"] = g.faces.size();
  j["units"] = load::unit_name(r.unit);
  j["units_reason"] = r.units_reason;
  j["bbox_mm"] = {ext[0], ext[1], ext[2]};
  j["bbox_min_mm"] = {box.min[0], box.min[1], box.min[2]};
  if (g.is_mesh()) {
    const Topology t = analyze_topology(g);
    j["closed"] = t.closed;
    j["manifold"] = t.manifold();
    j["oriented"] = t.oriented;
    j["holes"] = t.holes;
    j["boundary_edges"] = t.boundary_edges;
    j["non_manifold_edges"] = t.non_manifold_edges;
    j["non_manifold_vertices"] = t.non_manifold_vertices;
    j["unreferenced_vertices"] = t.unreferenced_vertices;
    j["degenerate_faces"] = t.degenerate_faces;
    if (t.degenerate_faces > 0)
      r.warnings.push_back(std::to_string(t.degenerate_faces) + " of " + std::to_string(g.faces.size()) +
                           " faces repeat a corner (no area): they are not part of the surface");
  } else {
    j["closed"] = false;
    j["manifold"] = nullptr;
    j["holes"] = nullptr;
  }
  j["warnings"] = r.warnings;

  if (out.json) {
    std::cout << json_text(j) << "\n";
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1);
  std::cout << a.file << "\n"
            << "  format    " << r.format << " (" << j["kind"].get<std::string>() << ")\n"
            << "  vertices  " << g.vertices.size();
  if (r.welded_vertices) std::cout << " (welded from " << r.vertices_in_file << ")";
  std::cout << "\n";
  if (g.is_mesh()) std::cout << "  faces     " << g.faces.size() << "\n";
  std::cout << "  units     " << load::unit_name(r.unit) << ": " << r.units_reason << "\n"
            << "  bbox      " << ext[0] << " x " << ext[1] << " x " << ext[2] << " mm\n";
  if (g.is_mesh())
    std::cout << "  topology  " << (j["closed"].get<bool>() ? "closed" : "open") << ", "
              << (j["manifold"].get<bool>() ? "manifold" : "NOT manifold") << ", " << j["holes"].get<std::size_t>()
              << " hole(s)\n";
  for (const auto& w : r.warnings) std::cout << "  warning   " << w << "\n";
  return 0;
}
}  // namespace

void add_info_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* sub = app.add_subcommand("info", "Show format, size, units and topology of a scan, last or point cloud");
  sub->add_option("file", args->file, "PLY, OBJ, STL, PCD, XYZ/ASC, glTF or GLB file")->required();
  sub->add_option("--units", args->units, "Unit of the file's coordinates: m, cm, mm or inch (default: detect)")
      ->check(unit_name());
  sub->add_option("--max-file-mb", args->max_file_mb, "Refuse files larger than this many MB")
      ->check(number_in(0.001, 1e6));
  sub->callback([&run, &out, args] { run = [args, &out] { return run_info(*args, out); }; });
}

}  // namespace fitcheck::cli
