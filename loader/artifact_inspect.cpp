// Reading an artifact's descriptor from its file: ELF headers parsed by hand
// (libelf is not needed for reading, and any machine's file is read the
// same), the descriptor section copied to aligned memory, its offsets
// checked against the section and the file's code segment before anything
// is decoded, then decoded like a loaded module's.
#include "loader/artifact_inspect.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "abi/artifact_hash.h"
#include "abi/version.h"
#include "loader/module_state.h"
#include "loader/platform/artifact_file.h"
#include "loader/platform/dynamic_check.h"
#include "loader/platform/host_cpu.h"
#include "loader/platform/image_layout.h"

namespace kiln::loader {

namespace {

std::string hex(const uint8_t* bytes, size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

// A fixed char field as a string (up to its NUL, or all of it).
template <size_t N>
std::string field(const char (&chars)[N]) {
  return std::string(chars, strnlen(chars, N));
}

// "a,b,c" as its items.
std::vector<std::string> split_features(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The whole file, its ELF header and where the descriptor section is.
struct ArtifactFile {
  std::vector<uint8_t> bytes;
  Elf64_Ehdr header{};
  SectionPlace descriptor;
  std::vector<uint64_t> section;  // the descriptor section, 8-aligned
  const abi::Descriptor& d() const { return *reinterpret_cast<const abi::Descriptor*>(section.data()); }
};

Result<ArtifactFile> read_artifact(const std::string& path) {
  ArtifactFile f;
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(std::string("cannot open: ") + std::strerror(errno));
  f.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(std::string("cannot read: ") + std::strerror(errno));
  const std::vector<uint8_t>& b = f.bytes;
  if (b.size() < sizeof f.header || std::memcmp(b.data(), ELFMAG, SELFMAG) != 0)
    return fail("not an ELF file");
  std::memcpy(&f.header, b.data(), sizeof f.header);
  const Elf64_Ehdr& h = f.header;
  if (h.e_ident[EI_CLASS] != ELFCLASS64 || h.e_ident[EI_DATA] != ELFDATA2LSB)
    return fail("not a 64-bit little-endian ELF file");
  if (h.e_shentsize != sizeof(Elf64_Shdr) || h.e_shoff > b.size() ||
      uint64_t(h.e_shnum) * sizeof(Elf64_Shdr) > b.size() - h.e_shoff || h.e_shstrndx >= h.e_shnum)
    return fail("malformed section table");
  auto section_header = [&](uint32_t i) {
    Elf64_Shdr s;
    std::memcpy(&s, b.data() + h.e_shoff + uint64_t(i) * sizeof s, sizeof s);
    return s;
  };
  const Elf64_Shdr names = section_header(h.e_shstrndx);
  bool found = false;
  for (uint32_t i = 0; i < h.e_shnum && !found; ++i) {
    const Elf64_Shdr s = section_header(i);
    if (names.sh_offset > b.size() || s.sh_name >= b.size() - names.sh_offset) continue;
    const char* name = reinterpret_cast<const char*>(b.data() + names.sh_offset + s.sh_name);
    size_t room = b.size() - names.sh_offset - s.sh_name;
    if (strnlen(name, room) == room || std::strcmp(name, abi::kDescriptorSection) != 0) continue;
    if (s.sh_type == SHT_NOBITS || s.sh_offset > b.size() || s.sh_size > b.size() - s.sh_offset)
      return fail(std::string("malformed ") + abi::kDescriptorSection + " section");
    f.descriptor = SectionPlace{s.sh_addr, s.sh_offset, s.sh_size};
    found = true;
  }
  if (!found) return fail(std::string("not a Kiln artifact (no ") + abi::kDescriptorSection + " section)");
  if (f.descriptor.size < sizeof(abi::Descriptor))
    return fail(std::string(abi::kDescriptorSection) + " section too small for a descriptor");
  f.section.assign((f.descriptor.size + 7) / 8, 0);
  std::memcpy(f.section.data(), b.data() + f.descriptor.offset, f.descriptor.size);
  if (f.d().magic != abi::kDescriptorMagic) return fail("bad descriptor magic (not a Kiln artifact)");
  return f;
}

bool hash_matches(const ArtifactFile& f) {
  const abi::ArtifactHash computed = abi::artifact_hash(f.bytes, f.descriptor.offset);
  return std::memcmp(computed.data(), f.d().artifact_hash, computed.size()) == 0;
}

// Succeeds if the descriptor's offsets all land in the section and the
// file's code segment, else fails with the problem. Only for this loader's ABI.
Status check_tables(const ArtifactFile& f) {
  Result<ImageLayout> layout = find_image_layout(f.bytes, f.descriptor);
  if (!layout) return std::move(layout).failure();
  DescriptorBounds bounds;
  bounds.data_size = layout->descriptor_size;
  bounds.code_begin = int64_t(layout->code_vaddr) - int64_t(layout->descriptor_vaddr);
  bounds.code_end = bounds.code_begin + int64_t(layout->code_size);
  return check_descriptor(f.d(), bounds);
}

}  // namespace

Result<ArtifactInfo> inspect_artifact(const std::string& path) {
  Result<ArtifactFile> read = read_artifact(path);
  if (!read) return std::move(read).failure().within(path);
  const ArtifactFile& f = *read;
  const abi::Descriptor& d = f.d();
  ArtifactInfo info;
  info.path = path;
  info.file_size = f.bytes.size();
  info.machine = elf_machine_name(f.header.e_machine);
  info.abi_version = d.abi_version;
  info.compiler_version = field(d.compiler_version);
  info.target_triple = field(d.target_triple);
  info.cpu_name = field(d.cpu_name);
  info.cpu_features = split_features(field(d.cpu_features));
  info.bounds_checks = d.bounds_check == abi::BoundsCheck::Explicit ? "explicit" : "guard";
  info.interruptible = d.interruptible != 0;
  info.opt_level = d.opt_level;
  if (d.abi_version >= 8) info.wasm_features = split_features(abi::feature_list(d.features));
  info.module_hash = hex(d.module_hash, sizeof d.module_hash);
  info.artifact_hash = hex(d.artifact_hash, sizeof d.artifact_hash);
  info.artifact_hash_matches = hash_matches(f);

  if (d.abi_version != abi::kAbiVersion) {
    info.descriptor_problem = "ABI version " + std::to_string(d.abi_version) + " (this kiln reads " +
                              std::to_string(abi::kAbiVersion) + ")";
    return info;
  }
  info.descriptor_problem = check_tables(f).error();
  if (!info.descriptor_problem.empty()) return info;

  // Decoded as a loaded module is; nothing reaches for its code.
  ModuleState state;
  state.path = path;
  state.descriptor = &d;
  decode_descriptor(state);
  info.decoded = true;
  info.imports = state.imports;
  info.exports = state.export_types();
  info.tables.assign(state.table_types.begin() + state.imported_tables, state.table_types.end());
  info.memories.assign(state.memory_types.begin() + state.imported_memories, state.memory_types.end());
  info.globals.assign(state.global_types.begin() + state.imported_globals, state.global_types.end());
  info.defined_functions = d.function_count;
  info.imported_functions = state.imported_funcs;
  info.trap_sites = d.trap_count;
  info.code_bytes = uint64_t(d.code_end - d.code_begin);
  info.descriptor_bytes = d.data_size;
  info.data_segments = d.data_count;
  info.element_segments = d.elem_count;
  const abi::DataSegment* data = d.at<abi::DataSegment>(d.data);
  for (uint32_t i = 0; i < d.data_count; ++i) info.data_segment_bytes += data[i].size;
  if (d.start_function != UINT32_MAX) {
    std::string name = state.func_name(d.start_function);
    info.start_function = name.empty() ? "function " + std::to_string(d.start_function) : name;
  }
  return info;
}

std::vector<std::string> load_problems(const std::string& path) {
  std::vector<std::string> problems;
  Result<ArtifactFile> read = read_artifact(path);
  if (!read) return {read.error()};
  const ArtifactFile& f = *read;
  const abi::Descriptor& d = f.d();
  const bool same_machine = f.header.e_machine == host_elf_machine();
  if (!same_machine)
    problems.push_back("built for " + elf_machine_name(f.header.e_machine) + ", this machine runs " +
                       elf_machine_name(host_elf_machine()));
  const std::string triple = field(d.target_triple);
  if (!host_runs_target(triple))
    problems.push_back("target " + triple + " is not this host's (" + std::string(host_cpu::triple_arch()) +
                       "-*-linux*)");
  if (d.abi_version > abi::kAbiVersion)
    problems.push_back("loader too old: the artifact has ABI version " +
                       std::to_string(d.abi_version) + ", this kiln supports " +
                       std::to_string(abi::kAbiVersion) + " (update kiln)");
  else if (d.abi_version < abi::kAbiVersion)
    problems.push_back("artifact too old: ABI version " + std::to_string(d.abi_version) +
                       ", this kiln supports " + std::to_string(abi::kAbiVersion) +
                       " (recompile it with this aotc)");
  if (same_machine) {
    std::string missing = missing_cpu_features(d.cpu_features);
    if (!missing.empty()) problems.push_back("missing CPU features: " + missing);
  }
  if (!hash_matches(f))
    problems.push_back("artifact hash mismatch: the file is damaged or was changed after aotc wrote it");
  if (same_machine && d.abi_version == abi::kAbiVersion) {
    if (Status dynamic = check_dynamic_loading(f.bytes); !dynamic) problems.push_back(dynamic.error());
    if (Status tables = check_tables(f); !tables) problems.push_back("bad descriptor: " + tables.error());
  }
  // Whatever else loading checks: what it says, if it refuses.
  if (problems.empty()) {
    std::string error = check_artifact_file(path).error();
    if (error.rfind(path + ": ", 0) == 0) error.erase(0, path.size() + 2);
    if (!error.empty()) problems.push_back(error);
  }
  return problems;
}

}  // namespace kiln::loader
