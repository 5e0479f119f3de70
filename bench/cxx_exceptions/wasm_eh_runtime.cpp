// The parts of the C++ runtime that code built with -fwasm-exceptions calls,
// for throw_loop.cpp: Debian ships no wasm32 libc++abi. Enough for throwing
// class objects and catching them by exact type (no inheritance matching, no
// rethrow, no foreign exceptions), with the real mechanism: clang's catch
// pads call _Unwind_CallPersonality, which reads the function's LSDA (the
// Itanium format: call-site records by landing-pad index, an action table,
// a type table) to choose the handler, as libc++abi's personality does.
#include <stdint.h>
#include <stdlib.h>

// C names: clang's code calls them so. Built as C++ with -fwasm-exceptions,
// which defines the __cpp_exception tag that __cxa_throw throws.
extern "C" {

// What clang's landing pads store before calling _Unwind_CallPersonality.
struct LandingPadContext {
  uintptr_t lpad_index;  // which call-site record
  uintptr_t lsda;        // the function's language-specific data area
  uintptr_t selector;    // out: the matching catch clause's type index, 0 for none
};
LandingPadContext __wasm_lpad_context;

// The vtable std::type_info objects of classes point into; never called.
void* _ZTVN10__cxxabiv117__class_type_infoE[4];

// Every exception: this header, then the thrown object.
struct ExceptionHeader {
  const void* type;
  void (*destroy)(void*);
  uint64_t padding;  // keeps the object 16-byte aligned
};

static ExceptionHeader* caught;

void* __cxa_allocate_exception(size_t size) {
  ExceptionHeader* h = static_cast<ExceptionHeader*>(malloc(sizeof(ExceptionHeader) + size));
  if (!h) abort();
  return h + 1;
}

void __cxa_throw(void* object, const void* type, void (*destroy)(void*)) {
  ExceptionHeader* h = static_cast<ExceptionHeader*>(object) - 1;
  h->type = type;
  h->destroy = destroy;
  __builtin_wasm_throw(0, h);  // tag 0: __cpp_exception, carrying the header
}

void* __cxa_begin_catch(void* exception) {
  caught = static_cast<ExceptionHeader*>(exception);
  return caught + 1;
}

void __cxa_end_catch(void) {
  if (caught->destroy) caught->destroy(caught + 1);
  free(caught);
  caught = nullptr;
}

static uintptr_t read_uleb(const uint8_t** p) {
  uintptr_t value = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    byte = *(*p)++;
    value |= (uintptr_t)(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}

static intptr_t read_sleb(const uint8_t** p) {
  intptr_t value = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    byte = *(*p)++;
    value |= (intptr_t)(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 8 * sizeof(value) && (byte & 0x40)) value |= -((intptr_t)1 << shift);
  return value;
}

enum { kOmit = 0xff };

// The catch clause of the current landing pad whose type is the thrown one.
static uintptr_t find_handler(const uint8_t* lsda, uintptr_t lpad_index, const void* thrown) {
  const uint8_t* p = lsda;
  if (*p++ != kOmit) read_uleb(&p);  // landing-pad base: unused in wasm
  const uint8_t type_encoding = *p++;
  const uint8_t* types = nullptr;  // the type table ends here; entries go backwards
  if (type_encoding != kOmit) {
    uintptr_t offset = read_uleb(&p);
    types = p + offset;
  }
  p++;  // call-site encoding: uleb128
  const uintptr_t table_length = read_uleb(&p);
  const uint8_t* actions = p + table_length;
  // Record i (0-based) belongs to landing pad i: (landing pad, action).
  for (uintptr_t i = 0;; ++i) {
    if (p >= actions) return 0;
    read_uleb(&p);
    uintptr_t action = read_uleb(&p);
    if (i != lpad_index) continue;
    if (action == 0) return 0;  // cleanup only
    const uint8_t* a = actions + action - 1;
    for (;;) {
      intptr_t type_index = read_sleb(&a);
      const uint8_t* next = a;
      intptr_t displacement = read_sleb(&a);
      if (type_index > 0 && types) {
        const uint32_t* entry = reinterpret_cast<const uint32_t*>(types - 4 * type_index);
        const void* type = reinterpret_cast<const void*>(uintptr_t(*entry));
        if (type == nullptr || type == thrown) return (uintptr_t)type_index;  // null: catch (...)
      }
      if (displacement == 0) return 0;
      a = next + displacement;
    }
  }
}

// Called by a catch pad with the caught exception; sets the selector.
int _Unwind_CallPersonality(void* exception) {
  const ExceptionHeader* h = static_cast<const ExceptionHeader*>(exception);
  __wasm_lpad_context.selector =
      find_handler(reinterpret_cast<const uint8_t*>(__wasm_lpad_context.lsda),
                   __wasm_lpad_context.lpad_index, h->type);
  return __wasm_lpad_context.selector ? 6 /* handler found */ : 8 /* continue unwinding */;
}

}  // extern "C"
