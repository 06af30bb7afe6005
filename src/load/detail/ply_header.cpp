// PLY header check: refuses truncated files and headers that promise more elements than the file holds, before
// Open3D's rply parser sees them (rply reports such files only as a bare "failed").
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

int scalar_bytes(const std::string& t) {
  if (t == "char" || t == "uchar" || t == "int8" || t == "uint8") return 1;
  if (t == "short" || t == "ushort" || t == "int16" || t == "uint16") return 2;
  if (t == "int" || t == "uint" || t == "int32" || t == "uint32" || t == "float" || t == "float32") return 4;
  if (t == "double" || t == "float64") return 8;
  return 0;
}

struct Element {
  std::string name;
  std::uint64_t count = 0;
  std::uint64_t fixed_bytes = 0;  // sum of scalar properties
  std::uint64_t list_min_bytes = 0;  // per list property: count field + (for faces) 3 indices
};

constexpr std::uint64_t kMaxElements = 2'000'000'000ULL;

}  // namespace

PlyHeader check_ply(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p, "cannot be opened");
  std::string line;
  if (!std::getline(in, line) || line.substr(0, 3) != "ply") fail_io(p, "not a PLY file (first line is not 'ply')");
  PlyHeader h;
  std::vector<Element> elements;
  bool have_format = false, end = false;
  int lines = 0;
  while (std::getline(in, line)) {
    if (++lines > 10000) fail_io(p, "PLY header has no end_header within 10000 lines");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream ls(line);
    std::string kw;
    ls >> kw;
    if (kw == "format") {
      std::string enc;
      ls >> enc;
      if (enc == "ascii") h.encoding = PlyHeader::Encoding::ascii;
      else if (enc == "binary_little_endian") h.encoding = PlyHeader::Encoding::binary_le;
      else if (enc == "binary_big_endian") h.encoding = PlyHeader::Encoding::binary_be;
      else fail_io(p, "unknown PLY format '" + enc + "'");
      have_format = true;
    } else if (kw == "element") {
      Element e;
      long long count = -1;
      ls >> e.name >> count;
      if (!ls || count < 0 || static_cast<std::uint64_t>(count) > kMaxElements)
        fail_io(p, "bad PLY element line '" + line + "'");
      e.count = static_cast<std::uint64_t>(count);
      elements.push_back(e);
    } else if (kw == "property") {
      if (elements.empty()) fail_io(p, "PLY property before any element");
      std::string type;
      ls >> type;
      if (type == "list") {
        std::string count_t, item_t, name;
        ls >> count_t >> item_t >> name;
        const int cb = scalar_bytes(count_t), ib = scalar_bytes(item_t);
        if (cb == 0 || ib == 0) fail_io(p, "bad PLY list property '" + line + "'");
        const bool is_face_list = elements.back().name == "face";
        elements.back().list_min_bytes += static_cast<std::uint64_t>(cb) + (is_face_list ? 3ULL * ib : 0ULL);
      } else {
        const int b = scalar_bytes(type);
        if (b == 0) fail_io(p, "unknown PLY property type in '" + line + "'");
        elements.back().fixed_bytes += static_cast<std::uint64_t>(b);
      }
    } else if (kw == "end_header") {
      end = true;
      break;
    }
  }
  if (!end) fail_io(p, "PLY header is not terminated by end_header");
  if (!have_format) fail_io(p, "PLY header has no format line");
  h.header_bytes = static_cast<std::uint64_t>(in.tellg());
  for (const auto& e : elements) {
    if (e.name == "vertex") h.vertices = e.count;
    if (e.name == "face") h.faces = e.count;
    h.min_payload_bytes += e.count * (e.fixed_bytes + e.list_min_bytes);
  }
  if (h.vertices == 0) fail_io(p, "PLY header declares no vertices");

  if (h.encoding != PlyHeader::Encoding::ascii) {
    in.seekg(0, std::ios::end);
    const auto total = static_cast<std::uint64_t>(in.tellg());
    const std::uint64_t have = total - h.header_bytes;
    if (have < h.min_payload_bytes)
      fail_io(p, "truncated binary PLY: header declares " + std::to_string(h.vertices) + " vertices and " +
                     std::to_string(h.faces) + " faces (at least " + std::to_string(h.min_payload_bytes) +
                     " bytes) but the file holds " + std::to_string(have) + " bytes of data");
  } else {
    // One element per non-empty line in ascii PLY.
    std::uint64_t data_lines = 0, expected = 0;
    for (const auto& e : elements) expected += e.count;
    while (std::getline(in, line))
      if (line.find_first_not_of(" \t\r") != std::string::npos) ++data_lines;
    if (data_lines < expected)
      fail_io(p, "truncated ascii PLY: header declares " + std::to_string(expected) + " element lines (" +
                     std::to_string(h.vertices) + " vertices, " + std::to_string(h.faces) + " faces) but the file has " +
                     std::to_string(data_lines));
  }
  return h;
}

Raw read_ply(const std::filesystem::path& p) { return read_ply_open3d(p, check_ply(p)); }

void check_face_indices(const std::filesystem::path& p, const Geometry& g) {
  const auto n = static_cast<long long>(g.vertices.size());
  for (std::size_t i = 0; i < g.faces.size(); ++i)
    for (int k = 0; k < 3; ++k)
      if (g.faces[i][k] < 0 || g.faces[i][k] >= n)
        fail_io(p, "face " + std::to_string(i) + " refers to vertex " + std::to_string(g.faces[i][k]) +
                       ", but the file has only " + std::to_string(n) + " vertices");
}

}  // namespace fitcheck::load::detail
