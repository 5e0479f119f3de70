// `kiln run` refuses files that are not intact artifacts for this loader:
// exit status 1, nothing on stdout, exactly one line on stderr ("error: "
// and the file's name), and none of the file's code run (fixtures whose
// constructor or IFUNC resolver would print a marker prove it). Each file is
// tried both as a WASI command and with --invoke.
#include <elf.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <vector>

#include "abi/descriptor.h"
#include "abi/version.h"
#include "loader/platform/artifact_file.h"
#include "tests/safety/host_machine.h"
#include "tests/safety/safety_support.h"

extern char** environ;

using kiln::safety::artifact;
using kiln::safety::artifact_dir;
namespace fs = std::filesystem;

namespace {

const char kMarker[] = "FIXTURE CODE RAN AT LOAD";

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/kiln-refusal-XXXXXX";
    REQUIRE(mkdtemp(templ) != nullptr);
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::vector<uint8_t>& bytes) const {
    std::ofstream out(file(name), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return file(name);
  }

 private:
  std::string path_;
};

struct Outcome {
  int status = -1;  // exit status, or -1 if killed by a signal
  std::string out, err;
};

Outcome run(const std::vector<std::string>& args, const TempDir& dir) {
  std::string out_path = dir.file("stdout.txt"), err_path = dir.file("stderr.txt");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int wstatus = 0;
  REQUIRE(waitpid(pid, &wstatus, 0) == pid);
  Outcome o;
  o.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  o.out = slurp(out_path);
  o.err = slurp(err_path);
  return o;
}

std::string kiln_exe() {
  const char* exe = std::getenv("KILN_EXE");
  REQUIRE_MESSAGE(exe != nullptr, "KILN_EXE is not set");
  return exe;
}

// `kiln run` refuses `path` with one error line mentioning `reason`.
void expect_refused(const std::string& path, const std::string& reason, const TempDir& dir) {
  for (bool invoke : {false, true}) {
    std::vector<std::string> args = {kiln_exe(), "run"};
    if (invoke) args.insert(args.end(), {"--invoke", "ok"});
    args.push_back(path);
    Outcome o = run(args, dir);
    const std::string command = std::string("kiln run ") + (invoke ? "--invoke ok " : "") + path;
    INFO(command);
    INFO("stderr: " << o.err);
    CHECK(o.status == 1);
    CHECK(o.out.empty());
    CHECK(o.err.find(kMarker) == std::string::npos);
    REQUIRE(!o.err.empty());
    CHECK(o.err.back() == '\n');
    CHECK(o.err.find('\n') == o.err.size() - 1);  // exactly one line
    CHECK(o.err.rfind("error: ", 0) == 0);
    CHECK(o.err.find(path) != std::string::npos);
    CHECK(o.err.find(reason) != std::string::npos);
  }
}

struct Section {
  uint64_t offset = 0, size = 0;
};

// File offset and size of section `name` (from the section headers).
Section find_section(const std::vector<uint8_t>& elf, const std::string& name) {
  REQUIRE(elf.size() >= sizeof(Elf64_Ehdr));
  Elf64_Ehdr eh;
  std::memcpy(&eh, elf.data(), sizeof eh);
  REQUIRE(eh.e_shoff + uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr) <= elf.size());
  auto header = [&](unsigned i) {
    Elf64_Shdr sh;
    std::memcpy(&sh, elf.data() + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof sh);
    return sh;
  };
  const Elf64_Shdr names = header(eh.e_shstrndx);
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh = header(i);
    if (name == reinterpret_cast<const char*>(elf.data() + names.sh_offset + sh.sh_name))
      return {sh.sh_offset, sh.sh_size};
  }
  FAIL("no section " << name);
  return {};
}

}  // namespace

TEST_CASE("the intact artifact runs, so the refusals below are about the damage") {
  TempDir dir;
  Outcome o = run({kiln_exe(), "run", "--invoke", "ok", artifact("tiny")}, dir);
  CHECK(o.status == 0);
  CHECK(o.out == "7\n");
  CHECK(o.err.empty());
}

