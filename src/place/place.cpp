#include "place/place.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <numbers>
#include <optional>
#include <sstream>

#include "core/error.hpp"
#include "core/format.hpp"
#include "foot/foot.hpp"

namespace fitcheck::place {

namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;
/// A last within this of the foot in both length and ball girth is taken for a foot scan given as the last, mm (a
/// last is 10-17 mm longer than the foot, G3; a scan of the same foot matches to scanning noise).
constexpr double kSameAsFootMm = 3.0;

/// The pose of step 2: a turning angle per x and the posed sole curve, tabulated every `h` mm.
struct Pose {
  double x0 = 0, h = 0.5;
  std::vector<double> theta, cx, cz;  // angle (rad) and posed sole point per station
  const last::BottomProfile* foot_bottom = nullptr;

  double angle(double x) const {
    const double t = std::clamp((x - x0) / h, 0.0, static_cast<double>(theta.size() - 1));
    const std::size_t i = std::min(static_cast<std::size_t>(t), theta.size() - 2);
    const double f = t - static_cast<double>(i);
    return theta[i] + f * (theta[i + 1] - theta[i]);
  }
  Eigen::Vector3d apply(const Eigen::Vector3d& p) const {
    // Linear interpolation between stations keeps the map continuous.
    const double t = std::clamp((p.x() - x0) / h, 0.0, static_cast<double>(theta.size() - 1));
    const std::size_t i = std::min(static_cast<std::size_t>(t), theta.size() - 2);
    const double f = t - static_cast<double>(i);
    const double th = theta[i] + f * (theta[i + 1] - theta[i]);
    // Beyond the table the sole curve continues straight.
    const double xt = x0 + t * h;
    const double over = p.x() - xt;
    const double sx = cx[i] + f * (cx[i + 1] - cx[i]) + over * std::cos(th);
    const double sz = cz[i] + f * (cz[i + 1] - cz[i]) + over * std::sin(th);
    const double dz = p.z() - foot_bottom->at(p.x());
    return {sx - std::sin(th) * dz, p.y(), sz + std::cos(th) * dz};
  }
};

double chord_slope(const last::BottomProfile& b, double x0, double x1) {
  return std::atan2(b.at(x1) - b.at(x0), x1 - x0);
}

/// Lower convex hull of the vertices seen from the side (x, z), as a profile (x ascending).
last::BottomProfile side_hull(const Geometry& g) {
  std::vector<Eigen::Vector2d> pts;
  pts.reserve(g.vertices.size());
  for (const auto& p : g.vertices) pts.emplace_back(p.x(), p.z());
  last::BottomProfile b;
  for (const auto& q : lower_hull(std::move(pts))) b.x_mm.push_back(q.x()), b.z_mm.push_back(q.y());
  return b;
}

/// Weighted quantile (weights >= 0, q in [0, 1]).
double quantile(std::vector<std::pair<double, double>> vw, double q) {
  std::sort(vw.begin(), vw.end());
  double total = 0;
  for (const auto& [v, w] : vw) total += w;
  double acc = 0;
  for (const auto& [v, w] : vw) {
    acc += w;
    if (acc >= q * total) return v;
  }
  return vw.back().first;
}


}  // namespace

void Options::validate() const {
  auto in = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  auto bad = [](const std::string& what) { throw Error(ErrorCode::usage, "place", what); };
  if (!in(rear_end_pct, 30, 60)) bad("rear_end_pct must be in [30, 60] %");
  if (!in(blend_pct, 1, 15)) bad("blend_pct must be in [1, 15] %");
  if (max_iterations < 0 || max_iterations > 200) bad("max_iterations must be in [0, 200]");
  if (!in(max_shift_mm, 0, 60)) bad("max_shift_mm must be in [0, 60] mm");
  if (!in(max_turn_deg, 0, 30)) bad("max_turn_deg must be in [0, 30] deg");
  if (refine_samples < 200 || refine_samples > 1000000) bad("refine_samples must be in [200, 1e6]");
  if (!in(tight_mm, -20, 20)) bad("tight_mm must be in [-20, 20] mm");
  if (!in(loose_mm, 0, 40)) bad("loose_mm must be in [0, 40] mm");
  if (!in(min_toe_allowance_mm, 0, 30)) bad("min_toe_allowance_mm must be in [0, 30] mm");
  if (!in(max_toe_allowance_mm, min_toe_allowance_mm, 40)) bad("max_toe_allowance_mm must be in [min, 40] mm");
  for (const std::string& name : rated_regions)
    if (std::find(std::begin(kRegionNames), std::end(kRegionNames), name) == std::end(kRegionNames))
      bad("rated_regions: unknown region '" + name + "' (toe_box, ball, instep, heel)");
}

