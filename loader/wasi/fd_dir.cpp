// Preopened directories (fd_prestat_*) and directory listing (fd_readdir).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "loader/wasi/errno_map.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {

abi::FileType filetype_from_dirent(unsigned char d_type) {
  using T = abi::FileType;
  switch (d_type) {
    case DT_REG: return T::RegularFile;
    case DT_DIR: return T::Directory;
    case DT_CHR: return T::CharacterDevice;
    case DT_BLK: return T::BlockDevice;
    case DT_LNK: return T::SymbolicLink;
    case DT_SOCK: return T::SocketStream;
    default: return T::Unknown;
  }
}

/// Reads the whole directory afresh: cookie N then names entry N of this
/// snapshot, whatever happens to the directory meanwhile.
E take_listing(FdEntry& entry) {
  int fd = openat(entry.host.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_error();
  DIR* dir = fdopendir(fd);
  if (!dir) {
    E e = last_error();
    close(fd);
    return e;
  }
  std::vector<DirListingEntry> listing;
  for (;;) {
    errno = 0;
    dirent* d = readdir(dir);
    if (!d) break;
    DirListingEntry item{d->d_name, d->d_ino, filetype_from_dirent(d->d_type)};
    if (d->d_type == DT_UNKNOWN) {  // some filesystems leave it to a stat
      struct stat st;
      if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        item.type = filetype_from_mode(st.st_mode);
    }
    listing.push_back(std::move(item));
  }
  E e = errno ? last_error() : abi::err::kSuccess;
  closedir(dir);
  if (e) return e;
  entry.listing = std::move(listing);
  return abi::err::kSuccess;
}

}  // namespace

E fd_prestat_get(S& s, M& m, uint32_t fd, uint32_t prestat_out) {
  FdEntry* entry = s.fds.find(fd);
  if (!entry || !entry->preopen_name) return abi::err::kBadf;
  uint8_t* p = m.bytes(prestat_out, abi::prestat::kSize);
  if (!p) return abi::err::kFault;
  std::memset(p, 0, abi::prestat::kSize);
  put<uint8_t>(p + abi::prestat::kTag, abi::kPreopenTypeDir);
  put<uint32_t>(p + abi::prestat::kNameLen, uint32_t(entry->preopen_name->size()));
  return abi::err::kSuccess;
}

E fd_prestat_dir_name(S& s, M& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  FdEntry* entry = s.fds.find(fd);
  if (!entry || !entry->preopen_name) return abi::err::kBadf;
  const std::string& name = *entry->preopen_name;
  if (path_len < name.size()) return abi::err::kNameTooLong;
  uint8_t* p = m.bytes(path, name.size());
  if (!p) return abi::err::kFault;
  std::memcpy(p, name.data(), name.size());
  return abi::err::kSuccess;
}

E fd_readdir(S& s, M& m, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
             uint32_t bufused_out) {
  FdEntry* entry;
  if (E e = s.fds.get(fd, abi::right::kFdReaddir, entry)) return e;
  uint8_t* out = m.bytes(buf, buf_len);
  if (!out || !m.bytes(bufused_out, 4)) return abi::err::kFault;
  if (cookie == 0 || !entry->listing) {
    if (E e = take_listing(*entry)) return e;
  }
  const std::vector<DirListingEntry>& listing = *entry->listing;
  uint64_t used = 0;
  for (uint64_t i = cookie; i < listing.size() && used < buf_len; ++i) {
    const DirListingEntry& item = listing[i];
    namespace D = abi::dirent;
    uint8_t header[D::kSize] = {};
    put<uint64_t>(header + D::kNext, i + 1);
    put<uint64_t>(header + D::kIno, item.ino);
    put<uint32_t>(header + D::kNamlen, uint32_t(item.name.size()));
    put<uint8_t>(header + D::kType, uint8_t(item.type));
    // The last entry may be cut short: the guest then asks again with a
    // bigger buffer, starting from this entry's cookie.
    uint64_t n = std::min<uint64_t>(D::kSize, buf_len - used);
    std::memcpy(out + used, header, n);
    used += n;
    n = std::min<uint64_t>(item.name.size(), buf_len - used);
    std::memcpy(out + used, item.name.data(), n);
    used += n;
  }
  m.store<uint32_t>(bufused_out, uint32_t(used));
  return abi::err::kSuccess;
}

}  // namespace kiln::wasi::handlers
