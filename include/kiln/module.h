// Modules: loaded Kiln artifacts, ready to be instantiated.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiln/extern.h"

namespace kiln {

namespace loader {
struct HandleAccess;
class ModuleState;
}

/// One import of a module.
struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

/// One export of a module.
struct ExportType {
  std::string name;
  ExternType type;
};

/// The descriptor of a module linked into this program by
/// `aotc --emit=static`: an opaque type, declared (never defined) by the
/// header aotc writes beside the library, as `NAME_kiln_descriptor`.
struct LinkedDescriptor;

/// A compiled artifact (a .so written by aotc), loaded and registered. A
/// Module is a shared handle: copies refer to the same loaded code, which
/// stays mapped while any copy or any instance of it exists. Modules do not
/// belong to a store and may be instantiated in several stores, from several
/// threads.
class Module {
 public:
  /// Checks the file (ELF, ABI version, target, CPU features), maps it,
  /// validates its descriptor and registers its code for trap handling.
  /// Throws kiln::Error naming the file and the problem.
  static Module load(const std::string& path);

  /// A module linked into this program (aotc --emit=static), from the
  /// descriptor its generated header declares; `name` names it in messages
  /// and is its name(). Checks what a file load checks that still applies
  /// (ABI version, target, CPU features, every offset and index of the
  /// descriptor; not the artifact hash, which covers a file there is none of
  /// here) and registers its code for trap handling. The first call for a
  /// descriptor does this; later calls return the same module, whose code
  /// stays registered for the life of the process. Throws kiln::Error naming
  /// `name` and the problem.
  static Module linked(const LinkedDescriptor& descriptor, std::string_view name);

  /// The module's name: the path it was loaded from, or the name given to linked().
  const std::string& name() const;
  /// Imports and exports with their types, in declaration order.
  const std::vector<ImportType>& imports() const;
  const std::vector<ExportType>& exports() const;

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a handle to a loaded module's state.
  explicit Module(std::shared_ptr<loader::ModuleState> state) : state_(std::move(state)) {}
  const std::shared_ptr<loader::ModuleState>& state() const { return state_; }
  std::shared_ptr<loader::ModuleState> state_;
};

}  // namespace kiln
