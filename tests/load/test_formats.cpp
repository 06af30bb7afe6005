// Each supported format read back: counts, kind and bounding box survive, STL corners are welded, comments and
// headers in point lists are skipped. Files are written by our writers where we have one and by hand otherwise.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstring>

#include "load/load.hpp"
#include "save/save.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;
namespace tt = boost::test_tools;

namespace {


void expect_same_box(const Geometry& got, const Geometry& want, double tol_mm) {
  const BoundingBox a = bounding_box(got.vertices), b = bounding_box(want.vertices);
  for (int k = 0; k < 3; ++k) {
    BOOST_TEST(std::abs(a.min[k] - b.min[k]) <= tol_mm);
    BOOST_TEST(std::abs(a.max[k] - b.max[k]) <= tol_mm);
  }
}

// The error load_geometry() throws for `p` (code and message), or internal/"no error" when it loads.
std::pair<ErrorCode, std::string> load_error(const std::filesystem::path& p) {
  try {
    load::load_geometry(p);
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  return {ErrorCode::internal, "no error"};
}

std::string base64(const std::string& bin) {
  static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string enc;
  for (std::size_t i = 0; i < bin.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bin[i]) << 16) |
                       (i + 1 < bin.size() ? static_cast<unsigned char>(bin[i + 1]) << 8 : 0) |
                       (i + 2 < bin.size() ? static_cast<unsigned char>(bin[i + 2]) : 0);
    enc += b64[(n >> 18) & 63];
    enc += b64[(n >> 12) & 63];
    enc += i + 1 < bin.size() ? b64[(n >> 6) & 63] : '=';
    enc += i + 2 < bin.size() ? b64[n & 63] : '=';
  }
  return enc;
}

}  // namespace

BOOST_AUTO_TEST_CASE(ply_binary_mesh) {
  TempDir d;
  save::write_geometry(d / "f.ply", sample_foot());
  const auto r = load::load_geometry(d / "f.ply");
  BOOST_TEST(r.format == "ply-binary");
  BOOST_TEST(r.geometry.vertices.size() == sample_foot().vertices.size());
  BOOST_TEST(r.geometry.faces.size() == sample_foot().faces.size());
  BOOST_TEST(load::unit_name(r.unit) == std::string("mm"));
  expect_same_box(r.geometry, sample_foot(), 1e-3);
}

BOOST_AUTO_TEST_CASE(ply_ascii_mesh_and_points) {
  TempDir d;
  write_ascii_ply(d / "m.ply", sample_foot().vertices, sample_foot().faces);
  const auto m = load::load_geometry(d / "m.ply");
  BOOST_TEST(m.format == "ply-ascii");
  BOOST_TEST(m.geometry.faces.size() == sample_foot().faces.size());
  write_ascii_ply(d / "p.ply", sample_foot().vertices);
  const auto p = load::load_geometry(d / "p.ply");
  BOOST_TEST(!p.geometry.is_mesh());
  BOOST_TEST(p.geometry.vertices.size() == sample_foot().vertices.size());
  expect_same_box(p.geometry, sample_foot(), 1e-3);
}

BOOST_AUTO_TEST_CASE(ply_binary_points_with_fields) {
  TempDir d;
  Geometry cloud;
  cloud.vertices = sample_foot().vertices;
  std::vector<double> q(cloud.vertices.size(), 1.5);
  save::write_geometry(d / "c.ply", cloud, {{"quality", q}}, save::colormap(q, 0, 3));
  const auto r = load::load_geometry(d / "c.ply");
  BOOST_TEST(!r.geometry.is_mesh());
  BOOST_TEST(r.geometry.vertices.size() == cloud.vertices.size());
}

