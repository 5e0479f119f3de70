// Handles to an instance's functions, tables, memories and globals by index.
#pragma once
#include <memory>

#include "kiln/extern.h"
#include "loader/store_state.h"

namespace kiln::loader {

/// The extern at `index` of `kind`'s index space of `instance` (imports first).
Extern instance_extern(const std::shared_ptr<StoreState>& store, const InstanceState& instance,
                       ExternKind kind, uint32_t index);

}  // namespace kiln::loader
