// dlopen/dlclose ownership for artifacts.
#include "loader/platform/shared_library.h"

#include <dlfcn.h>
#include <link.h>

namespace kiln::loader {

Result<std::unique_ptr<SharedLibrary>> SharedLibrary::open(const std::string& path) {
  dlerror();  // clear any stale message
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    return fail(why ? why : path + ": dlopen failed");
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(handle));
}

SharedLibrary::~SharedLibrary() {
  if (handle_) ::dlclose(handle_);
}

void* SharedLibrary::symbol(const char* name) const {
  return ::dlsym(handle_, name);
}

uintptr_t SharedLibrary::base() const {
  link_map* map = nullptr;
  if (::dlinfo(handle_, RTLD_DI_LINKMAP, &map) != 0 || !map) return 0;
  return uintptr_t(map->l_addr);
}

}  // namespace kiln::loader
