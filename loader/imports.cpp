// The Imports builder.
#include "kiln/imports.h"

#include "kiln/error.h"
#include "kiln/instance.h"

namespace kiln {

Imports& Imports::func(std::string module, std::string name, FuncType type, HostCallback callback) {
  if (!callback) throw Error("import " + module + "." + name + ": host function without a body");
  entries_.insert_or_assign({std::move(module), std::move(name)}, HostFunc{std::move(type), std::move(callback)});
  return *this;
}

Imports& Imports::define(std::string module, std::string name, Extern value) {
  entries_.insert_or_assign({std::move(module), std::move(name)}, std::move(value));
  return *this;
}

Imports& Imports::define_instance(std::string module, const Instance& instance) {
  for (InstanceExport& e : instance.exports()) define(module, std::move(e.name), std::move(e.value));
  return *this;
}

const Imports::Entry* Imports::find(const std::string& module, const std::string& name) const {
  auto it = entries_.find(std::make_pair(module, name));
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace kiln
