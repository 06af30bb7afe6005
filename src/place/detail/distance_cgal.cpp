// Adapter: CGAL AABB tree over the last's triangles for signed distances (the one TU of `place` that includes CGAL).
// Open3D's RaycastingScene is not used: Debian's build gets the sign wrong (ARCHITECTURE.md, known pitfalls).
#include <CGAL/AABB_traits.h>
#include <CGAL/AABB_tree.h>
#include <CGAL/AABB_triangle_primitive.h>
#include <CGAL/Simple_cartesian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "place/place.hpp"

namespace fitcheck::place {

namespace {
using K = CGAL::Simple_cartesian<double>;
using Triangles = std::vector<K::Triangle_3>;
using Primitive = CGAL::AABB_triangle_primitive<K, Triangles::const_iterator>;

/// The point of segment ab closest to p.
K::Point_3 closest_on_segment(const K::Point_3& a, const K::Point_3& b, const K::Point_3& p) {
  const K::Vector_3 ab = b - a;
  const double len2 = ab.squared_length();
  return len2 > 0 ? a + std::clamp(((p - a) * ab) / len2, 0.0, 1.0) * ab : a;
}

/// The point of triangle abc closest to p, by the Voronoi regions of its corners and edges (Ericson, Real-Time
/// Collision Detection, 2005, sec. 5.1.5): the same point as the kernel's Construct_projected_point_3 up to rounding,
/// in a fraction of its time (which is most of a distance query's: the search projects onto every triangle whose box
/// the current sphere reaches). The triangle has an area (SignedDistance keeps no other); a sliver (the sine of its
/// angle at a below 1e-8) is taken as its three edges, within 1e-8 of its size of the exact point.
K::Point_3 closest_on_triangle(const K::Triangle_3& t, const K::Point_3& p) {
  const K::Point_3 &a = t[0], &b = t[1], &c = t[2];
  const K::Vector_3 ab = b - a, ac = c - a, ap = p - a;
  const double d1 = ab * ap, d2 = ac * ap;
  if (d1 <= 0 && d2 <= 0) return a;  // corner a
  const K::Vector_3 bp = p - b;
  const double d3 = ab * bp, d4 = ac * bp;
  if (d3 >= 0 && d4 <= d3) return b;  // corner b
  const double vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) return a + (d1 / (d1 - d3)) * ab;  // edge ab
  const K::Vector_3 cp = p - c;
  const double d5 = ab * cp, d6 = ac * cp;
  if (d6 >= 0 && d5 <= d6) return c;  // corner c
  const double vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) return a + (d2 / (d2 - d6)) * ac;  // edge ac
  const double va = d3 * d6 - d5 * d4;
  if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) return b + ((d4 - d3) / ((d4 - d3) + (d5 - d6))) * (c - b);  // edge bc
  // Inside: the foot of the perpendicular onto the plane (the barycentric weights va, vb, vc / (va + vb + vc) would
  // lose their digits on a sliver, as the square of its angle's sine; the plane's normal as the sine only).
  const K::Vector_3 n = CGAL::cross_product(ab, ac);
  const double nn = n.squared_length();
  if (!(nn > 1e-16 * ab.squared_length() * ac.squared_length())) {  // a sliver: its three edges
    const K::Point_3 e[3] = {closest_on_segment(a, b, p), closest_on_segment(b, c, p), closest_on_segment(c, a, p)};
    return *std::min_element(std::begin(e), std::end(e), [&](const K::Point_3& x, const K::Point_3& y) {
      return CGAL::squared_distance(p, x) < CGAL::squared_distance(p, y);
    });
  }
  return p - ((ap * n) / nn) * n;
}

/// CGAL's AABB traits with the closest-point functor above (the AABBTraits concept's Closest_point: the primitive's
/// closest point to p, or `bound` when that is nearer).
struct Traits : CGAL::AABB_traits<K, Primitive> {
  class Closest_point {
   public:
    explicit Closest_point(const Traits&) {}
    K::Point_3 operator()(const K::Point_3& p, const Primitive& pr, const K::Point_3& bound) const {
      const K::Point_3 c = closest_on_triangle(pr.datum(), p);
      return CGAL::squared_distance(p, c) > CGAL::squared_distance(p, bound) ? bound : c;
    }
  };
  Closest_point closest_point_object() const { return Closest_point(*this); }
};
using Tree = CGAL::AABB_tree<Traits>;
}  // namespace

