// Runs a wasm32-wasi command translated by `wasm2c -n kernel`: instantiates
// it with our WASI host and calls _start. Exit status: the guest's, 134
// after a trap.
#include <setjmp.h>
#include <stdio.h>

#include "kernel.h"
#include "wasm-rt-impl.h"
#include "wasi_host.h"

int main(int argc, char** argv) {
  WasiHost wasi = {0};
  wasi.argc = argc;
  wasi.argv = argv;
  static Z_kernel_instance_t instance;
  wasm_rt_init();
  Z_kernel_init_module();
  Z_kernel_instantiate(&instance, &wasi);
  wasi.memory = Z_kernelZ_memory(&instance);

  sigjmp_buf exit_target;
  uint32_t status = 0;
  if (sigsetjmp(exit_target, 1) == 0) {
    wasi_host_set_exit_target(&exit_target);
    wasm_rt_trap_t trap = (wasm_rt_trap_t)wasm_rt_impl_try();
    if (trap != WASM_RT_TRAP_NONE) {
      fprintf(stderr, "error: wasm trap: %s\n", wasm_rt_strerror(trap));
      return 134;
    }
    Z_kernelZ__start(&instance);
  } else {
    status = wasi_host_exit_code();
  }
  Z_kernel_free(&instance);
  wasm_rt_free();
  return (int)status;
}
