// Descriptor-level metadata and housekeeping: advise, allocate, close,
// sync, fdstat, filestat, renumber.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "loader/wasi/errno_map.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {
namespace R = abi::right;
}

E fd_advise(S& s, M&, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  int host_advice;
  switch (advice) {
    case abi::advice::kNormal: host_advice = POSIX_FADV_NORMAL; break;
    case abi::advice::kSequential: host_advice = POSIX_FADV_SEQUENTIAL; break;
    case abi::advice::kRandom: host_advice = POSIX_FADV_RANDOM; break;
    case abi::advice::kWillNeed: host_advice = POSIX_FADV_WILLNEED; break;
    case abi::advice::kDontNeed: host_advice = POSIX_FADV_DONTNEED; break;
    case abi::advice::kNoReuse: host_advice = POSIX_FADV_NOREUSE; break;
    default: return abi::err::kInval;
  }
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX)) return abi::err::kInval;
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdAdvise, entry)) return e;
  return errno_from_host(posix_fadvise(entry->host.get(), off_t(offset), off_t(len), host_advice));
}

E fd_allocate(S& s, M&, uint32_t fd, uint64_t offset, uint64_t len) {
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) return abi::err::kFbig;
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdAllocate, entry)) return e;
  int r;
  do {
    r = posix_fallocate(entry->host.get(), off_t(offset), off_t(len));
  } while (r == EINTR);
  return errno_from_host(r);
}

E fd_close(S& s, M&, uint32_t fd) { return s.fds.close(fd); }

E fd_datasync(S& s, M&, uint32_t fd) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdDatasync, entry)) return e;
  return fdatasync(entry->host.get()) == 0 ? abi::err::kSuccess : last_error();
}

E fd_sync(S& s, M&, uint32_t fd) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdSync, entry)) return e;
  return fsync(entry->host.get()) == 0 ? abi::err::kSuccess : last_error();
}

E fd_fdstat_get(S& s, M& m, uint32_t fd, uint32_t stat_out) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, 0, entry)) return e;
  int fl = fcntl(entry->host.get(), F_GETFL);
  if (fl < 0) return last_error();
  uint16_t flags = entry->sync_flags;
  if (fl & O_APPEND) flags |= abi::fdflag::kAppend;
  if (fl & O_NONBLOCK) flags |= abi::fdflag::kNonblock;
  namespace F = abi::fdstat;
  uint8_t* p = m.bytes(stat_out, F::kSize);
  if (!p) return abi::err::kFault;
  std::memset(p, 0, F::kSize);
  put<uint8_t>(p + F::kFiletype, uint8_t(entry->type));
  put<uint16_t>(p + F::kFlags, flags);
  put<uint64_t>(p + F::kRightsBase, entry->rights_base);
  put<uint64_t>(p + F::kRightsInheriting, entry->rights_inheriting);
  return abi::err::kSuccess;
}

E fd_fdstat_set_flags(S& s, M&, uint32_t fd, uint32_t flags) {
  if (flags & ~uint32_t(abi::fdflag::kAll)) return abi::err::kInval;
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdFdstatSetFlags, entry)) return e;
  // Linux ignores O_DSYNC / O_SYNC in F_SETFL: they are fixed at open.
  constexpr uint16_t kSyncFlags = abi::fdflag::kDsync | abi::fdflag::kRsync | abi::fdflag::kSync;
  if ((flags & kSyncFlags) != entry->sync_flags) return abi::err::kNotSup;
  int fl = fcntl(entry->host.get(), F_GETFL);
  if (fl < 0) return last_error();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & abi::fdflag::kAppend) fl |= O_APPEND;
  if (flags & abi::fdflag::kNonblock) fl |= O_NONBLOCK;
  return fcntl(entry->host.get(), F_SETFL, fl) == 0 ? abi::err::kSuccess : last_error();
}

E fd_fdstat_set_rights(S& s, M&, uint32_t fd, uint64_t base, uint64_t inheriting) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, 0, entry)) return e;
  // Rights can only be dropped.
  if ((base & ~entry->rights_base) || (inheriting & ~entry->rights_inheriting))
    return abi::err::kNotCapable;
  entry->rights_base = base;
  entry->rights_inheriting = inheriting;
  return abi::err::kSuccess;
}

E fd_filestat_get(S& s, M& m, uint32_t fd, uint32_t stat_out) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdFilestatGet, entry)) return e;
  struct stat st;
  if (fstat(entry->host.get(), &st) != 0) return last_error();
  return store_filestat(m, stat_out, st) ? abi::err::kSuccess : abi::err::kFault;
}

E fd_filestat_set_size(S& s, M&, uint32_t fd, uint64_t size) {
  if (size > uint64_t(INT64_MAX)) return abi::err::kFbig;
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdFilestatSetSize, entry)) return e;
  return ftruncate(entry->host.get(), off_t(size)) == 0 ? abi::err::kSuccess : last_error();
}

E fd_filestat_set_times(S& s, M&, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  timespec times[2];
  if (E e = utimens_times(atim, mtim, fst_flags, times)) return e;
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdFilestatSetTimes, entry)) return e;
  return futimens(entry->host.get(), times) == 0 ? abi::err::kSuccess : last_error();
}

E fd_renumber(S& s, M&, uint32_t fd, uint32_t to) { return s.fds.renumber(fd, to); }

}  // namespace kiln::wasi::handlers
