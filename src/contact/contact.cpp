#include "contact/contact.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "foot/foot.hpp"
#include "save/save.hpp"

namespace fitcheck::contact {

namespace {
[[noreturn]] void bad(const std::string& what) { throw Error(ErrorCode::usage, "contact", what); }
bool finite_pos(double v) { return std::isfinite(v) && v > 0; }
}  // namespace

double laplace_kpa(double n1, double r1, double n2, double r2) {
  if (!(std::isfinite(n1) && std::isfinite(n2) && n1 >= 0 && n2 >= 0)) bad("membrane tensions must be finite and >= 0");
  if (!(r1 > 0 && r2 > 0)) bad("radii must be > 0 (use a huge radius for a flat direction)");
  return (n1 / r1 + n2 / r2) * 1000.0;  // N/mm^2 = MPa -> kPa
}

double band_tension_n_per_mm(const Band& b, double girth_mm) {
  if (!finite_pos(b.relaxed_circumference_mm) || !finite_pos(b.modulus_n_per_mm) || !(b.thickness_mm >= 0))
    bad("band needs a relaxed circumference > 0, a modulus > 0 and a thickness >= 0");
  if (!finite_pos(girth_mm)) bad("girth must be > 0");
  const double strain = std::max(0.0, girth_mm - b.relaxed_circumference_mm) / b.relaxed_circumference_mm;
  return b.modulus_n_per_mm * strain;
}

double band_pressure_kpa(const Band& b, double girth_mm, double radius_mm) {
  if (!finite_pos(radius_mm)) bad("radius must be > 0");
  // literature.md P6: Laplace with the tension at the fabric's mid-thickness.
  return laplace_kpa(band_tension_n_per_mm(b, girth_mm), radius_mm + 0.5 * b.thickness_mm);
}

double hosiery_mmhg(double tension_kgf, int layers, double circumference_cm, double width_cm) {
  if (!(tension_kgf >= 0) || layers < 1 || !finite_pos(circumference_cm) || !finite_pos(width_cm))
    bad("hosiery formula needs tension >= 0, layers >= 1, circumference and width > 0");
  return tension_kgf * layers * 4620.0 / (circumference_cm * width_cm);  // literature.md P6
}

void Foundation::validate() const {
  if (!finite_pos(tissue_thickness_mm) || !finite_pos(tissue_modulus_kpa) ||
      !(std::isfinite(lining_thickness_mm) && lining_thickness_mm >= 0) || !finite_pos(lining_modulus_kpa))
    bad("foundation thicknesses must be finite and >= 0 (tissue > 0) and moduli finite and > 0");
}

double winkler_stiffness_kpa_per_mm(const Foundation& f) {
  f.validate();
  // Two layers in series: strain_i = p / E_i, so delta = p (t1/E1 + t2/E2).
  return 1.0 / (f.tissue_thickness_mm / f.tissue_modulus_kpa + f.lining_thickness_mm / f.lining_modulus_kpa);
}

double winkler_kpa(double interference_mm, const Foundation& f) {
  if (!std::isfinite(interference_mm)) bad("interference must be finite");
  return winkler_stiffness_kpa_per_mm(f) * std::max(0.0, interference_mm);
}

double fully_compressed_mm(const Foundation& f) {
  // A layer of no thickness (no lining) takes no part: the tissue alone then ends the range.
  const double softer = f.lining_thickness_mm > 0 ? std::min(f.tissue_modulus_kpa, f.lining_modulus_kpa) : f.tissue_modulus_kpa;
  return softer / winkler_stiffness_kpa_per_mm(f);
}

double capstan(double tension_in_n, double mu, double wrap_rad) {
  if (!(tension_in_n >= 0) || !(mu >= 0 && mu <= 2) || !(wrap_rad >= 0 && wrap_rad <= 4 * std::numbers::pi))
    bad("capstan needs tension >= 0, mu in [0, 2], wrap angle in [0, 4 pi] rad");
  return tension_in_n * std::exp(-mu * wrap_rad);  // literature.md P7
}

std::vector<double> mean_curvature(const Geometry& m) {
  if (!m.is_mesh()) throw Error(ErrorCode::invalid_input, "contact", "curvature needs a triangle mesh");
  const std::size_t n = m.vertices.size();
  std::vector<Eigen::Vector3d> lap(n, Eigen::Vector3d::Zero());
  for (const auto& f : m.faces)
    for (int k = 0; k < 3; ++k) {
      const int i = f[(k + 1) % 3], j = f[(k + 2) % 3];
      const Eigen::Vector3d e1 = m.vertices[i] - m.vertices[f[k]], e2 = m.vertices[j] - m.vertices[f[k]];
      const double cross = e1.cross(e2).norm();
      if (!(cross > 0)) continue;
      const double cot = e1.dot(e2) / cross;
      const Eigen::Vector3d d = m.vertices[j] - m.vertices[i];
      lap[i] += 0.5 * cot * d;
      lap[j] -= 0.5 * cot * d;
    }
  const std::vector<double> area = foot::vertex_weights(m);
  const std::vector<Eigen::Vector3d> nrm = save::vertex_normals(m);
  std::vector<double> h(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    if (area[i] > 0) h[i] = -lap[i].dot(nrm[i]) / (2.0 * area[i]);  // Laplace-Beltrami of position = -2 H n
  return h;
}

std::vector<double> smoothed_over(const Geometry& m, std::vector<double> v, double radius_mm) {
  if (!(radius_mm >= 0 && radius_mm <= 50)) bad("the smoothing radius must be in [0, 50] mm");
  if (!m.is_mesh()) throw Error(ErrorCode::invalid_input, "contact", "smoothing needs a triangle mesh");
  const std::size_t n = m.vertices.size();
  if (v.size() != n) throw Error(ErrorCode::internal, "contact", "one value per vertex expected");
  if (radius_mm == 0) return v;
  // Neighbours from the faces in compressed rows, no sort: each face lists both other corners of each corner, so a
  // neighbour across an interior edge appears twice (once per face) and across a border edge once; the vertex
  // itself counts twice to match.
  std::vector<std::size_t> first(n + 1, 0);
  for (const auto& f : m.faces)
    for (int k = 0; k < 3; ++k) first[static_cast<std::size_t>(f[k]) + 1] += 2;
  for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<int> nb(first.back());
  double edge_sum = 0;
  std::size_t edge_count = 0;
  {
    std::vector<std::size_t> fill(first.begin(), first.end() - 1);
    for (const auto& f : m.faces)
      for (int k = 0; k < 3; ++k) {
        const std::size_t a = static_cast<std::size_t>(f[k]);
        nb[fill[a]++] = f[(k + 1) % 3];
        nb[fill[a]++] = f[(k + 2) % 3];
        if (f[k] != f[(k + 1) % 3])  // a face with a repeated corner has a zero-length edge: not a mesh spacing
          edge_sum += (m.vertices[a] - m.vertices[static_cast<std::size_t>(f[(k + 1) % 3])]).norm(), ++edge_count;
      }
  }
  if (edge_count == 0) return v;
  const double edge = edge_sum / static_cast<double>(edge_count);
  const int rounds = static_cast<int>(std::min(400.0, std::ceil(std::pow(radius_mm / edge, 2))));
  const std::vector<double> area = foot::vertex_weights(m);
  // Each round is next_i = (2 a_i v_i + sum a_k v_k) / (2 a_i + sum a_k). The denominators do not change between
  // rounds and the products a_k v_k are the same for every neighbour that reads them: both are made once per round
  // (products) or once (denominators), with the same operations in the same order as summing them in place.
  std::vector<double> weight(n);
  for (std::size_t i = 0; i < n; ++i) {
    double w = 2 * area[i];
    for (std::size_t j = first[i]; j < first[i + 1]; ++j) w += area[static_cast<std::size_t>(nb[j])];
    weight[i] = w;
  }
  std::vector<double> next(n), av(n);
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < n; ++i) av[i] = area[i] * v[i];
    for (std::size_t i = 0; i < n; ++i) {
      double s = 2 * av[i];
      for (std::size_t j = first[i]; j < first[i + 1]; ++j) s += av[static_cast<std::size_t>(nb[j])];
      next[i] = weight[i] > 0 ? s / weight[i] : v[i];
    }
    v.swap(next);
  }
  return v;
}

std::vector<double> membrane_pressure_kpa(const Geometry& m, const std::vector<double>& tension) {
  if (tension.size() != m.vertices.size())
    throw Error(ErrorCode::internal, "contact", "one membrane tension per vertex expected");
  const std::vector<double> h = mean_curvature(m);
  std::vector<double> p(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (!(std::isfinite(tension[i]) && tension[i] >= 0)) bad("membrane tensions must be finite and >= 0");
    p[i] = h[i] > 0 ? 2.0 * tension[i] * h[i] * 1000.0 : 0.0;  // N/mm * 1/mm = MPa -> kPa
  }
  return p;
}

}  // namespace fitcheck::contact
