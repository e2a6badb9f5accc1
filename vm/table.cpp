// Tables of references.
#include "interp.h"

namespace ws {

// Tables are capped well below the 2^32 the format allows so a guest cannot
// make the host allocate gigabytes of references.
constexpr uint64_t kMaxTableElements = 10'000'000;

int64_t Table::grow(uint32_t delta, uint64_t init) {
  const uint64_t old_size = elements.size();
  const uint64_t new_size = old_size + delta;
  uint64_t max = kMaxTableElements;
  if (type.limits.max && *type.limits.max < max) max = *type.limits.max;
  if (new_size > max) return -1;
  elements.resize(size_t(new_size), init);
  return int64_t(old_size);
}

}  // namespace ws
