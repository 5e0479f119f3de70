// Owns one dlopen handle.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "loader/result.h"

namespace kiln::loader {

class SharedLibrary {
 public:
  /// dlopen(path, RTLD_NOW | RTLD_LOCAL); fails with dlerror()'s message.
  static Result<std::unique_ptr<SharedLibrary>> open(const std::string& path);
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
