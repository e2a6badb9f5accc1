// STREAM-like kernels (copy, scale, add, triad) over arrays much larger than
// the caches: bound by memory bandwidth and load/store speed.
#include <stdio.h>
#include <string.h>
#include "common.h"

#define LEN (1 << 21)

static double a[LEN], b[LEN], c[LEN];

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 60);
  for (int i = 0; i < LEN; i++) {
    a[i] = 1.0 + (double)(i % 13);
    b[i] = 2.0;
    c[i] = 0.0;
  }
  const double scalar = 0.5;
  for (int r = 0; r < reps; r++) {
    memcpy(c, a, sizeof a);                                   // copy
    for (int i = 0; i < LEN; i++) b[i] = scalar * c[i];       // scale
    for (int i = 0; i < LEN; i++) c[i] = a[i] + b[i];         // add
    for (int i = 0; i < LEN; i++) a[i] = b[i] + scalar * c[i];  // triad
  }
  double sum = 0;
  for (int i = 0; i < LEN; i += 64) sum += a[i] + b[i] + c[i];
  printf("stream %d doubles x%d: checksum %.6e\n", LEN, reps, sum);
  return 0;
}