struct SignedDistance::Impl {
  Triangles triangles;
  std::vector<Eigen::Vector3d> normals;  // unit, outward (the mesh is oriented outward)
  Tree tree;
  // Angle-weighted pseudonormals (Baerentzen & Aanaes 2005, IEEE TVCG 11(3)): on a closed, consistently oriented
  // 2-manifold the sign of (p - c) . n at the closest point c is exact whether c lies inside a triangle, on an edge
  // (n = sum of its two triangles' normals) or at a vertex (n = angle-weighted sum of the normals around it).
  // Per kept triangle: its three edges' pseudonormals (edge k runs from corner k to k + 1) and its three corners'
  // vertex pseudonormals; a zero vector where the mesh is not manifold there (ray parity decides instead).
  std::vector<std::array<Eigen::Vector3d, 3>> edge_pn, vertex_pn;
  mutable std::atomic<std::size_t> ray_parity{0};  ///< queries signed by ray parity (statistics)
  /// Fills the pseudonormals from the kept faces (`faces[t]` = the mesh's vertex indices of triangle t).
  void pseudonormals(const std::vector<Eigen::Vector3i>& faces, std::size_t n_vertices);
};

void SignedDistance::Impl::pseudonormals(const std::vector<Eigen::Vector3i>& faces, std::size_t n_vertices) {
  Impl& I = *this;
  const std::size_t nt = faces.size();
  I.edge_pn.assign(nt, {Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero()});
  I.vertex_pn = I.edge_pn;
  // Half-edges by their first vertex (compressed rows): a manifold, consistently oriented edge has exactly one
  // half-edge each way.
  std::vector<std::size_t> first(n_vertices + 1, 0);
  for (const auto& f : faces)
    for (int k = 0; k < 3; ++k) ++first[static_cast<std::size_t>(f[k]) + 1];
  for (std::size_t v = 0; v < n_vertices; ++v) first[v + 1] += first[v];
  std::vector<std::pair<int, std::size_t>> out(first.back());  // (to, corner id t * 3 + k)
  {
    std::vector<std::size_t> fill(first.begin(), first.end() - 1);
    for (std::size_t t = 0; t < nt; ++t)
      for (int k = 0; k < 3; ++k)
        out[fill[static_cast<std::size_t>(faces[t][k])]++] = {faces[t][(k + 1) % 3], t * 3 + static_cast<std::size_t>(k)};
  }
  // The half-edges from -> to: how many, and the last one's corner.
  auto find = [&](int from, int to, std::size_t& corner) {
    int count = 0;
    for (std::size_t j = first[static_cast<std::size_t>(from)]; j < first[static_cast<std::size_t>(from) + 1]; ++j)
      if (out[j].first == to) ++count, corner = out[j].second;
    return count;
  };
  // Corners around one vertex that share a manifold edge belong to one fan (union-find); a vertex with two fans (a
  // pinch) or on a border gets no pseudonormal.
  std::vector<std::size_t> parent(nt * 3);
  for (std::size_t c = 0; c < parent.size(); ++c) parent[c] = c;
  auto root = [&](std::size_t c) {
    while (parent[c] != c) c = parent[c] = parent[parent[c]];
    return c;
  };
  std::vector<std::uint8_t> vertex_ok(n_vertices, 1);
  for (std::size_t t = 0; t < nt; ++t)
    for (std::size_t k = 0; k < 3; ++k) {
      const int a = faces[t][static_cast<int>(k)], b = faces[t][static_cast<int>((k + 1) % 3)];
      std::size_t c = 0, o = 0;
      const bool manifold = find(a, b, c) == 1 && find(b, a, o) == 1;
      if (!manifold) {
        vertex_ok[static_cast<std::size_t>(a)] = vertex_ok[static_cast<std::size_t>(b)] = 0;
        continue;
      }
      const std::size_t to = o / 3, ko = o % 3;
      I.edge_pn[t][k] = I.normals[t] + I.normals[to];
      // This edge joins corner k of t with the twin's next corner (the same mesh vertex a), and corner k + 1 of t
      // with the twin's corner ko (vertex b).
      parent[root(t * 3 + k)] = root(to * 3 + (ko + 1) % 3);
      parent[root(t * 3 + (k + 1) % 3)] = root(o);
    }
  std::vector<Eigen::Vector3d> sum(n_vertices, Eigen::Vector3d::Zero());
  std::vector<std::size_t> fan(n_vertices, static_cast<std::size_t>(-1));
  for (std::size_t t = 0; t < nt; ++t)
    for (int k = 0; k < 3; ++k) {
      const std::size_t v = static_cast<std::size_t>(faces[t][k]);
      const std::size_t r = root(t * 3 + static_cast<std::size_t>(k));
      if (fan[v] == static_cast<std::size_t>(-1)) fan[v] = r;
      else if (fan[v] != r) vertex_ok[v] = 0;
      const auto& tri = I.triangles[t];
      const Eigen::Vector3d a(tri[k].x(), tri[k].y(), tri[k].z()), b(tri[(k + 1) % 3].x(), tri[(k + 1) % 3].y(), tri[(k + 1) % 3].z()),
          c(tri[(k + 2) % 3].x(), tri[(k + 2) % 3].y(), tri[(k + 2) % 3].z());
      const double angle = std::atan2((b - a).cross(c - a).norm(), (b - a).dot(c - a));
      sum[v] += angle * I.normals[t];
    }
  for (std::size_t t = 0; t < nt; ++t)
    for (int k = 0; k < 3; ++k) {
      const std::size_t v = static_cast<std::size_t>(faces[t][k]);
      if (vertex_ok[v]) I.vertex_pn[t][static_cast<std::size_t>(k)] = sum[v];
    }
}

