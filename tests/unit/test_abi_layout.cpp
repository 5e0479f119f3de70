// The loader's view of the ABI layout. aotc writes these structures byte by
// byte and generated code reads them by offset, so any drift here is an ABI
// break: the numbers are written out rather than derived.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>

#include "abi/descriptor.h"
#include "abi/trap_codes.h"
#include "abi/val_type.h"
#include "abi/version.h"
#include "abi/vm_context.h"

using namespace kiln::abi;

// Compile-time checks: a layout change stops the build.
static_assert(sizeof(Limits) == 24 && offsetof(Limits, max) == 8 && offsetof(Limits, has_max) == 16 &&
              offsetof(Limits, shared) == 17 && offsetof(Limits, address64) == 18);
static_assert(sizeof(ConstExpr) == 24 && offsetof(ConstExpr, index) == 4 &&
              offsetof(ConstExpr, bytes) == 8);
static_assert(sizeof(FuncType) == 24 && offsetof(FuncType, params) == 8 &&
              offsetof(FuncType, results) == 16);
static_assert(sizeof(TableType) == 32 && offsetof(TableType, limits) == 8);
static_assert(sizeof(MemoryType) == 24);
static_assert(sizeof(GlobalType) == 8 && offsetof(GlobalType, mutable_) == 1);
static_assert(sizeof(Import) == 96 && offsetof(Import, kind) == 16 && offsetof(Import, type_index) == 20 &&
              offsetof(Import, table) == 24 && offsetof(Import, memory) == 56 &&
              offsetof(Import, global) == 80 && offsetof(Import, module_length) == 88 &&
              offsetof(Import, name_length) == 92);
static_assert(sizeof(Export) == 24 && offsetof(Export, kind) == 8 && offsetof(Export, index) == 12 &&
              offsetof(Export, name_length) == 16);
static_assert(sizeof(Function) == 32 && offsetof(Function, code_size) == 4 &&
              offsetof(Function, code) == 8 && offsetof(Function, name) == 16 &&
              offsetof(Function, entry) == 24);
static_assert(sizeof(Global) == 32 && offsetof(Global, init) == 8);
static_assert(sizeof(DataSegment) == 48 && offsetof(DataSegment, offset) == 8 &&
              offsetof(DataSegment, bytes) == 32 && offsetof(DataSegment, size) == 40);
static_assert(sizeof(ElemSegment) == 48 && offsetof(ElemSegment, table_index) == 4 &&
              offsetof(ElemSegment, items) == 32 && offsetof(ElemSegment, count) == 40);
static_assert(sizeof(TrapSite) == 12 && offsetof(TrapSite, offset) == 4 && offsetof(TrapSite, code) == 8);
static_assert(sizeof(Descriptor) == 896 && kDescriptorHeaderSize == 720);

TEST_CASE("abi: descriptor header offsets") {
  CHECK(offsetof(Descriptor, magic) == 0);
  CHECK(offsetof(Descriptor, abi_version) == 4);
  CHECK(offsetof(Descriptor, descriptor_size) == 8);
  CHECK(offsetof(Descriptor, bounds_check) == 12);
  CHECK(offsetof(Descriptor, interruptible) == 13);
  CHECK(offsetof(Descriptor, compiler_version) == 16);
  CHECK(offsetof(Descriptor, target_triple) == 48);
  CHECK(offsetof(Descriptor, cpu_name) == 112);
  CHECK(offsetof(Descriptor, cpu_features) == 144);
  CHECK(offsetof(Descriptor, module_hash) == 656);
  CHECK(offsetof(Descriptor, artifact_hash) == 688);
  CHECK(offsetof(Descriptor, features) == 704);
  CHECK(offsetof(Descriptor, pad_hash) == 708);
  CHECK(kDescriptorHeaderSize == 720);
}

TEST_CASE("abi: descriptor table offsets") {
  CHECK(offsetof(Descriptor, type_count) == 720);
  CHECK(offsetof(Descriptor, function_count) == 732);
  CHECK(offsetof(Descriptor, trap_count) == 756);
  CHECK(offsetof(Descriptor, start_function) == 760);
  CHECK(offsetof(Descriptor, types) == 768);
  CHECK(offsetof(Descriptor, functions) == 792);
  CHECK(offsetof(Descriptor, traps) == 840);
  CHECK(offsetof(Descriptor, entry_trampolines) == 848);
  CHECK(offsetof(Descriptor, host_adapters) == 856);
  CHECK(offsetof(Descriptor, code_begin) == 864);
  CHECK(offsetof(Descriptor, code_end) == 872);
  CHECK(offsetof(Descriptor, data_size) == 880);
  CHECK(sizeof(Descriptor) == 896);
  CHECK(alignof(Descriptor) == 8);
}

