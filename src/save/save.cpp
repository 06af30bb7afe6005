#include "save/save.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "save/detail/writers.hpp"

namespace fitcheck::save {

namespace {

[[noreturn]] void fail(ErrorCode c, const std::filesystem::path& p, const std::string& what) {
  throw Error(c, "save", p.string() + ": " + what);
}

std::ofstream open_out(const std::filesystem::path& p) {
  std::ofstream out(p, std::ios::binary);
  if (!out) fail(ErrorCode::io, p, "cannot be opened for writing");
  return out;
}

void check_inputs(const std::filesystem::path& p, const Geometry& g, const std::vector<VertexField>& fields,
                  const std::vector<Rgb>& colors) {
  if (g.vertices.empty()) fail(ErrorCode::invalid_input, p, "nothing to write (no vertices)");
  for (const auto& f : fields) {
    if (f.values.size() != g.vertices.size())
      fail(ErrorCode::invalid_input, p,
           "field '" + f.name + "' has " + std::to_string(f.values.size()) + " values for " +
               std::to_string(g.vertices.size()) + " vertices");
    for (std::size_t i = 0; i < f.values.size(); ++i)
      if (!std::isfinite(f.values[i]))
        fail(ErrorCode::invalid_input, p, "field '" + f.name + "' is not finite at vertex " + std::to_string(i));
  }
  if (!colors.empty() && colors.size() != g.vertices.size())
    fail(ErrorCode::invalid_input, p, "colour array length differs from the vertex count");
}

template <class T>
void put(std::ostream& o, T v) {
  o.write(reinterpret_cast<const char*>(&v), sizeof v);
}

void write_ply(const std::filesystem::path& p, const Geometry& g, const std::vector<VertexField>& fields,
               const std::vector<Rgb>& colors) {
  auto out = open_out(p);
  out << "ply\nformat binary_little_endian 1.0\ncomment fitcheck: positions in millimetres\n";
  out << "element vertex " << g.vertices.size() << "\n";
  out << "property float x\nproperty float y\nproperty float z\n";
  for (const auto& f : fields) out << "property float " << f.name << "\n";
  if (!colors.empty()) out << "property uchar red\nproperty uchar green\nproperty uchar blue\n";
  if (g.is_mesh()) out << "element face " << g.faces.size() << "\nproperty list uchar int vertex_indices\n";
  out << "end_header\n";
  for (std::size_t i = 0; i < g.vertices.size(); ++i) {
    for (int k = 0; k < 3; ++k) put(out, static_cast<float>(g.vertices[i][k]));
    for (const auto& f : fields) put(out, static_cast<float>(f.values[i]));
    if (!colors.empty())
      for (int k = 0; k < 3; ++k) put(out, colors[i][k]);
  }
  for (const auto& f : g.faces) {
    put(out, static_cast<std::uint8_t>(3));
    for (int k = 0; k < 3; ++k) put(out, static_cast<std::int32_t>(f[k]));
  }
  if (!out) fail(ErrorCode::io, p, "write failed (disk full?)");
}

void write_vtp(const std::filesystem::path& p, const Geometry& g, const std::vector<VertexField>& fields,
               const std::vector<Rgb>& colors) {
  auto out = open_out(p);
  out.precision(9);
  const std::size_t n = g.vertices.size();
  const bool mesh = g.is_mesh();
  out << "<?xml version=\"1.0\"?>\n"
      << "<VTKFile type=\"PolyData\" version=\"0.1\" byte_order=\"LittleEndian\">\n<PolyData>\n"
      << "<Piece NumberOfPoints=\"" << n << "\" NumberOfVerts=\"" << (mesh ? 0 : n)
      << "\" NumberOfLines=\"0\" NumberOfStrips=\"0\" NumberOfPolys=\"" << (mesh ? g.faces.size() : 0) << "\">\n";
  out << "<PointData" << (fields.empty() ? "" : " Scalars=\"" + fields.front().name + "\"") << ">\n";
  for (const auto& f : fields) {
    out << "<DataArray type=\"Float64\" Name=\"" << f.name << "\" format=\"ascii\">\n";
    for (double v : f.values) out << v << "\n";
    out << "</DataArray>\n";
  }
  if (!colors.empty()) {
    out << "<DataArray type=\"UInt8\" Name=\"rgb\" NumberOfComponents=\"3\" format=\"ascii\">\n";
    for (const auto& c : colors) out << int(c[0]) << ' ' << int(c[1]) << ' ' << int(c[2]) << "\n";
    out << "</DataArray>\n";
  }
  out << "</PointData>\n<Points>\n<DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">\n";
  for (const auto& v : g.vertices) out << v[0] << ' ' << v[1] << ' ' << v[2] << "\n";
  out << "</DataArray>\n</Points>\n";
  auto cells = [&](const char* tag, std::size_t count, int per) {
    out << "<" << tag << ">\n<DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
    for (std::size_t i = 0; i < count; ++i) {
      if (per == 3)
        out << g.faces[i][0] << ' ' << g.faces[i][1] << ' ' << g.faces[i][2] << "\n";
      else
        out << i << "\n";
    }
    out << "</DataArray>\n<DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
    for (std::size_t i = 1; i <= count; ++i) out << i * static_cast<std::size_t>(per) << "\n";
    out << "</DataArray>\n</" << tag << ">\n";
  };
  if (mesh)
    cells("Polys", g.faces.size(), 3);
  else
    cells("Verts", n, 1);
  out << "</Piece>\n</PolyData>\n</VTKFile>\n";
  if (!out) fail(ErrorCode::io, p, "write failed (disk full?)");
}

void write_glb(const std::filesystem::path& p, const Geometry& g, const std::vector<VertexField>& fields,
               const std::vector<Rgb>& colors) {
  using nlohmann::json;
  const std::size_t n = g.vertices.size();
  std::string bin;
  json views = json::array(), accessors = json::array(), attributes = json::object();
  auto add_view = [&](const void* data, std::size_t bytes, int target) {
    while (bin.size() % 4) bin.push_back('\0');  // accessor alignment
    const std::size_t offset = bin.size();
    bin.append(static_cast<const char*>(data), bytes);
    json v = {{"buffer", 0}, {"byteOffset", offset}, {"byteLength", bytes}};
    if (target) v["target"] = target;
    views.push_back(v);
    return views.size() - 1;
  };
  constexpr int kArrayBuffer = 34962, kElementArrayBuffer = 34963;
  constexpr int kFloat = 5126, kUByte = 5121, kUInt = 5125;

  std::vector<float> pos(3 * n);
  Eigen::Vector3d lo = g.vertices[0], hi = g.vertices[0];
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) pos[3 * i + k] = static_cast<float>(g.vertices[i][k]);
    lo = lo.cwiseMin(g.vertices[i]);
    hi = hi.cwiseMax(g.vertices[i]);
  }
  // min/max must bound the stored float values exactly.
  json jmin = json::array(), jmax = json::array();
  for (int k = 0; k < 3; ++k) {
    jmin.push_back(static_cast<float>(lo[k]));
    jmax.push_back(static_cast<float>(hi[k]));
  }
  accessors.push_back({{"bufferView", add_view(pos.data(), pos.size() * 4, kArrayBuffer)},
                       {"componentType", kFloat}, {"count", n}, {"type", "VEC3"}, {"min", jmin}, {"max", jmax}});
  attributes["POSITION"] = accessors.size() - 1;

