#include "loader/platform/valgrind_image.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#if defined(KILN_HAVE_VALGRIND_H)
#include <valgrind/valgrind.h>
#endif

namespace kiln::loader {

bool running_on_valgrind() {
#if defined(KILN_HAVE_VALGRIND_H)
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

namespace {

bool read_all(int fd, std::vector<uint8_t>& out) {
  struct stat st;
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) return false;
  out.resize(size_t(st.st_size));
  for (size_t done = 0; done < out.size();) {
    ssize_t n = ::pread(fd, out.data() + done, out.size() - done, off_t(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

bool write_all(int fd, const std::vector<uint8_t>& bytes) {
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

}  // namespace

std::unique_ptr<NamedImageCopy> NamedImageCopy::create(int fd, const std::string& artifact_path) {
  std::vector<uint8_t> bytes;
  if (!read_all(fd, bytes)) return nullptr;
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp == '/' ? tmp : "/tmp") + "/kiln-XXXXXX";
  if (!::mkdtemp(dir.data())) return nullptr;
  std::string name = artifact_path.substr(artifact_path.find_last_of('/') + 1);
  if (name.empty() || name == "." || name == "..") name = "module.so";
  std::string path = dir + "/" + name;
  int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0) {
    ::rmdir(dir.c_str());
    return nullptr;
  }
  const bool written = write_all(out, bytes);
  if (::close(out) != 0 || !written) {
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());
    return nullptr;
  }
  return std::unique_ptr<NamedImageCopy>(
      new NamedImageCopy(std::move(dir), std::move(path), std::move(bytes)));
}

NamedImageCopy::~NamedImageCopy() {
  ::unlink(path_.c_str());
  ::rmdir(dir_.c_str());
}

bool NamedImageCopy::matches_mapping(uintptr_t base) const {
  // The checks already accepted these headers; bounds are checked again
  // only so that this function stands on its own.
  if (bytes_.size() < sizeof(Elf64_Ehdr)) return false;
  Elf64_Ehdr eh;
  std::memcpy(&eh, bytes_.data(), sizeof eh);
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > bytes_.size() ||
      uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > bytes_.size() - eh.e_phoff)
    return false;
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, bytes_.data() + eh.e_phoff + i * sizeof(Elf64_Phdr), sizeof ph);
    if (ph.p_type != PT_LOAD || ph.p_filesz == 0) continue;
    if (ph.p_offset > bytes_.size() || ph.p_filesz > bytes_.size() - ph.p_offset) return false;
    if (std::memcmp(reinterpret_cast<const void*>(base + ph.p_vaddr), bytes_.data() + ph.p_offset,
                    ph.p_filesz) != 0)
      return false;
  }
  return true;
}

}  // namespace kiln::loader
