// clock_res_get, clock_time_get and random_get.
#include <sys/random.h>

#include <cerrno>
#include <ctime>

#include "loader/wasi/clocks.h"
#include "loader/wasi/errno_map.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi {

bool host_clock(uint32_t wasi_clock, clockid_t& out) {
  switch (wasi_clock) {
    case abi::clock::kRealtime: out = CLOCK_REALTIME; return true;
    case abi::clock::kMonotonic: out = CLOCK_MONOTONIC; return true;
    case abi::clock::kProcessCputime: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case abi::clock::kThreadCputime: out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

namespace handlers {

E clock_res_get(S&, M& m, uint32_t id, uint32_t res_out) {
  clockid_t clock;
  if (!host_clock(id, clock)) return abi::err::kInval;
  timespec ts;
  if (clock_getres(clock, &ts) != 0) return last_error();
  return m.store<uint64_t>(res_out, timestamp_ns(ts)) ? abi::err::kSuccess : abi::err::kFault;
}

E clock_time_get(S&, M& m, uint32_t id, uint64_t /*precision: a hint*/, uint32_t time_out) {
  clockid_t clock;
  if (!host_clock(id, clock)) return abi::err::kInval;
  timespec ts;
  if (clock_gettime(clock, &ts) != 0) return last_error();
  return m.store<uint64_t>(time_out, timestamp_ns(ts)) ? abi::err::kSuccess : abi::err::kFault;
}

E random_get(S&, M& m, uint32_t buf, uint32_t len) {
  uint8_t* p = m.bytes(buf, len);
  if (!p) return abi::err::kFault;
  size_t done = 0;
  while (done < len) {
    // getrandom returns at most 32 MiB per call and may be interrupted.
    ssize_t n = getrandom(p + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    done += size_t(n);
  }
  return abi::err::kSuccess;
}

}  // namespace handlers
}  // namespace kiln::wasi