  if (g.is_mesh()) {
    std::vector<float> nrm(3 * n);
    const auto normals = vertex_normals(g);
    for (std::size_t i = 0; i < n; ++i) {
      Eigen::Vector3d v = normals[i].norm() > 0.5 ? normals[i] : Eigen::Vector3d::UnitZ();  // unit length required
      for (int k = 0; k < 3; ++k) nrm[3 * i + k] = static_cast<float>(v[k]);
    }
    accessors.push_back({{"bufferView", add_view(nrm.data(), nrm.size() * 4, kArrayBuffer)},
                         {"componentType", kFloat}, {"count", n}, {"type", "VEC3"}});
    attributes["NORMAL"] = accessors.size() - 1;
  }
  if (!colors.empty()) {
    std::vector<std::uint8_t> rgba(4 * n);
    for (std::size_t i = 0; i < n; ++i) {
      for (int k = 0; k < 3; ++k) rgba[4 * i + k] = colors[i][k];
      rgba[4 * i + 3] = 255;
    }
    accessors.push_back({{"bufferView", add_view(rgba.data(), rgba.size(), kArrayBuffer)},
                         {"componentType", kUByte}, {"normalized", true}, {"count", n}, {"type", "VEC4"}});
    attributes["COLOR_0"] = accessors.size() - 1;
  }
  for (const auto& f : fields) {
    std::vector<float> v(f.values.begin(), f.values.end());
    const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    accessors.push_back({{"bufferView", add_view(v.data(), v.size() * 4, kArrayBuffer)},
                         {"componentType", kFloat}, {"count", n}, {"type", "SCALAR"},
                         {"min", {*mn}}, {"max", {*mx}}});
    attributes[gltf_attribute_name(f.name)] = accessors.size() - 1;
  }
  json primitive = {{"attributes", attributes}, {"mode", g.is_mesh() ? 4 : 0}};
  if (g.is_mesh()) {
    std::vector<std::uint32_t> idx;
    idx.reserve(3 * g.faces.size());
    for (const auto& f : g.faces)
      for (int k = 0; k < 3; ++k) idx.push_back(static_cast<std::uint32_t>(f[k]));
    accessors.push_back({{"bufferView", add_view(idx.data(), idx.size() * 4, kElementArrayBuffer)},
                         {"componentType", kUInt}, {"count", idx.size()}, {"type", "SCALAR"}});
    primitive["indices"] = accessors.size() - 1;
  }
  while (bin.size() % 4) bin.push_back('\0');
  json doc = {{"asset", {{"version", "2.0"}, {"generator", "fitcheck"}}},
              {"scene", 0},
              {"scenes", {{{"nodes", {0}}}}},
              // glTF is in metres with +Y up: we keep millimetres with +Z up and say so on the node -- a 0.001
              // scale, then -90 deg about x (z -> y, y -> -z), so viewers show the foot standing on its sole
              // (fitcheck's reader turns it back).
              {"nodes", {{{"mesh", 0},
                          {"rotation", {-std::sqrt(0.5), 0.0, 0.0, std::sqrt(0.5)}},
                          {"scale", {0.001, 0.001, 0.001}},
                          {"name", "fitcheck (positions in mm, +Z up)"}}}},
              {"meshes", {{{"primitives", {primitive}}}}},
              {"buffers", {{{"byteLength", bin.size()}}}},
              {"bufferViews", views},
              {"accessors", accessors}};
  std::string js = doc.dump();
  while (js.size() % 4) js.push_back(' ');
  auto out = open_out(p);
  const auto total = static_cast<std::uint32_t>(12 + 8 + js.size() + 8 + bin.size());
  put(out, std::uint32_t{0x46546C67});  // "glTF"
  put(out, std::uint32_t{2});
  put(out, total);
  put(out, static_cast<std::uint32_t>(js.size()));
  put(out, std::uint32_t{0x4E4F534A});  // "JSON"
  out.write(js.data(), static_cast<std::streamsize>(js.size()));
  put(out, static_cast<std::uint32_t>(bin.size()));
  put(out, std::uint32_t{0x004E4942});  // "BIN\0"
  out.write(bin.data(), static_cast<std::streamsize>(bin.size()));
  if (!out) fail(ErrorCode::io, p, "write failed (disk full?)");
}

}  // namespace

