// aotc --cache-dir: keys, lookups and atomic stores.
#include "aotc/backend/compile_cache.h"

#include <elf.h>
#include <link.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>

#include <cstring>

#include "abi/version.h"
#include "aotc/backend/atomic_file.h"
#include "aotc/backend/compiler.h"
#include "aotc/backend/target.h"

namespace kiln::aotc {

namespace {

std::string to_hex(llvm::ArrayRef<uint8_t> bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : bytes) {
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

// The GNU build-id note among an object's program headers, as hex.
std::string build_id_of(const dl_phdr_info& info) {
  for (int i = 0; i < info.dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info.dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    auto* p = reinterpret_cast<const uint8_t*>(info.dlpi_addr + ph.p_vaddr);
    const uint8_t* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const uint8_t* name = p + sizeof(ElfW(Nhdr));
      const uint8_t* desc = name + ((note->n_namesz + 3) & ~3u);
      if (desc + note->n_descsz > end) break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
          std::memcmp(name, "GNU", 4) == 0)
        return to_hex({desc, note->n_descsz});
      p = desc + ((note->n_descsz + 3) & ~3u);
    }
  }
  return "";
}

struct BuildIds {
  std::string executable;
  std::string llvm;
};

int collect_build_id(dl_phdr_info* info, size_t, void* data) {
  auto* ids = static_cast<BuildIds*>(data);
  std::string_view name = info->dlpi_name ? info->dlpi_name : "";
  if (name.empty() && ids->executable.empty()) ids->executable = build_id_of(*info);
  else if (name.find("libLLVM") != std::string_view::npos) ids->llvm = build_id_of(*info);
  return 0;
}

std::string compute_build_id() {
  BuildIds ids;
  dl_iterate_phdr(collect_build_id, &ids);
  if (ids.executable.empty()) {  // linked without --build-id: the bytes themselves
    auto self = llvm::MemoryBuffer::getFile("/proc/self/exe", false, false);
    if (self) {
      llvm::StringRef bytes = (*self)->getBuffer();
      ids.executable = "sha256:" + to_hex(llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
                                       reinterpret_cast<const uint8_t*>(bytes.data()),
                                       bytes.size())));
    }
  }
  return "aotc " + std::string(abi::kCompilerVersion) + " build " + ids.executable + "; LLVM " +
         LLVM_VERSION_STRING + " build " + ids.llvm;
}

const char* emit_name(CompileOptions::Emit emit) {
  switch (emit) {
    case CompileOptions::Emit::SharedObject: return "so";
    case CompileOptions::Emit::Object: return "obj";
    case CompileOptions::Emit::LLVMIR: return "ll";
    case CompileOptions::Emit::Static: return "static";
    case CompileOptions::Emit::Executable: return "exe";
  }
  return "?";
}

std::string entry_path(const std::string& dir, const std::string& key) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, key.substr(0, 2), key);
  return std::string(path);
}

}  // namespace

const std::string& compiler_build_id() {
  static const std::string id = compute_build_id();
  return id;
}

std::string compile_cache_key(std::span<const uint8_t> input, bool is_text,
                              const CompileOptions& options, const Target& target) {
  // Every field that shapes the output; `threads` does not. Adding a field
  // to CompileOptions or CodegenOptions means adding it here.
  std::string text;
  llvm::raw_string_ostream os(text);
  os << compiler_build_id() << '\n'
     << "input " << (is_text ? "text" : "binary") << ' ' << input.size() << '\n'
     << "opt " << options.opt_level << '\n'
     << "target " << target.machine->getTargetTriple().str() << '\n'
     << "cpu " << target.machine->getTargetCPU() << ' '
     << target.machine->getTargetFeatureString() << '\n'
     << "bounds " << int(options.codegen.bounds_check) << '\n'
     << "interruptible " << options.codegen.interruptible << '\n'
     << "nans " << options.codegen.canonicalize_nans << '\n'
     << "partition " << options.partition_bytes << '\n'
     << "symbols " << options.keep_symbols << ' ' << options.executable_symbols << '\n'
     << "emit " << emit_name(options.emit) << '\n'
     << "features " << abi::feature_list(options.features.enabled) << '\n';
  if (options.emit == CompileOptions::Emit::Static)
    os << "prefix " << options.prefix << ' ' << options.static_object << '\n';
  os.flush();
  llvm::SHA256 hash;
  hash.update(text);
  hash.update(llvm::ArrayRef<uint8_t>(input.data(), input.size()));
  std::array<uint8_t, 32> digest = hash.final();
  return to_hex(digest);
}

std::optional<std::vector<uint8_t>> compile_cache_lookup(const std::string& dir,
                                                         const std::string& key,
                                                         const CompileOptions& options) {
  auto buffer = llvm::MemoryBuffer::getFile(entry_path(dir, key), false, false);
  if (!buffer) return std::nullopt;
  llvm::StringRef bytes = (*buffer)->getBuffer();
  // A truncated or foreign entry is a miss; the next store replaces it.
  bool elf = bytes.size() > 64 && bytes.starts_with("\x7f" "ELF");
  bool archive = bytes.size() > 64 && bytes.starts_with("!<arch>\n");
  bool want_archive = options.emit == CompileOptions::Emit::Static && !options.static_object;
  if (options.emit != CompileOptions::Emit::LLVMIR && !(want_archive ? archive : elf))
    return std::nullopt;
  if (bytes.empty()) return std::nullopt;
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

Error compile_cache_store(const std::string& dir, const std::string& key,
                          const std::vector<uint8_t>& bytes) {
  std::string path = entry_path(dir, key);
  llvm::StringRef parent = llvm::sys::path::parent_path(path);
  if (std::error_code ec = llvm::sys::fs::create_directories(parent))
    return make_error("cannot create cache directory " + parent.str() + ": " + ec.message());
  if (Error err = write_file_atomically(path, bytes))
    return make_error("cache: " + error_message(std::move(err)));
  return Error::success();
}

}  // namespace kiln::aotc
