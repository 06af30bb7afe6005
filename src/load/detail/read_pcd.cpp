// Adapter: PCD files through PCL (ascii, binary and binary_compressed). Only x, y, z are taken.
#include <pcl/PCLPointCloud2.h>
#include <pcl/io/pcd_io.h>

#include <cstring>
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
    const bool ok = type == "F" ? size == 4 || size == 8
                                : (type == "I" || type == "U") && (size == 1 || size == 2 || size == 4 || size == 8);
    if (!ok)
      fail_io(p, "PCD header: field '" + h["FIELDS"][i] + "' has TYPE " + type + " SIZE " + h["SIZE"][i] +
                     ", which is not supported (F takes SIZE 4 or 8; I and U take 1, 2, 4 or 8)");
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

template <class T>
double as_double(const std::uint8_t* b) {
  T v;
  std::memcpy(&v, b, sizeof v);
  return static_cast<double>(v);
}

// One stored number of PCL type `datatype` (checked by type_bytes() first).
double read_number(const std::uint8_t* b, std::uint8_t datatype) {
  using F = pcl::PCLPointField;
  switch (datatype) {
    case F::INT8: return as_double<std::int8_t>(b);
    case F::UINT8: return as_double<std::uint8_t>(b);
    case F::INT16: return as_double<std::int16_t>(b);
    case F::UINT16: return as_double<std::uint16_t>(b);
    case F::INT32: return as_double<std::int32_t>(b);
    case F::UINT32: return as_double<std::uint32_t>(b);
    case F::INT64: return as_double<std::int64_t>(b);
    case F::UINT64: return as_double<std::uint64_t>(b);
    case F::FLOAT32: return as_double<float>(b);
    default: return as_double<double>(b);
  }
}

// Bytes of a PCL type a coordinate can have; 0 for any other (bool, or a type PCL may add).
std::size_t type_bytes(std::uint8_t datatype) {
  using F = pcl::PCLPointField;
  switch (datatype) {
    case F::INT8: case F::UINT8: return 1;
    case F::INT16: case F::UINT16: return 2;
    case F::INT32: case F::UINT32: case F::FLOAT32: return 4;
    case F::INT64: case F::UINT64: case F::FLOAT64: return 8;
    default: return 0;
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
  // x, y and z are read from the blob in their stored type: pcl::fromPCLPointCloud2 into PointXYZ copies a field
  // only when it is float32, so double and integer coordinates came back as zeros.
  static const char* kNames[3] = {"x", "y", "z"};
  const pcl::PCLPointField* xyz[3] = {nullptr, nullptr, nullptr};
  for (const auto& f : blob.fields)
    for (int k = 0; k < 3; ++k)
      if (f.name == kNames[k]) xyz[k] = &f;
  if (!(xyz[0] && xyz[1] && xyz[2])) fail_io(p, "PCD has no x, y, z fields");
  for (const auto* f : xyz) {
    const std::size_t bytes = type_bytes(f->datatype);
    if (bytes == 0 || f->count == 0 || f->offset + bytes > blob.point_step)
      fail_io(p, "PCD field '" + f->name + "' has a type or layout a coordinate cannot have");
  }
  const std::size_t width = blob.width, height = blob.height;
  if (blob.is_bigendian || blob.data.size() < static_cast<std::size_t>(blob.row_step) * height ||
      static_cast<std::size_t>(blob.point_step) * width > blob.row_step)
    fail_io(p, "malformed PCD (PCL returned data of an unexpected layout)");
  Raw raw;
  raw.format = "pcd";
  raw.geometry.vertices.reserve(width * height);
  for (std::size_t r = 0; r < height; ++r)
    for (std::size_t c = 0; c < width; ++c) {
      const std::uint8_t* point = blob.data.data() + r * blob.row_step + c * blob.point_step;
      raw.geometry.vertices.emplace_back(read_number(point + xyz[0]->offset, xyz[0]->datatype),
                                         read_number(point + xyz[1]->offset, xyz[1]->datatype),
                                         read_number(point + xyz[2]->offset, xyz[2]->datatype));
    }
  return raw;
}

}  // namespace fitcheck::load::detail
