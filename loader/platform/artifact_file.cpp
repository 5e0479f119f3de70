// Artifact checks done on the file alone, before dlopen runs any of its code
// (constructors included): ELF identity, the descriptor section and its header.
#include "loader/platform/artifact_file.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string_view>

#include "abi/version.h"
#include "loader/platform/dynamic_check.h"

// XXH3 through libxxhash's x86 dispatcher (AVX-512/AVX2/SSE2, picked once
// per process); the streaming state lives on the stack.
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
#if defined(__x86_64__)
#include <xxh_x86dispatch.h>
#endif

namespace kiln::loader {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

class ElfHandle {
 public:
  explicit ElfHandle(Elf* elf) : elf_(elf) {}
  ~ElfHandle() {
    if (elf_) elf_end(elf_);
  }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;
  Elf* get() const { return elf_; }

 private:
  Elf* elf_;
};

bool libelf_ready() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = elf_version(EV_CURRENT) != EV_NONE; });
  return ok;
}

std::string libelf_error() {
  const char* msg = elf_errmsg(-1);
  return msg ? msg : "unknown libelf error";
}

// True if [offset, offset + size) lies inside a file of file_size bytes.
bool within_file(uint64_t offset, uint64_t size, uint64_t file_size) {
  return offset <= file_size && size <= file_size - offset;
}

// A fixed char array must hold a NUL-terminated string.
bool terminated(const char* chars, size_t size) { return std::memchr(chars, 0, size) != nullptr; }

// Accepts x86_64-<vendor>-linux-<env> and the vendor-less x86_64-linux-<env>.
bool supported_triple(std::string_view triple) {
  size_t dash = triple.find('-');
  if (dash == std::string_view::npos || triple.substr(0, dash) != "x86_64") return false;
  std::string_view rest = triple.substr(dash + 1);
  while (!rest.empty()) {
    size_t next = rest.find('-');
    std::string_view part = rest.substr(0, next);
    if (part.substr(0, 5) == "linux") return true;
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  return false;
}

const char* elf_type_name(unsigned type) {
  switch (type) {
    case ET_NONE: return "ELF type none";
    case ET_REL: return "a relocatable object";
    case ET_EXEC: return "an executable";
    case ET_CORE: return "a core file";
  }
  return "unknown ELF type";
}

// A read-only view of a whole file, unmapped on destruction. Populated up
// front: every byte is read by the hash anyway, and one call beats a page
// fault per few pages.
class FileView {
 public:
  FileView(int fd, uint64_t size) : size_(size) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    data_ = p == MAP_FAILED ? nullptr : static_cast<const uint8_t*>(p);
  }
  ~FileView() {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
  }
  FileView(const FileView&) = delete;
  FileView& operator=(const FileView&) = delete;
  bool ok() const { return data_ != nullptr; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }

 private:
  const uint8_t* data_;
  uint64_t size_;
};

