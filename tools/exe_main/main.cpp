// main() of the standalone executables `aotc --emit=exe` links: runs the
// WASI command module linked in beside it (kiln_exe_kiln_descriptor) with
// kiln run's options. Built as libkiln_exe_main.a.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "abi/version.h"
#include "kiln/module.h"
#include "loader/wasi/run_command.h"

extern "C" const kiln::LinkedDescriptor kiln_exe_kiln_descriptor;
static_assert(std::string_view(kiln::abi::kExecutableDescriptorSymbol) ==
                  "kiln_exe_kiln_descriptor",
              "the symbol declared above");

namespace {

const char* kUsage =
    "usage: %s [--backtrace] [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... [--] [ARGS...]\n"
    "\n"
    "A WebAssembly (WASI) program compiled ahead of time by aotc --emit=exe.\n"
    "  --dir HOST[::GUEST]   make directory HOST visible to the program as GUEST\n"
    "  --env NAME[=VALUE]    set (or copy from here) an environment variable\n"
    "  --backtrace           after a trap, print the wasm frames\n"
    "  --                    everything after it goes to the program, as does\n"
    "                        everything from the first word that is not an option\n"
    "Exit status: the program's, 134 on a wasm trap, 1 on any other error.\n";

}  // namespace

int main(int argc, char** argv) {
  const char* program = argc > 0 ? argv[0] : "program";
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::printf(kUsage, program);
    return 0;
  }
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  return kiln::wasi::run_linked_command(kiln_exe_kiln_descriptor, program, args);
}
