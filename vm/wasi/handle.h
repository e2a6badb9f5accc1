// What a WASI file descriptor refers to. The fd calls talk only to this
// interface, so new kinds of object (a virtual in-memory file system for the
// web page, sockets, pipes) are added as new Handle classes without touching
// the calls themselves.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abi.h"
#include "guest_memory.h"
#include "wait.h"

namespace ws::wasi {

struct FileStat {
  uint64_t dev = 0, ino = 0;
  Filetype filetype = kFiletypeUnknown;
  uint64_t nlink = 0, size = 0;
  uint64_t atim = 0, mtim = 0, ctim = 0;  // nanoseconds since the epoch
};

// What path_open asks for, already decoded from the guest's flags.
struct OpenRequest {
  uint16_t oflags = 0;    // kOflag*
  uint16_t fdflags = 0;   // kFdflag*
  bool read = false;
  bool write = false;
  bool follow = false;    // lookupflags SYMLINK_FOLLOW: a symlink as the last component is followed
};

// New timestamps for fd/path_filestat_set_times; `flags` (kFst*) says which
// apply and whether "now" replaces the given value. Already validated.
struct TimeChange {
  uint64_t atim = 0, mtim = 0;
  uint16_t flags = 0;
};

// One directory entry, as fd_readdir reports it.
struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  Filetype type = kFiletypeUnknown;
};

// Every operation answers an errno; the defaults are what an object that
// does not support the operation answers. Paths given to the *_at calls are
// the guest's, unchecked: each file system resolves them strictly beneath
// the directory (see vfs_path.h), so `..`, absolute paths and symlinks can
// never leave it.
class Handle {
 public:
  virtual ~Handle() = default;
  virtual Filetype filetype() const = 0;
  virtual Errno stat(FileStat* out) = 0;

  // Scatter/gather I/O; the buffers are already bounds-checked. A stream with
  // no data yet returns kEagain (the caller then suspends a blocking read).
  virtual Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread);
  virtual Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten);
  virtual Errno seek(int64_t offset, Whence whence, uint64_t* new_offset);
  // At an offset, without moving the file position.
  virtual Errno pread(const std::vector<IoBuffer>& bufs, uint64_t offset, uint64_t* nread);
  virtual Errno pwrite(const std::vector<IoBuffer>& bufs, uint64_t offset, uint64_t* nwritten);

  virtual Errno set_size(uint64_t size);
  virtual Errno set_times(const TimeChange& times);
  virtual Errno sync(bool data_only);
  virtual Errno allocate(uint64_t offset, uint64_t len);
  virtual Errno advise(uint64_t offset, uint64_t len, uint32_t advice);

  uint16_t fdflags() const { return fdflags_; }
  virtual Errno set_fdflags(uint16_t flags);

  // Streams and sockets (poll_oneoff, blocking reads): whether a read / write
  // would proceed now (default: always, as for a regular file), and what the
  // embedder must wait for when it would not.
  virtual Readiness read_readiness();
  virtual Readiness write_readiness();
  virtual void add_wait(bool write, WaitHint* hint);

  // Directories. list() gives every entry, "." and ".." first, in an order
  // that stays the same while the directory does (fd_readdir's cookies are
  // positions in it).
  virtual Errno list(std::vector<DirEntry>* out);
  virtual Errno open_at(const std::string& path, const OpenRequest& request, std::unique_ptr<Handle>* out);
  virtual Errno stat_at(const std::string& path, bool follow, FileStat* out);
  virtual Errno set_times_at(const std::string& path, bool follow, const TimeChange& times);
  virtual Errno create_directory_at(const std::string& path);
  virtual Errno remove_directory_at(const std::string& path);
  virtual Errno unlink_file_at(const std::string& path);
  virtual Errno symlink_at(const std::string& target, const std::string& path);
  virtual Errno readlink_at(const std::string& path, std::string* target);
  // `new_dir` is another directory handle (maybe this one); one on another
  // file system answers EXDEV.
  virtual Errno rename_at(const std::string& old_path, Handle& new_dir, const std::string& new_path);
  virtual Errno link_at(const std::string& old_path, bool follow, Handle& new_dir, const std::string& new_path);

 protected:
  uint16_t fdflags_ = 0;
};

// Receives bytes the guest writes to stdout / stderr.
using OutputSink = std::function<void(const uint8_t* data, size_t size)>;
// Fills `buf` with up to `size` bytes of stdin: returns the count (0 = end
// of input), or nullopt when no input is available yet, which suspends the
// guest thread until the embedder has some (the web page's console).
using InputSource = std::function<std::optional<size_t>(uint8_t* buf, size_t size)>;

// stdin, stdout or stderr: a character device backed by the embedder's
// callbacks. A missing callback reads as end of input / discards output.
class StreamHandle : public Handle {
 public:
  static std::unique_ptr<Handle> input(InputSource source);
  static std::unique_ptr<Handle> output(OutputSink sink);

  Filetype filetype() const override { return kFiletypeCharacterDevice; }
  Errno stat(FileStat* out) override;
  Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread) override;
  Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) override;
  Readiness read_readiness() override;
  void add_wait(bool write, WaitHint* hint) override;

 private:
  InputSource source_;
  OutputSink sink_;
  bool is_input_ = false;
  // Input taken from the source by read_readiness() (the source cannot
  // peek), handed out first by read(); `pending_end_` when the source said
  // end of input there, which the next read() reports.
  std::vector<uint8_t> lookahead_;
  bool pending_end_ = false;
};

}  // namespace ws::wasi
