// The dynamic linker runs code of a shared object at load time through
// initializers, IFUNC resolvers (IRELATIVE relocations, or symbols of type
// STT_GNU_IFUNC that a relocation or dlsym resolves), and the libraries it
// pulls in. aotc's output has none of these; refusing them makes "the loader
// refused the file" mean "none of its code ran". Everything is read from the
// program headers, as ld.so does, with every offset bounds-checked.
#include "loader/platform/dynamic_check.h"
#include "loader/platform/host_cpu.h"

#include <elf.h>
#include <gnu/libc-version.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace kiln::loader {

namespace {

class Image {
 public:
  explicit Image(std::span<const uint8_t> file) : file_(file) {}

  // Reads a T at `offset` (unaligned), or nullopt past the end.
  template <class T>
  std::optional<T> read(uint64_t offset) const {
    if (offset > file_.size() || file_.size() - offset < sizeof(T)) return std::nullopt;
    T value;
    std::memcpy(&value, file_.data() + offset, sizeof(T));
    return value;
  }

  uint64_t size() const { return file_.size(); }
  void add_segment(const Elf64_Phdr& p) { loads_.push_back(p); }

  // File offset of [vaddr, vaddr + size) if a PT_LOAD maps it from the file.
  std::optional<uint64_t> offset_of(uint64_t vaddr, uint64_t size) const {
    for (const Elf64_Phdr& p : loads_) {
      if (vaddr < p.p_vaddr || vaddr - p.p_vaddr > p.p_filesz) continue;
      uint64_t within = vaddr - p.p_vaddr;
      if (size > p.p_filesz - within) continue;
      uint64_t offset = p.p_offset + within;
      if (offset > file_.size() || size > file_.size() - offset) return std::nullopt;
      return offset;
    }
    return std::nullopt;
  }

