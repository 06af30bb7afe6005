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

    // A last that fits a running foot: 12 mm toe allowance (literature.md G3: 10-12 mm typical), 4 mm wider and a
    // little higher at the ball than the resting foot (about 11 mm of ball girth: the room the forefoot needs once it
    // swells and splays, literature.md S1, S7, S8 -- a last at the resting foot's girth pinches the ball after half an
    // hour in fitcheck's model), 10 mm heel height, 12 mm toe spring.
    synth::FootShape last = foot;
    last.length_mm = foot.length_mm + 12.0;
    last.ball_width_mm = foot.ball_width_mm + 4.0;
    last.ball_height_mm = foot.ball_height_mm + 3.0;
    last.instep_height_mm = foot.instep_height_mm + 2.0;
    last.toe_height_mm = foot.toe_height_mm + 4.0;
    last.ankle_height_mm = 90.0;
    last.heel_height_mm = 10.0;
    last.toe_spring_mm = 12.0;
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
