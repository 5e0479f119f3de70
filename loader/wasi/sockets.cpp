// sock_*: Kiln gives guests no sockets (none can be opened through WASI
// preview1 either), so these only tell a bad fd from an unsupported call.
#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {
E not_supported(S& s, uint32_t fd) { return s.fds.find(fd) ? abi::err::kNotSup : abi::err::kBadf; }
}  // namespace

E sock_accept(S& s, M&, uint32_t fd, uint32_t, uint32_t) { return not_supported(s, fd); }
E sock_recv(S& s, M&, uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t) {
  return not_supported(s, fd);
}
E sock_send(S& s, M&, uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t) { return not_supported(s, fd); }
E sock_shutdown(S& s, M&, uint32_t fd, uint32_t) { return not_supported(s, fd); }

}  // namespace kiln::wasi::handlers
