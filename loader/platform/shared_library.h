// Owns one dlopen handle.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace kiln::loader {

class SharedLibrary {
 public:
  /// dlopen(path, RTLD_NOW | RTLD_LOCAL). Returns null and sets `error` on failure.
  static std::unique_ptr<SharedLibrary> open(const std::string& path, std::string& error);
  ~SharedLibrary();  // dlclose
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  /// dlsym; null if absent.
  void* symbol(const char* name) const;
  /// The load base: the address that ELF virtual address 0 maps to.
  uintptr_t base() const;

 private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void* handle_;
};

}  // namespace kiln::loader
