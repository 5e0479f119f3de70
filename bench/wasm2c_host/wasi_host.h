// A minimal WASI preview1 host for wasm2c output (wabt 1.0.32 naming): what
// the benchmark kernels import, plus stubs that answer with proper errnos.
// Not a sandbox: it is there to measure wasm2c-generated code.
#pragma once
#include <stdint.h>

#include "wasm-rt.h"

// wasm2c declares imports taking a pointer to this struct; its content is ours.
struct Z_wasi_snapshot_preview1_instance_t {
  wasm_rt_memory_t* memory;  // the guest's exported "memory", set after instantiation
  int argc;
  char** argv;               // guest argv (program name first)
  uint8_t fd_closed[3];      // guest closed its stdin / stdout / stderr
};
typedef struct Z_wasi_snapshot_preview1_instance_t WasiHost;

// proc_exit unwinds to the host's main through this.
void wasi_host_set_exit_target(void* sigjmp_buf_ptr);
uint32_t wasi_host_exit_code(void);
