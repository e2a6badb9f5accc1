// Turns a configured preopen into the directory handle the guest gets: an
// in-memory tree, a zip archive (a host file ending in ".zip", read-only),
// or a host directory. Internal to vm/wasi/.
#pragma once
#include <memory>

#include "../error.h"
#include "wasi.h"

namespace ws::wasi {

// Fails with an Error naming the path (and, for a zip, what is wrong in it).
Result<std::unique_ptr<Handle>> open_preopen(const Preopen& preopen);

}  // namespace ws::wasi
