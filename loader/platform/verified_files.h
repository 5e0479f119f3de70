// Artifacts the kernel keeps unchanged that already passed the file checks
// in this process, by file identity: loading one again needs no second read
// of its bytes (the hash of 1 MB of code costs more than the rest of a load).
#pragma once
#include <cstdint>
#include <optional>

#include "loader/platform/artifact_file.h"

namespace kiln::loader {

/// What identifies a file's contents while the kernel keeps them unchanged:
/// the inode (device, number, mount) and its change time, which the kernel
/// sets to the current time whenever the immutable attribute, or anything
/// else about the inode, changes, and which no unprivileged call can set.
struct FileIdentity {
  uint64_t mount_id = 0;   // statx stx_mnt_id
  uint32_t dev_major = 0, dev_minor = 0;
  uint64_t inode = 0;
  int64_t ctime_sec = 0, mtime_sec = 0;
  uint32_t ctime_nsec = 0, mtime_nsec = 0;
  uint64_t size = 0;
  bool operator==(const FileIdentity&) const = default;
};

/// The header recorded for `file` by remember_verified, if any.
std::optional<ArtifactHeader> verified_header(const FileIdentity& file);

/// Records that `file` passed every check with `header`. Keeps the most
/// recent few dozen files.
void remember_verified(const FileIdentity& file, const ArtifactHeader& header);

}  // namespace kiln::loader
