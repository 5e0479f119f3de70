// Module::linked: modules that aotc --emit=static put into the program
// itself. The descriptor is checked like a loaded file's, less what only a
// file has (ELF headers, the file's hash, the dynamic loader's view), and
// registered once for the life of the process: its code is never unmapped,
// so nothing ever has to leave the registry.
#include <map>
#include <mutex>
#include <string>

#include "kiln/module.h"
#include "loader/module_state.h"
#include "loader/platform/artifact_file.h"

namespace kiln::loader {

namespace {

std::mutex linked_mutex;
// Never erased: see above. Keyed by descriptor, so that one module is
// registered once however often it is asked for.
std::map<const abi::Descriptor*, std::shared_ptr<ModuleState>>& linked_modules() {
  static auto* modules = new std::map<const abi::Descriptor*, std::shared_ptr<ModuleState>>();
  return *modules;
}

}  // namespace

Result<std::shared_ptr<ModuleState>> linked_module_state(const abi::Descriptor& d, std::string_view name) {
  std::lock_guard<std::mutex> lock(linked_mutex);
  auto& modules = linked_modules();
  if (auto found = modules.find(&d); found != modules.end()) return found->second;

  const std::string where = std::string(name) + " (linked)";
  Status header = check_descriptor_identity(d);
  if (header) header = check_descriptor_header(d);
  if (!header) return std::move(header).failure().within(where);
  // Only the descriptor's own bounds are known here: the linker put its
  // code and data where it liked.
  DescriptorBounds unbounded;
  unbounded.data_size = UINT64_MAX;
  unbounded.code_begin = INT64_MIN;
  unbounded.code_end = INT64_MAX;
  Status sound = check_descriptor(d, unbounded);
  if (!sound) return std::move(sound).failure().within(where + ": bad descriptor");

  auto state = std::make_shared<ModuleState>();
  state->path = std::string(name);
  state->descriptor = &d;
  decode_descriptor(*state);
  state->code = std::make_unique<RegisteredCode>(nullptr, &d, state.get());
  modules.emplace(&d, state);
  return state;
}

}  // namespace kiln::loader

namespace kiln {

Module Module::linked(const LinkedDescriptor& descriptor, std::string_view name) {
  return Module(
      loader::linked_module_state(*reinterpret_cast<const abi::Descriptor*>(&descriptor), name).or_throw());
}

}  // namespace kiln
