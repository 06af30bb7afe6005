// Generates the bundled samples in scans/ and lasts/ from the parametric shapes of src/synth (deterministic).
//   make_samples OUT_DIR    -> OUT_DIR/scans/*.{ply,obj}, OUT_DIR/lasts/*.{stl,ply}
// Mixed formats and units on purpose: the right foot is a binary PLY in mm, the left foot an OBJ in metres (as phone
// apps export), the lasts an STL and a PLY in mm.
#include <filesystem>
#include <iostream>

#include "core/error.hpp"
#include "save/save.hpp"
#include "synth/synth.hpp"

using namespace fitcheck;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_samples OUT_DIR\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  try {
    synth::FootShape foot;  // defaults: 265 mm long, 100 mm ball width
    const Geometry right = synth::make_foot(foot);
    save::write_geometry(out / "scans" / "foot-right.ply", right);
    Geometry left_m = synth::mirror_y(right);
    scale(left_m, 1e-3);  // metres
    save::write_geometry(out / "scans" / "foot-left.obj", left_m);

    // A last that fits a running foot (synth::fitting_last_shape: 12 mm toe allowance, room at the ball to swell).
    synth::FootShape last = synth::fitting_last_shape(foot);
    last.rings = 110;
    last.ring_points = 64;
    save::write_geometry(out / "lasts" / "last-fit.stl", synth::make_foot(last));

    synth::FootShape narrow = last;
    narrow.forefoot_width_scale = 0.88;  // ~12 mm narrower at the ball: a forefoot that pinches
    save::write_geometry(out / "lasts" / "last-narrow.ply", synth::make_foot(narrow));
  } catch (const Error& e) {
    std::cerr << "make_samples: " << e.what() << "\n";
    return exit_code(e.code());
  }
  std::cout << "samples written under " << out << "\n";
  return 0;
}
