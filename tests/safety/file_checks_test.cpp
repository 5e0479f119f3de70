// The loader's file checks on hostile input: thousands of randomly damaged
// copies of a real artifact are refused (never accepted, never a crash, and
// under AddressSanitizer never an out-of-bounds read), the load-time checks
// see through crafted dynamic sections, and a file changed on disk after it
// was loaded cannot reach the loaded code (it runs from a sealed copy).
#include <elf.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

#include "loader/platform/artifact_file.h"
#include "loader/platform/dynamic_check.h"
#include "tests/safety/host_machine.h"
#include "tests/safety/safety_support.h"

using kiln::loader::check_artifact_file;
using kiln::loader::check_dynamic_loading;
using kiln::loader::open_artifact;
using kiln::safety::artifact;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("kiln-file-checks-" + std::to_string(getpid()) + "-" + name)).string();
}

// The PT_DYNAMIC program header of `elf`.
Elf64_Phdr* dynamic_header(std::vector<uint8_t>& elf) {
  Elf64_Ehdr eh;
  std::memcpy(&eh, elf.data(), sizeof eh);
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    auto* p = reinterpret_cast<Elf64_Phdr*>(elf.data() + eh.e_phoff + i * sizeof(Elf64_Phdr));
    if (p->p_type == PT_DYNAMIC) return p;
  }
  return nullptr;
}

// Points the first two entries of `elf`'s dynamic section (aotc writes no
// relocation table: DT_FLAGS and DT_FLAGS_1 there) at a relocation table of
// `size` bytes at address `vaddr`.
void add_relocation_table(std::vector<uint8_t>& elf, uint64_t vaddr, uint64_t size) {
  auto* entries = reinterpret_cast<Elf64_Dyn*>(elf.data() + dynamic_header(elf)->p_offset);
  REQUIRE(entries[0].d_tag != DT_NULL);
  REQUIRE(entries[1].d_tag != DT_NULL);
  entries[0].d_tag = DT_RELA;
  entries[0].d_un.d_ptr = vaddr;
  entries[1].d_tag = DT_RELASZ;
  entries[1].d_un.d_val = size;
}

// File offset and address of the descriptor section of `elf`.
std::pair<uint64_t, uint64_t> descriptor_place(const std::vector<uint8_t>& elf) {
  Elf64_Ehdr eh;
  std::memcpy(&eh, elf.data(), sizeof eh);
  auto header = [&](unsigned i) {
    Elf64_Shdr sh;
    std::memcpy(&sh, elf.data() + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof sh);
    return sh;
  };
  const Elf64_Shdr names = header(eh.e_shstrndx);
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh = header(i);
    if (std::strcmp(reinterpret_cast<const char*>(elf.data() + names.sh_offset + sh.sh_name),
                    ".kiln_descriptor") == 0)
      return {sh.sh_offset, sh.sh_addr};
  }
  FAIL("no .kiln_descriptor section");
  return {};
}

// Sets or clears the immutable attribute (chattr +i / -i); false with errno
// set if this system does not allow it.
bool set_immutable(const std::string& path, bool on) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int flags = 0;
  bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (ok) {
    flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
    ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  }
  int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

// Makes a file immutable for a test's lifetime, then clears the attribute
// and removes the file. ok() is false where the system does not allow
// chattr +i (the test then has nothing to check).
class ImmutableFile {
 public:
  explicit ImmutableFile(std::string path) : path_(std::move(path)), ok_(set_immutable(path_, true)) {
    if (!ok_)
      MESSAGE("chattr +i not permitted here (" << std::strerror(errno) << "): immutable path not tested");
  }
  ~ImmutableFile() {
    if (ok_) set_immutable(path_, false);
    std::error_code ec;
    fs::remove(path_, ec);
  }
  ImmutableFile(const ImmutableFile&) = delete;
  ImmutableFile& operator=(const ImmutableFile&) = delete;
  bool ok() const { return ok_; }

 private:
  std::string path_;
  bool ok_;
};

}  // namespace

