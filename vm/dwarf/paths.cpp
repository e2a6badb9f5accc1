#include "paths.h"

namespace ws::dwarf {

std::string tidy_path(std::string path) {
  for (size_t at; (at = path.find("/./")) != std::string::npos;) path.erase(at, 2);
  return path;
}

bool path_matches(const std::string& path, const std::string& pattern) {
  if (pattern.empty() || pattern.size() > path.size()) return false;
  if (path.compare(path.size() - pattern.size(), pattern.size(), pattern) != 0) return false;
  return pattern.size() == path.size() || pattern[0] == '/' ||
         path[path.size() - pattern.size() - 1] == '/';
}

}  // namespace ws::dwarf
