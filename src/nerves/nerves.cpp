#include "nerves/nerves.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "foot/foot.hpp"

namespace fitcheck::nerves {

namespace {

using Eigen::Vector2d;
using Eigen::Vector3d;

// ---- stations and fractions -----------------------------------------------------------------------------------
// Fractions of L are measured from the pternion along +x. "estimate" = not in literature.md: a typical adult value
// chosen for this model.

// literature.md A6: the 1st MTP joint lies at 70-79 % of foot length (default 72 %).
constexpr double kMtp1MinPct = 70.0;
constexpr double kMtp1MaxPct = 79.0;
// Lateral (5th) MTP joint: the brief of issue #5 reads A6's "63-66 %" as the lateral joints; we accept the
// measured lateral ball point within 60-70 % L (estimate, a margin around 63-66 %).
constexpr double kMtp5MinPct = 60.0;
constexpr double kMtp5MaxPct = 70.0;

// Positions across the ball breadth at the MTP line, fraction from the medial ball point (0) to the lateral one (1).
// Estimates, read off find-template's ground-truth toe tips (one foot; tips of toes 1-5 at 0.27, 0.54, 0.68, 0.78,
// 0.91 of its ball breadth; its toe clefts at 0.39 and 0.72): the skin webs lie midway between adjacent toes. Typical
// metatarsal-head widths would put the intermetatarsal spaces 0.05-0.1 more medially (toes drift laterally of their
// heads in shod feet, cf. the hallux angle in literature.md S4); the difference stays inside near_mm.
constexpr double kToe2Frac = 0.54;  // the 2nd toe line: middle of toes 1-3 (estimate)
constexpr double kToe4Frac = 0.78;  // the 4th toe line: middle of toes 3-5 (estimate)
constexpr double kWeb1Frac = 0.40;  // 1st web space, between toes 1 and 2 (estimate)
constexpr double kWeb2Frac = 0.60;  // 2nd web, between toes 2 and 3 / heads 2 and 3 (estimate)
constexpr double kWeb3Frac = 0.73;  // 3rd web, between toes 3 and 4 / heads 3 and 4 (estimate)
// Centre of the 1st metatarsal head (estimate: ~17 mm from the medial skin on a ~100 mm ball): the inside end of
// Joplin's plantar-medial line.
constexpr double kRay1Frac = 0.18;

// Talonavicular joint on the dorsum: 40-45 % L (brief of issue #5; estimate, not in literature.md). The measured
// navicular (measure.hpp: 43 % L) lies in the same range.
constexpr double kTalonavicularPct = 42.0;
// Station on the mid-dorsum for the superficial peroneal branches, so the path follows the dorsum (estimate).
constexpr double kMidDorsumPct = 50.0;

// The anterior tarsal tunnel lies in front of the ankle joint, which is above the malleolar prominences: the
// ankle-front stations are where a line from the malleolar line, rising this much above +x, leaves the surface
// (estimate: reaches the ankle crease on scans with a leg).
constexpr double kAnkleFrontElevationDeg = 30.0;
// The ankle-front crossing is accepted only within this band of L (estimate: in front of the ankle, behind the
// talonavicular station) and below the top of the scan by a margin (the top of a scan is a cut, not skin).
constexpr double kAnkleFrontMinPct = 15.0;
constexpr double kAnkleFrontMaxPct = 40.0;
constexpr double kTopCutMarginMm = 3.0;
// Otherwise the dorsal midline from 25-30 % L (brief of issue #5; estimate) forward in steps of 1 % L to the first
// point below the top cut (a leg or a flat cut covers the ankle front).
constexpr double kAnkleFrontFallbackPct = 27.0;
constexpr double kAnkleFrontStepPct = 1.0;
// literature.md A2: the medial dorsal cutaneous branch crosses the malleolar line ~halfway from the lateral to the
// medial malleolus, the intermediate one ~one third from the lateral malleolus. A1 (brief): deep peroneal midway.
constexpr double kSpMedialFromLateral = 0.5;
constexpr double kSpIntermediateFromLateral = 1.0 / 3.0;
constexpr double kDeepPeronealFromLateral = 0.5;

// A malleolus found below this height is the side of the heel, not a malleolus: foot.hpp's kPternionMaxHeightMm
// (ANSUR II lateral malleolus height roughly 55-90 mm, shared/data/anthropometry; measure.hpp searches from 40 mm).
constexpr double kMinMalleolusHeightMm = foot::kPternionMaxHeightMm;
// The two malleoli must be at least this far apart across the foot (estimate: adult bimalleolar breadth 60-80 mm).
constexpr double kMinMalleolarBreadthMm = 35.0;
// Without usable malleoli: an estimated ankle (malleolar line) at this station and height; the malleoli are the
// outermost surface points to either side there (estimate: lateral malleolus ~45 mm from the heel and ~65 mm high
// on a 260 mm foot).
constexpr double kEstimatedAnklePct = 18.0;
constexpr double kEstimatedAnkleHeightPct = 25.0;
// Half the ankle breadth when the scan has no side wall there (estimate: ~40 mm on a 260 mm foot).
constexpr double kNominalAnkleHalfBreadthPct = 15.0;
// Confidence given to an estimated landmark (estimate).
constexpr double kEstimatedLandmarkConfidence = 0.2;

// literature.md A3: the sural nerve lies ~14 mm behind and 14 mm below the lateral malleolus tip.
constexpr double kSuralBehindTipMm = 14.0;
constexpr double kSuralBelowTipMm = 14.0;
// The measured lateral malleolus is its most lateral point, above the tip (estimate).
constexpr double kMalleolusTipBelowProminenceMm = 10.0;
// 5th metatarsal tuberosity on the lateral border: 45-50 % L (brief of issue #5; estimate) and low on the border.
constexpr double kMt5TuberosityPct = 47.0;
constexpr double kMt5TuberosityHeightPct = 6.0;  // ~15 mm on a 260 mm foot (estimate)
// Side of the little toe: ahead of the lateral MTP joint by the proximal phalanx, at toe height (estimates).
constexpr double kLittleToeAheadPct = 8.0;
constexpr double kLittleToeHeightPct = 4.5;

// Interdigital nerves (A4): from 5 mm behind the metatarsal-head line (brief of issue #5) to 5 mm ahead of it,
// where the nerve leaves the deep transverse metatarsal ligament toward the web (estimate).
constexpr double kInterdigitalBehindMm = 5.0;
constexpr double kInterdigitalAheadMm = 5.0;
// Joplin (A5): along the plantar-medial 1st MTP joint, from 10 mm behind it to 20 mm ahead (the proximal hallux)
// (estimates), on a line 45 deg between medial and plantar.
constexpr double kJoplinBehindMm = 10.0;
constexpr double kJoplinAheadMm = 20.0;
constexpr double kJoplinAngleDeg = 45.0;

// Dorsal lines start this high so the sole is never taken for the dorsum (estimate).
constexpr double kDorsalLineStartMm = 5.0;
// Point clouds: a line meets the surface at cloud points within this distance of it (estimate for scanner spacing
// of ~1-2 mm); widened up to 4x before giving up.
constexpr double kCloudLineRadiusMm = 2.5;
constexpr double kCloudDepthBandMm = 1.0;
// Between stations the path is resampled at most this far apart (estimate: well below near_mm).
constexpr double kSampleStepMm = 4.0;
// Confidence factors (estimates): a clamped landmark, an ankle front from the dorsal fallback, a line that missed
// the surface.
constexpr double kClampedFactor = 0.8;
constexpr double kAnkleFallbackFactor = 0.5;
constexpr double kMissedLineFactor = 0.8;

// ---- surface queries --------------------------------------------------------------------------------------------

double deg(double d) { return d * std::numbers::pi / 180.0; }

Vector3d closest_on_triangle(const Vector3d& p, const Vector3d& a, const Vector3d& b, const Vector3d& c) {
  // Ericson, Real-Time Collision Detection, 5.1.5.
  const Vector3d ab = b - a, ac = c - a, ap = p - a;
  const double d1 = ab.dot(ap), d2 = ac.dot(ap);
  if (d1 <= 0 && d2 <= 0) return a;
  const Vector3d bp = p - b;
  const double d3 = ab.dot(bp), d4 = ac.dot(bp);
  if (d3 >= 0 && d4 <= d3) return b;
  const double vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) return a + d1 / (d1 - d3) * ab;
  const Vector3d cp = p - c;
  const double d5 = ab.dot(cp), d6 = ac.dot(cp);
  if (d6 >= 0 && d5 <= d6) return c;
  const double vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) return a + d2 / (d2 - d6) * ac;
  const double va = d3 * d6 - d5 * d4;
  if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0) return b + (d4 - d3) / ((d4 - d3) + (d5 - d6)) * (c - b);
  const double denom = 1.0 / (va + vb + vc);
  if (!std::isfinite(denom)) return a;  // degenerate triangle: its corner is a surface point
  return a + ab * (vb * denom) + ac * (vc * denom);
}

