// Handles backed by the host's file system (POSIX; Emscripten's too). A
// preopened directory is the guest's only way in: every path is resolved
// component by component beneath it (vfs_path.h), ".." may not climb above
// it, absolute paths are refused, and the host never follows a symbolic
// link itself (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW): links are read and
// resolved inside the sandbox, so no path can name a host file outside the
// directory the user granted. Guests cannot create absolute symlinks.
#pragma once
#include <memory>
#include <string>

#include "../error.h"
#include "handle.h"

namespace ws::wasi {

// Opens a host directory to be preopened; the Error names the path.
Result<std::unique_ptr<Handle>> open_host_directory(const std::string& host_path);

}  // namespace ws::wasi
