// Entering wasm code from the host.
#include "loader/wasm_call.h"

#include "loader/module_state.h"
#include "loader/store_state.h"

namespace kiln::loader {

void throw_abnormal_exit() {
  if (std::exception_ptr error = take_host_exception()) std::rethrow_exception(std::move(error));
  throw make_trap(last_trap());
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