class Surface {
  /// Pad of the face boxes in the line test, mm: far above the rounding of coordinates of a foot (~1e-13 mm), far below
  /// any feature.
  static constexpr double kBoxPadMm = 1e-6;

 public:
  explicit Surface(const Geometry& g) : g_(g) {
    for (const auto& f : g.faces) {
      Eigen::AlignedBox3d box(g.vertices[f[0]]);
      box.extend(g.vertices[f[1]]);
      box.extend(g.vertices[f[2]]);
      boxes_.push_back(box);
    }
  }

  /// The crossing of the line origin + t dir (t >= t_min) with the surface that lies farthest along dir.
  std::optional<Vector3d> outermost(const Vector3d& origin, const Vector3d& dir, double t_min) const {
    const Vector3d d = dir.normalized();
    double best = -std::numeric_limits<double>::infinity();
    if (g_.is_mesh()) {
      // A line that misses a face's box misses the face: the box test first (its axes along which the line does not
      // run before the others; the box padded by kBoxPadMm against rounding, so no crossing is lost).
      std::array<int, 3> axes{0, 1, 2};
      std::stable_partition(axes.begin(), axes.end(), [&](int k) { return d[k] == 0; });
      for (std::size_t fi = 0; fi < g_.faces.size(); ++fi) {
        if (!line_meets_box(origin, d, axes, boxes_[fi])) continue;
        const auto& f = g_.faces[fi];
        // Moller-Trumbore for a line (no t > 0 restriction here).
        const Vector3d& a = g_.vertices[f[0]];
        const Vector3d e1 = g_.vertices[f[1]] - a, e2 = g_.vertices[f[2]] - a;
        const Vector3d pv = d.cross(e2);
        const double det = e1.dot(pv);
        if (std::abs(det) < 1e-12) continue;
        const double inv = 1.0 / det;
        const Vector3d tv = origin - a;
        const double u = tv.dot(pv) * inv;
        if (u < 0 || u > 1) continue;
        const Vector3d qv = tv.cross(e1);
        const double v = d.dot(qv) * inv;
        if (v < 0 || u + v > 1) continue;
        const double t = e2.dot(qv) * inv;
        if (t >= t_min) best = std::max(best, t);
      }
    } else {
      // The outermost cloud points within r of the line; of those within kCloudDepthBandMm of the outermost, the one
      // nearest the line (on a flat patch the outermost alone could lie anywhere in the disc of radius r).
      for (double r = kCloudLineRadiusMm; r <= 4 * kCloudLineRadiusMm; r *= 2) {
        for (const auto& p : g_.vertices) {
          const double t = (p - origin).dot(d);
          if (t >= t_min && (p - origin - t * d).norm() <= r) best = std::max(best, t);
        }
        if (!std::isfinite(best)) continue;
        const Vector3d* pick = nullptr;
        double pick_off = std::numeric_limits<double>::infinity();
        for (const auto& p : g_.vertices) {
          const double t = (p - origin).dot(d);
          const double off = (p - origin - t * d).norm();
          if (t >= best - kCloudDepthBandMm && off <= r && off < pick_off) pick = &p, pick_off = off;
        }
        return *pick;  // a cloud point: on the surface
      }
      return std::nullopt;
    }
    if (!std::isfinite(best)) return std::nullopt;
    return Vector3d(origin + best * d);
  }

