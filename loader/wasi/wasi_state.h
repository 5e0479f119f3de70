// Everything a WASI instance sees of the host: its arguments, environment
// and descriptor table. Shared by the host functions of one Context.
#pragma once
#include <string>
#include <vector>

#include "loader/wasi/fd_table.h"

namespace kiln::wasi {

struct WasiState {
  std::vector<std::string> args;
  std::vector<std::string> env;  // "NAME=VALUE"
  FdTable fds;
};

}  // namespace kiln::wasi
