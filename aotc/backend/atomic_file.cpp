// Temporary file + rename.
#include "aotc/backend/atomic_file.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

namespace kiln::aotc {

Error write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes,
                            bool executable) {
  namespace fs = llvm::sys::fs;
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
