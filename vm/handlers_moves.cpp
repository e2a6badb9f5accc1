// Runs of scalar moves in one handler: copies and constants in a row (phi
// moves before a branch, call arguments) are common enough that a dispatch
// saved per move pays; pairs, the most common, have their own handlers.
#include "handlers_impl.h"

namespace ws::h {

#define MOVE_PAIR(name, first, second) \
  HANDLER(name) {                      \
    fp[ip[1].u] = first;               \
    fp[ip[3].u] = second;              \
    NEXT(5);                           \
  }
MOVE_PAIR(copy_copy, fp[ip[2].u], fp[ip[4].u])
MOVE_PAIR(copy_constant, fp[ip[2].u], ip[4].u)
MOVE_PAIR(constant_copy, ip[2].u, fp[ip[4].u])
MOVE_PAIR(constant_constant, ip[2].u, ip[4].u)
#undef MOVE_PAIR

HANDLER(moves) {
  const uint64_t n = ip[1].u;
  const CodeWord* m = ip + 2;
  for (uint64_t i = 0; i < n; ++i, m += 2) {
    const uint64_t dst = m[0].u;
    if (dst & kMoveConstant) fp[dst & ~kMoveConstant] = m[1].u;
    else fp[dst] = fp[m[1].u];
  }
  ip = m;
  DISPATCH();
}

}  // namespace ws::h
