// Helpers for the WASI unit tests: temporary directory trees and a fake
// linear memory with a bump allocator.
#pragma once
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "loader/wasi/guest_memory.h"

namespace kiln::wasi::testing {

/// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kiln-wasi-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

  void write(const std::string& rel, const std::string& text) const { std::ofstream(path_ / rel) << text; }
  void mkdir(const std::string& rel) const { std::filesystem::create_directories(path_ / rel); }
  void symlink(const std::string& target, const std::string& rel) const {
    ::symlink(target.c_str(), (path_ / rel).c_str());
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(path_ / rel);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool exists(const std::string& rel) const {
    struct stat st;
    return lstat((path_ / rel).c_str(), &st) == 0;
  }

 private:
  std::filesystem::path path_;
};

/// 64 KiB of "linear memory"; alloc() hands out 8-aligned chunks above 1 KiB.
struct FakeMemory {
  std::vector<uint8_t> bytes = std::vector<uint8_t>(1 << 16);
  GuestMemory memory{bytes.data(), bytes.size()};
  uint32_t top = 1024;

  uint32_t alloc(uint32_t n) {
    top = (top + 7) & ~7u;
    uint32_t p = top;
    top += n;
    return p;
  }
  uint32_t str(std::string_view s) {
    uint32_t p = alloc(uint32_t(s.size()) + 1);
    std::memcpy(bytes.data() + p, s.data(), s.size());
    return p;
  }
  template <class T>
  T load(uint32_t p) const {
    T v;
    std::memcpy(&v, bytes.data() + p, sizeof v);
    return v;
  }
  template <class T>
  void store(uint32_t p, T v) {
    std::memcpy(bytes.data() + p, &v, sizeof v);
  }
  std::string text(uint32_t p, uint32_t n) const {
    return std::string(reinterpret_cast<const char*>(bytes.data() + p), n);
  }
  uint32_t size() const { return uint32_t(bytes.size()); }
};

}  // namespace kiln::wasi::testing
