// Nerve atlas (literature.md A1-A6): placement on find-template against its ground-truth toe and ball keypoints,
// on the surface, all nerves on a synthetic foot, invariance under rigid motion and mirroring, the nearest-nerve
// query, and one test per error code.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "foot/foot.hpp"
#include "load/load.hpp"
#include "measure/measure.hpp"
#include "nerves/nerves.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;
using Eigen::Vector3d;

namespace {

// Distance from p to the triangle (a, b, c), written independently of the library: the plane foot point when it
// lies inside, else the nearest of the three edges.
double segment_distance(const Vector3d& p, const Vector3d& a, const Vector3d& b) {
  const Vector3d ab = b - a;
  const double l2 = ab.squaredNorm();
  const double t = l2 > 0 ? std::clamp((p - a).dot(ab) / l2, 0.0, 1.0) : 0.0;
  return (p - a - t * ab).norm();
}
double triangle_distance(const Vector3d& p, const Vector3d& a, const Vector3d& b, const Vector3d& c) {
  const Vector3d n = (b - a).cross(c - a);
  if (n.squaredNorm() > 0) {
    const Vector3d nn = n.normalized();
    const Vector3d q = p - (p - a).dot(nn) * nn;
    const bool inside =
        (b - a).cross(q - a).dot(n) >= 0 && (c - b).cross(q - b).dot(n) >= 0 && (a - c).cross(q - c).dot(n) >= 0;
    if (inside) return std::abs((p - a).dot(nn));
  }
  return std::min({segment_distance(p, a, b), segment_distance(p, b, c), segment_distance(p, c, a)});
}
double surface_distance(const Geometry& g, const Vector3d& p) {
  double d = std::numeric_limits<double>::infinity();
  for (const auto& v : g.vertices) d = std::min(d, (v - p).norm());
  for (const auto& f : g.faces) {
    const Vector3d &a = g.vertices[f[0]], &b = g.vertices[f[1]], &c = g.vertices[f[2]];
    // Cheap reject: a triangle farther than d from p in every corner's bounding sphere cannot be nearer.
    const double r = std::max({(b - a).norm(), (c - a).norm()});
    if ((a - p).norm() - r > d) continue;
    d = std::min(d, triangle_distance(p, a, b, c));
  }
  return d;
}

// Largest distance from a point of one polyline to the other polyline, both ways (Hausdorff over the vertices).
double polyline_distance(const std::vector<Vector3d>& a, const std::vector<Vector3d>& b) {
  auto one_way = [](const std::vector<Vector3d>& from, const std::vector<Vector3d>& to) {
    double worst = 0;
    for (const auto& p : from) {
      double d = std::numeric_limits<double>::infinity();
      for (std::size_t i = 1; i < to.size(); ++i) d = std::min(d, segment_distance(p, to[i - 1], to[i]));
      worst = std::max(worst, d);
    }
    return worst;
  };
  return std::max(one_way(a, b), one_way(b, a));
}

const nerves::Nerve& nerve(const nerves::Atlas& a, const std::string& name) {
  for (const auto& n : a.nerves)
    if (n.name == name) return n;
  BOOST_FAIL("nerve " << name << " missing from the atlas");
  return a.nerves.front();
}

const char* const kNames[] = {"deep_peroneal", "superficial_peroneal_medial", "superficial_peroneal_intermediate",
                              "sural",         "interdigital_2nd_web",        "interdigital_3rd_web",
                              "joplin"};

struct Placed {
  foot::FootFrame frame;
  measure::Result measured;
  nerves::Atlas atlas;
};

Placed place(const Geometry& g) {
  Placed p;
  p.frame = foot::align_foot(g);
  p.measured = measure::measure_foot(p.frame.aligned);
  p.atlas = nerves::build_atlas(p.frame.aligned, p.measured);
  return p;
}

const synth::FootShape& synthetic_shape() {
  static const synth::FootShape s = [] {
    synth::FootShape f;
    f.rings = 200;
    f.ring_points = 120;
    return f;
  }();
  return s;
}
const Placed& synthetic() {
  static const Placed p = place(synth::make_foot(synthetic_shape()));
  return p;
}

struct FindTemplate {
  measure::ScanResult scan;
  nerves::Atlas atlas;
  std::map<std::string, Vector3d> kp;  // keypoints in the foot frame
  double L = 0;
};
const FindTemplate& find_template() {
  static const FindTemplate f = [] {
    FindTemplate out;
    const Geometry g = load::load_geometry(shared_data("scans/find-template.obj")).geometry;
    out.scan = measure::measure_scan(g);
    out.atlas = nerves::build_atlas(out.scan.frame.aligned, out.scan.result);
    // The keypoints index the file's vertices; measure_scan cleans and cuts, so map the original vertices through
    // the final frame instead of looking them up in the aligned mesh.
    for (const auto& [name, index] : find_template_keypoints("FIND"))
      out.kp[name] =
          (out.scan.frame.to_foot_frame * g.vertices.at(static_cast<std::size_t>(index)).homogeneous()).head<3>();
    out.L = out.scan.result.measurements.foot_length_mm;
    return out;
  }();
  return f;
}

// The metatarsal-head line from the ground truth: the line through the "inner extrema" and "outer extrema" ball
// keypoints, its x at a given y.
double truth_mtp_x(const FindTemplate& f, double y) {
  const Vector3d a = f.kp.at("inner extrema"), b = f.kp.at("outer extrema");
  return a.x() + (y - a.y()) / (b.y() - a.y()) * (b.x() - a.x());
}

bool between(double v, double a, double b, double widen = 0) {
  return v >= std::min(a, b) - widen && v <= std::max(a, b) + widen;
}

// Prints the placement with a failing check so it can be read against the keypoints.
std::string describe(const FindTemplate& f) {
  std::ostringstream s;
  s << "L = " << f.L << "\n";
  for (const auto& [k, v] : f.kp) s << "keypoint " << k << ": " << v.transpose() << "\n";
  for (const auto& l : f.scan.result.landmarks) s << "landmark " << l.name << ": " << l.position_mm.transpose() << "\n";
  for (const auto& w : f.atlas.warnings) s << "warning: " << w << "\n";
  for (const auto& n : f.atlas.nerves) {
    s << n.name << " (confidence " << n.confidence << "):";
    for (const auto& p : n.path_mm) s << " (" << p.transpose() << ")";
    s << "\n";
  }
  return s.str();
}

// Highest point of the cross-section x = const of the mesh: the local height of the foot (or of the leg above it).
double section_top(const Geometry& g, double x) {
  double top = 0;
  for (const auto& p : measure::section(g, Vector3d(x, 0, 0), Vector3d::UnitX(), 1.0)) top = std::max(top, p.z());
  return top;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(find_template_scan)

// literature.md A1 and P1: the dorsal peak pressures (talus, navicular, first ray) lie on the deep peroneal nerve.
// The check uses the ground truth only (keypoints), so a wrong MTP line, a wrong side of the foot or a path on the
// sole fails it.
BOOST_AUTO_TEST_CASE(deep_peroneal_crosses_the_talonavicular_dorsum_to_the_first_web) {
  const auto& f = find_template();
  BOOST_TEST_INFO(describe(f));
  const auto& dp = nerve(f.atlas, "deep_peroneal");
  const double y_big = f.kp.at("big toe").y(), y_2nd = f.kp.at("2nd toe").y();
  BOOST_REQUIRE(y_big > y_2nd);  // right-foot convention: the big toe is medial (+y)
  // Over the talonavicular region (38-48 % L) the path exists, stays on the dorsum (above 60 % of the local section
  // height) and between the 1st and 2nd rays (big-toe and 2nd-toe keypoints' y, widened by 5 mm).
  int over_tn = 0;
  for (const auto& p : dp.path_mm) {
    if (p.x() < 0.38 * f.L || p.x() > 0.48 * f.L) continue;
    const double h = section_top(f.scan.frame.aligned, p.x());
    BOOST_TEST_INFO("point " << p.transpose() << ", section height " << h);
    BOOST_TEST(p.z() > 0.6 * h);
    BOOST_TEST(between(p.y(), y_big, y_2nd, 5.0));
    ++over_tn;
  }
  BOOST_TEST(over_tn >= 2);
  const Vector3d end = dp.path_mm.back();
  BOOST_TEST(between(end.y(), y_big, y_2nd), "end y " << end.y());
  BOOST_TEST(std::abs(end.x() - truth_mtp_x(f, end.y())) <= 10.0,
             "end x " << end.x() << " vs ground-truth MTP line " << truth_mtp_x(f, end.y()));
}

// literature.md A4: Morton's neuroma sits at the 3rd web (else the 2nd) at the metatarsal heads. The web fractions
// were read off this foot's toe tips (see nerves.cpp), so this checks the chain landmarks -> MTP line -> fractions
// -> surface on the foot they came from, and the head line against the ground-truth ball keypoints.
BOOST_AUTO_TEST_CASE(interdigital_paths_lie_between_their_toes_at_the_head_line) {
  const auto& f = find_template();
  BOOST_TEST_INFO(describe(f));
  const std::pair<const char*, std::pair<const char*, const char*>> webs[] = {
      {"interdigital_2nd_web", {"2nd toe", "3rd toe"}}, {"interdigital_3rd_web", {"3rd toe", "4th toe"}}};
  for (const auto& [name, toes] : webs) {
    const double ya = f.kp.at(toes.first).y(), yb = f.kp.at(toes.second).y();
    for (const auto& p : nerve(f.atlas, name).path_mm) {
      BOOST_TEST_INFO(name << " point " << p.transpose() << ", toes at y " << ya << ", " << yb);
      BOOST_TEST(between(p.y(), ya, yb));
      BOOST_TEST(std::abs(p.x() - truth_mtp_x(f, p.y())) <= 12.0);
    }
  }
}

// The atlas is a set of paths ON the skin: a point off the surface would measure pressure nowhere. The distance is
// computed here independently of the library (brute force over all triangles).
BOOST_AUTO_TEST_CASE(every_path_point_is_finite_and_on_the_surface) {
  const auto& f = find_template();
  BOOST_TEST(f.atlas.nerves.size() == 7u);
  for (const auto& n : f.atlas.nerves) {
    BOOST_TEST(n.path_mm.size() >= 2u, n.name);
    for (const auto& p : n.path_mm) {
      BOOST_TEST_INFO(n.name << " point " << p.transpose());
      BOOST_REQUIRE(p.allFinite());
      BOOST_TEST(surface_distance(f.scan.frame.aligned, p) <= 1.0);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(synthetic_foot)

// The consumer (hotspots) looks nerves up by name and cites the literature line: all 7, in the documented order,
// each with a label, >= 2 points on the surface and a confidence in (0, 1]. Plus where each must lie on this
// analytic foot: dorsal nerves (and the interdigitals, drawn on the dorsal skin) on top, the sural on the outer
// side, Joplin inner-low at the 1st MTP joint.
BOOST_AUTO_TEST_CASE(all_seven_nerves_present_and_where_they_belong) {
  const Placed& s = synthetic();
  const Geometry& g = s.frame.aligned;
  const double L = s.measured.measurements.foot_length_mm;
  BOOST_REQUIRE(s.atlas.nerves.size() == 7u);
  const char* const lit[] = {"A1", "A2", "A2", "A3", "A4", "A4", "A5"};
  for (std::size_t i = 0; i < 7; ++i) {
    const auto& n = s.atlas.nerves[i];
    BOOST_TEST(n.name == kNames[i]);
    BOOST_TEST(n.literature == lit[i]);
    BOOST_TEST(!n.label.empty());
    BOOST_TEST(n.path_mm.size() >= 2u);
    BOOST_TEST((n.confidence > 0 && n.confidence <= 1), n.name << " " << n.confidence);
    for (const auto& p : n.path_mm) {
      BOOST_TEST_INFO(n.name << " point " << p.transpose());
      BOOST_TEST(surface_distance(g, p) <= 1.0);
    }
  }
  for (const char* name : {"deep_peroneal", "superficial_peroneal_medial", "superficial_peroneal_intermediate",
                           "interdigital_2nd_web", "interdigital_3rd_web"})
    for (const auto& p : nerve(s.atlas, name).path_mm) {
      BOOST_TEST_INFO(name << " point " << p.transpose());
      BOOST_TEST(p.z() > 0.6 * section_top(g, p.x()));
    }
  for (const auto& p : nerve(s.atlas, "sural").path_mm) {
    // Lateral: below the midline of the section's breadth (y < centre), i.e. on the outer half.
    double lo = 1e9, hi = -1e9;
    for (const auto& q : measure::section(g, Vector3d(p.x(), 0, 0), Vector3d::UnitX(), 1.0))
      lo = std::min(lo, q.y()), hi = std::max(hi, q.y());
    BOOST_TEST_INFO("sural point " << p.transpose() << ", section y " << lo << ".." << hi);
    BOOST_TEST(p.y() < lo + 0.25 * (hi - lo));
  }
  const double y1 = s.measured.find("mth1_medial")->position_mm.y();
  for (const auto& p : nerve(s.atlas, "joplin").path_mm) {
    BOOST_TEST_INFO("joplin point " << p.transpose());
    BOOST_TEST(p.y() > y1 - 15.0);
    BOOST_TEST(p.z() < 0.5 * section_top(g, p.x()));
    BOOST_TEST(std::abs(p.x() - 0.72 * L) <= 0.1 * L);  // at the 1st MTP joint (A6: 70-79 %)
  }
}

// Foot-frame results must not depend on how the scanner held the foot or ordered its vertices (STYLE: invariance).
BOOST_AUTO_TEST_CASE(rigid_motion_and_vertex_order_do_not_move_the_paths) {
  const Placed& ref = synthetic();
  const Geometry g = synth::make_foot(synthetic_shape());
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Placed m = place(shuffled(foot::transformed(g, random_rigid(seed)), seed));
    BOOST_REQUIRE(m.atlas.nerves.size() == ref.atlas.nerves.size());
    for (std::size_t i = 0; i < ref.atlas.nerves.size(); ++i) {
      const double d = polyline_distance(m.atlas.nerves[i].path_mm, ref.atlas.nerves[i].path_mm);
      BOOST_TEST(d < 1.0, "seed " << seed << " " << ref.atlas.nerves[i].name << ": " << d << " mm");
      BOOST_TEST(std::abs(m.atlas.nerves[i].confidence - ref.atlas.nerves[i].confidence) < 1e-9);
    }
  }
}

// A left foot is mirrored to the right convention by the frame; its atlas must be the right foot's (a nerve on the
// wrong side of a left foot would be a silent, dangerous error).
BOOST_AUTO_TEST_CASE(mirror_image_gives_the_same_atlas) {
  const Placed& ref = synthetic();
  const Geometry g = synth::make_foot(synthetic_shape());
  const Geometry lefts[] = {synth::mirror_y(g), foot::transformed(mirrored(g), random_rigid(9))};
  for (const auto& left : lefts) {
    const Placed m = place(left);
    BOOST_TEST(m.frame.side == foot::Side::left);
    BOOST_REQUIRE(m.atlas.nerves.size() == ref.atlas.nerves.size());
    for (std::size_t i = 0; i < ref.atlas.nerves.size(); ++i) {
      const double d = polyline_distance(m.atlas.nerves[i].path_mm, ref.atlas.nerves[i].path_mm);
      BOOST_TEST(d < 1.0, ref.atlas.nerves[i].name << ": " << d << " mm");
    }
  }
}

// The query the hotspot stage asks: a point on a path belongs to that nerve at distance 0; a point far away to
// none (-1, 1e9); near_mm is the threshold.
BOOST_AUTO_TEST_CASE(nearest_nerves_finds_the_path_and_respects_near_mm) {
  const auto& atlas = synthetic().atlas;
  std::vector<Vector3d> pts{Vector3d(0, 0, 1000)};
  for (const auto& n : atlas.nerves) pts.push_back(n.path_mm[n.path_mm.size() / 2]);
  const nerves::Nearest r = nerves::nearest_nerves(atlas, pts);
  BOOST_REQUIRE(r.nerve.size() == pts.size());
  BOOST_REQUIRE(r.distance_mm.size() == pts.size());
  BOOST_TEST(r.nerve[0] == -1);
  BOOST_TEST(r.distance_mm[0] == nerves::kNoNerveDistanceMm);
  for (std::size_t i = 1; i < pts.size(); ++i) {
    BOOST_TEST(r.nerve[i] == static_cast<int>(i - 1), atlas.nerves[i - 1].name);
    BOOST_TEST(r.distance_mm[i] <= 1e-9);
  }
  // Joplin's path is alone on the inner side of the ball: 5 mm medial of it is within 12 mm but not within 3 mm.
  const auto& jp = nerve(atlas, "joplin").path_mm;
  const Vector3d q = jp[jp.size() / 2] + Vector3d(0, 5, 0);
  const auto near = nerves::nearest_nerves(atlas, {q});
  BOOST_TEST(near.nerve[0] == 6);
  BOOST_TEST((near.distance_mm[0] > 0.0 && near.distance_mm[0] <= 5.0 + 1e-9), near.distance_mm[0]);
  nerves::Options tight;
  tight.near_mm = 3.0;
  const auto far = nerves::nearest_nerves(atlas, {q}, tight);
  BOOST_TEST(far.nerve[0] == -1);
  BOOST_TEST(far.distance_mm[0] == nerves::kNoNerveDistanceMm);
  BOOST_TEST(nerves::nearest_nerves(atlas, {}).nerve.empty());
}

// A point cloud (no triangles) gets the same atlas within the noise of its landmarks, and every path point is a
// cloud point ("for point clouds use the nearest point").
BOOST_AUTO_TEST_CASE(point_cloud_gives_the_mesh_atlas) {
  const Placed& ref = synthetic();
  const Geometry cloud = synth::sample_surface(ref.frame.aligned, 60000, 0.0, 7);
  measure::Result m = measure::measure_foot(cloud);
  const nerves::Atlas a = nerves::build_atlas(cloud, m);
  BOOST_REQUIRE(a.nerves.size() == 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    for (const auto& p : a.nerves[i].path_mm) {
      double d = 1e9;
      for (const auto& c : cloud.vertices) d = std::min(d, (c - p).norm());
      BOOST_TEST(d == 0.0, a.nerves[i].name << " " << p.transpose());
    }
    const double d = polyline_distance(a.nerves[i].path_mm, ref.atlas.nerves[i].path_mm);
    BOOST_TEST(d < 3.0, a.nerves[i].name << ": " << d << " mm");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

template <class F>
void expect_code(F&& f, ErrorCode code) {
  try {
    f();
    BOOST_FAIL("no exception, expected " << error_code_name(code));
  } catch (const Error& e) {
    BOOST_TEST(e.code() == code, e.what());
    BOOST_TEST(e.stage() == "nerves");
  }
}

// ErrorCode::usage: an option out of [1, 40] mm or NaN is refused by both entry points, naming the field.
BOOST_AUTO_TEST_CASE(bad_near_mm_is_a_usage_error) {
  const Placed& s = synthetic();
  for (double v : {0.5, 40.5, std::numeric_limits<double>::quiet_NaN()}) {
    nerves::Options o;
    o.near_mm = v;
    expect_code([&] { o.validate(); }, ErrorCode::usage);
    expect_code([&] { nerves::build_atlas(s.frame.aligned, s.measured, o); }, ErrorCode::usage);
    expect_code([&] { nerves::nearest_nerves(s.atlas, {Vector3d::Zero()}, o); }, ErrorCode::usage);
  }
  nerves::Options ok;
  ok.near_mm = 40.0;
  BOOST_CHECK_NO_THROW(ok.validate());
}

// ErrorCode::invalid_input: a missing or non-finite landmark, an empty or non-finite geometry, a non-finite query.
BOOST_AUTO_TEST_CASE(unusable_input_is_invalid_input) {
  const Placed& s = synthetic();
  for (const char* name : {"pternion", "akropodion", "mth1_medial", "mth5_lateral"}) {
    measure::Result r = s.measured;
    std::erase_if(r.landmarks, [&](const measure::Landmark& l) { return l.name == name; });
    expect_code([&] { nerves::build_atlas(s.frame.aligned, r); }, ErrorCode::invalid_input);
    measure::Result nan = s.measured;
    for (auto& l : nan.landmarks)
      if (l.name == name) l.position_mm.x() = std::numeric_limits<double>::quiet_NaN();
    expect_code([&] { nerves::build_atlas(s.frame.aligned, nan); }, ErrorCode::invalid_input);
  }
  expect_code([&] { nerves::build_atlas(Geometry{}, s.measured); }, ErrorCode::invalid_input);
  Geometry bad = s.frame.aligned;
  bad.vertices[3].z() = std::numeric_limits<double>::infinity();
  expect_code([&] { nerves::build_atlas(bad, s.measured); }, ErrorCode::invalid_input);
  expect_code([&] { nerves::nearest_nerves(s.atlas, {Vector3d(0, std::nan(""), 0)}); }, ErrorCode::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