TEST_CASE("kiln run refuses damaged artifacts and other files, before any of their code runs") {
  TempDir dir;
  const std::vector<uint8_t> good = read_file(artifact("tiny"));
  const Section descriptor = find_section(good, ".kiln_descriptor");
  const Section text = find_section(good, ".text");
  REQUIRE(descriptor.size > sizeof(kiln::abi::Descriptor));  // its tables follow it
  REQUIRE(text.size > 8);

  SUBCASE("truncated at several points") {
    for (size_t keep : {size_t(1), size_t(4), size_t(63), size_t(64), size_t(200), good.size() / 2,
                        size_t(descriptor.offset + 100), good.size() - 64, good.size() - 1}) {
      std::vector<uint8_t> cut(good.begin(), good.begin() + std::ptrdiff_t(keep));
      expect_refused(dir.write("cut" + std::to_string(keep) + ".so", cut), "", dir);
    }
    expect_refused(dir.write("empty.so", {}), "empty file", dir);
  }
  SUBCASE("random bytes") {
    std::mt19937 rng(4);
    std::vector<uint8_t> noise(good.size());
    for (uint8_t& b : noise) b = uint8_t(rng());
    expect_refused(dir.write("noise.so", noise), "not an ELF file", dir);
    // Random bytes behind a valid ELF identification.
    std::copy(good.begin(), good.begin() + 16, noise.begin());
    expect_refused(dir.write("elf-noise.so", noise), "", dir);
  }
  SUBCASE("system libraries") {
    const std::string libc = kiln::safety::library_of(reinterpret_cast<const void*>(&::malloc));
    const std::string libm = kiln::safety::library_of(reinterpret_cast<const void*>(&::cos));
    REQUIRE(!libc.empty());
    REQUIRE(!libm.empty());
    expect_refused(libc, "no .kiln_descriptor section", dir);
    expect_refused(libm, "no .kiln_descriptor section", dir);
  }
  SUBCASE("another architecture") {
    using kiln::safety::machine_name;
    std::vector<uint8_t> patched = good;
    const uint16_t foreign = kiln::safety::foreign_elf_machine();
    std::memcpy(patched.data() + offsetof(Elf64_Ehdr, e_machine), &foreign, 2);
    const std::string built_for = "built for " + machine_name(foreign);
    expect_refused(dir.write("machine.so", patched),
                   built_for + ", this machine runs " + machine_name(kiln::safety::own_elf_machine()), dir);
    const std::string built = artifact_dir() + "/foreign_arch.so";
    if (fs::exists(built))
      expect_refused(built, built_for, dir);
    else
      WARN("clang-19 missing: no artifact built for another CPU to try");
  }
  SUBCASE("another ABI version") {
    // The previous ABI (SHA-256 artifact hash) included: refused by version, before the hash.
    for (uint32_t version : {kiln::abi::kAbiVersion - 1, kiln::abi::kAbiVersion + 1, 0xFFFFFFFFu}) {
      std::vector<uint8_t> patched = good;
      std::memcpy(patched.data() + descriptor.offset + offsetof(kiln::abi::Descriptor, abi_version), &version, 4);
      expect_refused(dir.write("abi" + std::to_string(version) + ".so", patched), "ABI version mismatch", dir);
    }
  }
  SUBCASE("one modified byte in the descriptor or in the code") {
    const std::string reason = "artifact was modified after compilation (hash mismatch)";
    std::vector<uint8_t> patched = good;
    patched[descriptor.offset + offsetof(kiln::abi::Descriptor, module_hash) + 5] ^= 0x01;
    expect_refused(dir.write("descriptor-byte.so", patched), reason, dir);
    patched = good;
    patched[descriptor.offset + offsetof(kiln::abi::Descriptor, compiler_version) + 20] ^= 0x40;
    expect_refused(dir.write("version-byte.so", patched), reason, dir);
    patched = good;
    patched[descriptor.offset + offsetof(kiln::abi::Descriptor, artifact_hash)] ^= 0x80;
    expect_refused(dir.write("hash-byte.so", patched), reason, dir);
    patched = good;
    patched[text.offset + 3] ^= 0x10;
    expect_refused(dir.write("code-byte.so", patched), reason, dir);
    patched = good;
    patched.push_back(0);
    expect_refused(dir.write("appended.so", patched), reason, dir);
  }
  SUBCASE("files whose loading would run their code or load other libraries") {
    // The fixtures run fine as far as the file checks go (sealed hashes);
    // without the load-time checks their marker would appear.
    const std::string fixtures = artifact_dir();
    expect_refused(fixtures + "/runs_constructor.so", "has initialization or finalization code", dir);
    expect_refused(fixtures + "/runs_ifunc.so", "IFUNC", dir);
    expect_refused(fixtures + "/needs_libm.so", "loads other libraries (DT_NEEDED)", dir);
    expect_refused(fixtures + "/exec_stack.so", "executable stack", dir);
    // The same constructor without a sealed hash fails the integrity check.
    expect_refused(fixtures + "/runs_constructor_unsealed.so", "hash mismatch", dir);
  }
}

