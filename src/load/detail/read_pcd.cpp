// Adapter: PCD files through PCL (ascii, binary and binary_compressed). Only x, y, z are taken.
#include <pcl/PCLPointCloud2.h>
#include <pcl/conversions.h>
#include <pcl/io/pcd_io.h>
#include <pcl/point_types.h>

#include <exception>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "core/detail/library_logs.hpp"
#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

// PCL's PCDReader trusts the header (random bytes with a .pcd extension crash it), so the header is parsed and
// checked here first: known keywords in order, consistent field lists, and a payload large enough for POINTS.
void check_pcd_header(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p, "cannot be opened");
  std::map<std::string, std::vector<std::string>> h;
  static const char* kOrder[] = {"VERSION", "FIELDS", "SIZE", "TYPE", "COUNT", "WIDTH", "HEIGHT", "VIEWPOINT", "POINTS",
                                 "DATA"};
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    if (++lines > 64) fail_io(p, "not a PCD file (no DATA line in the first 64 lines)");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string kw, tok;
    ls >> kw;
    bool known = false;
    for (const char* k : kOrder) known = known || kw == k;
    if (!known) fail_io(p, "not a PCD file (unexpected header line " + std::to_string(lines) + ")");
    while (ls >> tok) h[kw].push_back(tok);
    if (kw == "DATA") break;
  }
  for (const char* k : {"FIELDS", "SIZE", "TYPE", "WIDTH", "HEIGHT", "POINTS", "DATA"})
    if (h[k].empty()) fail_io(p, std::string("PCD header has no ") + k + " line");
  const std::size_t nf = h["FIELDS"].size();
  if (h["SIZE"].size() != nf || h["TYPE"].size() != nf || (!h["COUNT"].empty() && h["COUNT"].size() != nf))
    fail_io(p, "PCD header: FIELDS, SIZE, TYPE and COUNT list different numbers of entries");
  auto number = [&](const std::string& t, const char* what) {
    try {
      std::size_t used = 0;
      const long long v = std::stoll(t, &used);
      if (used != t.size() || v < 0 || v > 2'000'000'000LL) throw std::out_of_range(what);
      return static_cast<std::uint64_t>(v);
    } catch (const std::exception&) {
      fail_io(p, std::string("PCD header: bad ") + what + " '" + t + "'");
    }
  };
  std::uint64_t point_bytes = 0;
  for (std::size_t i = 0; i < nf; ++i) {
    const auto size = number(h["SIZE"][i], "SIZE");
    const auto count = h["COUNT"].empty() ? 1 : number(h["COUNT"][i], "COUNT");
    const std::string& type = h["TYPE"][i];
    if ((size != 1 && size != 2 && size != 4 && size != 8) || (type != "F" && type != "I" && type != "U"))
      fail_io(p, "PCD header: field '" + h["FIELDS"][i] + "' has an unsupported SIZE/TYPE");
    point_bytes += size * count;
  }
  const auto points = number(h["POINTS"][0], "POINTS");
  if (points != number(h["WIDTH"][0], "WIDTH") * number(h["HEIGHT"][0], "HEIGHT"))
    fail_io(p, "PCD header: POINTS differs from WIDTH x HEIGHT");
  const std::string& data = h["DATA"][0];
  if (data == "binary") {
    const auto start = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0, std::ios::end);
    const auto have = static_cast<std::uint64_t>(in.tellg()) - start;
    if (have < points * point_bytes)
      fail_io(p, "truncated binary PCD: header declares " + std::to_string(points) + " points (" +
                     std::to_string(points * point_bytes) + " bytes) but the file holds " + std::to_string(have));
  } else if (data == "ascii") {
    std::uint64_t n = 0;
    while (std::getline(in, line))
      if (line.find_first_not_of(" \t\r") != std::string::npos) ++n;
    if (n < points)
      fail_io(p, "truncated ascii PCD: header declares " + std::to_string(points) + " points, the file has " +
                     std::to_string(n) + " lines");
  } else if (data != "binary_compressed") {
    fail_io(p, "PCD header: unknown DATA encoding '" + data + "'");
  }
}

}  // namespace

Raw read_pcd(const std::filesystem::path& p) {
  check_pcd_header(p);
  fitcheck::detail::quiet_pcl();
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
