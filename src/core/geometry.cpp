#include "core/geometry.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "core/error.hpp"

namespace fitcheck {

BoundingBox bounding_box(const std::vector<Eigen::Vector3d>& points) {
  BoundingBox box;
  if (points.empty()) return box;
  box.min = box.max = points.front();
  for (const auto& p : points) {
    box.min = box.min.cwiseMin(p);
    box.max = box.max.cwiseMax(p);
  }
  return box;
}

bool all_finite(const std::vector<Eigen::Vector3d>& points, std::size_t* first_bad) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].allFinite()) {
      if (first_bad) *first_bad = i;
      return false;
    }
  }
  return true;
}

PrincipalAxes principal_axes(const std::vector<Eigen::Vector3d>& points, const std::vector<double>& weights) {
  PrincipalAxes pa;
  if (points.empty()) return pa;
  auto w = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  double sw = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    pa.mean += w(i) * points[i];
    sw += w(i);
  }
  if (!(sw > 0)) return pa;
  pa.mean /= sw;
  Eigen::Matrix3d cov = Eigen::Matrix3d::Zero();
  for (std::size_t i = 0; i < points.size(); ++i) cov += w(i) * (points[i] - pa.mean) * (points[i] - pa.mean).transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(cov / sw);
  pa.eigenvalues = eig.eigenvalues();
  pa.axes = eig.eigenvectors();
  return pa;
}

Spread classify_spread(const std::vector<Eigen::Vector3d>& points, double rel_tol) {
  if (points.size() < 2) return Spread::identical;
  const PrincipalAxes pa = principal_axes(points);
  const Eigen::Vector3d& mean = pa.mean;
  // Eigenvalues ascending; compare standard deviations (sqrt) so the tolerance is a length ratio.
  Eigen::Vector3d sd = pa.eigenvalues.cwiseMax(0.0).cwiseSqrt();
  const double largest = sd(2);
  const double scale_ref = std::max(mean.cwiseAbs().maxCoeff(), largest);
  if (largest <= 1e-12 * std::max(scale_ref, 1e-300)) return Spread::identical;
  if (sd(1) < rel_tol * largest) return Spread::collinear;
  if (sd(0) < rel_tol * largest) return Spread::coplanar;
  return Spread::volumetric;
}

const char* spread_name(Spread s) noexcept {
  switch (s) {
    case Spread::identical: return "all points identical";
    case Spread::collinear: return "all points on one line";
    case Spread::coplanar: return "all points in one plane";
    case Spread::volumetric: return "volumetric";
  }
  return "?";
}

namespace {
struct EdgeKey {
  int a, b;  // a < b
  bool operator==(const EdgeKey& o) const { return a == o.a && b == o.b; }
};
struct EdgeHash {
  std::size_t operator()(const EdgeKey& e) const noexcept {
    return std::hash<long long>()((static_cast<long long>(e.a) << 32) ^ static_cast<unsigned>(e.b));
  }
};

int find_root(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}
}  // namespace

