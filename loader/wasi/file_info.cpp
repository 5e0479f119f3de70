// Host metadata to WASI: types, rights, filestat.
#include "loader/wasi/file_info.h"

#include <sys/socket.h>
#include <unistd.h>

namespace kiln::wasi {

abi::FileType filetype_from_mode(mode_t mode) {
  using T = abi::FileType;
  if (S_ISREG(mode)) return T::RegularFile;
  if (S_ISDIR(mode)) return T::Directory;
  if (S_ISCHR(mode)) return T::CharacterDevice;
  if (S_ISBLK(mode)) return T::BlockDevice;
  if (S_ISLNK(mode)) return T::SymbolicLink;
  if (S_ISSOCK(mode)) return T::SocketStream;
  return T::Unknown;  // FIFOs have no WASI type
}

abi::FileType filetype_of_fd(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return abi::FileType::Unknown;
  abi::FileType type = filetype_from_mode(st.st_mode);
  if (type == abi::FileType::SocketStream) {
    int so_type = 0;
    socklen_t len = sizeof so_type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &so_type, &len) == 0 && so_type == SOCK_DGRAM)
      return abi::FileType::SocketDgram;
  }
  return type;
}

uint64_t applicable_rights(abi::FileType type, bool seekable) {
  if (type == abi::FileType::Directory) return abi::right::kDirRights;
  uint64_t rights = abi::right::kFileRights;
  if (!seekable) rights &= ~abi::right::kSeekRights;
  if (type == abi::FileType::SocketStream || type == abi::FileType::SocketDgram)
    rights |= abi::right::kSockShutdown | abi::right::kSockAccept;
  return rights;
}

bool is_seekable(int fd) { return lseek(fd, 0, SEEK_CUR) >= 0 && !isatty(fd); }

uint64_t timestamp_ns(const timespec& t) {
  return uint64_t(t.tv_sec) * 1'000'000'000ull + uint64_t(t.tv_nsec);
}

abi::Errno utimens_times(uint64_t atim, uint64_t mtim, uint32_t fst, timespec out[2]) {
  namespace F = abi::fstflag;
  if (fst & ~uint32_t(F::kAll)) return abi::err::kInval;
  auto one = [](bool set, bool now, uint64_t ns, timespec& t) {
    if (set && now) return false;
    if (now) t = timespec{0, UTIME_NOW};
    else if (set) t = timespec{time_t(ns / 1'000'000'000ull), long(ns % 1'000'000'000ull)};
    else t = timespec{0, UTIME_OMIT};
    return true;
  };
  if (!one(fst & F::kAtim, fst & F::kAtimNow, atim, out[0])) return abi::err::kInval;
  if (!one(fst & F::kMtim, fst & F::kMtimNow, mtim, out[1])) return abi::err::kInval;
  return abi::err::kSuccess;
}

bool store_filestat(GuestMemory& m, uint32_t ptr, const struct stat& st) {
  namespace F = abi::filestat;
  uint8_t* p = m.bytes(ptr, F::kSize);
  if (!p) return false;
  std::memset(p, 0, F::kSize);
  put<uint64_t>(p + F::kDev, st.st_dev);
  put<uint64_t>(p + F::kIno, st.st_ino);
  put<uint8_t>(p + F::kFiletype, uint8_t(filetype_from_mode(st.st_mode)));
  put<uint64_t>(p + F::kNlink, st.st_nlink);
  put<uint64_t>(p + F::kSizeField, uint64_t(st.st_size));
  put<uint64_t>(p + F::kAtim, timestamp_ns(st.st_atim));
  put<uint64_t>(p + F::kMtim, timestamp_ns(st.st_mtim));
  put<uint64_t>(p + F::kCtim, timestamp_ns(st.st_ctim));
  return true;
}

}  // namespace kiln::wasi
