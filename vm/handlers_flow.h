// Steps of the moves, selects and branches: shared by their handlers
// (handlers_control.cpp) and the handler pairs (handlers_numeric.cpp).
#pragma once
#include "handlers_impl.h"

namespace ws::h {

STEP(copy) {
  fp[ip[1].u] = fp[ip[2].u];
  STEP_NEXT(3);
}
STEP(constant) {
  fp[ip[1].u] = ip[2].u;
  STEP_NEXT(3);
}
// Runs of scalar moves in one handler: copies and constants in a row (phi
// moves before a branch, call arguments) are common enough that a dispatch
// saved per move pays; pairs, the most common, have their own handlers.
#define MOVE_PAIR(name, first, second) \
  STEP(name) {                         \
    fp[ip[1].u] = first;               \
    fp[ip[3].u] = second;              \
    STEP_NEXT(5);                      \
  }
MOVE_PAIR(copy_copy, fp[ip[2].u], fp[ip[4].u])
MOVE_PAIR(copy_constant, fp[ip[2].u], ip[4].u)
MOVE_PAIR(constant_copy, ip[2].u, fp[ip[4].u])
MOVE_PAIR(constant_constant, ip[2].u, ip[4].u)
#undef MOVE_PAIR
STEP(moves) {
  ip = run_moves(ip + 2, ip[1].u, fp);
  return Stop::Next;
}

STEP(select) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? fp[ip[2].u] : fp[ip[3].u];
  STEP_NEXT(5);
}
STEP(select_imm_slot) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? ip[2].u : fp[ip[3].u];
  STEP_NEXT(5);
}
STEP(select_slot_imm) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? fp[ip[2].u] : ip[3].u;
  STEP_NEXT(5);
}
STEP(select_imm_imm) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? ip[2].u : ip[3].u;
  STEP_NEXT(5);
}

STEP(br) {
  ip = ip[1].target;
  return Stop::Next;
}
STEP(br_if_nz) {
  ip = rd<uint32_t>(fp, ip[1].u) ? ip[2].target : ip + 3;
  return Stop::Next;
}
STEP(br_back) {
  STEP_CHARGE();
  ip = ip[1].target;
  return Stop::Next;
}
STEP(br_if_nz_back) {
  if (!rd<uint32_t>(fp, ip[1].u)) STEP_NEXT(3);
  STEP_CHARGE();
  ip = ip[2].target;
  return Stop::Next;
}
STEP(br_if_z) {
  ip = rd<uint32_t>(fp, ip[1].u) ? ip + 3 : ip[2].target;
  return Stop::Next;
}
STEP(br_table) {
  STEP_CHARGE();
  uint64_t i = rd<uint32_t>(fp, ip[1].u);
  const uint64_t n = ip[2].u;
  if (i > n) i = n;
  ip = ip[3 + i].target;
  return Stop::Next;
}

}  // namespace ws::h
