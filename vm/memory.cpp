// Linear memory: a zero-filled byte buffer that grows in 64 KiB pages.
#include <cstdlib>
#include <cstring>

#include "interp.h"

namespace ws {

Memory::~Memory() { std::free(data_); }

int64_t Memory::grow(uint32_t delta) {
  const uint64_t old_pages = pages();
  const uint64_t new_pages = old_pages + delta;
  uint64_t max = kMaxPages;
  if (type.limits.max && *type.limits.max < max) max = *type.limits.max;
  if (page_limit_ < max) max = page_limit_;
  if (new_pages > max) return -1;
  const uint64_t bytes = new_pages * kPageSize;
  if (bytes > capacity_) {
    if (bytes > SIZE_MAX) return -1;
    uint8_t* grown = static_cast<uint8_t*>(
        data_ ? std::realloc(data_, size_t(bytes)) : std::calloc(size_t(bytes), 1));
    if (!grown) return -1;
    if (data_) std::memset(grown + size_, 0, size_t(bytes - size_));
    data_ = grown;
    capacity_ = bytes;
  }
  size_ = bytes;
  return int64_t(old_pages);
}

Memory* empty_memory() {
  static Memory empty;
  return &empty;
}

}  // namespace ws
