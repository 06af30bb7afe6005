#include "core/detail/library_logs.hpp"

#include <open3d/utility/Logging.h>
#include <pcl/console/print.h>

namespace fitcheck::detail {

void quiet_open3d() {
  static const bool once = (open3d::utility::SetVerbosityLevel(open3d::utility::VerbosityLevel::Error), true);
  (void)once;
}

void quiet_pcl() {
  static const bool once = (pcl::console::setVerbosityLevel(pcl::console::L_ALWAYS), true);
  (void)once;
}

}  // namespace fitcheck::detail