bool Options::rates(const std::string& region) const {
  return std::find(rated_regions.begin(), rated_regions.end(), region) != rated_regions.end();
}

bool Options::rates_all_regions() const {
  return std::all_of(std::begin(kRegionNames), std::end(kRegionNames), [&](const char* name) { return rates(name); });
}

Result place_foot(const Geometry& foot_in, const measure::Result& fm, const last::Last& last, const Options& opt,
                  const SignedDistance* distance, const std::vector<std::uint8_t>* clearance_wanted) {
  opt.validate();
  Result r;
  const double Lf = fm.measurements.foot_length_mm;
  const measure::Landmark* m1 = fm.find("mth1_medial");
  const measure::Landmark* m5 = fm.find("mth5_lateral");
  const measure::Landmark* tip_lm = fm.find("akropodion");
  if (!m1 || !m5 || !tip_lm || !(Lf > 0))
    throw Error(ErrorCode::invalid_input, "place", "the foot measurement lacks the ball or toe landmarks");
  // The foot along the same kind of centre line as the last (last::centre_line_turn), pternion kept at x = 0, so
  // the two bottom profiles are sampled along comparable lines.
  Eigen::Matrix4d turn = last::centre_line_turn(foot_in);
  {
    double back = 1e300;
    for (const auto& p : foot_in.vertices) {
      const Eigen::Vector3d q = (turn * p.homogeneous()).head<3>();
      if (p.z() <= foot::kPternionMaxHeightMm) back = std::min(back, q.x());
    }
    turn(0, 3) -= back;
  }
  const Geometry foot = foot::transformed(foot_in, turn);
  auto in_frame = [&](const Eigen::Vector3d& p) { return Eigen::Vector3d((turn * p.homogeneous()).head<3>()); };
  const double x_ball = 0.5 * (in_frame(m1->position_mm).x() + in_frame(m5->position_mm).x());
  // Sole lines for the pose: the lower convex hull of the side view, i.e. what the foot stands on (heel, ball and
  // toe contact; the arch spans it) and what the last's bottom offers (heel seat, tread and toe, the shank spans it).
  // The centre-line profile would put a foot's arch into the rearfoot's slope.
  const last::BottomProfile fb = side_hull(foot);
  const last::BottomProfile lb = side_hull(last.mesh);

  // Step 3: refinement on a strided sample.
  const std::vector<double> area = foot::vertex_weights(foot);
  const std::size_t stride = std::max<std::size_t>(1, foot.vertices.size() / opt.refine_samples);
  std::vector<std::size_t> heel_ids, fore_ids;
  for (std::size_t i = 0; i < foot.vertices.size(); i += stride) {
    const Eigen::Vector3d& p = foot.vertices[i];
    if (p.x() < 0.25 * Lf && p.z() - fb.at(p.x()) < 45.0) heel_ids.push_back(i);
    else if (p.x() > 0.55 * Lf && p.x() < 0.9 * Lf) fore_ids.push_back(i);
  }
  if (heel_ids.size() < 10 || fore_ids.size() < 10)
    throw Error(ErrorCode::invalid_input, "place", "the foot has too few points at the heel or forefoot to place it");
  std::optional<SignedDistance> own;
  if (!distance) own.emplace(last.mesh);
  const SignedDistance& sd = distance ? *distance : *own;
  using Vec6 = Eigen::Matrix<double, 6, 1>;
  using Mat6 = Eigen::Matrix<double, 6, 6>;
  std::vector<Eigen::Vector3d> posed;
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  Vec6 params = Vec6::Zero();  // tx, ty, tz (mm), turns about x, y, z (rad) through `centre`
  auto rotation = [](const Vec6& q) {
    const Eigen::Quaterniond qr = Eigen::AngleAxisd(q[5], Eigen::Vector3d::UnitZ()) *
                                 Eigen::AngleAxisd(q[4], Eigen::Vector3d::UnitY()) *
                                 Eigen::AngleAxisd(q[3], Eigen::Vector3d::UnitX());
    return Eigen::Matrix3d(qr.toRotationMatrix());
  };
  auto moved = [&](const Eigen::Vector3d& p, const Vec6& q) -> Eigen::Vector3d {
    return rotation(q) * (p - centre) + centre + q.head<3>();
  };
  const double max_turn = opt.max_turn_deg / kDeg;
  // Step 2 as a function of the three segment turns (rad) and of where the foot's x = 0 sits in the last (x_off).
  const double s0 = 0.12 * Lf, s1 = opt.rear_end_pct / 100 * Lf, s2 = x_ball, s3 = 0.88 * Lf;
  const double w = opt.blend_pct / 100 * Lf;
  const BoundingBox fbox = bounding_box(foot.vertices);
  // Anchored at table index `ia` (or at the ball, on the last's bottom, when ia == npos) with the sole point there.
  auto build_pose = [&](double th_r, double th_f, double th_t, double xo, std::size_t ia = std::string::npos,
                        double acx = 0, double acz = 0) {
    Pose pose;
    pose.foot_bottom = &fb;
    pose.x0 = fbox.min.x() - 2.0;
    const std::size_t n = static_cast<std::size_t>(std::ceil((fbox.max.x() + 2.0 - pose.x0) / pose.h)) + 1;
    pose.theta.resize(n), pose.cx.resize(n), pose.cz.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = pose.x0 + static_cast<double>(i) * pose.h;
      pose.theta[i] = th_r + (th_f - th_r) * smoothstep(s1 - w / 2, s1 + w / 2, x) +
                      (th_t - th_f) * smoothstep(s2 - w / 2, s2 + w / 2, x);
    }
    // Anchor: the foot's sole under the ball sits on the last's bottom; integrate the turned sole tangent outward
    // from there (lengths along the sole are kept).
    if (ia == std::string::npos) {
      ia = std::min(n - 1, static_cast<std::size_t>(std::round((s2 - pose.x0) / pose.h)));
      acx = pose.x0 + static_cast<double>(ia) * pose.h;
      acz = lb.at(acx + xo);
    }
    pose.cx[ia] = acx;
    pose.cz[ia] = acz;
    auto step = [&](std::size_t from, std::size_t to) {
      const double xf = pose.x0 + static_cast<double>(from) * pose.h, xt = pose.x0 + static_cast<double>(to) * pose.h;
      const Eigen::Vector2d d(xt - xf, fb.at(xt) - fb.at(xf));
      const double th = 0.5 * (pose.theta[from] + pose.theta[to]);
      pose.cx[to] = pose.cx[from] + std::cos(th) * d.x() - std::sin(th) * d.y();
      pose.cz[to] = pose.cz[from] + std::sin(th) * d.x() + std::cos(th) * d.y();
    };
    for (std::size_t i = ia; i + 1 < n; ++i) step(i, i + 1);
    for (std::size_t i = ia; i > 0; --i) step(i, i - 1);
    return pose;
  };
  // Two rounds: the second poses the foot against the last's bottom where the first round put it (the heel seat
  // of a foot smaller than the last ends a few mm ahead of the last's heel back point).
  double x_off = 0.0, heel_shift = 0.0, th_rear = 0, th_fore = 0, th_toe = 0, x_off_used = 0;
  Pose pose_now;
  std::vector<SignedDistance::Hint> heel_hints, fore_hints;  // each iteration moves the points a little
  for (int round = 0; round < 2; ++round) {
    // Segment turns = slope of the last's bottom minus slope of the foot's sole over each segment (chords).
    th_rear = chord_slope(lb, s0 + x_off, s1 + x_off) - chord_slope(fb, s0, s1);
    th_fore = chord_slope(lb, s1 + x_off, s2 + x_off) - chord_slope(fb, s1, s2);
    th_toe = chord_slope(lb, s2 + x_off, s3 + x_off) - chord_slope(fb, s2, s3);
    x_off_used = x_off;
    pose_now = build_pose(th_rear, th_fore, th_toe, x_off);
    const Pose& pose = pose_now;
    posed.assign(foot.vertices.size(), Eigen::Vector3d::Zero());
    for (std::size_t i = 0; i < posed.size(); ++i) posed[i] = pose.apply(foot.vertices[i]);
    // Heel to heel: the posed heel's rear-most point (within 50 mm above the heel seat) on the last's heel back point.
    {
      double back = 1e300;
      const double seat = lb.at(0.0);
      for (const auto& p : posed)
        if (p.z() <= seat + foot::kPternionMaxHeightMm) back = std::min(back, p.x());
      for (auto& p : posed) p.x() -= back;
      heel_shift = -back;
    }

    centre = Eigen::Vector3d::Zero();
    for (const auto& p : posed) centre += p;
    centre /= static_cast<double>(posed.size());
    params = Vec6::Zero();
    r.converged = false;
    // Objective: the area-weighted variance of the clearance over the heel region plus that over the forefoot, with
    // its Gauss-Newton normal equations. Residuals and rows are centred on each region's mean.
    auto evaluate = [&](const Vec6& q, Mat6& JtJ, Vec6& Jtr) {
      JtJ.setZero();
      Jtr.setZero();
      double value = 0;
      auto block = [&](const std::vector<std::size_t>& ids, const Vec6& mask, std::vector<SignedDistance::Hint>& hints) {
        std::vector<Eigen::Vector3d> pts;
        pts.reserve(ids.size());
        for (std::size_t i : ids) pts.push_back(moved(posed[i], q));
        std::vector<Eigen::Vector3d> normals;
        const std::vector<double> d = sd.query(pts, &normals, &hints);
        std::vector<Vec6> J(ids.size());
        double wsum = 0, dmean = 0;
        Vec6 jmean = Vec6::Zero();
        const Eigen::Vector3d c_now = centre + q.head<3>();
        for (std::size_t k = 0; k < ids.size(); ++k) {
          const Eigen::Vector3d& nrm = normals[k];
          // Moving a point outward along the last's normal lowers its clearance; a small turn about axis a moves
          // it by a x arm.
          const Eigen::Vector3d arm = pts[k] - c_now;
          J[k] << -nrm, -nrm.dot(Eigen::Vector3d::UnitX().cross(arm)), -nrm.dot(Eigen::Vector3d::UnitY().cross(arm)),
              -nrm.dot(Eigen::Vector3d::UnitZ().cross(arm));
          J[k] = J[k].cwiseProduct(mask);
          const double wk = area[ids[k]];
          wsum += wk, dmean += wk * d[k], jmean += wk * J[k];
        }
        dmean /= wsum, jmean /= wsum;
        for (std::size_t k = 0; k < ids.size(); ++k) {
          const double wk = area[ids[k]] / wsum;
          const Vec6 jc = J[k] - jmean;
          JtJ += wk * jc * jc.transpose();
          Jtr += wk * jc * (d[k] - dmean);
          value += wk * (d[k] - dmean) * (d[k] - dmean);
        }
      };
      Vec6 all, fore;
      all << 1, 1, 1, 1, 1, 1;
      fore << 0, 1, 0, 1, 0, 1;  // the forefoot centres sideways (y, roll, turn about z); x, z, pitch: the heel
      block(heel_ids, all, heel_hints);
      block(fore_ids, fore, fore_hints);
      return value;
    };
    // Levenberg-Marquardt: a step is kept only when it lowers the objective.
    Mat6 JtJ, JtJ_next;
    Vec6 Jtr, Jtr_next;
    double value = evaluate(params, JtJ, Jtr);
    double lambda = 1e-3;
    for (int it = 0; it < opt.max_iterations; ++it) {
      r.iterations = it + 1;
      Mat6 A = JtJ;
      A.diagonal() += lambda * JtJ.diagonal() + Vec6::Constant(1e-12 + 1e-9 * JtJ.trace());
      const Vec6 delta = -A.ldlt().solve(Jtr);
      if (!delta.allFinite()) break;
      Vec6 next = params + delta;
      for (int k = 0; k < 3; ++k) next[k] = std::clamp(next[k], -opt.max_shift_mm, opt.max_shift_mm);
      for (int k = 3; k < 6; ++k) next[k] = std::clamp(next[k], -max_turn, max_turn);
      const Vec6 change = next - params;
      const bool tiny = change.head<3>().norm() < 0.01 && change.tail<3>().norm() < 1e-4;
      const double next_value = evaluate(next, JtJ_next, Jtr_next);
      if (next_value < value) {
        const double gain = value - next_value;
        params = next, value = next_value, JtJ = JtJ_next, Jtr = Jtr_next;
        lambda = std::max(lambda / 3, 1e-7);
        if (tiny || gain < 1e-4 * value + 1e-9) {
          r.converged = true;
          break;
        }
      } else {
        lambda *= 4;
        if (tiny || lambda > 1e6) {  // no step lowers it: a minimum (to the resolution of the distance field)
          r.converged = true;
          break;
        }
      }
    }
    x_off = heel_shift + params[0];
  }
  // Forefoot, then toes: the turn that makes the clearance under the segment even (its plantar surface parallel to
  // the last's bottom), by golden-section searches around the chord estimates; chords misjudge a curved bottom or a
  // rounded heel by up to a degree. The pose is re-anchored at the rearfoot's end, so the nested heel stays put.
  {
    const std::size_t i1 = std::min(pose_now.theta.size() - 1,
                                    static_cast<std::size_t>(std::round((s1 - pose_now.x0) / pose_now.h)));
    const double acx = pose_now.cx[i1], acz = pose_now.cz[i1];
    auto plantar = [&](double from, double to) {
      std::vector<std::size_t> ids;
      for (std::size_t i = 0; i < foot.vertices.size(); i += stride) {
        const Eigen::Vector3d& p = foot.vertices[i];
        if (p.x() > from && p.x() < to && p.z() - fb.at(p.x()) < 6.0) ids.push_back(i);
      }
      return ids;
    };
    auto spread = [&](const std::vector<std::size_t>& ids, std::vector<SignedDistance::Hint>& hints, double th_f, double th_t) {
      const Pose pose = build_pose(th_rear, th_f, th_t, x_off_used, i1, acx, acz);
      std::vector<Eigen::Vector3d> pts;
      for (std::size_t i : ids) pts.push_back(moved(pose.apply(foot.vertices[i]) + Eigen::Vector3d(heel_shift, 0, 0), params));
      const std::vector<double> d = sd.query(pts, nullptr, &hints);
      double ws = 0, m = 0, v = 0;
      for (std::size_t k = 0; k < d.size(); ++k) ws += area[ids[k]], m += area[ids[k]] * d[k];
      m /= ws;
      for (std::size_t k = 0; k < d.size(); ++k) v += area[ids[k]] * (d[k] - m) * (d[k] - m);
      return v / ws;
    };
    auto golden = [](double lo, double hi, const auto& f) {
      const double g = (std::sqrt(5.0) - 1) / 2;
      double a1 = hi - g * (hi - lo), a2 = lo + g * (hi - lo), f1 = f(a1), f2 = f(a2);
      for (int k = 0; k < 40 && hi - lo > 1e-5; ++k) {
        if (f1 < f2) hi = a2, a2 = a1, f2 = f1, a1 = hi - g * (hi - lo), f1 = f(a1);
        else lo = a1, a1 = a2, f1 = f2, a2 = lo + g * (hi - lo), f2 = f(a2);
      }
      return 0.5 * (lo + hi);
    };
    const auto sole_ids = plantar(s1 + w / 2, s2 - w / 2);
    if (sole_ids.size() >= 10) {
      const double rel = th_toe - th_fore;  // the toes keep their turn relative to the forefoot meanwhile
      std::vector<SignedDistance::Hint> hints;
      th_fore = golden(th_fore - 8 / kDeg, th_fore + 8 / kDeg, [&](double t) { return spread(sole_ids, hints, t, t + rel); });
      th_toe = th_fore + rel;
    }
    const auto toe_ids = plantar(s2 + 0.03 * Lf, 1e300);
    if (toe_ids.size() >= 10) {
      std::vector<SignedDistance::Hint> hints;
      th_toe = golden(th_toe - 8 / kDeg, th_toe + 8 / kDeg, [&](double t) { return spread(toe_ids, hints, th_fore, t); });
    }
    pose_now = build_pose(th_rear, th_fore, th_toe, x_off_used, i1, acx, acz);
    for (std::size_t i = 0; i < posed.size(); ++i) posed[i] = pose_now.apply(foot.vertices[i]) + Eigen::Vector3d(heel_shift, 0, 0);
  }
  r.heel_turn_deg = -th_rear * kDeg;  // a rising heel turns the rearfoot nose-down
  r.toe_turn_deg = th_toe * kDeg;
  if (opt.max_iterations == 0) r.converged = true;
  if (!r.converged)
    r.warnings.push_back("placement refinement stopped after " + std::to_string(r.iterations) +
                         " iterations without settling (result is the last iterate)");
  r.shift_mm = params.head<3>();
  r.turn_deg = params[5] * kDeg;
  r.tilt_deg = Eigen::Vector2d(params[3], params[4]) * kDeg;
  if ((params.head<3>().cwiseAbs().array() >= opt.max_shift_mm - 1e-9).any() ||
      (params.tail<3>().cwiseAbs().array() >= max_turn - 1e-12).any())
    r.warnings.push_back("placement refinement reached its limit (" + fmt_fixed(opt.max_shift_mm, 0) + " mm / " +
                         fmt_fixed(opt.max_turn_deg, 0) + " deg): the foot and last differ a lot in shape");

  r.foot = foot;
  for (std::size_t i = 0; i < posed.size(); ++i) r.foot.vertices[i] = moved(posed[i], params);
  {
    const Eigen::Matrix3d rigid_turn = rotation(params) , frame_turn = turn.topLeftCorner<3, 3>();
    r.local_rotation.resize(posed.size());
    for (std::size_t i = 0; i < posed.size(); ++i)
      r.local_rotation[i] = rigid_turn *
                            Eigen::AngleAxisd(-pose_now.angle(foot.vertices[i].x()), Eigen::Vector3d::UnitY()).toRotationMatrix() *
                            frame_turn;
  }

  // Fit figures.
  r.toe_allowance_mm = last.measurements.stick_length_mm - Lf;
  {
    // Toe gap: in the placed pose, the last's front end minus the foot's front end along x (a size stick laid on
    // both; with toe spring a ray at the tip's height would graze the rising bottom instead).
    double foot_front = -1e300, last_front = -1e300;
    for (const auto& p : r.foot.vertices) foot_front = std::max(foot_front, p.x());
    for (const auto& p : last.mesh.vertices) last_front = std::max(last_front, p.x());
    r.toe_gap_mm = last_front - foot_front;
  }
  r.ball_girth_difference_mm = last.measurements.ball_girth_mm - fm.measurements.ball_girth_mm;
  {
    const double xi = 0.55 * Lf;  // the foot's instep station (measure.hpp)
    const auto sec = measure::section(last.mesh, Eigen::Vector3d(xi, 0, 0), Eigen::Vector3d::UnitX(), 0.5);
    if (sec.size() >= 3)
      r.instep_girth_difference_mm = measure::convex_perimeter(sec, Eigen::Vector3d::UnitX()) - fm.measurements.instep_girth_mm;
  }
  // The shoe's opening: behind the top eyelet row the foot (ankle, leg) rises out of the shoe above the last's top
  // cut. Those vertices keep their clearance but are not inside the shoe and count in no region. The instep crest
  // further forward stays inside (the tongue covers it), however tight.
  {
    const double Ls = last.measurements.stick_length_mm;
    double top = -1e300;
    for (const auto& p : last.mesh.vertices) top = std::max(top, p.z());
    r.inside_shoe.assign(r.foot.vertices.size(), 1);
    std::size_t above = 0;
    for (std::size_t i = 0; i < r.foot.vertices.size(); ++i) {
      const Eigen::Vector3d& p = r.foot.vertices[i];
      if (p.x() <= kCollarEndPct / 100 * Ls && p.z() > top - 2.0) r.inside_shoe[i] = 0, ++above;
    }
    if (above > 0)
      r.warnings.push_back(std::to_string(above) + " foot vertices rise above the last's top (the collar opening): "
                           "outside the shoe, not rated");
  }
  // Regions on the foot's own anatomy (foot frame).
  std::vector<double> top(101, -1e300);
  for (const auto& p : foot.vertices) {
    const int b = std::clamp(static_cast<int>(p.x() / Lf * 100), 0, 100);
    top[b] = std::max(top[b], p.z());
  }
  auto region_of = [&](const Eigen::Vector3d& p) -> int {
    const double u = p.x() / Lf;
    const double sole = fb.at(p.x());
    const double t = top[std::clamp(static_cast<int>(u * 100), 0, 100)];
    if (u < 0.25 && p.z() - sole < 45.0) return 3;                              // heel
    if (u >= 0.40 && u < 0.60 && p.z() > sole + 0.5 * (t - sole)) return 2;    // instep (top half)
    if (u >= 0.60 && u < 0.80) return 1;                                        // ball
    if (u >= 0.80) return 0;                                                     // toe box
    return -1;
  };
  const std::size_t nv = foot.vertices.size();
  std::vector<int> region(nv, -1);
  for (std::size_t i = 0; i < nv; ++i)
    if (r.inside_shoe[i]) region[i] = region_of(foot.vertices[i]);
  bool rated[4];
  for (std::size_t g = 0; g < 4; ++g)
    rated[g] = opt.rates(kRegionNames[g]);
  // The clearance: of every vertex, or (clearance_wanted given) of the wanted ones and those of the rated regions
  // only. Each point's distance is its own query, so the queried ones are the same either way to rounding; where two
  // triangles are equally close the answering one (its hint) may differ with the search's start (SignedDistance).
  std::vector<std::uint8_t> queried(nv, 1);
  if (!clearance_wanted) {
    r.clearance_mm = sd.query(r.foot.vertices, nullptr, &r.clearance_hints);
  } else {
    if (clearance_wanted->size() != nv)
      throw Error(ErrorCode::internal, "place", "clearance_wanted differs in size from the foot");
    std::vector<std::size_t> ids;
    std::vector<Eigen::Vector3d> pts;
    for (std::size_t i = 0; i < nv; ++i) {
      queried[i] = (*clearance_wanted)[i] || (region[i] >= 0 && rated[region[i]]);
      if (queried[i]) ids.push_back(i), pts.push_back(r.foot.vertices[i]);
    }
    std::vector<SignedDistance::Hint> hints;
    const std::vector<double> d = sd.query(pts, nullptr, &hints);
    r.clearance_mm.assign(nv, std::numeric_limits<double>::quiet_NaN());
    r.clearance_hints.assign(nv, SignedDistance::Hint{});
    for (std::size_t j = 0; j < ids.size(); ++j) r.clearance_mm[ids[j]] = d[j], r.clearance_hints[ids[j]] = hints[j];
    r.clearance_partial = true;
  }
  std::vector<std::vector<std::pair<double, double>>> per(4);
  for (std::size_t i = 0; i < nv; ++i)
    if (const int g = region[i]; g >= 0 && rated[g]) per[static_cast<std::size_t>(g)].emplace_back(r.clearance_mm[i], area[i]);
  for (std::size_t g = 0; g < 4; ++g) {
    RegionFit f;
    f.region = kRegionNames[g];
    if (!rated[g]) {
      f.rating = "not rated";  // Options::rated_regions leaves it out: no figures, no warning
      r.regions.push_back(f);
      continue;
    }
    if (per[g].empty()) {
      f.rating = "not covered";
      r.warnings.push_back(std::string("the scan does not cover the ") + kRegionNames[g] + " region");
      r.regions.push_back(f);
      continue;
    }
    f.min_clearance_mm = 1e300;
    for (const auto& [c, a] : per[g]) {
      f.area_mm2 += a;
      f.min_clearance_mm = std::min(f.min_clearance_mm, c);
      if (c < 0) f.interference_area_mm2 += a;
    }
    f.median_clearance_mm = quantile(per[g], 0.5);
    f.p5_clearance_mm = quantile(per[g], 0.05);
    if (f.p5_clearance_mm < opt.tight_mm) f.rating = "tight";
    else if (f.min_clearance_mm < 0) f.rating = "snug";
    else if (f.median_clearance_mm > opt.loose_mm) f.rating = "loose";
    else f.rating = "good";
    r.regions.push_back(f);
  }
  // Plain-language warnings (a toe allowance within rounding of zero is written as 0.0, not -0.0).
  const double ta = std::abs(r.toe_allowance_mm) < 0.05 ? 0.0 : r.toe_allowance_mm;
  const std::string range = fmt_fixed(opt.min_toe_allowance_mm, 0) + "-" + fmt_fixed(opt.max_toe_allowance_mm, 0) + " mm";
  if (ta < 0)
    r.warnings.push_back("the foot (" + fmt_fixed(Lf) + " mm) is " + fmt_outside(-ta, -1.0, 0.0) + " mm longer than the last (" +
                         fmt_fixed(last.measurements.stick_length_mm) + " mm): too long for this last; a last about " +
                         fmt_fixed(Lf + 0.5 * (opt.min_toe_allowance_mm + opt.max_toe_allowance_mm), 0) +
                         " mm long would fit (toe allowance " + range + ", literature G3)");
  else if (ta < opt.min_toe_allowance_mm)
    r.warnings.push_back("toe allowance " + fmt_outside(ta, opt.min_toe_allowance_mm, opt.max_toe_allowance_mm) + " mm is below " + range +
                         " (literature G3): the toes will reach the front of the shoe, more so as the foot swells");
  else if (ta > opt.max_toe_allowance_mm)
    r.warnings.push_back("toe allowance " + fmt_outside(ta, opt.min_toe_allowance_mm, opt.max_toe_allowance_mm) + " mm is above " + range +
                         " (literature G3): the shoe is long for this foot (heel slip, a flex line behind the ball)");
  // A foot scan given as the last (a wrong file at a kiosk or in a batch): as long as the foot and as large at the
  // ball. Lasts are made 10-17 mm longer than the foot they fit (G3), with a ball girth near the foot's.
  if (std::abs(ta) < kSameAsFootMm && std::abs(r.ball_girth_difference_mm) < kSameAsFootMm)
    r.warnings.push_back("the last is within " + fmt_fixed(kSameAsFootMm, 0) + " mm of the foot in length (toe allowance " +
                         fmt_fixed(ta) + " mm) and in ball girth (" + fmt_fixed(r.ball_girth_difference_mm) +
                         " mm): a last is made 10-17 mm longer than the foot it fits (literature G3) -- is the last file a "
                         "scan of a foot?");
  for (const auto& f : r.regions)
    if (f.rating == "tight")
      r.warnings.push_back(f.region + " is tight: 5 % of it has less than " + fmt_fixed(opt.tight_mm) + " mm (down to " +
                           fmt_fixed(f.min_clearance_mm) + " mm, " + fmt_fixed(f.interference_area_mm2 / 100, 1) +
                           " cm2 pressing into the last)");
  for (std::size_t i = 0; i < nv; ++i)
    if (!std::isfinite(r.clearance_mm[i]) && !(r.clearance_partial && std::isnan(r.clearance_mm[i]) && !queried[i]))
      throw Error(ErrorCode::internal, "place", "non-finite clearance");
  return r;
}

}  // namespace fitcheck::place