SignedDistance::SignedDistance(const Geometry& m) : impl_(std::make_unique<Impl>()) {
  if (!m.is_mesh()) throw Error(ErrorCode::invalid_input, "place", "signed distance needs a triangle mesh");
  auto& I = *impl_;
  I.triangles.reserve(m.faces.size());
  std::vector<Eigen::Vector3i> kept;  // the mesh's vertex indices of each kept triangle
  for (const auto& f : m.faces) {
    const Eigen::Vector3d& a = m.vertices[f[0]];
    const Eigen::Vector3d& b = m.vertices[f[1]];
    const Eigen::Vector3d& c = m.vertices[f[2]];
    const Eigen::Vector3d n = (b - a).cross(c - a);
    if (!(n.norm() > 0)) continue;  // degenerate: no area, never the closest in a useful sense
    I.triangles.emplace_back(K::Point_3(a.x(), a.y(), a.z()), K::Point_3(b.x(), b.y(), b.z()),
                             K::Point_3(c.x(), c.y(), c.z()));
    I.normals.push_back(n.normalized());
    kept.push_back(f);
  }
  if (I.triangles.empty()) throw Error(ErrorCode::invalid_input, "place", "the last has no triangle with an area");
  // rebuild() builds the tree and accelerate_distance_queries() its kd-tree at once (CGAL 5.5: AABB_tree::rebuild,
  // AABB_search_tree's constructor), so the queries below only read them and may run on several threads.
  I.tree.rebuild(I.triangles.begin(), I.triangles.end());
  I.tree.accelerate_distance_queries();
  I.pseudonormals(kept, m.vertices.size());
}

SignedDistance::~SignedDistance() = default;

std::size_t SignedDistance::ray_parity_count() const { return impl_->ray_parity.load(); }

