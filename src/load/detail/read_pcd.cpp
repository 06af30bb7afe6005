// Adapter: PCD files through PCL (ascii, binary and binary_compressed). Only x, y, z are taken.
#include <pcl/PCLPointCloud2.h>
#include <pcl/console/print.h>
#include <pcl/conversions.h>
#include <pcl/io/pcd_io.h>
#include <pcl/point_types.h>

#include <exception>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

Raw read_pcd(const std::filesystem::path& p) {
  pcl::console::setVerbosityLevel(pcl::console::L_ALWAYS);
  pcl::PCLPointCloud2 blob;
  pcl::PCDReader reader;
  int rc = -1;
  try {
    rc = reader.read(p.string(), blob);
  } catch (const std::exception& e) {
    fail_io(p, std::string("malformed PCD: ") + e.what());
  }
  if (rc < 0) fail_io(p, "malformed or truncated PCD (PCL could not read it)");
  bool has_xyz[3] = {false, false, false};
  for (const auto& f : blob.fields) {
    if (f.name == "x") has_xyz[0] = true;
    if (f.name == "y") has_xyz[1] = true;
    if (f.name == "z") has_xyz[2] = true;
  }
  if (!(has_xyz[0] && has_xyz[1] && has_xyz[2])) fail_io(p, "PCD has no x, y, z fields");
  pcl::PointCloud<pcl::PointXYZ> cloud;
  pcl::fromPCLPointCloud2(blob, cloud);
  Raw raw;
  raw.format = "pcd";
  raw.geometry.vertices.reserve(cloud.size());
  for (const auto& q : cloud.points) raw.geometry.vertices.emplace_back(q.x, q.y, q.z);
  return raw;
}

}  // namespace fitcheck::load::detail
