// Wavefront OBJ: 'v x y z [w|r g b]' and 'f a b c ...' lines (tokens 'i', 'i/t', 'i//n', 'i/t/n'; negative indices
// count back from the last vertex defined). Polygons are fan-triangulated, vertex order is the file's, vertices no
// face uses are kept (a point-only OBJ is a point cloud). Other statements (vt, vn, g, o, usemtl, s, l, ...) are
// ignored. Own reader: see read_open3d.cpp for why not Open3D's.
#include <charconv>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

std::string_view next_token(std::string_view& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) {
    s = {};
    return {};
  }
  s.remove_prefix(b);
  const auto e = s.find_first_of(" \t\r");
  std::string_view tok = s.substr(0, e);
  s.remove_prefix(e == std::string_view::npos ? s.size() : e);
  return tok;
}

std::string where(long long line_no) { return "line " + std::to_string(line_no) + ": "; }

// True when all of `s` is one integer.
bool whole_int(std::string_view s, long long& v) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// A face token is 'v', 'v/vt', 'v//vn' or 'v/vt/vn' (the OBJ spec's four forms), each index an integer. Anything
// else ('1/', '2/x', '3//') is a damaged file, not a vertex to guess at. Only v is returned: texture and normal
// indices are not used.
bool parse_face_token(std::string_view tok, long long& v) {
  const auto slash = tok.find('/');
  if (slash == std::string_view::npos) return whole_int(tok, v);
  if (!whole_int(tok.substr(0, slash), v)) return false;
  const std::string_view rest = tok.substr(slash + 1);  // 'vt', '/vn' or 'vt/vn'
  const auto slash2 = rest.find('/');
  long long ignored = 0;
  if (slash2 == std::string_view::npos) return whole_int(rest, ignored);
  return (slash2 == 0 || whole_int(rest.substr(0, slash2), ignored)) && whole_int(rest.substr(slash2 + 1), ignored);
}

}  // namespace

Raw read_obj(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p, "cannot be opened");
  Raw raw;
  raw.format = "obj";
  auto& g = raw.geometry;
  std::string line;
  long long line_no = 0;
  std::vector<int> poly;
  while (std::getline(in, line)) {
    ++line_no;
    std::string_view s(line);
    const std::string_view kw = next_token(s);
    if (kw == "v") {
      double xyz[3];
      for (double& c : xyz) {
        const std::string_view tok = next_token(s);
        const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), c);
        if (tok.empty() || ec != std::errc() || ptr != tok.data() + tok.size())
          fail_io(p, where(line_no) + "bad vertex '" + line.substr(0, 80) + "'");
      }
      g.vertices.emplace_back(xyz[0], xyz[1], xyz[2]);
    } else if (kw == "f") {
      poly.clear();
      const long long nv = static_cast<long long>(g.vertices.size());
      for (std::string_view tok = next_token(s); !tok.empty(); tok = next_token(s)) {
        long long idx = 0;
        if (!parse_face_token(tok, idx)) fail_io(p, where(line_no) + "bad face index '" + std::string(tok) + "'");
        // 1-based; negative counts back from the last vertex defined so far.
        if (idx == 0 || idx > nv || idx < -nv)  // not -idx > nv: -LLONG_MIN overflows
          fail_io(p, where(line_no) + "face index " + std::to_string(idx) + " out of range (only " +
                         std::to_string(nv) + " vertices defined so far)");
        poly.push_back(static_cast<int>(idx > 0 ? idx - 1 : nv + idx));
      }
      if (poly.size() < 3) fail_io(p, where(line_no) + "face with fewer than 3 vertices");
      for (std::size_t k = 1; k + 1 < poly.size(); ++k) g.faces.emplace_back(poly[0], poly[k], poly[k + 1]);
    }
  }
  if (g.vertices.empty()) fail_io(p, "no vertex ('v x y z') lines: not an OBJ file");
  return raw;
}

}  // namespace fitcheck::load::detail
