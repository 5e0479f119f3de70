// malloc/free and string churn: keys built with our own formatting, stored
// in a chained hash table of heap strings, looked up, grown with realloc and
// deleted; libc's allocator and str* functions do most of the work.
#include "bench_common.h"

typedef struct Entry {
  struct Entry* next;
  char* key;
  char* value;
  uint32_t hits;
} Entry;

enum { BUCKETS = 1 << 16, LIVE = 40000 };

static Entry* table[BUCKETS];

static uint32_t str_hash(const char* s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
  return h;
}

// Writes "word-NUMBER" style keys without printf (its speed differs too much
// between C libraries to say anything about the compiler).
static uint32_t make_key(char* out, uint32_t n) {
  static const char* const words[] = {"alpha", "bravo", "charlie", "delta", "echo",
                                      "foxtrot", "golf", "hotel"};
  const char* w = words[n & 7];
  uint32_t len = (uint32_t)strlen(w);
  memcpy(out, w, len);
  out[len++] = '-';
  char digits[12];
  uint32_t d = 0;
  do {
    digits[d++] = (char)('0' + n % 10);
    n /= 10;
  } while (n);
  while (d) out[len++] = digits[--d];
  out[len] = 0;
  return len;
}

static Entry** find_slot(const char* key) {
  Entry** slot = &table[str_hash(key) & (BUCKETS - 1)];
  while (*slot && strcmp((*slot)->key, key) != 0) slot = &(*slot)->next;
  return slot;
}

static void put(const char* key, uint32_t klen, uint32_t n) {
  Entry** slot = find_slot(key);
  if (*slot) {
    // Append to the existing value: realloc churn.
    Entry* e = *slot;
    size_t old = strlen(e->value);
    if (old > 200) {
      // Long values start over, so memory and strlen costs stay bounded.
      free(e->value);
      e->value = malloc(24);
      strcpy(e->value, "reset");
      old = 5;
    }
    e->value = realloc(e->value, old + klen + 2);
    e->value[old] = ',';
    memcpy(e->value + old + 1, key, klen + 1);
    e->hits++;
    return;
  }
  Entry* e = malloc(sizeof *e);
  e->key = malloc(klen + 1);
  memcpy(e->key, key, klen + 1);
  e->value = malloc(16 + (n & 31));
  strcpy(e->value, "v");
  e->hits = 0;
  e->next = NULL;
  *slot = e;
}

static uint64_t erase(const char* key) {
  Entry** slot = find_slot(key);
  if (!*slot) return 0;
  Entry* e = *slot;
  *slot = e->next;
  uint64_t h = bench_mix(strlen(e->value), e->hits);
  free(e->value);
  free(e->key);
  free(e);
  return h;
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t ops = bench_reps(400000, bench_percent(argc, argv));
  BenchRng rng = {5};
  char key[32];
  uint64_t sum = 0;
  for (uint32_t i = 0; i < ops; ++i) {
    uint32_t n = bench_rng_below(&rng, LIVE * 2);
    uint32_t klen = make_key(key, n);
    uint32_t action = bench_rng_below(&rng, 8);
    if (action < 4) {
      put(key, klen, n);
    } else if (action < 7) {
      Entry* e = *find_slot(key);
      if (e) sum = bench_mix(sum, e->hits + strlen(e->value));
    } else {
      sum = bench_mix(sum, erase(key));
    }
  }
  for (uint32_t b = 0; b < BUCKETS; ++b)
    while (table[b]) sum = bench_mix(sum, erase(table[b]->key));
  bench_report(sum, start);
  return 0;
}
