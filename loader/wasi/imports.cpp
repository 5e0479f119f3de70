// Context::add_to: binds every handler to wasi_snapshot_preview1.NAME. The
// wasm signature of each import comes from the handler's C++ parameters.
#include "kiln/caller.h"
#include "kiln/imports.h"
#include "kiln/wasi.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi {

namespace {

using State = std::shared_ptr<WasiState>;

/// Adds `name` calling `handler`: a host function (Caller&, A...) -> i32.
template <class... A>
void bind(Imports& imports, const State& state, const char* name,
          abi::Errno (*handler)(WasiState&, GuestMemory&, A...)) {
  imports.func(abi::kModule, name, [state, handler](Caller& caller, A... args) -> int32_t {
    GuestMemory memory(caller);
    return int32_t(handler(*state, memory, args...));
  });
}

}  // namespace

void Context::add_to(Imports& imports) const {
  namespace H = handlers;
  const State& s = state_;
  bind(imports, s, "args_get", &H::args_get);
  bind(imports, s, "args_sizes_get", &H::args_sizes_get);
  bind(imports, s, "environ_get", &H::environ_get);
  bind(imports, s, "environ_sizes_get", &H::environ_sizes_get);
  bind(imports, s, "clock_res_get", &H::clock_res_get);
  bind(imports, s, "clock_time_get", &H::clock_time_get);
  bind(imports, s, "fd_advise", &H::fd_advise);
  bind(imports, s, "fd_allocate", &H::fd_allocate);
  bind(imports, s, "fd_close", &H::fd_close);
  bind(imports, s, "fd_datasync", &H::fd_datasync);
  bind(imports, s, "fd_fdstat_get", &H::fd_fdstat_get);
  bind(imports, s, "fd_fdstat_set_flags", &H::fd_fdstat_set_flags);
  bind(imports, s, "fd_fdstat_set_rights", &H::fd_fdstat_set_rights);
  bind(imports, s, "fd_filestat_get", &H::fd_filestat_get);
  bind(imports, s, "fd_filestat_set_size", &H::fd_filestat_set_size);
  bind(imports, s, "fd_filestat_set_times", &H::fd_filestat_set_times);
  bind(imports, s, "fd_pread", &H::fd_pread);
  bind(imports, s, "fd_prestat_get", &H::fd_prestat_get);
  bind(imports, s, "fd_prestat_dir_name", &H::fd_prestat_dir_name);
  bind(imports, s, "fd_pwrite", &H::fd_pwrite);
  bind(imports, s, "fd_read", &H::fd_read);
  bind(imports, s, "fd_readdir", &H::fd_readdir);
  bind(imports, s, "fd_renumber", &H::fd_renumber);
  bind(imports, s, "fd_seek", &H::fd_seek);
  bind(imports, s, "fd_sync", &H::fd_sync);
  bind(imports, s, "fd_tell", &H::fd_tell);
  bind(imports, s, "fd_write", &H::fd_write);
  bind(imports, s, "path_create_directory", &H::path_create_directory);
  bind(imports, s, "path_filestat_get", &H::path_filestat_get);
  bind(imports, s, "path_filestat_set_times", &H::path_filestat_set_times);
  bind(imports, s, "path_link", &H::path_link);
  bind(imports, s, "path_open", &H::path_open);
  bind(imports, s, "path_readlink", &H::path_readlink);
  bind(imports, s, "path_remove_directory", &H::path_remove_directory);
  bind(imports, s, "path_rename", &H::path_rename);
  bind(imports, s, "path_symlink", &H::path_symlink);
  bind(imports, s, "path_unlink_file", &H::path_unlink_file);
  bind(imports, s, "poll_oneoff", &H::poll_oneoff);
  bind(imports, s, "proc_raise", &H::proc_raise);
  bind(imports, s, "sched_yield", &H::sched_yield);
  bind(imports, s, "random_get", &H::random_get);
  bind(imports, s, "sock_accept", &H::sock_accept);
  bind(imports, s, "sock_recv", &H::sock_recv);
  bind(imports, s, "sock_send", &H::sock_send);
  bind(imports, s, "sock_shutdown", &H::sock_shutdown);
  // The one function without a result.
  imports.func(abi::kModule, "proc_exit", [state = s](Caller& caller, uint32_t code) {
    GuestMemory memory(caller);
    handlers::proc_exit(*state, memory, code);
  });
}

}  // namespace kiln::wasi