// Checks after the ELF file is open; returns the problem without the path
// prefix and, on success, where the descriptor's contents are in the file.
std::string check_elf(int fd, uint64_t file_size, ArtifactHeader& header,
                      uint64_t& descriptor_offset) {
  unsigned char ident[EI_NIDENT] = {};
  ssize_t got = ::pread(fd, ident, sizeof ident, 0);
  if (got < SELFMAG || std::memcmp(ident, ELFMAG, SELFMAG) != 0) return "not an ELF file";
  if (file_size < sizeof(Elf64_Ehdr)) {
    if (got >= EI_CLASS + 1 && ident[EI_CLASS] != ELFCLASS64) return "not a 64-bit ELF file";
    return "truncated ELF file (" + std::to_string(file_size) + " bytes, shorter than an ELF header)";
  }
  if (ident[EI_CLASS] != ELFCLASS64) return "not a 64-bit ELF file (ELF class " + std::to_string(ident[EI_CLASS]) + ")";
  if (ident[EI_DATA] != ELFDATA2LSB) return "not a little-endian ELF file";

  if (!libelf_ready()) return "libelf initialisation failed: " + libelf_error();
  ElfHandle elf(elf_begin(fd, ELF_C_READ, nullptr));
  if (!elf.get()) return "cannot read ELF file: " + libelf_error();
  if (elf_kind(elf.get()) != ELF_K_ELF) return "not an ELF file";

  const Elf64_Ehdr* ehdr = elf64_getehdr(elf.get());
  if (!ehdr) return "malformed ELF header: " + libelf_error();
  if (ehdr->e_machine != EM_X86_64)
    return "wrong machine (ELF e_machine " + std::to_string(ehdr->e_machine) + ", expected x86-64)";
  if (ehdr->e_type != ET_DYN) return std::string("not a shared object (") + elf_type_name(ehdr->e_type) + ")";

  if (ehdr->e_shoff == 0)
    return std::string("not a Kiln artifact (no sections, so no ") + abi::kDescriptorSection + ")";
  if (ehdr->e_shentsize != sizeof(Elf64_Shdr))
    return "malformed section table (entry size " + std::to_string(ehdr->e_shentsize) + ")";
  // Checked from the raw header: libelf quietly drops a section table that
  // does not fit in the file. e_shnum 0 means the count is in section 0.
  if (!within_file(ehdr->e_shoff, sizeof(Elf64_Shdr), file_size))
    return "truncated ELF file (section headers start past the end of the file)";
  size_t section_count = ehdr->e_shnum;
  if (section_count == 0 && elf_getshdrnum(elf.get(), &section_count) != 0)
    return "malformed section table: " + libelf_error();
  if (!within_file(ehdr->e_shoff, uint64_t(section_count) * sizeof(Elf64_Shdr), file_size))
    return "truncated ELF file (section headers end past the end of the file)";
  if (ehdr->e_phnum != 0 &&
      !within_file(ehdr->e_phoff, uint64_t(ehdr->e_phnum) * sizeof(Elf64_Phdr), file_size))
    return "truncated ELF file (program headers end past the end of the file)";
  size_t names_index = 0;
  if (elf_getshdrstrndx(elf.get(), &names_index) != 0)
    return "malformed section table: " + libelf_error();

  const Elf64_Shdr* found = nullptr;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    const Elf64_Shdr* shdr = elf64_getshdr(scn);
    if (!shdr) return "malformed section header: " + libelf_error();
    if (shdr->sh_type != SHT_NOBITS && !within_file(shdr->sh_offset, shdr->sh_size, file_size))
      return "truncated ELF file (section " + std::to_string(elf_ndxscn(scn)) +
             " ends past the end of the file)";
    const char* name = elf_strptr(elf.get(), names_index, shdr->sh_name);
    if (name && std::strcmp(name, abi::kDescriptorSection) == 0 && !found) found = shdr;
  }
  if (!found)
    return std::string("not a Kiln artifact (no ") + abi::kDescriptorSection + " section)";
  if (found->sh_type == SHT_NOBITS)
    return std::string(abi::kDescriptorSection) + " section has no contents in the file";

  // Magic and version come first so an artifact of another ABI says so, even
  // if its descriptor has a different size.
  constexpr size_t kIdentSize = offsetof(abi::Descriptor, descriptor_size);
  if (found->sh_size < kIdentSize)
    return std::string(abi::kDescriptorSection) + " section too small (" +
           std::to_string(found->sh_size) + " bytes)";
  size_t to_read = found->sh_size < sizeof header.bytes ? size_t(found->sh_size) : sizeof header.bytes;
  std::memset(header.bytes, 0, sizeof header.bytes);
  if (::pread(fd, header.bytes, to_read, off_t(found->sh_offset)) != ssize_t(to_read))
    return std::string("cannot read the ") + abi::kDescriptorSection + " section: " + std::strerror(errno);
  const abi::Descriptor& d = header.descriptor();
  if (d.magic != abi::kDescriptorMagic) return "bad descriptor magic (not a Kiln artifact)";
  if (d.abi_version != abi::kAbiVersion)
    return "ABI version mismatch (artifact has version " + std::to_string(d.abi_version) +
           ", this loader supports version " + std::to_string(abi::kAbiVersion) +
           "): recompile it with a matching aotc";
  if (found->sh_size < sizeof(abi::Descriptor))
    return std::string(abi::kDescriptorSection) + " section too small (" +
           std::to_string(found->sh_size) + " bytes, a descriptor needs " +
           std::to_string(sizeof(abi::Descriptor)) + ")";
  if (d.descriptor_size != sizeof(abi::Descriptor))
    return "descriptor size mismatch (artifact says " + std::to_string(d.descriptor_size) +
           " bytes, expected " + std::to_string(sizeof(abi::Descriptor)) + ")";
  if (d.bounds_check != abi::BoundsCheck::GuardRegion && d.bounds_check != abi::BoundsCheck::Explicit)
    return "unknown bounds-check mode " + std::to_string(unsigned(d.bounds_check));
  if (!terminated(d.compiler_version, sizeof d.compiler_version) ||
      !terminated(d.target_triple, sizeof d.target_triple) ||
      !terminated(d.cpu_name, sizeof d.cpu_name) || !terminated(d.cpu_features, sizeof d.cpu_features))
    return "malformed descriptor (unterminated string)";
  if (!supported_triple(d.target_triple))
    return std::string("unsupported target '") + d.target_triple + "' (this host runs x86_64-*-linux*)";
  std::string missing = missing_cpu_features(d.cpu_features);
  if (!missing.empty()) return "needs CPU features this host lacks: " + missing;
  descriptor_offset = found->sh_offset;
  return "";
}

