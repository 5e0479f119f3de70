// Func: calling wasm and host functions from the host.
#include "kiln/function.h"
#include "loader/handle_access.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "kiln/caller.h"
#include "kiln/error.h"
#include "kiln/store.h"
#include "loader/platform/trap_state.h"
#include "loader/store_state.h"
#include "loader/value_access.h"
#include "loader/wasm_call.h"

namespace kiln {

namespace {

[[noreturn, gnu::cold, gnu::noinline]] void null_function() { throw Error("use of a null Func"); }

loader::FuncRecord& live(loader::FuncRecord* record) {
  if (!record) [[unlikely]] null_function();
  return *record;
}

const FuncType& type_of(const loader::FuncRecord& r) {
  if (r.host) return r.host->type;
  return r.instance->module->types[r.type_index];
}

// The errors of the call paths, out of line so that the checks stay cheap.
[[noreturn, gnu::cold, gnu::noinline]] void wrong_arg_count(size_t expected, size_t got) {
  throw Error("wrong number of arguments: expected " + std::to_string(expected) + ", got " + std::to_string(got));
}
[[noreturn, gnu::cold, gnu::noinline]] void wrong_arg_type(size_t i, ValType got, ValType expected) {
  throw Error("argument " + std::to_string(i) + " has type " + to_string(got) + ", expected " + to_string(expected));
}
[[noreturn, gnu::cold, gnu::noinline]] void wrong_result_type(size_t i, ValType got, ValType expected) {
  throw Error("host function returned " + std::string(to_string(got)) + " for result " + std::to_string(i) +
              ", expected " + to_string(expected));
}
[[noreturn, gnu::cold, gnu::noinline]] void wrong_result_room(size_t expected, size_t got) {
  throw Error("wrong number of results: expected " + std::to_string(expected) + ", got room for " +
              std::to_string(got));
}

[[noreturn, gnu::cold, gnu::noinline]] void overlapping_results() { throw Error("results overlap the arguments"); }

inline void check_args(const FuncType& type, std::span<const Value> args) {
  if (args.size() != type.params.size()) wrong_arg_count(type.params.size(), args.size());
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type() != type.params[i]) wrong_arg_type(i, args[i].type(), type.params[i]);
}

// Slots of most calls fit in place (16 bytes each).
constexpr size_t kInlineSlots = 8;

}  // namespace

Func Func::create(Store& store, const FuncType& type, HostCallback callback) {
  loader::HostFuncState* h = loader::HandleAccess::state(store)->add_host_func(type, std::move(callback)).or_throw();
  return loader::HandleAccess::make<Func>(loader::HandleAccess::state(store), &h->record);
}

FuncType Func::type() const { return type_of(live(record_)); }

bool Func::is_host() const { return live(record_).host != nullptr; }

namespace {

// A host function called from the host: straight to the callback, no wasm
// code in between.
[[gnu::noinline]] void call_host(loader::FuncRecord& r, loader::StoreState& store, const FuncType& type,
                                 std::span<const Value> args, std::span<Value> results) {
  for (size_t i = 0; i < results.size(); ++i) results[i] = Value::zero(type.results[i]);
  for (const Value& a : args)
    if (a.type() == ValType::FuncRef) loader::ref_to_wasm(a, store).or_throw();  // same-store check
  Caller caller = loader::HandleAccess::make<Caller>(&store, nullptr);
  r.host->callback(caller, args, results);
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].type() != type.results[i]) wrong_result_type(i, results[i].type(), type.results[i]);
}

// Func::call's work once the arguments are checked: `results` has the
// type's length and does not overlap `args`.
[[gnu::always_inline]] inline void invoke(loader::FuncRecord& r, loader::StoreState& store, const FuncType& type, std::span<const Value> args,
            std::span<Value> results) {
  if (r.host) {
    call_host(r, store, type, args, results);
    return;
  }
  loader::CallBuffer<abi::ValSlot, kInlineSlots> slots(std::max<size_t>({args.size(), results.size(), 1}));
  for (size_t i = 0; i < args.size(); ++i) loader::write_value(args[i], store, slots[i].bytes).or_throw();
  const abi::Descriptor& d = *r.instance->module->descriptor;
  loader::enter_wasm_trampoline(store, d.entry_trampoline(r.type_index), r.ref.code, r.ref.vmctx, slots.data());
  for (size_t i = 0; i < results.size(); ++i) loader::read_value(results[i], type.results[i], slots[i].bytes);
}

}  // namespace

std::vector<Value> Func::call(std::span<const Value> args) const {
  loader::FuncRecord& r = live(record_);
  const FuncType& type = type_of(r);
  check_args(type, args);
  std::vector<Value> results(type.results.size());
  invoke(r, *store_, type, args, results);
  return results;
}

void Func::call(std::span<const Value> args, std::span<Value> results) const {
  loader::FuncRecord& r = live(record_);
  const FuncType& type = type_of(r);
  check_args(type, args);
  if (results.size() != type.results.size()) wrong_result_room(type.results.size(), results.size());
  if (!results.empty() && !args.empty() && results.data() < args.data() + args.size() &&
      args.data() < results.data() + results.size()) [[unlikely]]
    overlapping_results();
  invoke(r, *store_, type, args, results);
}

namespace detail {
inline namespace KILN_CALL_ABI_NAMESPACE {

// What the typed entries assume (loader/platform/wasm_entry_layout.h).
static_assert(offsetof(NativeTarget, code) == KILN_NT_CODE);
static_assert(offsetof(NativeTarget, vmctx) == KILN_NT_VMCTX);
static_assert(offsetof(NativeTarget, entry) == KILN_NT_ENTRY);

NativeTarget native_target(const Func& f) {
  loader::FuncRecord& r = live(loader::HandleAccess::record(f));
  if (r.host) return {};
  return {r.ref.code, r.ref.vmctx, &loader::HandleAccess::store_state(f)->entry};
}

void throw_last_trap() {
  loader::ThreadTrapState& t = loader::t_trap_state;
  if (abi::VMStoreContext* vm = std::exchange(t.exception_vm, nullptr)) {
    // Not a trap: the call returned with a pending exception, whose tag
    // knows the store.
    auto* tag = static_cast<const loader::TagState*>(vm->pending_exception->tag);
    throw loader::take_pending_exception(*tag->store);
  }
  loader::after_landing();
  loader::throw_abnormal_exit();
}

}  // inline namespace KILN_CALL_ABI_NAMESPACE
}  // namespace detail

}  // namespace kiln
