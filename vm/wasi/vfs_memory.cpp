#include "vfs_memory.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>

#include "vfs_path.h"

namespace ws::wasi {

struct MemoryFs::Node {
  Filetype type = kFiletypeRegularFile;
  uint64_t ino = 0;
  uint64_t nlink = 1;
  uint64_t atim = 0, mtim = 0, ctim = 0;
  std::map<std::string, std::shared_ptr<Node>> entries;  // directory, by name
  bool removed = false;                                   // directory: rmdir'ed while open
  std::vector<uint8_t> data;                              // regular file
  uint64_t lazy_size = 0;                                 // regular file not loaded yet:
  Loader loader;                                          //   its size, and what loads it
  std::string target;                                     // symbolic link

  uint64_t size() const {
    if (type == kFiletypeSymbolicLink) return target.size();
    return loader ? lazy_size : data.size();
  }
};

namespace {

using Node = MemoryFs::Node;
using NodePtr = std::shared_ptr<Node>;

uint64_t now_ns() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

NodePtr new_node(MemoryFs& fs, Filetype type, uint64_t time) {
  auto n = std::make_shared<Node>();
  n->type = type;
  n->ino = fs.next_ino();
  n->atim = n->mtim = n->ctim = time;
  return n;
}

FileStat stat_of(const MemoryFs& fs, const Node& n) {
  FileStat s;
  s.dev = fs.dev();
  s.ino = n.ino;
  s.filetype = n.type;
  s.nlink = n.nlink;
  s.size = n.size();
  s.atim = n.atim;
  s.mtim = n.mtim;
  s.ctim = n.ctim;
  return s;
}

void apply_times(Node& n, const TimeChange& t) {
  uint64_t now = now_ns();
  if (t.flags & kFstAtimNow) n.atim = now;
  if (t.flags & kFstAtim) n.atim = t.atim;
  if (t.flags & kFstMtimNow) n.mtim = now;
  if (t.flags & kFstMtim) n.mtim = t.mtim;
  n.ctim = now;
}

// Runs a lazy file's loader once; its bytes then live in the node.
Errno load(Node& n) {
  if (!n.loader) return kSuccess;
  std::vector<uint8_t> bytes;
  if (Errno e = n.loader(&bytes)) return e;
  if (bytes.size() != n.lazy_size) return kEio;
  n.data = std::move(bytes);
  n.loader = nullptr;
  return kSuccess;
}

// True when `inner` is `outer` or lies somewhere beneath it (iterative:
// guests can build trees deeper than the host stack).
bool within(const Node* outer, const Node* inner) {
  std::vector<const Node*> todo = {outer};
  while (!todo.empty()) {
    const Node* n = todo.back();
    todo.pop_back();
    if (n == inner) return true;
    for (const auto& [name, child] : n->entries) {
      if (child->type == kFiletypeDirectory) todo.push_back(child.get());
    }
  }
  return false;
}

// Copies between a file's bytes and iovecs; returns the count.
uint64_t copy_out(const std::vector<uint8_t>& data, uint64_t offset, const std::vector<IoBuffer>& bufs) {
  uint64_t done = 0;
  for (const IoBuffer& b : bufs) {
    if (offset >= data.size()) break;
    uint64_t n = std::min<uint64_t>(b.size, data.size() - offset);
    if (n != 0) std::memcpy(b.data, data.data() + offset, n);
    offset += n;
    done += n;
  }
  return done;
}

Errno copy_in(std::vector<uint8_t>& data, uint64_t offset, const std::vector<IoBuffer>& bufs, uint64_t* done) {
  uint64_t total = 0;
  for (const IoBuffer& b : bufs) total += b.size;
  *done = 0;
  if (total == 0) return kSuccess;
  if (offset > kMaxMemoryFileSize || total > kMaxMemoryFileSize - offset) return kEfbig;
  if (offset + total > data.size()) data.resize(offset + total);
  for (const IoBuffer& b : bufs) {
    if (b.size != 0) std::memcpy(data.data() + offset, b.data, b.size);
    offset += b.size;
  }
  *done = total;
  return kSuccess;
}

class MemoryFileHandle : public Handle {
 public:
  MemoryFileHandle(std::shared_ptr<MemoryFs> fs, NodePtr node, bool readable, bool writable, uint16_t fdflags)
      : fs_(std::move(fs)), node_(std::move(node)), readable_(readable), writable_(writable) {
    fdflags_ = fdflags;
  }
  Filetype filetype() const override { return node_->type; }
  Errno stat(FileStat* out) override {
    *out = stat_of(*fs_, *node_);
    return kSuccess;
  }

  Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread) override {
    if (Errno e = pread(bufs, offset_, nread)) return e;
    offset_ += *nread;
    return kSuccess;
  }
  Errno pread(const std::vector<IoBuffer>& bufs, uint64_t offset, uint64_t* nread) override {
    if (!readable_) return kEbadf;
    *nread = copy_out(node_->data, offset, bufs);
    return kSuccess;
  }
  Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) override {
    if (fdflags_ & kFdflagAppend) offset_ = node_->data.size();
    if (Errno e = pwrite(bufs, offset_, nwritten)) return e;
    offset_ += *nwritten;
    return kSuccess;
  }
  Errno pwrite(const std::vector<IoBuffer>& bufs, uint64_t offset, uint64_t* nwritten) override {
    if (!writable_) return kEbadf;
    if (Errno e = copy_in(node_->data, offset, bufs, nwritten)) return e;
    if (*nwritten != 0) node_->mtim = node_->ctim = now_ns();
    return kSuccess;
  }

