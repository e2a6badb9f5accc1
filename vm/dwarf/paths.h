// Source file paths as DWARF names them, and how users name them.
#pragma once
#include <string>

namespace ws::dwarf {

// `path` without "/./" segments (libdwarf joins "./build" and "./crt/x.c"
// as "./build/./crt/x.c").
std::string tidy_path(std::string path);

// True when `path` is `pattern` or ends with "/" + pattern: "main.c" and
// "src/main.c" match "/home/me/src/main.c", "ain.c" does not.
bool path_matches(const std::string& path, const std::string& pattern);

}  // namespace ws::dwarf