  /// Whether the line origin + t dir meets `box` padded by kBoxPadMm (slab test, axes in the order given).
  static bool line_meets_box(const Vector3d& origin, const Vector3d& dir, const std::array<int, 3>& axes,
                             const Eigen::AlignedBox3d& box) {
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    for (const int k : axes) {
      const double a = box.min()[k] - kBoxPadMm - origin[k], b = box.max()[k] + kBoxPadMm - origin[k];
      if (dir[k] == 0) {
        if (a > 0 || b < 0) return false;
        continue;
      }
      const double t1 = a / dir[k], t2 = b / dir[k];
      lo = std::max(lo, std::min(t1, t2));
      hi = std::min(hi, std::max(t1, t2));
      if (lo > hi) return false;
    }
    return true;
  }

  /// Nearest surface point: on the triangles for a mesh, the nearest point of a cloud.
  Vector3d nearest(const Vector3d& q) const {
    // The nearest vertex bounds the answer; only triangles whose box is that close can do better.
    double bound2 = std::numeric_limits<double>::infinity();
    Vector3d best = q;
    for (const auto& p : g_.vertices) {
      const double d2 = (p - q).squaredNorm();
      if (d2 < bound2) bound2 = d2, best = p;
    }
    if (!g_.is_mesh()) return best;
    for (std::size_t i = 0; i < g_.faces.size(); ++i) {
      if (boxes_[i].squaredExteriorDistance(q) >= bound2) continue;
      const auto& f = g_.faces[i];
      const Vector3d c = closest_on_triangle(q, g_.vertices[f[0]], g_.vertices[f[1]], g_.vertices[f[2]]);
      const double d2 = (c - q).squaredNorm();
      if (d2 < bound2) bound2 = d2, best = c;
    }
    return best;
  }

