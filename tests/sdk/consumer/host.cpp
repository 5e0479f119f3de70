// A program outside Kiln's tree, built against an installed SDK.
#include <cstdio>

#include "greet.h"

int main() {
  kiln::Store store;
  greet::Imports imports;
  imports.host_shout([](int32_t i) { std::printf("shout %d\n", i); });
  greet::Exports g = greet::instantiate(store, imports);
  std::printf("greet(3) = %d\n", g.greet(3));
  return 0;
}
