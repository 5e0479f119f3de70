// In-process linking with lld: code object + descriptor object -> artifact.
#pragma once
#include <llvm/ADT/ArrayRef.h>

#include <cstdint>
#include <vector>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

enum class LinkOutput {
  SharedObject,  // the artifact: exports only kiln_descriptor, no DT_NEEDED
  Relocatable,   // one merged .o (ld -r), for --emit=obj and --emit=static
  Executable,    // a PIE with the runtime archives and the C++ runtime (--emit=exe)
};

/// Links `objects` (ELF x86-64 relocatable objects, in memory) with lld's ELF
/// driver and returns the output file's bytes. The shared object is linked
/// with -shared, a version script exporting only kiln_descriptor, -z defs
/// (artifacts import nothing, so an undefined symbol such as a memcpy libcall
/// is an error naming it), -z noexecstack -z relro -z now, --hash-style=gnu,
/// --build-id=none and no libraries; with `keep_symbols` false (the default)
/// also --strip-all. An executable is linked as this machine's C++ compiler
/// links one (see executable_link.h), stripped unless `keep_symbols`.
///
/// lld keeps process-wide state: calls are serialised by a mutex and
/// lld::lldMain resets that state after each link, so this may be called any
/// number of times in one process. lld exits the process only on a fatal
/// error for malformed input, which objects from LLVM do not trigger.
Expected<std::vector<uint8_t>> link_objects(llvm::ArrayRef<llvm::ArrayRef<char>> objects,
                                            LinkOutput kind, bool keep_symbols = false);

}  // namespace kiln::aotc
