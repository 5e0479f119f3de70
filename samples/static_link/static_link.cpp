// Two modules linked into this program (aotc --emit=static), reached through
// the headers aotc wrote beside their libraries: no artifact files, no dlopen.
#include <cstdio>
#include <cstring>
#include <string>

#include "math.h"
#include "words.h"

int main() {
  try {
    kiln::Store store;
    math::Exports m = math::instantiate(store);
    std::printf("gcd(1071, 462) = %lld\n", static_cast<long long>(m.gcd(1071, 462)));
    auto [quotient, remainder] = m.divmod(17, 5);
    std::printf("17 / 5 = %d remainder %d\n", quotient, remainder);

    words::Imports imports;
    words::Exports* self = nullptr;
    imports.host_word([&](int32_t ptr, int32_t len) {
      std::printf("  word: %.*s\n", len, reinterpret_cast<const char*>(self->memory().data() + ptr));
    });
    words::Exports w = words::instantiate(store, imports);
    self = &w;
    const char text[] = "ahead of time, linked in";
    std::memcpy(w.memory().data() + 16, text, sizeof text - 1);
    std::printf("%d words\n", w.count(16, int32_t(sizeof text - 1)));
    try {
      m.divmod(1, 0);
    } catch (const kiln::Trap& trap) {
      std::printf("divmod(1, 0): %s\n", trap.what());
    }
    return 0;
  } catch (const kiln::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
