#include "random.h"

#include <sys/random.h>
#include <unistd.h>

namespace ws::wasi {

Errno Entropy::fill(uint8_t* data, size_t size) {
  if (prng_) {
    // Each 64-bit draw gives 8 bytes, least significant first.
    for (size_t at = 0; at < size; at += 8) {
      uint64_t word = (*prng_)();
      for (size_t i = 0; i < 8 && at + i < size; i++) data[at + i] = uint8_t(word >> (8 * i));
    }
    return kSuccess;
  }
  // getentropy() serves at most 256 bytes per call.
  for (size_t at = 0; at < size; at += 256) {
    size_t chunk = size - at < 256 ? size - at : 256;
    if (::getentropy(data + at, chunk) != 0) return kEio;
  }
  return kSuccess;
}

}  // namespace ws::wasi
