// Naive recursive Fibonacci: almost nothing but calls and returns.
#include <stdio.h>
#include "common.h"

// noinline keeps the compiler from unrolling the recursion into loops.
__attribute__((noinline)) static unsigned fib(unsigned n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 150);
  unsigned sum = 0;
  for (int r = 0; r < reps; r++) sum += fib(30 + (unsigned)(r % 2));
  printf("fib(30|31) x%d: sum %u\n", reps, sum);
  return 0;
}
