#include "tests/spec/crash_report.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace kiln::spec {
namespace {

std::atomic<const char*> g_running[kMaxReportedWorkers];

void write_text(const char* text) {
  size_t size = std::strlen(text);
  while (size > 0) {
    ssize_t n = write(STDOUT_FILENO, text, size);
    if (n <= 0) return;
    text += n;
    size -= size_t(n);
  }
}

// Only async-signal-safe calls: write, signal, raise.
void on_fatal_signal(int sig) {
  write_text("\n");
  write_text(program_invocation_short_name);  // spec_runner, spec_compile or spec_run
  write_text(": fatal signal ");
  const char* name = sigabbrev_np(sig);
  write_text(name ? name : "?");
  write_text(" outside wasm code while running:");
  for (auto& slot : g_running) {
    const char* script = slot.load(std::memory_order_relaxed);
    if (!script) continue;
    write_text(" ");
    write_text(script);
  }
  write_text("\n");
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void install_crash_reporter() {
  struct sigaction sa = {};
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) sigaction(sig, &sa, nullptr);
}

void set_running_script(unsigned worker, const char* script) {
  if (worker < kMaxReportedWorkers) g_running[worker].store(script, std::memory_order_relaxed);
}

}  // namespace kiln::spec
