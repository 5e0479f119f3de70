// Host file metadata in WASI terms: file types, applicable rights,
// timestamps and the filestat struct.
#pragma once
#include <sys/stat.h>

#include <cstdint>

#include "loader/wasi/guest_memory.h"
#include "loader/wasi/wasi_abi.h"

namespace kiln::wasi {

abi::FileType filetype_from_mode(mode_t mode);
/// The type of an open host fd (sockets told apart by SO_TYPE).
abi::FileType filetype_of_fd(int fd);
/// The rights that mean something for a file of this type; streams that
/// cannot seek (ttys, pipes, sockets) lack seek and tell.
uint64_t applicable_rights(abi::FileType type, bool seekable);
/// True if lseek works on the fd and it is no terminal (a tty's position
/// means nothing).
bool is_seekable(int fd);
uint64_t timestamp_ns(const timespec& t);
/// The two timespecs of utimensat/futimens for WASI times and fstflags:
/// inval when a time is both given and `now`, or for unknown flags.
abi::Errno utimens_times(uint64_t atim, uint64_t mtim, uint32_t fst_flags, timespec out[2]);
/// Writes `st` as a WASI filestat at `ptr`; false when out of bounds.
bool store_filestat(GuestMemory& memory, uint32_t ptr, const struct stat& st);

}  // namespace kiln::wasi
