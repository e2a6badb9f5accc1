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
  ip = run_moves(ip + 2, ip[1].u, fp);
  DISPATCH();
}

}  // namespace ws::h
