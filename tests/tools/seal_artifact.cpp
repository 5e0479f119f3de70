// seal_artifact IN OUT: copies a hand-made artifact (a test fixture linked by
// the C++ compiler, not by aotc) and stores its artifact hash, computed by
// abi/artifact_hash.h as aotc and the loader compute it.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "abi/artifact_hash.h"
#include "abi/version.h"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "seal_artifact: %s\n", message.c_str());
  return 1;
}

template <typename T>
std::optional<T> read_at(const std::vector<uint8_t>& data, uint64_t offset) {
  if (offset > data.size() || data.size() - offset < sizeof(T)) return std::nullopt;
  T out;
  std::memcpy(&out, data.data() + offset, sizeof out);
  return out;
}

// File offset of the descriptor section's contents, or nullopt.
std::optional<uint64_t> descriptor_offset(const std::vector<uint8_t>& data, std::string& error) {
  auto header = read_at<Elf64_Ehdr>(data, 0);
  if (!header || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
      header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_ident[EI_DATA] != ELFDATA2LSB) {
    error = "not an ELF64 little-endian file";
    return std::nullopt;
  }
  auto section = [&](unsigned i) {
    return read_at<Elf64_Shdr>(data, header->e_shoff + uint64_t(i) * header->e_shentsize);
  };
  auto names = section(header->e_shstrndx);
  if (!names) {
    error = "no section names";
    return std::nullopt;
  }
  for (unsigned i = 0; i < header->e_shnum; ++i) {
    auto s = section(i);
    if (!s) break;
    const uint64_t at = names->sh_offset + s->sh_name;
    if (at >= data.size()) continue;
    const char* name = reinterpret_cast<const char*>(data.data() + at);
    if (std::string(name, strnlen(name, data.size() - at)) != kiln::abi::kDescriptorSection)
      continue;
    if (s->sh_size < sizeof(kiln::abi::Descriptor) || s->sh_offset > data.size() ||
        data.size() - s->sh_offset < sizeof(kiln::abi::Descriptor)) {
      error = "descriptor section too small";
      return std::nullopt;
    }
    return s->sh_offset;
  }
  error = std::string("no ") + kiln::abi::kDescriptorSection + " section";
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return fail("usage: seal_artifact IN OUT");
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) return fail(std::string("cannot read ") + argv[1]);
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string error;
  auto offset = descriptor_offset(data, error);
  if (!offset) return fail(std::string(argv[1]) + ": " + error);
  const kiln::abi::ArtifactHash hash = kiln::abi::artifact_hash(data, *offset);
  std::memcpy(data.data() + *offset + kiln::abi::kArtifactHashField, hash.data(), hash.size());
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
  if (!out.flush()) return fail(std::string("cannot write ") + argv[2]);
  return 0;
}
