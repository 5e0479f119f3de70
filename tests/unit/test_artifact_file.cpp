// check_artifact_file: every refusal names the file and the problem on one
// line. Most inputs are small ELF files written here with one defect each.
#include <doctest/doctest.h>

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "abi/descriptor.h"
#include "abi/version.h"
#include "fixtures/fixture_path.h"
#include "host_target.h"
#include "loader/platform/artifact_file.h"

using kiln::loader::ArtifactHeader;
using kiln::loader::check_artifact_file;
using kiln::loader::check_cpu_features;
namespace abi = kiln::abi;
namespace fs = std::filesystem;
namespace host = kiln::test::host_target;

namespace {

class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/kiln-artifact-test-XXXXXX";
    const char* made = mkdtemp(templ);
    REQUIRE(made != nullptr);
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  return path;
}

void set_string(char* field, size_t size, const char* value) {
  std::memset(field, 0, size);
  std::strncpy(field, value, size - 1);
}

abi::Descriptor valid_descriptor() {
  abi::Descriptor d{};
  d.magic = abi::kDescriptorMagic;
  d.abi_version = abi::kAbiVersion;
  d.descriptor_size = sizeof(abi::Descriptor);
  d.bounds_check = abi::BoundsCheck::GuardRegion;
  set_string(d.compiler_version, sizeof d.compiler_version, abi::kCompilerVersion);
  set_string(d.target_triple, sizeof d.target_triple, host::kTriple);
  set_string(d.cpu_name, sizeof d.cpu_name, host::kCpu);
  set_string(d.cpu_features, sizeof d.cpu_features, host::kFeatures);
  d.module_hash[0] = 0xAB;
  d.start_function = UINT32_MAX;
  return d;
}

std::vector<uint8_t> bytes_of(const abi::Descriptor& d) {
  std::vector<uint8_t> out(sizeof d);
  std::memcpy(out.data(), &d, sizeof d);
  return out;
}

// A minimal ELF64 file: header, program headers (one PT_LOAD, an empty
// PT_DYNAMIC, a non-executable PT_GNU_STACK), one named section, .shstrtab,
// section headers; the artifact hash is sealed in when the section holds a
// whole descriptor.
struct ElfSpec {
  unsigned char elf_class = ELFCLASS64;
  unsigned char data = ELFDATA2LSB;
  uint16_t type = ET_DYN;
  uint16_t machine = host::kElfMachine;
  std::string section_name = abi::kDescriptorSection;
  std::vector<uint8_t> contents = bytes_of(valid_descriptor());
  int64_t section_addr_shift = 0;  // sh_addr off where the PT_LOAD maps the bytes
  uint32_t load_flags = PF_R | PF_W;
  bool load_covers_section = true;
};

