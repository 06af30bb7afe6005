#include "last/last.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/format.hpp"
#include "measure/measure.hpp"

namespace fitcheck::last {

namespace {

[[noreturn]] void missing(const std::string& what) {
  throw Error(ErrorCode::invalid_input, "last", "the last does not cover " + what);
}

/// Height of the lower convex hull of 2D points (y, z) at y = at; nullopt when `at` is outside their y range.
/// Height of the lower convex hull of 2D points (y, z) at y = at; nullopt when `at` is outside their y range.
std::optional<double> lower_hull_at(std::vector<Eigen::Vector2d> pts, double at) {
  if (pts.size() < 2) return std::nullopt;
  const std::vector<Eigen::Vector2d> h = lower_hull(std::move(pts));
  for (std::size_t i = 0; i + 1 < h.size(); ++i)
    if (at >= h[i].x() && at <= h[i + 1].x())
      return h[i].y() + (at - h[i].x()) / (h[i + 1].x() - h[i].x()) * (h[i + 1].y() - h[i].y());
  if (h.size() == 1 && at == h[0].x()) return h[0].y();
  return std::nullopt;
}

struct Joints {
  Eigen::Vector3d medial, lateral;
};

/// Joint points by the foot's definition (measure.hpp: mth1_medial, mth5_lateral), x measured from x_min. A last's
/// side is smooth and often flat along the joints: the point is the centre of the vertices within 0.3 mm of the
/// extreme breadth, so it does not jump between neighbouring rings of a flat plateau.
Joints find_joints(const Geometry& g) {
  const BoundingBox box = bounding_box(g.vertices);
  const double x0 = box.min.x(), L = box.extent().x();
  auto extreme = [&](double lo, double hi, double sign) -> Eigen::Vector3d {
    double best = -1e300;
    for (const auto& p : g.vertices) {
      const double pct = (p.x() - x0) / L * 100;
      if (pct >= lo && pct <= hi) best = std::max(best, sign * p.y());
    }
    if (best == -1e300) missing("the ball (joint points)");
    Eigen::Vector3d sum = Eigen::Vector3d::Zero();
    int n = 0;
    for (const auto& p : g.vertices) {
      const double pct = (p.x() - x0) / L * 100;
      if (pct >= lo && pct <= hi && sign * p.y() >= best - 0.3) sum += p, ++n;
    }
    Eigen::Vector3d c = sum / n;
    c.y() = sign * best;
    return c;
  };
  return {extreme(62, 80, 1.0), extreme(55, 75, -1.0)};
}

Eigen::Matrix4d rigid(const Eigen::Matrix3d& r, const Eigen::Vector3d& t) {
  Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
  m.topLeftCorner<3, 3>() = r;
  m.topRightCorner<3, 1>() = t;
  return m;
}

/// Transform that pitches the last about y so the bottom around the tread is level, tread at z = 0, heel back
/// point at x = 0 (header, steps 2-4).
Eigen::Matrix4d design_pose(const Geometry& g0, const Options& opt) {
  const Eigen::Matrix4d yaw = centre_line_turn(g0);
  const Geometry g = foot::transformed(g0, yaw);
  const BoundingBox box = bounding_box(g.vertices);
  const double L = box.extent().x();
  const Joints j = find_joints(g);
  const double xt = 0.5 * (j.medial.x() + j.lateral.x());
  const BottomProfile b = bottom_profile(g);
  const double half = 0.5 * opt.tread_window_pct / 100 * L;
  // Least-squares line z = a + s x through the profile samples in the window.
  double n = 0, sx = 0, sz = 0, sxx = 0, sxz = 0;
  for (std::size_t i = 0; i < b.x_mm.size(); ++i)
    if (std::abs(b.x_mm[i] - xt) <= half) {
      const double x = b.x_mm[i] - xt, z = b.z_mm[i];
      n += 1, sx += x, sz += z, sxx += x * x, sxz += x * z;
    }
  if (n < 3) missing("the bottom under the ball");
  const double slope = (n * sxz - sx * sz) / (n * sxx - sx * sx);
  const double z_at = (sz - slope * sx) / n;
  const double th = std::atan(slope);
  const Eigen::Matrix3d r = Eigen::AngleAxisd(th, Eigen::Vector3d::UnitY()).toRotationMatrix();
  const Eigen::Vector3d tread(xt, 0, z_at);
  Eigen::Matrix4d m = rigid(r, -r * tread);
  // Heel back point: rear-most point within 50 mm above the lowest heel point (a raised heel moves the top of the
  // heel curve backwards; only the heel seat region counts, as for the pternion).
  double xmin = 1e300;
  for (const auto& p : g.vertices) xmin = std::min(xmin, (m * p.homogeneous()).x());
  double zlow = 1e300;
  for (const auto& p : g.vertices) {
    const Eigen::Vector3d q = (m * p.homogeneous()).head<3>();
    if (q.x() < xmin + 0.2 * L) zlow = std::min(zlow, q.z());
  }
  double back = 1e300;
  for (const auto& p : g.vertices) {
    const Eigen::Vector3d q = (m * p.homogeneous()).head<3>();
    if (q.z() <= zlow + foot::kPternionMaxHeightMm) back = std::min(back, q.x());
  }
  Eigen::Matrix4d shift = Eigen::Matrix4d::Identity();
  shift(0, 3) = -back;
  return shift * m * yaw;
}

double section_top(const std::vector<Eigen::Vector3d>& sec) {
  double top = -1e300;
  for (const auto& p : sec) top = std::max(top, p.z());
  return top;
}

}  // namespace

Eigen::Matrix4d centre_line_turn(const Geometry& g0) {
  // The centre line runs through the centroids of the vertices in the rear and front 3 % of the length. (The foot
  // frame's heel -> 2nd-toe axis relies on extreme points, which jump on a smooth symmetric toe; centroids of fixed
  // fractions of the length follow a graded last exactly, so a graded last gets the same frame.)
  const BoundingBox b0 = bounding_box(g0.vertices);
  const double l0 = b0.extent().x();
  Eigen::Vector3d rear = Eigen::Vector3d::Zero(), front = Eigen::Vector3d::Zero();
  int nr = 0, nf = 0;
  for (const auto& p : g0.vertices) {
    if (p.x() <= b0.min.x() + 0.03 * l0) rear += p, ++nr;
    if (p.x() >= b0.max.x() - 0.03 * l0) front += p, ++nf;
  }
  rear /= nr, front /= nf;
  const double a = std::atan2(front.y() - rear.y(), front.x() - rear.x());
  const Eigen::Matrix3d r = Eigen::AngleAxisd(-a, Eigen::Vector3d::UnitZ()).toRotationMatrix();
  return rigid(r, Eigen::Vector3d(0, -(r * rear).y(), 0));
}

void Options::validate() const {
  clean.validate();
  frame.validate();
  auto in = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  if (!in(tread_window_pct, 4, 30)) throw Error(ErrorCode::usage, "last", "tread_window_pct must be in [4, 30] %");
  if (!in(heel_seat_pct, 3, 20)) throw Error(ErrorCode::usage, "last", "heel_seat_pct must be in [3, 20] %");
  if (!in(toe_spring_pct, 85, 99.5)) throw Error(ErrorCode::usage, "last", "toe_spring_pct must be in [85, 99.5] %");
  if (!in(instep_pct, 35, 60)) throw Error(ErrorCode::usage, "last", "instep_pct must be in [35, 60] %");
}

double BottomProfile::at(double x) const {
  FITCHECK_ASSERT(!x_mm.empty());
  if (x <= x_mm.front()) return z_mm.front();
  if (x >= x_mm.back()) return z_mm.back();
  const auto it = std::upper_bound(x_mm.begin(), x_mm.end(), x);
  const std::size_t i = static_cast<std::size_t>(it - x_mm.begin());
  const double t = (x - x_mm[i - 1]) / (x_mm[i] - x_mm[i - 1]);
  return z_mm[i - 1] + t * (z_mm[i] - z_mm[i - 1]);
}

const Landmark* Last::find(const std::string& name) const {
  for (const auto& l : landmarks)
    if (l.name == name) return &l;
  return nullptr;
}

BottomProfile bottom_profile(const Geometry& g) {
  const BoundingBox box = bounding_box(g.vertices);
  const double x0 = box.min.x(), L = box.extent().x();
  BottomProfile b;
  std::vector<double> xs;
  for (int pct = 1; pct <= 99; ++pct) xs.push_back(x0 + pct / 100.0 * L);
  // One pass over the faces for all 99 stations (the same sections as 99 calls of measure::section).
  const auto secs = measure::sections_along_x(g, xs, g.is_mesh() ? 0.5 : 1.5);
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const double x = xs[k];
    const auto& sec = secs[k];
    if (sec.size() < 3) continue;
    double lo = 1e300, hi = -1e300;
    std::vector<Eigen::Vector2d> yz;
    yz.reserve(sec.size());
    for (const auto& p : sec) lo = std::min(lo, p.y()), hi = std::max(hi, p.y()), yz.emplace_back(p.y(), p.z());
    if (const auto z = lower_hull_at(std::move(yz), 0.5 * (lo + hi))) {
      b.x_mm.push_back(x);
      b.z_mm.push_back(*z);
    }
  }
  if (b.x_mm.size() < 20) missing("enough of its bottom (fewer than 20 of 99 cross-sections)");
  return b;
}