 private:
  const Geometry& g_;
  std::vector<Eigen::AlignedBox3d> boxes_;
};

// ---- the placement ----------------------------------------------------------------------------------------------

/// How a station (and the samples between two stations of the same kind) is put on the surface.
enum class Kind { dorsal, lateral, joplin, ankle, nearest };

struct Station {
  Kind kind = Kind::nearest;
  Vector3d point = Vector3d::Zero();  ///< on the surface
};

class Placer {
 public:
  Placer(const Geometry& g, const measure::Result& lm)
      : surface_(g), lm_(lm), top_z_(bounding_box(g.vertices).max.z()) {
    auto need = [&](const char* name) -> const measure::Landmark& {
      const auto* l = lm.find(name);
      if (!l) throw Error(ErrorCode::invalid_input, "nerves", std::string("landmark ") + name + " is missing");
      if (!l->position_mm.allFinite())
        throw Error(ErrorCode::invalid_input, "nerves", std::string("landmark ") + name + " is not finite");
      return *l;
    };
    pternion_ = &need("pternion");
    akropodion_ = &need("akropodion");
    mth1_ = &need("mth1_medial");
    mth5_ = &need("mth5_lateral");
    L_ = akropodion_->position_mm.x() - pternion_->position_mm.x();
    if (!(L_ > 0) || !std::isfinite(L_))
      throw Error(ErrorCode::invalid_input, "nerves",
                  "foot length (akropodion.x - pternion.x) = " + std::to_string(L_) + " mm is not positive");
    heel_ = pternion_->position_mm.head<2>();

    // MTP line (A6 for the medial end).
    const double x1 = clamp_station(mth1_->position_mm.x(), kMtp1MinPct, kMtp1MaxPct, "mth1_medial", mtp1_clamped_);
    const double x5 = clamp_station(mth5_->position_mm.x(), kMtp5MinPct, kMtp5MaxPct, "mth5_lateral", mtp5_clamped_);
    mtp_medial_ = Vector2d(x1, mth1_->position_mm.y());
    mtp_lateral_ = Vector2d(x5, mth5_->position_mm.y());
    if (!(mtp_medial_.y() > mtp_lateral_.y()))
      throw Error(ErrorCode::invalid_input, "nerves",
                  "mth1_medial (y = " + std::to_string(mtp_medial_.y()) + ") is not medial of mth5_lateral (y = " +
                      std::to_string(mtp_lateral_.y()) + "): not a right foot in the foot frame");

    place_malleoli();
  }

  double length() const { return L_; }
  double x_at(double pct) const { return pternion_->position_mm.x() + pct / 100.0 * L_; }
  std::vector<std::string>& warnings() { return warnings_; }

  /// Point of the MTP line at fraction `f` from its medial end (xy).
  Vector2d mtp(double f) const { return mtp_medial_ + f * (mtp_lateral_ - mtp_medial_); }
  /// The ray through the MTP line at fraction f and the pternion, evaluated at station x (xy).
  Vector2d ray(double f, double x) const {
    const Vector2d head = mtp(f);
    const double s = (x - heel_.x()) / (head.x() - heel_.x());
    return heel_ + s * (head - heel_);
  }

  // Landmark confidences for the nerves that use them.
  double conf_mtp() const {
    return 0.5 * (mth1_->confidence * (mtp1_clamped_ ? kClampedFactor : 1.0) +
                  mth5_->confidence * (mtp5_clamped_ ? kClampedFactor : 1.0));
  }
  double conf_mth5() const { return mth5_->confidence * (mtp5_clamped_ ? kClampedFactor : 1.0); }
  double conf_mth1() const { return mth1_->confidence * (mtp1_clamped_ ? kClampedFactor : 1.0); }
  double conf_ankle() const { return 0.5 * (conf_malleolus_[0] + conf_malleolus_[1]); }
  double conf_lateral_malleolus() const { return conf_malleolus_[0]; }
  double conf_pternion() const { return pternion_->confidence; }
  const Vector3d& lateral_malleolus() const { return malleolus_[0]; }
  double mth1_z() const { return mth1_->position_mm.z(); }
  double mth5_z() const { return mth5_->position_mm.z(); }
  double mtp5_x() const { return mtp_lateral_.x(); }
  double mtp1_x() const { return mtp_medial_.x(); }

