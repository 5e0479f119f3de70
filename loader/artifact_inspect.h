// Reading an artifact without loading it, for `kiln inspect` and `kiln
// check`: an artifact of any target (another CPU's too) is read from its
// file; nothing of it is mapped or run.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/module.h"
#include "loader/result.h"

namespace kiln::loader {

/// What an artifact file says about itself.
struct ArtifactInfo {
  std::string path;
  uint64_t file_size = 0;
  std::string machine;  // of the ELF file: "x86_64", "aarch64", or "ELF machine N"

  // The descriptor's fixed header.
  uint32_t abi_version = 0;
  std::string compiler_version, target_triple, cpu_name;
  std::vector<std::string> cpu_features;  // "+sse2", ... as recorded
  std::string bounds_checks;              // "guard" or "explicit"
  bool interruptible = false;
  unsigned opt_level = 0;
  std::vector<std::string> wasm_features;  // post-2.0 proposals used ("extended-const", ...)
  std::string module_hash;    // SHA-256 of the .wasm, hex
  std::string artifact_hash;  // XXH3-128 as stored, hex
  bool artifact_hash_matches = false;

  // The rest, when the ABI is this loader's and the descriptor is sound
  // (`decoded`); otherwise `descriptor_problem` says why not.
  bool decoded = false;
  std::string descriptor_problem;
  uint32_t defined_functions = 0, imported_functions = 0, trap_sites = 0;
  uint32_t data_segments = 0, element_segments = 0;
  uint64_t code_bytes = 0, data_segment_bytes = 0, descriptor_bytes = 0;
  std::vector<ImportType> imports;
  std::vector<ExportType> exports;
  std::vector<TableType> tables;      // defined ones
  std::vector<MemoryType> memories;   // defined ones
  std::vector<GlobalType> globals;    // defined ones
  std::string start_function;         // its name or "function N"; "" if none
};

/// Reads `path`; fails if it is not a Kiln artifact at all (not ELF64, no
/// descriptor section, bad magic). Any target.
Result<ArtifactInfo> inspect_artifact(const std::string& path);

/// Why `path` would not load on this machine, one line each, all of them
/// (another CPU or OS, missing CPU features by name, ABI versions, the
/// hash, the descriptor, what dlopen would do, glibc); empty if it would.
std::vector<std::string> load_problems(const std::string& path);

}  // namespace kiln::loader
