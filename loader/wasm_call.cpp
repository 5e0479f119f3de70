// Entering wasm code from the host.
#include "loader/wasm_call.h"

#include <atomic>

#include "loader/module_state.h"
#include "loader/store_state.h"

namespace kiln::loader {

namespace {
// Stack kept free below the wasm stack limit for host functions called from
// wasm and for the runtime's own frames.
constexpr size_t kHostStackReserve = 128 * 1024;
}  // namespace

void enter_wasm(StoreState& store, void (*thunk)(void*), void* data) {
  // call_guarded and stack_limit_for_current_thread set up the thread (and
  // the process's handlers) on first use; afterwards neither makes a call.
  if (store.depth == 0) {
    std::atomic_ref<uint64_t>(store.vm.interrupt).store(0, std::memory_order_relaxed);
    store.vm.stack_limit = stack_limit_for_current_thread(store.config.stack_budget, kHostStackReserve);
  }
  ++store.depth;
  TrapInfo info;
  bool returned = call_guarded(thunk, data, info);
  --store.depth;
  if (returned) return;
  if (info.host_exception) std::rethrow_exception(info.host_exception);
  throw make_trap(info);
}

Trap make_trap(const TrapInfo& info) {
  std::vector<kiln::TrapFrame> trace;
  for (int i = 0; i < info.frame_count && i < TrapInfo::kMaxFrames; ++i) {
    const loader::TrapFrame& f = info.frames[i];
    // The owner token is the ModuleState registered with the code; the module
    // is alive, since one of its functions was running.
    auto* module = static_cast<const ModuleState*>(f.owner);
    kiln::TrapFrame frame;
    frame.func_index = f.func_index + (module ? module->imported_funcs : 0);
    frame.func_name = f.func_name ? f.func_name : "";
    frame.offset = f.offset;
    frame.module = module ? module->path : "";
    trace.push_back(std::move(frame));
  }
  uint8_t code = uint8_t(info.code);
  if (code == 0 || code > abi::kMaxTrapCode) code = uint8_t(abi::TrapCode::HostError);
  return Trap(TrapKind(code), std::move(trace));
}

}  // namespace kiln::loader
