// Checks an artifact file with libelf before any of its code is mapped.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "abi/artifact_hash.h"
#include "abi/descriptor.h"
#include "loader/platform/image_layout.h"
#include "loader/result.h"

namespace kiln::loader {

using abi::artifact_hash;
using abi::ArtifactHash;

/// The fixed header of a descriptor, as read from the file (the fields after
/// it are not here), and where the image will have the descriptor and code.
struct alignas(alignof(abi::Descriptor)) ArtifactHeader {
  uint8_t bytes[abi::kDescriptorHeaderSize];
  ImageLayout layout;
  const abi::Descriptor& descriptor() const { return *reinterpret_cast<const abi::Descriptor*>(bytes); }
};

/// Opens `path` with libelf and checks: ELF64, little-endian, this host's CPU,
/// ET_DYN, a `.kiln_descriptor` section large enough for a
/// Descriptor, magic, ABI version, target triple, that every CPU feature
/// the code may use is present on this host, the artifact hash (the file is
/// byte for byte what aotc wrote), that dlopen would run none of its code
/// (see check_dynamic_loading), and where it would map the descriptor and
/// the code (see find_image_layout). The header, or a one-line reason naming
/// the file (e.g. "m.so: not a Kiln artifact (no .kiln_descriptor section)").
Result<ArtifactHeader> check_artifact_file(const std::string& path);

/// The bytes of an artifact that dlopen maps, once checked: so the bytes
/// checked are the bytes mapped, changing or replacing the file on disk
/// after the check cannot reach the loaded code. Usually a copy in a sealed
/// memory file (memfd, no longer writable or resizable); the file itself when
/// the kernel keeps it unchanged (see kernel_keeps_unchanged), or where memfd
/// is unavailable.
class ArtifactImage {
 public:
  ~ArtifactImage();
  ArtifactImage(const ArtifactImage&) = delete;
  ArtifactImage& operator=(const ArtifactImage&) = delete;
  /// What to pass to dlopen while this image is open: a path of the sealed
  /// copy under /proc/self/fd, spelled differently for every image; or the
  /// original path when /proc is not mounted. Once dlopen has mapped the
  /// file, the image may be closed.
  const std::string& load_path() const { return load_path_; }
  /// The open image: the bytes checked.
  int fd() const { return fd_; }
  /// True if this is a sealed copy, false if it is the file itself.
  bool is_copy() const { return copy_; }
  /// The descriptor's header and layout, as checked in these bytes.
  const ArtifactHeader& header() const { return header_; }

 private:
  friend Result<std::unique_ptr<ArtifactImage>> open_artifact(const std::string&);
  ArtifactImage(int fd, std::string load_path, bool copy, const ArtifactHeader& header)
      : fd_(fd), load_path_(std::move(load_path)), copy_(copy), header_(header) {}
  int fd_;
  std::string load_path_;
  bool copy_;
  ArtifactHeader header_;
};

/// Whether the kernel keeps the bytes of the open file `fd` unchanged while
/// it is open: immutable (chattr +i) or fs-verity (statx `attributes`, whose
/// support is `attributes_mask`; else FS_IOC_GETFLAGS), or on a filesystem
/// that cannot be written (squashfs, erofs, iso9660, cramfs).
bool kernel_keeps_unchanged(int fd, uint64_t attributes, uint64_t attributes_mask);

/// Makes the image of `path` (the file itself if the kernel keeps it
/// unchanged, else a sealed copy) and runs check_artifact_file's checks on
/// it. Fails with a line as above if the file is refused.
Result<std::unique_ptr<ArtifactImage>> open_artifact(const std::string& path);


/// The ELF machine of the code this host runs (host_cpu::elf_machine()).
uint16_t host_elf_machine();
/// "x86_64", "aarch64", ... or "ELF machine N".
std::string elf_machine_name(uint16_t machine);
/// True if this host runs code for `triple` (<host cpu>-*-linux*).
bool host_runs_target(std::string_view triple);

/// Magic and ABI version of a descriptor's fixed header: succeeds if they
/// are this loader's, else fails with the problem (an artifact of another
/// ABI says so first).
Status check_descriptor_identity(const abi::Descriptor& d);

/// The rest of the fixed header: descriptor size, bounds-check mode,
/// terminated strings, a target this host runs, CPU features this host has.
/// Fails with the first problem.
Status check_descriptor_header(const abi::Descriptor& d);

/// The feature names in a "+a,+b" list that this CPU lacks, comma separated
/// ("" when all are present; a name unknown here as "b (unknown feature)").
/// A list to report, not a verdict: loading uses check_cpu_features.
std::string missing_cpu_features(const char* feature_list);

/// Succeeds if this CPU has every feature a "+a,+b" list enables; otherwise
/// fails with "needs CPU features this host lacks: " and the missing list.
Status check_cpu_features(const char* feature_list);

}  // namespace kiln::loader
