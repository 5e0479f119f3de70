// Patching artifact_hash after linking: the hash covers every byte of the
// file, so it can only be computed once lld has written all of them.
#include "aotc/backend/artifact_hash.h"

#include <llvm/Object/ELF.h>

#include <cstddef>
#include <cstring>

#include "abi/artifact_hash.h"
#include "abi/descriptor.h"
#include "abi/version.h"

namespace kiln::aotc {

namespace {

// File offset of the descriptor section's contents.
Expected<uint64_t> descriptor_file_offset(const std::vector<uint8_t>& artifact) {
  llvm::StringRef bytes(reinterpret_cast<const char*>(artifact.data()), artifact.size());
  auto elf = llvm::object::ELF64LEFile::create(bytes);
  if (!elf) return make_error("linked artifact is not ELF64: " + llvm::toString(elf.takeError()));
  auto sections = elf->sections();
  if (!sections) return make_error("linked artifact: " + llvm::toString(sections.takeError()));
  for (const auto& section : *sections) {
    auto name = elf->getSectionName(section);
    if (!name) return make_error("linked artifact: " + llvm::toString(name.takeError()));
    if (*name != abi::kDescriptorSection) continue;
    if (section.sh_type != llvm::ELF::SHT_PROGBITS || section.sh_size < sizeof(abi::Descriptor) ||
        section.sh_offset > artifact.size() ||
        artifact.size() - section.sh_offset < sizeof(abi::Descriptor))
      return make_error(std::string("linked artifact: malformed ") + abi::kDescriptorSection +
                        " section");
    return uint64_t(section.sh_offset);
  }
  return make_error(std::string("linked artifact has no ") + abi::kDescriptorSection + " section");
}

}  // namespace

Expected<abi::ArtifactHash> seal_artifact_hash(std::vector<uint8_t>& artifact) {
  auto offset = descriptor_file_offset(artifact);
  if (!offset) return offset.takeError();
  const abi::ArtifactHash hash = abi::artifact_hash(artifact, *offset);
  if (Error err = store_artifact_hash(artifact, hash)) return err;
  return hash;
}

Error store_artifact_hash(std::vector<uint8_t>& file, const abi::ArtifactHash& hash) {
  auto offset = descriptor_file_offset(file);
  if (!offset) return offset.takeError();
  std::memcpy(file.data() + *offset + abi::kArtifactHashField, hash.data(), hash.size());
  return Error::success();
}

}  // namespace kiln::aotc