std::string gltf_attribute_name(const std::string& field_name) {
  std::string s = "_";
  for (unsigned char c : field_name) s.push_back(std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_');
  return s;
}

std::vector<Eigen::Vector3d> vertex_normals(const Geometry& g) {
  std::vector<Eigen::Vector3d> n(g.vertices.size(), Eigen::Vector3d::Zero());
  for (const auto& f : g.faces) {
    const Eigen::Vector3d a = g.vertices[f[1]] - g.vertices[f[0]];
    const Eigen::Vector3d b = g.vertices[f[2]] - g.vertices[f[0]];
    const Eigen::Vector3d fn = a.cross(b);  // length = 2 x area: area weighting
    for (int k = 0; k < 3; ++k) n[f[k]] += fn;
  }
  for (auto& v : n) {
    const double len = v.norm();
    v = len > 0 ? Eigen::Vector3d(v / len) : Eigen::Vector3d::Zero();
  }
  return n;
}

std::vector<Rgb> colormap(const std::vector<double>& values, double lo, double hi) {
  FITCHECK_ASSERT(hi > lo);
  // Piecewise-linear "jet"-like ramp: blue, cyan, green, yellow, red.
  static const double stops[5][3] = {{0, 0, 255}, {0, 255, 255}, {0, 200, 0}, {255, 255, 0}, {255, 0, 0}};
  std::vector<Rgb> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    double t = std::isfinite(values[i]) ? (values[i] - lo) / (hi - lo) : 0.0;
    t = std::clamp(t, 0.0, 1.0) * 4.0;
    const int k = std::min(3, static_cast<int>(t));
    const double w = t - k;
    for (int c = 0; c < 3; ++c)
      out[i][c] = static_cast<std::uint8_t>(std::lround(stops[k][c] * (1 - w) + stops[k + 1][c] * w));
  }
  return out;
}

void write_geometry(const std::filesystem::path& path, const Geometry& g, const std::vector<VertexField>& fields,
                    const std::vector<Rgb>& colors) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  check_inputs(path, g, fields, colors);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) fail(ErrorCode::io, path, "cannot create its folder: " + ec.message());
  }
  if (ext == ".ply") return write_ply(path, g, fields, colors);
  if (ext == ".vtp") return write_vtp(path, g, fields, colors);
  if (ext == ".glb") return write_glb(path, g, fields, colors);
  if (ext == ".obj" || ext == ".stl") return detail::write_open3d(path, g);
  throw Error(ErrorCode::usage, "save",
              path.string() + ": unsupported output type '" + ext + "' (use .ply .vtp .glb .obj .stl)");
}

}  // namespace fitcheck::save
