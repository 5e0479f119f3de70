// Everything a WASI instance sees of the host: its arguments, environment
// and descriptor table. Shared by the host functions of one Context.
#pragma once
#include <string>
#include <vector>

#include "loader/result.h"
#include "loader/wasi/fd_table.h"

namespace kiln::wasi {

struct Config;

struct WasiState {
  std::vector<std::string> args;
  std::vector<std::string> env;  // "NAME=VALUE"
  FdTable fds;
};

/// Fills `state` from `config`: args, env, stdio as fds 0-2 (duplicated),
/// preopens from fd 3 on. Fails for a directory that cannot be opened or a
/// stdio fd that is not open.
loader::Status populate_state(const Config& config, WasiState& state);

}  // namespace kiln::wasi
