// Artifact checks done on the file alone, before dlopen runs any of its code
// (constructors included): ELF identity, the descriptor section and its header.
#include "loader/platform/artifact_file.h"
#include "loader/platform/host_cpu.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "abi/artifact_hash.h"
#include "abi/version.h"
#include "loader/platform/dynamic_check.h"
#include "loader/platform/verified_files.h"


namespace kiln::loader {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
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

// Accepts <host cpu>-<vendor>-linux-<env> and the vendor-less <host cpu>-linux-<env>.
bool supported_triple(std::string_view triple) {
  size_t dash = triple.find('-');
  if (dash == std::string_view::npos || triple.substr(0, dash) != host_cpu::triple_arch()) return false;
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

}  // namespace

uint16_t host_elf_machine() { return host_cpu::elf_machine(); }

std::string elf_machine_name(uint16_t machine) {
  switch (machine) {
    case EM_X86_64: return "x86_64";
    case EM_AARCH64: return "aarch64";
    case EM_RISCV: return "riscv64";
    case EM_386: return "i386";
    case EM_ARM: return "arm";
    case EM_PPC64: return "ppc64";
    case EM_S390: return "s390x";
  }
  return "ELF machine " + std::to_string(machine);
}

bool host_runs_target(std::string_view triple) { return supported_triple(triple); }

Status check_descriptor_identity(const abi::Descriptor& d) {
  if (d.magic != abi::kDescriptorMagic) return fail("bad descriptor magic (not a Kiln artifact)");
  if (d.abi_version != abi::kAbiVersion)
    return fail("ABI version mismatch (artifact has version " + std::to_string(d.abi_version) +
                ", this loader supports version " + std::to_string(abi::kAbiVersion) + "): " +
                (d.abi_version > abi::kAbiVersion ? "update kiln, or recompile it with a matching aotc"
                                                  : "recompile it with a matching aotc"));
  if (uint32_t unknown = d.features & ~abi::kLoaderFeatures)
    return fail("the artifact uses WebAssembly features this loader cannot run: " +
                abi::feature_list(unknown));
  return {};
}

Status check_descriptor_header(const abi::Descriptor& d) {
  if (d.descriptor_size != sizeof(abi::Descriptor))
    return fail("descriptor size mismatch (artifact says " + std::to_string(d.descriptor_size) +
                " bytes, expected " + std::to_string(sizeof(abi::Descriptor)) + ")");
  if (d.bounds_check != abi::BoundsCheck::GuardRegion && d.bounds_check != abi::BoundsCheck::Explicit)
    return fail("unknown bounds-check mode " + std::to_string(unsigned(d.bounds_check)));
  if (!terminated(d.compiler_version, sizeof d.compiler_version) ||
      !terminated(d.target_triple, sizeof d.target_triple) ||
      !terminated(d.cpu_name, sizeof d.cpu_name) || !terminated(d.cpu_features, sizeof d.cpu_features))
    return fail("malformed descriptor (unterminated string)");
  if (!supported_triple(d.target_triple))
    return fail(std::string("unsupported target '") + d.target_triple + "' (this host runs " +
                std::string(host_cpu::triple_arch()) + "-*-linux*)");
  return check_cpu_features(d.cpu_features);
}

namespace {

// A read-only view of a whole file, unmapped on destruction. Not populated:
// the load-time checks read only the headers, and hashing a file that cannot
// change reads each page once (faults map pages around the one touched;
// cheaper than copying them out with pread).
class FileView {
 public:
  FileView(int fd, uint64_t size) : size_(size) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
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

// What check_elf found: the descriptor's header bytes (the layout not yet
// filled) and where its section is.
struct CheckedElf {
  ArtifactHeader header;
  SectionPlace descriptor;
};

// Checks after the ELF file is open; the problem is without the path prefix.
Result<CheckedElf> check_elf(int fd, uint64_t file_size) {
  CheckedElf out;
  ArtifactHeader& header = out.header;
  unsigned char ident[EI_NIDENT] = {};
  ssize_t got = ::pread(fd, ident, sizeof ident, 0);
  if (got < SELFMAG || std::memcmp(ident, ELFMAG, SELFMAG) != 0) return fail("not an ELF file");
  if (file_size < sizeof(Elf64_Ehdr)) {
    if (got >= EI_CLASS + 1 && ident[EI_CLASS] != ELFCLASS64) return fail("not a 64-bit ELF file");
    return fail("truncated ELF file (" + std::to_string(file_size) + " bytes, shorter than an ELF header)");
  }
  if (ident[EI_CLASS] != ELFCLASS64)
    return fail("not a 64-bit ELF file (ELF class " + std::to_string(ident[EI_CLASS]) + ")");
  if (ident[EI_DATA] != ELFDATA2LSB) return fail("not a little-endian ELF file");

  if (!libelf_ready()) return fail("libelf initialisation failed: " + libelf_error());
  ElfHandle elf(elf_begin(fd, ELF_C_READ, nullptr));
  if (!elf.get()) return fail("cannot read ELF file: " + libelf_error());
  if (elf_kind(elf.get()) != ELF_K_ELF) return fail("not an ELF file");

  const Elf64_Ehdr* ehdr = elf64_getehdr(elf.get());
  if (!ehdr) return fail("malformed ELF header: " + libelf_error());
  if (ehdr->e_machine != host_elf_machine())
    return fail("built for " + elf_machine_name(ehdr->e_machine) + ", this machine runs " +
                elf_machine_name(host_elf_machine()));
  if (ehdr->e_type != ET_DYN) return fail(std::string("not a shared object (") + elf_type_name(ehdr->e_type) + ")");

  if (ehdr->e_shoff == 0)
    return fail(std::string("not a Kiln artifact (no sections, so no ") + abi::kDescriptorSection + ")");
  if (ehdr->e_shentsize != sizeof(Elf64_Shdr))
    return fail("malformed section table (entry size " + std::to_string(ehdr->e_shentsize) + ")");
  // Checked from the raw header: libelf quietly drops a section table that
  // does not fit in the file. e_shnum 0 means the count is in section 0.
  if (!within_file(ehdr->e_shoff, sizeof(Elf64_Shdr), file_size))
    return fail("truncated ELF file (section headers start past the end of the file)");
  size_t section_count = ehdr->e_shnum;
  if (section_count == 0 && elf_getshdrnum(elf.get(), &section_count) != 0)
    return fail("malformed section table: " + libelf_error());
  if (!within_file(ehdr->e_shoff, uint64_t(section_count) * sizeof(Elf64_Shdr), file_size))
    return fail("truncated ELF file (section headers end past the end of the file)");
  if (ehdr->e_phnum != 0 &&
      !within_file(ehdr->e_phoff, uint64_t(ehdr->e_phnum) * sizeof(Elf64_Phdr), file_size))
    return fail("truncated ELF file (program headers end past the end of the file)");
  size_t names_index = 0;
  if (elf_getshdrstrndx(elf.get(), &names_index) != 0)
    return fail("malformed section table: " + libelf_error());

  const Elf64_Shdr* found = nullptr;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    const Elf64_Shdr* shdr = elf64_getshdr(scn);
    if (!shdr) return fail("malformed section header: " + libelf_error());
    if (shdr->sh_type != SHT_NOBITS && !within_file(shdr->sh_offset, shdr->sh_size, file_size))
      return fail("truncated ELF file (section " + std::to_string(elf_ndxscn(scn)) +
                  " ends past the end of the file)");
    const char* name = elf_strptr(elf.get(), names_index, shdr->sh_name);
    if (name && std::strcmp(name, abi::kDescriptorSection) == 0 && !found) found = shdr;
  }
  if (!found)
    return fail(std::string("not a Kiln artifact (no ") + abi::kDescriptorSection + " section)");
  if (found->sh_type == SHT_NOBITS)
    return fail(std::string(abi::kDescriptorSection) + " section has no contents in the file");

