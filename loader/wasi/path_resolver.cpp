// Two strategies, one meaning: openat2(RESOLVE_BENEATH) lets the kernel
// refuse escapes; the manual walk opens one component at a time with
// O_NOFOLLOW relative to a directory fd it holds, expands symlinks itself
// and keeps the chain of parent fds so that `..` never goes above the base.
#include "loader/wasi/path_resolver.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <vector>

#include "loader/wasi/errno_map.h"

namespace kiln::wasi {

namespace {

constexpr int kMaxSymlinkHops = 40;

std::atomic<ResolveMode> g_mode{ResolveMode::Auto};
std::atomic<bool> g_openat2_missing{false};

/// Pushes the non-empty components of `path` onto `stack` so that the first
/// component ends up on top.
void push_components(std::vector<std::string>& stack, std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) stack.push_back(std::move(*it));
}

/// readlinkat into `target`: 0, or the host errno (EINVAL: not a symlink).
int read_link(int dir, const std::string& name, std::string& target) {
  char buf[PATH_MAX];
  ssize_t n = readlinkat(dir, name.c_str(), buf, sizeof buf);
  if (n < 0) return errno;
  if (size_t(n) >= sizeof buf) return ENAMETOOLONG;
  target.assign(buf, size_t(n));
  return 0;
}

UniqueFd dup_fd(int fd) { return UniqueFd(fcntl(fd, F_DUPFD_CLOEXEC, 0)); }

abi::Errno check_path_text(std::string_view path) {
  if (path.empty()) return abi::err::kNoEnt;
  if (path.find('\0') != std::string_view::npos) return abi::err::kInval;
  if (path.front() == '/') return abi::err::kNotCapable;
  return abi::err::kSuccess;
}

bool ends_with_slash(std::string_view p) { return !p.empty() && p.back() == '/'; }

abi::Errno manual_walk(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out) {
  std::vector<UniqueFd> dirs;  // directories entered below the base; back() is current
  auto current = [&] { return dirs.empty() ? base_fd : dirs.back().get(); };
  std::vector<std::string> pending;
  push_components(pending, path);
  int hops = 0;
  std::string final_name = ".";
  auto expand = [&](const std::string& target) -> abi::Errno {
    if (++hops > kMaxSymlinkHops) return abi::err::kLoop;
    if (target.empty()) return abi::err::kNoEnt;
    if (target.front() == '/') return abi::err::kNotCapable;
    push_components(pending, target);
    return abi::err::kSuccess;
  };
  while (!pending.empty()) {
    std::string comp = std::move(pending.back());
    pending.pop_back();
    bool last = pending.empty();
    if (comp == ".") continue;
    if (comp == "..") {
      if (dirs.empty()) return abi::err::kNotCapable;
      dirs.pop_back();
      continue;
    }
    if (comp.size() > NAME_MAX) return abi::err::kNameTooLong;
    if (last && !follow_final) {
      final_name = std::move(comp);
      break;
    }
    std::string target;
    if (last) {
      int r = read_link(current(), comp, target);
      if (r == EINVAL || r == ENOENT) {  // not a symlink, or not there yet
        final_name = std::move(comp);
        break;
      }
      if (r != 0) return errno_from_host(r);
      if (abi::Errno e = expand(target)) return e;
      continue;
    }
    int fd = openat(current(), comp.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      dirs.emplace_back(fd);
      continue;
    }
    int open_error = errno;
    if (open_error != ELOOP && open_error != ENOTDIR) return errno_from_host(open_error);
    int r = read_link(current(), comp, target);
    if (r == EINVAL) return abi::err::kNotDir;  // a file, not a symlink
    if (r != 0) return errno_from_host(r);
    if (abi::Errno e = expand(target)) return e;
  }
  out.parent = dirs.empty() ? dup_fd(base_fd) : std::move(dirs.back());
  if (!out.parent) return last_error();
  out.name = std::move(final_name);
  out.trailing_slash = out.name != "." && ends_with_slash(path);
  return abi::err::kSuccess;
}

enum class Openat2Result { Done, Unavailable, Retry };

/// openat2(dir, path, O_PATH | O_DIRECTORY, RESOLVE_BENEATH): the fd or -errno.
int open_beneath(int dir, const std::string& path) {
  open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    long fd = syscall(SYS_openat2, dir, path.c_str(), &how, sizeof how);
    if (fd >= 0) return int(fd);
    // EAGAIN: a concurrent rename somewhere on the system; retry a little.
    if (errno == EAGAIN && attempt < 8) continue;
    return -errno;
  }
}

Openat2Result openat2_walk(int base_fd, std::string_view path, bool follow_final,
                           ResolvedPath& out, abi::Errno& result) {
  std::string current(path);
  bool trailing = ends_with_slash(path);
  for (int hops = 0;; ++hops) {
    // Split into the directory part and the last name.
    while (current.size() > 1 && current.back() == '/') current.pop_back();
    size_t slash = current.rfind('/');
    std::string dir_part = slash == std::string::npos ? "." : current.substr(0, slash + 1);
    std::string name = slash == std::string::npos ? current : current.substr(slash + 1);
    if (name == "." || name == "..") {  // the last entry is a directory reached by the kernel
      dir_part = current;
      name = ".";
    }
    if (name.size() > NAME_MAX) return result = abi::err::kNameTooLong, Openat2Result::Done;
    int fd = open_beneath(base_fd, dir_part);
    if (fd < 0) {
      int e = -fd;
      if (e == ENOSYS || e == EPERM || e == E2BIG) return Openat2Result::Unavailable;
      if (e == EAGAIN) return Openat2Result::Retry;  // keeps racing: walk by hand this time
      result = e == EXDEV ? abi::err::kNotCapable : errno_from_host(e);
      return Openat2Result::Done;
    }
    UniqueFd parent(fd);
    if (follow_final && name != ".") {
      std::string target;
      int r = read_link(parent.get(), name, target);
      if (r != EINVAL && r != ENOENT) {
        if (r != 0) return result = errno_from_host(r), Openat2Result::Done;
        if (hops + 1 > kMaxSymlinkHops) return result = abi::err::kLoop, Openat2Result::Done;
        if (target.empty()) return result = abi::err::kNoEnt, Openat2Result::Done;
        if (target.front() == '/') return result = abi::err::kNotCapable, Openat2Result::Done;
        current = (dir_part == "." ? std::string() : dir_part) + target;
        continue;
      }
    }
    out.parent = std::move(parent);
    out.name = std::move(name);
    out.trailing_slash = out.name != "." && trailing;
    result = abi::err::kSuccess;
    return Openat2Result::Done;
  }
}

}  // namespace

void set_resolve_mode(ResolveMode mode) { g_mode = mode; }

abi::Errno resolve_path(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out) {
  if (abi::Errno e = check_path_text(path)) return e;
  if (g_mode != ResolveMode::ManualWalk && !g_openat2_missing) {
    abi::Errno result = abi::err::kSuccess;
    Openat2Result r = openat2_walk(base_fd, path, follow_final, out, result);
    if (r == Openat2Result::Done) return result;
    if (r == Openat2Result::Unavailable) g_openat2_missing = true;
  }
  return manual_walk(base_fd, path, follow_final, out);
}

}  // namespace kiln::wasi
