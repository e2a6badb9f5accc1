// A file system held in memory: directories, regular files and symbolic
// links, seen by the guest through a preopen (Preopen::tree). The web page
// keeps its files in one; a zip mount is a read-only one whose files are
// inflated when first opened. The embedder fills a tree before the run and
// reads the guest's results back after it:
//
//   auto fs = MemoryFs::create();
//   fs->add_file("data/in.txt", bytes);           // parents are created
//   config.preopens.push_back({"", "/work", fs});
//   ... run ...
//   auto out = fs->read_file("data/out.txt");
//
// Guest paths are resolved by vfs_path.h (symlinks followed inside the tree
// only). A read-only tree answers EROFS to anything that would change it.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../error.h"
#include "handle.h"

namespace ws::wasi {

// Largest file the tree holds (a guest asking for more gets EFBIG).
constexpr uint64_t kMaxMemoryFileSize = 1ull << 30;

class MemoryFs : public std::enable_shared_from_this<MemoryFs> {
 public:
  // Produces a file's contents when it is first opened; a failure (say, a
  // corrupt zip entry) reaches the guest as EIO.
  using Loader = std::function<Errno(std::vector<uint8_t>* out)>;
  struct Node;

  static std::shared_ptr<MemoryFs> create(bool read_only = false);
  bool read_only() const { return read_only_; }

  // Embedder setup (not limited by read_only). Paths are "/"-separated and
  // relative to the root (a leading "/" is ignored); missing parent
  // directories are created; "..", or a file where a directory is needed,
  // is an Error naming the path. `mtim` is in nanoseconds since the epoch.
  Status add_directory(const std::string& path, uint64_t mtim = 0);
  Status add_file(const std::string& path, std::vector<uint8_t> content, uint64_t mtim = 0);
  Status add_lazy_file(const std::string& path, uint64_t size, uint64_t mtim, Loader loader);
  Status add_symlink(const std::string& path, const std::string& target);

  // Reading back after a run (symlinks are not followed).
  Result<std::vector<uint8_t>> read_file(const std::string& path) const;
  Result<std::vector<std::string>> list_directory(const std::string& path) const;

  // A handle on the root directory, for a preopen.
  std::unique_ptr<Handle> open_root();

  // Internal to the handles: inode numbers and the device number.
  uint64_t next_ino() { return ++last_ino_; }
  uint64_t dev() const { return dev_; }

 private:
  explicit MemoryFs(bool read_only);
  Result<std::shared_ptr<Node>> add_node(const std::string& path, std::shared_ptr<Node> node);
  Result<std::shared_ptr<Node>> find(const std::string& path) const;

  bool read_only_;
  uint64_t dev_;
  uint64_t last_ino_ = 0;
  std::shared_ptr<Node> root_;
};

}  // namespace ws::wasi
