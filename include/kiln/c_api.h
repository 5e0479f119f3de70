/* The C API of libkiln: modules (loaded from a file or linked in by
 * aotc --emit=static), instances with host functions, calls, memories,
 * errors and traps, for hosts written in C. It covers numbers (i32, i64,
 * f32, f64) and v128; reference values, tables, globals and WASI stay in
 * the C++ API (kiln/kiln.h). C hosts link libkiln, which needs the C++
 * runtime (`-lkiln`, or for libkiln.a also `-lstdc++ -lelf -lxxhash`).
 *
 * Every object is created by a *_new / *_load / *_linked function and
 * released by its *_delete; deleting NULL does nothing. Functions that can
 * fail return NULL or a kiln_error* (NULL on success) that the caller
 * deletes. Objects keep what they need alive (an instance its store and
 * module), so they may be deleted in any order. A store and its instances
 * are used by one thread at a time. */
#ifndef KILN_C_API_H
#define KILN_C_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_store kiln_store;
typedef struct kiln_module kiln_module;
typedef struct kiln_imports kiln_imports;
typedef struct kiln_instance kiln_instance;
typedef struct kiln_func kiln_func;
typedef struct kiln_error kiln_error;
/* The descriptor of a module linked in by aotc --emit=static, declared by
 * the C header aotc writes (--c-header) as NAME_kiln_descriptor. */
typedef struct kiln_linked_descriptor kiln_linked_descriptor;

/* Value types; the numbers are the binary format's (and kiln::ValType's). */
typedef enum kiln_valtype {
  KILN_I32 = 0x7F,
  KILN_I64 = 0x7E,
  KILN_F32 = 0x7D,
  KILN_F64 = 0x7C,
  KILN_V128 = 0x7B
} kiln_valtype;

/* A value: `type` says which member holds it. */
typedef struct kiln_val {
  kiln_valtype type;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
  } of;
} kiln_val;

/* ---- errors ---- */

/* The one-line message ("wasm trap: integer divide by zero", "unknown
 * import: env.f", ...); valid until the error is deleted. */
const char* kiln_error_message(const kiln_error* error);
/* The trap's kind (kiln::TrapKind's numbers, e.g. 2 for integer divide by
 * zero), or 0 if the error is not a trap. */
int kiln_error_trap_kind(const kiln_error* error);
/* A new error with `message`, for host functions to return. */
kiln_error* kiln_error_new(const char* message);
void kiln_error_delete(kiln_error* error);

/* ---- stores and modules ---- */

kiln_store* kiln_store_new(void);
void kiln_store_delete(kiln_store* store);
/* Asks wasm code running in `store` to stop (see kiln::Store::interrupt);
 * the one call that may come from another thread. */
void kiln_store_interrupt(kiln_store* store);

/* Loads an artifact (aotc's .so); NULL and *error set on failure. */
kiln_module* kiln_module_load(const char* path, kiln_error** error);
/* A module linked into this program (see kiln::Module::linked). */
kiln_module* kiln_module_linked(const kiln_linked_descriptor* descriptor, const char* name,
                                kiln_error** error);
void kiln_module_delete(kiln_module* module);

/* ---- imports ---- */

/* A host function: reads `args` (as many as the type has parameters, of
 * its types) and fills `results`; returns NULL, or an error (which it gives
 * up) that ends the wasm call and comes back to its caller. */
typedef kiln_error* (*kiln_host_function)(void* env, const kiln_val* args, kiln_val* results);

kiln_imports* kiln_imports_new(void);
void kiln_imports_delete(kiln_imports* imports);
/* Defines module.name as a host function of the given type; `env` is
 * passed to every call. Replaces an earlier definition of the same name.
 * Returns an error for a type it cannot take. */
kiln_error* kiln_imports_func(kiln_imports* imports, const char* module, const char* name,
                              const kiln_valtype* params, size_t param_count,
                              const kiln_valtype* results, size_t result_count,
                              kiln_host_function function, void* env);

/* ---- instances and calls ---- */

/* Instantiates `module` in `store` (see kiln::Instance::create). */
kiln_instance* kiln_instance_new(kiln_store* store, const kiln_module* module,
                                 const kiln_imports* imports, kiln_error** error);
void kiln_instance_delete(kiln_instance* instance);
/* The exported function `name`, or NULL (and *error) if there is none. */
kiln_func* kiln_instance_func(const kiln_instance* instance, const char* name,
                              kiln_error** error);
/* Start and size in bytes of the exported memory `name`, or NULL (and
 * *error). The start stays valid while the instance lives; the size is
 * the current one. */
uint8_t* kiln_instance_memory(const kiln_instance* instance, const char* name, size_t* size,
                              kiln_error** error);

void kiln_func_delete(kiln_func* func);
/* Number of parameters and results. */
size_t kiln_func_param_count(const kiln_func* func);
size_t kiln_func_result_count(const kiln_func* func);
/* Calls `func` with `arg_count` arguments, writing `result_count` results.
 * Errors: the counts or types do not match the function's type, a trap, or
 * an error a host function returned. */
kiln_error* kiln_func_call(const kiln_func* func, const kiln_val* args, size_t arg_count,
                           kiln_val* results, size_t result_count);

#ifdef __cplusplus
}
#endif

#endif /* KILN_C_API_H */
