// Core value types shared by every stage: a triangle mesh or point cloud in millimetres, and small geometric
// queries on it (bounding box, spread/degeneracy, topology, welding). No third-party types beyond Eigen.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fitcheck {

/// A mesh (faces non-empty) or a point cloud (faces empty). Positions in millimetres inside the program.
struct Geometry {
  std::vector<Eigen::Vector3d> vertices;  ///< positions, mm
  std::vector<Eigen::Vector3i> faces;     ///< triangles, 0-based indices into vertices, counter-clockwise outward
  bool is_mesh() const noexcept { return !faces.empty(); }
};

/// Per-vertex scalar field (e.g. pressure in kPa); values.size() == vertices.size().
struct VertexField {
  std::string name;           ///< attribute name as written to files, e.g. "pressure_kpa"
  std::vector<double> values;
};

struct BoundingBox {
  Eigen::Vector3d min = Eigen::Vector3d::Zero();
  Eigen::Vector3d max = Eigen::Vector3d::Zero();
  Eigen::Vector3d extent() const { return max - min; }
};

/// Axis-aligned bounding box; zero box for an empty set.
BoundingBox bounding_box(const std::vector<Eigen::Vector3d>& points);

/// Principal axes of a (weighted) point set: mean, and covariance eigenvalues ascending with their unit eigenvectors
/// as columns (column 2 = direction of largest spread).
struct PrincipalAxes {
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  Eigen::Vector3d eigenvalues = Eigen::Vector3d::Zero();
  Eigen::Matrix3d axes = Eigen::Matrix3d::Identity();
};
/// `weights` empty = all 1; otherwise one non-negative weight per point with a positive sum.
PrincipalAxes principal_axes(const std::vector<Eigen::Vector3d>& points, const std::vector<double>& weights = {});

/// A point farther from the set's coordinate-wise median than this times the 90th percentile of those distances is
/// a stray point (a wall or a table seen behind a phone scan). The points of a foot, a last, a floor patch around a
/// foot or a leg lie within about 1.5 times it; an estimate with room to spare.
constexpr double kStrayDistanceFactor = 3.0;

/// Per point, 1 when it is a stray point (kStrayDistanceFactor). 300 points 1.5 m behind a 60k-point phone scan made
/// it 1.79 file units long, so that no unit fitted (load), and inflated the outlier statistics so that the scan's own
/// noise stayed and its floor was not found (clean) (review).
std::vector<std::uint8_t> stray_points(const std::vector<Eigen::Vector3d>& points);

/// True when every coordinate is finite; `first_bad` gets the index of the first non-finite vertex.
bool all_finite(const std::vector<Eigen::Vector3d>& points, std::size_t* first_bad = nullptr);

/// How many independent directions a point set spans (principal axes of its covariance).
enum class Spread { identical, collinear, coplanar, volumetric };
/// `rel_tol`: a principal standard deviation below rel_tol x the largest one counts as zero (dimensionless).
Spread classify_spread(const std::vector<Eigen::Vector3d>& points, double rel_tol = 1e-4);
const char* spread_name(Spread s) noexcept;

/// Edge-based topology of a triangle mesh.
struct Topology {
  bool closed = false;                    ///< no boundary edges, edge-manifold, and a face with three corners
  bool edge_manifold = false;             ///< every edge has one or two faces
  bool vertex_manifold = false;           ///< every vertex's faces form one fan
  bool oriented = false;                  ///< each interior edge is used once in each direction
  std::size_t boundary_edges = 0;         ///< edges with exactly one face
  std::size_t non_manifold_edges = 0;     ///< edges with three or more faces
  std::size_t non_manifold_vertices = 0;  ///< vertices whose faces form more than one fan
  std::size_t holes = 0;                  ///< boundary loops (connected components of boundary edges)
  std::size_t degenerate_faces = 0;       ///< faces with a repeated vertex index
  std::size_t unreferenced_vertices = 0;  ///< vertices used by no face
  bool manifold() const noexcept { return edge_manifold && vertex_manifold; }
};
/// Precondition: every face index < vertices.size() (the loaders guarantee it).
Topology analyze_topology(const Geometry& mesh);

/// Indices of vertices on boundary edges (edges used by exactly one face), ascending.
std::vector<int> boundary_vertices(const Geometry& mesh);

/// Signed volume enclosed by a closed mesh (positive when faces wind outward), mm^3 for mm input.
double signed_volume(const Geometry& mesh);

/// Merge vertices with bit-identical positions (STL files repeat each corner per triangle), drop faces that became
/// degenerate. Returns the number of vertices removed.
std::size_t weld_identical_vertices(Geometry& mesh);

/// Multiply every position by `factor` (unit conversion).
void scale(Geometry& g, double factor);

/// The element at rank floor(q * n) of `values` in ascending order (q in [0, 1]; q = 1 gives the largest), found with
/// a partial sort of the copy. 0.5: the upper median of an even count. Throws Error(internal) when empty.
double quantile(std::vector<double> values, double q);

/// Hermite smoothstep: 0 for x <= a, 1 for x >= b, 3t^2 - 2t^3 with t = (x - a) / (b - a) between. Precondition a < b.
double smoothstep(double a, double b, double x);

/// Lower convex hull of 2D points (Andrew's monotone chain): vertices with x strictly ascending (of points sharing an
/// x only the lowest can be on it).
std::vector<Eigen::Vector2d> lower_hull(std::vector<Eigen::Vector2d> points);

}  // namespace fitcheck
