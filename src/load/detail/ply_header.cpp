// PLY header check: refuses truncated files and headers that promise more elements than the file holds, before
// Open3D's rply parser sees them (rply reports such files only as a bare "failed"). Then walks the data up to the
// vertices and faces, because Open3D trusts face lists: a list of 0 indices, or a polygon whose indices are out of
// range, crashes its ear clipping.
#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

enum class Scalar { none, i8, u8, i16, u16, i32, u32, f32, f64 };

Scalar scalar_type(const std::string& t) {
  if (t == "char" || t == "int8") return Scalar::i8;
  if (t == "uchar" || t == "uint8") return Scalar::u8;
  if (t == "short" || t == "int16") return Scalar::i16;
  if (t == "ushort" || t == "uint16") return Scalar::u16;
  if (t == "int" || t == "int32") return Scalar::i32;
  if (t == "uint" || t == "uint32") return Scalar::u32;
  if (t == "float" || t == "float32") return Scalar::f32;
  if (t == "double" || t == "float64") return Scalar::f64;
  return Scalar::none;
}

int scalar_bytes(Scalar t) {
  switch (t) {
    case Scalar::i8: case Scalar::u8: return 1;
    case Scalar::i16: case Scalar::u16: return 2;
    case Scalar::i32: case Scalar::u32: case Scalar::f32: return 4;
    case Scalar::f64: return 8;
    case Scalar::none: break;
  }
  return 0;
}

int scalar_bytes(const std::string& t) { return scalar_bytes(scalar_type(t)); }

struct Property {
  std::string name;
  Scalar type = Scalar::none;        // the scalar, or a list's items
  Scalar count_type = Scalar::none;  // lists only
  bool is_list() const { return count_type != Scalar::none; }
};

struct Element {
  std::string name;
  std::uint64_t count = 0;
  std::uint64_t fixed_bytes = 0;  // sum of scalar properties
  std::uint64_t list_min_bytes = 0;  // per list property: count field + (for faces) 3 indices
  std::vector<Property> properties;
};

// The list Open3D reads faces from (it tries "vertex_indices", then "vertex_index").
bool is_face_list(const Element& e, const Property& prop) {
  return e.name == "face" && prop.is_list() && (prop.name == "vertex_indices" || prop.name == "vertex_index");
}

constexpr std::uint64_t kMaxElements = 2'000'000'000ULL;

// Where the walk is, for messages; built into a string only when something is wrong.
struct At {
  const Element* element;
  std::uint64_t index;
  std::string str() const { return element->name + " " + std::to_string(index); }
};

// Binary data after the header, in the file's byte order.
class BinarySource {
 public:
  BinarySource(const std::filesystem::path& p, std::ifstream& in, std::uint64_t bytes, bool big_endian)
      : p_(p), in_(in), left_(bytes), swap_(big_endian != (std::endian::native == std::endian::big)) {}

  double value(Scalar t, At at) {
    unsigned char b[8];
    const auto n = static_cast<std::size_t>(scalar_bytes(t));
    need(n, at);
    in_.read(reinterpret_cast<char*>(b), static_cast<std::streamsize>(n));
    if (swap_) std::reverse(b, b + n);
    switch (t) {
      case Scalar::i8: return static_cast<signed char>(b[0]);
      case Scalar::u8: return b[0];
      case Scalar::i16: return decode<std::int16_t>(b);
      case Scalar::u16: return decode<std::uint16_t>(b);
      case Scalar::i32: return decode<std::int32_t>(b);
      case Scalar::u32: return decode<std::uint32_t>(b);
      case Scalar::f32: return decode<float>(b);
      case Scalar::f64: return decode<double>(b);
      case Scalar::none: break;
    }
    return 0;
  }
  void skip(Scalar t, std::uint64_t n, At at) { skip_bytes(n * static_cast<std::uint64_t>(scalar_bytes(t)), at); }
  void skip_bytes(std::uint64_t n, At at) {
    need(n, at);
    in_.seekg(static_cast<std::streamoff>(n), std::ios::cur);
  }
  // Binary coordinates reach load.cpp's finite check unchanged: nothing to look at here.
  void coordinate(Scalar t, At at) { skip(t, 1, at); }

 private:
  template <class T>
  static double decode(const unsigned char* b) {
    T v;
    std::memcpy(&v, b, sizeof v);
    return static_cast<double>(v);
  }
  void need(std::uint64_t n, At at) {
    if (n > left_)
      fail_io(p_, "binary PLY data ends inside " + at.str() +
                      ": the list lengths in the data do not match the file size (corrupt or mislabelled lists?)");
    left_ -= n;
  }
  const std::filesystem::path& p_;
  std::ifstream& in_;
  std::uint64_t left_;
  bool swap_;
};

// Ascii data after the header: whitespace-separated tokens, as rply reads them (an element may span lines).
class AsciiSource {
 public:
  AsciiSource(const std::filesystem::path& p, std::ifstream& in) : p_(p), in_(in) {}

