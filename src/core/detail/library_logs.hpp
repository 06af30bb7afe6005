// Internal: silences Open3D's and PCL's console output (fitcheck reports through its own errors and warnings). Each
// library keeps its verbosity in a process global; these set it once per process (a function-local static), so the
// adapters may call them from several threads (catalog lasts and candidate changes run two at a time).
#pragma once

namespace fitcheck::detail {

void quiet_open3d();
void quiet_pcl();

}  // namespace fitcheck::detail