  Errno seek(int64_t offset, Whence whence, uint64_t* new_offset) override {
    int64_t base = whence == kWhenceSet ? 0 : whence == kWhenceCur ? int64_t(offset_) : int64_t(node_->data.size());
    int64_t target;
    if (__builtin_add_overflow(base, offset, &target) || target < 0) return kEinval;
    offset_ = uint64_t(target);
    *new_offset = offset_;
    return kSuccess;
  }

  Errno set_size(uint64_t size) override {
    if (!writable_) return kEinval;
    if (size > kMaxMemoryFileSize) return kEfbig;
    node_->data.resize(size);
    node_->mtim = node_->ctim = now_ns();
    return kSuccess;
  }
  Errno allocate(uint64_t offset, uint64_t len) override {
    if (!writable_) return kEbadf;
    if (offset > kMaxMemoryFileSize || len > kMaxMemoryFileSize - offset) return kEfbig;
    if (offset + len > node_->data.size()) node_->data.resize(offset + len);
    return kSuccess;
  }
  Errno set_times(const TimeChange& times) override {
    if (fs_->read_only()) return kErofs;
    apply_times(*node_, times);
    return kSuccess;
  }
  Errno sync(bool) override { return kSuccess; }
  Errno advise(uint64_t, uint64_t, uint32_t) override { return kSuccess; }
  Errno set_fdflags(uint16_t flags) override {
    fdflags_ = flags;  // append and non-blocking matter; memory is always in sync
    return kSuccess;
  }

 private:
  std::shared_ptr<MemoryFs> fs_;
  NodePtr node_;
  bool readable_, writable_;
  uint64_t offset_ = 0;
};

class MemoryDirHandle : public Handle {
 public:
  MemoryDirHandle(std::shared_ptr<MemoryFs> fs, NodePtr dir) : fs_(std::move(fs)), dir_(std::move(dir)) {}
  Filetype filetype() const override { return kFiletypeDirectory; }
  Errno stat(FileStat* out) override {
    *out = stat_of(*fs_, *dir_);
    return kSuccess;
  }
  Errno set_times(const TimeChange& times) override {
    if (fs_->read_only()) return kErofs;
    apply_times(*dir_, times);
    return kSuccess;
  }
  Errno sync(bool) override { return kSuccess; }
  Errno advise(uint64_t, uint64_t, uint32_t) override { return kSuccess; }
  Errno set_fdflags(uint16_t flags) override {
    fdflags_ = flags;
    return kSuccess;
  }

  Errno list(std::vector<DirEntry>* out) override {
    out->clear();
    out->push_back({".", dir_->ino, kFiletypeDirectory});
    out->push_back({"..", 0, kFiletypeDirectory});  // the parent is not tracked; 0 = unknown
    for (const auto& [name, node] : dir_->entries) out->push_back({name, node->ino, node->type});
    return kSuccess;
  }