  // Magic and version come first so an artifact of another ABI says so, even
  // if its descriptor has a different size.
  constexpr size_t kIdentSize = offsetof(abi::Descriptor, descriptor_size);
  if (found->sh_size < kIdentSize)
    return fail(std::string(abi::kDescriptorSection) + " section too small (" +
                std::to_string(found->sh_size) + " bytes)");
  size_t to_read = found->sh_size < sizeof header.bytes ? size_t(found->sh_size) : sizeof header.bytes;
  std::memset(header.bytes, 0, sizeof header.bytes);
  if (::pread(fd, header.bytes, to_read, off_t(found->sh_offset)) != ssize_t(to_read))
    return fail(std::string("cannot read the ") + abi::kDescriptorSection + " section: " + std::strerror(errno));
  const abi::Descriptor& d = header.descriptor();
  if (Status identity = check_descriptor_identity(d); !identity) return std::move(identity).failure();
  if (found->sh_size < sizeof(abi::Descriptor))
    return fail(std::string(abi::kDescriptorSection) + " section too small (" +
                std::to_string(found->sh_size) + " bytes, a descriptor needs " +
                std::to_string(sizeof(abi::Descriptor)) + ")");
  if (Status header_ok = check_descriptor_header(d); !header_ok) return std::move(header_ok).failure();
  out.descriptor = SectionPlace{found->sh_addr, found->sh_offset, found->sh_size};
  return out;
}

// The artifact hash of an open file that may change while it is read, with
// pread through one 64 KiB buffer (a mapping would fault with SIGBUS if the
// file shrank meanwhile).
Result<ArtifactHash> hash_file(int fd, uint64_t file_size, uint64_t descriptor_offset) {
  static constexpr size_t kChunk = 1 << 16;
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[kChunk]);
  abi::ArtifactHasher hasher(file_size, descriptor_offset);
  for (uint64_t done = 0; done < file_size;) {
    size_t want = file_size - done < kChunk ? size_t(file_size - done) : kChunk;
    ssize_t got = ::pread(fd, buffer.get(), want, off_t(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail(std::string("cannot read the file to check it: ") + std::strerror(errno));
    if (got == 0) return fail("file shrank while being checked");
    hasher.update(buffer.get(), size_t(got));
    done += uint64_t(got);
  }
  return hasher.finish();
}

// The artifact hash of a file computed while it was copied, assuming the
// descriptor at `descriptor_offset`.
struct CopyHash {
  uint64_t descriptor_offset;
  ArtifactHash hash;
};

// Every check, on an open file of `file_size` bytes. `copied` is used in
// place of reading the file again when its assumption holds. `fixed` says
// nothing can change the file's size or bytes (sealed, immutable): then it
// is hashed through a mapping.
Result<ArtifactHeader> check_open_file(int fd, uint64_t file_size, bool fixed, const CopyHash* copied = nullptr) {
  Result<CheckedElf> elf = check_elf(fd, file_size);
  if (!elf) return std::move(elf).failure();
  ArtifactHeader& header = elf->header;
  const SectionPlace& descriptor = elf->descriptor;
  ArtifactHash actual;
  FileView view(fd, file_size);
  if (!view.ok()) return fail(std::string("cannot map the file to check it: ") + std::strerror(errno));
  if (copied && copied->descriptor_offset == descriptor.offset) {
    actual = copied->hash;
  } else if (fixed) {
    actual = artifact_hash(view.bytes(), descriptor.offset);
  } else {
    Result<ArtifactHash> hashed = hash_file(fd, file_size, descriptor.offset);
    if (!hashed) return std::move(hashed).failure();
    actual = *hashed;
  }
  if (std::memcmp(actual.data(), header.descriptor().artifact_hash, actual.size()) != 0)
    return fail("artifact was modified after compilation (hash mismatch)");
  if (Status loading = check_dynamic_loading(view.bytes()); !loading) return std::move(loading).failure();
  Result<ImageLayout> layout = find_image_layout(view.bytes(), descriptor);
  if (!layout) return std::move(layout).failure();
  header.layout = *layout;
  return header;
}

// Where the descriptor's contents are, read from the section table of `fd`
// with a few preads (no libelf): knowing it before copying lets the copy be
// hashed on the way. Only a hint, nullopt when anything looks odd; the
// checks proper run on the copy, and a hint they disagree with is not used.
std::optional<uint64_t> descriptor_offset_hint(int fd, uint64_t file_size) {
  Elf64_Ehdr eh;
  if (::pread(fd, &eh, sizeof eh, 0) != ssize_t(sizeof eh)) return std::nullopt;
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shstrndx >= eh.e_shnum)
    return std::nullopt;
  const uint64_t table_size = uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr);
  if (!within_file(eh.e_shoff, table_size, file_size)) return std::nullopt;
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  if (::pread(fd, sections.data(), table_size, off_t(eh.e_shoff)) != ssize_t(table_size)) return std::nullopt;
  const Elf64_Shdr& names = sections[eh.e_shstrndx];
  if (names.sh_size > (1u << 20) || !within_file(names.sh_offset, names.sh_size, file_size)) return std::nullopt;
  std::string table(names.sh_size, '\0');  // NUL-terminated past its end
  if (::pread(fd, table.data(), table.size(), off_t(names.sh_offset)) != ssize_t(table.size()))
    return std::nullopt;
  for (const Elf64_Shdr& section : sections)
    if (section.sh_name < table.size() && std::strcmp(table.c_str() + section.sh_name, abi::kDescriptorSection) == 0)
      return section.sh_offset;  // the first one, as check_elf takes
  return std::nullopt;
}

// The file's bytes in a sealed memfd (fd -1 if this kernel cannot make one)
// and how many there were. One pass through a 256 KiB buffer (fewer system calls than 64 KiB, still
// in the L2 cache): read, written to the memfd, and fed to `hasher` (if any)
// while still in cache. Nothing else can write the
// memfd before it is sealed: it is this process's, reachable from outside
// only through /proc/PID/fd by someone allowed to ptrace this process.
struct SealedCopy {
  Fd fd{-1};
  uint64_t copied = 0;
};
Result<SealedCopy> sealed_copy(int fd, uint64_t size, abi::ArtifactHasher* hasher) {
  Fd copy(::memfd_create("kiln-artifact", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (copy.get() < 0) return SealedCopy{};
  static constexpr size_t kChunk = 1 << 18;
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[kChunk]);
  uint64_t copied = 0;
  while (copied < size) {
    size_t want = size - copied < kChunk ? size_t(size - copied) : kChunk;
    ssize_t got = ::pread(fd, buffer.get(), want, off_t(copied));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail(std::string("cannot read: ") + std::strerror(errno));
    if (got == 0) break;  // shrank while being read: check what is there
    for (ssize_t written = 0; written < got;) {
      ssize_t n = ::write(copy.get(), buffer.get() + written, size_t(got - written));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return SealedCopy{};
      written += n;
    }
    if (hasher) hasher->update(buffer.get(), size_t(got));
    copied += uint64_t(got);
  }
  if (::fcntl(copy.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    return SealedCopy{};
  return SealedCopy{std::move(copy), copied};
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

// Whether /proc is mounted, so that dlopen can open the image by a
// /proc/self/fd path: asked of the first image's path, then remembered.
bool proc_fd_paths_work(const std::string& first_path) {
  static const bool works = ::access(first_path.c_str(), R_OK) == 0;
  return works;
}

}  // namespace

ArtifactImage::~ArtifactImage() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

// STATX_MNT_ID_UNIQUE (Linux 6.8): a mount id never reused.
#ifdef STATX_MNT_ID_UNIQUE
constexpr unsigned kStatxUniqueMountId = STATX_MNT_ID_UNIQUE;
#else
constexpr unsigned kStatxUniqueMountId = 0x4000U;
#endif

FileIdentity identity_of(const struct statx& st) {
  FileIdentity id;
  id.mount_id = (st.stx_mask & (STATX_MNT_ID | kStatxUniqueMountId)) ? st.stx_mnt_id : 0;
  id.dev_major = st.stx_dev_major;
  id.dev_minor = st.stx_dev_minor;
  id.inode = st.stx_ino;
  id.ctime_sec = st.stx_ctime.tv_sec;
  id.ctime_nsec = st.stx_ctime.tv_nsec;
  id.mtime_sec = st.stx_mtime.tv_sec;
  id.mtime_nsec = st.stx_mtime.tv_nsec;
  id.size = st.stx_size;
  return id;
}

}  // namespace

bool kernel_keeps_unchanged(int fd, uint64_t attributes, uint64_t attributes_mask) {
  if (attributes & (STATX_ATTR_IMMUTABLE | STATX_ATTR_VERITY)) return true;
  if (!(attributes_mask & STATX_ATTR_IMMUTABLE)) {
    // A filesystem that does not report the attribute through statx.
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL)) return true;
  }
  struct statfs fs;
  if (::fstatfs(fd, &fs) != 0) return false;
  switch (static_cast<uint32_t>(fs.f_type)) {
    case SQUASHFS_MAGIC: case EROFS_SUPER_MAGIC_V1: case ISOFS_SUPER_MAGIC:
    case CRAMFS_MAGIC: case CRAMFS_MAGIC_WEND:
      return true;
  }
  return false;
}

Result<std::unique_ptr<ArtifactImage>> open_artifact(const std::string& path) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return fail(path + ": cannot open: " + std::strerror(errno));
  struct statx st;
  const unsigned wanted = STATX_TYPE | STATX_SIZE | STATX_INO | STATX_CTIME | STATX_MTIME |
                          STATX_MNT_ID | kStatxUniqueMountId;
  if (::statx(file.get(), "", AT_EMPTY_PATH, wanted, &st) != 0)
    return fail(path + ": cannot stat: " + std::strerror(errno));
  const char* not_artifact = S_ISDIR(st.stx_mode)    ? "is a directory"
                             : !S_ISREG(st.stx_mode) ? "not a regular file"
                             : st.stx_size == 0      ? "empty file"
                                                     : nullptr;
  if (not_artifact) return fail(path + ": " + not_artifact);

