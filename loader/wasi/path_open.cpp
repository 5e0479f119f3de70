// path_open: oflags, fdflags and rights to an openat() beneath the
// directory, then a new entry in the fd table.
#include <fcntl.h>
#include <sys/stat.h>

#include "loader/wasi/errno_map.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/guest_path.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {

namespace R = abi::right;

int host_open_flags(uint32_t oflags, uint64_t rights, uint32_t fdflags, bool trailing_slash) {
  int flags;
  bool read = rights & R::kReadRights;
  bool write = rights & R::kWriteRights;
  if (oflags & abi::oflag::kDirectory) flags = O_RDONLY | O_DIRECTORY;
  else if (write) flags = read ? O_RDWR : O_WRONLY;
  else flags = O_RDONLY;
  if (trailing_slash) flags |= O_DIRECTORY;
  if (oflags & abi::oflag::kCreat) flags |= O_CREAT;
  if (oflags & abi::oflag::kExcl) flags |= O_EXCL;
  if (oflags & abi::oflag::kTrunc) flags |= O_TRUNC;
  if (fdflags & abi::fdflag::kAppend) flags |= O_APPEND;
  if (fdflags & abi::fdflag::kDsync) flags |= O_DSYNC;
  if (fdflags & abi::fdflag::kNonblock) flags |= O_NONBLOCK;
  if (fdflags & abi::fdflag::kRsync) flags |= O_RSYNC;
  if (fdflags & abi::fdflag::kSync) flags |= O_SYNC;
  // The resolver already followed what should be followed: the last name
  // is opened as it is, so a symlink swapped in meanwhile fails with loop.
  return flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
}

}  // namespace

E path_open(S& s, M& m, uint32_t dirfd, uint32_t dirflags, uint32_t path, uint32_t path_len,
            uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
            uint32_t fd_out) {
  if (dirflags & ~abi::lookupflag::kSymlinkFollow) return abi::err::kInval;
  if (oflags & ~uint32_t(abi::oflag::kAll)) return abi::err::kInval;
  if (fdflags & ~uint32_t(abi::fdflag::kAll)) return abi::err::kInval;
  uint64_t needed = R::kPathOpen;
  if (oflags & abi::oflag::kCreat) needed |= R::kPathCreateFile;
  if (oflags & abi::oflag::kTrunc) needed |= R::kPathFilestatSetSize;
  // O_CREAT|O_EXCL never follows a final symlink (POSIX).
  bool exclusive = (oflags & abi::oflag::kCreat) && (oflags & abi::oflag::kExcl);
  Follow follow = exclusive ? Follow::Never : follow_from_lookupflags(dirflags);
  ResolvedPath target;
  FdEntry* dir;
  if (E e = resolve_guest_path(s, m, dirfd, needed, path, path_len, follow, target, &dir)) return e;
  if (!m.bytes(fd_out, 4)) return abi::err::kFault;

  // A new fd gets what was asked for, within what the directory passes on
  // (and, below, what applies to the file's type); the host access mode
  // follows from that.
  uint64_t granted = rights_base & dir->rights_inheriting;
  int flags = host_open_flags(oflags, granted, fdflags, target.trailing_slash);
  int fd;
  do {
    fd = openat(target.parent.get(), target.name.c_str(), flags, 0666);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return last_error();
  FdEntry entry;
  entry.host.reset(fd);
  entry.type = filetype_of_fd(fd);
  entry.rights_base = granted & applicable_rights(entry.type, is_seekable(fd));
  entry.rights_inheriting = rights_inheriting & dir->rights_inheriting;
  entry.sync_flags = fdflags & (abi::fdflag::kDsync | abi::fdflag::kRsync | abi::fdflag::kSync);
  uint32_t new_fd;
  if (E e = s.fds.add(std::move(entry), new_fd)) return e;
  m.store<uint32_t>(fd_out, new_fd);
  return abi::err::kSuccess;
}

}  // namespace kiln::wasi::handlers
