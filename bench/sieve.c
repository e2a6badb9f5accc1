// Sieve of Eratosthenes: byte stores with strided access and a counting pass.
#include <stdio.h>
#include <string.h>
#include "common.h"

#define LIMIT 2000000

static unsigned char composite[LIMIT + 1];

static int count_primes(int limit) {
  memset(composite, 0, (size_t)limit + 1);
  for (int i = 2; (long)i * i <= limit; i++)
    if (!composite[i])
      for (int j = i * i; j <= limit; j += i) composite[j] = 1;
  int count = 0;
  for (int i = 2; i <= limit; i++) count += !composite[i];
  return count;
}

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 80);
  long total = 0;
  for (int r = 0; r < reps; r++) total += count_primes(LIMIT - r);
  printf("sieve %d x%d: total primes %ld\n", LIMIT, reps, total);
  return 0;
}
