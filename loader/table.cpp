// Tables: creation, growth and host access.
#include "kiln/table.h"
#include "loader/handle_access.h"

#include <algorithm>

#include "kiln/error.h"
#include "kiln/store.h"
#include "loader/store_state.h"
#include "loader/value_access.h"

namespace kiln {

std::string TableType::to_string() const {
  return "table " + limits.to_string() + " " + kiln::to_string(elem_type);
}

namespace {
loader::TableState& live(loader::TableState* state) {
  if (!state) throw Error("use of a null Table");
  return *state;
}
void check_elem(const loader::TableState& t, const Value& v) {
  if (v.type() != t.elem_type)
    throw Error(std::string("table element type is ") + to_string(t.elem_type) + ", value is " +
                to_string(v.type()));
}
void check_index(const loader::TableState& t, uint32_t index) {
  if (index >= t.vm.size)
    throw Error("table index " + std::to_string(index) + " out of bounds (size " +
                std::to_string(t.vm.size) + ")");
}
}  // namespace

Table Table::create(Store& store, const TableType& type, const Value& init) {
  const Limits& l = type.limits;
  if (!is_ref(type.elem_type) || l.min > UINT32_MAX || (l.max && (*l.max < l.min || *l.max > UINT32_MAX)))
    throw Error("invalid table type: " + type.to_string());
  if (init.type() != type.elem_type)
    throw Error(std::string("table init value is ") + to_string(init.type()) + ", expected " +
                to_string(type.elem_type));
  loader::StoreState& s = *loader::HandleAccess::state(store);
  void* ref = loader::ref_to_wasm(init, s).or_throw();
  loader::TableState* t = s.add_table(type.elem_type, l.min, l.max, ref).or_throw();
  return loader::HandleAccess::make<Table>(loader::HandleAccess::state(store), t);
}

TableType Table::type() const {
  loader::TableState& t = live(state_);
  return TableType{t.elem_type, Limits{t.vm.size, t.declared_max}};
}

uint32_t Table::size() const { return live(state_).vm.size; }

Value Table::get(uint32_t index) const {
  loader::TableState& t = live(state_);
  check_index(t, index);
  return loader::ref_from_wasm(t.elem_type, t.elements[index].ref);
}

void Table::set(uint32_t index, const Value& value) {
  loader::TableState& t = live(state_);
  check_index(t, index);
  check_elem(t, value);
  t.elements[index] = t.element(loader::ref_to_wasm(value, *t.store).or_throw());
}

int64_t Table::grow(uint32_t delta, const Value& init) {
  loader::TableState& t = live(state_);
  check_elem(t, init);
  return loader::grow_table(t, delta, loader::ref_to_wasm(init, *t.store).or_throw());
}

}  // namespace kiln

namespace kiln::loader {

Result<TableState*> StoreState::add_table(ValType elem_type, uint64_t min, std::optional<uint64_t> declared_max,
                                          void* init) {
  if (min > max_table_elements())
    return fail("table of " + std::to_string(min) + " elements exceeds the store's limit of " +
                std::to_string(max_table_elements()) + " elements");
  auto t = std::make_unique<TableState>();
  t->elem_type = elem_type;
  try {
    t->elements.assign(min, t->element(init));
  } catch (const std::exception&) {
    return fail("out of memory for a table of " + std::to_string(min) + " elements");
  }
  t->declared_max = declared_max;
  t->store = this;
  t->vm.elements = t->elements.data();
  t->vm.size = uint32_t(min);
  t->vm.max = uint32_t(std::min<uint64_t>(declared_max.value_or(UINT32_MAX), UINT32_MAX));
  tables.push_back(std::move(t));
  return tables.back().get();
}

int64_t grow_table(TableState& t, uint64_t delta, void* init) noexcept {
  uint64_t old_size = t.vm.size;
  uint64_t cap = std::min<uint64_t>(t.declared_max.value_or(UINT32_MAX), t.store->max_table_elements());
  if (old_size > cap || delta > cap - old_size) return -1;
  try {
    t.elements.resize(old_size + delta, t.element(init));
  } catch (...) {
    return -1;
  }
  t.vm.elements = t.elements.data();
  t.vm.size = uint32_t(old_size + delta);
  return int64_t(old_size);
}

}  // namespace kiln::loader
