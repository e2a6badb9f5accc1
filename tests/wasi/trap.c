// Traps three calls deep, so the backtrace shows the guest's function names.
#include <stdio.h>

__attribute__((noinline)) void crash_in_leaf(int depth) {
  if (depth > 0) __builtin_trap();
  printf("not reached\n");
}

__attribute__((noinline)) void call_the_leaf(int depth) {
  crash_in_leaf(depth + 1);
  printf("not reached either\n");
}

int main(void) {
  printf("about to trap\n");
  call_the_leaf(1);
  return 0;
}