  /// Puts a station on the surface; `missed` counts lines that missed (fallback: nearest surface point).
  Station place(Kind kind, const Vector3d& p, int& missed) {
    std::optional<Vector3d> hit;
    switch (kind) {
      case Kind::dorsal:  // topmost crossing of the vertical through (x, y)
        hit = surface_.outermost(Vector3d(p.x(), p.y(), kDorsalLineStartMm), Vector3d::UnitZ(), 0.0);
        break;
      case Kind::lateral:  // most lateral crossing of the transverse line through (x, z)
        hit = surface_.outermost(Vector3d(p.x(), heel_.y(), p.z()), -Vector3d::UnitY(), -kInf);
        break;
      case Kind::joplin:  // outermost crossing of the plantar-medial diagonal through p
        hit =
            surface_.outermost(p, Vector3d(0, std::cos(deg(kJoplinAngleDeg)), -std::sin(deg(kJoplinAngleDeg))), -kInf);
        break;
      case Kind::ankle:  // ankle stations come from ankle_front(); here only their nearest point
      case Kind::nearest:
        break;
    }
    if (!hit) {
      if (kind != Kind::nearest) ++missed;  // reported once per nerve by the caller
      hit = surface_.nearest(p);
    }
    return {kind, *hit};
  }

  /// Ankle-front station at fraction `f` of the malleolar line from the lateral malleolus.
  Station ankle_front(double f, int& missed, bool& fallback, const std::string& what) {
    const Vector3d p = malleolus_[0] + f * (malleolus_[1] - malleolus_[0]);
    const Vector3d d(std::cos(deg(kAnkleFrontElevationDeg)), 0, std::sin(deg(kAnkleFrontElevationDeg)));
    const double below_top = top_z_ - kTopCutMarginMm;
    const auto hit = surface_.outermost(p, d, 0.0);
    if (hit && hit->x() >= x_at(kAnkleFrontMinPct) && hit->x() <= x_at(kAnkleFrontMaxPct) && hit->z() < below_top)
      return {Kind::ankle, *hit};
    fallback = true;
    for (double pct = kAnkleFrontFallbackPct; pct <= kAnkleFrontMaxPct + 1e-9; pct += kAnkleFrontStepPct) {
      const auto top = surface_.outermost(Vector3d(x_at(pct), p.y(), kDorsalLineStartMm), Vector3d::UnitZ(), 0.0);
      if (top && top->z() < below_top) {
        warnings_.push_back(what + ": no ankle front ahead of the malleoli; dorsal point at " +
                            std::to_string(static_cast<int>(std::lround(pct))) + " % of length used");
        return {Kind::dorsal, *top};
      }
    }
    warnings_.push_back(what + ": no ankle front below the top of the scan up to " +
                        std::to_string(static_cast<int>(kAnkleFrontMaxPct)) + " % of length; dorsal point there used");
    return place(Kind::dorsal, Vector3d(x_at(kAnkleFrontMaxPct), p.y(), p.z()), missed);
  }