TEST_CASE("a real artifact passes the load-time checks") {
  CHECK(check_dynamic_loading(read_file(artifact("tiny"))).error() == "");
  CHECK(check_dynamic_loading(read_file(artifact("traps_O2"))).error() == "");
}

TEST_CASE("randomly damaged artifacts are refused, never accepted, never a crash") {
  const std::vector<uint8_t> good = read_file(artifact("tiny"));
  const std::string path = temp_path("damaged.so");
  std::mt19937 rng(2026);
  int refused = 0;
  const int rounds = 1500;
  for (int round = 0; round < rounds; ++round) {
    std::vector<uint8_t> bad = good;
    const int flips = 1 + int(rng() % 4);
    for (int i = 0; i < flips; ++i) bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    if (round % 5 == 0) bad.resize(rng() % bad.size());
    write_file(path, bad);
    refused += !check_artifact_file(path).ok();
    // The load-time checks alone, on bytes the hash would have refused.
    (void)check_dynamic_loading(bad);
  }
  fs::remove(path);
  CHECK(refused == rounds);
}

TEST_CASE("crafted dynamic sections") {
  std::vector<uint8_t> good = read_file(artifact("tiny"));
  Elf64_Phdr* dyn = dynamic_header(good);
  REQUIRE(dyn != nullptr);
  const uint64_t dyn_offset = dyn->p_offset;

  SUBCASE("a DT_INIT entry") {
    std::vector<uint8_t> bad = good;
    auto* first = reinterpret_cast<Elf64_Dyn*>(bad.data() + dyn_offset);
    first->d_tag = DT_INIT;
    CHECK(check_dynamic_loading(bad).error() == "has initialization or finalization code (DT_INIT)");
  }
  SUBCASE("a DT_NEEDED entry") {
    std::vector<uint8_t> bad = good;
    reinterpret_cast<Elf64_Dyn*>(bad.data() + dyn_offset)->d_tag = DT_NEEDED;
    CHECK(check_dynamic_loading(bad).error() == "loads other libraries (DT_NEEDED)");
  }
  SUBCASE("a dynamic section running past the end of the file") {
    std::vector<uint8_t> bad = good;
    dynamic_header(bad)->p_filesz = bad.size();
    CHECK_FALSE(check_dynamic_loading(bad).ok());
  }
  // aotc's output has no relocations: the tests below add a table, placed
  // in the unused tail of the descriptor's cpu_features.
  const auto [descriptor_offset, descriptor_vaddr] = descriptor_place(good);
  const uint64_t table_at = offsetof(kiln::abi::Descriptor, cpu_features) + 256;
  SUBCASE("plain relative relocations pass") {
    std::vector<uint8_t> bad = good;
    add_relocation_table(bad, descriptor_vaddr + table_at, sizeof(Elf64_Rela));
    auto* r = reinterpret_cast<Elf64_Rela*>(bad.data() + descriptor_offset + table_at);
    r->r_info = ELF64_R_INFO(0, kiln::safety::relative_relocation());
    CHECK(check_dynamic_loading(bad).error() == "");
  }
  SUBCASE("relocations outside the file") {
    std::vector<uint8_t> bad = good;
    add_relocation_table(bad, descriptor_vaddr + table_at, uint64_t(1) << 40);
    CHECK(check_dynamic_loading(bad).error() == "malformed dynamic section (DT_RELA outside the file)");
  }
  SUBCASE("an IRELATIVE relocation") {
    std::vector<uint8_t> bad = good;
    add_relocation_table(bad, descriptor_vaddr + table_at, sizeof(Elf64_Rela));
    auto* r = reinterpret_cast<Elf64_Rela*>(bad.data() + descriptor_offset + table_at);
    r->r_info = ELF64_R_INFO(0, kiln::safety::ifunc_relocation());
    CHECK(check_dynamic_loading(bad).error() == "has an IFUNC relocation (code that would run while loading)");
  }
  SUBCASE("no program headers, or no PT_GNU_STACK") {
    std::vector<uint8_t> bad = good;
    reinterpret_cast<Elf64_Ehdr*>(bad.data())->e_phnum = 0;
    CHECK(check_dynamic_loading(bad).error() == "no program headers (not a loadable shared object)");
    bad = good;
    Elf64_Ehdr eh;
    std::memcpy(&eh, bad.data(), sizeof eh);
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
      auto* p = reinterpret_cast<Elf64_Phdr*>(bad.data() + eh.e_phoff + i * sizeof(Elf64_Phdr));
      if (p->p_type == PT_GNU_STACK) p->p_type = PT_NULL;
    }
    CHECK(check_dynamic_loading(bad).error() == "asks for an executable stack (no PT_GNU_STACK header)");
  }
}

