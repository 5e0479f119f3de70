// `wasi_run run ...`: the WASI half of `kiln run` on its own, so the WASI
// programs can be tested while the kiln tool does not route to it yet.
#include <string>
#include <vector>

#include "loader/wasi/run_command.h"

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) != "run") return 1;
  return kiln::wasi::run_wasi_command(std::vector<std::string>(argv + 2, argv + argc));
}