TEST_CASE("abi: VM structures generated code reads by offset") {
  CHECK(sizeof(ValSlot) == 16);
  CHECK(alignof(ValSlot) == 16);
  CHECK(sizeof(VMFuncRef) == 32);
  CHECK(offsetof(VMFuncRef, type_id) == 16);
  CHECK(offsetof(VMFuncRef, tail_code) == 24);
  CHECK(sizeof(VMMemory) == 32);
  CHECK(offsetof(VMMemory, max_pages) == 16);
  CHECK(offsetof(VMMemory, reserved) == 24);
  CHECK(sizeof(VMTable) == 16);
  CHECK(offsetof(VMTable, max) == 12);
  CHECK(sizeof(VMTableElement) == 40);
  CHECK(offsetof(VMTableElement, type_id) == 32);
  CHECK(offsetof(VMTableElement, code) == 8);
  CHECK(offsetof(VMTableElement, vmctx) == 16);
  CHECK(offsetof(VMTableElement, tail_code) == 24);
  CHECK(sizeof(VMGlobal) == 16);
  CHECK(sizeof(VMStoreContext) == 32);
  CHECK(offsetof(VMStoreContext, pending_exception) == 24);
  CHECK(offsetof(VMException, values) == 32);
  CHECK(kVMContextPollPageOffset == -4096);
  CHECK(sizeof(VMContext) == 88);
  CHECK(kVMContextInstance == 64);
  CHECK(kVMContextMemories == 72);
  CHECK(kVMContextTags == 80);
  CHECK(sizeof(VMHostContext) == 8);
}

TEST_CASE("abi: a table element repeats its funcref's call fields, all null for null") {
  VMFuncRef ref{};
  ref.code = reinterpret_cast<void*>(0x1000);
  ref.vmctx = reinterpret_cast<VMContext*>(0x2000);
  ref.tail_code = reinterpret_cast<void*>(0x3000);
  ref.type_id = 7;
  const VMTableElement e = funcref_table_element(&ref);
  CHECK(e.ref == &ref);
  CHECK(e.code == ref.code);
  CHECK(e.vmctx == ref.vmctx);
  CHECK(e.tail_code == ref.tail_code);
  CHECK(e.type_id == 7);
  const VMTableElement null = funcref_table_element(nullptr);
  CHECK((null.ref == nullptr && null.code == nullptr && null.vmctx == nullptr && null.tail_code == nullptr));
  CHECK(null.type_id == 0);
  int host = 0;
  const VMTableElement extern_ref = externref_table_element(&host);
  CHECK(extern_ref.ref == &host);
  CHECK((extern_ref.code == nullptr && extern_ref.vmctx == nullptr && extern_ref.tail_code == nullptr));
  CHECK(extern_ref.type_id == 0);
}

TEST_CASE("abi: builtins table offsets") {
  CHECK(kBuiltinMemoryGrow == 0);
  CHECK(kBuiltinMemset == 8);
  CHECK(kBuiltinMemmove == 16);
  CHECK(kBuiltinMemoryInit == 24);
  CHECK(kBuiltinDataDrop == 32);
  CHECK(kBuiltinTableGet == 40);
  CHECK(kBuiltinTableSet == 48);
  CHECK(kBuiltinTableGrow == 56);
  CHECK(kBuiltinTableFill == 64);
  CHECK(kBuiltinTableCopy == 72);
  CHECK(kBuiltinTableInit == 80);
  CHECK(kBuiltinElemDrop == 88);
  CHECK(kBuiltinTrap == 96);
  CHECK(kBuiltinMemoryAtomicWait32 == 104);
  CHECK(kBuiltinMemoryAtomicNotify == 120);
  CHECK(kBuiltinThrowException == 128);
  CHECK(kBuiltinRethrowException == 136);
  CHECK(kBuiltinDropException == 144);
  CHECK(sizeof(Builtins) == 152);
}

TEST_CASE("abi: constants and encodings") {
  char magic[4];
  const uint32_t value = kDescriptorMagic;
  std::memcpy(magic, &value, 4);
  CHECK(std::memcmp(magic, "KILN", 4) == 0);
  CHECK(kAbiVersion == 14);
  CHECK(std::strcmp(kDescriptorSection, ".kiln_descriptor") == 0);
  CHECK(std::strcmp(kDescriptorSymbol, "kiln_descriptor") == 0);
  CHECK(kMemoryReservation == (8ull << 30) + 65536);
  CHECK(kWasmPageSize == 65536);

  CHECK(uint8_t(ValType::I32) == 0x7F);
  CHECK(uint8_t(ValType::V128) == 0x7B);
  CHECK(uint8_t(ValType::FuncRef) == 0x70);
  CHECK(uint8_t(ValType::ExternRef) == 0x6F);
  CHECK(uint8_t(ExternKind::Global) == 3);

  CHECK(uint8_t(TrapCode::Unreachable) == 1);
  CHECK(uint8_t(TrapCode::OutOfBoundsMemoryAccess) == 5);
  CHECK(uint8_t(TrapCode::CallStackExhausted) == 10);
  CHECK(uint8_t(TrapCode::HostError) == 12);
  CHECK(uint8_t(TrapCode::WaitOnUnsharedMemory) == kMaxTrapCode);
  CHECK(std::strcmp(trap_message(TrapCode::IntegerDivideByZero), "integer divide by zero") == 0);
  for (uint8_t c = 0; c <= kMaxTrapCode; ++c)
    CHECK(std::strcmp(trap_message(TrapCode(c)), "unknown trap") != 0);
}
