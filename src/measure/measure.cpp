#include "measure/measure.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/error.hpp"
#include "core/format.hpp"
#include "foot/foot.hpp"

namespace fitcheck::measure {

void Options::validate() const {
  if (!(section_slab_mm >= 0.2 && section_slab_mm <= 10))
    throw Error(ErrorCode::usage, "measure", "section_slab_mm must be in [0.2, 10] mm");
  if (!(top_cut_mm >= 0 && top_cut_mm <= 400)) throw Error(ErrorCode::usage, "measure", "top_cut_mm must be in [0, 400] mm");
}

const Landmark* Result::find(const std::string& name) const {
  for (const auto& l : landmarks)
    if (l.name == name) return &l;
  return nullptr;
}

namespace {
/// Where the edges of face f cross the plane, given the vertices' signed distances d to it (appended to out).
void edge_crossings(const Geometry& g, const Eigen::Vector3i& f, const double (&d)[3], std::vector<Eigen::Vector3d>& out) {
  for (int k = 0; k < 3; ++k) {
    const int j = (k + 1) % 3;
    if ((d[k] < 0) != (d[j] < 0)) {
      const double t = d[k] / (d[k] - d[j]);
      out.push_back(g.vertices[f[k]] + t * (g.vertices[f[j]] - g.vertices[f[k]]));
    }
  }
}
}  // namespace

std::vector<Eigen::Vector3d> section(const Geometry& g, const Eigen::Vector3d& origin, const Eigen::Vector3d& normal,
                                     double slab_mm) {
  std::vector<Eigen::Vector3d> out;
  if (!g.is_mesh()) {
    for (const auto& p : g.vertices)
      if (std::abs((p - origin).dot(normal)) <= slab_mm) out.push_back(p - (p - origin).dot(normal) * normal);
    return out;
  }
  for (const auto& f : g.faces) {
    double d[3];
    for (int k = 0; k < 3; ++k) d[k] = (g.vertices[f[k]] - origin).dot(normal);
    edge_crossings(g, f, d, out);
  }
  return out;
}

std::vector<std::vector<Eigen::Vector3d>> sections_along_x(const Geometry& g, const std::vector<double>& xs, double slab_mm) {
  std::vector<std::vector<Eigen::Vector3d>> out(xs.size());
  if (!std::is_sorted(xs.begin(), xs.end())) throw Error(ErrorCode::internal, "measure", "sections_along_x: xs must ascend");
  if (!g.is_mesh()) {
    for (std::size_t k = 0; k < xs.size(); ++k) out[k] = section(g, Eigen::Vector3d(xs[k], 0, 0), Eigen::Vector3d::UnitX(), slab_mm);
    return out;
  }
  for (const auto& f : g.faces) {
    const double x0 = g.vertices[f[0]].x(), x1 = g.vertices[f[1]].x(), x2 = g.vertices[f[2]].x();
    const double lo = std::min({x0, x1, x2}), hi = std::max({x0, x1, x2});
    for (auto it = std::lower_bound(xs.begin(), xs.end(), lo); it != xs.end() && *it <= hi; ++it) {
      const double d[3] = {x0 - *it, x1 - *it, x2 - *it};  // = (v - origin) . (1, 0, 0), as in section()
      edge_crossings(g, f, d, out[static_cast<std::size_t>(it - xs.begin())]);
    }
  }
  return out;
}

double volume_below(const Geometry& m, double cut_z) {
  // Divergence theorem with F = (0, 0, z): V = sum over surface of z_mean * n_z * A, plus the cap at z = cut_z whose
  // n_z * A equals minus the clipped surface's (a closed surface has zero net projected area).
  double v = 0, proj = 0;
  auto add = [&](const Eigen::Vector3d& a, const Eigen::Vector3d& b, const Eigen::Vector3d& c) {
    const double nz_area = 0.5 * ((b - a).cross(c - a)).z();
    v += (a.z() + b.z() + c.z()) / 3.0 * nz_area;
    proj += nz_area;
  };
  for (const auto& f : m.faces) {
    const Eigen::Vector3d p[3] = {m.vertices[f[0]], m.vertices[f[1]], m.vertices[f[2]]};
    int below = 0;
    for (const auto& q : p) below += q.z() <= cut_z;
    if (below == 3) {
      add(p[0], p[1], p[2]);
    } else if (below > 0) {
      // Clip the triangle to z <= cut_z (Sutherland-Hodgman on one plane) and fan-triangulate, keeping winding.
      std::vector<Eigen::Vector3d> poly;
      for (int k = 0; k < 3; ++k) {
        const auto& a = p[k];
        const auto& b = p[(k + 1) % 3];
        const bool ia = a.z() <= cut_z, ib = b.z() <= cut_z;
        if (ia) poly.push_back(a);
        if (ia != ib) poly.push_back(a + (cut_z - a.z()) / (b.z() - a.z()) * (b - a));
      }
      for (std::size_t k = 1; k + 1 < poly.size(); ++k) add(poly[0], poly[k], poly[k + 1]);
    }
  }
  return v - cut_z * proj;
}

namespace {

[[noreturn]] void missing(const std::string& what) {
  throw Error(ErrorCode::invalid_input, "measure", "the scan does not cover " + what);
}

/// A foot standing on the floor it was scanned on has its heel and ball on it: their lowest points (2 % quantile)
/// lie within this of the removed floor, mm. A phone does not see the sole, so what it sees lowest is the sides' lower
/// rims, a few mm up (plus its noise). An estimate.
constexpr double kStandGapMm = 10.0;

/// The 2 % quantile of `height` over the foot-frame points `q` whose x lies in [x0, x1]; nullopt with fewer than 20.
std::optional<double> low_height(const std::vector<Eigen::Vector3d>& q, const std::vector<double>& height, double x0,
                                 double x1) {
  std::vector<double> h;
  for (std::size_t i = 0; i < q.size(); ++i)
    if (q[i].x() >= x0 && q[i].x() <= x1) h.push_back(height[i]);
  if (h.size() < 20) return std::nullopt;
  return quantile(std::move(h), 0.02);
}

}  // namespace

Result measure_foot(const Geometry& g, const Options& opt) {
  opt.validate();
  Result r;
  const auto& P = g.vertices;
  const BoundingBox box = bounding_box(P);
  const double L = box.max.x();  // pternion at x = 0
  auto& m = r.measurements;
  const double slab = opt.section_slab_mm;

  auto extreme = [&](auto in_region, auto better) -> std::optional<Eigen::Vector3d> {
    std::optional<Eigen::Vector3d> best;
    for (const auto& p : P)
      if (in_region(p) && (!best || better(p, *best))) best = p;
    return best;
  };
  auto xs = [&](double lo_pct, double hi_pct) {
    return [=](const Eigen::Vector3d& p) { return p.x() >= lo_pct / 100 * L && p.x() <= hi_pct / 100 * L; };
  };
  auto add = [&](const std::string& name, const Eigen::Vector3d& p, double conf) { r.landmarks.push_back({name, p, conf}); };

  const auto pternion = extreme([](const Eigen::Vector3d& p) { return p.z() <= foot::kPternionMaxHeightMm; },
                                [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.x() < b.x(); });
  const auto akro = extreme([](const Eigen::Vector3d&) { return true; },
                            [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.x() > b.x(); });
  // The heel back is nearly vertical: take the centre of the rear-most millimetre rather than one extreme vertex.
  Eigen::Vector3d pt = Eigen::Vector3d::Zero();
  int npt = 0;
  for (const auto& p : P)
    if (p.z() <= foot::kPternionMaxHeightMm && p.x() <= pternion->x() + 1.0) pt += p, ++npt;
  add("pternion", pt / npt, 0.8);
  add("akropodion", *akro, 0.9);
  m.foot_length_mm = akro->x() - pternion->x();

  const auto mth1 = extreme(xs(62, 80), [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.y() > b.y(); });
  const auto mth5 = extreme(xs(55, 75), [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.y() < b.y(); });
  if (!mth1 || !mth5) missing("the ball of the foot");
  add("mth1_medial", *mth1, 0.7);
  add("mth5_lateral", *mth5, 0.7);
  m.ball_width_mm = (*mth1 - *mth5).head<2>().norm();

  // Ball girth: the vertical plane through both ball points.
  {
    Eigen::Vector3d d = *mth1 - *mth5;
    d.z() = 0;
    const Eigen::Vector3d n = d.cross(Eigen::Vector3d::UnitZ()).normalized();
    const auto sec = section(g, *mth1, n, slab);
    if (sec.size() < 3) missing("a section through the ball");
    m.ball_girth_mm = convex_perimeter(sec, n);
  }
  // Instep: section perpendicular to the axis at 55 % L.
  {
    const Eigen::Vector3d o(0.55 * L, 0, 0);
    const auto sec = section(g, o, Eigen::Vector3d::UnitX(), slab);
    if (sec.size() < 3) missing("the instep (55 % of length)");
    m.instep_girth_mm = convex_perimeter(sec, Eigen::Vector3d::UnitX());
    const auto top = *std::max_element(sec.begin(), sec.end(), [](auto& a, auto& b) { return a.z() < b.z(); });
    add("instep", top, 0.6);
  }
  {
    const auto sec = section(g, Eigen::Vector3d(0.5 * L, 0, 0), Eigen::Vector3d::UnitX(), slab);
    if (sec.empty()) missing("the mid-foot (50 % of length)");
    m.dorsal_height_50_mm =
        std::max_element(sec.begin(), sec.end(), [](auto& a, auto& b) { return a.z() < b.z(); })->z();
  }
  {
    const auto sec = section(g, Eigen::Vector3d(0.43 * L, 0, 0), Eigen::Vector3d::UnitX(), slab);
    std::optional<Eigen::Vector3d> nav;
    for (const auto& p : sec)
      if (p.z() >= 10 && p.z() <= 70 && (!nav || p.y() > nav->y())) nav = p;
    if (!nav) missing("the medial arch (43 % of length, 10-70 mm high)");
    add("navicular", *nav, 0.4);
    m.arch_height_mm = nav->z();
  }
  {
    double best = 0;
    std::vector<double> heel_xs;
    for (double pct = 5; pct <= 22; pct += 1) heel_xs.push_back(pct / 100 * L);
    for (const auto& sec : sections_along_x(g, heel_xs, slab)) {  // one pass over the faces for all stations
      double lo = 1e300, hi = -1e300;
      for (const auto& p : sec)
        if (p.z() <= 40) lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
      if (hi > lo) best = std::max(best, hi - lo);
    }
    if (best <= 0) missing("the heel");
    m.heel_width_mm = best;
  }
  {
    const auto toe = extreme(xs(85, 95), [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.z() > b.z(); });
    if (!toe) missing("the toes (85-95 % of length)");
    m.toe_box_height_mm = toe->z();
  }
  // Malleoli: only when the scan reaches clearly above them.
  {
    auto region = [&](const Eigen::Vector3d& p) { return xs(5, 35)(p) && p.z() >= 40 && p.z() <= 120; };
    const auto med = extreme(region, [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.y() > b.y(); });
    const auto lat = extreme(region, [](const Eigen::Vector3d& a, const Eigen::Vector3d& b) { return a.y() < b.y(); });
    double top = -1e300;
    for (const auto& p : P)
      if (xs(5, 35)(p)) top = std::max(top, p.z());
    if (med && top > med->z() + 15) add("malleolus_medial", *med, 0.5);
    if (lat && top > lat->z() + 15) add("malleolus_lateral", *lat, 0.5);
    if (!med || !lat || top <= std::min(med->z(), lat->z()) + 15)
      r.warnings.push_back("the scan is cut too low to locate both malleoli");
  }
  if (g.is_mesh()) {
    const Topology t = analyze_topology(g);
    const double cut = opt.top_cut_mm > 0 ? std::min(opt.top_cut_mm, box.max.z()) : box.max.z() + 1.0;
    if (t.boundary_edges == 0 && t.edge_manifold) {
      m.volume_cm3 = volume_below(g, cut) / 1000.0;
    } else {
      // An opening only at the top (a scan cut at the ankle) is capped exactly by cutting just below it; a hole
      // lower down would leak, so no volume then.
      double low = 1e300;
      for (int v : boundary_vertices(g)) low = std::min(low, g.vertices[v].z());
      if (t.edge_manifold && low > 0.6 * box.max.z()) {
        m.volume_cm3 = volume_below(g, std::min(cut, low)) / 1000.0;
        r.warnings.push_back("open top capped at z = " + std::to_string(static_cast<int>(low)) + " mm for the volume");
      } else if (!t.edge_manifold) {
        r.warnings.push_back("the mesh has " + std::to_string(t.non_manifold_edges) +
                             " edge(s) shared by three or more faces; volume not computed (inside and outside are "
                             "not defined there)");
      } else {
        r.warnings.push_back("the mesh has " + std::to_string(t.holes) +
                             " hole(s) below its top; volume not computed until it is repaired");
      }
    }
  } else {
    r.warnings.push_back("point cloud: volume needs a reconstructed surface and is not computed");
  }
  return r;
}

Geometry cloud_surface(const Geometry& aligned_cloud) {
  Geometry s = clean::reconstruct_surface(aligned_cloud);
  const double top = bounding_box(aligned_cloud.vertices).max.z();
  for (auto& p : s.vertices) p.z() = std::clamp(p.z(), 0.0, top);
  return s;
}

ScanResult measure_scan(const Geometry& scan, const ScanOptions& o) {
  if (!(o.leg_cut_pct >= 25 && o.leg_cut_pct <= 100))
    throw Error(ErrorCode::usage, "measure", "leg_cut_pct must be in [25, 100] %");
  ScanResult out;
  clean::Result cleaned = clean::clean_scan(scan, o.clean);
  out.steps = cleaned.steps;
  if (cleaned.floor && !cleaned.geometry.is_mesh()) {
    // A phone scan with its floor and leg: the frame search would take a long leg for part of the foot (its length
    // axis tilts up the leg). The floor gives up already, so what lies well above the final leg cut goes first: the
    // footprint (points within 30 mm of the floor) gives the length, and the cut is 10 % above leg_cut_pct of it (the
    // cut in the foot frame below decides).
    const clean::Floor& f = *cleaned.floor;
    std::vector<Eigen::Vector3d> low;
    for (const auto& p : cleaned.geometry.vertices)
      if (f.height(p) < 30.0) low.push_back(p - f.height(p) * f.up);
    if (low.size() >= 100) {
      const PrincipalAxes pa = principal_axes(low);
      double lo = 1e300, hi = -1e300;
      for (const auto& p : low) {
        const double t = (p - pa.mean).dot(pa.axes.col(2));
        lo = std::min(lo, t), hi = std::max(hi, t);
      }
      const double cut_h = 1.1 * o.leg_cut_pct / 100.0 * (hi - lo);
      std::vector<Eigen::Vector3d> kept;
      for (const auto& p : cleaned.geometry.vertices)
        if (f.height(p) <= cut_h) kept.push_back(p);
      if (kept.size() >= 100 && kept.size() < cleaned.geometry.vertices.size()) {
        out.steps.push_back("leg cut at " + std::to_string(static_cast<int>(cut_h)) + " mm above the removed floor: " +
                            std::to_string(cleaned.geometry.vertices.size() - kept.size()) + " points removed");
        cleaned.geometry.vertices = std::move(kept);
      }
    }
  }
  // A removed floor gives the scan's up (the sole is searched near it: foot::FrameOptions::up_hint).
  foot::FrameOptions frame_options = o.frame;
  if (cleaned.floor && !cleaned.geometry.is_mesh() && !frame_options.up_hint) frame_options.up_hint = cleaned.floor->up.normalized();
  const foot::FootFrame first = foot::align_foot(cleaned.geometry, frame_options);
  Geometry cut = first.aligned;
  const double cut_z = o.leg_cut_pct / 100.0 * first.length_mm;
  const std::size_t removed = clean::cut_above(cut, cut_z);
  if (removed > 0)
    out.steps.push_back("leg cut at " + std::to_string(static_cast<int>(cut_z)) + " mm above the sole: " +
                        std::to_string(removed) + " vertices removed");
  bool repaired = false;
  if (cut.is_mesh() && !analyze_topology(cut).closed) {
    const clean::RepairResult rep = clean::fill_holes(cut);
    out.steps.push_back("holes filled (CGAL): " + std::to_string(rep.holes_filled) + ", " +
                        std::to_string(rep.faces_added) + " faces added");
    out.steps.insert(out.steps.end(), rep.notes.begin(), rep.notes.end());
    repaired = rep.holes_filled > 0;
  }
  if (removed == 0 && !repaired) {
    out.frame = first;
  } else {
    foot::FrameOptions again = frame_options;
    again.side = foot::Side::right;  // already mirrored to the right-foot convention
    if (again.up_hint) again.up_hint = (first.to_foot_frame.topLeftCorner<3, 3>() * *again.up_hint).normalized();
    foot::FootFrame second = foot::align_foot(cut, again);
    out.frame = second;
    out.frame.side = first.side;
    out.frame.side_reason = first.side_reason;
    out.frame.side_confidence = first.side_confidence;
    out.frame.side_cues = first.side_cues;
    out.frame.to_foot_frame = second.to_foot_frame * first.to_foot_frame;
    out.frame.warnings.insert(out.frame.warnings.begin(), first.warnings.begin(), first.warnings.end());
  }
  out.result = measure_foot(out.frame.aligned, o.measure);
  out.result.warnings.insert(out.result.warnings.begin(), cleaned.warnings.begin(), cleaned.warnings.end());
  if (cleaned.floor && !out.frame.aligned.is_mesh()) {
    // Measured in the floor's frame (up_hint), a foot that was not standing on it -- held up, unloaded, on a block
    // -- reads as if it were, with no word of it. Its heel or ball then lies well above the floor.
    const double L = out.frame.length_mm;
    const auto& q = out.frame.aligned.vertices;
    const Eigen::Matrix4d back = out.frame.to_foot_frame.inverse();  // foot frame -> the input's, where the floor is
    std::vector<double> height(q.size());
    for (std::size_t i = 0; i < q.size(); ++i) height[i] = cleaned.floor->height((back * q[i].homogeneous()).head<3>());
    const auto heel = low_height(q, height, 0.0, 0.25 * L);
    const auto ball = low_height(q, height, 0.62 * L, 0.80 * L);
    auto mm = [](const std::optional<double>& h) { return h ? fmt_fixed(*h, 0) : std::string("?"); };
    if ((heel && *heel > kStandGapMm) || (ball && *ball > kStandGapMm))
      out.result.warnings.push_back(
          "the foot does not seem to stand on the floor it was scanned on: the lowest points of its heel lie " +
          mm(heel) + " mm and of its ball " + mm(ball) +
          " mm above the floor (standing: within " + fmt_fixed(kStandGapMm, 0) +
          " mm); the measurements assume a standing, loaded foot (an unloaded one reads shorter and narrower): scan "
          "it standing, with weight on it");
  }
  if (!out.frame.aligned.is_mesh()) {
    // Volume of a cloud: a Poisson surface, clipped 1 mm below the cloud's top so its bulge over the open cut
    // does not count.
    const Geometry surface = cloud_surface(out.frame.aligned);
    const double top = bounding_box(out.frame.aligned.vertices).max.z() - 1.0;
    out.result.measurements.volume_cm3 = volume_below(surface, top) / 1000.0;
    auto& w = out.result.warnings;
    w.erase(std::remove_if(w.begin(), w.end(), [](const std::string& x) { return x.rfind("point cloud:", 0) == 0; }), w.end());
    w.push_back("point cloud: volume from a Poisson reconstruction (an estimate; missing parts are bridged)");
    out.steps.push_back("Poisson surface for the volume: " + std::to_string(surface.faces.size()) + " faces");
  }
  return out;
}

}  // namespace fitcheck::measure