std::vector<uint8_t> build_elf(const ElfSpec& spec) {
  auto align8 = [](size_t n) { return (n + 7) & ~size_t(7); };
  std::string names = std::string("\0.shstrtab\0", 11) + spec.section_name + '\0';
  const size_t phdrs_at = sizeof(Elf64_Ehdr);
  const size_t dynamic_at = phdrs_at + 3 * sizeof(Elf64_Phdr);
  const size_t contents_at = dynamic_at + sizeof(Elf64_Dyn);
  const size_t names_at = align8(contents_at + spec.contents.size());
  const size_t headers_at = align8(names_at + names.size());
  std::vector<uint8_t> out(headers_at + 3 * sizeof(Elf64_Shdr), 0);

  Elf64_Phdr ph[3]{};
  ph[0].p_type = PT_LOAD;
  ph[0].p_flags = spec.load_flags;
  ph[0].p_filesz = ph[0].p_memsz = spec.load_covers_section ? out.size() : contents_at;
  ph[0].p_align = 4096;
  ph[1].p_type = PT_DYNAMIC;
  ph[1].p_flags = PF_R | PF_W;
  ph[1].p_offset = ph[1].p_vaddr = dynamic_at;
  ph[1].p_filesz = ph[1].p_memsz = sizeof(Elf64_Dyn);  // just DT_NULL (all zero)
  ph[2].p_type = PT_GNU_STACK;
  ph[2].p_flags = PF_R | PF_W;
  std::memcpy(out.data() + phdrs_at, ph, sizeof ph);

  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = spec.elf_class;
  eh.e_ident[EI_DATA] = spec.data;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = spec.type;
  eh.e_machine = spec.machine;
  eh.e_version = EV_CURRENT;
  eh.e_shoff = headers_at;
  eh.e_phoff = phdrs_at;
  eh.e_phnum = 3;
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_ehsize = sizeof(Elf64_Ehdr);
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = 3;
  eh.e_shstrndx = 1;
  std::memcpy(out.data(), &eh, sizeof eh);
  std::memcpy(out.data() + contents_at, spec.contents.data(), spec.contents.size());
  std::memcpy(out.data() + names_at, names.data(), names.size());

  Elf64_Shdr sh[3]{};
  sh[1].sh_name = 1;
  sh[1].sh_type = SHT_STRTAB;
  sh[1].sh_offset = names_at;
  sh[1].sh_size = names.size();
  sh[1].sh_addralign = 1;
  sh[2].sh_name = 11;
  sh[2].sh_type = SHT_PROGBITS;
  sh[2].sh_flags = SHF_ALLOC;
  sh[2].sh_addr = contents_at + spec.section_addr_shift;  // the PT_LOAD maps the file at 0
  sh[2].sh_offset = contents_at;
  sh[2].sh_size = spec.contents.size();
  sh[2].sh_addralign = 8;
  std::memcpy(out.data() + headers_at, sh, sizeof sh);
  if (spec.contents.size() >= sizeof(abi::Descriptor)) {
    kiln::loader::ArtifactHash hash = kiln::loader::artifact_hash(out, contents_at);
    std::memcpy(out.data() + contents_at + offsetof(abi::Descriptor, artifact_hash), hash.data(), hash.size());
  }
  return out;
}

// The refusal, or "" if the file is accepted.
std::string check(const std::string& path) { return check_artifact_file(path).error(); }

// A refusal must name the file, say what is wrong, and fit on one line.
void expect_refusal(const std::string& path, const std::string& problem) {
  std::string message = check(path);
  INFO("message: " << message);
  CHECK(message.rfind(path + ": ", 0) == 0);
  CHECK(message.find(problem) != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}

std::string write_elf(const TempDir& dir, const std::string& name, const ElfSpec& spec) {
  return write_file(dir.file(name), build_elf(spec));
}

std::string write_descriptor(const TempDir& dir, const std::string& name, const abi::Descriptor& d) {
  ElfSpec spec;
  spec.contents = bytes_of(d);
  return write_elf(dir, name, spec);
}

}  // namespace

TEST_CASE("artifact file: a well-formed descriptor is accepted and its header returned") {
  TempDir dir;
  std::string path = write_elf(dir, "good.so", ElfSpec{});
  auto checked = check_artifact_file(path);
  REQUIRE_MESSAGE(checked, checked.error());
  const ArtifactHeader& header = *checked;
  const abi::Descriptor& d = header.descriptor();
  CHECK(d.magic == abi::kDescriptorMagic);
  CHECK(d.abi_version == abi::kAbiVersion);
  CHECK(std::string(d.target_triple) == host::kTriple);
  CHECK(std::string(d.cpu_features) == host::kFeatures);
  CHECK(header.bytes[offsetof(abi::Descriptor, module_hash)] == 0xAB);

  abi::Descriptor vendorless = valid_descriptor();
  set_string(vendorless.target_triple, sizeof vendorless.target_triple, host::kVendorlessTriple);
  CHECK(check(write_descriptor(dir, "vendorless.so", vendorless)) == "");
}

