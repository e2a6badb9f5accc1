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
};

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

  uint16_t fdflags() const { return fdflags_; }
  virtual Errno set_fdflags(uint16_t flags);

  // Directories: open or stat `path`, resolved strictly beneath this one.
  virtual Errno open_at(const std::string& path, const OpenRequest& request,
                        std::unique_ptr<Handle>* out);
  virtual Errno stat_at(const std::string& path, FileStat* out);

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

 private:
  InputSource source_;
  OutputSink sink_;
  bool is_input_ = false;
};

}  // namespace ws::wasi
