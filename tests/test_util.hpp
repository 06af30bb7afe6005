// Helpers shared by the test executables: temporary folders, writing small files, running the CLI.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <Eigen/Geometry>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <numeric>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "foot/foot.hpp"
#include "load/load.hpp"
#include "synth/synth.hpp"

// Printing for Boost.Test messages (found by ADL).
namespace fitcheck {
inline std::ostream& operator<<(std::ostream& o, ErrorCode c) { return o << error_code_name(c); }
inline std::ostream& operator<<(std::ostream& o, Spread s) { return o << spread_name(s); }
namespace load {
inline std::ostream& operator<<(std::ostream& o, Unit u) { return o << unit_name(u); }
}  // namespace load
namespace foot {
inline std::ostream& operator<<(std::ostream& o, Side s) { return o << side_name(s); }
}  // namespace foot
}  // namespace fitcheck

namespace fitcheck::test {

inline std::filesystem::path shared_data(const std::string& rel) {
  return std::filesystem::path(FITCHECK_SHARED_DATA) / rel;
}
inline std::filesystem::path source_dir() { return std::filesystem::path(FITCHECK_SOURCE_DIR); }

/// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fitcheck-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Rows of a comma-separated file, the header first (no quoting: the shared data's CSVs have none). Throws when the
/// file is missing (tests read ../shared/data).
inline std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error(p.string() + " is missing: tests read ../shared/data");
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

/// Keypoint vertex indices (column name -> 0-based index into find-template.obj) of one row of
/// find-template-keypoints.csv. ../shared/data/README.md names row 0015-A-templ, but its indices land on impossible
/// places for this mesh; row FIND fits it (see tests/foot/test_foot.cpp). Throws for an unknown row.
inline std::map<std::string, int> find_template_keypoints(const std::string& row_name) {
  const auto rows = read_csv(shared_data("scans/find-template-keypoints.csv"));
  for (std::size_t r = 1; r < rows.size(); ++r)
    if (!rows[r].empty() && rows[r][0] == row_name) {
      std::map<std::string, int> out;
      for (std::size_t i = 1; i < rows[r].size() && i < rows[0].size(); ++i) out[rows[0][i]] = std::stoi(rows[r][i]);
      return out;
    }
  throw std::runtime_error("row " + row_name + " not in find-template-keypoints.csv");
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}
inline void write_bytes(const std::filesystem::path& p, const std::vector<char>& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
inline std::vector<char> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<char> b(n);
  for (auto& c : b) c = static_cast<char>(rng() & 0xFF);
  return b;
}

/// A coarse synthetic foot (40 x 24 sections, ~1k vertices) for format and writer round trips.
inline const Geometry& sample_foot() {
  static const Geometry g = [] {
    synth::FootShape s;
    s.rings = 40;
    s.ring_points = 24;
    return synth::make_foot(s);
  }();
  return g;
}

/// Writes points (and optional triangles) as an ascii PLY.
inline void write_ascii_ply(const std::filesystem::path& p, const std::vector<Eigen::Vector3d>& v,
                            const std::vector<Eigen::Vector3i>& f = {}) {
  std::ostringstream s;
  s.precision(10);
  s << "ply\nformat ascii 1.0\nelement vertex " << v.size() << "\nproperty float x\nproperty float y\nproperty float z\n";
  if (!f.empty()) s << "element face " << f.size() << "\nproperty list uchar int vertex_indices\n";
  s << "end_header\n";
  for (const auto& q : v) s << q.x() << ' ' << q.y() << ' ' << q.z() << '\n';
  for (const auto& t : f) s << "3 " << t[0] << ' ' << t[1] << ' ' << t[2] << '\n';
  write_text(p, s.str());
}

/// Writes "x y z" lines.
inline void write_xyz(const std::filesystem::path& p, const std::vector<Eigen::Vector3d>& v) {
  std::ostringstream s;
  s.precision(10);
  for (const auto& q : v) s << q.x() << ' ' << q.y() << ' ' << q.z() << '\n';
  write_text(p, s.str());
}

/// `n` points spread over an ellipsoid of the given semi-axes (deterministic): a plausible blob.
inline std::vector<Eigen::Vector3d> ellipsoid_points(std::size_t n, const Eigen::Vector3d& semi_axes, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd;
  std::vector<Eigen::Vector3d> pts;
  pts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Eigen::Vector3d d(nd(rng), nd(rng), nd(rng));
    pts.push_back(d.normalized().cwiseProduct(semi_axes));
  }
  return pts;
}

