// The program headers decide what dlopen maps where; the section header only
// names the descriptor section. Both must agree for the mapped descriptor to
// be the bytes checked in the file.
#include "loader/platform/image_layout.h"

#include <elf.h>

#include <cstring>

#include "abi/descriptor.h"
#include "abi/version.h"

namespace kiln::loader {

namespace {

// Addresses stay far below 2^62, so offsets between them fit an ImageOffset.
constexpr uint64_t kAddressLimit = uint64_t(1) << 62;

bool fits(uint64_t start, uint64_t size) { return start < kAddressLimit && size < kAddressLimit - start; }

}  // namespace

Result<ImageLayout> find_image_layout(std::span<const uint8_t> file, const SectionPlace& descriptor) {
  const std::string section = abi::kDescriptorSection;
  Elf64_Ehdr eh;
  if (file.size() < sizeof eh) return fail("truncated ELF file (shorter than an ELF header)");
  std::memcpy(&eh, file.data(), sizeof eh);
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > file.size() ||
      uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > file.size() - eh.e_phoff)
    return fail("malformed program headers");
  if (!fits(descriptor.vaddr, descriptor.size)) return fail(section + " section at an impossible address");
  if (descriptor.vaddr % alignof(abi::Descriptor) != 0)
    return fail(section + " section is misaligned (address " + std::to_string(descriptor.vaddr) + ")");

  ImageLayout out;
  bool code_seen = false, descriptor_mapped = false;
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr p;
    std::memcpy(&p, file.data() + eh.e_phoff + uint64_t(i) * sizeof p, sizeof p);
    if (p.p_type != PT_LOAD) continue;
    if (!fits(p.p_vaddr, p.p_memsz) || p.p_filesz > p.p_memsz)
      return fail("malformed program headers (segment " + std::to_string(i) + ")");
    if (p.p_flags & PF_X) {
      if (code_seen) return fail("has more than one executable segment (artifacts have one)");
      code_seen = true;
      out.code_vaddr = p.p_vaddr;
      out.code_size = p.p_filesz;
    }
    const uint64_t from = descriptor.vaddr, to = descriptor.vaddr + descriptor.size;
    if (!descriptor_mapped && from >= p.p_vaddr && to <= p.p_vaddr + p.p_filesz) {
      if (!(p.p_flags & PF_R)) return fail(section + " section is not readable when loaded");
      if (descriptor.offset != p.p_offset + (from - p.p_vaddr))
        return fail(section + " section is not loaded from its own bytes in the file");
      descriptor_mapped = true;
    }
  }
  if (!descriptor_mapped) return fail(section + " section is not loaded from the file");
  out.descriptor_vaddr = descriptor.vaddr;
  out.descriptor_size = descriptor.size;
  return out;
}

}  // namespace kiln::loader
