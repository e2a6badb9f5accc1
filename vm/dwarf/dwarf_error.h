// Builds the ws::Error every DWARF failure is reported as.
#pragma once
#include <string>

#include "../error.h"

namespace ws::dwarf {

inline Error dwarf_error(std::string message) {
  Error e;
  e.message = std::move(message);
  return e;
}

}  // namespace ws::dwarf