Measurements measure_in_frame(const Geometry& g, const BottomProfile& bottom, const Eigen::Vector3d& j1,
                              const Eigen::Vector3d& j5, const Options& opt) {
  Measurements m;
  const BoundingBox box = bounding_box(g.vertices);
  const double L = box.max.x();  // heel back point at x = 0
  if (!(L > 0)) missing("a length in front of the heel back point");
  m.stick_length_mm = L;
  m.heel_height_mm = bottom.at(opt.heel_seat_pct / 100 * L);
  m.toe_spring_mm = bottom.at(opt.toe_spring_pct / 100 * L);
  m.heel_to_ball_mm = j1.x();
  m.ball_width_mm = (j1 - j5).head<2>().norm();
  {
    Eigen::Vector3d d = j1 - j5;
    d.z() = 0;
    const Eigen::Vector3d dir = d.normalized();
    const Eigen::Vector3d n = dir.cross(Eigen::Vector3d::UnitZ()).normalized();
    const auto sec = measure::section(g, j1, n, 0.5);
    if (sec.size() < 3) missing("a section through the ball");
    m.ball_girth_mm = measure::convex_perimeter(sec, n);
    // Bottom width: between the featherline points, where the lower convex hull of the section turns steeper
    // than 45 deg (a tape-like definition; a fixed height above the lowest point moved by 1.5 mm between poses on a
    // rounded, reconstructed bottom edge).
    std::vector<Eigen::Vector2d> wz;
    for (const auto& p : sec) wz.emplace_back(p.dot(dir), p.z());
    const std::vector<Eigen::Vector2d> h = lower_hull(std::move(wz));
    double lo = h.front().x(), hi = h.back().x();
    for (std::size_t i = 0; i + 1 < h.size(); ++i) {
      const Eigen::Vector2d e = h[i + 1] - h[i];
      if (e.x() > 0 && e.y() >= -e.x()) {  // first edge not steeper than 45 deg downwards
        lo = h[i].x();
        break;
      }
    }
    for (std::size_t i = h.size() - 1; i > 0; --i) {
      const Eigen::Vector2d e = h[i] - h[i - 1];
      if (e.x() > 0 && e.y() <= e.x()) {  // last edge not steeper than 45 deg upwards
        hi = h[i].x();
        break;
      }
    }
    if (!(hi > lo)) missing("the bottom of the ball section");
    m.bottom_width_mm = hi - lo;
  }
  const double x_instep = opt.instep_pct / 100 * L;
  {
    const auto sec = measure::section(g, Eigen::Vector3d(x_instep, 0, 0), Eigen::Vector3d::UnitX(), 0.5);
    if (sec.size() < 3) missing("the instep section");
    m.instep_girth_mm = measure::convex_perimeter(sec, Eigen::Vector3d::UnitX());
  }
  {
    const double xt = 0.5 * (j1.x() + j5.x());
    const auto sec = measure::section(g, Eigen::Vector3d(0.5 * (xt + x_instep), 0, 0), Eigen::Vector3d::UnitX(), 0.5);
    if (sec.size() < 3) missing("the waist section");
    m.waist_girth_mm = measure::convex_perimeter(sec, Eigen::Vector3d::UnitX());
  }
  std::vector<double> heel_xs;
  for (double pct = 5; pct <= 22; pct += 1) heel_xs.push_back(pct / 100 * L);
  const auto heel_secs = measure::sections_along_x(g, heel_xs, 0.5);
  for (std::size_t k = 0; k < heel_xs.size(); ++k) {
    const double x = heel_xs[k];
    const double zmax = bottom.at(x) + 40.0;
    double lo = 1e300, hi = -1e300;
    for (const auto& p : heel_secs[k])
      if (p.z() <= zmax) lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
    if (hi > lo) m.heel_width_mm = std::max(m.heel_width_mm, hi - lo);
  }
  if (!(m.heel_width_mm > 0)) missing("the heel");
  for (const auto& p : g.vertices)
    if (p.x() >= 0.85 * L && p.x() <= 0.95 * L) m.toe_box_height_mm = std::max(m.toe_box_height_mm, p.z() - bottom.at(p.x()));
  if (!(m.toe_box_height_mm > 0)) missing("the toe box (85-95 % of length)");
  m.volume_cm3 = std::abs(signed_volume(g)) / 1000.0;
  return m;
}

