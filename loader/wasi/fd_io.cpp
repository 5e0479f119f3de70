// fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell. The guest's
// iovecs become host iovecs pointing straight into linear memory once every
// buffer has been bounds-checked.
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <vector>

#include "loader/wasi/errno_map.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {

namespace R = abi::right;

E gather(M& m, uint32_t iovs, uint32_t iovs_len, std::vector<iovec>& out) {
  if (iovs_len > IOV_MAX) return abi::err::kInval;
  uint8_t* array = m.bytes(iovs, uint64_t(iovs_len) * abi::iovec::kSize);
  if (!array) return abi::err::kFault;
  out.resize(iovs_len);
  for (uint32_t i = 0; i < iovs_len; ++i) {
    const uint8_t* entry = array + uint64_t(i) * abi::iovec::kSize;
    uint32_t buf = get<uint32_t>(entry + abi::iovec::kBuf);
    uint32_t len = get<uint32_t>(entry + abi::iovec::kBufLen);
    uint8_t* p = m.bytes(buf, len);
    if (!p) return abi::err::kFault;
    out[i] = iovec{p, len};
  }
  return abi::err::kSuccess;
}

/// Runs one vectored transfer: checks fd, rights and buffers, retries on
/// EINTR and stores the byte count at `count_out`.
template <class Op>
E transfer(S& s, M& m, uint32_t fd, uint64_t rights, uint32_t iovs, uint32_t iovs_len,
           uint32_t count_out, Op op) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, rights, entry)) return e;
  std::vector<iovec> vec;
  if (E e = gather(m, iovs, iovs_len, vec)) return e;
  // Check the result slot first so a fault never loses transferred data.
  if (!m.bytes(count_out, 4)) return abi::err::kFault;
  ssize_t n;
  do {
    n = op(entry->host.get(), vec.data(), int(vec.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return last_error();
  m.store<uint32_t>(count_out, uint32_t(n));
  return abi::err::kSuccess;
}

}  // namespace

E fd_read(S& s, M& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_out) {
  return transfer(s, m, fd, R::kFdRead, iovs, iovs_len, nread_out,
                  [](int h, const iovec* v, int n) { return readv(h, v, n); });
}

E fd_write(S& s, M& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_out) {
  return transfer(s, m, fd, R::kFdWrite, iovs, iovs_len, nwritten_out,
                  [](int h, const iovec* v, int n) { return writev(h, v, n); });
}

E fd_pread(S& s, M& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
           uint32_t nread_out) {
  if (offset > uint64_t(INT64_MAX)) return abi::err::kInval;
  return transfer(s, m, fd, R::kFdRead | R::kFdSeek, iovs, iovs_len, nread_out,
                  [offset](int h, const iovec* v, int n) { return preadv(h, v, n, off_t(offset)); });
}

E fd_pwrite(S& s, M& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
            uint32_t nwritten_out) {
  if (offset > uint64_t(INT64_MAX)) return abi::err::kInval;
  return transfer(s, m, fd, R::kFdWrite | R::kFdSeek, iovs, iovs_len, nwritten_out,
                  [offset](int h, const iovec* v, int n) { return pwritev(h, v, n, off_t(offset)); });
}

E fd_seek(S& s, M& m, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset_out) {
  int host_whence;
  switch (whence) {
    case abi::whence::kSet: host_whence = SEEK_SET; break;
    case abi::whence::kCur: host_whence = SEEK_CUR; break;
    case abi::whence::kEnd: host_whence = SEEK_END; break;
    default: return abi::err::kInval;
  }
  // Asking for the position only needs `tell`.
  uint64_t rights = offset == 0 && whence == abi::whence::kCur ? R::kFdTell : R::kFdSeek;
  FdEntry* entry;
  if (E e = s.fds.get(fd, rights, entry)) return e;
  if (!m.bytes(newoffset_out, 8)) return abi::err::kFault;
  off_t pos = lseek(entry->host.get(), off_t(int64_t(offset)), host_whence);
  if (pos < 0) return last_error();
  m.store<uint64_t>(newoffset_out, uint64_t(pos));
  return abi::err::kSuccess;
}

E fd_tell(S& s, M& m, uint32_t fd, uint32_t offset_out) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, R::kFdTell, entry)) return e;
  off_t pos = lseek(entry->host.get(), 0, SEEK_CUR);
  if (pos < 0) return last_error();
  return m.store<uint64_t>(offset_out, uint64_t(pos)) ? abi::err::kSuccess : abi::err::kFault;
}

}  // namespace kiln::wasi::handlers
