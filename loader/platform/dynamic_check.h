// What dlopen would do with an artifact besides mapping it: checked from the
// file's program headers and dynamic section (what the dynamic linker itself
// reads), so that loading an artifact runs none of its code and loads no
// other library.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "loader/result.h"

namespace kiln::loader {

/// `file` is a whole ELF64 little-endian shared object for this host's CPU whose ELF header
/// was already checked. Succeeds if dlopen would only map it and apply
/// plain relocations; otherwise fails with the first reason it would do
/// more, e.g. "has initialization code (DT_INIT_ARRAY)". Refused: an interpreter,
/// an executable stack, DT_NEEDED/filters/audit libraries, DT_INIT/DT_FINI
/// and their arrays, text relocations, any relocation other than
/// R_X86_64_RELATIVE (in particular IRELATIVE, whose resolver is code), and
/// a read-only dynamic section where glibc is older than 2.35 (it would
/// write to it).
Status check_dynamic_loading(std::span<const uint8_t> file);

}  // namespace kiln::loader