size::Size infer_size(double stick_length_mm, size::System system) {
  return size::size_for_last_length(stick_length_mm, system);
}

Last prepare_last(const Geometry& input, const Options& opt) {
  opt.validate();
  Last out;
  Geometry mesh;
  if (!input.is_mesh()) {
    const clean::Result cleaned = clean::clean_scan(input, opt.clean);
    out.steps = cleaned.steps;
    // Reconstruct in the cloud's own resting frame: the voxel grid and Poisson octree then sit the same way on the
    // last whatever the input pose (measured: up to 1.9 mm of heel height between poses without this).
    const foot::FootFrame cloud_frame = foot::align_foot(cleaned.geometry, opt.frame);
    mesh = foot::transformed(clean::reconstruct_surface(cloud_frame.aligned, opt.reconstruct),
                             cloud_frame.to_foot_frame.inverse());
    out.steps.push_back("point cloud closed by a Poisson surface (Open3D): " + std::to_string(mesh.faces.size()) +
                        " faces");
    out.warnings.push_back("point-cloud last: the surface is a Poisson reconstruction (about " +
                           fmt_fixed(opt.reconstruct.voxel_mm, 1) + " mm detail; gaps in the scan are bridged)");
  } else {
    mesh = input;
    if (const std::string wound = clean::orient_outward(mesh); !wound.empty()) {
      out.steps.push_back(wound);
      out.warnings.push_back("the last's " + wound + " (check the exporter's normals)");
    }
  }
  if (!analyze_topology(mesh).closed) {
    const clean::RepairResult rep = clean::fill_holes(mesh);
    out.steps.push_back("holes filled (CGAL): " + std::to_string(rep.holes_filled) + ", " +
                        std::to_string(rep.faces_added) + " faces added");
    out.steps.insert(out.steps.end(), rep.notes.begin(), rep.notes.end());
    if (analyze_topology(mesh).boundary_edges > 0)
      out.warnings.push_back("the last mesh still has open borders after hole filling: volume and inside/outside "
                             "tests are approximate");
  }
  foot::FootFrame rest;
  try {
    rest = foot::align_foot(mesh, opt.frame);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid_input) throw;
    std::string msg = e.what();
    const std::string foot_word = "does not look like a foot";
    if (const auto pos = msg.find(foot_word); pos != std::string::npos) msg.replace(pos, foot_word.size(), "does not look like a last");
    throw Error(ErrorCode::invalid_input, "last", msg);
  }
  out.side = rest.side;
  out.side_reason = rest.side_reason;
  // Design pose, three passes: each corrects the small shift of the caps and of the tread window after the
  // previous rotation.
  Eigen::Matrix4d to_frame = rest.to_foot_frame;
  Geometry g = rest.aligned;
  for (int pass = 0; pass < 3; ++pass) {
    const Eigen::Matrix4d d = design_pose(g, opt);
    g = foot::transformed(g, d);
    to_frame = d * to_frame;
  }
  out.to_last_frame = to_frame;
  out.mesh = std::move(g);
  out.bottom = bottom_profile(out.mesh);
  const Joints j = find_joints(out.mesh);
  out.measurements = measure_in_frame(out.mesh, out.bottom, j.medial, j.lateral, opt);
  const auto& m = out.measurements;
  const BoundingBox box = bounding_box(out.mesh.vertices);
  const double L = m.stick_length_mm;
  auto mid_y = [&](double x) {
    double lo = 1e300, hi = -1e300;
    for (const auto& p : measure::section(out.mesh, Eigen::Vector3d(x, 0, 0), Eigen::Vector3d::UnitX(), 0.5))
      lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
    return hi > lo ? 0.5 * (lo + hi) : 0.0;
  };
  Eigen::Vector3d back = Eigen::Vector3d::Zero(), tip = Eigen::Vector3d::Zero();
  double back_x = 1e300, tip_x = -1e300;
  for (const auto& p : out.mesh.vertices) {
    if (p.z() <= m.heel_height_mm + foot::kPternionMaxHeightMm && p.x() < back_x) back_x = p.x(), back = p;
    if (p.x() > tip_x) tip_x = p.x(), tip = p;
  }
  const double xt = 0.5 * (j.medial.x() + j.lateral.x());
  const double xh = opt.heel_seat_pct / 100 * L, xi = opt.instep_pct / 100 * L;
  const auto inst = measure::section(out.mesh, Eigen::Vector3d(xi, 0, 0), Eigen::Vector3d::UnitX(), 0.5);
  Eigen::Vector3d instep(xi, 0, section_top(inst));
  for (const auto& p : inst)
    if (p.z() >= instep.z()) instep = p;
  out.landmarks = {{"heel_back", back},
                   {"toe_tip", tip},
                   {"joint_medial", j.medial},
                   {"joint_lateral", j.lateral},
                   {"tread", Eigen::Vector3d(xt, mid_y(xt), out.bottom.at(xt))},
                   {"heel_seat", Eigen::Vector3d(xh, mid_y(xh), out.bottom.at(xh))},
                   {"instep", instep}};
  // Plausibility of a last for an adult or child foot (not errors: odd lasts exist).
  if (L < 150 || L > 360)
    out.warnings.push_back("stick length " + fmt_fixed(L) + " mm is outside 150-360 mm: check the units (--units)");
  if (m.heel_height_mm < -3)
    out.warnings.push_back("the heel seat lies " + fmt_fixed(-m.heel_height_mm) +
                           " mm below the ground through the tread: the bottom is unusually curved");
  if (m.heel_height_mm > 120)
    out.warnings.push_back("heel height " + fmt_fixed(m.heel_height_mm) + " mm is unusually high");
  const double girth_ratio = m.ball_girth_mm / L;
  if (girth_ratio < 0.7 || girth_ratio > 1.15)
    out.warnings.push_back("ball girth / stick length = " + fmt_fixed(girth_ratio, 2) +
                           " is outside 0.70-1.15 (typical lasts 0.85-0.95)");
  (void)box;
  return out;
}

