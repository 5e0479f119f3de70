// libkiln's public API: load Kiln artifacts, instantiate and run them.
#pragma once
#include "kiln/caller.h"
#include "kiln/error.h"
#include "kiln/exception.h"
#include "kiln/extern.h"
#include "kiln/function.h"
#include "kiln/global.h"
#include "kiln/host_callable.h"
#include "kiln/imports.h"
#include "kiln/instance.h"
#include "kiln/limits.h"
#include "kiln/memory.h"
#include "kiln/module.h"
#include "kiln/profiling.h"
#include "kiln/store.h"
#include "kiln/table.h"
#include "kiln/tag.h"
#include "kiln/value.h"

namespace kiln {
/// Version of libkiln.
const char* version();
}  // namespace kiln
