// Per-type glue between the generic slot convention and the wasm one.
#pragma once
#include "aotc/codegen/module_context.h"

namespace kiln::aotc {

/// Emits kiln_entry_t<T> (host -> wasm through ValSlots) and kiln_host_t<T>
/// (wasm -> host callback) for every type index.
void generate_trampolines(ModuleContext& module);

}  // namespace kiln::aotc
