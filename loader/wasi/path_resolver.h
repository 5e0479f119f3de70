// Sandboxed path resolution: a guest path, relative to a directory the guest
// holds, becomes (directory fd, one name) without ever leaving that
// directory, whatever `..`, absolute paths or symlinks (old, new, or swapped
// in concurrently) the path runs into.
#pragma once
#include <string>
#include <string_view>

#include "loader/wasi/unique_fd.h"
#include "loader/wasi/wasi_abi.h"

namespace kiln::wasi {

/// Where a path leads: the directory holding its last entry and that
/// entry's name. Operations then use the *at() syscalls on (parent, name)
/// with AT_SYMLINK_NOFOLLOW / O_NOFOLLOW, so nothing is looked up twice.
struct ResolvedPath {
  UniqueFd parent;            // an O_PATH fd of a directory inside the sandbox
  std::string name;           // one component, no '/'; "." for `parent` itself
  bool trailing_slash = false;  // the path ended in '/': the entry must be a directory
};

/// How resolve_path walks; Auto uses openat2(RESOLVE_BENEATH) when the
/// kernel has it and the manual component walk otherwise.
enum class ResolveMode { Auto, ManualWalk, Openat2 };
/// For tests: forces one strategy (Openat2 falls back to the walk when the
/// kernel lacks openat2). Process-wide.
void set_resolve_mode(ResolveMode mode);

/// Resolves `path` beneath the directory `base_fd`. With `follow_final` a
/// symlink in the last position is followed too (within the sandbox);
/// symlinks elsewhere in the path always are. Errors: noent (empty path),
/// notcapable (absolute path, `..` above the base, a symlink leading out or
/// to an absolute target), loop (more than 40 symlinks), notdir, inval (a
/// NUL byte), nametoolong, and whatever the host reports on the way.
abi::Errno resolve_path(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out);

}  // namespace kiln::wasi
