// WASI preview1 functions for wasm2c modules; see wasi_host.h.
#include "wasi_host.h"

#include <errno.h>
#include <setjmp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

// WASI errno values (preview1).
enum {
  WASI_ESUCCESS = 0,
  WASI_EBADF = 8,
  WASI_EFAULT = 21,
  WASI_EINVAL = 28,
  WASI_EIO = 29,
  WASI_ENOSYS = 52,
  WASI_ESPIPE = 70,
};

// WASI file types.
enum { FT_UNKNOWN = 0, FT_CHARACTER_DEVICE = 2, FT_DIRECTORY = 3, FT_REGULAR_FILE = 4 };

static sigjmp_buf* g_exit_target;
static uint32_t g_exit_code;

void wasi_host_set_exit_target(void* target) { g_exit_target = (sigjmp_buf*)target; }
uint32_t wasi_host_exit_code(void) { return g_exit_code; }

// Guest address range [ptr, ptr + len) as a host pointer, or NULL when it is
// not inside the memory.
static uint8_t* guest(WasiHost* w, uint32_t ptr, uint64_t len) {
  if (!w->memory || (uint64_t)ptr + len > w->memory->size) return NULL;
  return w->memory->data + ptr;
}

static int put_u32(WasiHost* w, uint32_t ptr, uint32_t v) {
  uint8_t* p = guest(w, ptr, 4);
  if (!p) return 0;
  memcpy(p, &v, 4);  // x86-64 and wasm are both little-endian
  return 1;
}

static int put_u64(WasiHost* w, uint32_t ptr, uint64_t v) {
  uint8_t* p = guest(w, ptr, 8);
  if (!p) return 0;
  memcpy(p, &v, 8);
  return 1;
}

static int stdio_open(WasiHost* w, uint32_t fd) { return fd < 3 && !w->fd_closed[fd]; }

uint32_t Z_wasi_snapshot_preview1Z_args_sizes_get(WasiHost* w, uint32_t argc_ptr, uint32_t size_ptr) {
  uint32_t bytes = 0;
  for (int i = 0; i < w->argc; ++i) bytes += (uint32_t)strlen(w->argv[i]) + 1;
  if (!put_u32(w, argc_ptr, (uint32_t)w->argc) || !put_u32(w, size_ptr, bytes)) return WASI_EFAULT;
  return WASI_ESUCCESS;
}

uint32_t Z_wasi_snapshot_preview1Z_args_get(WasiHost* w, uint32_t argv_ptr, uint32_t buf_ptr) {
  for (int i = 0; i < w->argc; ++i) {
    uint32_t len = (uint32_t)strlen(w->argv[i]) + 1;
    uint8_t* dst = guest(w, buf_ptr, len);
    if (!dst || !put_u32(w, argv_ptr + 4u * (uint32_t)i, buf_ptr)) return WASI_EFAULT;
    memcpy(dst, w->argv[i], len);
    buf_ptr += len;
  }
  return WASI_ESUCCESS;
}

// The guest gets an empty environment.
uint32_t Z_wasi_snapshot_preview1Z_environ_sizes_get(WasiHost* w, uint32_t count_ptr, uint32_t size_ptr) {
  if (!put_u32(w, count_ptr, 0) || !put_u32(w, size_ptr, 0)) return WASI_EFAULT;
  return WASI_ESUCCESS;
}

uint32_t Z_wasi_snapshot_preview1Z_environ_get(WasiHost* w, uint32_t environ_ptr, uint32_t buf_ptr) {
  (void)w, (void)environ_ptr, (void)buf_ptr;
  return WASI_ESUCCESS;
}

static int host_clock(uint32_t id, clockid_t* out) {
  switch (id) {
    case 0: *out = CLOCK_REALTIME; return 1;
    case 1: *out = CLOCK_MONOTONIC; return 1;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return 1;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return 1;
    default: return 0;
  }
}

uint32_t Z_wasi_snapshot_preview1Z_clock_time_get(WasiHost* w, uint32_t id, uint64_t precision, uint32_t time_ptr) {
  (void)precision;
  clockid_t clock;
  struct timespec ts;
  if (!host_clock(id, &clock)) return WASI_EINVAL;
  if (clock_gettime(clock, &ts) != 0) return WASI_EINVAL;
  if (!put_u64(w, time_ptr, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec)) return WASI_EFAULT;
  return WASI_ESUCCESS;
}

