// Host functions: creation, binding to a module's host adapter, and the
// callback through which generated code enters them.
#include <exception>

#include "kiln/caller.h"
#include "kiln/error.h"
#include "loader/platform/trap_handling.h"
#include "loader/store_state.h"
#include "loader/type_registry.h"
#include "loader/value_access.h"

namespace kiln::loader {

namespace {

/// Everything a host call does that may create C++ objects or throw; any
/// exception comes back as the return value, with every object destroyed.
std::exception_ptr run_host_callback(HostFuncState& host, abi::VMContext* caller_vmctx,
                                     abi::ValSlot* slots) noexcept {
  try {
    StoreState& store = *host.record.store;
    const FuncType& type = host.type;
    std::vector<Value> args;
    args.reserve(type.params.size());
    for (size_t i = 0; i < type.params.size(); ++i)
      args.push_back(value_from_wasm(type.params[i], slots[i].bytes));
    std::vector<Value> results;
    results.reserve(type.results.size());
    for (ValType t : type.results) results.push_back(Value::zero(t));

    std::shared_ptr<StoreState> store_ref = store.shared_from_this();
    InstanceState* caller_instance = caller_vmctx ? InstanceState::from(caller_vmctx) : nullptr;
    Caller caller(Store(store_ref), caller_instance ? Instance(store_ref, caller_instance) : Instance());
    host.callback(caller, args, results);

    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].type() != type.results[i])
        throw Error("host function returned " + std::string(to_string(results[i].type())) + " for result " +
                    std::to_string(i) + ", expected " + to_string(type.results[i]));
    }
    // Convert all results before writing any: the slots still hold arguments.
    std::vector<abi::ValSlot> out(results.size());
    for (size_t i = 0; i < results.size(); ++i) value_to_wasm(results[i], store, out[i].bytes);
    for (size_t i = 0; i < out.size(); ++i) slots[i] = out[i];
    return nullptr;
  } catch (...) {
    return std::current_exception();
  }
}

/// VMHostContext::callback of every host function. Owns no objects when it
/// raises, since raising abandons this frame.
void host_entry(abi::VMHostContext* self, abi::VMContext* caller, abi::ValSlot* args_results) {
  std::exception_ptr error = run_host_callback(*reinterpret_cast<HostContext*>(self)->host, caller, args_results);
  if (error) raise_host_exception(std::move(error));  // leaves `error` null: nothing to destroy
}

}  // namespace

HostFuncState* StoreState::add_host_func(const FuncType& type, HostCallback callback) {
  if (!callback) throw Error("host function without a body");
  auto h = std::make_unique<HostFuncState>();
  h->context.header.callback = &host_entry;
  h->context.host = h.get();
  h->type = type;
  h->callback = std::move(callback);
  // Bound to an adapter when a module imports it or a module with its type
  // is instantiated in the store.
  h->record.ref.code = nullptr;
  h->record.ref.vmctx = reinterpret_cast<abi::VMContext*>(&h->context.header);
  h->record.ref.type_id = canonical_type_id(type);
  h->record.store = this;
  h->record.host = h.get();
  unbound_host_funcs.push_back(h.get());
  host_funcs.push_back(std::move(h));
  return host_funcs.back().get();
}

void bind_host_adapter(HostFuncState& host, const std::shared_ptr<ModuleState>& module, uint32_t type_index) {
  if (host.record.ref.code) return;
  host.record.ref.code = module->descriptor->host_adapters[type_index];
  host.adapter_module = module;
}

bool bind_host_adapter_from_store(HostFuncState& host, StoreState& store) {
  if (host.record.ref.code) return true;
  for (const auto& instance : store.instances) {
    const ModuleState& m = *instance->module;
    for (uint32_t t = 0; t < m.type_ids.size(); ++t) {
      if (m.type_ids[t] != host.record.ref.type_id) continue;
      bind_host_adapter(host, instance->module, t);
      return true;
    }
  }
  return false;
}

void bind_host_adapters_for(StoreState& store, const std::shared_ptr<ModuleState>& module) {
  std::vector<HostFuncState*>& pending = store.unbound_host_funcs;
  for (HostFuncState* host : pending) {
    if (host->record.ref.code) continue;
    for (uint32_t t = 0; t < module->type_ids.size(); ++t) {
      if (module->type_ids[t] != host->record.ref.type_id) continue;
      bind_host_adapter(*host, module, t);
      break;
    }
  }
  std::erase_if(pending, [](HostFuncState* h) { return h->record.ref.code != nullptr; });
}

}  // namespace kiln::loader