struct CliRun {
  int exit_code = -1;     ///< process exit status, or -1 when killed by a signal (a crash)
  int signal = 0;
  std::string out, err;
};

/// Runs the fitcheck binary with `args` (already shell-quoted where needed).
inline CliRun run_cli(const std::string& args) {
  TempDir io;
  const std::string cmd = std::string("'") + FITCHECK_CLI + "' " + args + " > '" + (io / "out").string() + "' 2> '" +
                          (io / "err").string() + "' < /dev/null";
  const int status = std::system(cmd.c_str());
  CliRun r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = read_text(io / "out");
  r.err = read_text(io / "err");
  return r;
}

/// Single-quotes a path for the shell. (Built with a stream: GCC 12's -Wrestrict misfires on "'" + s + "'".)
inline std::string quote(const std::filesystem::path& p) {
  std::ostringstream s;
  s << '\'' << p.string() << '\'';
  return s.str();
}

/// A random rotation and a translation of up to 500 mm per axis (deterministic for a seed).
inline Eigen::Matrix4d random_rigid(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  const Eigen::Quaterniond q = Eigen::Quaterniond(u(rng), u(rng), u(rng), u(rng)).normalized();
  Eigen::Matrix4d t = Eigen::Matrix4d::Identity();
  t.topLeftCorner<3, 3>() = q.toRotationMatrix();
  t.topRightCorner<3, 1>() = Eigen::Vector3d(u(rng), u(rng), u(rng)) * 500.0;
  return t;
}

/// Vertices and faces in a random order (same shape).
inline Geometry shuffled(const Geometry& g, unsigned seed) {
  std::vector<int> perm(g.vertices.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), std::mt19937(seed));
  Geometry out;
  out.vertices.resize(g.vertices.size());
  std::vector<int> where(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) {
    out.vertices[i] = g.vertices[perm[i]];
    where[perm[i]] = static_cast<int>(i);
  }
  for (const auto& f : g.faces) out.faces.emplace_back(where[f[0]], where[f[1]], where[f[2]]);
  std::shuffle(out.faces.begin(), out.faces.end(), std::mt19937(seed + 1));
  return out;
}

/// Mirror image (x -> -x).
inline Geometry mirrored(const Geometry& g) {
  Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
  m(0, 0) = -1;  // any mirror plane: x -> -x
  return foot::transformed(g, m);
}

/// Closed cylinder along x from 0 to l, radius r, axis at height axis_z: `seg` segments per ring, `rings` rings,
/// flat caps fanned from a centre vertex. Outward winding.
inline Geometry closed_cylinder(double r, double l, int seg, int rings, double axis_z) {
  Geometry g;
  for (int i = 0; i < rings; ++i)
    for (int j = 0; j < seg; ++j) {
      const double a = 2 * std::numbers::pi * j / seg;
      g.vertices.emplace_back(l * i / (rings - 1), r * std::cos(a), axis_z + r * std::sin(a));
    }
  for (int i = 0; i + 1 < rings; ++i)
    for (int j = 0; j < seg; ++j) {
      const int a = i * seg + j, b = i * seg + (j + 1) % seg, c = a + seg, d = b + seg;
      g.faces.emplace_back(a, b, d);
      g.faces.emplace_back(a, d, c);
    }
  const int c0 = static_cast<int>(g.vertices.size());
  g.vertices.emplace_back(0, 0, axis_z);
  g.vertices.emplace_back(l, 0, axis_z);
  for (int j = 0; j < seg; ++j) {
    g.faces.emplace_back(c0, (j + 1) % seg, j);
    g.faces.emplace_back(c0 + 1, (rings - 1) * seg + j, (rings - 1) * seg + (j + 1) % seg);
  }
  return g;
}

}  // namespace fitcheck::test
