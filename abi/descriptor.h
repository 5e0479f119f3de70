// The artifact descriptor: the one exported symbol of every artifact, in its
// own section. The fixed header (up to `module_hash`) holds no pointers, so the
// loader can check it from the file before any code is mapped; the rest is
// read after dlopen, once the dynamic linker has relocated the pointers.
#pragma once
#include <cstddef>
#include <cstdint>

#include "abi/val_type.h"
#include "abi/vm_context.h"

namespace kiln::abi {

enum class BoundsCheck : uint8_t {
  GuardRegion = 0,  // 8 GiB reservation; no explicit checks on loads and stores
  Explicit = 1,     // compare against VMMemory::size before each access
};

struct Limits {
  uint64_t min;
  uint64_t max;      // valid when has_max
  uint8_t has_max;
  uint8_t pad[7];
};

/// A constant expression (WebAssembly 2.0: a single instruction).
enum class ConstKind : uint8_t {
  I32 = 0, I64, F32, F64, V128, GlobalGet, RefNull, RefFunc,
};
struct ConstExpr {
  ConstKind kind;
  ValType type;          // result type (the ref type for RefNull)
  uint8_t pad[2];
  uint32_t index;        // global index for GlobalGet, function index for RefFunc
  uint8_t bytes[16];     // little-endian value for numeric kinds
};

struct FuncType {
  uint32_t param_count;
  uint32_t result_count;
  const ValType* params;
  const ValType* results;
};

struct TableType {
  ValType elem_type;
  uint8_t pad[7];
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type;
  uint8_t mutable_;
  uint8_t pad[6];
};

/// Names are byte strings that may contain NUL bytes: their lengths are
/// explicit (a NUL follows each name too, for diagnostics only).
struct Import {
  const char* module;
  const char* name;
  ExternKind kind;
  uint8_t pad[3];
  uint32_t type_index;   // Func: index into types
  TableType table;       // Table
  MemoryType memory;     // Memory
  GlobalType global;     // Global
  uint32_t module_length;  // bytes of `module` (ABI v2)
  uint32_t name_length;    // bytes of `name` (ABI v2)
};

struct Export {
  const char* name;
  ExternKind kind;
  uint8_t pad[3];
  uint32_t index;        // in the kind's index space
  uint32_t name_length;  // bytes of `name`, which may contain NULs (ABI v2)
  uint8_t pad1[4];
};

/// A function defined by the module (imports are not listed here).
struct Function {
  uint32_t type_index;
  uint32_t code_size;    // bytes of native code
  void* code;            // native entry, wasm calling convention
  const char* name;      // from the name section, or null
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active = 0, Passive = 1, Declarative = 2 };

struct DataSegment {
  SegmentMode mode;
  uint8_t pad[3];
  uint32_t memory_index;
  ConstExpr offset;      // Active only
  const uint8_t* bytes;
  uint64_t size;
};

struct ElemSegment {
  SegmentMode mode;
  ValType elem_type;
  uint8_t pad[2];
  uint32_t table_index;
  ConstExpr offset;      // Active only
  const ConstExpr* items;
  uint64_t count;
};

/// One trapping instruction: native code at functions[func_index].code + offset
/// raises `code` (an ud1 whose displacement is the code, on x86-64).
struct TrapSite {
  uint32_t func_index;   // defined-function index (0 = first non-imported)
  uint32_t offset;
  uint8_t code;          // TrapCode
  uint8_t pad[3];
};

struct Descriptor {
  // --- fixed header, checked from the file before dlopen ---
  uint32_t magic;                 // kDescriptorMagic
  uint32_t abi_version;           // kAbiVersion
  uint32_t descriptor_size;       // sizeof(Descriptor) when written
  BoundsCheck bounds_check;
  uint8_t interruptible;          // 1: code polls VMStoreContext::interrupt
  uint8_t pad0[2];
  char compiler_version[32];      // NUL-terminated
  char target_triple[64];         // NUL-terminated
  char cpu_name[32];              // NUL-terminated, e.g. "x86-64"
  char cpu_features[512];         // NUL-terminated, "+sse2,+cx16,..."
  uint8_t module_hash[32];        // SHA-256 of the source .wasm
  /// XXH3-128 of the whole artifact file (canonical, big-endian bytes),
  /// computed with these 16 bytes set to zero (ABI v3). Integrity only: anyone
  /// can recompute it, so it detects damaged or edited files, not a forged
  /// artifact (see README, safety model).
  uint8_t artifact_hash[16];
  uint8_t pad_hash[16];           // zero; keeps the layout after it
  // --- relocated data, read after dlopen ---
  uint32_t type_count;
  uint32_t import_count;
  uint32_t export_count;
  uint32_t function_count;        // defined functions
  uint32_t table_count;           // defined tables
  uint32_t memory_count;          // defined memories
  uint32_t global_count;          // defined globals
  uint32_t data_count;
  uint32_t elem_count;
  uint32_t trap_count;
  uint32_t start_function;        // function index, or UINT32_MAX
  uint32_t pad1;
  const FuncType* types;
  const Import* imports;
  const Export* exports;
  const Function* functions;
  const TableType* tables;
  const MemoryType* memories;
  const Global* globals;
  const DataSegment* data;
  const ElemSegment* elems;
  const TrapSite* traps;          // sorted by (func_index, offset)
  /// Per type index: generic host->wasm entry (see EntryTrampoline).
  const EntryTrampoline* entry_trampolines;
  /// Per type index: native-convention adapter calling a VMHostContext.
  void* const* host_adapters;
};

/// Offset of the first pointer field: everything before it is plain bytes.
constexpr size_t kDescriptorHeaderSize = offsetof(Descriptor, type_count);
static_assert(offsetof(Descriptor, magic) == 0);
static_assert(offsetof(Descriptor, types) % 8 == 0);

}  // namespace kiln::abi
