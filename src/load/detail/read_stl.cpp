// STL reader, ascii and binary. Own code because Open3D's reader neither welds the per-triangle corners into a
// shared-vertex mesh nor tells a truncated file from a bad one; welding happens in load.cpp.
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

Raw read_binary(const std::filesystem::path& p, const std::vector<char>& data, std::uint32_t n) {
  Raw raw;
  raw.format = "stl-binary";
  auto& g = raw.geometry;
  g.vertices.reserve(3ULL * n);
  g.faces.reserve(n);
  const char* rec = data.data() + 84;
  for (std::uint32_t i = 0; i < n; ++i, rec += 50) {
    for (int k = 0; k < 3; ++k) {
      float xyz[3];
      std::memcpy(xyz, rec + 12 + 12 * k, sizeof xyz);  // little-endian IEEE floats on every platform we build for
      g.vertices.emplace_back(xyz[0], xyz[1], xyz[2]);
    }
    const int b = static_cast<int>(3 * i);
    g.faces.emplace_back(b, b + 1, b + 2);
  }
  (void)p;
  return raw;
}

Raw read_ascii(const std::filesystem::path& p, const std::vector<char>& data) {
  Raw raw;
  raw.format = "stl-ascii";
  auto& g = raw.geometry;
  std::istringstream in(std::string(data.begin(), data.end()));
  std::string line;
  long long line_no = 0;
  int corners = 0;
  // A complete file closes its (last) solid with 'endsolid' after its last facet; what follows it (a DOS end-of-file
  // byte, NUL padding, an exporter's comment) does not matter.
  bool closed = false;
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream ls(line);
    std::string kw;
    ls >> kw;
    if (kw.rfind("endsolid", 0) == 0) closed = true;
    else if (kw == "facet" || kw == "outer" || kw == "vertex" || kw == "endloop" || kw == "endfacet") closed = false;
    if (kw == "vertex") {
      double x, y, z;
      if (!(ls >> x >> y >> z)) fail_io(p, "line " + std::to_string(line_no) + ": bad vertex line in ascii STL");
      g.vertices.emplace_back(x, y, z);
      ++corners;
    } else if (kw == "endloop") {
      if (corners != 3)
        fail_io(p, "line " + std::to_string(line_no) + ": facet with " + std::to_string(corners) +
                       " vertices (STL facets are triangles)");
      const int b = static_cast<int>(g.vertices.size()) - 3;
      g.faces.emplace_back(b, b + 1, b + 2);
      corners = 0;
    }
  }
  if (corners != 0) fail_io(p, "truncated ascii STL: last facet is not closed by 'endloop'");
  if (g.faces.empty()) fail_io(p, "ascii STL holds no facets");
  // Cut off between facets, the file still parses: its lost part became holes that the cleaning filled, and a foot
  // read 225 mm long instead of 275 with no error (review). Every ascii STL ends its solid with 'endsolid'.
  if (!closed)
    fail_io(p, "truncated ascii STL: it ends at line " + std::to_string(line_no) + " without 'endsolid' (" +
                   std::to_string(g.faces.size()) + " facets read; is the file complete?)");
  return raw;
}

}  // namespace

Raw read_stl(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p, "cannot be opened");
  std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::uint64_t size = data.size();
  std::uint32_t n = 0;
  if (size >= 84) std::memcpy(&n, data.data() + 80, 4);
  const std::uint64_t expected = 84ULL + 50ULL * n;
  // A binary STL may also begin with "solid" in its 80-byte header, so the size rule decides first.
  if (size >= 84 && size == expected && n > 0) return read_binary(p, data, n);
  const bool looks_ascii = size >= 5 && std::strncmp(data.data(), "solid", 5) == 0 &&
                           std::string_view(data.data(), std::min<std::size_t>(size, 4096)).find("facet") !=
                               std::string_view::npos;
  if (looks_ascii) return read_ascii(p, data);
  if (size < 84) fail_io(p, "too short for a binary STL (" + std::to_string(size) + " bytes, header alone is 84)");
  if (size < expected)
    fail_io(p, "truncated binary STL: header declares " + std::to_string(n) + " triangles (" +
                   std::to_string(expected) + " bytes) but the file holds " + std::to_string(size) + " bytes");
  fail_io(p, "not a valid STL: neither ascii ('solid ... facet') nor binary (header declares " + std::to_string(n) +
                 " triangles = " + std::to_string(expected) + " bytes, file holds " + std::to_string(size) + ")");
}

}  // namespace fitcheck::load::detail