// Every check, on an open file of `file_size` bytes.
std::string check_open_file(int fd, uint64_t file_size, ArtifactHeader& header) {
  uint64_t descriptor_offset = 0;
  std::string problem = check_elf(fd, file_size, header, descriptor_offset);
  if (!problem.empty()) return problem;
  FileView view(fd, file_size);
  if (!view.ok()) return std::string("cannot map the file to check it: ") + std::strerror(errno);
  ArtifactHash expected;
  std::memcpy(expected.data(), header.descriptor().artifact_hash, expected.size());
  if (artifact_hash(view.bytes(), descriptor_offset) != expected)
    return "artifact was modified after compilation (hash mismatch)";
  return check_dynamic_loading(view.bytes());
}

// Copies the first `size` bytes of `from` to the end of `to` with read and
// write; the fallback where the kernel cannot copy between the two.
bool copy_by_reading(int from, int to, uint64_t done, uint64_t size, std::string& error) {
  static constexpr size_t kChunk = 1 << 16;
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[kChunk]);
  while (done < size) {
    size_t want = size - done < kChunk ? size_t(size - done) : kChunk;
    ssize_t got = ::pread(from, buffer.get(), want, off_t(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error = std::string("cannot read: ") + std::strerror(errno);
      return false;
    }
    if (got == 0) break;  // shrank while being read: check what is there
    for (ssize_t written = 0; written < got;) {
      ssize_t n = ::write(to, buffer.get() + written, size_t(got - written));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      written += n;
    }
    done += uint64_t(got);
  }
  return true;
}

