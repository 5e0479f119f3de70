// Under valgrind, a module is mapped from a private named file rather than
// the sealed memory copy: valgrind reads a mapped object's symbols (the wasm
// names aotc writes into .symtab) only from a file it can open by name.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::loader {

/// True when this process runs on valgrind's synthetic CPU (its client
/// request; false where libkiln was built without valgrind.h).
bool running_on_valgrind();

/// The checked bytes of an artifact in a file of their own,
/// $TMPDIR/kiln-XXXXXX/NAME (directory 0700, file 0600), removed with the
/// directory when this is destroyed: once dlopen has mapped it.
class NamedImageCopy {
 public:
  /// Copies the open image `fd` (what the checks read) under the base name
  /// of `artifact_path`. Null when it cannot be made (no writable temporary
  /// directory, no space): the module then loads as usual, unnamed.
  static std::unique_ptr<NamedImageCopy> create(int fd, const std::string& artifact_path);
  ~NamedImageCopy();
  NamedImageCopy(const NamedImageCopy&) = delete;
  NamedImageCopy& operator=(const NamedImageCopy&) = delete;

  /// What to pass to dlopen.
  const std::string& path() const { return path_; }
  /// Whether every loadable segment mapped at load base `base` holds the
  /// bytes copied: so the file was not changed between the copy and dlopen.
  bool matches_mapping(uintptr_t base) const;

 private:
  NamedImageCopy(std::string dir, std::string path, std::vector<uint8_t> bytes)
      : dir_(std::move(dir)), path_(std::move(path)), bytes_(std::move(bytes)) {}
  std::string dir_, path_;
  std::vector<uint8_t> bytes_;
};

}  // namespace kiln::loader
