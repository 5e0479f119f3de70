// Writing a file so that readers see all of it or none of it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Writes `bytes` to a unique temporary file beside `path` and renames it
/// over `path`: a failure leaves no partial file and never clobbers `path`.
/// Errors read "cannot write PATH: REASON". Mode 0666, or 0777 when
/// `executable`, less the umask. A `path` that names a device or a FIFO
/// (`-o /dev/null`, `-o /dev/stdout`) is written in place: renaming over it
/// would replace the device node itself.
Error write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes,
                            bool executable = false);

}  // namespace kiln::aotc
