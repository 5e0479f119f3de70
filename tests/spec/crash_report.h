// Names the scripts that were running when the runner dies of a fatal signal
// outside wasm code (a compiler or loader bug), so the crash can be traced.
#pragma once

namespace kiln::spec {

constexpr unsigned kMaxReportedWorkers = 64;

/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT that
/// print the running scripts and then die with the default action. Call
/// before libkiln installs its own handlers: it passes faults that are not
/// wasm traps on to these.
void install_crash_reporter();

/// Records what worker `worker` runs; `script` must outlive the run (null: idle).
void set_running_script(unsigned worker, const char* script);

}  // namespace kiln::spec