BOOST_AUTO_TEST_CASE(ply_face_lists_are_checked_before_open3d) {
  // Open3D trusts face lists: a list of 0 indices crashed its ear clipping (every face 0: segfault), a polygon with
  // a bad index read vertices out of bounds, lines (2 indices) and single points were counted as faces.
  TempDir d;
  write_ascii_ply(d / "m.ply", sample_foot().vertices, sample_foot().faces);
  const std::string text = read_text(d / "m.ply");
  const std::size_t last_face = text.rfind('\n', text.size() - 2) + 1;
  const std::size_t nf = sample_foot().faces.size(), nv = sample_foot().vertices.size();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0", "face " + std::to_string(nf - 1) + " has 0 vertex indices; a face needs at least 3"},
      {"1 5", "face " + std::to_string(nf - 1) + " has 1 vertex indices"},
      {"2 5 6", "face " + std::to_string(nf - 1) + " has 2 vertex indices"},
      {"4 1 2 3 " + std::to_string(nv + 7),
       "face " + std::to_string(nf - 1) + " refers to vertex " + std::to_string(nv + 7) + ", but the file has only"},
  };
  for (const auto& [face, want] : cases) {
    write_text(d / "bad.ply", text.substr(0, last_face) + face + "\n");
    const auto [code, message] = load_error(d / "bad.ply");
    BOOST_TEST_INFO("last face '" << face << "'");
    BOOST_TEST(code == ErrorCode::io);
    BOOST_TEST(message.find(want) != std::string::npos, message);
  }

  // Binary: a list length that disagrees with the data runs the faces past the end of the file.
  save::write_geometry(d / "b.ply", sample_foot());
  std::string bytes = read_text(d / "b.ply");
  bytes[bytes.size() - 13] = static_cast<char>(255);  // the last face's count byte: 255 indices, 3 stored
  write_text(d / "b255.ply", bytes);
  const auto [code, message] = load_error(d / "b255.ply");
  BOOST_TEST(code == ErrorCode::io);
  BOOST_TEST(message.find("binary PLY data ends inside face " + std::to_string(nf - 1) +
                          ": the list lengths in the data do not match the file size") != std::string::npos,
             message);
}