  /// Samples the polyline through the stations, each sample on the surface: between two stations of the same
  /// line kind by that kind of line, otherwise at the nearest surface point.
  std::vector<Vector3d> path(const std::vector<Station>& st, int& missed) {
    std::vector<Vector3d> out{st.front().point};
    for (std::size_t i = 1; i < st.size(); ++i) {
      const Vector3d a = st[i - 1].point, b = st[i].point;
      const int n = std::max(1, static_cast<int>(std::ceil((b - a).norm() / kSampleStepMm)));
      const bool same = st[i - 1].kind == st[i].kind && st[i].kind != Kind::ankle;
      for (int k = 1; k < n; ++k) {
        const Vector3d q = a + (b - a) * (static_cast<double>(k) / n);
        out.push_back(same ? place(st[i].kind, q, missed).point : surface_.nearest(q));
      }
      out.push_back(b);
    }
    return out;
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  double clamp_station(double x, double lo_pct, double hi_pct, const std::string& name, bool& clamped) {
    const double lo = x_at(lo_pct), hi = x_at(hi_pct);
    clamped = !(x >= lo && x <= hi);
    if (!clamped) return x;
    const double c = std::clamp(x, lo, hi);
    warnings_.push_back(name + " at " + std::to_string(static_cast<int>(std::lround((x - x_at(0)) / L_ * 100))) +
                        " % of length is outside " + std::to_string(static_cast<int>(lo_pct)) + "-" +
                        std::to_string(static_cast<int>(hi_pct)) + " %; MTP line put at " +
                        std::to_string(static_cast<int>(std::lround((c - x_at(0)) / L_ * 100))) + " %");
    return c;
  }

  void place_malleoli() {
    const auto* med = lm_.find("malleolus_medial");
    const auto* lat = lm_.find("malleolus_lateral");
    auto usable = [](const measure::Landmark* l) {
      return l && l->position_mm.allFinite() && l->position_mm.z() >= kMinMalleolusHeightMm;
    };
    if (usable(med) && usable(lat) && med->position_mm.y() - lat->position_mm.y() >= kMinMalleolarBreadthMm) {
      malleolus_[0] = lat->position_mm;
      malleolus_[1] = med->position_mm;
      conf_malleolus_[0] = lat->confidence;
      conf_malleolus_[1] = med->confidence;
      return;
    }
    const std::string why = med || lat ? "malleoli not usable (below " +
                                             std::to_string(static_cast<int>(kMinMalleolusHeightMm)) +
                                             " mm, one missing or less than " +
                                             std::to_string(static_cast<int>(kMinMalleolarBreadthMm)) + " mm apart)"
                                       : std::string("no malleoli (scan cut low)");
    warnings_.push_back(why + ": ankle estimated at " + std::to_string(static_cast<int>(kEstimatedAnklePct)) +
                        " % of length, " + std::to_string(static_cast<int>(kEstimatedAnkleHeightPct)) +
                        " % of length high");
    const Vector3d c(x_at(kEstimatedAnklePct), heel_.y(), kEstimatedAnkleHeightPct / 100.0 * L_);
    for (int side = 0; side < 2; ++side) {
      const Vector3d dir = side == 0 ? Vector3d(-Vector3d::UnitY()) : Vector3d(Vector3d::UnitY());
      const auto hit = surface_.outermost(c, dir, 0.0);
      // No side wall there (a very low cut): a nominal half-breadth keeps the malleolar line sane.
      malleolus_[side] = hit ? *hit : Vector3d(c + dir * kNominalAnkleHalfBreadthPct / 100.0 * L_);
      conf_malleolus_[side] = kEstimatedLandmarkConfidence;
    }
  }

  Surface surface_;
  const measure::Result& lm_;
  double top_z_ = 0;  // top of the scan (a cut: the ankle front must lie below it)
  const measure::Landmark *pternion_ = nullptr, *akropodion_ = nullptr, *mth1_ = nullptr, *mth5_ = nullptr;
  double L_ = 0;
  Vector2d heel_ = Vector2d::Zero();
  Vector2d mtp_medial_ = Vector2d::Zero(), mtp_lateral_ = Vector2d::Zero();
  bool mtp1_clamped_ = false, mtp5_clamped_ = false;
  Vector3d malleolus_[2] = {Vector3d::Zero(), Vector3d::Zero()};  // lateral, medial
  double conf_malleolus_[2] = {0, 0};
  std::vector<std::string> warnings_;
};

Vector3d xyz(const Vector2d& xy, double z) { return Vector3d(xy.x(), xy.y(), z); }

double point_segment_distance(const Vector3d& p, const Vector3d& a, const Vector3d& b) {
  const Vector3d ab = b - a;
  const double l2 = ab.squaredNorm();
  const double t = l2 > 0 ? std::clamp((p - a).dot(ab) / l2, 0.0, 1.0) : 0.0;
  return (p - (a + t * ab)).norm();
}

}  // namespace

void Options::validate() const {
  if (!(near_mm >= 1 && near_mm <= 40))
    throw Error(ErrorCode::usage, "nerves", "near_mm = " + std::to_string(near_mm) + " must be in [1, 40] mm");
}