std::vector<double> SignedDistance::query(const std::vector<Eigen::Vector3d>& points, std::vector<Eigen::Vector3d>* normals,
                                          std::vector<Hint>* hints) const {
  const auto& I = *impl_;
  std::vector<double> out(points.size());
  if (normals) normals->resize(points.size());
  if (hints) hints->resize(points.size());
  // Ray directions for the parity fallback: not aligned with any axis or with each other.
  static const std::array<K::Vector_3, 3> dirs = {K::Vector_3(0.5773, 0.5774, 0.5775), K::Vector_3(-0.6132, 0.2418, 0.7521),
                                                  K::Vector_3(0.1913, -0.8812, -0.4322)};
  auto one = [&](std::size_t i, Tree::Point_and_primitive_id& hint, bool have_hint) {
    const Eigen::Vector3d& p = points[i];
    const K::Point_3 q(p.x(), p.y(), p.z());
    // A start for the search: q's projection onto this point's own hinted triangle, else the previous point's answer
    // when that point lies within 2 mm, else CGAL's kd-tree of sample points (accelerate_distance_queries). Any point
    // on the mesh only bounds CGAL's search, so the distance does not depend on it.
    if (hints && (*hints)[i].triangle < I.triangles.size()) {
      const auto tri = I.triangles.begin() + static_cast<std::ptrdiff_t>((*hints)[i].triangle);
      hint = {closest_on_triangle(*tri, q), tri};
      have_hint = true;
    }
    hint = have_hint ? I.tree.closest_point_and_primitive(q, hint) : I.tree.closest_point_and_primitive(q);
    const auto& [c, it] = hint;
    const Eigen::Vector3d cp(c.x(), c.y(), c.z());
    const double dist = (p - cp).norm();
    const std::size_t t = static_cast<std::size_t>(it - I.triangles.begin());
    if (normals) (*normals)[i] = I.normals[t];
    if (hints) (*hints)[i].triangle = t;
    // Inside that triangle (not on an edge or corner) its normal tells the side exactly.
    const auto& tri = I.triangles[t];
    const Eigen::Vector3d a(tri[0].x(), tri[0].y(), tri[0].z()), b(tri[1].x(), tri[1].y(), tri[1].z()),
        cc(tri[2].x(), tri[2].y(), tri[2].z());
    const Eigen::Vector3d n = (b - a).cross(cc - a);
    const double area2 = n.squaredNorm();
    const double u = (cc - b).cross(cp - b).dot(n) / area2, v = (a - cc).cross(cp - cc).dot(n) / area2;
    const double w = 1 - u - v;
    const double edge_eps = 1e-6;
    // The closest point's feature: inside the triangle, on edge k (corner k to k + 1), or at corner k. u, v, w are
    // the barycentric weights of corners 0, 1, 2.
    Eigen::Vector3d pn = I.normals[t];
    const bool at[3] = {u > edge_eps, v > edge_eps, w > edge_eps};
    const int n_at = at[0] + at[1] + at[2];
    if (n_at == 2) {
      pn = I.edge_pn[t][!at[0] ? 1 : !at[1] ? 2 : 0];  // the edge opposite the corner with no weight
    } else if (n_at == 1) {
      pn = I.vertex_pn[t][at[0] ? 0 : at[1] ? 1 : 2];
    } else if (n_at == 0) {
      pn = Eigen::Vector3d::Zero();  // a degenerate answer: ray parity
    }
    const double side = pn.dot(p - cp);
    double sign;
    if (dist < 1e-9) {
      sign = 1;  // on the surface: zero clearance either way
    } else if (side != 0 && pn.squaredNorm() > 0) {
      sign = side > 0 ? -1.0 : 1.0;  // outside the last: negative clearance
    } else {
      I.ray_parity.fetch_add(1, std::memory_order_relaxed);
      int inside_votes = 0;
      for (const auto& d : dirs) inside_votes += static_cast<int>(I.tree.number_of_intersected_primitives(K::Ray_3(q, d)) % 2);
      sign = inside_votes >= 2 ? 1.0 : -1.0;
    }
    out[i] = sign * dist;
  };
  // The queries are independent reads of the tree: two chunks on up to two threads (each point's distance does not
  // depend on the split; on ties the answering triangle may). Callers that run several checks at once (recommendation
  // candidates, time points) multiply the thread count: a few threads per core, not a pool.
  const std::size_t n = points.size();
  const std::size_t chunks = n < 4096 ? 1 : 2;
  parallel_for(chunks, chunks, [&](std::size_t t) {
    Tree::Point_and_primitive_id hint;
    const std::size_t from = t * n / chunks, to = (t + 1) * n / chunks;
    for (std::size_t i = from; i < to; ++i) one(i, hint, i > from && (points[i] - points[i - 1]).squaredNorm() < 4.0);
  });
  return out;
}

}  // namespace fitcheck::place