  double value(Scalar, At at) {
    const double v = number(at);
    if (!ok_) fail_io(p_, "malformed ascii PLY: " + at.str() + ": '" + tok_ + "' is not a number");
    return v;
  }
  void skip(Scalar, std::uint64_t n, At at) {
    for (std::uint64_t k = 0; k < n; ++k) next(at);
  }
  void skip_bytes(std::uint64_t, At) {}  // never called: ascii elements are walked token by token
  // rply refuses an infinite or float-overflowing coordinate as a bare parse failure, yet passes NaN to the NaN
  // check in load.cpp: report both as the unusable coordinates they are (exit 4), as load.cpp words it.
  void coordinate(Scalar t, At at) {
    const double v = number(at);
    if (!ok_) return;  // not a number: rply's parse failure reports it
    if (!std::isfinite(v) || (t == Scalar::f32 && std::abs(v) > FLT_MAX))
      throw Error(ErrorCode::invalid_input, "load",
                  p_.string() + ": vertex " + std::to_string(at.index) + " has a NaN or infinite coordinate" +
                      (std::isfinite(v) ? " ('" + tok_ + "' overflows a float)" : ""));
  }

 private:
  void next(At at) {
    if (!(in_ >> tok_))
      fail_io(p_, "ascii PLY data ends inside " + at.str() +
                      ": the list lengths in the data do not match the element counts in the header");
  }
  double number(At at) {
    next(at);
    char* end = nullptr;
    const double v = std::strtod(tok_.c_str(), &end);
    ok_ = end == tok_.c_str() + tok_.size();
    return v;
  }
  const std::filesystem::path& p_;
  std::ifstream& in_;
  std::string tok_;
  bool ok_ = false;
};

// Walks the elements up to the vertices and faces. A face list must have at least 3 indices, all naming a declared
// vertex: Open3D's ear clipping crashes on an empty list and reads vertex positions out of bounds for a polygon with
// a bad index. Lines (2 indices) and points would be miscounted as faces. The first bad face is reported only if the
// data size is consistent: when the lengths run past the end, that is the real fault (a corrupt list length makes
// every later "face" garbage).
template <class Source>
void walk_data(const std::filesystem::path& p, const PlyHeader& h, const std::vector<Element>& elements, Source& src,
               bool binary) {
  std::size_t last = 0;
  for (std::size_t e = 0; e < elements.size(); ++e)
    if (elements[e].name == "vertex" || elements[e].name == "face") last = e;
  std::string first_bad_face;
  for (std::size_t ei = 0; ei <= last && ei < elements.size(); ++ei) {
    const Element& e = elements[ei];
    if (binary && std::none_of(e.properties.begin(), e.properties.end(), [](const Property& q) { return q.is_list(); })) {
      src.skip_bytes(e.count * e.fixed_bytes, At{&e, 0});  // fixed size: no need to look inside
      continue;
    }
    for (std::uint64_t i = 0; i < e.count; ++i) {
      const At at{&e, i};
      for (const Property& prop : e.properties) {
        if (!prop.is_list()) {
          if (e.name == "vertex" && (prop.name == "x" || prop.name == "y" || prop.name == "z"))
            src.coordinate(prop.type, at);
          else
            src.skip(prop.type, 1, at);
          continue;
        }
        const double length = src.value(prop.count_type, at);
        if (!(length >= 0 && length <= 4294967295.0 && length == std::floor(length)))
          fail_io(p, "malformed PLY: " + at.str() + " has a list length of " + std::to_string(length));
        const auto n = static_cast<std::uint64_t>(length);
        if (!is_face_list(e, prop)) {
          src.skip(prop.type, n, at);
          continue;
        }
        if (n < 3 && first_bad_face.empty())
          first_bad_face = at.str() + " has " + std::to_string(n) + " vertex indices; a face needs at least 3 (" +
                           "lines and points are not a surface)";
        for (std::uint64_t k = 0; k < n; ++k) {
          const double v = src.value(prop.type, at);
          if (!first_bad_face.empty()) continue;
          if (v != std::floor(v))
            first_bad_face = at.str() + " has a vertex index of " + std::to_string(v) + ", not an integer";
          else if (!(v >= 0 && v < static_cast<double>(h.vertices)))
            first_bad_face = at.str() + " refers to vertex " + std::to_string(static_cast<long long>(v)) +
                             ", but the file has only " + std::to_string(h.vertices) + " vertices";
        }
      }
    }
  }
  if (!first_bad_face.empty()) fail_io(p, first_bad_face);
}

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
        elements.back().properties.push_back({name, scalar_type(item_t), scalar_type(count_t)});
        const bool face = is_face_list(elements.back(), elements.back().properties.back());
        elements.back().list_min_bytes += static_cast<std::uint64_t>(cb) + (face ? 3ULL * static_cast<std::uint64_t>(ib) : 0ULL);
      } else {
        const int b = scalar_bytes(type);
        if (b == 0) fail_io(p, "unknown PLY property type in '" + line + "'");
        std::string name;
        ls >> name;
        elements.back().properties.push_back({name, scalar_type(type), Scalar::none});
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
    in.seekg(static_cast<std::streamoff>(h.header_bytes));
    BinarySource src(p, in, have, h.encoding == PlyHeader::Encoding::binary_be);
    walk_data(p, h, elements, src, true);
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
    in.clear();
    in.seekg(static_cast<std::streamoff>(h.header_bytes));
    AsciiSource src(p, in);
    walk_data(p, h, elements, src, false);
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