namespace {

// A copy of `good` whose descriptor (at `at` in the file) is changed by
// `edit`, sealed with a valid artifact hash: only the checks of the
// descriptor's contents can refuse it.
template <class Edit>
std::vector<uint8_t> resealed(const std::vector<uint8_t>& good, const Section& at, Edit edit) {
  std::vector<uint8_t> bytes = good;
  uint8_t* section = bytes.data() + at.offset;
  kiln::abi::Descriptor d;
  std::memcpy(&d, section, sizeof d);
  edit(d, section);
  std::memcpy(section, &d, sizeof d);
  const kiln::loader::ArtifactHash hash = kiln::loader::artifact_hash(bytes, at.offset);
  std::memcpy(section + offsetof(kiln::abi::Descriptor, artifact_hash), hash.data(), hash.size());
  return bytes;
}

// The descriptor's table at ImageOffset `offset`, inside `section` (the file's bytes).
template <class T>
T* table(uint8_t* section, kiln::abi::ImageOffset offset) {
  return reinterpret_cast<T*>(section + offset);
}

}  // namespace

TEST_CASE("kiln run refuses descriptors whose offsets point outside their bounds") {
  namespace abi = kiln::abi;
  TempDir dir;
  const std::vector<uint8_t> good = read_file(artifact("tiny"));
  const Section at = find_section(good, ".kiln_descriptor");
  const int64_t size = int64_t(at.size);
  // tiny: two functions, two exports, two types (see wat/tiny.wat).
  abi::Descriptor d;
  std::memcpy(&d, good.data() + at.offset, sizeof d);
  REQUIRE(d.function_count == 2);
  REQUIRE(d.export_count == 2);
  REQUIRE(d.type_count >= 1);
  int n = 0;
  auto refused = [&](const std::string& reason, auto edit) {
    INFO(reason);
    expect_refused(dir.write("offsets" + std::to_string(n++) + ".so", resealed(good, at, edit)),
                   "bad descriptor: " + reason, dir);
  };
  const std::string outside = "table outside the descriptor section";
  refused("functions: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.functions = size; });
  refused("functions: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.functions = size - 8; });
  refused("functions: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.functions = -4096; });
  refused("functions: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.functions += 1; });  // misaligned
  refused("functions: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.function_count = 0x10000000; });
  refused("types: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.types = INT64_MIN; });
  refused("trap sites: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.traps = 0; x.trap_count = 1; });
  refused("entry trampolines: " + outside, [&](abi::Descriptor& x, uint8_t*) { x.entry_trampolines = INT64_MAX; });
  refused("type 0: entry trampoline outside the code", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::ImageOffset>(s, x.entry_trampolines)[0] = 0;
  });
  refused("type 0: host adapter outside the code", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::ImageOffset>(s, x.host_adapters)[0] = 16;  // the descriptor: data, not code
  });
  refused("function 0: code outside the executable segment", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::Function>(s, x.functions)[0].code = 16;
  });
  refused("function 1: code outside the executable segment", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::Function>(s, x.functions)[1].code_size = 0x7FFFFFFF;
  });
  refused("function 0: code outside the executable segment", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::Function>(s, x.functions)[0].code = INT64_MIN + 5;
  });
  refused("export 1: name outside the descriptor section", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::Export>(s, x.exports)[1].name = size + 100;
  });
  refused("export 0: name outside the descriptor section", [&](abi::Descriptor& x, uint8_t* s) {
    table<abi::Export>(s, x.exports)[0].name_length = 0xFFFFFFFF;
  });
  refused("descriptor data does not end with a 0 byte", [&](abi::Descriptor&, uint8_t* s) {
    s[size - 1] = 'x';
  });
  // The bounds the descriptor declares (what a statically linked module is
  // checked against) must lie within what the file allows.
  refused("declared data size", [&](abi::Descriptor& x, uint8_t*) { x.data_size = size + 1; });
  refused("declared data size", [&](abi::Descriptor& x, uint8_t*) { x.data_size = 16; });
  refused("declared code range is outside", [&](abi::Descriptor& x, uint8_t*) { x.code_end += 4096; });
  refused("declared code range is outside", [&](abi::Descriptor& x, uint8_t*) { x.code_begin = 0; });
  refused("declared code range is outside", [&](abi::Descriptor& x, uint8_t*) {
    std::swap(x.code_begin, x.code_end);
  });
  // A narrower declared range is enforced as it is (the trampolines follow
  // the functions).
  refused("type 0: entry trampoline outside the code", [&](abi::Descriptor& x, uint8_t* s) {
    x.code_end = table<abi::Function>(s, x.functions)[1].code;
  });
}

TEST_CASE("kiln run refuses malformed extended constant expressions") {
  namespace abi = kiln::abi;
  TempDir dir;
  const std::vector<uint8_t> good = read_file(artifact("extended_const"));
  const Section at = find_section(good, ".kiln_descriptor");
  abi::Descriptor d;
  std::memcpy(&d, good.data() + at.offset, sizeof d);
  REQUIRE(d.global_count == 1);
  REQUIRE(d.features == abi::feature_bit(abi::Feature::ExtendedConst));
  // The global's initializer: i32.const 40, i32.const 2, i32.add.
  auto init = [](abi::Descriptor& x, uint8_t* s) -> abi::ConstExpr& {
    return table<abi::Global>(s, x.globals)[0].init;
  };
  auto ops = [&](abi::Descriptor& x, uint8_t* s) {
    abi::ImageOffset offset;
    std::memcpy(&offset, init(x, s).bytes, sizeof offset);
    return table<abi::ConstExpr>(s, offset);
  };
  std::vector<uint8_t> copy = good;
  REQUIRE(init(d, copy.data() + at.offset).kind == abi::ConstKind::Sequence);
  REQUIRE(init(d, copy.data() + at.offset).index == 3);
  int n = 0;
  auto refused = [&](const std::string& reason, auto edit) {
    INFO(reason);
    expect_refused(dir.write("sequence" + std::to_string(n++) + ".so", resealed(good, at, edit)),
                   reason, dir);
  };
  const std::string outside = "global 0: constant expression outside the descriptor section";
  refused(outside, [&](abi::Descriptor& x, uint8_t* s) { init(x, s).index = 0; });
  refused(outside, [&](abi::Descriptor& x, uint8_t* s) { init(x, s).index = 0x40000000; });
  refused(outside, [&](abi::Descriptor& x, uint8_t* s) {
    const abi::ImageOffset far = int64_t(at.size) + 64;
    std::memcpy(init(x, s).bytes, &far, sizeof far);
  });
  refused("global 0: constant kind 2 in a sequence",
          [&](abi::Descriptor& x, uint8_t* s) { ops(x, s)[0].kind = abi::ConstKind::F32; });
  refused("global 0: constant kind 8 in a sequence",
          [&](abi::Descriptor& x, uint8_t* s) { ops(x, s)[1].kind = abi::ConstKind::Sequence; });
  refused("global 0: constant arithmetic 2 has bad operands",
          [&](abi::Descriptor& x, uint8_t* s) { ops(x, s)[2].kind = abi::ConstKind::I64Add; });
  refused("global 0: constant arithmetic 1 has bad operands",
          [&](abi::Descriptor& x, uint8_t* s) { std::swap(ops(x, s)[1], ops(x, s)[2]); });
  refused("global 0: constant sequence does not produce one i32",
          [&](abi::Descriptor& x, uint8_t* s) { ops(x, s)[2].kind = abi::ConstKind::I32; });
  refused("global 0: extended constant expression, but the extended-const feature is not recorded",
          [&](abi::Descriptor& x, uint8_t*) { x.features = 0; });
  // A bit no proposal has (yet): no loader of this ABI runs it.
  refused("WebAssembly features this loader cannot run: bit 31", [&](abi::Descriptor& x, uint8_t*) {
    x.features |= uint32_t(1) << 31;
  });
}
