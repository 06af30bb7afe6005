// Stage `clean`: turn a raw scan into just the foot (ARCHITECTURE.md stage 2).
//
// Point clouds (phone scans) go through PCL: statistical outlier removal, voxel downsampling of large clouds, removal
// of a floor plane (RANSAC) when the plane reaches well beyond the rest of the scan (its inliers under the foot, in
// the footprint the rest projects onto it, are the sole standing on it and stay; Result::floor gives the scan's up
// direction, which src/measure uses to cut a long leg before the frame search), and the largest Euclidean
// cluster. Meshes (kiosk and CAD scans) keep their vertices here; faces wound inward or inconsistently are re-wound. For both, cut_leg() removes what lies above the
// ankle once the foot frame is known.
//
// reconstruct_surface() closes a point cloud with Poisson for its volume; fill_holes() closes meshes (CGAL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace fitcheck::clean {

struct Options {
  int outlier_neighbours = 20;          ///< k for statistical outlier removal; [4, 200]
  double outlier_std = 2.0;             ///< points beyond mean + std x sigma of k-NN distance go; [0.5, 10]
  std::size_t voxel_above_points = 150000;  ///< downsample clouds larger than this; [1000, 1e9]
  double voxel_mm = 2.0;                ///< voxel edge when downsampling, mm; [0.2, 10]
  double floor_distance_mm = 3.0;       ///< RANSAC inlier distance for the floor plane, mm; [0.5, 20]
  double floor_reach_mm = 25.0;         ///< a plane is a floor when its inliers reach this far beyond the rest, mm
  double cluster_tolerance_mm = 8.0;    ///< Euclidean clustering distance, mm; [1, 50]
  double smooth_radius_mm = 5.0;        ///< clouds: moving-least-squares smoothing radius, mm; 0 (off) or [1, 20]
  void validate() const;                ///< throws Error(usage)
};

/// A floor plane found in a point cloud: height(p) = up . p + offset, mm above the floor (up: unit, into the scan).
struct Floor {
  Eigen::Vector3d up = Eigen::Vector3d::UnitZ();
  double offset = 0;
  double height(const Eigen::Vector3d& p) const { return up.dot(p) + offset; }
};

struct Result {
  Geometry geometry;               ///< the cleaned foot (a point cloud for cloud input, the mesh unchanged otherwise)
  std::optional<Floor> floor;      ///< the floor plane removed from a cloud (the scan's up direction), if any
  std::vector<std::string> steps;  ///< what was done, with counts, for the report
  std::vector<std::string> warnings;  ///< what the user should know about the input (a mesh wound inward)
};

/// Cleans a scan in mm. Meshes keep their vertices; their faces are wound outward (orient_outward).
Result clean_scan(const Geometry& scan, const Options& options = {});

struct ReconstructOptions {
  double voxel_mm = 3.0;       ///< downsampling before normals and Poisson, mm; [0.5, 10]
  int depth = 7;               ///< Poisson octree depth (7: ~2.3 mm cells on a 300 mm box); [5, 11]
  int normal_neighbours = 20;  ///< k for normal estimation and orientation; [5, 200]
};

/// Closed surface through a point cloud (Open3D screened Poisson, normals oriented outward). Watertight, but it
/// bulges over missing parts: use it for the volume, not for landmarks. Throws did_not_converge when Poisson fails.
Geometry reconstruct_surface(const Geometry& cloud, const ReconstructOptions& options = {});

struct RepairOptions {
  std::size_t max_hole_edges = 2000;  ///< fill holes with at most this many border edges; [3, 1e7]
  double planar_tolerance_mm = 1.0;   ///< a border this close to a plane is capped flat (a cut), mm; [0, 10]
};
struct RepairResult {
  std::size_t holes_filled = 0;
  std::size_t faces_added = 0;
  std::vector<std::string> notes;
};
/// Fills the holes of a mesh (CGAL: triangulate, refine and fair each border cycle) so it encloses a volume; also
/// closes the flat top of a scan cut at the ankle. Point clouds pass unchanged.
RepairResult fill_holes(Geometry& mesh, const RepairOptions& options = {});

/// Winds a mesh's faces consistently and outward (normals out of the enclosed volume), as signed distances, volumes
/// and pressure normals assume: a file exported with inward normals, or with part of its faces flipped, would
/// otherwise read as inside out (a last's every clearance with the wrong sign; a negative volume). Faces wound
/// inconsistently are re-wound first (the faces CGAL orient_polygon_soup reverses; the copies it would make of
/// non-manifold vertices are not taken); then each connected part whose volume about its own centroid is negative has
/// all its faces reversed. Vertices keep their positions and order. Returns what was done, for the steps and warnings ("" when nothing was). Point
/// clouds pass unchanged.
std::string orient_outward(Geometry& mesh);

/// Removes everything above `cut_z_mm` (foot frame, sole at z = 0): the points of a cloud; a mesh is clipped exactly
/// at the plane (crossing triangles split, so the new border lies in the plane). Returns how many of the input
/// vertices lay above the plane.
std::size_t cut_above(Geometry& g, double cut_z_mm);

/// A coarser copy of a mesh with about `target_vertices` vertices, for screening (Open3D vertex clustering: the
/// vertices in each cubic cell, sized from the surface area, merge into their mean; triangles that collapse, and
/// repeats with the same winding, are dropped, and so are vertices no face uses). Fast (tens of ms for 50k vertices)
/// and shape-preserving to about a cell, but not topology-preserving: a closed foot comes out with a few non-manifold
/// edges and is then not closed, and thin parts may pinch. A mesh with at most `target_vertices` vertices, and a
/// point cloud, are returned unchanged. Error(usage) for a target below 100.
Geometry simplify(const Geometry& mesh, std::size_t target_vertices);

/// True when two triangles of the mesh that share no vertex intersect (CGAL exact predicates). Point clouds: false.
bool self_intersects(const Geometry& mesh);

}  // namespace fitcheck::clean