  const uint64_t size = uint64_t(st.stx_size);
  // The kernel keeps this file's bytes as they are for as long as it is open
  // (or at all): nothing can change them between the checks and dlopen, so
  // the file itself is checked (the hash still catches a damaged file) and
  // dlopen maps it through /proc/self/fd, the very inode checked. This trusts
  // that only a privileged user can clear the immutable attribute or change
  // the device under a read-only filesystem, and such a user can change this
  // process's memory as well.
  if (kernel_keeps_unchanged(file.get(), st.stx_attributes, st.stx_attributes_mask)) {
    // Loaded before, and unchanged since: the same verdict. Only where the
    // identity is sound: an attribute whose removal changes the ctime, or a
    // mount id that is never reused (a read-only filesystem remounted with
    // other contents could repeat inode numbers and times).
    std::optional<FileIdentity> identity;
    if ((st.stx_attributes & (STATX_ATTR_IMMUTABLE | STATX_ATTR_VERITY)) ||
        (st.stx_mask & kStatxUniqueMountId))
      identity = identity_of(st);
    ArtifactHeader header;
    std::optional<ArtifactHeader> known = identity ? verified_header(*identity) : std::nullopt;
    if (known) {
      header = *known;
    } else {
      Result<ArtifactHeader> checked = check_open_file(file.get(), size, /*fixed=*/true);
      if (!checked) return std::move(checked).failure().within(path);
      header = *checked;
      if (identity) remember_verified(*identity, header);
    }
    std::string load_path = unique_proc_fd_path(file.get());
    if (!proc_fd_paths_work(load_path)) load_path = path.find('/') == std::string::npos ? "./" + path : path;
    int fd = file.release();
    return std::unique_ptr<ArtifactImage>(new ArtifactImage(fd, std::move(load_path), false, header));
  }