uint32_t Z_wasi_snapshot_preview1Z_clock_res_get(WasiHost* w, uint32_t id, uint32_t res_ptr) {
  clockid_t clock;
  struct timespec ts;
  if (!host_clock(id, &clock) || clock_getres(clock, &ts) != 0) return WASI_EINVAL;
  if (!put_u64(w, res_ptr, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec)) return WASI_EFAULT;
  return WASI_ESUCCESS;
}

// Reads an iovec array (pairs of uint32_t pointer, uint32_t length) and runs each
// buffer through write(2) / read(2) on the host fd of the same number.
static uint32_t transfer(WasiHost* w, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t done_ptr, int writing) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t* iov = guest(w, iovs + 8u * i, 8);
    if (!iov) return WASI_EFAULT;
    uint32_t ptr, len;
    memcpy(&ptr, iov, 4);
    memcpy(&len, iov + 4, 4);
    uint8_t* buf = guest(w, ptr, len);
    if (!buf) return WASI_EFAULT;
    uint32_t off = 0;
    while (off < len) {
      ssize_t n = writing ? write((int)fd, buf + off, len - off) : read((int)fd, buf + off, len - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return WASI_EIO;
      if (n == 0) break;  // end of input
      off += (uint32_t)n;
    }
    total += off;
    if (off < len) break;
  }
  if (!put_u32(w, done_ptr, (uint32_t)total)) return WASI_EFAULT;
  return WASI_ESUCCESS;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_write(WasiHost* w, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t written_ptr) {
  if (fd == 0 || !stdio_open(w, fd)) return WASI_EBADF;
  return transfer(w, fd, iovs, count, written_ptr, 1);
}

uint32_t Z_wasi_snapshot_preview1Z_fd_read(WasiHost* w, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t read_ptr) {
  if (fd != 0 || !stdio_open(w, fd)) return WASI_EBADF;
  return transfer(w, fd, iovs, count, read_ptr, 0);
}

// Closing a standard stream only hides it from the guest; the host keeps it.
uint32_t Z_wasi_snapshot_preview1Z_fd_close(WasiHost* w, uint32_t fd) {
  if (!stdio_open(w, fd)) return WASI_EBADF;
  w->fd_closed[fd] = 1;
  return WASI_ESUCCESS;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_seek(WasiHost* w, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t new_offset_ptr) {
  (void)offset, (void)whence, (void)new_offset_ptr;
  return stdio_open(w, fd) ? WASI_ESPIPE : WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(WasiHost* w, uint32_t fd, uint32_t stat_ptr) {
  if (!stdio_open(w, fd)) return WASI_EBADF;
  struct stat st;
  uint8_t type = FT_UNKNOWN;
  if (fstat((int)fd, &st) == 0) {
    if (S_ISCHR(st.st_mode)) type = FT_CHARACTER_DEVICE;
    else if (S_ISREG(st.st_mode)) type = FT_REGULAR_FILE;
    else if (S_ISDIR(st.st_mode)) type = FT_DIRECTORY;
  }
  // fdstat: u8 filetype, u16 flags at 2, uint64_t rights_base at 8, uint64_t rights_inheriting at 16.
  uint8_t* p = guest(w, stat_ptr, 24);
  if (!p) return WASI_EFAULT;
  memset(p, 0, 24);
  p[0] = type;
  uint64_t all_rights = ~(uint64_t)0;
  memcpy(p + 8, &all_rights, 8);
  memcpy(p + 16, &all_rights, 8);
  return WASI_ESUCCESS;
}

// No preopened directories: the first query already ends the scan.
uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_get(WasiHost* w, uint32_t fd, uint32_t prestat_ptr) {
  (void)w, (void)fd, (void)prestat_ptr;
  return WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(WasiHost* w, uint32_t fd, uint32_t path_ptr, uint32_t len) {
  (void)w, (void)fd, (void)path_ptr, (void)len;
  return WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_random_get(WasiHost* w, uint32_t buf_ptr, uint32_t len) {
  uint8_t* p = guest(w, buf_ptr, len);
  if (!p) return WASI_EFAULT;
  for (uint32_t off = 0; off < len;) {
    ssize_t n = getrandom(p + off, len - off, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return WASI_EIO;
    off += (uint32_t)n;
  }
  return WASI_ESUCCESS;
}

uint32_t Z_wasi_snapshot_preview1Z_sched_yield(WasiHost* w) {
  (void)w;
  return WASI_ESUCCESS;
}

void Z_wasi_snapshot_preview1Z_proc_exit(WasiHost* w, uint32_t code) {
  (void)w;
  g_exit_code = code;
  siglongjmp(*g_exit_target, 1);
}
