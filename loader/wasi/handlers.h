// The wasi_snapshot_preview1 functions, one C++ function each, with the wasm
// signature spelled out: uint32_t for i32, uint64_t for i64. Each returns
// the WASI errno (proc_exit throws kiln::wasi::Exit instead). Pointers are
// guest addresses checked through GuestMemory.
#pragma once
#include <cstdint>

#include "loader/wasi/guest_memory.h"
#include "loader/wasi/wasi_abi.h"
#include "loader/wasi/wasi_state.h"

namespace kiln::wasi::handlers {

using S = WasiState;
using M = GuestMemory;
using E = abi::Errno;

// args_env.cpp
E args_get(S&, M&, uint32_t argv, uint32_t argv_buf);
E args_sizes_get(S&, M&, uint32_t argc_out, uint32_t buf_size_out);
E environ_get(S&, M&, uint32_t environ, uint32_t environ_buf);
E environ_sizes_get(S&, M&, uint32_t count_out, uint32_t buf_size_out);

// clocks_random.cpp
E clock_res_get(S&, M&, uint32_t id, uint32_t res_out);
E clock_time_get(S&, M&, uint32_t id, uint64_t precision, uint32_t time_out);
E random_get(S&, M&, uint32_t buf, uint32_t len);

// process.cpp
[[noreturn]] void proc_exit(S&, M&, uint32_t code);
E proc_raise(S&, M&, uint32_t signal);
E sched_yield(S&, M&);

// fd_io.cpp: reading, writing, seeking
E fd_read(S&, M&, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_out);
E fd_write(S&, M&, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_out);
E fd_pread(S&, M&, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset, uint32_t nread_out);
E fd_pwrite(S&, M&, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
            uint32_t nwritten_out);
E fd_seek(S&, M&, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset_out);
E fd_tell(S&, M&, uint32_t fd, uint32_t offset_out);

// fd_meta.cpp: descriptor and file metadata
E fd_advise(S&, M&, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
E fd_allocate(S&, M&, uint32_t fd, uint64_t offset, uint64_t len);
E fd_close(S&, M&, uint32_t fd);
E fd_datasync(S&, M&, uint32_t fd);
E fd_sync(S&, M&, uint32_t fd);
E fd_fdstat_get(S&, M&, uint32_t fd, uint32_t stat_out);
E fd_fdstat_set_flags(S&, M&, uint32_t fd, uint32_t flags);
E fd_fdstat_set_rights(S&, M&, uint32_t fd, uint64_t base, uint64_t inheriting);
E fd_filestat_get(S&, M&, uint32_t fd, uint32_t stat_out);
E fd_filestat_set_size(S&, M&, uint32_t fd, uint64_t size);
E fd_filestat_set_times(S&, M&, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags);
E fd_renumber(S&, M&, uint32_t fd, uint32_t to);

// fd_dir.cpp: preopens and directory listing
E fd_prestat_get(S&, M&, uint32_t fd, uint32_t prestat_out);
E fd_prestat_dir_name(S&, M&, uint32_t fd, uint32_t path, uint32_t path_len);
E fd_readdir(S&, M&, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
             uint32_t bufused_out);

// path_open.cpp
E path_open(S&, M&, uint32_t dirfd, uint32_t dirflags, uint32_t path, uint32_t path_len,
            uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
            uint32_t fd_out);

// path_ops.cpp: everything else on paths
E path_create_directory(S&, M&, uint32_t fd, uint32_t path, uint32_t path_len);
E path_filestat_get(S&, M&, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                    uint32_t stat_out);
E path_filestat_set_times(S&, M&, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                          uint64_t atim, uint64_t mtim, uint32_t fst_flags);
E path_link(S&, M&, uint32_t old_fd, uint32_t old_flags, uint32_t old_path, uint32_t old_len,
            uint32_t new_fd, uint32_t new_path, uint32_t new_len);
E path_readlink(S&, M&, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                uint32_t buf_len, uint32_t bufused_out);
E path_remove_directory(S&, M&, uint32_t fd, uint32_t path, uint32_t path_len);
E path_rename(S&, M&, uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd,
              uint32_t new_path, uint32_t new_len);
E path_symlink(S&, M&, uint32_t old_path, uint32_t old_len, uint32_t fd, uint32_t new_path,
               uint32_t new_len);
E path_unlink_file(S&, M&, uint32_t fd, uint32_t path, uint32_t path_len);

// poll.cpp
E poll_oneoff(S&, M&, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents_out);

// sockets.cpp: no socket support; every call answers notsup (badf for an unknown fd)
E sock_accept(S&, M&, uint32_t fd, uint32_t flags, uint32_t fd_out);
E sock_recv(S&, M&, uint32_t fd, uint32_t ri_data, uint32_t ri_data_len, uint32_t ri_flags,
            uint32_t ro_datalen_out, uint32_t ro_flags_out);
E sock_send(S&, M&, uint32_t fd, uint32_t si_data, uint32_t si_data_len, uint32_t si_flags,
            uint32_t so_datalen_out);
E sock_shutdown(S&, M&, uint32_t fd, uint32_t how);

}  // namespace kiln::wasi::handlers
