// Handles backed by the host's file system (POSIX). A preopened directory
// is the guest's only way in: every path is resolved component by component
// beneath it, ".." may not climb above it, absolute paths are refused, and
// symbolic links are never followed, so no path can name a host file
// outside the directory the user granted.
#pragma once
#include <memory>
#include <string>

#include "../error.h"
#include "handle.h"

namespace ws::wasi {

// Opens a host directory to be preopened; the Error names the path.
Result<std::unique_ptr<Handle>> open_host_directory(const std::string& host_path);

}  // namespace ws::wasi
