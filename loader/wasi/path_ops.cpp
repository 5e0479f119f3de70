// The path_* functions other than path_open: each resolves its path(s)
// beneath the guest's directory fd, then acts with one *at() syscall on
// (parent, name) without following the last name again.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "loader/wasi/errno_map.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/guest_path.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {

namespace R = abi::right;

E result_of(int rc) { return rc == 0 ? abi::err::kSuccess : last_error(); }

bool valid_lookupflags(uint32_t flags) { return (flags & ~abi::lookupflag::kSymlinkFollow) == 0; }

}  // namespace

E path_create_directory(S& s, M& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathCreateDirectory, path, path_len, Follow::Never, target))
    return e;
  return result_of(mkdirat(target.parent.get(), target.name.c_str(), 0777));
}

E path_filestat_get(S& s, M& m, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                    uint32_t stat_out) {
  if (!valid_lookupflags(flags)) return abi::err::kInval;
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathFilestatGet, path, path_len,
                               follow_from_lookupflags(flags), target))
    return e;
  struct stat st;
  if (fstatat(target.parent.get(), target.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return last_error();
  if (target.trailing_slash && !S_ISDIR(st.st_mode)) return abi::err::kNotDir;
  return store_filestat(m, stat_out, st) ? abi::err::kSuccess : abi::err::kFault;
}

E path_filestat_set_times(S& s, M& m, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                          uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  if (!valid_lookupflags(flags)) return abi::err::kInval;
  timespec times[2];
  if (E e = utimens_times(atim, mtim, fst_flags, times)) return e;
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathFilestatSetTimes, path, path_len,
                               follow_from_lookupflags(flags), target))
    return e;
  if (E e = check_directory_suffix(target)) return e;
  return result_of(utimensat(target.parent.get(), target.name.c_str(), times, AT_SYMLINK_NOFOLLOW));
}

E path_link(S& s, M& m, uint32_t old_fd, uint32_t old_flags, uint32_t old_path, uint32_t old_len,
            uint32_t new_fd, uint32_t new_path, uint32_t new_len) {
  if (!valid_lookupflags(old_flags)) return abi::err::kInval;
  ResolvedPath from, to;
  Follow follow = old_flags & abi::lookupflag::kSymlinkFollow ? Follow::Always : Follow::Never;
  if (E e = resolve_guest_path(s, m, old_fd, R::kPathLinkSource, old_path, old_len, follow, from))
    return e;
  if (E e = resolve_guest_path(s, m, new_fd, R::kPathLinkTarget, new_path, new_len, Follow::Never, to))
    return e;
  if (E e = check_directory_suffix(from)) return e;
  if (to.trailing_slash) return abi::err::kNoEnt;  // a new file name cannot end in '/'
  return result_of(linkat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str(), 0));
}

E path_readlink(S& s, M& m, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                uint32_t buf_len, uint32_t bufused_out) {
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathReadlink, path, path_len, Follow::Never, target))
    return e;
  uint8_t* out = m.bytes(buf, buf_len);
  if (!out || !m.bytes(bufused_out, 4)) return abi::err::kFault;
  char link[PATH_MAX];
  ssize_t n = readlinkat(target.parent.get(), target.name.c_str(), link, sizeof link);
  if (n < 0) return last_error();
  // Like readlink(2), a short buffer gets the first bytes.
  size_t copied = std::min<size_t>(size_t(n), buf_len);
  std::memcpy(out, link, copied);
  m.store<uint32_t>(bufused_out, uint32_t(copied));
  return abi::err::kSuccess;
}

E path_remove_directory(S& s, M& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathRemoveDirectory, path, path_len, Follow::Never,
                               target))
    return e;
  return result_of(unlinkat(target.parent.get(), target.name.c_str(), AT_REMOVEDIR));
}

E path_rename(S& s, M& m, uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd,
              uint32_t new_path, uint32_t new_len) {
  ResolvedPath from, to;
  if (E e = resolve_guest_path(s, m, fd, R::kPathRenameSource, old_path, old_len, Follow::Never, from))
    return e;
  if (E e = resolve_guest_path(s, m, new_fd, R::kPathRenameTarget, new_path, new_len, Follow::Never,
                               to))
    return e;
  if (from.trailing_slash || to.trailing_slash) {
    // Either side ending in '/' says the source is a directory.
    struct stat st;
    if (fstatat(from.parent.get(), from.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return last_error();
    if (!S_ISDIR(st.st_mode)) return abi::err::kNotDir;
  }
  return result_of(renameat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str()));
}

E path_symlink(S& s, M& m, uint32_t old_path, uint32_t old_len, uint32_t fd, uint32_t new_path,
               uint32_t new_len) {
  std::string link_target;
  if (E e = read_guest_string(m, old_path, old_len, link_target)) return e;
  if (link_target.find('\0') != std::string::npos) return abi::err::kInval;
  // A link the guest could never follow inside its sandbox: refused.
  if (!link_target.empty() && link_target.front() == '/') return abi::err::kNotCapable;
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathSymlink, new_path, new_len, Follow::Never, target))
    return e;
  if (target.trailing_slash) return abi::err::kNoEnt;
  return result_of(symlinkat(link_target.c_str(), target.parent.get(), target.name.c_str()));
}

E path_unlink_file(S& s, M& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  ResolvedPath target;
  if (E e = resolve_guest_path(s, m, fd, R::kPathUnlinkFile, path, path_len, Follow::Never, target))
    return e;
  if (target.trailing_slash) {
    // "name/" names a directory, which unlink never removes.
    struct stat st;
    if (fstatat(target.parent.get(), target.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return last_error();
    return S_ISDIR(st.st_mode) ? abi::err::kIsDir : abi::err::kNotDir;
  }
  return result_of(unlinkat(target.parent.get(), target.name.c_str(), 0));
}

}  // namespace kiln::wasi::handlers