Topology analyze_topology(const Geometry& mesh) {
  Topology t;
  const int n = static_cast<int>(mesh.vertices.size());
  // Edges as sorted keys (smaller index in the high word, and whether the face used it from the smaller index in the
  // lowest bit): equal edges sit together after a sort, cheaper than a hash map on meshes of 100k faces.
  std::vector<std::uint64_t> keys;
  keys.reserve(3 * mesh.faces.size());
  std::vector<char> used(mesh.vertices.size(), 0);
  for (const auto& f : mesh.faces) {
    if (f[0] == f[1] || f[1] == f[2] || f[0] == f[2]) {
      ++t.degenerate_faces;
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      const int u = f[k], v = f[(k + 1) % 3];
      used[u] = 1;
      const auto lo = static_cast<std::uint64_t>(std::min(u, v)), hi = static_cast<std::uint64_t>(std::max(u, v));
      keys.push_back(lo << 32 | hi << 1 | (u < v ? 1u : 0u));
    }
  }
  t.unreferenced_vertices = static_cast<std::size_t>(std::count(used.begin(), used.end(), 0));
  std::sort(keys.begin(), keys.end());

  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<char> on_boundary(n, 0);
  bool oriented = true;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i, forward = 0;
    for (; j < keys.size() && keys[j] >> 1 == keys[i] >> 1; ++j) forward += keys[j] & 1u;
    const std::size_t faces = j - i;
    const int a = static_cast<int>(keys[i] >> 32), b = static_cast<int>((keys[i] >> 1) & 0x7fffffffu);
    if (faces == 1) {
      ++t.boundary_edges;
      on_boundary[a] = on_boundary[b] = 1;
      const int ra = find_root(parent, a), rb = find_root(parent, b);
      if (ra != rb) parent[ra] = rb;
    } else if (faces == 2) {
      if (forward != 1) oriented = false;
    } else {
      ++t.non_manifold_edges;
      oriented = false;
    }
    i = j;
  }
  for (int v = 0; v < n; ++v)
    if (on_boundary[v] && find_root(parent, v) == v) ++t.holes;

  // Vertex manifoldness: the faces around a vertex must form a single fan, i.e. be joined through shared edges
  // incident to the vertex (spokes). The incident faces per vertex (compressed rows), then per vertex its spokes
  // sorted by their far end: faces sharing a spoke are in the same fan.
  std::vector<std::size_t> first(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& f : mesh.faces)
    if (!(f[0] == f[1] || f[1] == f[2] || f[0] == f[2]))
      for (int k = 0; k < 3; ++k) ++first[static_cast<std::size_t>(f[k]) + 1];
  std::partial_sum(first.begin(), first.end(), first.begin());
  std::vector<int> incident(first.back());
  {
    std::vector<std::size_t> fill(first.begin(), first.end() - 1);
    for (int fi = 0; fi < static_cast<int>(mesh.faces.size()); ++fi) {
      const auto& f = mesh.faces[fi];
      if (f[0] == f[1] || f[1] == f[2] || f[0] == f[2]) continue;
      for (int k = 0; k < 3; ++k) incident[fill[static_cast<std::size_t>(f[k])]++] = fi;
    }
  }
  std::vector<std::pair<int, int>> spokes;  // (far end, position among the vertex's faces)
  std::vector<int> fan;
  for (int v = 0; v < n; ++v) {
    const std::size_t from = first[static_cast<std::size_t>(v)], count = first[static_cast<std::size_t>(v) + 1] - from;
    if (count < 2) continue;
    spokes.clear();
    for (std::size_t i = 0; i < count; ++i) {
      const auto& f = mesh.faces[incident[from + i]];
      for (int k = 0; k < 3; ++k)
        if (f[k] != v) spokes.emplace_back(f[k], static_cast<int>(i));
    }
    std::sort(spokes.begin(), spokes.end());
    fan.resize(count);
    std::iota(fan.begin(), fan.end(), 0);
    for (std::size_t i = 1; i < spokes.size(); ++i)
      if (spokes[i].first == spokes[i - 1].first) {
        const int ra = find_root(fan, spokes[i].second), rb = find_root(fan, spokes[i - 1].second);
        if (ra != rb) fan[ra] = rb;
      }
    int fans = 0;
    for (int i = 0; i < static_cast<int>(count); ++i)
      if (find_root(fan, i) == i) ++fans;
    if (fans > 1) ++t.non_manifold_vertices;
  }

  t.edge_manifold = t.non_manifold_edges == 0;
  t.vertex_manifold = t.non_manifold_vertices == 0;
  t.oriented = oriented && t.edge_manifold;
  // Faces with a repeated corner have no edges: a mesh of only those encloses nothing.
  t.closed = mesh.faces.size() > t.degenerate_faces && t.boundary_edges == 0 && t.edge_manifold;
  return t;
}

