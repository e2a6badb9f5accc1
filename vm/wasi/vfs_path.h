// Path resolution shared by every file system behind the WASI handles (the
// in-memory tree, zip mounts and host directories). A guest path is walked
// one component at a time beneath the directory it is relative to:
//   - absolute paths are refused (ENOTCAPABLE), as is a ".." that would
//     climb above the starting directory;
//   - symbolic links are resolved here, never by the host: their targets are
//     spliced into the walk, so an absolute target or one that climbs out is
//     refused the same way, and more than kMaxSymlinks links is ELOOP;
//   - a symlink as the last component is followed only when asked
//     (lookupflags SYMLINK_FOLLOW) or when the path ends in "/".
// Each file system supplies `lookup`, which looks one name up in one of its
// directories. Internal to vm/wasi/.
#pragma once
#include <deque>
#include <string>
#include <vector>

#include "abi.h"

namespace ws::wasi {

constexpr int kMaxSymlinks = 40;  // like Linux's MAXSYMLINKS

// What one name in a directory is.
enum class EntryKind { Missing, Directory, Symlink, Other };

// Where a path leads: the directory holding its last component, and that
// component ("." when the path names the directory itself).
template <class Dir>
struct ResolvedPath {
  Dir parent;
  std::string last;
  bool trailing_slash = false;  // the path ended in "/": it must name a directory
};

// True when a path can only name a directory: it ends in "/", "." or "..".
inline bool names_directory(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string last = slash == std::string::npos ? path : path.substr(slash + 1);
  return last.empty() || last == "." || last == "..";
}

// Splits a path into its components, dropping empty ones and ".".
inline std::vector<std::string> path_components(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start && path.compare(start, slash - start, ".") != 0) {
      parts.push_back(path.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return parts;
}

// lookup(const Dir& dir, const std::string& name, EntryKind* kind,
//        Dir* subdir, std::string* link_target) -> Errno
// sets *kind, and *subdir for a Directory or *link_target for a Symlink.
template <class Dir, class Lookup>
Errno resolve_path(const Dir& start, const std::string& path, bool follow_last, Lookup&& lookup,
                   ResolvedPath<Dir>* out) {
  if (path.empty()) return kEnoent;
  if (path[0] == '/') return kEnotcapable;
  if (path.find('\0') != std::string::npos) return kEinval;

  std::vector<std::string> first = path_components(path);
  std::deque<std::string> todo(first.begin(), first.end());
  bool trailing = names_directory(path);
  std::vector<Dir> dirs = {start};  // directories entered; ".." leaves the last
  int links = 0;
  auto finish = [&](std::string last) {
    out->parent = dirs.back();
    out->last = std::move(last);
    out->trailing_slash = trailing;
    return kSuccess;
  };
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    bool is_last = todo.empty();
    if (name == "..") {
      if (dirs.size() == 1) return kEnotcapable;
      dirs.pop_back();
      continue;
    }
    if (is_last && !follow_last && !trailing) return finish(std::move(name));
    EntryKind kind = EntryKind::Missing;
    Dir sub{};
    std::string target;
    if (Errno e = lookup(dirs.back(), name, &kind, &sub, &target)) return e;
    switch (kind) {
      case EntryKind::Missing:
        if (is_last) return finish(std::move(name));
        return kEnoent;
      case EntryKind::Other:
        if (is_last) return finish(std::move(name));
        return kEnotdir;
      case EntryKind::Directory:
        if (is_last) return finish(std::move(name));
        dirs.push_back(std::move(sub));
        break;
      case EntryKind::Symlink: {
        if (++links > kMaxSymlinks) return kEloop;
        if (target.empty()) return kEnoent;
        if (target[0] == '/') return kEnotcapable;
        if (is_last && names_directory(target)) trailing = true;
        std::vector<std::string> spliced = path_components(target);
        todo.insert(todo.begin(), spliced.begin(), spliced.end());
        break;
      }
    }
  }
  return finish(".");
}

}  // namespace ws::wasi
