// Quicksort of a large integer array: memory traffic, unpredictable branches
// and recursion.
#include <stdio.h>
#include "common.h"

#define COUNT 1000000

static int values[COUNT];

static void quicksort(int* v, long lo, long hi) {
  while (lo < hi) {
    int pivot = v[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        int t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    // Recurse into the smaller half, loop on the larger: bounded stack depth.
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
}

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 10);
  uint32_t seed = 2463534242u;
  uint64_t checksum = 0;
  for (int r = 0; r < reps; r++) {
    for (int i = 0; i < COUNT; i++) values[i] = (int)(bench_rand(&seed) >> 1);
    quicksort(values, 0, COUNT - 1);
    for (int i = 1; i < COUNT; i++)
      if (values[i - 1] > values[i]) {
        printf("quicksort: not sorted at %d\n", i);
        return 1;
      }
    for (int i = 0; i < COUNT; i += 9973) checksum = checksum * 31 + (uint32_t)values[i];
  }
  printf("quicksort %d x%d: checksum %llu\n", COUNT, reps, (unsigned long long)checksum);
  return 0;
}
