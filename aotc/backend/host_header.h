// The C++ header aotc writes for a host program (aotc --header): typed
// wrappers over a module's imports and exports, and for a static library the
// declaration of its descriptor.
#pragma once
#include <string>

#include "aotc/wasm/module.h"

namespace kiln::aotc {

struct HostHeaderOptions {
  std::string prefix;       // the C++ namespace, and the descriptor's symbol prefix
  std::string source_name;  // the input file, named in the header's first line
  bool linked = false;      // static library: declare the descriptor, add module()
};

/// The header's text: namespace `prefix` with `Imports` (a setter per import,
/// typed where the signature has only numbers), `Exports` (a method per
/// export over an instance), `instantiate`, and with `linked` `module()`.
/// C++ names come from the wasm names with every character that cannot be in
/// an identifier turned into '_'; keywords and repeats get a '_' or a number.
std::string host_header(const Module& module, const HostHeaderOptions& options);

/// True for a C or C++ keyword, which cannot name the header's namespace.
bool is_language_keyword(const std::string& name);

/// The C header's text, over include/kiln/c_api.h: `PREFIX_import_NAME`
/// per function import, `PREFIX_exports` with `_init`/`_release`, and
/// `PREFIX_NAME` per exported function (numbers and v128; reference types
/// are left to the C++ API), and with `linked` `PREFIX_module`.
std::string c_host_header(const Module& module, const HostHeaderOptions& options);

}  // namespace kiln::aotc