Atlas build_atlas(const Geometry& foot, const measure::Result& landmarks, const Options& options) {
  options.validate();
  if (foot.vertices.empty()) throw Error(ErrorCode::invalid_input, "nerves", "the foot geometry is empty");
  std::size_t bad = 0;
  if (!all_finite(foot.vertices, &bad))
    throw Error(ErrorCode::invalid_input, "nerves", "vertex " + std::to_string(bad) + " is not finite");
  for (const auto& f : foot.faces)
    for (int k = 0; k < 3; ++k)
      if (f[k] < 0 || static_cast<std::size_t>(f[k]) >= foot.vertices.size())
        throw Error(ErrorCode::invalid_input, "nerves", "a face index is out of range: " + std::to_string(f[k]));

  Placer pl(foot, landmarks);
  const double L = pl.length();
  Atlas atlas;
  auto add = [&](const char* name, const char* lit, const char* label, const std::vector<Station>& st,
                 double confidence, int& missed) {
    Nerve n;
    n.name = name;
    n.literature = lit;
    n.label = label;
    n.path_mm = pl.path(st, missed);
    if (missed > 0)
      atlas.warnings.push_back(std::string(name) + ": " + std::to_string(missed) +
                               " surface line(s) missed the scan; nearest surface points used");
    for (int k = 0; k < missed; ++k) confidence *= kMissedLineFactor;
    n.confidence = std::clamp(confidence, 0.0, 1.0);
    atlas.nerves.push_back(std::move(n));
  };
  // Dorsal station on ray fraction f at station x (the z of the input point is irrelevant for dorsal lines).
  auto on_ray = [&](double f, double x) { return xyz(pl.ray(f, x), 0.0); };

  // literature.md A1: deep peroneal nerve, ankle front -> talonavicular joint (between rays 1 and 2) -> 1st web.
  {
    int missed = 0;
    bool fallback = false;
    std::vector<Station> st;
    st.push_back(pl.ankle_front(kDeepPeronealFromLateral, missed, fallback, "deep_peroneal"));
    st.push_back(pl.place(Kind::dorsal, on_ray(kWeb1Frac, pl.x_at(kTalonavicularPct)), missed));
    st.push_back(pl.place(Kind::dorsal, xyz(pl.mtp(kWeb1Frac), 0.0), missed));
    if (const auto* nav = landmarks.find("navicular"); nav && st[1].point.y() >= nav->position_mm.y())
      atlas.warnings.push_back("deep_peroneal: the talonavicular station is not lateral of the navicular landmark");
    const double c =
        (pl.conf_ankle() * (fallback ? kAnkleFallbackFactor : 1.0) + 2 * pl.conf_mtp() + pl.conf_pternion()) / 4.0;
    add("deep_peroneal", "A1",
        "deep peroneal nerve (top of the foot, over the talonavicular joint to the 1st web space)", st, c, missed);
  }
  // literature.md A2: superficial peroneal medial and intermediate dorsal cutaneous branches.
  const struct {
    const char* name;
    const char* label;
    double from_lateral, ray;
  } sp[] = {{"superficial_peroneal_medial",
             "superficial peroneal nerve, medial dorsal cutaneous branch (top of the foot, toward toes 1-3)",
             kSpMedialFromLateral, kToe2Frac},
            {"superficial_peroneal_intermediate",
             "superficial peroneal nerve, intermediate dorsal cutaneous branch (top of the foot, toward toes 3-5)",
             kSpIntermediateFromLateral, kToe4Frac}};
  for (const auto& b : sp) {
    int missed = 0;
    bool fallback = false;
    std::vector<Station> st;
    st.push_back(pl.ankle_front(b.from_lateral, missed, fallback, b.name));
    const Vector2d end = pl.mtp(b.ray);
    const Vector3d& a = st[0].point;
    const double xm = pl.x_at(kMidDorsumPct);
    const double s = std::clamp((xm - a.x()) / (end.x() - a.x()), 0.0, 1.0);
    st.push_back(pl.place(Kind::dorsal, Vector3d(xm, a.y() + s * (end.y() - a.y()), 0.0), missed));
    st.push_back(pl.place(Kind::dorsal, xyz(end, 0.0), missed));
    const double c = (pl.conf_ankle() * (fallback ? kAnkleFallbackFactor : 1.0) + 2 * pl.conf_mtp()) / 3.0;
    add(b.name, "A2", b.label, st, c, missed);
  }
  // literature.md A3: sural nerve, behind/below the lateral malleolus -> lateral border -> 5th metatarsal
  // tuberosity -> lateral 5th metatarsal head -> little toe.
  {
    int missed = 0;
    const Vector3d& lat = pl.lateral_malleolus();
    const Vector3d start(lat.x() - kSuralBehindTipMm, lat.y(),
                         lat.z() - kMalleolusTipBelowProminenceMm - kSuralBelowTipMm);
    const Vector3d tub(pl.x_at(kMt5TuberosityPct), 0, kMt5TuberosityHeightPct / 100.0 * L);
    std::vector<Station> st;
    st.push_back(pl.place(Kind::lateral, start, missed));
    st.push_back(pl.place(Kind::lateral, 0.5 * (start + tub), missed));
    st.push_back(pl.place(Kind::lateral, tub, missed));
    st.push_back(pl.place(Kind::lateral, Vector3d(pl.mtp5_x(), 0, pl.mth5_z()), missed));
    st.push_back(pl.place(Kind::lateral,
                          Vector3d(pl.mtp5_x() + kLittleToeAheadPct / 100.0 * L, 0, kLittleToeHeightPct / 100.0 * L),
                          missed));
    const double c = (pl.conf_lateral_malleolus() + pl.conf_mth5() + pl.conf_pternion()) / 3.0;
    add("sural", "A3", "sural nerve (outer side of the heel and foot, to the little toe)", st, c, missed);
  }
  // literature.md A4: interdigital nerves between the metatarsal heads (webs 2 and 3). The nerve lies deep, plantar
  // to the deep transverse metatarsal ligament; the path is drawn on the dorsal skin over the intermetatarsal space,
  // the skin a toe box presses on (A4: narrow toe boxes squeeze the heads). See the header.
  const struct {
    const char* name;
    const char* label;
    double web;
  } id[] = {{"interdigital_2nd_web",
             "interdigital nerve, 2nd web (top of the forefoot between the 2nd and 3rd metatarsal heads; the nerve "
             "lies deep, toward the sole)",
             kWeb2Frac},
            {"interdigital_3rd_web",
             "interdigital nerve, 3rd web (top of the forefoot between the 3rd and 4th metatarsal heads, the usual "
             "Morton's neuroma site; the nerve lies deep, toward the sole)",
             kWeb3Frac}};
  for (const auto& w : id) {
    int missed = 0;
    const double x = pl.mtp(w.web).x();
    std::vector<Station> st;
    st.push_back(pl.place(Kind::dorsal, xyz(pl.ray(w.web, x - kInterdigitalBehindMm), 0.0), missed));
    st.push_back(pl.place(Kind::dorsal, xyz(pl.ray(w.web, x + kInterdigitalAheadMm), 0.0), missed));
    add(w.name, "A4", w.label, st, pl.conf_mtp(), missed);
  }
  // literature.md A5: Joplin's nerve, plantar-medial at the 1st MTP joint.
  {
    int missed = 0;
    const double x = pl.mtp1_x();
    std::vector<Station> st;
    st.push_back(pl.place(Kind::joplin, xyz(pl.ray(kRay1Frac, x - kJoplinBehindMm), pl.mth1_z()), missed));
    st.push_back(pl.place(Kind::joplin, xyz(pl.ray(kRay1Frac, x + kJoplinAheadMm), pl.mth1_z()), missed));
    add("joplin", "A5", "Joplin's nerve (inner side of the big toe joint, sole side)", st, pl.conf_mth1(), missed);
  }

  atlas.warnings.insert(atlas.warnings.begin(), pl.warnings().begin(), pl.warnings().end());
  for (const auto& n : atlas.nerves)
    for (const auto& p : n.path_mm)
      if (!p.allFinite()) throw Error(ErrorCode::internal, "nerves", n.name + ": a path point is not finite");
  return atlas;
}