  std::optional<uint64_t> hint = descriptor_offset_hint(file.get(), size);
  std::optional<abi::ArtifactHasher> hasher;
  if (hint) hasher.emplace(size, *hint);
  Result<SealedCopy> sealed = sealed_copy(file.get(), size, hasher ? &*hasher : nullptr);
  if (!sealed) return std::move(sealed).failure().within(path);
  Fd image(std::move(sealed->fd));
  std::optional<CopyHash> copy_hash;
  if (image.get() >= 0 && hasher && sealed->copied == size) copy_hash = CopyHash{*hint, hasher->finish()};
  // Without memfd, check and load the opened file itself: /proc/self/fd
  // still pins this inode against a rename, though not against edits.
  Fd& source = image.get() >= 0 ? image : file;
  struct stat image_st;
  if (::fstat(source.get(), &image_st) != 0) return fail(path + ": cannot stat: " + std::strerror(errno));
  if (image_st.st_size == 0) return fail(path + ": empty file");
  Result<ArtifactHeader> header = check_open_file(source.get(), uint64_t(image_st.st_size),
                                                  /*fixed=*/image.get() >= 0, copy_hash ? &*copy_hash : nullptr);
  if (!header) return std::move(header).failure().within(path);
  std::string load_path = unique_proc_fd_path(source.get());
  if (!proc_fd_paths_work(load_path)) {
    // No /proc: dlopen the path; the loader then compares the mapped header.
    load_path = path.find('/') == std::string::npos ? "./" + path : path;
  }
  const bool copy = image.get() >= 0;
  int fd = source.release();
  return std::unique_ptr<ArtifactImage>(new ArtifactImage(fd, std::move(load_path), copy, *header));
}

Result<ArtifactHeader> check_artifact_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return fail(path + ": cannot stat: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail(path + ": is a directory");
  if (!S_ISREG(st.st_mode)) return fail(path + ": not a regular file");
  if (st.st_size == 0) return fail(path + ": empty file");
  Result<ArtifactHeader> header = check_open_file(fd.get(), uint64_t(st.st_size), /*fixed=*/false);
  if (!header) return std::move(header).failure().within(path);
  return header;
}

}  // namespace kiln::loader
