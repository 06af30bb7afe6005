// Mesh repair: an exact planar cut gets a flat cap, a hole in the dorsum a faired patch; both close the mesh and
// restore the enclosed volume.
#include <boost/test/unit_test.hpp>

#include "clean/clean.hpp"
#include "measure/measure.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;

BOOST_AUTO_TEST_CASE(planar_cut_is_exact_and_capped_flat) {
  const Geometry foot = synth::make_foot();
  Geometry cut = foot;
  const std::size_t above = clean::cut_above(cut, 60.0);
  BOOST_TEST(above > 0u);
  BOOST_TEST(bounding_box(cut.vertices).max.z() <= 60.0 + 1e-9);
  const Topology open = analyze_topology(cut);
  BOOST_TEST(!open.closed);
  BOOST_TEST(open.holes == 1u);
  const auto rep = clean::fill_holes(cut);
  BOOST_TEST(rep.holes_filled == 1u);
  BOOST_TEST(analyze_topology(cut).closed);
  BOOST_TEST(analyze_topology(cut).oriented);
  // The flat cap makes the enclosed volume exactly the volume below the plane (clipped independently).
  const double expected = measure::volume_below(foot, 60.0);
  BOOST_TEST(signed_volume(cut) == expected, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(dorsal_hole_is_filled_smoothly) {
  const Geometry foot = synth::make_foot();
  Geometry holed = foot;
  // Remove every face within 15 mm of a point on the dorsum at 60 % of length.
  const Eigen::Vector3d centre(0.6 * 265, 12 * 0.3, 55);
  Eigen::Vector3d nearest = holed.vertices[0];
  for (const auto& v : holed.vertices)
    if ((v - centre).norm() < (nearest - centre).norm()) nearest = v;
  std::vector<Eigen::Vector3i> kept;
  for (const auto& f : holed.faces) {
    const Eigen::Vector3d c = (holed.vertices[f[0]] + holed.vertices[f[1]] + holed.vertices[f[2]]) / 3.0;
    if ((c - nearest).norm() > 15.0) kept.push_back(f);
  }
  BOOST_REQUIRE(kept.size() < holed.faces.size());
  holed.faces = kept;
  BOOST_TEST(analyze_topology(holed).holes == 1u);
  const auto rep = clean::fill_holes(holed);
  BOOST_TEST(rep.holes_filled == 1u);
  BOOST_TEST(rep.faces_added > 0u);
  BOOST_TEST(analyze_topology(holed).closed);
  // A faired patch follows the surrounding surface: the volume comes back within 0.2 %.
  BOOST_TEST(signed_volume(holed) == signed_volume(foot), boost::test_tools::tolerance(0.002));
}

BOOST_AUTO_TEST_CASE(scan_cut_at_the_ankle_gets_a_volume) {
  // A kiosk-style open top: measure_scan closes it and reports a volume.
  Geometry foot = synth::make_foot();
  clean::cut_above(foot, 80.0);
  const auto r = measure::measure_scan(foot);
  BOOST_REQUIRE(r.result.measurements.volume_cm3.has_value());
  BOOST_TEST(*r.result.measurements.volume_cm3 * 1000.0 ==
                 measure::volume_below(synth::make_foot(), 80.0),
             boost::test_tools::tolerance(1e-4));
}

namespace {
Geometry reversed_faces(Geometry g, std::size_t every) {
  for (std::size_t f = 0; f < g.faces.size(); f += every) std::swap(g.faces[f][1], g.faces[f][2]);
  return g;
}
}  // namespace

BOOST_AUTO_TEST_CASE(faces_wound_inward_or_inconsistently_are_rewound_outward) {
  const Geometry foot = synth::make_foot();
  {
    Geometry same = foot;
    BOOST_TEST(clean::orient_outward(same).empty());
    BOOST_TEST((same.faces == foot.faces));
  }
  // Every face reversed (normals exported inward), every other one, every third (face 0 flipped too, so the soup
  // orientation starts from a wrong face): each comes back to the original winding, vertices untouched.
  for (const std::size_t every : {1u, 2u, 3u}) {
    BOOST_TEST_CONTEXT("every " << every << " faces reversed") {
      Geometry g = reversed_faces(foot, every);
      BOOST_TEST(analyze_topology(g).oriented == (every == 1));
      const std::string note = clean::orient_outward(g);
      BOOST_TEST(note.find(every == 1 ? "inward" : "inconsistently") != std::string::npos, note);
      BOOST_TEST((g.faces == foot.faces));
      BOOST_TEST((g.vertices == foot.vertices));
    }
  }
  // A scan open at a flat ankle cut, wound inward: the volume about the centroid still tells.
  Geometry open = foot;
  clean::cut_above(open, 60.0);
  const Geometry open_right = open;
  open = reversed_faces(open, 1);
  BOOST_TEST(!clean::orient_outward(open).empty());
  BOOST_TEST((open.faces == open_right.faces));
}

BOOST_AUTO_TEST_CASE(orienting_keeps_coincident_vertices_and_decides_each_part_alone) {
  const Geometry foot = synth::make_foot();
  const std::size_t nf = foot.faces.size();
  // An unwelded duplicate: vertex 0 is a copy of the point that face 100's first corner uses (all indices shift by
  // one). A fin on that face's first edge makes the edge non-manifold, so the soup orientation splits the corner;
  // matching its copy back by position found vertex 0 and failed (exit 5, from the review).
  Geometry g;
  const int a = foot.faces[100][0] + 1, b = foot.faces[100][1] + 1;
  g.vertices.push_back(foot.vertices[static_cast<std::size_t>(a - 1)]);
  g.vertices.insert(g.vertices.end(), foot.vertices.begin(), foot.vertices.end());
  for (const auto& f : foot.faces) g.faces.push_back(f + Eigen::Vector3i::Ones());
  g.vertices.push_back(g.vertices[static_cast<std::size_t>(a)] + Eigen::Vector3d(0, 5, 30));
  g.faces.emplace_back(a, b, static_cast<int>(g.vertices.size()) - 1);
  // A floor plate under the foot, much larger than it, as a separate part wound upward (toward the foot): in one sum
  // over the whole mesh it outweighed the foot and every face was reversed.
  const int p0 = static_cast<int>(g.vertices.size());
  for (const auto& [x, y] : {std::pair{-200.0, -200.0}, {500.0, -200.0}, {500.0, 300.0}, {-200.0, 300.0}})
    g.vertices.emplace_back(x, y, -5.0);
  g.faces.emplace_back(p0, p0 + 1, p0 + 2);
  g.faces.emplace_back(p0, p0 + 2, p0 + 3);
  const Geometry want = g;
  for (std::size_t f = 0; f < nf; f += 2) std::swap(g.faces[f][1], g.faces[f][2]);
  const std::string note = clean::orient_outward(g);
  BOOST_TEST(note.find("inconsistently") != std::string::npos, note);
  BOOST_TEST(g.vertices.size() == want.vertices.size());
  // The foot's faces are back as they were (the fin may go either way); the plate was left alone.
  bool same = true;
  for (std::size_t f = 0; f < nf; ++f) same = same && g.faces[f] == want.faces[f];
  BOOST_TEST(same);
  BOOST_TEST((g.faces[nf + 1] == want.faces[nf + 1]));
  BOOST_TEST((g.faces[nf + 2] == want.faces[nf + 2]));
}

BOOST_AUTO_TEST_CASE(a_scan_wound_inward_measures_as_wound_outward_and_says_so) {
  const Geometry foot = synth::make_foot();
  const measure::ScanResult right = measure::measure_scan(foot);
  const measure::ScanResult inward = measure::measure_scan(reversed_faces(foot, 1));
  BOOST_TEST_REQUIRE(inward.result.measurements.volume_cm3.has_value());
  BOOST_TEST_REQUIRE(right.result.measurements.volume_cm3.has_value());
  BOOST_TEST(*inward.result.measurements.volume_cm3 > 0);
  BOOST_TEST(*inward.result.measurements.volume_cm3 == *right.result.measurements.volume_cm3,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(inward.result.measurements.ball_girth_mm == right.result.measurements.ball_girth_mm,
             boost::test_tools::tolerance(1e-9));
  bool warned = false;
  for (const auto& w : inward.result.warnings) warned = warned || w.find("wound inward") != std::string::npos;
  BOOST_TEST(warned);
  for (const auto& w : right.result.warnings) BOOST_TEST(w.find("wound") == std::string::npos, w);
}

BOOST_AUTO_TEST_CASE(simplify_keeps_the_shape_with_about_the_target_vertex_count) {
  synth::FootShape s;
  s.rings = 400;
  s.ring_points = 125;  // 50k vertices
  const Geometry foot = synth::make_foot(s);
  const Geometry coarse = clean::simplify(foot, 3000);
  BOOST_TEST(coarse.vertices.size() >= 2400u);
  BOOST_TEST(coarse.vertices.size() <= 3750u);
  BOOST_TEST(all_finite(coarse.vertices));
  for (const auto& f : coarse.faces)
    for (int k = 0; k < 3; ++k) BOOST_TEST_REQUIRE((f[k] >= 0 && static_cast<std::size_t>(f[k]) < coarse.vertices.size()));
  // The shape to about a cell (~4.5 mm here): the box and the volume (winding kept: positive).
  const BoundingBox a = bounding_box(foot.vertices), b = bounding_box(coarse.vertices);
  BOOST_TEST((a.min - b.min).cwiseAbs().maxCoeff() <= 3.0);
  BOOST_TEST((a.max - b.max).cwiseAbs().maxCoeff() <= 3.0);
  BOOST_TEST(signed_volume(coarse) == signed_volume(foot), boost::test_tools::tolerance(0.03));
  // A mesh already at or below the target, and a point cloud, come back unchanged; a target below 100 is refused.
  BOOST_TEST(clean::simplify(coarse, coarse.vertices.size()).vertices.size() == coarse.vertices.size());
  Geometry cloud;
  cloud.vertices = foot.vertices;
  BOOST_TEST(clean::simplify(cloud, 3000).vertices.size() == cloud.vertices.size());
  BOOST_CHECK_THROW(clean::simplify(foot, 50), Error);
}
