// Helpers shared by the benchmarks: the repetition count from argv and a
// deterministic pseudo-random generator, so every runtime computes (and
// prints) the same checksum.
#pragma once
#include <stdint.h>
#include <stdlib.h>

// argv[1] scales the run time linearly: the number of repetitions of the
// benchmark's kernel. The default is tuned for about one second under V8.
static inline int bench_reps(int argc, char** argv, int default_reps) {
  if (argc > 1) {
    int reps = atoi(argv[1]);
    if (reps > 0) return reps;
  }
  return default_reps;
}

// xorshift32: fast, deterministic, good enough for test data.
static inline uint32_t bench_rand(uint32_t* state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}
