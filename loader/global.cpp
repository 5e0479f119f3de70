// Globals: creation and host access.
#include "kiln/global.h"
#include "loader/handle_access.h"

#include <cstring>

#include "kiln/error.h"
#include "kiln/store.h"
#include "loader/store_state.h"
#include "loader/value_access.h"

namespace kiln {

std::string GlobalType::to_string() const {
  std::string t = kiln::to_string(type);
  return is_mutable ? "global (mut " + t + ")" : "global " + t;
}

namespace {
loader::GlobalState& live(loader::GlobalState* state) {
  if (!state) throw Error("use of a null Global");
  return *state;
}
void check_type(const GlobalType& type, const Value& v) {
  if (v.type() != type.type)
    throw Error(std::string("global has type ") + to_string(type.type) + ", value is " + to_string(v.type()));
}
}  // namespace

Global Global::create(Store& store, const GlobalType& type, const Value& value) {
  check_type(type, value);
  loader::StoreState& s = *loader::HandleAccess::state(store);
  uint8_t bytes[16] = {};
  loader::value_to_wasm(value, s, bytes).or_throw();
  loader::GlobalState* g = s.add_global(type);
  std::memcpy(g->value.bytes, bytes, sizeof bytes);
  return loader::HandleAccess::make<Global>(loader::HandleAccess::state(store), g);
}

GlobalType Global::type() const { return live(state_).type; }

Value Global::get() const {
  loader::GlobalState& g = live(state_);
  return loader::value_from_wasm(g.type.type, g.value.bytes);
}

void Global::set(const Value& value) {
  loader::GlobalState& g = live(state_);
  if (!g.type.is_mutable) throw Error("cannot set an immutable global");
  check_type(g.type, value);
  loader::value_to_wasm(value, *g.store, g.value.bytes).or_throw();
}

}  // namespace kiln

namespace kiln::loader {

GlobalState* StoreState::add_global(const GlobalType& type) {
  auto g = std::make_unique<GlobalState>();
  g->type = type;
  g->store = this;
  globals.push_back(std::move(g));
  return globals.back().get();
}

}  // namespace kiln::loader