namespace {
/// The grading map (last.hpp): x -> s_L x, y -> s_G y, height above the bottom profile -> s_G times itself.
Eigen::Vector3d graded_point(const BottomProfile& b, const Eigen::Vector3d& p, double sl, double sg) {
  const double base = b.at(p.x());
  return {sl * p.x(), sg * p.y(), base + sg * (p.z() - base)};
}
}  // namespace

GradeScales grade_scales(const Last& last, const size::Size& from, const size::Size& to, const Options& opt) {
  opt.validate();
  GradeScales gr;
  gr.from = from;
  gr.to = to;
  gr.delta = size::grade_delta(from, to);
  const Measurements& m = last.measurements;
  const double L = m.stick_length_mm;
  gr.length_scale = (L + gr.delta.length_mm) / L;
  if (!(gr.length_scale > 0.6 && gr.length_scale < 1.6))
    throw Error(ErrorCode::usage, "last",
                "grading " + size::format_size(from) + " -> " + size::format_size(to) + " changes the length by " +
                    fmt_fixed(gr.delta.length_mm) + " mm on a " + fmt_fixed(L) + " mm last: more than 40 %, refused");
  // Ball section of the original; its image under the grade is the graded last's ball section (the grade maps
  // vertical planes to vertical planes and keeps the extreme joint vertices extreme).
  const Landmark* j1 = last.find("joint_medial");
  const Landmark* j5 = last.find("joint_lateral");
  FITCHECK_ASSERT(j1 && j5);
  Eigen::Vector3d d = j1->position_mm - j5->position_mm;
  d.z() = 0;
  const Eigen::Vector3d n = d.normalized().cross(Eigen::Vector3d::UnitZ()).normalized();
  const auto sec = measure::section(last.mesh, j1->position_mm, n, 0.5);
  const double target = m.ball_girth_mm + gr.delta.ball_girth_mm;
  if (!(target > 0.5 * m.ball_girth_mm))
    throw Error(ErrorCode::usage, "last", "grading would shrink the ball girth by half or more, refused");
  auto girth = [&](double sg) {
    std::vector<Eigen::Vector3d> q;
    q.reserve(sec.size());
    for (const auto& p : sec) q.push_back(graded_point(last.bottom, p, gr.length_scale, sg));
    const Eigen::Vector3d n2 = Eigen::Vector3d(n.x() / gr.length_scale, n.y() / sg, 0).normalized();
    return measure::convex_perimeter(q, n2);
  };
  // Secant iterations on s_G (the perimeter is smooth and nearly linear in s_G).
  double s0 = target / m.ball_girth_mm, s1 = s0 * 1.001;
  double f0 = girth(s0) - target, f1 = girth(s1) - target;
  for (int it = 0; it < 30 && std::abs(f1) > 1e-6; ++it) {
    if (f1 == f0) break;
    const double s2 = s1 - f1 * (s1 - s0) / (f1 - f0);
    s0 = s1, f0 = f1, s1 = s2, f1 = girth(s1) - target;
  }
  if (!(std::abs(f1) < 1e-3) || !(s1 > 0.5 && s1 < 2))
    throw Error(ErrorCode::did_not_converge, "last", "no girth scale reaches a ball girth of " + fmt_fixed(target) + " mm");
  gr.girth_scale = s1;
  return gr;
}

