// Host functions: creation, binding to a module's host adapter (or to the
// function's direct entry), the callback through which generated code enters
// them, and what they see of their Caller.
#include <algorithm>
#include <exception>

#include "kiln/caller.h"
#include "loader/handle_access.h"
#include "kiln/error.h"
#include "loader/platform/trap_handling.h"
#include "loader/platform/wasm_entry.h"
#include "loader/store_state.h"
#include "loader/type_registry.h"
#include "loader/value_access.h"

namespace kiln::loader {

namespace {

// Values of most host calls fit in place.
constexpr size_t kInlineValues = 4;

[[noreturn]] void wrong_result(ValType got, size_t i, ValType expected) {
  throw Error("host function returned " + std::string(to_string(got)) + " for result " + std::to_string(i) +
              ", expected " + to_string(expected));
}

/// Everything a host call does that may create C++ objects or throw; any
/// exception comes back as the return value, with every object destroyed.
std::exception_ptr run_host_callback(HostFuncState& host, abi::VMContext* caller_vmctx,
                                     abi::ValSlot* slots) noexcept {
  try {
    StoreState& store = *host.record.store;
    const FuncType& type = host.type;
    CallBuffer<Value, kInlineValues> args(type.params.size());
    for (size_t i = 0; i < args.size(); ++i) read_value(args[i], type.params[i], slots[i].bytes);
    CallBuffer<Value, kInlineValues> results(type.results.size());
    for (size_t i = 0; i < results.size(); ++i) results[i] = Value::zero(type.results[i]);

    // Handles to the store and the calling instance only if the body asks.
    Caller caller = loader::HandleAccess::make<Caller>(&store, caller_vmctx ? InstanceState::from(caller_vmctx) : nullptr);
    host.callback(caller, args.span(), results.span());

    for (size_t i = 0; i < results.size(); ++i)
      if (results[i].type() != type.results[i]) wrong_result(results[i].type(), i, type.results[i]);
    // Convert all results before writing any: the slots still hold arguments.
    CallBuffer<abi::ValSlot, kInlineValues> out(results.size());
    // A failure goes back to the host that called into wasm, as the exception
    // of any host function would.
    for (size_t i = 0; i < results.size(); ++i) write_value(results[i], store, out[i].bytes).or_throw();
    std::copy_n(out.data(), out.size(), slots);
    return nullptr;
  } catch (const Exception& e) {
    // A wasm exception: pending for the wasm caller, which handles it.
    if (Status s = pend_host_exception(*host.record.store, e); !s) return std::make_exception_ptr(Error(s.error()));
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

// Sets up `h`'s direct entry when its callback has one for its type: wasm
// code then calls it without an adapter.
static_assert(offsetof(HostContext, direct_code) == KILN_HC_DIRECT_CODE);

void bind_direct_entry(HostFuncState& h) {
  const HostCallback::DirectEntry* direct = h.callback.direct_entry();
  if (!direct || direct->type() != h.type) return;
  // The thunk moves integer arguments up one register: a fifth would have
  // to go to the stack. Such functions take the adapter instead.
  size_t integers = 0;
  for (ValType p : h.type.params) integers += p != ValType::F32 && p != ValType::F64;
  if (integers > 4) return;
  void* data = direct->target(h.callback.body());
  if (!data) return;
  h.context.direct_data = data;
  h.context.direct_code = direct->code;
  h.record.ref.code = reinterpret_cast<void*>(&kiln_direct_host_thunk);
}

}  // namespace

Result<HostFuncState*> StoreState::add_host_func(const FuncType& type, HostCallback callback) {
  if (!callback) return fail("host function without a body");
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
  bind_direct_entry(*h);
  if (!h->record.ref.code) unbound_host_funcs.push_back(h.get());
  host_funcs.push_back(std::move(h));
  return host_funcs.back().get();
}

void bind_host_adapter(HostFuncState& host, const std::shared_ptr<ModuleState>& module, uint32_t type_index) {
  if (host.record.ref.code) return;
  host.record.ref.code = module->descriptor->host_adapter(type_index);
  host.adapter_module = module;
}

void bind_host_adapter_from_store(HostFuncState& host, StoreState& store) {
  if (host.record.ref.code) return;
  for (const auto& instance : store.instances) {
    const ModuleState& m = *instance->module;
    for (uint32_t t = 0; t < m.type_ids.size(); ++t) {
      if (m.type_ids[t] != host.record.ref.type_id) continue;
      bind_host_adapter(host, instance->module, t);
      return;
    }
  }
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

namespace kiln {

Store& Caller::store() {
  if (!store_) store_ = loader::HandleAccess::make<Store>(store_state_->shared_from_this());
  return *store_;
}

const Instance& Caller::instance() const {
  if (!instance_) {
    if (instance_state_) instance_ = loader::HandleAccess::make<Instance>(store_state_->shared_from_this(), instance_state_);
    else instance_.emplace();
  }
  return *instance_;
}

namespace detail {
inline namespace KILN_CALL_ABI_NAMESPACE {

Caller make_caller(void* host_context, void* caller_vmctx) {
  auto* context = static_cast<loader::HostContext*>(host_context);
  auto* vmctx = static_cast<abi::VMContext*>(caller_vmctx);
  return loader::HandleAccess::make<Caller>(context->host->record.store, vmctx ? loader::InstanceState::from(vmctx) : nullptr);
}

void raise_host_exception(std::exception_ptr exception) { loader::raise_host_exception(std::move(exception)); }

bool pend_wasm_exception(std::exception_ptr& exception, void* host_context) {
  auto* context = static_cast<loader::HostContext*>(host_context);
  try {
    std::rethrow_exception(exception);
  } catch (const Exception& e) {
    loader::Status s = loader::pend_host_exception(*context->host->record.store, e);
    if (!s) {
      exception = std::make_exception_ptr(Error(s.error()));
      return false;
    }
    exception = nullptr;
    return true;
  } catch (...) {
    return false;
  }
}

}  // inline namespace KILN_CALL_ABI_NAMESPACE
}  // namespace detail

}  // namespace kiln