TEST_CASE("artifact file: files that are not ELF at all") {
  TempDir dir;
  expect_refusal(dir.file("missing.so"), "cannot open");
  fs::create_directory(dir.file("subdir.so"));
  expect_refusal(dir.file("subdir.so"), "is a directory");
  expect_refusal(write_file(dir.file("empty.so"), {}), "empty file");
  expect_refusal(write_file(dir.file("text.so"), {'h', 'e', 'l', 'l', 'o', '\n'}), "not an ELF file");

  std::mt19937 rng(1234);
  std::vector<uint8_t> noise(4096);
  for (uint8_t& b : noise) b = uint8_t(rng());
  expect_refusal(write_file(dir.file("random.so"), noise), "not an ELF file");
}

TEST_CASE("artifact file: an unreadable file") {
  TempDir dir;
  std::string path = write_elf(dir, "locked.so", ElfSpec{});
  REQUIRE(chmod(path.c_str(), 0) == 0);
  if (geteuid() == 0) {
    // root reads anything; the file is then simply a valid artifact.
    CHECK(check(path) == "");
  } else {
    expect_refusal(path, "Permission denied");
  }
}

TEST_CASE("artifact file: truncated ELF files") {
  TempDir dir;
  std::vector<uint8_t> full = build_elf(ElfSpec{});
  std::vector<uint8_t> head(full.begin(), full.begin() + 40);
  expect_refusal(write_file(dir.file("head.so"), head), "truncated");
  std::vector<uint8_t> half(full.begin(), full.begin() + full.size() / 2);
  expect_refusal(write_file(dir.file("half.so"), half), "truncated");
  std::vector<uint8_t> most(full.begin(), full.end() - 10);
  expect_refusal(write_file(dir.file("most.so"), most), "truncated");

  // A real shared object cut short loses its section headers.
  std::ifstream libc_in(host::kLibc, std::ios::binary);
  std::vector<uint8_t> libc_bytes(8192);
  libc_in.read(reinterpret_cast<char*>(libc_bytes.data()), std::streamsize(libc_bytes.size()));
  if (libc_in.gcount() == std::streamsize(libc_bytes.size()))
    expect_refusal(write_file(dir.file("libc-head.so"), libc_bytes), "truncated");
}

TEST_CASE("artifact file: wrong ELF class, byte order, machine or type") {
  TempDir dir;
  ElfSpec spec;
  spec.elf_class = ELFCLASS32;
  expect_refusal(write_elf(dir, "class32.so", spec), "not a 64-bit ELF file");
  spec = ElfSpec{};
  spec.data = ELFDATA2MSB;
  expect_refusal(write_elf(dir, "bigendian.so", spec), "little-endian");
  spec = ElfSpec{};
  spec.machine = host::kForeignElfMachine;
  expect_refusal(write_elf(dir, "foreign.so", spec), host::kForeignMachineRefusal);
  spec = ElfSpec{};
  spec.type = ET_EXEC;
  expect_refusal(write_elf(dir, "exec.so", spec), "not a shared object");
  spec = ElfSpec{};
  spec.type = ET_REL;
  expect_refusal(write_elf(dir, "object.o", spec), "not a shared object");
}

TEST_CASE("artifact file: descriptor section missing or too small") {
  TempDir dir;
  ElfSpec spec;
  spec.section_name = ".data";
  expect_refusal(write_elf(dir, "nodesc.so", spec), "not a Kiln artifact (no .kiln_descriptor section)");
  expect_refusal(host::kLibc, "no .kiln_descriptor section");

  spec = ElfSpec{};
  spec.contents.resize(4);
  expect_refusal(write_elf(dir, "tiny.so", spec), "section too small");
  spec = ElfSpec{};
  spec.contents.resize(abi::kDescriptorHeaderSize);
  expect_refusal(write_elf(dir, "header-only.so", spec), "section too small");
}

TEST_CASE("artifact file: where the descriptor section is loaded") {
  TempDir dir;
  ElfSpec spec;
  spec.load_covers_section = false;
  expect_refusal(write_elf(dir, "unloaded.so", spec), ".kiln_descriptor section is not loaded from the file");
  spec = ElfSpec{};
  spec.section_addr_shift = 8;
  expect_refusal(write_elf(dir, "elsewhere.so", spec), "not loaded from its own bytes in the file");
  spec = ElfSpec{};
  spec.section_addr_shift = 4;
  expect_refusal(write_elf(dir, "misaligned.so", spec), ".kiln_descriptor section is misaligned");
  spec = ElfSpec{};
  spec.section_addr_shift = int64_t(1) << 62;
  expect_refusal(write_elf(dir, "far.so", spec), "impossible address");
  spec = ElfSpec{};
  spec.load_flags = PF_W;
  expect_refusal(write_elf(dir, "unreadable.so", spec), "section is not readable");
}

