// The name profilers and debuggers show for a wasm function. aotc writes it
// into the artifact's symbol table and the loader into perf's map, so perf,
// valgrind and gdb agree on it.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace kiln::abi {

/// `name` (the name section's, empty if it has none) with each control
/// character (which would end a perf map line or an ELF string) as '?';
/// without a name, "wasm-function[N]", N in the module's function index
/// space (imported functions first).
inline std::string function_display_name(std::string_view name, uint32_t function_index) {
  if (name.empty()) return "wasm-function[" + std::to_string(function_index) + "]";
  std::string out(name);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return out;
}

}  // namespace kiln::abi
