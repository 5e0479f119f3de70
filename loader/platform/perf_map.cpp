#include "loader/platform/perf_map.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>

namespace kiln::loader {

namespace {

std::atomic<bool> enabled_by_call{false};

/// KILN_PERF_MAP: 1 turns the map on, 0 off (over enable_perf_map()).
enum class Setting { Unset, On, Off };
Setting environment_setting() {
  static const Setting setting = [] {
    const char* value = std::getenv("KILN_PERF_MAP");
    if (value && std::strcmp(value, "1") == 0) return Setting::On;
    if (value && std::strcmp(value, "0") == 0) return Setting::Off;
    return Setting::Unset;
  }();
  return setting;
}

}  // namespace

void enable_perf_map() { enabled_by_call.store(true, std::memory_order_relaxed); }

bool perf_map_enabled() {
  switch (environment_setting()) {
    case Setting::On: return true;
    case Setting::Off: return false;
    case Setting::Unset: break;
  }
  return enabled_by_call.load(std::memory_order_relaxed);
}

bool started_by_perf() {
  pid_t pid = ::getppid();
  for (int depth = 0; depth < 16 && pid > 1; ++depth) {
    char path[48];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    FILE* f = std::fopen(path, "re");
    if (!f) return false;
    char stat[512];
    const size_t n = std::fread(stat, 1, sizeof stat - 1, f);
    std::fclose(f);
    stat[n] = '\0';
    // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
    const char* open = std::strchr(stat, '(');
    const char* close = std::strrchr(stat, ')');
    if (!open || !close || close < open) return false;
    const std::string_view comm(open + 1, size_t(close - open - 1));
    if (comm == "perf" || comm == "perf-exec") return true;
    int parent = 0;
    char state = 0;
    if (std::sscanf(close + 1, " %c %d", &state, &parent) != 2) return false;
    pid = pid_t(parent);
  }
  return false;
}

bool make_code_anonymous(uintptr_t begin, size_t size) {
  auto* target = reinterpret_cast<void*>(begin);
  void* copy = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (copy == MAP_FAILED) return false;
  std::memcpy(copy, target, size);
  // Executable before it moves: a system that refuses anonymous executable
  // memory refuses here, while the original mapping is still in place.
  if (::mprotect(copy, size, PROT_READ | PROT_EXEC) != 0 ||
      ::mremap(copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, target) == MAP_FAILED) {
    ::munmap(copy, size);
    return false;
  }
  // mremap tells perf nothing; setting PROT_EXEC again records an
  // executable mapping of anonymous memory at the final address. No code of
  // this module runs yet, so the moment without execute is harmless; the
  // second call cannot be refused where the first one was allowed.
  ::mprotect(target, size, PROT_READ);
  ::mprotect(target, size, PROT_READ | PROT_EXEC);
  return true;
}

void append_perf_map(const std::vector<PerfMapEntry>& entries) {
  if (entries.empty()) return;
  std::string text;
  char line[64];
  for (const PerfMapEntry& e : entries) {
    std::snprintf(line, sizeof line, "%zx %zx ", size_t(e.start), e.size);
    text += line;
    text += e.name;
    text += '\n';
  }
  char path[64];
  std::snprintf(path, sizeof path, "/tmp/perf-%d.map", int(::getpid()));
  static std::mutex mutex;  // whole lines from concurrent loads
  std::lock_guard<std::mutex> lock(mutex);
  int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid()) {
    const char* at = text.data();
    size_t left = text.size();
    while (left > 0) {
      ssize_t n = ::write(fd, at, left);
      if (n <= 0) break;
      at += n;
      left -= size_t(n);
    }
  }
  ::close(fd);
}

}  // namespace kiln::loader
