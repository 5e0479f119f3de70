// Binary trees: many short-lived trees allocated node by node with malloc,
// walked, and freed, next to one long-lived tree.
#include "bench_common.h"

typedef struct Node {
  struct Node* left;
  struct Node* right;
  uint32_t value;
} Node;

static Node* build(uint32_t depth, uint32_t value) {
  Node* n = malloc(sizeof *n);
  n->value = value;
  if (depth == 0) {
    n->left = n->right = NULL;
  } else {
    n->left = build(depth - 1, value * 2);
    n->right = build(depth - 1, value * 2 + 1);
  }
  return n;
}

static uint64_t walk(const Node* n) {
  if (!n->left) return n->value;
  return (n->value ^ walk(n->left)) + walk(n->right) * 3;
}

static void release(Node* n) {
  if (n->left) {
    release(n->left);
    release(n->right);
  }
  free(n);
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t percent = bench_percent(argc, argv);
  const uint32_t max_depth = 16;
  Node* long_lived = build(max_depth, 1);
  uint64_t sum = 0;
  for (uint32_t depth = 4; depth <= max_depth; depth += 2) {
    // Same number of nodes allocated at every depth.
    uint32_t trees = bench_reps((1u << (max_depth - depth + 4)) / 2, percent);
    uint64_t check = 0;
    for (uint32_t t = 0; t < trees; ++t) {
      Node* tree = build(depth, t);
      check = bench_mix(check, walk(tree));
      release(tree);
    }
    sum = bench_mix(sum, check);
  }
  sum = bench_mix(sum, walk(long_lived));
  release(long_lived);
  bench_report(sum, start);
  return 0;
}
