// Word frequencies: tokenizes generated text and counts words in an
// open-addressing hash table (byte loops, string hashing and compares).
#include <stdio.h>
#include <string.h>
#include "common.h"

#define TEXT_BYTES (4 << 20)
#define TABLE_SIZE (1 << 16)  // power of two, well above the distinct words

static char text[TEXT_BYTES + 1];

struct entry { const char* word; int len; int count; };
static struct entry table[TABLE_SIZE];

static uint32_t fnv1a(const char* s, int len) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void count_word(const char* word, int len) {
  for (uint32_t slot = fnv1a(word, len) & (TABLE_SIZE - 1);; slot = (slot + 1) & (TABLE_SIZE - 1)) {
    struct entry* e = &table[slot];
    if (!e->word) {
      e->word = word;
      e->len = len;
      e->count = 1;
      return;
    }
    if (e->len == len && memcmp(e->word, word, (size_t)len) == 0) {
      e->count++;
      return;
    }
  }
}

// Words of 1-4 syllables with punctuation and spaces in between.
static void generate_text(uint32_t seed) {
  static const char* syllables[] = {"ka", "lo", "mi", "ne", "ru", "sha", "ti", "vo", "zen", "qua", "rix", "el"};
  size_t pos = 0;
  while (pos + 32 < TEXT_BYTES) {
    int n = 1 + (int)(bench_rand(&seed) % 4);
    for (int s = 0; s < n; s++) {
      const char* syl = syllables[bench_rand(&seed) % 12];
      size_t len = strlen(syl);
      memcpy(text + pos, syl, len);
      pos += len;
    }
    uint32_t sep = bench_rand(&seed) % 16;
    text[pos++] = sep == 0 ? '.' : sep == 1 ? ',' : ' ';
    if (sep < 2) text[pos++] = ' ';
  }
  text[pos] = 0;
}

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 9);
  uint64_t checksum = 0;
  for (int r = 0; r < reps; r++) {
    generate_text(0x9E3779B9u + (uint32_t)r);
    memset(table, 0, sizeof table);
    for (const char* p = text; *p;) {
      while (*p && !is_letter(*p)) p++;
      const char* start = p;
      while (is_letter(*p)) p++;
      if (p > start) count_word(start, (int)(p - start));
    }
    int distinct = 0, max_count = 0;
    for (int i = 0; i < TABLE_SIZE; i++)
      if (table[i].word) {
        distinct++;
        if (table[i].count > max_count) max_count = table[i].count;
        checksum += (uint64_t)table[i].count * fnv1a(table[i].word, table[i].len);
      }
    checksum = checksum * 1000003u + (uint64_t)distinct * 7919u + (uint64_t)max_count;
  }
  printf("wordfreq %d bytes x%d: checksum %llu\n", TEXT_BYTES, reps, (unsigned long long)checksum);
  return 0;
}
