// Temporary file + rename.
#include "aotc/backend/atomic_file.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiln::aotc {

namespace {

// Straight into an existing device or FIFO, which has no contents to keep.
Error write_in_place(const std::string& path, const std::vector<uint8_t>& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return make_error("cannot write " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = n < 0 ? std::strerror(errno) : "short write";
      ::close(fd);
      return make_error("cannot write " + path + ": " + why);
    }
    done += size_t(n);
  }
  if (::close(fd) != 0) return make_error("cannot write " + path + ": " + std::strerror(errno));
  return Error::success();
}

}  // namespace

Error write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes,
                            bool executable) {
  namespace fs = llvm::sys::fs;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return make_error("cannot write " + path + ": is a directory");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode))
      return write_in_place(path, bytes);
  }
  int fd = -1;
  llvm::SmallString<256> temp;
  unsigned mode = fs::all_read | fs::all_write | (executable ? fs::all_exe : 0);
  if (std::error_code ec = fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temp, fs::OF_None, mode))
    return make_error("cannot write " + path + ": " + ec.message());
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    os.close();
    if (os.has_error()) {
      ec = os.error();
      os.clear_error();  // reported below; raw_fd_ostream would abort otherwise
    }
  }
  if (!ec) ec = llvm::sys::fs::rename(temp, path);
  if (ec) {
    llvm::sys::fs::remove(temp);
    return make_error("cannot write " + path + ": " + ec.message());
  }
  return Error::success();
}

}  // namespace kiln::aotc
