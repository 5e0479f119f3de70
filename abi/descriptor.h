// The artifact descriptor: the one exported symbol of every artifact, at the
// start of its own read-only section, followed there by every table and
// string it refers to. It holds no pointers, only ImageOffsets, so the
// dynamic linker relocates nothing in it (ABI v4). The fixed header (up to
// `pad_hash`) is checked from the file before any code is mapped; the rest is
// checked after dlopen, every offset against the mapped image.
#pragma once
#include <cstddef>
#include <cstdint>

#include "abi/wasm_features.h"
#include "abi/val_type.h"
#include "abi/vm_context.h"

namespace kiln::abi {

/// A place in the artifact's image, in bytes from the descriptor's own
/// address; 0 means "none" (only the descriptor itself is there). Data
/// (tables, names, segment bytes) lies in the descriptor's section, code in
/// the executable segment. Position-independent, so the file needs no
/// dynamic relocations: dlopen writes no page of it.
using ImageOffset = int64_t;

enum class BoundsCheck : uint8_t {
  GuardRegion = 0,  // 8 GiB reservation; no explicit checks on loads and stores
  Explicit = 1,     // compare against VMMemory::size before each access
};

struct Limits {
  uint64_t min;
  uint64_t max;      // valid when has_max
  uint8_t has_max;
  uint8_t shared;    // memories only (threads, ABI v9): 1 if shared
  uint8_t address64; // memory64: a memory addressed by i64 (ABI v10)
  uint8_t pad[5];
};

/// A constant expression: one instruction (WebAssembly 2.0), or with
/// extended-const a Sequence of them run on a stack (ABI v8).
enum class ConstKind : uint8_t {
  I32 = 0, I64, F32, F64, V128, GlobalGet, RefNull, RefFunc,
  Sequence,
  // Only inside a Sequence: pop two operands, push the result (wrapping).
  I32Add, I32Sub, I32Mul, I64Add, I64Sub, I64Mul,
};
constexpr bool is_const_arithmetic(ConstKind k) {
  return k >= ConstKind::I32Add && k <= ConstKind::I64Mul;
}
struct ConstExpr {
  ConstKind kind;
  ValType type;          // result type (the ref type for RefNull)
  uint8_t pad[2];
  uint32_t index;        // global index for GlobalGet, function index for RefFunc,
                         // instruction count for Sequence
  alignas(8) uint8_t bytes[16];  // little-endian value for numeric kinds; for Sequence
                                // an ImageOffset of ConstExpr[index] in its first 8
};

struct FuncType {
  uint32_t param_count;
  uint32_t result_count;
  ImageOffset params;    // ValType[param_count]
  ImageOffset results;   // ValType[result_count]
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
  ImageOffset module;    // char[module_length]
  ImageOffset name;      // char[name_length]
  ExternKind kind;
  uint8_t pad[3];
  uint32_t type_index;   // Func, Tag: index into types
  TableType table;       // Table
  MemoryType memory;     // Memory
  GlobalType global;     // Global
  uint32_t module_length;  // bytes of `module` (ABI v2)
  uint32_t name_length;    // bytes of `name` (ABI v2)
};

struct Export {
  ImageOffset name;      // char[name_length]
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
  ImageOffset code;      // native code: the entry, or the swifttailcc body if `entry` is set
  ImageOffset name;      // NUL-terminated, from the name section; 0 if none
  /// 0: `code` is the entry (wasm calling convention). Otherwise (modules
  /// using return_call*, ABI v13) the entry, a small function calling the
  /// swifttailcc body at `code` (VMFuncRef::tail_code); its code has no
  /// trap sites.
  ImageOffset entry;
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
  ImageOffset bytes;     // uint8_t[size]
  uint64_t size;
};

struct ElemSegment {
  SegmentMode mode;
  ValType elem_type;
  uint8_t pad[2];
  uint32_t table_index;
  ConstExpr offset;      // Active only
  ImageOffset items;     // ConstExpr[count]
  uint64_t count;
};

/// One trapping instruction: native code at functions[func_index].code + offset
/// raises `code` (x86-64: an ud1 whose displacement is the code; aarch64: a
/// brk whose immediate is 0x5500 | code).
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
  uint8_t interruptible;          // 1: function entries check VMStoreContext::entry_limit and
                                  // loops read the instance's poll page (kVMContextPollPageOffset)
  uint8_t opt_level;              // aotc -O0..-O3 (ABI v7; informational)
  uint8_t pad0;
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
  /// abi::feature_bit()s of the post-2.0 proposals the module uses (ABI v8).
  uint32_t features;
  uint8_t pad_hash[12];           // zero; keeps the layout after it
  // --- counts and offsets, checked after dlopen (loader/descriptor_check.cpp) ---
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
  uint32_t tag_count;             // defined tags (ABI v12)
  // Arrays of `count` elements (0 when the count is 0).
  ImageOffset types;              // FuncType[type_count]
  ImageOffset imports;            // Import[import_count]
  ImageOffset exports;            // Export[export_count]
  ImageOffset functions;          // Function[function_count]
  ImageOffset tables;             // TableType[table_count]
  ImageOffset memories;           // MemoryType[memory_count]
  ImageOffset globals;            // Global[global_count]
  ImageOffset data;               // DataSegment[data_count]
  ImageOffset elems;              // ElemSegment[elem_count]
  ImageOffset traps;              // TrapSite[trap_count], sorted by (func_index, offset)
  /// ImageOffset[type_count]: per type index, the code of a generic
  /// host->wasm entry (see EntryTrampoline).
  ImageOffset entry_trampolines;
  /// ImageOffset[type_count]: per type index, the code of a native-convention
  /// adapter calling a VMHostContext.
  ImageOffset host_adapters;
  /// [code_begin, code_end): all of the artifact's code (functions,
  /// trampolines, adapters), so a loader can bound code offsets without an
  /// ELF file around it, as for a statically linked module (ABI v7).
  ImageOffset code_begin;
  ImageOffset code_end;
  /// Bytes of the descriptor's section from the descriptor on: every table
  /// and string it refers to lies in [0, data_size) (ABI v7).
  uint64_t data_size;
  /// uint32_t[tag_count]: the type index of each defined tag (ABI v12).
  ImageOffset tags;

  /// What `offset` designates, or null for 0. Meaningful only for a mapped
  /// descriptor whose offsets the loader has checked.
  template <class T>
  const T* at(ImageOffset offset) const {
    if (offset == 0) return nullptr;
    return reinterpret_cast<const T*>(reinterpret_cast<uintptr_t>(this) + uint64_t(offset));
  }
  /// Code at `offset` (see at()).
  void* code_at(ImageOffset offset) const {
    if (offset == 0) return nullptr;
    return reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(this) + uint64_t(offset));
  }
  EntryTrampoline entry_trampoline(uint32_t type_index) const {
    return reinterpret_cast<EntryTrampoline>(code_at(at<ImageOffset>(entry_trampolines)[type_index]));
  }
  void* host_adapter(uint32_t type_index) const {
    return code_at(at<ImageOffset>(host_adapters)[type_index]);
  }
};

/// Size of the fixed header, checked from the file before dlopen (and the
/// mapped copy compared with it).
constexpr size_t kDescriptorHeaderSize = offsetof(Descriptor, type_count);
static_assert(offsetof(Descriptor, magic) == 0);
static_assert(offsetof(Descriptor, types) % 8 == 0);

}  // namespace kiln::abi
