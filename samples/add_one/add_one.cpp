// Loads add_one.so (compiled from add_one.wat by aotc at build time) and calls
// its export through a typed function. Links only libkiln: no compiler here.
#include <cstdio>

#include <kiln/kiln.h>

int main(int argc, char** argv) {
  const char* artifact = argc > 1 ? argv[1] : "add_one.so";
  try {
    kiln::Store store;
    kiln::Module module = kiln::Module::load(artifact);
    kiln::Instance instance = kiln::Instance::create(store, module, kiln::Imports{});
    auto add_one = instance.typed_func<int32_t(int32_t)>("add_one");
    int32_t result = add_one(1);
    std::printf("Result: %d\n", result);
    return result == 2 ? 0 : 1;
  } catch (const kiln::Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}
