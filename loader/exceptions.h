// Wasm exceptions at run time: tags, the records of thrown exceptions, and
// their crossings between wasm code and C++ (kiln::Exception).
//
// A thrown exception is a record (abi::VMException) that becomes its store's
// pending exception; generated code propagates it by returning (see
// aotc/codegen/exceptions.cpp). The store owns every record it allocated
// and frees those still alive (held by catch blocks a trap abandoned) when
// it is destroyed.
#pragma once
#include <cstdint>

#include "abi/vm_context.h"
#include "kiln/exception.h"
#include "kiln/tag.h"
#include "loader/result.h"

namespace kiln::loader {

class StoreState;

/// A tag: its identity is the address of this object (what VMContext::tags
/// holds and VMException::tag names).
struct TagState {
  TagType type;
  StoreState* store = nullptr;
};

/// The records a store has allocated and not yet freed, in a list through
/// VMException::owner.
class ExceptionRecords {
 public:
  ExceptionRecords() = default;
  ExceptionRecords(const ExceptionRecords&) = delete;
  ExceptionRecords& operator=(const ExceptionRecords&) = delete;
  ~ExceptionRecords();
  /// A record of `tag` with `count` values copied from `values`; null if out of memory.
  abi::VMException* create(const TagState* tag, uint32_t count, const abi::ValSlot* values);
  void free(abi::VMException* record);

 private:
  abi::VMException* head_ = nullptr;
};

/// The store's pending exception as a kiln::Exception, freeing its record
/// and clearing the field. Only when one is pending.
Exception take_pending_exception(StoreState& store);
/// Frees the pending exception, if any (a trap ended the call it was in).
void discard_pending_exception(StoreState& store);
/// Makes `exception` (thrown by a host function called from wasm code of
/// `store`) the pending exception. Fails if its tag belongs to another
/// store or its values do not match the tag's type.
Status pend_host_exception(StoreState& store, const Exception& exception);

}  // namespace kiln::loader