Nearest nearest_nerves(const Atlas& atlas, const std::vector<Eigen::Vector3d>& points, const Options& options) {
  options.validate();
  Nearest out;
  out.nerve.assign(points.size(), -1);
  out.distance_mm.assign(points.size(), kNoNerveDistanceMm);
  // A box around each path, grown by near_mm, skips nerves that cannot be within reach.
  std::vector<Eigen::AlignedBox3d> boxes;
  for (const auto& n : atlas.nerves) {
    Eigen::AlignedBox3d b;
    for (const auto& p : n.path_mm) b.extend(p);
    boxes.push_back(b);
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Vector3d& p = points[i];
    if (!p.allFinite())
      throw Error(ErrorCode::invalid_input, "nerves", "point " + std::to_string(i) + " is not finite");
    for (std::size_t k = 0; k < atlas.nerves.size(); ++k) {
      const auto& path = atlas.nerves[k].path_mm;
      if (path.empty() || boxes[k].exteriorDistance(p) > options.near_mm) continue;
      double d = path.size() == 1 ? (p - path[0]).norm() : kNoNerveDistanceMm;
      for (std::size_t s = 1; s < path.size(); ++s) d = std::min(d, point_segment_distance(p, path[s - 1], path[s]));
      if (d <= options.near_mm && d < out.distance_mm[i]) {
        out.distance_mm[i] = d;
        out.nerve[i] = static_cast<int>(k);
      }
    }
  }
  return out;
}

}  // namespace fitcheck::nerves