 private:
  std::span<const uint8_t> file_;
  std::vector<Elf64_Phdr> loads_;
};

struct DynamicInfo {
  uint64_t rela = 0, rela_size = 0, rela_ent = sizeof(Elf64_Rela);
  uint64_t jmprel = 0, jmprel_size = 0;
  uint64_t symtab = 0, syment = sizeof(Elf64_Sym);
  uint64_t hash = 0, gnu_hash = 0;
  bool has_rela = false, has_jmprel = false;
};

const char* dependency_tag_name(int64_t tag) {
  switch (tag) {
    case DT_NEEDED: return "DT_NEEDED";
    case DT_FILTER: return "DT_FILTER";
    case DT_AUXILIARY: return "DT_AUXILIARY";
    case DT_AUDIT: return "DT_AUDIT";
    case DT_DEPAUDIT: return "DT_DEPAUDIT";
  }
  return nullptr;
}

const char* code_tag_name(int64_t tag) {
  switch (tag) {
    case DT_INIT: return "DT_INIT";
    case DT_FINI: return "DT_FINI";
    case DT_INIT_ARRAYSZ: return "DT_INIT_ARRAY";
    case DT_FINI_ARRAYSZ: return "DT_FINI_ARRAY";
    case DT_PREINIT_ARRAYSZ: return "DT_PREINIT_ARRAY";
  }
  return nullptr;
}

Status check_relocations(const Image& image, uint64_t vaddr, uint64_t size, uint64_t entry,
                         const char* table) {
  if (size == 0) return {};
  if (entry != sizeof(Elf64_Rela))
    return fail(std::string("malformed dynamic section (") + table + " entry size " + std::to_string(entry) + ")");
  std::optional<uint64_t> offset = image.offset_of(vaddr, size);
  if (!offset) return fail(std::string("malformed dynamic section (") + table + " outside the file)");
  for (uint64_t at = 0; at + sizeof(Elf64_Rela) <= size; at += sizeof(Elf64_Rela)) {
    Elf64_Rela rela = *image.read<Elf64_Rela>(*offset + at);
    uint32_t type = ELF64_R_TYPE(rela.r_info);
    if (host_cpu::is_relative_relocation(type)) continue;
    if (host_cpu::is_ifunc_relocation(type))
      return fail("has an IFUNC relocation (code that would run while loading)");
    return fail("has a relocation of type " + std::to_string(type) +
                " (artifacts have only " + std::string(host_cpu::relative_relocation_name()) + " relocations)");
  }
  return {};
}

// Number of dynamic symbols, from DT_HASH or by walking DT_GNU_HASH's chains.
std::optional<uint64_t> symbol_count(const Image& image, const DynamicInfo& dyn) {
  if (dyn.hash) {
    std::optional<uint64_t> at = image.offset_of(dyn.hash, 8);
    if (!at) return std::nullopt;
    std::optional<uint32_t> nchain = image.read<uint32_t>(*at + 4);
    if (!nchain) return std::nullopt;
    return *nchain;
  }
  if (!dyn.gnu_hash) return uint64_t(0);
  std::optional<uint64_t> at = image.offset_of(dyn.gnu_hash, 16);
  if (!at) return std::nullopt;
  uint32_t nbuckets = *image.read<uint32_t>(*at);
  uint32_t symoffset = *image.read<uint32_t>(*at + 4);
  uint32_t bloom_size = *image.read<uint32_t>(*at + 8);
  uint64_t buckets = *at + 16 + uint64_t(bloom_size) * 8;
  uint64_t chains = buckets + uint64_t(nbuckets) * 4;
  uint64_t count = symoffset;
  // Chains may be shared or cyclic in a crafted file: cap the total walk.
  uint64_t steps_left = image.size() / 4;
  for (uint32_t b = 0; b < nbuckets; ++b) {
    std::optional<uint32_t> first = image.read<uint32_t>(buckets + uint64_t(b) * 4);
    if (!first) return std::nullopt;
    if (*first == 0) continue;
    if (*first < symoffset) return std::nullopt;
    for (uint64_t index = *first;; ++index) {
      std::optional<uint32_t> link = image.read<uint32_t>(chains + (index - symoffset) * 4);
      if (!link || steps_left-- == 0) return std::nullopt;
      if (index + 1 > count) count = index + 1;
      if (*link & 1) break;  // last entry of this chain
    }
  }
  return count;
}

Status check_symbols(const Image& image, const DynamicInfo& dyn) {
  if (!dyn.symtab) return {};
  if (dyn.syment != sizeof(Elf64_Sym)) return fail("malformed dynamic section (symbol entry size)");
  std::optional<uint64_t> count = symbol_count(image, dyn);
  if (!count) return fail("malformed dynamic section (symbol hash table)");
  if (*count == 0) return {};
  std::optional<uint64_t> at = image.offset_of(dyn.symtab, *count * sizeof(Elf64_Sym));
  if (!at) return fail("malformed dynamic section (symbol table outside the file)");
  for (uint64_t i = 0; i < *count; ++i) {
    Elf64_Sym sym = *image.read<Elf64_Sym>(*at + i * sizeof(Elf64_Sym));
    if (ELF64_ST_TYPE(sym.st_info) == STT_GNU_IFUNC)
      return fail("has an IFUNC symbol (code that would run while loading)");
  }
  return {};
}

// glibc before 2.35 adjusts the addresses in a dynamic section in place,
// which faults when the section is read-only (aotc's output).
bool libc_loads_read_only_dynamic() {
  static const bool ok = [] {
    unsigned major = 0, minor = 0;
    return std::sscanf(gnu_get_libc_version(), "%u.%u", &major, &minor) == 2 &&
           (major > 2 || (major == 2 && minor >= 35));
  }();
  return ok;
}

}  // namespace