BOOST_AUTO_TEST_CASE(ply_ascii_inf_is_invalid_input_like_nan) {
  // rply refuses inf (and a float beyond FLT_MAX) as a bare parse failure, exit 3 "malformed", but passes nan on to
  // the NaN check, exit 4: the same unusable coordinate gave two different answers.
  TempDir d;
  write_ascii_ply(d / "m.ply", sample_foot().vertices, sample_foot().faces);
  const std::string text = read_text(d / "m.ply");
  std::size_t line7 = text.find("end_header\n") + 11;
  for (int i = 0; i < 7; ++i) line7 = text.find('\n', line7) + 1;
  const std::size_t x_end = text.find(' ', line7);
  for (const char* x : {"nan", "inf", "-inf", "1e39"}) {
    write_text(d / "bad.ply", text.substr(0, line7) + x + text.substr(x_end));
    const auto [code, message] = load_error(d / "bad.ply");
    BOOST_TEST_INFO("x = " << x);
    BOOST_TEST(code == ErrorCode::invalid_input);
    BOOST_TEST(message.find("vertex 7 has a NaN or infinite coordinate") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(ply_binary_big_endian_mesh) {
  // The face-list walk decodes counts and indices in the file's byte order.
  TempDir d;
  const Geometry& foot = sample_foot();
  std::ostringstream s;
  s << "ply\nformat binary_big_endian 1.0\nelement vertex " << foot.vertices.size()
    << "\nproperty float x\nproperty float y\nproperty float z\nelement face " << foot.faces.size()
    << "\nproperty list ushort int vertex_indices\nend_header\n";
  auto put = [&](auto value) {
    char b[sizeof value];
    std::memcpy(b, &value, sizeof value);
    std::reverse(b, b + sizeof value);
    s.write(b, sizeof value);
  };
  for (const auto& v : foot.vertices)
    for (int k = 0; k < 3; ++k) put(static_cast<float>(v[k]));
  for (const auto& f : foot.faces) {
    put(std::uint16_t{3});
    for (int k = 0; k < 3; ++k) put(std::int32_t{f[k]});
  }
  write_text(d / "be.ply", s.str());
  const auto r = load::load_geometry(d / "be.ply");
  BOOST_TEST(r.geometry.faces.size() == foot.faces.size());
  expect_same_box(r.geometry, foot, 1e-3);
}

BOOST_AUTO_TEST_CASE(stl_binary_and_ascii_are_welded) {
  TempDir d;
  save::write_geometry(d / "f.stl", sample_foot());
  const auto b = load::load_geometry(d / "f.stl");
  BOOST_TEST(b.format == "stl-binary");
  BOOST_TEST(b.vertices_in_file == 3 * sample_foot().faces.size());
  BOOST_TEST(b.geometry.vertices.size() == sample_foot().vertices.size());
  BOOST_TEST(analyze_topology(b.geometry).closed);

  std::ostringstream s;
  s.precision(9);
  s << "solid foot\n";
  for (const auto& f : sample_foot().faces) {
    s << " facet normal 0 0 0\n  outer loop\n";
    for (int k = 0; k < 3; ++k) {
      const auto& v = sample_foot().vertices[f[k]];
      s << "   vertex " << v.x() << ' ' << v.y() << ' ' << v.z() << "\n";
    }
    s << "  endloop\n endfacet\n";
  }
  s << "endsolid foot\n";
  write_text(d / "a.stl", s.str());
  const auto a = load::load_geometry(d / "a.stl");
  BOOST_TEST(a.format == "stl-ascii");
  BOOST_TEST(a.geometry.vertices.size() == sample_foot().vertices.size());
  BOOST_TEST(analyze_topology(a.geometry).closed);

  // Cut off after a whole facet (a download or copy stopped part-way), it read as a smaller foot with its holes filled.
  const std::string text = s.str();
  const std::size_t cut = text.rfind(" endfacet\n", text.size() / 2);
  BOOST_REQUIRE(cut != std::string::npos);
  write_text(d / "cut.stl", text.substr(0, cut + 10));
  const auto [code, message] = load_error(d / "cut.stl");
  BOOST_TEST(code == ErrorCode::io);
  BOOST_TEST(message.find("truncated ascii STL") != std::string::npos, message);
  // What may follow a complete file's 'endsolid' is no cut: a DOS end-of-file byte, NUL padding, a comment line, CRLF.
  for (const std::string& tail : {std::string("\x1a"), std::string(16, '\0'), std::string("exported by X\n"), std::string("\r\n\r\n")}) {
    write_text(d / "tail.stl", text + tail);
    BOOST_TEST(load::load_geometry(d / "tail.stl").geometry.vertices.size() == sample_foot().vertices.size());
  }
}

BOOST_AUTO_TEST_CASE(obj_mesh_quads_and_points) {
  TempDir d;
  save::write_geometry(d / "f.obj", sample_foot());
  const auto m = load::load_geometry(d / "f.obj");
  BOOST_TEST(m.format == "obj");
  BOOST_TEST(m.geometry.faces.size() == sample_foot().faces.size());
  expect_same_box(m.geometry, sample_foot(), 1e-3);

  // Quads with v/vt/vn tokens are triangulated.
  const Geometry box = synth::make_box({120, 60, 50});
  std::ostringstream s;
  for (const auto& v : box.vertices) s << "v " << v.x() << ' ' << v.y() << ' ' << v.z() << "\n";
  for (int i = 0; i < 100; ++i) s << "v " << 1 + i % 50 << ' ' << 1 + i % 7 << ' ' << 1 + i % 11 << "\n";  // interior
  s << "vn 0 0 1\nf 1//1 3//1 4//1 2//1\nf 5 6 8 7\n";
  write_text(d / "q.obj", s.str());
  const auto q = load::load_geometry(d / "q.obj");
  BOOST_TEST(q.geometry.faces.size() == 4u);

  std::ostringstream pts;
  for (const auto& v : sample_foot().vertices) pts << "v " << v.x() << ' ' << v.y() << ' ' << v.z() << "\n";
  write_text(d / "p.obj", pts.str());
  const auto p = load::load_geometry(d / "p.obj");
  BOOST_TEST(!p.geometry.is_mesh());
  BOOST_TEST(p.geometry.vertices.size() == sample_foot().vertices.size());
}

BOOST_AUTO_TEST_CASE(obj_face_tokens_follow_the_spec) {
  // 'v', 'v/vt', 'v//vn' and 'v/vt/vn' are the spec's forms; '1/', '2/x' or '3//' used to be read as 1, 2 and 3.
  TempDir d;
  std::ostringstream verts;
  for (const auto& v : sample_foot().vertices) verts << "v " << v.x() << ' ' << v.y() << ' ' << v.z() << "\n";
  verts << "vt 0 0\nvn 0 0 1\n";
  write_text(d / "ok.obj", verts.str() + "f 1 2 3\nf 4/1 5/1 6/1\nf 7//1 8//1 9//1\nf 10/1/1 11/1/1 -1/-1/-1\n");
  BOOST_TEST(load::load_geometry(d / "ok.obj").geometry.faces.size() == 4u);
  for (const char* tok : {"1/", "2/x", "3//", "4/1/", "5//x", "6/1/1/1", "/7", "8x", "9/+1"}) {
    write_text(d / "bad.obj", verts.str() + "f 1 2 3\nf 20 21 " + tok + "\n");
    const auto [code, message] = load_error(d / "bad.obj");
    BOOST_TEST_INFO("token " << tok);
    BOOST_TEST(code == ErrorCode::io);
    BOOST_TEST(message.find("line " + std::to_string(sample_foot().vertices.size() + 4) + ": bad face index '" + tok +
                            "'") != std::string::npos,
               message);
  }
}

BOOST_AUTO_TEST_CASE(pcd_ascii) {
  TempDir d;
  std::ostringstream s;
  const auto& v = sample_foot().vertices;
  s << "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH " << v.size()
    << "\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS " << v.size() << "\nDATA ascii\n";
  for (const auto& p : v) s << p.x() << ' ' << p.y() << ' ' << p.z() << "\n";
  write_text(d / "f.pcd", s.str());
  const auto r = load::load_geometry(d / "f.pcd");
  BOOST_TEST(r.format == "pcd");
  BOOST_TEST(r.geometry.vertices.size() == v.size());
  expect_same_box(r.geometry, sample_foot(), 1e-2);
}

BOOST_AUTO_TEST_CASE(pcd_double_and_integer_coordinates) {
  // Converting to PCL's PointXYZ copies only float32 fields: double and integer coordinates were read as zeros
  // ("all points identical").
  TempDir d;
  const auto& v = sample_foot().vertices;
  auto header = [&](const std::string& size, const std::string& type, const std::string& data) {
    std::ostringstream s;
    s << "VERSION 0.7\nFIELDS x y z\nSIZE " << size << "\nTYPE " << type << "\nCOUNT 1 1 1\nWIDTH " << v.size()
      << "\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS " << v.size() << "\nDATA " << data << "\n";
    return s.str();
  };
  std::ostringstream ascii;
  ascii.precision(12);
  for (const auto& q : v) ascii << q.x() << ' ' << q.y() << ' ' << q.z() << "\n";
  write_text(d / "d.pcd", header("8 8 8", "F F F", "ascii") + ascii.str());
  expect_same_box(load::load_geometry(d / "d.pcd").geometry, sample_foot(), 1e-6);
  write_text(d / "mixed.pcd", header("8 4 8", "F F F", "ascii") + ascii.str());
  expect_same_box(load::load_geometry(d / "mixed.pcd").geometry, sample_foot(), 1e-3);

  std::string bin = header("8 8 8", "F F F", "binary");
  for (const auto& q : v)
    for (int k = 0; k < 3; ++k) bin.append(reinterpret_cast<const char*>(&q[k]), 8);
  write_text(d / "db.pcd", bin);
  expect_same_box(load::load_geometry(d / "db.pcd").geometry, sample_foot(), 1e-9);

  // Integer coordinates (whole millimetres, shifted positive for U) are numbers too.
  for (const char* t : {"I I I", "U U U"}) {
    std::ostringstream ints;
    for (const auto& q : v) ints << std::lround(q.x() + 500) << ' ' << std::lround(q.y() + 500) << ' ' << std::lround(q.z() + 500) << "\n";
    write_text(d / "i.pcd", header("4 4 4", t, "ascii") + ints.str());
    BOOST_TEST_INFO("TYPE " << t);
    const BoundingBox b = bounding_box(load::load_geometry(d / "i.pcd").geometry.vertices), want = bounding_box(v);
    for (int k = 0; k < 3; ++k) {
      BOOST_TEST(std::abs(b.min[k] - (want.min[k] + 500)) <= 0.5);
      BOOST_TEST(std::abs(b.max[k] - (want.max[k] + 500)) <= 0.5);
    }
  }

  // A half-float is no type PCL reads: refused, naming the field's TYPE and SIZE.
  write_text(d / "h.pcd", header("2 2 2", "F F F", "ascii") + ascii.str());
  const auto [code, message] = load_error(d / "h.pcd");
  BOOST_TEST(code == ErrorCode::io);
  BOOST_TEST(message.find("field 'x' has TYPE F SIZE 2, which is not supported") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(xyz_with_comments_header_and_commas) {
  TempDir d;
  std::ostringstream s;
  s << "# ASCII\n// exported\nx,y,z,intensity\n";
  for (const auto& p : sample_foot().vertices) s << p.x() << ", " << p.y() << ", " << p.z() << ", 7\n";
  write_text(d / "f.asc", s.str());
  const auto r = load::load_geometry(d / "f.asc");
  BOOST_TEST(r.format == "xyz");
  BOOST_TEST(r.geometry.vertices.size() == sample_foot().vertices.size());
  // A bad line in the middle is an error naming the line.
  write_text(d / "bad.xyz", "1 2 3\n4 5 6\nhello world\n");
  try {
    load::load_geometry(d / "bad.xyz");
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::io);
    BOOST_TEST(std::string(e.what()).find("line 3") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(glb_written_by_us_reads_back) {
  TempDir d;
  std::vector<double> p(sample_foot().vertices.size());
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = sample_foot().vertices[i].z();
  save::write_geometry(d / "f.glb", sample_foot(), {{"pressure_kpa", p}}, save::colormap(p, 0, 100));
  const auto r = load::load_geometry(d / "f.glb");
  BOOST_TEST(r.format == "glb");
  BOOST_TEST(r.geometry.faces.size() == sample_foot().faces.size());
  BOOST_TEST(r.geometry.vertices.size() == sample_foot().vertices.size());
  expect_same_box(r.geometry, sample_foot(), 1e-3);
}

BOOST_AUTO_TEST_CASE(glb_point_cloud_reads_back) {
  TempDir d;
  Geometry cloud;
  cloud.vertices = sample_foot().vertices;
  save::write_geometry(d / "c.glb", cloud, {{"quality", std::vector<double>(cloud.vertices.size(), 2.0)}});
  const auto r = load::load_geometry(d / "c.glb");
  BOOST_TEST(r.format == "glb");
  BOOST_TEST(!r.geometry.is_mesh());
  BOOST_TEST(r.geometry.vertices.size() == cloud.vertices.size());
  expect_same_box(r.geometry, sample_foot(), 1e-3);
}

BOOST_AUTO_TEST_CASE(broken_glb_and_gltf_are_io_errors) {
  TempDir d;
  save::write_geometry(d / "f.glb", sample_foot());
  const std::string bytes = read_text(d / "f.glb");
  write_text(d / "cut.glb", bytes.substr(0, bytes.size() / 2));
  const auto cut = load_error(d / "cut.glb");
  BOOST_TEST(cut.first == ErrorCode::io);
  BOOST_TEST(cut.second.find("truncated GLB") != std::string::npos, cut.second);
  // An accessor that claims more vertices than its buffer holds.
  write_text(d / "lie.gltf",
             R"({"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":0},"mode":0}]}],)"
             R"("buffers":[{"byteLength":12,"uri":"data:application/octet-stream;base64,AAAAAAAAAAAAAAAA"}],)"
             R"("bufferViews":[{"buffer":0,"byteLength":12}],)"
             R"("accessors":[{"bufferView":0,"componentType":5126,"count":500,"type":"VEC3"}]})");
  const auto lie = load_error(d / "lie.gltf");
  BOOST_TEST(lie.first == ErrorCode::io);
  BOOST_TEST(lie.second.find("reads past the end") != std::string::npos, lie.second);
}

BOOST_AUTO_TEST_CASE(gltf_negative_or_huge_integers_are_io_errors_naming_the_field) {
  // nlohmann turns -12 into a huge size_t: a negative accessor byteOffset then wrapped back to a valid start (read
  // silently), a negative view byteOffset read before the buffer (heap overflow), a negative count asked for an
  // impossible allocation.
  TempDir d;
  std::string bin;
  for (float f : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) bin.append(reinterpret_cast<const char*>(&f), 4);
  auto gltf = [&](const std::string& view, const std::string& accessor, const std::string& more_accessors = "",
                  const std::string& primitive = R"("mode":0)") {
    return R"({"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":0},)" + primitive +
           R"(}]}],"buffers":[{"byteLength":24,"uri":"data:application/octet-stream;base64,)" + base64(bin) +
           R"("}],"bufferViews":[{"buffer":0,)" + view + R"(}],"accessors":[{"bufferView":0,)" +
           (accessor.find("componentType") == std::string::npos ? R"("componentType":5126,)" : "") +  // no key twice
           R"("type":"VEC3",)" + accessor + "}" + more_accessors + "]}";
  };
  const std::vector<std::array<std::string, 3>> cases = {
      {R"("byteOffset":12,"byteLength":12)", R"("byteOffset":-12,"count":2)", "accessor 0 byteOffset is -12"},
      {R"("byteOffset":-100,"byteLength":24)", R"("count":2)", "buffer view 0 byteOffset is -100"},
      {R"("byteLength":-1)", R"("count":2)", "buffer view 0 byteLength is -1"},
      {R"("byteLength":24,"byteStride":-4)", R"("count":2)", "buffer view 0 byteStride is -4"},
      {R"("byteLength":24)", R"("count":-1)", "accessor 0 count is -1"},
      {R"("byteLength":24)", R"("count":2.5)", "accessor 0 count is 2.5"},
      {R"("byteLength":24)", R"("count":18446744073709551615)", "accessor 0 count is 18446744073709551615"},
      {R"("byteLength":24)", R"("count":2,"componentType":-5126)", "accessor 0 componentType is -5126"},
  };
  for (const auto& [view, accessor, want] : cases) {
    write_text(d / "bad.gltf", gltf(view, accessor));
    const auto [code, message] = load_error(d / "bad.gltf");
    BOOST_TEST_INFO(view << " / " << accessor);
    BOOST_TEST(code == ErrorCode::io);
    BOOST_TEST(message.find(want) != std::string::npos, message);
  }
  // Indices stored as floats would be truncated into some other vertex; the spec allows unsigned integers only.
  write_text(d / "fidx.gltf", gltf(R"("byteLength":24)", R"("count":2)",
                                   R"(,{"bufferView":0,"componentType":5126,"count":3,"type":"SCALAR"})",
                                   R"("indices":1)"));
  const auto fidx = load_error(d / "fidx.gltf");
  BOOST_TEST(fidx.first == ErrorCode::io);
  BOOST_TEST(fidx.second.find("componentType 5126; indices must be unsigned integers") != std::string::npos,
             fidx.second);
}

BOOST_AUTO_TEST_CASE(gltf_normalized_quantized_positions_are_scaled) {
  // KHR_mesh_quantization: positions as normalized 16-bit integers, the node's scale taking them back to mm. Read as
  // raw integers, the 240 mm box came out 65535 times too large (a silent wrong answer, exit 0).
  TempDir d;
  const Geometry box = synth::make_box({240, 90, 70});
  const BoundingBox bb = bounding_box(box.vertices);
  std::string bin;
  for (const auto& v : box.vertices)
    for (int k = 0; k < 3; ++k) {
      // Each coordinate as a fraction of 250 mm, to 16 bits.
      const auto q = static_cast<std::uint16_t>(std::lround((v[k] - bb.min[k]) / 250.0 * 65535.0));
      bin.append(reinterpret_cast<const char*>(&q), 2);
      if (k == 2) bin.append(2, '\0');  // vertex attributes are 4-byte aligned: 8 bytes per vertex
    }
  for (const auto& f : box.faces)
    for (int k = 0; k < 3; ++k) {
      const auto i = static_cast<std::uint16_t>(f[k]);
      bin.append(reinterpret_cast<const char*>(&i), 2);
    }
  auto gltf = [&](const std::string& required, const std::string& normalized) {
    std::ostringstream j;
    j << R"({"asset":{"version":"2.0"},)" << required << R"("scene":0,"scenes":[{"nodes":[0]}],)"
      << R"("nodes":[{"mesh":0,"scale":[250,250,250]}],"meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1}]}],)"
      << R"("buffers":[{"byteLength":)" << bin.size() << R"(,"uri":"data:application/octet-stream;base64,)" << base64(bin)
      << R"("}],"bufferViews":[{"buffer":0,"byteLength":64,"byteStride":8},{"buffer":0,"byteOffset":64,"byteLength":72}],)"
      << R"("accessors":[{"bufferView":0,"componentType":5123,)" << normalized << R"("count":8,"type":"VEC3"},)"
      << R"({"bufferView":1,"componentType":5123,"count":36,"type":"SCALAR"}]})";
    return j.str();
  };
  load::Options o;
  o.min_points = 8;
  write_text(d / "q.gltf", gltf(R"("extensionsUsed":["KHR_mesh_quantization"],"extensionsRequired":["KHR_mesh_quantization"],)",
                                R"("normalized":true,)"));
  const auto r = load::load_geometry(d / "q.gltf", o);
  const BoundingBox got = bounding_box(r.geometry.vertices);
  // The file's 240 x 90 x 70 box with glTF's +Y up: its 90 is our height (z), its 70 our width (y).
  BOOST_TEST(got.extent().x() == 240.0, tt::tolerance(1e-3));
  BOOST_TEST(got.extent().y() == 70.0, tt::tolerance(1e-3));
  BOOST_TEST(got.extent().z() == 90.0, tt::tolerance(1e-3));
  // Normalized indices or floats are not valid glTF: refused, naming the accessor.
  write_text(d / "qf.gltf", gltf("", R"("normalized":"yes",)"));
  const auto bad = load_error(d / "qf.gltf");
  BOOST_TEST(bad.first == ErrorCode::io);
  BOOST_TEST(bad.second.find("accessor 0 normalized is \"yes\"") != std::string::npos, bad.second);
  // A key given twice: nlohmann kept the last one silently (here the second accessor, the indices, as positions).
  std::string twice = gltf("", "");
  const std::string attr = R"("POSITION":0)";
  twice.replace(twice.find(attr), attr.size(), attr + R"(,"POSITION":1)");
  write_text(d / "dup.gltf", twice);
  const auto dup = load_error(d / "dup.gltf");
  BOOST_TEST(dup.first == ErrorCode::io);
  BOOST_TEST(dup.second.find("'meshes[0].primitives[0].attributes.POSITION' is given twice") != std::string::npos, dup.second);
}

