// glTF 2.0 / GLB reader: triangle (mode 4) and point (mode 0) primitives of the default scene, node transforms
// applied, glTF's +Y up turned to +Z up. Own code because Debian's Open3D reads glTF through Assimp, which skips point primitives (so our own
// point-cloud GLB would not read back) and reports failures without a reason. Every accessor, buffer view and
// index is bounds-checked: the file is untrusted input.
#include <Eigen/Geometry>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_path.hpp"
#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

using json = nlohmann::json;

// Largest value any glTF size or index may take: GLB lengths are 32-bit, so no real file needs more. The bound keeps
// every offset sum and count * stride product far from wrapping around in std::size_t.
constexpr std::uint64_t kMaxGltfInt = 0xFFFFFFFFull;

// glTF integers are untrusted: nlohmann converts -100 to a huge size_t and 12.5 to 12, so a negative or fractional
// offset would wrap past every bounds check. `what` names the field in the message. (12.0 is taken as 12: JSON
// writers differ on whether integral numbers keep a ".0".)
std::size_t to_size(const std::filesystem::path& p, const json& v, const std::string& what) {
  double d = -1;
  if (v.is_number_unsigned()) d = static_cast<double>(v.get<std::uint64_t>());
  else if (v.is_number_float() && v.get<double>() == std::floor(v.get<double>())) d = v.get<double>();
  if (!(d >= 0 && d <= static_cast<double>(kMaxGltfInt)))
    fail_io(p, what + " is " + v.dump() + "; it must be an integer from 0 to " + std::to_string(kMaxGltfInt));
  return static_cast<std::size_t>(d);
}

// Field `key` of object `obj` (named `owner` in messages), or `fallback` when absent.
std::size_t size_field(const std::filesystem::path& p, const json& obj, const char* key, const std::string& owner,
                       std::size_t fallback) {
  if (!obj.contains(key)) return fallback;
  return to_size(p, obj[key], owner + " " + key);
}

// A required field: absent is malformed.
std::size_t size_field(const std::filesystem::path& p, const json& obj, const char* key, const std::string& owner) {
  if (!obj.contains(key)) fail_io(p, owner + " has no " + key);
  return to_size(p, obj[key], owner + " " + key);
}

std::vector<unsigned char> base64_decode(const std::filesystem::path& p, const std::string& s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::vector<unsigned char> out;
  out.reserve(s.size() * 3 / 4);
  unsigned buf = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    const int v = val(c);
    if (v < 0) fail_io(p, "glTF data URI is not valid base64");
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

struct Doc {
  json j;
  std::vector<std::vector<unsigned char>> buffers;
};

Doc parse(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p, "cannot be opened");
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Doc d;
  std::vector<unsigned char> glb_bin;
  bool has_glb_bin = false;
  auto u32 = [&](std::size_t off) {
    std::uint32_t v;
    std::memcpy(&v, bytes.data() + off, 4);
    return v;
  };
  std::string json_text;
  if (bytes.size() >= 12 && u32(0) == 0x46546C67u) {  // "glTF"
    if (u32(4) != 2) fail_io(p, "GLB version " + std::to_string(u32(4)) + " (only glTF 2.0 is supported)");
    std::size_t off = 12;
    bool first = true;
    while (off + 8 <= bytes.size()) {
      const std::uint32_t len = u32(off), type = u32(off + 4);
      if (off + 8 + static_cast<std::size_t>(len) > bytes.size())
        fail_io(p, "truncated GLB: a chunk of " + std::to_string(len) + " bytes runs past the end of the file");
      if (first && type != 0x4E4F534Au) fail_io(p, "GLB does not start with a JSON chunk");
      if (type == 0x4E4F534Au) json_text.assign(bytes.begin() + static_cast<long>(off + 8), bytes.begin() + static_cast<long>(off + 8 + len));
      if (type == 0x004E4942u && !has_glb_bin) {
        glb_bin.assign(bytes.begin() + static_cast<long>(off + 8), bytes.begin() + static_cast<long>(off + 8 + len));
        has_glb_bin = true;
      }
      off += 8 + len;
      first = false;
    }
    if (json_text.empty()) fail_io(p, "GLB has no JSON chunk");
  } else {
    json_text.assign(bytes.begin(), bytes.end());
  }
  JsonPath path;
  try {
    d.j = json::parse(json_text, [&path](int, json::parse_event_t ev, json& v) { return path.on_event(ev, v); });
  } catch (const std::exception&) {
    fail_io(p, "not a glTF file (its JSON does not parse)");
  }
  // nlohmann keeps the last of two equal keys (JSON leaves it open): an accessor or attribute given twice would be
  // read one way here and another way elsewhere.
  if (!path.duplicate().empty()) {
    std::string what = "key '";
    what += path.duplicate();
    what += "' is given twice in its object; which value is meant is unclear";
    fail_io(p, what);
  }
  if (!d.j.is_object() || !d.j.contains("asset")) fail_io(p, "not a glTF file (no 'asset')");
  const json buffers = d.j.value("buffers", json::array());
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    const json& b = buffers[i];
    std::vector<unsigned char> data;
    if (!b.contains("uri")) {
      if (!has_glb_bin) fail_io(p, "buffer " + std::to_string(i) + " has no data");
      data = glb_bin;
    } else {
      const std::string uri = b["uri"].get<std::string>();
      const auto comma = uri.find(',');
      if (uri.rfind("data:", 0) == 0 && comma != std::string::npos) {
        data = base64_decode(p, uri.substr(comma + 1));
      } else {
        // A directory opens as a stream and fails only on reading, with a library exception: check first.
        const auto file = p.parent_path() / uri;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
          fail_io(p, "buffer file '" + uri + "' " +
                         (std::filesystem::is_directory(file, ec) ? "is a directory" : "does not exist or is not a regular file"));
        std::ifstream bin(file, std::ios::binary);
        if (!bin) fail_io(p, "buffer file '" + uri + "' cannot be opened");
        data.assign(std::istreambuf_iterator<char>(bin), std::istreambuf_iterator<char>());
      }
    }
    if (data.size() < size_field(p, b, "byteLength", "buffer " + std::to_string(i), 0))
      fail_io(p, "buffer " + std::to_string(i) + " holds fewer bytes than its byteLength");
    d.buffers.push_back(std::move(data));
  }
  return d;
}

