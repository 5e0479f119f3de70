// Checks an artifact file with libelf before any of its code is mapped.
#pragma once
#include <string>

#include "abi/descriptor.h"

namespace kiln::loader {

/// The fixed header of a descriptor, as read from the file (pointer fields
/// are not valid here).
struct alignas(alignof(abi::Descriptor)) ArtifactHeader {
  uint8_t bytes[abi::kDescriptorHeaderSize];
  const abi::Descriptor& descriptor() const { return *reinterpret_cast<const abi::Descriptor*>(bytes); }
};

/// Opens `path` with libelf and checks: ELF64, little-endian, x86-64 (the
/// host machine), ET_DYN, a `.kiln_descriptor` section large enough for a
/// Descriptor, magic, ABI version, target triple, and that every CPU feature
/// the code may use is present on this host. On success fills `header` and
/// returns an empty string; otherwise returns a one-line reason naming the
/// file (e.g. "m.so: not a Kiln artifact (no .kiln_descriptor section)").
std::string check_artifact_file(const std::string& path, ArtifactHeader& header);

/// Returns the feature names in a "+a,+b" list that this CPU lacks, comma
/// separated ("" when all are present).
std::string missing_cpu_features(const char* feature_list);

}  // namespace kiln::loader
