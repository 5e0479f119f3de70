// Instantiates host_import.so with two C++ host functions (lambdas) and calls
// its export. Links only libkiln.
#include <cstdio>

#include <kiln/kiln.h>

int main(int argc, char** argv) {
  const char* artifact = argc > 1 ? argv[1] : "host_import.so";
  try {
    kiln::Store store;
    kiln::Module module = kiln::Module::load(artifact);
    int calls = 0;
    kiln::Imports imports;
    imports.func("host", "square", [&calls](int32_t x) -> int32_t {
      ++calls;
      return x * x;
    });
    imports.func("host", "report", [](int32_t i, int64_t sum) {
      std::printf("  after %d: %lld\n", i, static_cast<long long>(sum));
    });
    kiln::Instance instance = kiln::Instance::create(store, module, imports);
    auto sum_of_squares = instance.typed_func<int64_t(int32_t)>("sum_of_squares");
    int64_t result = sum_of_squares(10);
    std::printf("sum of squares 0..10 = %lld (%d host calls)\n", static_cast<long long>(result), calls);
    return result == 385 && calls == 11 ? 0 : 1;
  } catch (const kiln::Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}
