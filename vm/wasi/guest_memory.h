// Bounds-checked access to a guest's linear memory. Every pointer and length
// a guest passes to WASI goes through here, so a bad one becomes EFAULT
// instead of a host crash.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "../runtime.h"

namespace ws::wasi {

class GuestMemory {
 public:
  explicit GuestMemory(Memory* memory) : memory_(memory) {}

  // True when [ptr, ptr + len) lies inside the memory.
  bool in_bounds(uint32_t ptr, uint64_t len) const {
    return memory_ != nullptr && uint64_t(ptr) + len <= memory_->size_bytes();
  }
  // The host address of a checked range, or nullptr when out of bounds.
  uint8_t* span(uint32_t ptr, uint64_t len) {
    return in_bounds(ptr, len) ? memory_->data() + ptr : nullptr;
  }

  bool read_u32(uint32_t ptr, uint32_t* out) const { return read(ptr, out, 4); }
  bool write_u32(uint32_t ptr, uint32_t v) { return write(ptr, &v, 4); }
  bool write_u64(uint32_t ptr, uint64_t v) { return write(ptr, &v, 8); }
  bool write(uint32_t ptr, const void* data, uint64_t len) {
    uint8_t* p = span(ptr, len);
    if (p == nullptr) return false;
    if (len != 0) std::memcpy(p, data, len);
    return true;
  }
  bool read(uint32_t ptr, void* out, uint64_t len) const {
    if (!in_bounds(ptr, len)) return false;
    if (len != 0) std::memcpy(out, memory_->data() + ptr, len);
    return true;
  }
  // A guest string (ptr, len) copied out; false when out of bounds.
  bool read_string(uint32_t ptr, uint32_t len, std::string* out) const {
    if (!in_bounds(ptr, len)) return false;
    out->assign(reinterpret_cast<const char*>(memory_->data()) + ptr, len);
    return true;
  }

 private:
  Memory* memory_;  // little-endian host assumed, like the engine
};

// One guest buffer of an iovec array, already bounds-checked.
struct IoBuffer {
  uint8_t* data;
  uint32_t size;
};

}  // namespace ws::wasi