// Reads accessor `a` as `comps` numbers per element. Positions may use any component type (KHR_mesh_quantization
// stores them as integers); indices must be unsigned integers, as the spec says: a float index would be truncated
// into some other vertex.
std::vector<double> read_accessor(const std::filesystem::path& p, const Doc& d, std::size_t a, int comps, bool indices) {
  const json& accs = d.j.at("accessors");
  if (a >= accs.size()) fail_io(p, "accessor " + std::to_string(a) + " does not exist");
  const json& acc = accs[a];
  const std::string name = "accessor " + std::to_string(a);
  const std::string want_type = comps == 3 ? "VEC3" : "SCALAR";
  if (acc.value("type", want_type) != want_type)
    fail_io(p, name + " has type " + acc["type"].dump() + " where " + want_type + " is needed");
  const std::size_t count = size_field(p, acc, "count", name);
  const std::size_t type = size_field(p, acc, "componentType", name);
  const std::size_t size = type == 5126 || type == 5125 ? 4 : type == 5123 || type == 5122 ? 2 : type == 5121 || type == 5120 ? 1 : 0;
  if (size == 0) fail_io(p, name + " has an unsupported componentType " + std::to_string(type));
  if (indices && type != 5121 && type != 5123 && type != 5125)
    fail_io(p, name + " holds indices as componentType " + std::to_string(type) +
                   "; indices must be unsigned integers (5121, 5123 or 5125)");
  // KHR_mesh_quantization's normalized integers stand for fractions: unsigned n-bit v means v / (2^n - 1), signed
  // means max(v / (2^(n-1) - 1), -1) (glTF 2.0 specification, normalized integers; KHR_mesh_quantization): the
  // node's scale maps them back to model units. Read as raw integers they would give a scan thousands of times too large.
  bool normalized = false;
  if (acc.contains("normalized")) {
    if (!acc["normalized"].is_boolean()) fail_io(p, name + " normalized is " + acc["normalized"].dump() + "; it must be true or false");
    normalized = acc["normalized"].get<bool>();
  }
  if (normalized && (indices || type == 5126 || type == 5125))
    fail_io(p, name + " is normalized with componentType " + std::to_string(type) +
                   (indices ? "; indices are never normalized" : "; only 8- and 16-bit integers may be normalized"));
  // Sparse substitutions are not applied, and an accessor without a buffer view is all zeros of any claimed count:
  // neither would give the scan the file means, so refuse rather than read something else.
  if (acc.contains("sparse")) fail_io(p, name + " is sparse, which is not supported");
  if (!acc.contains("bufferView")) fail_io(p, name + " has no bufferView (all-zero accessors are not supported)");
  const std::size_t vi = size_field(p, acc, "bufferView", name);
  const json& views = d.j.at("bufferViews");
  if (vi >= views.size()) fail_io(p, "buffer view " + std::to_string(vi) + " does not exist");
  const json& view = views[vi];
  const std::string vname = "buffer view " + std::to_string(vi);
  const std::size_t bi = size_field(p, view, "buffer", vname);
  if (bi >= d.buffers.size()) fail_io(p, "buffer " + std::to_string(bi) + " does not exist");
  const auto& buf = d.buffers[bi];
  const std::size_t elem = size * static_cast<std::size_t>(comps);
  const std::size_t stride = size_field(p, view, "byteStride", vname, elem);
  if (stride < elem || stride > 252)  // the spec's maximum; it also keeps count * stride far from wrapping
    fail_io(p, vname + " byteStride " + std::to_string(stride) + " is outside " + std::to_string(elem) + "..252");
  // Every term is below 2^32 (size_field), so these sums and the product cannot wrap.
  const std::size_t view_offset = size_field(p, view, "byteOffset", vname, 0);
  const std::size_t view_end = view_offset + size_field(p, view, "byteLength", vname);
  const std::size_t start = view_offset + size_field(p, acc, "byteOffset", name, 0);
  if (view_end > buf.size() || (count > 0 && start + (count - 1) * stride + elem > view_end))
    fail_io(p, name + " reads past the end of its buffer");
  std::vector<double> out(count * static_cast<std::size_t>(comps), 0.0);
  for (std::size_t i = 0; i < count; ++i)
    for (int k = 0; k < comps; ++k) {
      const unsigned char* src = buf.data() + start + i * stride + static_cast<std::size_t>(k) * size;
      double v = 0;
      switch (type) {
        case 5126: { float f; std::memcpy(&f, src, 4); v = f; break; }
        case 5125: { std::uint32_t u; std::memcpy(&u, src, 4); v = u; break; }
        case 5123: { std::uint16_t u; std::memcpy(&u, src, 2); v = u; break; }
        case 5122: { std::int16_t s; std::memcpy(&s, src, 2); v = s; break; }
        case 5121: v = *src; break;
        default: v = static_cast<signed char>(*src); break;
      }
      if (normalized) {
        switch (type) {
          case 5123: v /= 65535.0; break;
          case 5122: v = std::max(v / 32767.0, -1.0); break;
          case 5121: v /= 255.0; break;
          default: v = std::max(v / 127.0, -1.0); break;
        }
      }
      out[i * static_cast<std::size_t>(comps) + static_cast<std::size_t>(k)] = v;
    }
  return out;
}

