#include "foot/foot.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "core/error.hpp"
#include "foot/detail/hull_planes.hpp"

namespace fitcheck::foot {

const char* side_name(Side s) noexcept { return s == Side::right ? "right" : "left"; }

void FrameOptions::validate() const {
  if (!(sole_band_mm >= 0.5 && sole_band_mm <= 20))
    throw Error(ErrorCode::usage, "foot", "sole_band_mm must be in [0.5, 20] mm");
  if (up_hint && !(up_hint->allFinite() && std::abs(up_hint->norm() - 1.0) < 1e-6))
    throw Error(ErrorCode::usage, "foot", "up_hint must be a finite unit vector");
}

std::vector<double> vertex_weights(const Geometry& g) {
  if (!g.is_mesh()) return std::vector<double>(g.vertices.size(), 1.0);
  std::vector<double> w(g.vertices.size(), 0.0);
  for (const auto& f : g.faces) {
    const double a = 0.5 * (g.vertices[f[1]] - g.vertices[f[0]]).cross(g.vertices[f[2]] - g.vertices[f[0]]).norm();
    for (int k = 0; k < 3; ++k) w[f[k]] += a / 3.0;
  }
  return w;
}

Geometry transformed(const Geometry& g, const Eigen::Matrix4d& t) {
  Geometry out = g;
  const Eigen::Matrix3d r = t.topLeftCorner<3, 3>();
  const Eigen::Vector3d d = t.topRightCorner<3, 1>();
  for (auto& v : out.vertices) v = r * v + d;
  if (r.determinant() < 0)
    for (auto& f : out.faces) std::swap(f[1], f[2]);
  return out;
}

namespace {

/// Side cue (c): the medial arch's border lies this much higher than the lateral border at the midfoot (35-55 % of
/// the length) for the cue to count fully, mm. An estimate: a standing foot's arch (navicular 35-45 mm up) leaves its
/// medial plantar border 10-20 mm off the floor; a flat foot gives a weak cue.
constexpr double kArchCueMm = 10.0;
/// ... between the midfoot's borders found this high up, mm (a foot is widest 15-30 mm up). An estimate.
constexpr double kArchBordersMm = 40.0;

[[noreturn]] void not_a_foot(const std::string& why) {
  throw Error(ErrorCode::invalid_input, "foot", "this does not look like a foot: " + why);
}

struct Weighted {
  const std::vector<Eigen::Vector3d>& p;
  const std::vector<double>& w;
};

// Plane through the lowest band along `up`: returns the refined up vector (least-squares normal of the band).
Eigen::Vector3d refine_sole(const Weighted& s, Eigen::Vector3d up, double band_mm) {
  for (int it = 0; it < 6; ++it) {
    double hmin = 1e300;
    for (const auto& q : s.p) hmin = std::min(hmin, q.dot(up));
    std::vector<Eigen::Vector3d> band;
    std::vector<double> band_w;
    for (std::size_t i = 0; i < s.p.size(); ++i)
      if (s.p[i].dot(up) < hmin + band_mm) {
        band.push_back(s.p[i]);
        band_w.push_back(s.w[i]);
      }
    double sw = 0;
    for (double x : band_w) sw += x;
    if (band.size() < 3 || sw <= 0) break;
    const PrincipalAxes eig = principal_axes(band, band_w);
    // A band that is nearly a line (one contact strip) does not define a plane: keep the current direction.
    if (eig.eigenvalues(1) < 1e-6 * eig.eigenvalues(2) + 1e-12) break;
    Eigen::Vector3d n = eig.axes.col(0);
    if (n.dot(up) < 0) n = -n;
    if (n.dot(up) < std::cos(20.0 * std::numbers::pi / 180.0)) break;  // refuse a jump: keep the searched one
    if ((n - up).norm() < 1e-9) break;
    up = n;
  }
  return up;
}

}  // namespace

FootFrame align_foot(const Geometry& g, const FrameOptions& opt) {
  opt.validate();
  if (g.vertices.size() < 100) not_a_foot("fewer than 100 points");
  const std::vector<double> w = vertex_weights(g);
  const Weighted s{g.vertices, w};
  const PrincipalAxes pa = principal_axes(g.vertices, w);
  const Eigen::Vector3d c = pa.mean;
  const Eigen::Vector3d e1 = pa.axes.col(2), e3 = pa.axes.col(0);

  double s_lo = 1e300, s_hi = -1e300;
  for (const auto& p : g.vertices) {
    s_lo = std::min(s_lo, (p - c).dot(e1));
    s_hi = std::max(s_hi, (p - c).dot(e1));
  }
  const double L1 = s_hi - s_lo;
  // 1. Sole plane: a foot standing on a floor rests on a facet of its convex hull. Among hull planes (whose normal
  //    is not along the length axis), the sole is the one whose 3 mm contact band is both long and large; a top cut
  //    is large but short, a side wall long but thin. (A direction grid would need < 0.7 deg steps for a flat sole.)
  const std::size_t stride = std::max<std::size_t>(1, g.vertices.size() / 4000);
  double total_w = 0;
  for (std::size_t i = 0; i < g.vertices.size(); i += stride) total_w += w[i];
  double best = -1;
  Eigen::Vector3d up = e3;
  // The hull of a subsample is enough to find the plane (refine_sole then fits it on all points); qhull on 50k
  // regular points takes seconds.
  std::vector<Eigen::Vector3d> sample;
  for (std::size_t i = 0; i < g.vertices.size(); i += stride) sample.push_back(g.vertices[i]);
  // What does not depend on the plane, once: each sample's position along the length axis and the two end windows.
  std::vector<double> along;  // (p - c) . e1 per sample
  std::vector<std::size_t> ends[2];  // sample positions in the 75-90 % and the 10-25 % windows of the length
  for (std::size_t k = 0, i = 0; i < g.vertices.size(); i += stride, ++k) {
    along.push_back((g.vertices[i] - c).dot(e1));
    const double t = (along.back() - s_lo) / L1;
    if (t > 0.75 && t < 0.9) ends[0].push_back(k);
    if (t > 0.1 && t < 0.25) ends[1].push_back(k);
  }
  const std::vector<detail::Plane> planes = detail::hull_planes(sample);
  const double hint_cos = std::cos(kUpHintDeg * std::numbers::pi / 180.0);
  // With an up hint, only the planes near it; none there (a sole-less scan with no flat lowest ring): the hint itself.
  // Not a hint along the length axis (no sole plane is: the axes below would be undefined).
  const double max_axis_sin = std::sin(60.0 * std::numbers::pi / 180.0);
  const bool hinted = opt.up_hint && std::abs(opt.up_hint->dot(e1)) <= max_axis_sin;
  for (const auto& plane : planes) {
    if (std::abs(plane.normal.dot(e1)) > max_axis_sin) continue;
    const Eigen::Vector3d u = -plane.normal;  // up points into the foot
    if (hinted && u.dot(*opt.up_hint) < hint_cos) continue;
    double lo = 1e300, hi = -1e300, area = 0;
    for (std::size_t k = 0; k < sample.size(); ++k)
      if (sample[k].dot(u) < -plane.offset + opt.sole_band_mm) {
        lo = std::min(lo, along[k]);
        hi = std::max(hi, along[k]);
        area += w[k * stride];
      }
    if (hi < lo) continue;
    // Seen from the sole, the forefoot is wide and flat: at the thinner end of the length (toes), its extent across
    // (v) is 2-4 times its extent along up (u). Seen from a side wall it is the other way round.
    const Eigen::Vector3d v = u.cross(e1).normalized();
    double flat = 0, toe_section = 1e300;
    for (int end = 0; end < 2; ++end) {
      double ulo = 1e300, uhi = -1e300, vlo = 1e300, vhi = -1e300;
      for (const std::size_t k : ends[end]) {
        const double du = sample[k].dot(u), dv = sample[k].dot(v);
        ulo = std::min(ulo, du), uhi = std::max(uhi, du);
        vlo = std::min(vlo, dv), vhi = std::max(vhi, dv);
      }
      // The toe end is the one with the smaller cross-section (the other holds the heel, ankle and any leg).
      if (uhi > ulo && (uhi - ulo) * (vhi - vlo) < toe_section) {
        toe_section = (uhi - ulo) * (vhi - vlo);
        flat = (vhi - vlo) / (uhi - ulo);
      }
    }
    // The sole's contact band is both long and large; a top cut is large but short, a side wall long but thin.
    const double score = (hi - lo) / L1 * (area / total_w) * flat;
    if (score > best) best = score, up = u;
  }
  if (hinted && best < 0) up = *opt.up_hint;
  const Eigen::Vector3d refined = refine_sole(s, up, opt.sole_band_mm);
  // The sole's band of a scan that did not see the sole is a ring or a strip along one side, not a plane: its fit may
  // tilt away from the floor the foot stands on (26 deg sideways, review). With the floor known, not beyond the hint.
  if (!hinted || refined.dot(*opt.up_hint) >= hint_cos) up = refined;

  // 2. Axes: x along the length axis in the sole plane, heel end under the higher mass.
  Eigen::Vector3d x = (e1 - e1.dot(up) * up).normalized();
  {
    double hmin = 1e300, hmax = -1e300;
    for (const auto& p : g.vertices) {
      hmin = std::min(hmin, p.dot(up));
      hmax = std::max(hmax, p.dot(up));
    }
    double top_s = 0, top_w = 0, lo = 1e300, hi = -1e300;
    for (std::size_t i = 0; i < g.vertices.size(); ++i) {
      const double t = (g.vertices[i] - c).dot(x);
      lo = std::min(lo, t);
      hi = std::max(hi, t);
      if (g.vertices[i].dot(up) > hmin + 0.6 * (hmax - hmin)) {
        top_s += w[i] * t;
        top_w += w[i];
      }
    }
    if (top_w > 0 && top_s / top_w > 0.5 * (lo + hi)) x = -x;  // the high part (ankle) is over the heel
  }
  Eigen::Vector3d y = up.cross(x);
  Eigen::Matrix3d R;
  R.row(0) = x.transpose();
  R.row(1) = y.transpose();
  R.row(2) = up.transpose();

  auto frame_points = [&](const Eigen::Matrix3d& rot) {
    std::vector<Eigen::Vector3d> q(g.vertices.size());
    for (std::size_t i = 0; i < q.size(); ++i) q[i] = rot * (g.vertices[i] - c);
    return q;
  };
  std::vector<Eigen::Vector3d> q = frame_points(R);
  BoundingBox box = bounding_box(q);
  const double len = box.extent().x();
  const double wid = box.extent().y();
  if (len < 100 || len > 400)
    not_a_foot("its length along the sole is " + std::to_string(static_cast<int>(len)) + " mm (feet: 100-400 mm)");
  if (wid / len < 0.25 || wid / len > 0.6)
    not_a_foot("width/length ratio " + std::to_string(wid / len).substr(0, 4) + " (feet: about 0.33-0.45)");

  // 3. Side. Cues, each positive for a right foot in this frame (medial = +y for a right foot).
  auto slice_y = [&](double xa, double xb, double zmax, double& ymin, double& ymax, double& xat_min,
                     double& xat_max) {
    ymin = 1e300, ymax = -1e300;
    for (const auto& p : q)
      if (p.x() >= xa && p.x() <= xb && p.z() - box.min.z() <= zmax) {
        if (p.y() < ymin) ymin = p.y(), xat_min = p.x();
        if (p.y() > ymax) ymax = p.y(), xat_max = p.x();
      }
  };
  const double x0 = box.min.x();
  double fy0 = 0, fy1 = 0, fxa = 0, fxb = 0;
  slice_y(x0 + 0.55 * len, x0 + 0.85 * len, 1e9, fy0, fy1, fxa, fxb);
  // (a) toe tip towards the medial side of the forefoot.
  Eigen::Vector3d tip = q[0];
  for (const auto& p : q)
    if (p.x() > tip.x()) tip = p;
  const double cue_toe = std::clamp((tip.y() - 0.5 * (fy0 + fy1)) / (0.15 * (fy1 - fy0)), -1.0, 1.0);
  // (b) the medial ball point (1st MTH) lies ahead of the lateral one (5th MTH).
  const double cue_ball = std::clamp((fxb - fxa) / (0.06 * len), -1.0, 1.0);
  // (c) midfoot: the lateral column touches the ground, the medial arch does not. Measured as the height of the
  // lowest points (their 2 % quantile, for noise) of the midfoot's outer quarter on each side: the arch's border lies
  // kArchCueMm or more up on the medial side. The same cue with or without the sole seen: a phone scan that did not see
  // it has the lower rims of the two sides, the medial one higher. (The contact band's centre it replaced read the
  // few points left near the floor of such a scan, and saturated on noise.)
  // The midfoot's borders from its lowest kArchBordersMm (a leg leaning forward, or what is left of a floor, lies
  // higher).
  double mid_lo = 1e300, mid_hi = -1e300;
  for (const auto& p : q)
    if (p.x() >= x0 + 0.35 * len && p.x() <= x0 + 0.55 * len && p.z() - box.min.z() <= kArchBordersMm)
      mid_lo = std::min(mid_lo, p.y()), mid_hi = std::max(mid_hi, p.y());
  double cue_arch = 0;
  if (mid_hi > mid_lo) {
    std::vector<double> z_plus, z_minus;  // heights above the sole of the +y and -y outer quarters
    const double quarter = 0.25 * (mid_hi - mid_lo);
    for (const auto& p : q) {
      if (p.x() < x0 + 0.35 * len || p.x() > x0 + 0.55 * len) continue;
      if (p.y() >= mid_hi - quarter) z_plus.push_back(p.z() - box.min.z());
      else if (p.y() <= mid_lo + quarter) z_minus.push_back(p.z() - box.min.z());
    }
    if (z_plus.size() >= 10 && z_minus.size() >= 10)
      cue_arch = std::clamp((quantile(std::move(z_plus), 0.02) - quantile(std::move(z_minus), 0.02)) / kArchCueMm,
                            -1.0, 1.0);
  }
  const double score = cue_toe + cue_ball + cue_arch;

  FootFrame f;
  if (opt.side) {
    f.side = *opt.side;
    f.side_reason = std::string("given by the user (--side ") + side_name(f.side) + ")";
    f.side_confidence = 1.0;
  } else {
    f.side = score >= 0 ? Side::right : Side::left;
    f.side_confidence = std::min(1.0, std::abs(score) / 2.0);
    f.side_cues = {cue_toe, cue_ball, cue_arch};
    std::ostringstream r;
    r.precision(2);
    r << "cues for a right foot (+) / left foot (-): toe tip medial " << cue_toe << ", ball line oblique " << cue_ball
      << ", medial arch higher " << cue_arch << "; sum " << score;
    f.side_reason = r.str();
    if (f.side_confidence < 0.25) f.warnings.push_back("side is uncertain: " + f.side_reason + " (use --side)");
  }
  Eigen::Matrix3d M = Eigen::Matrix3d::Identity();
  if (f.side == Side::left) M(1, 1) = -1;  // mirror to the right-foot convention
  R = M * R;
  q = frame_points(R);

  // The pternion is the rearmost point of the heel, below the malleoli (a calf leaning back can reach further).
  auto find_pternion = [](const std::vector<Eigen::Vector3d>& pts) {
    double zmin = 1e300;
    for (const auto& p : pts) zmin = std::min(zmin, p.z());
    Eigen::Vector3d rear(1e300, 0, 0);
    for (const auto& p : pts)
      if (p.z() - zmin <= kPternionMaxHeightMm && p.x() < rear.x()) rear = p;
    return rear;
  };

  // 4. Foot axis: pternion -> 2nd toe tip. Two passes, as the pternion moves when the axis turns.
  for (int pass = 0; pass < 2; ++pass) {
    box = bounding_box(q);
    const Eigen::Vector3d pternion = find_pternion(q);
    const double L = box.max.x() - pternion.x(), xa = pternion.x();
    double ymin = 0, ymax = 0, dummy1 = 0, dummy2 = 0;
    slice_y(xa + 0.65 * L, xa + 0.80 * L, 1e9, ymin, ymax, dummy1, dummy2);
    const double W = ymax - ymin;
    // 2nd toe tip: the most anterior point 42-62 % of the ball width in from the medial border. The toes converge,
    // so the 2nd toe lies near the middle of the ball (Brannock's axis); the hallux occupies roughly the medial
    // third and its lateral flank can reach further forward than the 2nd toe. (find-template: the FIND keypoint of
    // the 2nd toe sits at 52 %.)
    Eigen::Vector3d toe2 = pternion;
    for (const auto& p : q)
      if (p.y() <= ymax - 0.42 * W && p.y() >= ymax - 0.62 * W && p.x() > toe2.x()) toe2 = p;
    const double angle = std::atan2(toe2.y() - pternion.y(), toe2.x() - pternion.x());
    const Eigen::Matrix3d Rz = Eigen::AngleAxisd(-angle, Eigen::Vector3d::UnitZ()).toRotationMatrix();
    R = Rz * R;
    q = frame_points(R);
  }
  const Eigen::Vector3d pternion = find_pternion(q);
  double zmin = 1e300;
  for (const auto& p : q) zmin = std::min(zmin, p.z());
  const Eigen::Vector3d shift(-pternion.x(), -pternion.y(), -zmin);
  f.to_foot_frame.setIdentity();
  f.to_foot_frame.topLeftCorner<3, 3>() = R;
  f.to_foot_frame.topRightCorner<3, 1>() = -R * c + shift;
  f.aligned = transformed(g, f.to_foot_frame);
  const BoundingBox fb = bounding_box(f.aligned.vertices);
  f.length_mm = fb.max.x();
  // Foot-likeness of the profile: a tall rear foot (heel and ankle) and low toes. A box or a blob fails here.
  double heel_top = 0, toe_top = 0;
  for (const auto& p : f.aligned.vertices) {
    if (p.x() >= 0.10 * f.length_mm && p.x() <= 0.25 * f.length_mm) heel_top = std::max(heel_top, p.z());
    if (p.x() >= 0.85 * f.length_mm && p.x() <= 0.95 * f.length_mm) toe_top = std::max(toe_top, p.z());
  }
  const double H = fb.max.z();
  if (heel_top < 0.75 * H || toe_top > 0.7 * H)
    not_a_foot("its side profile lacks a tall heel/ankle and low toes (heights at 10-25 % and 85-95 % of its " +
               std::to_string(static_cast<int>(f.length_mm)) + " mm length: " + std::to_string(static_cast<int>(heel_top)) +
               " and " + std::to_string(static_cast<int>(toe_top)) + " mm of " + std::to_string(static_cast<int>(H)) +
               " mm)");
  return f;
}

}  // namespace fitcheck::foot
