// The `spectest` module the scripts import from: print functions, four
// globals, a table and a memory.
#pragma once
#include <string>

#include <kiln/imports.h>
#include <kiln/store.h>

namespace kiln::spec {

/// Defines spectest's exports in `imports`, creating the globals, table and
/// memory in `store`. The print functions append their arguments to `*log`
/// when it is not null (the runner prints it with the script's result, so
/// output stays in order), and do nothing otherwise.
void define_spectest(kiln::Store& store, kiln::Imports& imports, std::string* log);

}  // namespace kiln::spec