  Errno open_at(const std::string& path, const OpenRequest& req, std::unique_ptr<Handle>* out) override {
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, req.follow, &r)) return e;
    NodePtr node = child(r);
    if (node == nullptr) {
      if (!(req.oflags & kOflagCreat)) return kEnoent;
      if (r.trailing_slash) return kEisdir;
      if (req.oflags & kOflagDirectory) return kEinval;
      if (fs_->read_only()) return kErofs;
      if (r.parent->removed) return kEnoent;
      node = new_node(*fs_, kFiletypeRegularFile, now_ns());
      r.parent->entries[r.last] = node;
      r.parent->mtim = r.parent->ctim = node->mtim;
    } else {
      if ((req.oflags & kOflagCreat) && (req.oflags & kOflagExcl)) return kEexist;
      if (node->type == kFiletypeSymbolicLink) return kEloop;  // not following: like O_NOFOLLOW
      if (node->type == kFiletypeDirectory) {
        if (req.write || (req.oflags & kOflagTrunc)) return kEisdir;
        *out = std::make_unique<MemoryDirHandle>(fs_, node);
        return kSuccess;
      }
      if ((req.oflags & kOflagDirectory) || r.trailing_slash) return kEnotdir;
      if ((req.write || (req.oflags & kOflagTrunc)) && fs_->read_only()) return kErofs;
      if (Errno e = load(*node)) return e;
      if ((req.oflags & kOflagTrunc) && !node->data.empty()) {
        node->data.clear();
        node->mtim = node->ctim = now_ns();
      }
    }
    *out = std::make_unique<MemoryFileHandle>(fs_, node, req.read, req.write, req.fdflags);
    return kSuccess;
  }

  Errno stat_at(const std::string& path, bool follow, FileStat* out) override {
    NodePtr node;
    if (Errno e = existing(path, follow, &node)) return e;
    *out = stat_of(*fs_, *node);
    return kSuccess;
  }

  Errno set_times_at(const std::string& path, bool follow, const TimeChange& times) override {
    NodePtr node;
    if (Errno e = existing(path, follow, &node)) return e;
    if (fs_->read_only()) return kErofs;
    apply_times(*node, times);
    return kSuccess;
  }

  Errno create_directory_at(const std::string& path) override {
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, false, &r)) return e;
    if (child(r) != nullptr) return kEexist;
    return add_entry(r, new_node(*fs_, kFiletypeDirectory, now_ns()));
  }

  Errno remove_directory_at(const std::string& path) override {
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, false, &r)) return e;
    if (r.last == ".") return kEinval;
    NodePtr node = child(r);
    if (node == nullptr) return kEnoent;
    if (node->type != kFiletypeDirectory) return kEnotdir;
    if (!node->entries.empty()) return kEnotempty;
    if (fs_->read_only()) return kErofs;
    remove_entry(r);
    return kSuccess;
  }

  Errno unlink_file_at(const std::string& path) override {
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, false, &r)) return e;
    NodePtr node = child(r);
    if (node == nullptr) return kEnoent;
    if (node->type == kFiletypeDirectory) return kEisdir;
    if (r.trailing_slash) return kEnotdir;
    if (fs_->read_only()) return kErofs;
    remove_entry(r);
    return kSuccess;
  }

  Errno symlink_at(const std::string& target, const std::string& path) override {
    if (target.empty()) return kEnoent;
    if (target[0] == '/') return kEnotcapable;  // could only point outside the sandbox
    if (target.find('\0') != std::string::npos) return kEinval;
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, false, &r)) return e;
    if (child(r) != nullptr) return kEexist;
    if (r.trailing_slash) return kEnoent;
    NodePtr link = new_node(*fs_, kFiletypeSymbolicLink, now_ns());
    link->target = target;
    return add_entry(r, link);
  }

  Errno readlink_at(const std::string& path, std::string* target) override {
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, false, &r)) return e;
    NodePtr node = child(r);
    if (node == nullptr) return kEnoent;
    if (node->type != kFiletypeSymbolicLink) return kEinval;
    *target = node->target;
    return kSuccess;
  }

  Errno rename_at(const std::string& old_path, Handle& new_dir, const std::string& new_path) override {
    auto* to = dynamic_cast<MemoryDirHandle*>(&new_dir);
    if (to == nullptr || to->fs_ != fs_) return kExdev;
    ResolvedPath<NodePtr> from, dest;
    if (Errno e = resolve(old_path, false, &from)) return e;
    if (Errno e = to->resolve(new_path, false, &dest)) return e;
    if (from.last == "." || dest.last == ".") return kEbusy;
    NodePtr src = child(from);
    if (src == nullptr) return kEnoent;
    NodePtr old = child(dest);
    if (old == src) return kSuccess;  // two names of one file: nothing to do
    bool src_dir = src->type == kFiletypeDirectory;
    if (!src_dir && (from.trailing_slash || dest.trailing_slash)) return kEnotdir;
    if (old != nullptr) {
      bool old_dir = old->type == kFiletypeDirectory;
      if (src_dir && !old_dir) return kEnotdir;
      if (!src_dir && old_dir) return kEisdir;
      if (old_dir && !old->entries.empty()) return kEnotempty;
    }
    if (src_dir && within(src.get(), dest.parent.get())) return kEinval;  // into itself
    if (fs_->read_only()) return kErofs;
    if (dest.parent->removed) return kEnoent;
    if (old != nullptr) remove_entry(dest);
    detach(from);
    return add_entry(dest, src);
  }

  Errno link_at(const std::string& old_path, bool follow, Handle& new_dir, const std::string& new_path) override {
    auto* to = dynamic_cast<MemoryDirHandle*>(&new_dir);
    if (to == nullptr || to->fs_ != fs_) return kExdev;
    NodePtr src;
    if (Errno e = existing(old_path, follow, &src)) return e;
    if (src->type == kFiletypeDirectory) return kEperm;
    ResolvedPath<NodePtr> dest;
    if (Errno e = to->resolve(new_path, false, &dest)) return e;
    if (child(dest) != nullptr) return kEexist;
    if (dest.trailing_slash) return kEnoent;
    if (Errno e = add_entry(dest, src)) return e;
    src->nlink++;
    src->ctim = now_ns();
    return kSuccess;
  }

 private:
  Errno resolve(const std::string& path, bool follow, ResolvedPath<NodePtr>* out) const {
    auto lookup = [](const NodePtr& dir, const std::string& name, EntryKind* kind, NodePtr* sub,
                     std::string* target) {
      auto it = dir->entries.find(name);
      if (it == dir->entries.end()) {
        *kind = EntryKind::Missing;
      } else if (it->second->type == kFiletypeDirectory) {
        *kind = EntryKind::Directory;
        *sub = it->second;
      } else if (it->second->type == kFiletypeSymbolicLink) {
        *kind = EntryKind::Symlink;
        *target = it->second->target;
      } else {
        *kind = EntryKind::Other;
      }
      return kSuccess;
    };
    return resolve_path(dir_, path, follow, lookup, out);
  }

  // The node a resolved path names, or null when there is none.
  static NodePtr child(const ResolvedPath<NodePtr>& r) {
    if (r.last == ".") return r.parent;
    auto it = r.parent->entries.find(r.last);
    return it == r.parent->entries.end() ? nullptr : it->second;
  }

  // The node `path` names, which must exist (and be a directory when the
  // path ends in "/").
  Errno existing(const std::string& path, bool follow, NodePtr* out) const {
    ResolvedPath<NodePtr> r;
    if (Errno e = resolve(path, follow, &r)) return e;
    *out = child(r);
    if (*out == nullptr) return kEnoent;
    if (r.trailing_slash && (*out)->type != kFiletypeDirectory) return kEnotdir;
    return kSuccess;
  }

  Errno add_entry(const ResolvedPath<NodePtr>& r, NodePtr node) {
    if (r.last == ".") return kEexist;
    if (fs_->read_only()) return kErofs;
    if (r.parent->removed) return kEnoent;
    r.parent->entries[r.last] = std::move(node);
    r.parent->mtim = r.parent->ctim = now_ns();
    return kSuccess;
  }

  // Takes an existing entry out of its directory and returns its node.
  static NodePtr detach(const ResolvedPath<NodePtr>& r) {
    auto it = r.parent->entries.find(r.last);
    NodePtr n = std::move(it->second);
    r.parent->entries.erase(it);
    n->ctim = now_ns();
    r.parent->mtim = r.parent->ctim = n->ctim;
    return n;
  }

  // Removes a name: the node goes when its last name and handle do.
  static void remove_entry(const ResolvedPath<NodePtr>& r) {
    NodePtr n = detach(r);
    if (n->type == kFiletypeDirectory) n->removed = true;
    n->nlink--;
  }

  std::shared_ptr<MemoryFs> fs_;
  NodePtr dir_;
};

