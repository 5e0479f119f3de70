// Versions and names that identify a Kiln artifact.
#pragma once
#include <cstdint>

namespace kiln::abi {

/// "KILN" read as a little-endian u32; first field of every descriptor.
constexpr uint32_t kDescriptorMagic = 0x4E4C494Bu;
/// Bumped whenever descriptor, VM-context, builtins or calling convention change.
/// 2: Descriptor::artifact_hash; explicit lengths of import and export names.
/// 3: artifact_hash is XXH3-128 (16 bytes) instead of SHA-256;
///    VMStoreContext::entry_limit (one comparison per function entry);
///    Builtins::memset/memmove replace memory_fill/memory_copy.
/// 4: the descriptor holds ImageOffsets (from its own address) instead of
///    pointers, and everything it refers to besides code follows it in its
///    section, which is read-only: artifacts need no dynamic relocations;
///    VMStoreContext::poll_page (loop polls read it).
/// 5: each instance has its own poll page, the page just below its
///    VMContext (kVMContextPollPageOffset); VMStoreContext::poll_page is gone.
/// 6: the wasm calling convention passes the callee vmctx in r13 (LLVM's
///    swiftcc, vmctx as swiftself), the caller vmctx and the parameters in
///    the C convention's registers from rdi on (see VMFuncRef::code).
/// 7: Descriptor::code_begin/code_end/data_size: an artifact bounds its own
///    code and data, so it can be checked when statically linked.
/// 8: Descriptor::features; ConstKind::Sequence (extended-const constant
///    expressions, evaluated by the loader).
/// 9: threads: Limits::shared; Builtins::memory_atomic_wait32/wait64/notify;
///    TrapCode::UnalignedAtomic and WaitOnUnsharedMemory.
/// 10: VMContext::memories (every memory, for multi-memory);
///    Builtins::memory_grow and memory_init name their memory and take
///    64-bit sizes and destinations (memory64); Limits::address64.
/// 11: Builtins::memory_atomic_wait32/wait64/notify name their memory.
/// 12: exception handling: tags (Descriptor::tags, ExternKind::Tag,
///    VMContext::tags), VMStoreContext::pending_exception, VMException and
///    the throw/rethrow/drop builtins.
/// 13: tail calls: VMFuncRef::tail_code and Function::entry (a module using
///    return_call* has swifttailcc bodies and swiftcc entries).
/// 14: tables hold VMTableElement (the reference and copies of its code,
///    vmctx, tail_code and type_id), not bare references; only functions
///    with return_call* have a swifttailcc body and an entry.
constexpr uint32_t kAbiVersion = 14;
/// Version of the compiler that wrote an artifact (informational).
constexpr const char* kCompilerVersion = "aotc 0.1.0";
/// The one dynamic symbol an artifact exports; it names the Descriptor.
constexpr const char* kDescriptorSymbol = "kiln_descriptor";
/// A static library's descriptor is PREFIX + this (aotc --prefix), so that
/// several modules link into one program.
constexpr const char* kLinkedDescriptorSuffix = "_kiln_descriptor";
/// The prefix aotc --emit=exe gives the module, and so the descriptor symbol
/// the executable's main() (tools/exe_main) runs.
constexpr const char* kExecutablePrefix = "kiln_exe";
constexpr const char* kExecutableDescriptorSymbol = "kiln_exe_kiln_descriptor";
/// Hidden labels at the start and end of an artifact's code.
constexpr const char* kCodeBeginSymbol = "kiln_code_begin";
constexpr const char* kCodeEndSymbol = "kiln_code_end";
/// The ELF section holding the Descriptor, at its start, and the data the
/// descriptor refers to; its last byte is 0 (so no string runs past it).
constexpr const char* kDescriptorSection = ".kiln_descriptor";

}  // namespace kiln::abi
