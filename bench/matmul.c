// Dense double-precision matrix multiply: a compute kernel dominated by
// loads, multiply-adds and tight inner loops.
#include <stdio.h>
#include "common.h"

#define N 160

static double a[N][N], b[N][N], c[N][N];

static void multiply(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) c[i][j] = 0;
  // i-k-j order keeps the inner loop sequential in memory.
  for (int i = 0; i < N; i++)
    for (int k = 0; k < N; k++) {
      double aik = a[i][k];
      for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
    }
}

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 120);
  uint32_t seed = 12345;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)(bench_rand(&seed) % 1000) / 100.0;
      b[i][j] = (double)(bench_rand(&seed) % 1000) / 100.0;
    }
  double checksum = 0;
  for (int r = 0; r < reps; r++) {
    multiply();
    checksum += c[r % N][(r * 7) % N];
    a[r % N][(r * 3) % N] += 1.0;  // so no repetition can be skipped
  }
  printf("matmul %dx%d x%d: checksum %.6f\n", N, N, reps, checksum);
  return 0;
}