// The file's bytes in a sealed memfd; -1 if this kernel cannot make one.
// The kernel copies page cache to page cache (sendfile): no user-space
// buffer, no second pass over the bytes.
int sealed_copy(int fd, uint64_t size, std::string& error) {
  Fd copy(::memfd_create("kiln-artifact", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (copy.get() < 0) return -1;
  off_t done = 0;
  while (uint64_t(done) < size) {
    ssize_t n = ::sendfile(copy.get(), fd, &done, size_t(size - uint64_t(done)));
    if (n > 0) continue;
    if (n == 0) break;  // shrank while being read: check what is there
    if (errno == EINTR) continue;
    if (errno != EINVAL && errno != ENOSYS) {
      error = std::string("cannot read: ") + std::strerror(errno);
      return -1;
    }
    if (!copy_by_reading(fd, copy.get(), uint64_t(done), size, error)) return -1;
    break;
  }
  if (::fcntl(copy.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    return -1;
  return copy.release();
}

// ld.so takes a library whose path string equals that of one already loaded
// to be that library, and a closed memfd's number is soon reused. So each
// load spells /proc/self/fd/N its own way: "./" and ".//" segments encode a
// process-wide counter, and no two loads ever use the same string.
std::string unique_proc_fd_path(int fd) {
  static std::atomic<uint64_t> loads{0};
  uint64_t n = loads.fetch_add(1);
  std::string path = "/proc/";
  do {
    path += (n & 1) ? ".//" : "./";
    n >>= 1;
  } while (n != 0);
  return path + "self/fd/" + std::to_string(fd);
}

}  // namespace

ArtifactHash artifact_hash(std::span<const uint8_t> file, uint64_t descriptor_offset) {
  constexpr uint64_t kField = offsetof(abi::Descriptor, artifact_hash);
  constexpr uint64_t kFieldSize = sizeof(abi::Descriptor::artifact_hash);
  XXH128_hash_t hash;
  if (descriptor_offset > file.size() || file.size() - descriptor_offset < kField + kFieldSize) {
    hash = XXH3_128bits(file.data(), file.size());  // no room for the field: will not match
  } else {
    const uint64_t field_at = descriptor_offset + kField;
    static constexpr uint8_t kZeros[kFieldSize] = {};
    XXH3_state_t state;
    XXH3_INITSTATE(&state);
    XXH3_128bits_reset(&state);
    XXH3_128bits_update(&state, file.data(), field_at);
    XXH3_128bits_update(&state, kZeros, kFieldSize);
    XXH3_128bits_update(&state, file.data() + field_at + kFieldSize, file.size() - field_at - kFieldSize);
    hash = XXH3_128bits_digest(&state);
  }
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, hash);
  ArtifactHash out;
  std::memcpy(out.data(), canonical.digest, out.size());
  return out;
}

ArtifactImage::~ArtifactImage() {
  if (fd_ >= 0) ::close(fd_);
}


std::unique_ptr<ArtifactImage> open_artifact(const std::string& path, ArtifactHeader& header,
                                             std::string& error) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (::fstat(file.get(), &st) != 0) {
    error = path + ": cannot stat: " + std::strerror(errno);
    return nullptr;
  }
  if (S_ISDIR(st.st_mode)) error = path + ": is a directory";
  else if (!S_ISREG(st.st_mode)) error = path + ": not a regular file";
  else if (st.st_size == 0) error = path + ": empty file";
  if (!error.empty()) return nullptr;

  std::string copy_error;
  Fd image(sealed_copy(file.get(), uint64_t(st.st_size), copy_error));
  if (!copy_error.empty()) {
    error = path + ": " + copy_error;
    return nullptr;
  }
  // Without memfd, check and load the opened file itself: /proc/self/fd
  // still pins this inode against a rename, though not against edits.
  Fd& source = image.get() >= 0 ? image : file;
  struct stat image_st;
  if (::fstat(source.get(), &image_st) != 0) {
    error = path + ": cannot stat: " + std::strerror(errno);
    return nullptr;
  }
  if (image_st.st_size == 0) {
    error = path + ": empty file";
    return nullptr;
  }
  std::string problem = check_open_file(source.get(), uint64_t(image_st.st_size), header);
  if (!problem.empty()) {
    error = path + ": " + problem;
    return nullptr;
  }
  std::string load_path = unique_proc_fd_path(source.get());
  if (::access(load_path.c_str(), R_OK) != 0) {
    // No /proc: dlopen the path; the loader then compares the mapped header.
    load_path = path.find('/') == std::string::npos ? "./" + path : path;
  }
  int fd = source.release();
  return std::unique_ptr<ArtifactImage>(new ArtifactImage(fd, std::move(load_path)));
}

std::string check_artifact_file(const std::string& path, ArtifactHeader& header) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return path + ": cannot open: " + std::strerror(errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return path + ": cannot stat: " + std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return path + ": is a directory";
  if (!S_ISREG(st.st_mode)) return path + ": not a regular file";
  if (st.st_size == 0) return path + ": empty file";
  std::string problem = check_open_file(fd.get(), uint64_t(st.st_size), header);
  if (problem.empty()) return problem;
  return path + ": " + problem;
}

}  // namespace kiln::loader
