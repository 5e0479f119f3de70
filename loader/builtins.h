// The runtime helpers generated code calls (abi::Builtins), and the segment
// operations instantiation shares with them.
#pragma once
#include <cstdint>

#include "abi/trap_codes.h"
#include "abi/vm_context.h"

namespace kiln::loader {

class InstanceState;

/// The one Builtins table every VMContext points to.
const abi::Builtins* builtins();

/// table.init / memory.init with the spec's bounds checks: TrapCode::None on
/// success, else the trap (and nothing was written).
abi::TrapCode table_init(InstanceState& instance, uint32_t table, uint32_t segment, uint32_t dst,
                         uint32_t src, uint32_t len);
abi::TrapCode memory_init(InstanceState& instance, uint32_t memory, uint32_t segment, uint64_t dst,
                          uint64_t src, uint64_t len);
void elem_drop(InstanceState& instance, uint32_t segment);
void data_drop(InstanceState& instance, uint32_t segment);

}  // namespace kiln::loader
