// The version of the typed-call ABI (kiln/detail/typed_call.h), in the
// names that programs built against these headers link to. Raise it when
// NativeTarget, EntryResult, DirectHostContext or the entries' conventions
// change. Plain macros: the assembly entries include this file too.
#pragma once

#define KILN_CALL_ABI_VERSION 1

#define KILN_CALL_ABI_CAT_(a, b) a##b
#define KILN_CALL_ABI_CAT(a, b) KILN_CALL_ABI_CAT_(a, b)
/// The inline namespace of kiln::detail: kiln::detail::call_abi_v1.
#define KILN_CALL_ABI_NAMESPACE KILN_CALL_ABI_CAT(call_abi_v, KILN_CALL_ABI_VERSION)
/// The typed entries' symbols: kiln_wasm_call_int_v1, kiln_wasm_call_sse_v1.
#define KILN_WASM_CALL_INT KILN_CALL_ABI_CAT(kiln_wasm_call_int_v, KILN_CALL_ABI_VERSION)
#define KILN_WASM_CALL_SSE KILN_CALL_ABI_CAT(kiln_wasm_call_sse_v, KILN_CALL_ABI_VERSION)
