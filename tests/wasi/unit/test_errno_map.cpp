// Host errno to WASI errno, and UTF-8 checks of guest strings.
#include <doctest/doctest.h>

#include <cerrno>

#include "loader/wasi/errno_map.h"
#include "loader/wasi/guest_path.h"

using namespace kiln::wasi;
namespace E = abi::err;

TEST_CASE("every POSIX errno WASI names maps to its WASI number") {
  struct Pair {
    int host;
    abi::Errno wasi;
  };
  // The witx numbering, spelled out independently of the implementation.
  const Pair pairs[] = {
      {0, 0}, {E2BIG, 1}, {EACCES, 2}, {EADDRINUSE, 3}, {EADDRNOTAVAIL, 4}, {EAFNOSUPPORT, 5},
      {EAGAIN, 6}, {EALREADY, 7}, {EBADF, 8}, {EBADMSG, 9}, {EBUSY, 10}, {ECANCELED, 11},
      {ECHILD, 12}, {ECONNABORTED, 13}, {ECONNREFUSED, 14}, {ECONNRESET, 15}, {EDEADLK, 16},
      {EDESTADDRREQ, 17}, {EDOM, 18}, {EDQUOT, 19}, {EEXIST, 20}, {EFAULT, 21}, {EFBIG, 22},
      {EHOSTUNREACH, 23}, {EIDRM, 24}, {EILSEQ, 25}, {EINPROGRESS, 26}, {EINTR, 27}, {EINVAL, 28},
      {EIO, 29}, {EISCONN, 30}, {EISDIR, 31}, {ELOOP, 32}, {EMFILE, 33}, {EMLINK, 34},
      {EMSGSIZE, 35}, {EMULTIHOP, 36}, {ENAMETOOLONG, 37}, {ENETDOWN, 38}, {ENETRESET, 39},
      {ENETUNREACH, 40}, {ENFILE, 41}, {ENOBUFS, 42}, {ENODEV, 43}, {ENOENT, 44}, {ENOEXEC, 45},
      {ENOLCK, 46}, {ENOLINK, 47}, {ENOMEM, 48}, {ENOMSG, 49}, {ENOPROTOOPT, 50}, {ENOSPC, 51},
      {ENOSYS, 52}, {ENOTCONN, 53}, {ENOTDIR, 54}, {ENOTEMPTY, 55}, {ENOTRECOVERABLE, 56},
      {ENOTSOCK, 57}, {ENOTSUP, 58}, {ENOTTY, 59}, {ENXIO, 60}, {EOVERFLOW, 61}, {EOWNERDEAD, 62},
      {EPERM, 63}, {EPIPE, 64}, {EPROTO, 65}, {EPROTONOSUPPORT, 66}, {EPROTOTYPE, 67},
      {ERANGE, 68}, {EROFS, 69}, {ESPIPE, 70}, {ESRCH, 71}, {ESTALE, 72}, {ETIMEDOUT, 73},
      {ETXTBSY, 74}, {EXDEV, 75},
  };
  for (const Pair& p : pairs) {
    CAPTURE(p.host);
    CHECK(errno_from_host(p.host) == p.wasi);
  }
  CHECK(errno_from_host(EWOULDBLOCK) == E::kAgain);
  CHECK(errno_from_host(EOPNOTSUPP) == E::kNotSup);
  CHECK(errno_from_host(EDEADLOCK) == E::kDeadlk);
}

TEST_CASE("Linux-only errnos map by meaning, unknown ones to io") {
  CHECK(errno_from_host(ETIME) == E::kTimedOut);
  CHECK(errno_from_host(ENOMEDIUM) == E::kNoDev);
  CHECK(errno_from_host(EBADFD) == E::kBadf);
  CHECK(errno_from_host(ENODATA) == E::kNoEnt);
  CHECK(errno_from_host(4000) == E::kIo);
  for (int e = 1; e < 134; ++e) {  // every Linux errno lands on a defined WASI errno
    CAPTURE(e);
    abi::Errno w = errno_from_host(e);
    CHECK(w >= 1);
    CHECK(w <= E::kNotCapable);
  }
}

TEST_CASE("UTF-8 validation of guest strings") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain/ascii.txt"));
  CHECK(is_valid_utf8("caf\xc3\xa9"));                    // é
  CHECK(is_valid_utf8("\xe2\x82\xac"));                   // €
  CHECK(is_valid_utf8("\xf0\x9f\x98\x80"));               // U+1F600
  CHECK_FALSE(is_valid_utf8("\xc3"));                     // truncated
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));                 // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));             // surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));         // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xff"));
  CHECK_FALSE(is_valid_utf8("a\x80z"));                   // stray continuation byte
}