Error setup_error(const std::string& path, const std::string& why) {
  return Error{"memory file system: '" + path + "': " + why, "", {}, {}, ""};
}

}  // namespace

MemoryFs::MemoryFs(bool read_only) : read_only_(read_only) {
  static std::atomic<uint64_t> devices{0};
  dev_ = ++devices;
  root_ = new_node(*this, kFiletypeDirectory, now_ns());
}

std::shared_ptr<MemoryFs> MemoryFs::create(bool read_only) {
  return std::shared_ptr<MemoryFs>(new MemoryFs(read_only));
}

std::unique_ptr<Handle> MemoryFs::open_root() { return std::make_unique<MemoryDirHandle>(shared_from_this(), root_); }

// Walks to `path`'s parent, creating directories, and enters `node` as the
// last component (a directory that is already there is kept).
Result<NodePtr> MemoryFs::add_node(const std::string& path, NodePtr node) {
  std::vector<std::string> parts = path_components(path);
  if (parts.empty()) return setup_error(path, "names the root");
  NodePtr dir = root_;
  for (size_t i = 0; i < parts.size(); i++) {
    const std::string& part = parts[i];
    if (part == ".." || part.find('\0') != std::string::npos) return setup_error(path, "bad component '" + part + "'");
    auto it = dir->entries.find(part);
    bool last = i + 1 == parts.size();
    if (last) {
      if (it != dir->entries.end()) {
        if (node->type == kFiletypeDirectory && it->second->type == kFiletypeDirectory) return it->second;
        return setup_error(path, "already exists");
      }
      dir->entries[part] = node;
      return node;
    }
    if (it == dir->entries.end()) {
      it = dir->entries.emplace(part, new_node(*this, kFiletypeDirectory, node->mtim)).first;
    } else if (it->second->type != kFiletypeDirectory) {
      return setup_error(path, "'" + part + "' is not a directory");
    }
    dir = it->second;
  }
  return setup_error(path, "unreachable");
}

