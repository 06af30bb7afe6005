// Adapter: CGAL Polygon_mesh_processing hole filling. This is the one translation unit that includes PMP (it takes
// ~45 s and ~2 GB to compile; see ARCHITECTURE.md pitfalls).
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Polygon_mesh_processing/border.h>
#include <CGAL/Polygon_mesh_processing/orient_polygon_soup.h>
#include <CGAL/Polygon_mesh_processing/polygon_soup_to_polygon_mesh.h>
#include <CGAL/Polygon_mesh_processing/self_intersections.h>
#include <CGAL/Polygon_mesh_processing/triangulate_hole.h>
#include <CGAL/Surface_mesh.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "clean/clean.hpp"
#include "core/error.hpp"

namespace fitcheck::clean {

namespace PMP = CGAL::Polygon_mesh_processing;
using K = CGAL::Exact_predicates_inexact_constructions_kernel;
using Mesh = CGAL::Surface_mesh<K::Point_3>;

namespace {
/// Our triangles as a CGAL Surface_mesh; a soup that is not a manifold mesh is oriented first (which may duplicate
/// non-manifold vertices). Returns whether it had to be re-oriented. CGAL exceptions pass through.
bool to_surface_mesh(const Geometry& g, Mesh& mesh) {
  std::vector<K::Point_3> points;
  points.reserve(g.vertices.size());
  for (const auto& v : g.vertices) points.emplace_back(v.x(), v.y(), v.z());
  std::vector<std::array<std::size_t, 3>> polygons;
  polygons.reserve(g.faces.size());
  for (const auto& f : g.faces)
    polygons.push_back({static_cast<std::size_t>(f[0]), static_cast<std::size_t>(f[1]), static_cast<std::size_t>(f[2])});
  const bool reoriented = !PMP::is_polygon_soup_a_polygon_mesh(polygons);
  if (reoriented) PMP::orient_polygon_soup(points, polygons);
  PMP::polygon_soup_to_polygon_mesh(points, polygons, mesh);
  return reoriented;
}
}  // namespace

RepairResult fill_holes(Geometry& g, const RepairOptions& o) {
  RepairResult r;
  if (!g.is_mesh()) return r;
  Mesh mesh;
  try {
    if (to_surface_mesh(g, mesh)) r.notes.push_back("polygon soup re-oriented to a manifold mesh before hole filling");
  } catch (const std::exception& e) {
    throw Error(ErrorCode::invalid_input, "clean", std::string("mesh cannot be repaired: ") + e.what());
  }
  std::vector<Mesh::Halfedge_index> borders;
  PMP::extract_boundary_cycles(mesh, std::back_inserter(borders));
  // Counted by kind, so a mesh with thousands of small holes gets four notes, not thousands.
  struct Tally {
    std::size_t n = 0, edges = 0, largest = 0;
    void add(std::size_t e) { ++n, edges += e, largest = std::max(largest, e); }
  } open_left, capped, faired, unfaired;
  for (const auto h : borders) {
    // Skip holes whose border is longer than max_hole_edges: that is an open scan, not a hole.
    std::size_t edges = 0;
    for (auto e : CGAL::halfedges_around_face(h, mesh)) {
      (void)e;
      ++edges;
    }
    if (edges > o.max_hole_edges) {
      open_left.add(edges);
      continue;
    }
    // A planar border (a scan cut flat at the ankle, or the leg cut) gets a flat cap; any other hole a refined,
    // faired patch that continues the surrounding surface.
    std::vector<Eigen::Vector3d> ring;
    for (auto e : CGAL::halfedges_around_face(h, mesh)) {
      const auto& p = mesh.point(mesh.target(e));
      ring.emplace_back(p.x(), p.y(), p.z());
    }
    const PrincipalAxes ring_axes = principal_axes(ring);
    const Eigen::Vector3d& centre = ring_axes.mean;
    const Eigen::Vector3d normal = ring_axes.axes.col(0);
    double off_plane = 0;
    for (const auto& p : ring) off_plane = std::max(off_plane, std::abs((p - centre).dot(normal)));
    std::vector<Mesh::Face_index> new_faces;
    std::vector<Mesh::Vertex_index> new_vertices;
    bool ok = true;
    if (off_plane <= o.planar_tolerance_mm) {
      PMP::triangulate_hole(mesh, h, std::back_inserter(new_faces));  // CGAL 5.5 (Debian 12) positional form
      capped.add(edges);
    } else {
      try {
        ok = std::get<0>(PMP::triangulate_refine_and_fair_hole(mesh, h, std::back_inserter(new_faces),
                                                               std::back_inserter(new_vertices)));
      } catch (const std::exception&) {
        ok = false;
      }
      (ok ? faired : unfaired).add(edges);
    }
    ++r.holes_filled;
    r.faces_added += new_faces.size();
  }
  auto note = [&](const Tally& t, const std::string& one, const std::string& many) {
    if (t.n == 1) r.notes.push_back(one + " of " + std::to_string(t.edges) + " edges " + many);
    else if (t.n > 1)
      r.notes.push_back(std::to_string(t.n) + " " + one + "s (" + std::to_string(t.edges) + " edges, the largest " +
                        std::to_string(t.largest) + ") " + many);
  };
  note(capped, "planar border", "capped flat");
  note(faired, "hole", "filled with a refined, faired patch");
  note(unfaired, "hole", "filled without fairing");
  note(open_left, "border", "left open (longer than " + std::to_string(o.max_hole_edges) + " edges: an open scan, not a hole)");
  Geometry out;
  std::vector<int> index(mesh.number_of_vertices() + mesh.number_of_removed_vertices(), -1);
  for (auto v : mesh.vertices()) {
    index[v] = static_cast<int>(out.vertices.size());
    const auto& p = mesh.point(v);
    out.vertices.emplace_back(p.x(), p.y(), p.z());
  }
  for (auto f : mesh.faces()) {
    Eigen::Vector3i t;
    int k = 0;
    for (auto v : CGAL::vertices_around_face(mesh.halfedge(f), mesh)) {
      if (k < 3) t[k] = index[v];
      ++k;
    }
    if (k == 3) out.faces.push_back(t);
  }
  // orient_polygon_soup splits non-manifold vertices into copies at the same position; the zero-width slits
  // between the copies read as open borders (seen on Poisson surfaces of point-cloud lasts). Weld them back: the
  // surface is then without borders, with a few non-manifold spots that volume and inside/outside tests tolerate.
  if (const std::size_t welded = weld_identical_vertices(out); welded > 0)
    r.notes.push_back(std::to_string(welded) + " duplicated vertices welded back");
  g = std::move(out);
  return r;
}

namespace {
/// Records which polygons orient_polygon_soup reversed (CGAL passes the visitor by value: the flags live outside).
struct ReversedFaces : PMP::Default_orientation_visitor {
  std::vector<char>* reversed = nullptr;
  void polygon_orientation_reversed(std::size_t p) { (*reversed)[p] ^= 1; }
};
}  // namespace

std::string orient_outward(Geometry& g) {
  if (!g.is_mesh()) return "";
  std::string done;
  const std::size_t nf = g.faces.size();
  // Wound consistently when no directed edge is used twice (two neighbours agreeing use their shared edge in opposite
  // directions). A sort of the directed edges: cheaper than the full analyze_topology, and this runs for every
  // graded last a recommendation simulates.
  bool consistent = true;
  {
    std::vector<std::uint64_t> directed;
    directed.reserve(3 * nf);
    for (const auto& f : g.faces) {
      if (f[0] == f[1] || f[1] == f[2] || f[0] == f[2]) continue;  // no area, no edges (as analyze_topology)
      for (int k = 0; k < 3; ++k)
        directed.push_back(static_cast<std::uint64_t>(static_cast<std::uint32_t>(f[k])) << 32 |
                           static_cast<std::uint32_t>(f[(k + 1) % 3]));
    }
    std::sort(directed.begin(), directed.end());
    consistent = std::adjacent_find(directed.begin(), directed.end()) == directed.end();
  }
  if (!consistent) {
    std::vector<K::Point_3> points;
    points.reserve(g.vertices.size());
    for (const auto& v : g.vertices) points.emplace_back(v.x(), v.y(), v.z());
    std::vector<std::array<std::size_t, 3>> polygons;
    polygons.reserve(nf);
    for (const auto& f : g.faces)
      polygons.push_back({static_cast<std::size_t>(f[0]), static_cast<std::size_t>(f[1]), static_cast<std::size_t>(f[2])});
    // Only which faces it reversed is taken back: the copies it makes of non-manifold vertices are not (the vertex
    // list and the connectivity stay the input's).
    std::vector<char> reversed(nf, 0);
    ReversedFaces visitor;
    visitor.reversed = &reversed;
    try {
      PMP::orient_polygon_soup(points, polygons, CGAL::parameters::visitor(visitor));
    } catch (const std::exception& e) {
      throw Error(ErrorCode::invalid_input, "clean", std::string("mesh faces cannot be oriented: ") + e.what());
    }
    std::size_t flipped = 0;
    for (std::size_t f = 0; f < nf; ++f)
      if (reversed[f]) std::swap(g.faces[f][1], g.faces[f][2]), ++flipped;
    if (flipped > 0)
      done = "faces wound inconsistently: " + std::to_string(flipped) + " of " + std::to_string(nf) +
             " re-wound to match their neighbours";
  }
  // Each connected part by the sign of its volume about its own centroid: a part open at a cut (a scan's flat ankle
  // top) still tells, a flat sheet (a floor plate left in a scan) sums to about nothing and stays as it is, and no
  // part decides for another.
  std::vector<int> parent(g.vertices.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](int v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (const auto& f : g.faces)
    for (int k = 1; k < 3; ++k) {
      const int a = root(f[0]), b = root(f[k]);
      if (a != b) parent[a] = b;
    }
  std::map<int, Eigen::Vector3d> centre;
  std::map<int, std::size_t> count;
  for (std::size_t v = 0; v < g.vertices.size(); ++v) {
    const int r = root(static_cast<int>(v));
    centre.try_emplace(r, Eigen::Vector3d::Zero()).first->second += g.vertices[v];
    ++count[r];
  }
  for (auto& [r, c] : centre) c /= static_cast<double>(count[r]);
  std::map<int, double> v6;
  for (const auto& f : g.faces) {
    const int r = root(f[0]);
    const Eigen::Vector3d& c = centre[r];
    v6[r] += (g.vertices[f[0]] - c).dot((g.vertices[f[1]] - c).cross(g.vertices[f[2]] - c));
  }
  std::size_t inward = 0;
  for (auto& f : g.faces)
    if (v6[root(f[0])] < 0) std::swap(f[1], f[2]), ++inward;
  if (inward > 0)
    done += std::string(done.empty() ? "" : "; ") + "faces wound inward (normals pointing into the volume): " +
            (inward == nf ? "all " + std::to_string(nf) : std::to_string(inward) + " of " + std::to_string(nf)) +
            " reversed";
  return done;
}

bool self_intersects(const Geometry& g) {
  if (!g.is_mesh()) return false;
  Mesh mesh;
  try {
    to_surface_mesh(g, mesh);
    return PMP::does_self_intersect(mesh);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::internal, "clean", std::string("self-intersection test failed: ") + e.what());
  }
}

}  // namespace fitcheck::clean
