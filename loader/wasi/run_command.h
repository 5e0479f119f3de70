// `kiln run` for WASI commands; called by the kiln tool's main.
#pragma once
#include <string>
#include <vector>

#include "kiln/module.h"

namespace kiln::wasi {

/// Runs `kiln run [--backtrace] [--dir HOST[::GUEST]]... [--env
/// NAME[=VALUE]]... ARTIFACT [ARGS...]`; `args` are the words after "run". The guest gets ARTIFACT and
/// ARGS as argv, exactly the --env variables (`--env NAME` copies NAME from
/// this process), the --dir directories preopened (named GUEST, by default
/// HOST), and this process's stdin, stdout and stderr. Returns the exit
/// status: the guest's proc_exit code (0 if _start returns), 134 after a
/// trap ("error: wasm trap: ..." on stderr, then the wasm frames with
/// --backtrace), 1 for bad usage or any other error ("error: ..." on stderr).
int run_wasi_command(const std::vector<std::string>& args);

/// What a standalone executable made by `aotc --emit=exe` runs: the module
/// linked into it (`descriptor`) as a WASI command, with kiln run's options
/// and no ARTIFACT: `PROGRAM [--backtrace] [--dir HOST[::GUEST]]... [--env
/// NAME[=VALUE]]... [--] [ARGS...]`. Options come first; the first word that
/// is not one, or everything after `--`, goes to the guest, whose argv[0] is
/// `program`. Exit status as for run_wasi_command.
int run_linked_command(const LinkedDescriptor& descriptor, const std::string& program,
                       const std::vector<std::string>& args);

}  // namespace kiln::wasi