TEST_CASE("artifact file: descriptor contents") {
  TempDir dir;
  abi::Descriptor d = valid_descriptor();
  d.magic = 0x12345678;
  expect_refusal(write_descriptor(dir, "magic.so", d), "bad descriptor magic");

  d = valid_descriptor();
  d.abi_version = abi::kAbiVersion + 1;
  std::string path = write_descriptor(dir, "version.so", d);
  expect_refusal(path, "ABI version mismatch");
  std::string message = check(path);
  CHECK(message.find("version " + std::to_string(abi::kAbiVersion + 1)) != std::string::npos);
  CHECK(message.find("version " + std::to_string(abi::kAbiVersion) + ")") != std::string::npos);

  d = valid_descriptor();
  d.descriptor_size = 100;
  expect_refusal(write_descriptor(dir, "size.so", d), "descriptor size mismatch");

  d = valid_descriptor();
  std::memset(d.cpu_name, 'x', sizeof d.cpu_name);
  expect_refusal(write_descriptor(dir, "unterminated.so", d), "unterminated string");

  d = valid_descriptor();
  d.bounds_check = abi::BoundsCheck(7);
  expect_refusal(write_descriptor(dir, "bounds.so", d), "bounds-check mode");
}

TEST_CASE("artifact file: foreign target triples") {
  TempDir dir;
  for (const char* triple : host::kForeignTriples) {
    abi::Descriptor d = valid_descriptor();
    set_string(d.target_triple, sizeof d.target_triple, triple);
    expect_refusal(write_descriptor(dir, "triple.so", d), "unsupported target '" + std::string(triple) + "'");
  }
}

TEST_CASE("artifact file: CPU features") {
  CHECK(check_cpu_features("").ok());
  CHECK(check_cpu_features(host::kFeatures).ok());
  for (const char* list : host::kAcceptedFeatureLists) CHECK_MESSAGE(check_cpu_features(list).ok(), list);
  const std::string disabled = std::string("-frobnicate,") + host::kFeatures;
  CHECK(check_cpu_features(disabled.c_str()).ok());  // disabled features need nothing
  const std::string unknown = std::string(host::kFeatures) + ",+frobnicate";
  CHECK(check_cpu_features(unknown.c_str()).error() ==
        "needs CPU features this host lacks: frobnicate (unknown feature)");

  TempDir dir;
  abi::Descriptor d = valid_descriptor();
  set_string(d.cpu_features, sizeof d.cpu_features, unknown.c_str());
  expect_refusal(write_descriptor(dir, "unknown-feature.so", d), "frobnicate");

  // A real feature this host lacks, if there is one among these rarities.
  for (const char* candidate : host::kRareFeatures) {
    std::string feature = std::string("+") + candidate;
    if (check_cpu_features(feature.c_str()).error() !=
        std::string("needs CPU features this host lacks: ") + candidate)
      continue;
    set_string(d.cpu_features, sizeof d.cpu_features, (std::string(host::kFeatures) + "," + feature).c_str());
    std::string path = write_descriptor(dir, "missing-feature.so", d);
    expect_refusal(path, "needs CPU features this host lacks");
    CHECK(check(path).find(candidate) != std::string::npos);
    break;
  }
}

TEST_CASE("artifact file: the fake artifact fixture passes") {
  std::string path = kiln::test::fake_artifact_path();
  REQUIRE_MESSAGE(fs::exists(path), "fixture not built: " << path);
  auto header = check_artifact_file(path);
  REQUIRE_MESSAGE(header, header.error());
  CHECK(std::string(header->descriptor().compiler_version) == "fake fixture");
}
