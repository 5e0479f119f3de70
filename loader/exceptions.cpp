// Exception records, tags, and kiln::Exception (see exceptions.h).
#include "loader/exceptions.h"

#include <cstdlib>
#include <cstring>

#include "loader/handle_access.h"
#include "loader/store_state.h"
#include "loader/value_access.h"

namespace kiln::loader {

namespace {
abi::VMException*& next_of(abi::VMException* r) { return reinterpret_cast<abi::VMException*&>(r->owner[0]); }
abi::VMException*& prev_of(abi::VMException* r) { return reinterpret_cast<abi::VMException*&>(r->owner[1]); }
}  // namespace

ExceptionRecords::~ExceptionRecords() {
  while (head_) free(head_);
}

abi::VMException* ExceptionRecords::create(const TagState* tag, uint32_t count, const abi::ValSlot* values) {
  const size_t bytes = sizeof(abi::VMException) + size_t(count) * sizeof(abi::ValSlot);
  auto* r = static_cast<abi::VMException*>(std::aligned_alloc(alignof(abi::ValSlot), (bytes + 15) & ~size_t(15)));
  if (!r) return nullptr;
  r->tag = tag;
  r->count = count;
  r->reserved = 0;
  if (count) std::memcpy(r->values, values, size_t(count) * sizeof(abi::ValSlot));
  prev_of(r) = nullptr;
  next_of(r) = head_;
  if (head_) prev_of(head_) = r;
  head_ = r;
  return r;
}

void ExceptionRecords::free(abi::VMException* r) {
  if (!r) return;
  if (prev_of(r)) next_of(prev_of(r)) = next_of(r);
  else head_ = next_of(r);
  if (next_of(r)) prev_of(next_of(r)) = prev_of(r);
  std::free(r);
}

Exception take_pending_exception(StoreState& store) {
  abi::VMException* r = store.vm.pending_exception;
  store.vm.pending_exception = nullptr;
  auto* tag = static_cast<TagState*>(const_cast<void*>(r->tag));
  std::vector<Value> values(r->count);
  for (uint32_t i = 0; i < r->count && i < tag->type.params.size(); ++i)
    read_value(values[i], tag->type.params[i], r->values[i].bytes);
  store.exceptions.free(r);
  return Exception(HandleAccess::make<Tag>(store.shared_from_this(), tag), std::move(values));
}

void discard_pending_exception(StoreState& store) {
  store.exceptions.free(store.vm.pending_exception);
  store.vm.pending_exception = nullptr;
}

Status pend_host_exception(StoreState& store, const Exception& exception) {
  TagState* tag = HandleAccess::state(exception.tag());
  if (!tag) return fail("host function threw a kiln::Exception with a null tag");
  if (tag->store != &store) return fail("host function threw a kiln::Exception whose tag belongs to another store");
  const std::vector<ValType>& params = tag->type.params;
  const std::vector<Value>& values = exception.values();
  if (values.size() != params.size())
    return fail("host function threw a kiln::Exception with " + std::to_string(values.size()) +
                " values for a tag of " + std::to_string(params.size()));
  std::vector<abi::ValSlot> slots(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].type() != params[i])
      return fail("host function threw a kiln::Exception whose value " + std::to_string(i) + " is " +
                  to_string(values[i].type()) + ", its tag says " + to_string(params[i]));
    if (Status s = write_value(values[i], store, slots[i].bytes); !s) return s;
  }
  abi::VMException* r = store.exceptions.create(tag, uint32_t(slots.size()), slots.data());
  if (!r) return fail("out of memory for a wasm exception");
  discard_pending_exception(store);
  store.vm.pending_exception = r;
  return {};
}

TagState* StoreState::add_tag(const TagType& type) {
  auto t = std::make_unique<TagState>();
  t->type = type;
  t->store = this;
  tags.push_back(std::move(t));
  return tags.back().get();
}

}  // namespace kiln::loader

namespace kiln {

std::string TagType::to_string() const {
  std::string text = "tag";
  if (params.empty()) return text;
  text += " (param";
  for (ValType p : params) text += std::string(" ") + kiln::to_string(p);
  return text + ")";
}

Tag Tag::create(Store& store, const TagType& type) {
  loader::StoreState& s = *loader::HandleAccess::state(store);
  return loader::HandleAccess::make<Tag>(loader::HandleAccess::state(store), s.add_tag(type));
}

const TagType& Tag::type() const {
  if (!state_) throw Error("use of a null Tag");
  return state_->type;
}

namespace {
std::string describe(const Tag& tag, const std::vector<Value>& values) {
  std::string text = "uncaught wasm exception";
  if (tag) text += " (" + tag.type().to_string() + ")";
  (void)values;
  return text;
}
}  // namespace

Exception::Exception(Tag tag, std::vector<Value> values)
    : Error(describe(tag, values)), tag_(std::move(tag)), values_(std::move(values)) {}

}  // namespace kiln