BOOST_AUTO_TEST_CASE(gltf_requiring_compression_is_refused_by_name) {
  // Draco- or meshopt-compressed geometry was refused as "accessor 0 has no bufferView", which names no cause.
  TempDir d;
  for (const std::string ext : {"KHR_draco_mesh_compression", "EXT_meshopt_compression", "EXT_mesh_gpu_instancing"}) {
    write_text(d / "c.gltf",
               R"({"asset":{"version":"2.0"},"extensionsUsed":[")" + ext + R"("],"extensionsRequired":[")" + ext +
                   R"("],"meshes":[{"primitives":[{"attributes":{"POSITION":0},"mode":0}]}],)"
                   R"("accessors":[{"componentType":5126,"count":2,"type":"VEC3"}]})");
    const auto [code, message] = load_error(d / "c.gltf");
    BOOST_TEST(code == ErrorCode::io);
    BOOST_TEST(message.find("requires the glTF extension " + ext) != std::string::npos, message);
  }
  // Material extensions do not change the geometry: the file reads.
  std::string bin;
  for (float f : {0.f, 0.f, 0.f, 10.f, 0.f, 0.f, 0.f, 10.f, 0.f, 0.f, 0.f, 12.f}) bin.append(reinterpret_cast<const char*>(&f), 4);
  write_text(d / "m.gltf",
             R"({"asset":{"version":"2.0"},"extensionsUsed":["KHR_materials_unlit"],"extensionsRequired":["KHR_materials_unlit"],)"
             R"("meshes":[{"primitives":[{"attributes":{"POSITION":0},"mode":0}]}],)"
             R"("buffers":[{"byteLength":48,"uri":"data:application/octet-stream;base64,)" + base64(bin) +
                 R"("}],"bufferViews":[{"buffer":0,"byteLength":48}],)"
                 R"("accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3"}]})");
  load::Options o;
  o.min_points = 4;
  const auto r = load::load_geometry(d / "m.gltf", o);
  BOOST_TEST(r.geometry.vertices.size() == 4u);
  // Units aside: glTF's +Y up is our +Z, its +Z our -Y.
  BOOST_TEST(r.geometry.vertices[2].z() / r.geometry.vertices[1].x() == 1.0, tt::tolerance(1e-9));
  BOOST_TEST(-r.geometry.vertices[3].y() / r.geometry.vertices[1].x() == 1.2, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(gltf_buffer_uri_naming_a_directory_is_an_io_error) {
  // A directory opens as a stream and failed only on reading, with a library exception (exit 5, "unexpected").
  TempDir d;
  std::filesystem::create_directory(d / "sub");
  write_text(d / "dir.gltf",
             R"({"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":0},"mode":0}]}],)"
             R"("buffers":[{"byteLength":24,"uri":"sub"}],"bufferViews":[{"buffer":0,"byteLength":24}],)"
             R"("accessors":[{"bufferView":0,"componentType":5126,"count":2,"type":"VEC3"}]})");
  const auto [code, message] = load_error(d / "dir.gltf");
  BOOST_TEST(code == ErrorCode::io);
  BOOST_TEST(message.find("buffer file 'sub' is a directory") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(gltf_with_embedded_buffer) {
  // Minimal glTF: one triangle soup of the box corners via a data: URI (base64), written by hand.
  TempDir d;
  const Geometry box = synth::make_box({240, 90, 70});
  std::string bin;
  for (const auto& v : box.vertices)
    for (int k = 0; k < 3; ++k) {
      float f = static_cast<float>(v[k]);
      bin.append(reinterpret_cast<const char*>(&f), 4);
    }
  for (const auto& f : box.faces)
    for (int k = 0; k < 3; ++k) {
      std::uint16_t i = static_cast<std::uint16_t>(f[k]);
      bin.append(reinterpret_cast<const char*>(&i), 2);
    }
  const std::string enc = base64(bin);
  std::ostringstream j;
  j << R"({"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],)"
    << R"("meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1}]}],)"
    << R"("buffers":[{"byteLength":)" << bin.size() << R"(,"uri":"data:application/octet-stream;base64,)" << enc
    << R"("}],"bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":96},{"buffer":0,"byteOffset":96,"byteLength":72}],)"
    << R"("accessors":[{"bufferView":0,"componentType":5126,"count":8,"type":"VEC3","min":[0,0,0],"max":[240,90,70]},)"
    << R"({"bufferView":1,"componentType":5123,"count":36,"type":"SCALAR"}]})";
  write_text(d / "box.gltf", j.str());
  load::Options o;
  o.min_points = 8;
  const auto r = load::load_geometry(d / "box.gltf", o);
  BOOST_TEST(r.format == "gltf");
  BOOST_TEST(r.geometry.faces.size() == 12u);
  BOOST_TEST(bounding_box(r.geometry.vertices).extent().x() == 240.0, tt::tolerance(1e-6));
  BOOST_TEST(analyze_topology(r.geometry).closed);
}

BOOST_AUTO_TEST_CASE(extension_is_case_insensitive) {
  TempDir d;
  save::write_geometry(d / "F.PLY", sample_foot());
  BOOST_TEST(load::load_geometry(d / "F.PLY").geometry.faces.size() == sample_foot().faces.size());
}