Eigen::Matrix4d node_matrix(const json& n) {
  Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
  if (n.contains("matrix")) {
    const auto v = n["matrix"].get<std::vector<double>>();
    if (v.size() == 16)
      for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) m(r, c) = v[static_cast<std::size_t>(c * 4 + r)];  // column-major
    return m;
  }
  Eigen::Affine3d t = Eigen::Affine3d::Identity();
  if (n.contains("translation")) {
    const auto v = n["translation"].get<std::vector<double>>();
    if (v.size() == 3) t.translate(Eigen::Vector3d(v[0], v[1], v[2]));
  }
  if (n.contains("rotation")) {
    const auto v = n["rotation"].get<std::vector<double>>();  // x, y, z, w
    if (v.size() == 4) t.rotate(Eigen::Quaterniond(v[3], v[0], v[1], v[2]).normalized());
  }
  if (n.contains("scale")) {
    const auto v = n["scale"].get<std::vector<double>>();
    if (v.size() == 3) t.scale(Eigen::Vector3d(v[0], v[1], v[2]));
  }
  return t.matrix();
}

}  // namespace

Raw read_gltf(const std::filesystem::path& p) {
  Doc d;
  Raw raw;
  std::string ext = p.extension().string();
  for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  raw.format = ext == ".glb" ? "glb" : "gltf";
  auto& g = raw.geometry;
  bool had_triangles = false;
  try {
    d = parse(p);  // inside the try: a wrongly typed JSON value throws nlohmann's exceptions there too
    // A required extension this reader does not implement changes what the data mean (Draco or meshopt compressed
    // buffers, GPU instancing): the spec says to refuse such a file rather than read something else. Extensions of
    // materials, textures, lights and metadata do not touch positions or indices.
    for (const json& e : d.j.value("extensionsRequired", json::array())) {
      const std::string x = e.is_string() ? e.get<std::string>() : e.dump();
      const bool ignorable = x.rfind("KHR_materials_", 0) == 0 || x.rfind("KHR_texture_", 0) == 0 ||
                             x == "KHR_lights_punctual" || x == "KHR_xmp_json_ld";
      if (x == "KHR_mesh_quantization" || ignorable) continue;
      fail_io(p, "the file requires the glTF extension " + x + ", which fitcheck does not read" +
                     (x == "KHR_draco_mesh_compression" || x == "EXT_meshopt_compression"
                          ? " (compressed geometry): export it without compression"
                          : ""));
    }
    const json meshes = d.j.value("meshes", json::array());
    const json nodes = d.j.value("nodes", json::array());
    auto add_mesh = [&](std::size_t mi, const Eigen::Matrix4d& m) {
      if (mi >= meshes.size()) fail_io(p, "node refers to mesh " + std::to_string(mi) + ", which does not exist");
      for (const json& prim : meshes[mi].value("primitives", json::array())) {
        const std::size_t mode = size_field(p, prim, "mode", "primitive", 4);
        if (mode != 0 && mode != 4) continue;  // lines and strips/fans are not scan surfaces
        if (!prim.contains("attributes") || !prim["attributes"].contains("POSITION")) continue;
        const auto pos = read_accessor(p, d, to_size(p, prim["attributes"]["POSITION"], "POSITION"), 3, false);
        const int base = static_cast<int>(g.vertices.size());
        const std::size_t nv = pos.size() / 3;
        for (std::size_t i = 0; i < nv; ++i)
          g.vertices.push_back((m * Eigen::Vector4d(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2], 1.0)).head<3>());
        if (mode != 4) continue;
        had_triangles = true;
        std::vector<double> idx;
        if (prim.contains("indices")) {
          idx = read_accessor(p, d, to_size(p, prim["indices"], "primitive indices"), 1, true);
        } else {
          for (std::size_t i = 0; i < nv; ++i) idx.push_back(static_cast<double>(i));
        }
        for (std::size_t t = 0; t + 2 < idx.size(); t += 3) {
          Eigen::Vector3i f;
          for (int k = 0; k < 3; ++k) {
            const double v = idx[t + static_cast<std::size_t>(k)];
            if (v < 0 || v >= static_cast<double>(nv))
              fail_io(p, "face index " + std::to_string(static_cast<long long>(v)) + " out of range (primitive has " +
                             std::to_string(nv) + " vertices)");
            f[k] = base + static_cast<int>(v);
          }
          g.faces.push_back(f);
        }
      }
    };
    std::function<void(std::size_t, const Eigen::Matrix4d&, int)> visit = [&](std::size_t ni, const Eigen::Matrix4d& parent,
                                                                              int depth) {
      if (ni >= nodes.size()) fail_io(p, "node " + std::to_string(ni) + " does not exist");
      if (depth > 64) fail_io(p, "node hierarchy deeper than 64 (a cycle?)");
      const Eigen::Matrix4d m = parent * node_matrix(nodes[ni]);
      const std::string name = "node " + std::to_string(ni);
      if (nodes[ni].contains("mesh")) add_mesh(size_field(p, nodes[ni], "mesh", name), m);
      for (const json& c : nodes[ni].value("children", json::array())) visit(to_size(p, c, name + " child"), m, depth + 1);
    };
    // glTF's +Y is up; fitcheck's files (and STL/PLY/OBJ from CAD and scanners) have +Z up: turned by +90 deg about x
    // (y -> z, z -> -y), as Blender imports glTF. The writer turns the other way (save.hpp), so our GLBs read back
    // as written.
    Eigen::Matrix4d y_up_to_z_up = Eigen::Matrix4d::Identity();
    y_up_to_z_up.topLeftCorner<3, 3>() << 1, 0, 0, 0, 0, -1, 0, 1, 0;
    const json scenes = d.j.value("scenes", json::array());
    if (!scenes.empty()) {
      const std::size_t si = size_field(p, d.j, "scene", "glTF", 0);
      if (si >= scenes.size()) fail_io(p, "default scene " + std::to_string(si) + " does not exist");
      for (const json& n : scenes[si].value("nodes", json::array())) visit(to_size(p, n, "scene node"), y_up_to_z_up, 0);
    } else {
      for (std::size_t mi = 0; mi < meshes.size(); ++mi) add_mesh(mi, y_up_to_z_up);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail_io(p, std::string("malformed glTF: ") + e.what());
  }
  if (g.vertices.empty()) fail_io(p, "glTF file holds no triangle or point primitives");
  if (had_triangles && g.faces.empty()) fail_io(p, "glTF triangle primitives hold no faces");
  return raw;
}

}  // namespace fitcheck::load::detail