Status MemoryFs::add_directory(const std::string& path, uint64_t mtim) {
  auto n = add_node(path, new_node(*this, kFiletypeDirectory, mtim ? mtim : now_ns()));
  if (!n) return n.error();
  return Ok{};
}

Status MemoryFs::add_file(const std::string& path, std::vector<uint8_t> content, uint64_t mtim) {
  if (content.size() > kMaxMemoryFileSize) return setup_error(path, "larger than 1 GiB");
  NodePtr node = new_node(*this, kFiletypeRegularFile, mtim ? mtim : now_ns());
  node->data = std::move(content);
  auto n = add_node(path, node);
  if (!n) return n.error();
  return Ok{};
}

Status MemoryFs::add_lazy_file(const std::string& path, uint64_t size, uint64_t mtim, Loader loader) {
  if (size > kMaxMemoryFileSize) return setup_error(path, "larger than 1 GiB");
  NodePtr node = new_node(*this, kFiletypeRegularFile, mtim ? mtim : now_ns());
  node->lazy_size = size;
  node->loader = std::move(loader);
  auto n = add_node(path, node);
  if (!n) return n.error();
  return Ok{};
}

Status MemoryFs::add_symlink(const std::string& path, const std::string& target) {
  NodePtr node = new_node(*this, kFiletypeSymbolicLink, now_ns());
  node->target = target;
  auto n = add_node(path, node);
  if (!n) return n.error();
  return Ok{};
}

Result<NodePtr> MemoryFs::find(const std::string& path) const {
  NodePtr n = root_;
  for (const std::string& part : path_components(path)) {
    auto it = n->type == kFiletypeDirectory ? n->entries.find(part) : n->entries.end();
    if (it == n->entries.end()) return setup_error(path, "not found");
    n = it->second;
  }
  return n;
}

Result<std::vector<uint8_t>> MemoryFs::read_file(const std::string& path) const {
  auto n = find(path);
  if (!n) return n.error();
  if ((*n)->type != kFiletypeRegularFile) return setup_error(path, "not a regular file");
  if (Errno e = load(**n)) return setup_error(path, "cannot be loaded (errno " + std::to_string(e) + ")");
  return (*n)->data;
}

Result<std::vector<std::string>> MemoryFs::list_directory(const std::string& path) const {
  auto n = find(path);
  if (!n) return n.error();
  if ((*n)->type != kFiletypeDirectory) return setup_error(path, "not a directory");
  std::vector<std::string> names;
  for (const auto& entry : (*n)->entries) names.push_back(entry.first);
  return names;
}

}  // namespace ws::wasi
