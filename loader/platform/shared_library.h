// Owns one dlopen handle.
#pragma once
#include <memory>
#include <string>

namespace kiln::loader {

class SharedLibrary {
 public:
  /// dlopen(path, RTLD_NOW | RTLD_LOCAL). Returns null and sets `error` on
  /// failure. `path_fd`, if not -1, is the descriptor that `path`
  /// (/proc/self/fd/N) names: it is owned from here on and closed only once
  /// the library is unloaded, because ld.so matches libraries by path, and a
  /// reused descriptor number must never name a library still loaded.
  static std::unique_ptr<SharedLibrary> open(const std::string& path, std::string& error,
                                             int path_fd = -1);
  ~SharedLibrary();  // dlclose
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  /// dlsym; null if absent.
  void* symbol(const char* name) const;

 private:
  SharedLibrary(void* handle, std::string path, int path_fd)
      : handle_(handle), path_(std::move(path)), path_fd_(path_fd) {}
  void* handle_;
  std::string path_;
  int path_fd_;
};

}  // namespace kiln::loader
