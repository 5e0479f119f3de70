// Sorting: an introsort-style quicksort of u32 keys (median of three,
// insertion sort for short runs, heapsort fallback) and a bottom-up merge
// sort of u64 records.
#include "bench_common.h"

enum { KEYS = 1 << 20, RECORDS = 1 << 18 };

static uint32_t keys[KEYS];
static uint64_t records[RECORDS], scratch[RECORDS];

static void insertion_sort(uint32_t* a, uint32_t n) {
  for (uint32_t i = 1; i < n; ++i) {
    uint32_t v = a[i], j = i;
    while (j > 0 && a[j - 1] > v) {
      a[j] = a[j - 1];
      --j;
    }
    a[j] = v;
  }
}

static void sift_down(uint32_t* a, uint32_t root, uint32_t n) {
  uint32_t v = a[root];
  for (;;) {
    uint32_t child = 2 * root + 1;
    if (child >= n) break;
    if (child + 1 < n && a[child + 1] > a[child]) ++child;
    if (a[child] <= v) break;
    a[root] = a[child];
    root = child;
  }
  a[root] = v;
}

static void heap_sort(uint32_t* a, uint32_t n) {
  for (uint32_t i = n / 2; i-- > 0;) sift_down(a, i, n);
  for (uint32_t end = n; end-- > 1;) {
    uint32_t t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift_down(a, 0, end);
  }
}

static void quick_sort(uint32_t* a, uint32_t n, uint32_t depth) {
  while (n > 24) {
    if (depth-- == 0) {
      heap_sort(a, n);
      return;
    }
    uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    uint32_t i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i >= j) break;
      uint32_t t = a[i];
      a[i] = a[j];
      a[j] = t;
      ++i;
      --j;
    }
    // Recurse into the smaller half, loop on the larger.
    uint32_t left = j + 1;
    if (left < n - left) {
      quick_sort(a, left, depth);
      a += left;
      n -= left;
    } else {
      quick_sort(a + left, n - left, depth);
      n = left;
    }
  }
  insertion_sort(a, n);
}

static void merge_sort(uint64_t* a, uint64_t* tmp, uint32_t n) {
  uint64_t *src = a, *dst = tmp;
  for (uint32_t width = 1; width < n; width *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      uint32_t mid = lo + width < n ? lo + width : n;
      uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    uint64_t* t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, (size_t)n * sizeof *a);
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(8, bench_percent(argc, argv));
  BenchRng rng = {1234};
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    // Random keys with many duplicates in the upper half.
    for (uint32_t i = 0; i < KEYS; ++i)
      keys[i] = i < KEYS / 2 ? (uint32_t)bench_rng_next(&rng) : bench_rng_below(&rng, 1000);
    quick_sort(keys, KEYS, 64);
    for (uint32_t i = 1; i < KEYS; ++i)
      if (keys[i - 1] > keys[i]) sum = bench_mix(sum, i);  // never: order check
    for (uint32_t i = 0; i < KEYS; i += 1021) sum = bench_mix(sum, keys[i]);
    for (uint32_t i = 0; i < RECORDS; ++i) records[i] = bench_rng_next(&rng) >> (r & 7);
    merge_sort(records, scratch, RECORDS);
    for (uint32_t i = 0; i < RECORDS; i += 509) sum = bench_mix(sum, records[i]);
  }
  bench_report(sum, start);
  return 0;
}
