// poll_oneoff: clock subscriptions become deadlines on the monotonic clock;
// fd_read subscriptions on streams are polled on the host; regular files and
// fd_write subscriptions are ready at once.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <vector>

#include "loader/wasi/clocks.h"
#include "loader/wasi/errno_map.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {

struct Subscription {
  uint64_t userdata = 0;
  uint8_t type = 0;
  E error = abi::err::kSuccess;  // reported at once
  bool ready_now = false;        // fd_write, regular files
  uint64_t nbytes = 0;           // for ready_now fd events
  uint64_t deadline = 0;         // clocks: monotonic ns
  int host_fd = -1;              // fd_read on a stream
  int poll_index = -1;
};

int64_t monotonic_now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(timestamp_ns(ts));
}

/// Bytes readable without blocking on a stream (0 when unknown).
uint64_t readable_bytes(int fd) {
  int n = 0;
  return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? uint64_t(n) : 0;
}

void parse_clock(const uint8_t* p, int64_t now, Subscription& sub) {
  namespace SB = abi::subscription;
  clockid_t clock;
  if (!host_clock(get<uint32_t>(p + SB::kClockId), clock)) {
    sub.error = abi::err::kInval;
    return;
  }
  uint64_t timeout = get<uint64_t>(p + SB::kClockTimeout);
  uint16_t flags = get<uint16_t>(p + SB::kClockFlags);
  int64_t remaining = timeout > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(timeout);
  if (flags & abi::kSubclockAbstime) {
    timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
      sub.error = last_error();
      return;
    }
    uint64_t clock_now = timestamp_ns(ts);
    remaining = timeout > clock_now ? int64_t(std::min<uint64_t>(timeout - clock_now, INT64_MAX)) : 0;
  }
  // Every deadline on one clock, so one wait serves them all (and CPU-time
  // clocks, which do not advance while we sleep, still expire).
  sub.deadline = remaining > INT64_MAX - now ? UINT64_MAX : uint64_t(now + remaining);
}

void parse_fd(S& s, const uint8_t* p, Subscription& sub) {
  FdEntry* entry;
  if (E e = s.fds.get(get<uint32_t>(p + abi::subscription::kFd), abi::right::kPollFdReadwrite, entry)) {
    sub.error = e;
    return;
  }
  if (sub.type == abi::eventtype::kFdWrite) {
    sub.ready_now = true;
    return;
  }
  struct stat st;
  if (fstat(entry->host.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(entry->host.get(), 0, SEEK_CUR);
    sub.ready_now = true;
    sub.nbytes = pos >= 0 && st.st_size > pos ? uint64_t(st.st_size - pos) : 0;
    return;
  }
  sub.host_fd = entry->host.get();
}

}  // namespace

E poll_oneoff(S& s, M& m, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents_out) {
  if (nsubscriptions == 0) return abi::err::kInval;
  const uint8_t* in_area = m.bytes(in, uint64_t(nsubscriptions) * abi::subscription::kSize);
  uint8_t* out_area = m.bytes(out, uint64_t(nsubscriptions) * abi::event::kSize);
  if (!in_area || !out_area || !m.bytes(nevents_out, 4)) return abi::err::kFault;

  int64_t start = monotonic_now();
  std::vector<Subscription> subs(nsubscriptions);
  std::vector<pollfd> pollfds;
  bool any_now = false;
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    const uint8_t* p = in_area + uint64_t(i) * abi::subscription::kSize;
    Subscription& sub = subs[i];
    sub.userdata = get<uint64_t>(p + abi::subscription::kUserdata);
    sub.type = get<uint8_t>(p + abi::subscription::kTag);
    if (sub.type == abi::eventtype::kClock) parse_clock(p, start, sub);
    else if (sub.type == abi::eventtype::kFdRead || sub.type == abi::eventtype::kFdWrite) parse_fd(s, p, sub);
    else sub.error = abi::err::kInval;
    if (sub.host_fd >= 0) {
      sub.poll_index = int(pollfds.size());
      pollfds.push_back(pollfd{sub.host_fd, POLLIN, 0});
    }
    any_now |= sub.error != abi::err::kSuccess || sub.ready_now;
  }

  for (;;) {
    int64_t now = monotonic_now();
    bool has_clock = false;
    uint64_t earliest = UINT64_MAX;
    for (const Subscription& sub : subs) {
      if (sub.type != abi::eventtype::kClock || sub.error) continue;
      has_clock = true;
      earliest = std::min(earliest, sub.deadline);
    }
    bool clock_due = has_clock && earliest <= uint64_t(now);
    // Wait until an fd is ready or the earliest deadline, unless something
    // is ready already.
    timespec wait{0, 0};
    timespec* timeout = &wait;
    if (!any_now && !clock_due) {
      if (!has_clock) timeout = nullptr;
      else {
        uint64_t ns = earliest - uint64_t(now);
        wait = timespec{time_t(ns / 1'000'000'000ull), long(ns % 1'000'000'000ull)};
      }
    }
    for (pollfd& p : pollfds) p.revents = 0;
    int r = ppoll(pollfds.data(), pollfds.size(), timeout, nullptr);
    if (r < 0 && errno != EINTR) return last_error();
    now = monotonic_now();

    uint32_t count = 0;
    for (const Subscription& sub : subs) {
      short revents = sub.poll_index >= 0 ? pollfds[size_t(sub.poll_index)].revents : 0;
      bool fired = sub.error || sub.ready_now || revents != 0 ||
                   (sub.type == abi::eventtype::kClock && sub.deadline <= uint64_t(now));
      if (!fired) continue;
      namespace EV = abi::event;
      uint8_t* e = out_area + uint64_t(count++) * EV::kSize;
      std::memset(e, 0, EV::kSize);
      put<uint64_t>(e + EV::kUserdata, sub.userdata);
      put<uint8_t>(e + EV::kType, sub.type);
      E error = sub.error;
      if (revents & POLLNVAL) error = abi::err::kBadf;
      put<uint16_t>(e + EV::kError, error);
      if (sub.type != abi::eventtype::kClock && !error) {
        put<uint64_t>(e + EV::kNbytes, sub.ready_now ? sub.nbytes : readable_bytes(sub.host_fd));
        if (revents & POLLHUP) put<uint16_t>(e + EV::kFlags, abi::kEventFdReadwriteHangup);
      }
    }
    if (count > 0) {
      m.store<uint32_t>(nevents_out, count);
      return abi::err::kSuccess;
    }
  }
}

}  // namespace kiln::wasi::handlers
