// The public API's enums mirror abi/ enums value for value, so a value
// converts between them by a cast. Checked here, every value, at compile
// time: a value added on one side without the other stops the build.
#include "abi/trap_codes.h"
#include "abi/val_type.h"
#include "kiln/error.h"
#include "kiln/extern.h"
#include "kiln/value.h"

namespace kiln {
namespace {

template <typename Public, typename Abi>
constexpr bool same(Public p, Abi a) {
  return static_cast<uint8_t>(p) == static_cast<uint8_t>(a);
}

using abi::TrapCode;
static_assert(same(TrapKind::Unreachable, TrapCode::Unreachable));
static_assert(same(TrapKind::IntegerDivideByZero, TrapCode::IntegerDivideByZero));
static_assert(same(TrapKind::IntegerOverflow, TrapCode::IntegerOverflow));
static_assert(same(TrapKind::InvalidConversionToInteger, TrapCode::InvalidConversionToInteger));
static_assert(same(TrapKind::OutOfBoundsMemoryAccess, TrapCode::OutOfBoundsMemoryAccess));
static_assert(same(TrapKind::OutOfBoundsTableAccess, TrapCode::OutOfBoundsTableAccess));
static_assert(same(TrapKind::IndirectCallTypeMismatch, TrapCode::IndirectCallTypeMismatch));
static_assert(same(TrapKind::UninitializedElement, TrapCode::UninitializedElement));
static_assert(same(TrapKind::UndefinedElement, TrapCode::UndefinedElement));
static_assert(same(TrapKind::CallStackExhausted, TrapCode::CallStackExhausted));
static_assert(same(TrapKind::Interrupted, TrapCode::Interrupted));
static_assert(same(TrapKind::HostError, TrapCode::HostError));
static_assert(same(TrapKind::UnalignedAtomic, TrapCode::UnalignedAtomic));
static_assert(same(TrapKind::WaitOnUnsharedMemory, TrapCode::WaitOnUnsharedMemory));
// The last of both: no abi::TrapCode lacks a TrapKind.
static_assert(same(TrapKind::WaitOnUnsharedMemory, TrapCode(abi::kMaxTrapCode)));

static_assert(same(ValType::I32, abi::ValType::I32));
static_assert(same(ValType::I64, abi::ValType::I64));
static_assert(same(ValType::F32, abi::ValType::F32));
static_assert(same(ValType::F64, abi::ValType::F64));
static_assert(same(ValType::V128, abi::ValType::V128));
static_assert(same(ValType::FuncRef, abi::ValType::FuncRef));
static_assert(same(ValType::ExternRef, abi::ValType::ExternRef));

static_assert(same(ExternKind::Func, abi::ExternKind::Func));
static_assert(same(ExternKind::Table, abi::ExternKind::Table));
static_assert(same(ExternKind::Memory, abi::ExternKind::Memory));
static_assert(same(ExternKind::Global, abi::ExternKind::Global));
static_assert(same(ExternKind::Tag, abi::ExternKind::Tag));

}  // namespace
}  // namespace kiln
