// The bytes random_get hands out: the host's entropy, or, for reproducible
// runs (`--seed N`), a pseudo-random stream fixed by N. std::mt19937_64 is
// used because the C++ standard fixes its output sequence, so a seed gives
// the same bytes on every platform and standard library.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>

#include "abi.h"

namespace ws::wasi {

class Entropy {
 public:
  Entropy() = default;  // host entropy
  explicit Entropy(uint64_t seed) : prng_(std::in_place, seed) {}

  Errno fill(uint8_t* data, size_t size);

 private:
  std::optional<std::mt19937_64> prng_;
};

}  // namespace ws::wasi
