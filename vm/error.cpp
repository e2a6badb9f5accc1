// One-line rendering of errors.
#include "error.h"

#include <cstdio>

namespace ws {

std::string Error::to_string() const {
  std::string where;
  if (!section.empty()) where = section + " section";
  if (func) {
    if (!where.empty()) where += ", ";
    where += "func " + std::to_string(*func);
  }
  if (offset) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "offset 0x%x", unsigned(*offset));
    if (!where.empty()) where += ", ";
    where += hex;
  }
  if (!instruction.empty()) where += (where.empty() ? "(" : " (") + instruction + ")";
  return where.empty() ? message : where + ": " + message;
}

}  // namespace ws
