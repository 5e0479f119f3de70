// Where dlopen will put an artifact's descriptor section and its code: read
// from the program headers ld.so maps, before anything is mapped. These are
// the bounds every abi::ImageOffset of the descriptor is checked against.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "loader/result.h"

namespace kiln::loader {

/// ELF virtual addresses (offsets from the load base) of an artifact's parts.
struct ImageLayout {
  uint64_t descriptor_vaddr = 0;  // the .kiln_descriptor section: the descriptor first
  uint64_t descriptor_size = 0;   // bytes of the section, all mapped from the file
  uint64_t code_vaddr = 0;        // the executable segment's bytes from the file
  uint64_t code_size = 0;         // 0 when there is no executable segment
};

/// The descriptor section as its section header places it.
struct SectionPlace {
  uint64_t vaddr = 0, offset = 0, size = 0;
};

/// `file` is a whole artifact that passed check_dynamic_loading. Checks that
/// a readable PT_LOAD maps the section at `descriptor` from exactly its file
/// bytes, suitably aligned, and that there is at most one executable
/// PT_LOAD. The layout, or the problem.
Result<ImageLayout> find_image_layout(std::span<const uint8_t> file, const SectionPlace& descriptor);

}  // namespace kiln::loader
