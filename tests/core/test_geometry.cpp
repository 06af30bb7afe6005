// Topology, spread and welding on shapes whose answers are known by construction.
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;

BOOST_AUTO_TEST_CASE(quantile_is_the_element_at_its_rank) {
  const std::vector<double> v = {5, 1, 4, 2, 3, 9, 7, 8, 6, 0};
  BOOST_TEST(quantile(v, 0.0) == 0.0);
  BOOST_TEST(quantile(v, 0.02) == 0.0);
  BOOST_TEST(quantile(v, 0.5) == 5.0);  // rank 5 of 0..9: the upper median
  BOOST_TEST(quantile(v, 0.95) == 9.0);
  BOOST_TEST(quantile(v, 1.0) == 9.0);
  BOOST_TEST(quantile({3.0}, 0.5) == 3.0);
  BOOST_CHECK_THROW(quantile({}, 0.5), Error);
}

BOOST_AUTO_TEST_CASE(closed_box_is_closed_manifold_oriented) {
  const Geometry box = synth::make_box({10, 20, 30});
  const Topology t = analyze_topology(box);
  BOOST_TEST(t.closed);
  BOOST_TEST(t.manifold());
  BOOST_TEST(t.oriented);
  BOOST_TEST(t.holes == 0u);
  BOOST_TEST(t.boundary_edges == 0u);
}

BOOST_AUTO_TEST_CASE(removing_faces_makes_holes) {
  Geometry s = synth::make_uv_sphere(50, 16, 32);
  // Remove two faces far apart: two separate holes of 3 boundary edges each.
  s.faces.erase(s.faces.begin() + 200);
  s.faces.erase(s.faces.begin() + 10);
  const Topology t = analyze_topology(s);
  BOOST_TEST(!t.closed);
  BOOST_TEST(t.holes == 2u);
  BOOST_TEST(t.boundary_edges == 6u);
  BOOST_TEST(t.manifold());
}

BOOST_AUTO_TEST_CASE(three_faces_on_one_edge_is_not_manifold) {
  Geometry g = synth::make_box({1, 1, 1});
  g.vertices.emplace_back(0.5, -1, 0.5);
  const int extra = static_cast<int>(g.vertices.size()) - 1;
  g.faces.emplace_back(g.faces[0][0], g.faces[0][1], extra);  // a fin on an existing edge
  const Topology t = analyze_topology(g);
  BOOST_TEST(!t.edge_manifold);
  BOOST_TEST(t.non_manifold_edges >= 1u);
  BOOST_TEST(!t.closed);
}

BOOST_AUTO_TEST_CASE(two_boxes_touching_at_a_vertex_are_not_vertex_manifold) {
  Geometry a = synth::make_box({1, 1, 1});
  Geometry b = synth::make_box({1, 1, 1});
  const int off = static_cast<int>(a.vertices.size()) - 1;  // b's vertex 0 becomes a's vertex 7 (1,1,1)
  for (auto& v : b.vertices) v += Eigen::Vector3d(1, 1, 1);
  for (std::size_t i = 1; i < b.vertices.size(); ++i) a.vertices.push_back(b.vertices[i]);
  for (auto f : b.faces) {
    for (int k = 0; k < 3; ++k) f[k] = f[k] == 0 ? 7 : f[k] + off;
    a.faces.push_back(f);
  }
  const Topology t = analyze_topology(a);
  BOOST_TEST(t.edge_manifold);
  BOOST_TEST(!t.vertex_manifold);
  BOOST_TEST(t.non_manifold_vertices == 1u);
}

BOOST_AUTO_TEST_CASE(flipped_face_is_not_oriented) {
  Geometry g = synth::make_box({1, 2, 3});
  std::swap(g.faces[3][1], g.faces[3][2]);
  BOOST_TEST(!analyze_topology(g).oriented);
  BOOST_TEST(analyze_topology(g).closed);
}

BOOST_AUTO_TEST_CASE(only_degenerate_faces_are_not_closed) {
  // Faces like "0 0 0" have no edges, so no border either: they must not read as a closed surface.
  Geometry g = synth::make_box({1, 1, 1});
  for (auto& f : g.faces) f = Eigen::Vector3i(f[0], f[0], f[0]);
  const Topology t = analyze_topology(g);
  BOOST_TEST(t.degenerate_faces == g.faces.size());
  BOOST_TEST(!t.closed);
}

BOOST_AUTO_TEST_CASE(weld_merges_stl_style_corners) {
  const Geometry box = synth::make_box({4, 5, 6});
  Geometry soup;
  for (const auto& f : box.faces) {
    const int b = static_cast<int>(soup.vertices.size());
    for (int k = 0; k < 3; ++k) soup.vertices.push_back(box.vertices[f[k]]);
    soup.faces.emplace_back(b, b + 1, b + 2);
  }
  BOOST_TEST(soup.vertices.size() == 36u);
  BOOST_TEST(!analyze_topology(soup).closed);
  BOOST_TEST(weld_identical_vertices(soup) == 28u);
  BOOST_TEST(soup.vertices.size() == 8u);
  BOOST_TEST(analyze_topology(soup).closed);
}

BOOST_AUTO_TEST_CASE(spread_classification) {
  std::vector<Eigen::Vector3d> p(50, Eigen::Vector3d(1, 2, 3));
  BOOST_TEST(classify_spread(p) == Spread::identical);
  for (int i = 0; i < 50; ++i) p[i] = Eigen::Vector3d(i, 2 * i, -i);
  BOOST_TEST(classify_spread(p) == Spread::collinear);
  for (int i = 0; i < 50; ++i) p[i] = Eigen::Vector3d(i % 7, i / 7, 0) * 1e6;  // scale must not matter
  BOOST_TEST(classify_spread(p) == Spread::coplanar);
  BOOST_TEST(classify_spread(synth::make_uv_sphere(1e-6).vertices) == Spread::volumetric);
}

BOOST_AUTO_TEST_CASE(finite_check_names_first_bad_vertex) {
  std::vector<Eigen::Vector3d> p(10, Eigen::Vector3d::Ones());
  std::size_t bad = 99;
  BOOST_TEST(all_finite(p, &bad));
  p[6].z() = std::numeric_limits<double>::infinity();
  p[8].x() = std::numeric_limits<double>::quiet_NaN();
  BOOST_TEST(!all_finite(p, &bad));
  BOOST_TEST(bad == 6u);
}

BOOST_AUTO_TEST_CASE(exit_code_table) {
  BOOST_TEST(exit_code(ErrorCode::usage) == 2);
  BOOST_TEST(exit_code(ErrorCode::io) == 3);
  BOOST_TEST(exit_code(ErrorCode::invalid_input) == 4);
  BOOST_TEST(exit_code(ErrorCode::did_not_converge) == 4);
  BOOST_TEST(exit_code(ErrorCode::internal) == 5);
}
