#pragma once
#include <filesystem>

#include "core/geometry.hpp"

namespace fitcheck::save::detail {
/// Open3D's OBJ / STL writers (geometry only).
void write_open3d(const std::filesystem::path& path, const Geometry& g);
}  // namespace fitcheck::save::detail
