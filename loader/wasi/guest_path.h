// Reading a path from guest memory and resolving it beneath one of the
// guest's directory fds: the common first half of every path_* function.
#pragma once
#include <string>
#include <string_view>

#include "loader/wasi/handlers.h"
#include "loader/wasi/path_resolver.h"

namespace kiln::wasi {

/// True if `text` is well-formed UTF-8 (WASI strings must be).
bool is_valid_utf8(std::string_view text);

/// Copies a guest string that must be valid UTF-8: fault or ilseq.
abi::Errno read_guest_string(GuestMemory& m, uint32_t ptr, uint32_t len, std::string& out);

/// Whether a symlink in the last position is followed.
enum class Follow {
  Never,            // operations on the entry itself: unlink, rename, readlink, ...
  Always,           // lookupflags.symlink_follow
  OnTrailingSlash,  // "link/" names the link's target, as in POSIX
};
/// Follow::Always with lookupflags.symlink_follow, else OnTrailingSlash.
Follow follow_from_lookupflags(uint32_t lookupflags);

/// Checks that `fd` is a directory holding `rights` (badf, notdir,
/// notcapable), reads the path and resolves it (see resolve_path).
/// `dir_out` receives the directory's entry when not null.
abi::Errno resolve_guest_path(WasiState& s, GuestMemory& m, uint32_t fd, uint64_t rights,
                              uint32_t path, uint32_t path_len, Follow follow, ResolvedPath& out,
                              FdEntry** dir_out = nullptr);

/// For a path that ended in '/': notdir when the entry exists and is not a
/// directory (a symlink counts as not one). Success otherwise.
abi::Errno check_directory_suffix(const ResolvedPath& path);

}  // namespace kiln::wasi
