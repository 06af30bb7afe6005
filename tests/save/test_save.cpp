// Writers: what standard tools read back. PLY through our loader (and its header lists the fields), VTP through
// VTK's own XML reader (what ParaView uses), GLB through Open3D's tinygltf reader plus a check of the custom
// attribute in the JSON chunk, OBJ/STL through our loader.
#include <open3d/geometry/TriangleMesh.h>
#include <open3d/io/TriangleMeshIO.h>
#include <vtkDataArray.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <vtkXMLPolyDataReader.h>

#include <Eigen/Geometry>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "load/load.hpp"
#include "save/save.hpp"
#include "synth/synth.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using namespace fitcheck::test;
namespace tt = boost::test_tools;

namespace {


std::vector<double> height_field() {
  std::vector<double> p;
  for (const auto& v : sample_foot().vertices) p.push_back(v.z() * 0.5);  // kPa, any known function of position
  return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(ply_with_fields_and_colours) {
  TempDir d;
  const auto p = height_field();
  save::write_geometry(d / "f.ply", sample_foot(), {{"pressure_kpa", p}, {"clearance_mm", p}}, save::colormap(p, 0, 50));
  const std::string text = read_text(d / "f.ply");
  const std::string header = text.substr(0, text.find("end_header"));
  BOOST_TEST(header.find("property float pressure_kpa") != std::string::npos);
  BOOST_TEST(header.find("property float clearance_mm") != std::string::npos);
  BOOST_TEST(header.find("property uchar red") != std::string::npos);
  const auto r = load::load_geometry(d / "f.ply");
  BOOST_TEST(r.geometry.faces.size() == sample_foot().faces.size());
  // Open3D (independent of our loader) reads the colours back.
  open3d::geometry::TriangleMesh m;
  BOOST_REQUIRE(open3d::io::ReadTriangleMesh((d / "f.ply").string(), m));
  BOOST_REQUIRE(m.HasVertexColors());
  const auto c = save::colormap(p, 0, 50);
  BOOST_TEST(m.vertex_colors_[5][0] * 255.0 == double(c[5][0]), tt::tolerance(0.51));
}

BOOST_AUTO_TEST_CASE(vtp_reads_back_in_vtk) {
  TempDir d;
  const auto p = height_field();
  save::write_geometry(d / "f.vtp", sample_foot(), {{"pressure_kpa", p}}, save::colormap(p, 0, 50));
  auto reader = vtkSmartPointer<vtkXMLPolyDataReader>::New();
  reader->SetFileName((d / "f.vtp").string().c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  BOOST_REQUIRE(poly != nullptr);
  BOOST_TEST(poly->GetNumberOfPoints() == static_cast<vtkIdType>(sample_foot().vertices.size()));
  BOOST_TEST(poly->GetNumberOfPolys() == static_cast<vtkIdType>(sample_foot().faces.size()));
  vtkDataArray* arr = poly->GetPointData()->GetArray("pressure_kpa");
  BOOST_REQUIRE(arr != nullptr);
  for (vtkIdType i = 0; i < poly->GetNumberOfPoints(); i += 97) BOOST_TEST(arr->GetTuple1(i) == p[i], tt::tolerance(1e-6));
  BOOST_TEST(poly->GetPointData()->GetArray("rgb") != nullptr);
  double b[6];
  poly->GetBounds(b);
  BOOST_TEST(b[1] - b[0] == bounding_box(sample_foot().vertices).extent().x(), tt::tolerance(1e-6));

  Geometry cloud;
  cloud.vertices = sample_foot().vertices;
  save::write_geometry(d / "c.vtp", cloud, {{"pressure_kpa", p}});
  reader = vtkSmartPointer<vtkXMLPolyDataReader>::New();
  reader->SetFileName((d / "c.vtp").string().c_str());
  reader->Update();
  BOOST_TEST(reader->GetOutput()->GetNumberOfVerts() == static_cast<vtkIdType>(cloud.vertices.size()));
}

BOOST_AUTO_TEST_CASE(glb_reads_back_with_colours_and_custom_attribute) {
  TempDir d;
  const auto p = height_field();
  const auto colors = save::colormap(p, 0, 50);
  save::write_geometry(d / "f.glb", sample_foot(), {{"pressure_kpa", p}}, colors);

  // An independent reader (Open3D) sees geometry and colours (it reads the positions as stored, without the node).
  open3d::geometry::TriangleMesh m;
  BOOST_REQUIRE(open3d::io::ReadTriangleMesh((d / "f.glb").string(), m));
  BOOST_TEST(m.vertices_.size() == sample_foot().vertices.size());
  BOOST_TEST(m.triangles_.size() == sample_foot().faces.size());
  BOOST_REQUIRE(m.HasVertexColors());
  BOOST_TEST(m.vertex_colors_[11][2] * 255.0 == double(colors[11][2]), tt::tolerance(0.51));

  // The JSON chunk declares the custom attribute, and its accessor holds the field.
  const std::string bytes = read_text(d / "f.glb");
  std::uint32_t magic, json_len;
  std::memcpy(&magic, bytes.data(), 4);
  BOOST_REQUIRE(magic == 0x46546C67u);
  std::memcpy(&json_len, bytes.data() + 12, 4);
  const auto j = nlohmann::json::parse(bytes.substr(20, json_len));
  // The node as glTF reads it (translation * rotation * scale, quaternion x y z w): metres with +Y up, the foot's
  // height (z) along y, its medial side (+y) along -z. Without the turn viewers showed it lying on its side.
  const auto& node = j["nodes"][0];
  BOOST_TEST(!node.contains("translation"));
  const auto q = node["rotation"].get<std::vector<double>>();
  const auto sc = node["scale"].get<std::vector<double>>();
  BOOST_REQUIRE(q.size() == 4u);
  BOOST_REQUIRE(sc.size() == 3u);
  const Eigen::Matrix3d node_m =
      Eigen::Quaterniond(q[3], q[0], q[1], q[2]).toRotationMatrix() * Eigen::Vector3d(sc[0], sc[1], sc[2]).asDiagonal();
  for (std::size_t i = 0; i < m.vertices_.size(); i += 97) {
    const Eigen::Vector3d seen = node_m * m.vertices_[i], foot = sample_foot().vertices[i];
    BOOST_TEST((seen - 0.001 * Eigen::Vector3d(foot.x(), foot.z(), -foot.y())).norm() < 1e-7, "vertex " << i);  // m
  }
  const auto& attrs = j["meshes"][0]["primitives"][0]["attributes"];
  BOOST_REQUIRE(attrs.contains("_PRESSURE_KPA"));
  BOOST_TEST(attrs.contains("COLOR_0"));
  const auto& acc = j["accessors"][attrs["_PRESSURE_KPA"].get<int>()];
  BOOST_TEST(acc["count"].get<std::size_t>() == sample_foot().vertices.size());
  const auto& view = j["bufferViews"][acc["bufferView"].get<int>()];
  const std::size_t bin_start = 20 + json_len + 8;
  for (std::size_t i = 0; i < p.size(); i += 101) {
    float f;
    std::memcpy(&f, bytes.data() + bin_start + view["byteOffset"].get<std::size_t>() + 4 * i, 4);
    BOOST_TEST(f == p[i], tt::tolerance(1e-5));
  }
  BOOST_TEST(bytes.size() % 4 == 0u);
}

BOOST_AUTO_TEST_CASE(obj_and_stl_round_trip) {
  TempDir d;
  for (const char* name : {"f.obj", "f.stl"}) {
    save::write_geometry(d / name, sample_foot());
    const auto r = load::load_geometry(d / name);
    BOOST_TEST(r.geometry.vertices.size() == sample_foot().vertices.size());
    BOOST_TEST(r.geometry.faces.size() == sample_foot().faces.size());
    BOOST_TEST(analyze_topology(r.geometry).closed);
  }
}

BOOST_AUTO_TEST_CASE(bad_writer_inputs) {
  TempDir d;
  auto code_of = [&](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return static_cast<int>(e.code());
    }
    return -1;
  };
  BOOST_TEST(code_of([&] { save::write_geometry(d / "x.ply", sample_foot(), {{"short", {1.0, 2.0}}}); }) ==
             static_cast<int>(ErrorCode::invalid_input));
  std::vector<double> nan_field(sample_foot().vertices.size(), 1.0);
  nan_field[3] = std::nan("");
  BOOST_TEST(code_of([&] { save::write_geometry(d / "x.vtp", sample_foot(), {{"p", nan_field}}); }) ==
             static_cast<int>(ErrorCode::invalid_input));
  BOOST_TEST(code_of([&] { save::write_geometry(d / "x.dxf", sample_foot()); }) == static_cast<int>(ErrorCode::usage));
}

BOOST_AUTO_TEST_CASE(colormap_ends_and_clamping) {
  const auto c = save::colormap({-5.0, 0.0, 50.0, 100.0, 1e9}, 0, 100);
  BOOST_TEST((c[0] == save::Rgb{0, 0, 255}));
  BOOST_TEST((c[1] == save::Rgb{0, 0, 255}));
  BOOST_TEST((c[2] == save::Rgb{0, 200, 0}));
  BOOST_TEST((c[3] == save::Rgb{255, 0, 0}));
  BOOST_TEST((c[4] == save::Rgb{255, 0, 0}));
}