std::vector<int> boundary_vertices(const Geometry& mesh) {
  std::unordered_map<EdgeKey, int, EdgeHash> count;
  for (const auto& f : mesh.faces)
    for (int k = 0; k < 3; ++k) {
      const int u = f[k], v = f[(k + 1) % 3];
      if (u != v) ++count[EdgeKey{std::min(u, v), std::max(u, v)}];
    }
  std::vector<int> out;
  for (const auto& [e, c] : count)
    if (c == 1) {
      out.push_back(e.a);
      out.push_back(e.b);
    }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double signed_volume(const Geometry& mesh) {
  double v6 = 0;
  for (const auto& f : mesh.faces)
    v6 += mesh.vertices[f[0]].dot(mesh.vertices[f[1]].cross(mesh.vertices[f[2]]));
  return v6 / 6.0;
}

namespace {
struct PointKeyHash {
  std::size_t operator()(const Eigen::Vector3d& p) const noexcept {
    std::size_t h = 0;
    for (int i = 0; i < 3; ++i) {
      double d = p[i] == 0.0 ? 0.0 : p[i];  // +0 and -0 hash alike
      std::uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      h ^= std::hash<std::uint64_t>()(bits) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return h;
  }
};
struct PointKeyEq {
  bool operator()(const Eigen::Vector3d& a, const Eigen::Vector3d& b) const noexcept { return a == b; }
};
}  // namespace

std::size_t weld_identical_vertices(Geometry& mesh) {
  std::unordered_map<Eigen::Vector3d, int, PointKeyHash, PointKeyEq> index;
  index.reserve(mesh.vertices.size());
  std::vector<int> remap(mesh.vertices.size());
  std::vector<Eigen::Vector3d> welded;
  welded.reserve(mesh.vertices.size() / 4 + 16);
  for (std::size_t i = 0; i < mesh.vertices.size(); ++i) {
    auto [it, inserted] = index.emplace(mesh.vertices[i], static_cast<int>(welded.size()));
    if (inserted) welded.push_back(mesh.vertices[i]);
    remap[i] = it->second;
  }
  std::vector<Eigen::Vector3i> faces;
  faces.reserve(mesh.faces.size());
  for (const auto& f : mesh.faces) {
    Eigen::Vector3i g(remap[f[0]], remap[f[1]], remap[f[2]]);
    if (g[0] != g[1] && g[1] != g[2] && g[0] != g[2]) faces.push_back(g);
  }
  const std::size_t removed = mesh.vertices.size() - welded.size();
  mesh.vertices = std::move(welded);
  mesh.faces = std::move(faces);
  return removed;
}

void scale(Geometry& g, double factor) {
  for (auto& p : g.vertices) p *= factor;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) throw Error(ErrorCode::internal, "geometry", "quantile of no values");
  const double n = static_cast<double>(values.size());
  const auto rank = std::min(values.size() - 1, static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * n));
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(rank);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

double smoothstep(double a, double b, double x) {
  const double t = std::clamp((x - a) / (b - a), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

std::vector<Eigen::Vector2d> lower_hull(std::vector<Eigen::Vector2d> pts) {
  std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y()); });
  std::vector<Eigen::Vector2d> h;
  for (const auto& q : pts) {
    if (!h.empty() && q.x() == h.back().x()) continue;  // same x, higher: not on the lower hull
    while (h.size() >= 2) {
      const Eigen::Vector2d u = h[h.size() - 1] - h[h.size() - 2], v = q - h[h.size() - 2];
      if (u.x() * v.y() - u.y() * v.x() <= 0) h.pop_back();  // not a left turn: drop (keeps the lower chain)
      else break;
    }
    h.push_back(q);
  }
  return h;
}

std::vector<std::uint8_t> stray_points(const std::vector<Eigen::Vector3d>& points) {
  std::vector<std::uint8_t> stray(points.size(), 0);
  if (points.size() < 10) return stray;
  // The coordinate-wise median: a few far points do not move it (the mean and the principal axes they do).
  Eigen::Vector3d median;
  std::vector<double> c(points.size());
  for (int k = 0; k < 3; ++k) {
    for (std::size_t i = 0; i < points.size(); ++i) c[i] = points[i][k];
    median[k] = quantile(c, 0.5);
  }
  std::vector<double> d(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) d[i] = (points[i] - median).norm();
  c = d;
  const auto q90 = c.begin() + static_cast<std::ptrdiff_t>(c.size() * 9 / 10);
  std::nth_element(c.begin(), q90, c.end());
  const double limit = kStrayDistanceFactor * *q90;
  for (std::size_t i = 0; i < points.size(); ++i) stray[i] = d[i] > limit;
  return stray;
}

}  // namespace fitcheck
