// Runaway recursion: the base case is never reached because the recursive
// call counts the wrong way.
//
// C code compiled to WebAssembly keeps its stack in linear memory (64 KiB
// here, placed below the data by -Wl,--stack-first). Each call takes a bit
// more of it; when the stack pointer runs past address 0 it wraps around to
// 0xfffffff0, and the next store into the new frame is an
// "out of bounds memory access". The backtrace shows the recursion, and the
// youngest frame's operands show the wrapped-around address.
#include <stdio.h>

static unsigned count_down(unsigned n) {  // backtrace #0: count_down
  volatile unsigned here = n;  // a frame per call, as real code would have
  if (here == 0) return 0;
  return count_down(here + 1) + 1;  // backtrace #1: count_down (meant `here - 1`)
}

int main(void) {
  printf("%u\n", count_down(10));
  return 0;
}