Status check_dynamic_loading(std::span<const uint8_t> file) {
  Image image(file);
  std::optional<Elf64_Ehdr> eh = image.read<Elf64_Ehdr>(0);
  if (!eh) return fail("truncated ELF file (shorter than an ELF header)");
  if (eh->e_phnum == 0) return fail("no program headers (not a loadable shared object)");
  if (eh->e_phentsize != sizeof(Elf64_Phdr))
    return fail("malformed program headers (entry size " + std::to_string(eh->e_phentsize) + ")");

  std::optional<Elf64_Phdr> dynamic;
  bool stack_seen = false;
  for (uint16_t i = 0; i < eh->e_phnum; ++i) {
    std::optional<Elf64_Phdr> p = image.read<Elf64_Phdr>(eh->e_phoff + uint64_t(i) * sizeof(Elf64_Phdr));
    if (!p) return fail("truncated ELF file (program headers end past the end of the file)");
    if ((p->p_type == PT_LOAD || p->p_type == PT_DYNAMIC) &&
        (p->p_offset > file.size() || p->p_filesz > file.size() - p->p_offset))
      return fail("truncated ELF file (segment " + std::to_string(i) + " ends past the end of the file)");
    switch (p->p_type) {
      case PT_INTERP: return fail("has a program interpreter (an executable, not an artifact)");
      case PT_LOAD: image.add_segment(*p); break;
      case PT_DYNAMIC: dynamic = p; break;
      case PT_GNU_STACK:
        stack_seen = true;
        if (p->p_flags & PF_X) return fail("asks for an executable stack");
        break;
    }
  }
  // Without PT_GNU_STACK, glibc makes every thread stack executable.
  if (!stack_seen) return fail("asks for an executable stack (no PT_GNU_STACK header)");
  if (!dynamic) return fail("no dynamic section (not a loadable shared object)");
  if (!(dynamic->p_flags & PF_W) && !libc_loads_read_only_dynamic())
    return fail(std::string("has a read-only dynamic section, which needs glibc 2.35 or later (this is ") +
                gnu_get_libc_version() + ")");

  DynamicInfo dyn;
  const uint64_t entries = dynamic->p_filesz / sizeof(Elf64_Dyn);
  for (uint64_t i = 0; i < entries; ++i) {
    std::optional<Elf64_Dyn> d = image.read<Elf64_Dyn>(dynamic->p_offset + i * sizeof(Elf64_Dyn));
    if (!d) return fail("truncated ELF file (dynamic section ends past the end of the file)");
    const int64_t tag = d->d_tag;
    const uint64_t value = d->d_un.d_val;
    if (tag == DT_NULL) break;
    if (const char* name = dependency_tag_name(tag))
      return fail(std::string("loads other libraries (") + name + ")");
    if (const char* name = code_tag_name(tag)) {
      // Array sizes of 0 are harmless; DT_INIT/DT_FINI always name code.
      bool is_size = tag == DT_INIT_ARRAYSZ || tag == DT_FINI_ARRAYSZ || tag == DT_PREINIT_ARRAYSZ;
      if (!is_size || value != 0) return fail(std::string("has initialization or finalization code (") + name + ")");
    }
    switch (tag) {
      case DT_TEXTREL: return fail("has text relocations");
      case DT_FLAGS:
        if (value & DF_TEXTREL) return fail("has text relocations");
        break;
      case DT_REL: case DT_RELSZ: return fail("has REL relocations (artifacts use RELA)");
      case DT_RELA: dyn.rela = value; dyn.has_rela = true; break;
      case DT_RELASZ: dyn.rela_size = value; break;
      case DT_RELAENT: dyn.rela_ent = value; break;
      case DT_JMPREL: dyn.jmprel = value; dyn.has_jmprel = true; break;
      case DT_PLTRELSZ: dyn.jmprel_size = value; break;
      case DT_PLTREL:
        if (value != DT_RELA) return fail("has REL relocations (artifacts use RELA)");
        break;
      case DT_SYMTAB: dyn.symtab = value; break;
      case DT_SYMENT: dyn.syment = value; break;
      case DT_HASH: dyn.hash = value; break;
      case DT_GNU_HASH: dyn.gnu_hash = value; break;
    }
  }
  // Symbols first: a relocation against an IFUNC symbol is best named as such.
  if (Status s = check_symbols(image, dyn); !s) return s;
  if (dyn.has_rela) {
    Status s = check_relocations(image, dyn.rela, dyn.rela_size, dyn.rela_ent, "DT_RELA");
    if (!s) return s;
  }
  if (dyn.has_jmprel)
    return check_relocations(image, dyn.jmprel, dyn.jmprel_size, sizeof(Elf64_Rela), "DT_JMPREL");
  return {};
}

}  // namespace kiln::loader
