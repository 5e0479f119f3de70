// The link line of a standalone executable (aotc --emit=exe): the module's
// object, the runtime archives (an executable main, kiln_wasi, libkiln) and
// the C++ runtime, as this machine's C++ compiler links a PIE.
#pragma once
#include <string>
#include <vector>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// lld arguments after "-o OUTPUT": startup files, `objects`, the runtime
/// archives and the libraries they need. The archives are the build tree's
/// when this aotc runs from it, else the installed ones; an error names a
/// missing archive.
Expected<std::vector<std::string>> executable_link_args(const std::vector<std::string>& objects,
                                                        bool keep_symbols);

}  // namespace kiln::aotc
