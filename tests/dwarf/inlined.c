// An always-inlined function that traps, inside a noinline one: built with
// -O2, the trap's offset is inside an inlined subroutine. MARK comments name
// the lines tests/unit/dwarf_test.cpp expects.
static volatile int sink;

static inline __attribute__((always_inline)) int checked_div(int a, int b) {
  if (b == 0) __builtin_trap();  // MARK: inline_trap
  return a / b;
}

__attribute__((noinline)) int scale(int factor, int value) {
  sink = factor;
  int r = checked_div(value, factor - 3);  // MARK: inline_call
  sink = r;
  return r * factor;
}

__attribute__((export_name("run_inlined"))) int run_inlined(int factor, int value) {
  return scale(factor, value) + 1;  // MARK: outer_call
}
