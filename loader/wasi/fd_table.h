// The guest's file descriptor table: WASI fd numbers to host fds with the
// WASI file type and rights of each.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loader/wasi/unique_fd.h"
#include "loader/wasi/wasi_abi.h"

namespace kiln::wasi {

/// One entry of a directory listing kept for fd_readdir's cookies.
struct DirListingEntry {
  std::string name;
  uint64_t ino = 0;
  abi::FileType type = abi::FileType::Unknown;
};

struct FdEntry {
  UniqueFd host;
  abi::FileType type = abi::FileType::Unknown;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  /// dsync/rsync/sync as opened: Linux folds rsync into sync and F_GETFL
  /// cannot tell them apart, so fdstat reports what was asked for.
  uint16_t sync_flags = 0;
  /// The guest-visible name of a preopened directory.
  std::optional<std::string> preopen_name;
  /// fd_readdir's snapshot, taken at cookie 0; cookie N is entry N.
  std::optional<std::vector<DirListingEntry>> listing;
};

class FdTable {
 public:
  /// Entries past this many fail with `mfile`.
  static constexpr uint32_t kMaxFds = 1u << 20;

  /// The entry for `fd`, or null.
  FdEntry* find(uint32_t fd);
  /// The entry for `fd` if it has all of `rights`: badf when there is no
  /// such fd, notcapable when a right is missing.
  abi::Errno get(uint32_t fd, uint64_t rights, FdEntry*& out);
  /// Puts `entry` at the lowest free number; mfile when full.
  abi::Errno add(FdEntry entry, uint32_t& fd_out);
  /// Puts `entry` at `fd` (replacing nothing: the slot must be free).
  void add_at(uint32_t fd, FdEntry entry);
  /// Closes `fd` (badf if not open).
  abi::Errno close(uint32_t fd);
  /// Moves `from` to `to`, closing what `to` held; both must be open.
  abi::Errno renumber(uint32_t from, uint32_t to);

 private:
  void trim();
  std::vector<std::unique_ptr<FdEntry>> slots_;
};

}  // namespace kiln::wasi