Grade grade_last(const Last& last, const size::Size& from, const size::Size& to, const Options& opt) {
  Grade gr;
  static_cast<GradeScales&>(gr) = grade_scales(last, from, to, opt);
  Geometry graded = last.mesh;
  for (auto& p : graded.vertices) p = graded_point(last.bottom, p, gr.length_scale, gr.girth_scale);
  gr.graded_input_frame = foot::transformed(graded, last.to_last_frame.inverse());
  Options again = opt;
  again.frame.side = last.side;  // a graded last keeps its side
  gr.graded = prepare_last(gr.graded_input_frame, again);
  return gr;
}

Last graded_by_map(const Last& last, const GradeScales& gr) {
  const double sl = gr.length_scale, sg = gr.girth_scale;
  if (!(sl > 0.5 && sl < 2 && sg > 0.5 && sg < 2))
    throw Error(ErrorCode::usage, "last", "grading scales must lie in (0.5, 2)");
  Last out = last;
  for (auto& p : out.mesh.vertices) p = graded_point(last.bottom, p, sl, sg);
  for (auto& x : out.bottom.x_mm) x *= sl;  // the bottom keeps its heights (z = b(x) maps to itself)
  for (auto& lm : out.landmarks) lm.position_mm = graded_point(last.bottom, lm.position_mm, sl, sg);
  Measurements& m = out.measurements;
  m.stick_length_mm *= sl;
  m.heel_to_ball_mm *= sl;
  // The ball section is oblique: s_G was solved (grade_scales) so that its image has the target girth; the ball width
  // is the joints' distance in plan, from the mapped joints.
  m.ball_girth_mm += gr.delta.ball_girth_mm;
  if (const Landmark *j1 = out.find("joint_medial"), *j5 = out.find("joint_lateral"); j1 && j5)
    m.ball_width_mm = (j1->position_mm - j5->position_mm).head<2>().norm();
  // Sections perpendicular to x at stations that scale with s_L: exact under s_G (instep, waist girths; toe box
  // height above the bottom). The widths in a fixed height window (bottom, heel) are approximate.
  for (double* v : {&m.bottom_width_mm, &m.instep_girth_mm, &m.waist_girth_mm, &m.heel_width_mm, &m.toe_box_height_mm})
    *v *= sg;
  m.volume_cm3 *= sl * sg * sg;
  out.steps.push_back("graded " + size::format_size(gr.from) + " -> " + size::format_size(gr.to) +
                      " by the grading map alone (measurements scaled, not measured again)");
  return out;
}

}  // namespace fitcheck::last
