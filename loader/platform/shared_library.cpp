// dlopen/dlclose ownership for artifacts.
#include "loader/platform/shared_library.h"

#include <dlfcn.h>
#include <unistd.h>

namespace kiln::loader {

std::unique_ptr<SharedLibrary> SharedLibrary::open(const std::string& path, std::string& error,
                                                   int path_fd) {
  dlerror();  // clear any stale message
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    error = why ? why : path + ": dlopen failed";
    if (path_fd >= 0) ::close(path_fd);
    return nullptr;
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(handle, path, path_fd));
}

SharedLibrary::~SharedLibrary() {
  if (handle_) ::dlclose(handle_);
  if (path_fd_ < 0) return;
  // If ld.so kept the library (another handle, or NODELETE), its name stays
  // registered: keep the descriptor so the number is never reused for a
  // different library, which ld.so would then mistake for this one.
  if (void* still = ::dlopen(path_.c_str(), RTLD_NOW | RTLD_NOLOAD)) {
    ::dlclose(still);
    return;
  }
  ::close(path_fd_);
}

void* SharedLibrary::symbol(const char* name) const {
  return ::dlsym(handle_, name);
}

}  // namespace kiln::loader
