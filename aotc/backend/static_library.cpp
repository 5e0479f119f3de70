// Localizing and renaming symbols with LLVM's objcopy library, and archiving
// with its archive writer: the same code as llvm-objcopy and llvm-ar, in
// process, with nothing left to run at build time but the host's linker.
#include "aotc/backend/static_library.h"

#include <llvm/ObjCopy/CommonConfig.h>
#include <llvm/ObjCopy/ELF/ELFConfig.h>
#include <llvm/ObjCopy/ELF/ELFObjcopy.h>
#include <llvm/Object/ArchiveWriter.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include "abi/version.h"
#include "aotc/backend/artifact_hash.h"

namespace kiln::aotc {

namespace {

llvm::StringRef as_ref(const std::vector<uint8_t>& bytes) {
  return llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Every global but the descriptor made local; the descriptor renamed.
Expected<std::vector<uint8_t>> localize(const std::vector<uint8_t>& object,
                                        const std::string& descriptor_name) {
  auto binary = llvm::object::ObjectFile::createELFObjectFile(
      llvm::MemoryBufferRef(as_ref(object), "artifact.o"));
  if (!binary) return make_error("static library: " + llvm::toString(binary.takeError()));
  auto* elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(binary->get());
  if (!elf) return make_error("static library: the linked object is not ELF");

  llvm::objcopy::CommonConfig config;
  auto keep = llvm::objcopy::NameOrPattern::create(
      abi::kDescriptorSymbol, llvm::objcopy::MatchStyle::Literal,
      [](llvm::Error err) { return err; });
  if (llvm::Error err = config.SymbolsToKeepGlobal.addMatcher(std::move(keep)))
    return make_error("static library: " + llvm::toString(std::move(err)));
  config.SymbolsToRename[abi::kDescriptorSymbol] = descriptor_name;
  llvm::objcopy::ELFConfig elf_config;

  llvm::SmallVector<char, 0> out;
  llvm::raw_svector_ostream os(out);
  if (llvm::Error err = llvm::objcopy::elf::executeObjcopyOnBinary(config, elf_config, *elf, os))
    return make_error("static library: " + llvm::toString(std::move(err)));
  return std::vector<uint8_t>(out.begin(), out.end());
}

Expected<std::vector<uint8_t>> archive_of(const std::vector<uint8_t>& object,
                                          const std::string& member_name) {
  llvm::NewArchiveMember member(llvm::MemoryBufferRef(as_ref(object), member_name));
  auto archive = llvm::writeArchiveToBuffer(
      {std::move(member)}, llvm::SymtabWritingMode::NormalSymtab, llvm::object::Archive::K_GNU,
      /*Deterministic=*/true, /*Thin=*/false, [](llvm::Error err) { llvm::consumeError(std::move(err)); });
  if (!archive) return make_error("static library: " + llvm::toString(archive.takeError()));
  llvm::StringRef bytes = (*archive)->getBuffer();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

bool identifier_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

}  // namespace

bool valid_symbol_prefix(const std::string& prefix) {
  if (prefix.empty()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (!identifier_char(prefix[i], i == 0)) return false;
  return true;
}

std::string prefix_from_path(const std::string& path) {
  std::string stem = llvm::sys::path::stem(path).str();
  if (stem.size() > 3 && stem.rfind("lib", 0) == 0) stem.erase(0, 3);
  std::string out;
  for (char c : stem) out += identifier_char(c, false) ? c : '_';
  if (out.empty() || !identifier_char(out[0], true)) out.insert(out.begin(), '_');
  return out;
}

Expected<std::vector<uint8_t>> make_static_library(const std::vector<uint8_t>& object,
                                                   const abi::ArtifactHash& hash,
                                                   const std::string& prefix, bool archive,
                                                   const std::string& member_name) {
  if (!valid_symbol_prefix(prefix))
    return make_error("invalid symbol prefix '" + prefix +
                      "' (letters, digits and '_', not starting with a digit)");
  std::vector<uint8_t> hashed = object;
  if (Error err = store_artifact_hash(hashed, hash)) return err;
  auto localized = localize(hashed, prefix + abi::kLinkedDescriptorSuffix);
  if (!localized || !archive) return localized;
  return archive_of(*localized, member_name);
}

}  // namespace kiln::aotc