TEST_CASE("rewriting the file after loading does not change the loaded code") {
  const std::string path = temp_path("rewritten.so");
  fs::copy_file(artifact("tiny"), path, fs::copy_options::overwrite_existing);
  kiln::Module module = kiln::Module::load(path);
  // Overwrite the file in place (same inode) with another artifact.
  write_file(path, read_file(artifact("divider")));
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, module, {});
  CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  kiln::Trap trap = kiln::safety::expect_trap([&] { inst.typed_func<void()>("boom")(); });
  CHECK(trap.kind() == kiln::TrapKind::Unreachable);
  // Loading it again gives the new contents.
  kiln::Module reloaded = kiln::Module::load(path);
  kiln::Instance other = kiln::Instance::create(store, reloaded, {});
  CHECK(other.typed_func<int32_t()>("ok")() == 9);
  fs::remove(path);
}

TEST_CASE("an immutable artifact is checked and loaded in place; a plain one is copied") {
  const std::string path = temp_path("immutable.so");
  fs::copy_file(artifact("tiny"), path, fs::copy_options::overwrite_existing);
  auto plain = open_artifact(path);
  REQUIRE_MESSAGE(plain, plain.error());
  CHECK((*plain)->is_copy());
  plain->reset();

  ImmutableFile immutable(path);
  if (!immutable.ok()) return;
  auto image = open_artifact(path);
  REQUIRE_MESSAGE(image, image.error());
  CHECK_FALSE((*image)->is_copy());
  image->reset();

  kiln::Module module = kiln::Module::load(path);
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, module, {});
  CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  kiln::Trap trap = kiln::safety::expect_trap([&] { inst.typed_func<void()>("boom")(); });
  CHECK(trap.kind() == kiln::TrapKind::Unreachable);
  // Loaded twice at once: two images of one file.
  kiln::Module again = kiln::Module::load(path);
  kiln::Instance other = kiln::Instance::create(store, again, {});
  CHECK(other.typed_func<int32_t()>("ok")() == 7);
}

TEST_CASE("a damaged immutable artifact is refused") {
  const std::string path = temp_path("immutable-damaged.so");
  std::vector<uint8_t> bytes = read_file(artifact("tiny"));
  bytes[bytes.size() / 2] ^= 0x20;
  write_file(path, bytes);
  ImmutableFile immutable(path);
  if (!immutable.ok()) return;
  CHECK(open_artifact(path).error().find("hash mismatch") != std::string::npos);
}

TEST_CASE("an immutable artifact changed between two loads is checked again") {
  // The loader remembers immutable files it checked, by inode and change
  // time; clearing the attribute to change the file changes that time.
  const std::string path = temp_path("immutable-changed.so");
  fs::copy_file(artifact("tiny"), path, fs::copy_options::overwrite_existing);
  ImmutableFile immutable(path);
  if (!immutable.ok()) return;
  { kiln::Module first = kiln::Module::load(path); }
  // Past the coarse clock tick of the first change time (older kernels).
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(set_immutable(path, false));
  std::vector<uint8_t> bytes = read_file(path);
  bytes[bytes.size() / 2] ^= 0x20;
  write_file(path, bytes);
  REQUIRE(set_immutable(path, true));
  CHECK(open_artifact(path).error().find("hash mismatch") != std::string::npos);
  // And back to the original bytes: accepted again.
  REQUIRE(set_immutable(path, false));
  write_file(path, read_file(artifact("tiny")));
  REQUIRE(set_immutable(path, true));
  auto image = open_artifact(path);
  CHECK_MESSAGE(image, image.error());
}
