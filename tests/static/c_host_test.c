/* A C host (C11, no C++) with adder and trapper linked in statically,
 * through the C headers aotc writes (--c-header) over kiln/c_api.h. */
#include <stdio.h>
#include <string.h>

#include "adder_c.h"
#include "trapper_c.h"

static int failures = 0, passes = 0;

static void check(int ok, const char* what) {
  printf("%s %s\n", ok ? "ok  " : "FAIL", what);
  if (ok) ++passes;
  else ++failures;
}

static int logged = 0;
static kiln_error* log_call(void* env, const kiln_val* args, kiln_val* results) {
  (void)results;
  int* sum = (int*)env;
  *sum += args[0].of.i32 + (int)args[1].of.i64;
  ++logged;
  return NULL;
}

static kiln_error* stop_call(void* env, const kiln_val* args, kiln_val* results) {
  (void)args;
  (void)results;
  kiln_store_interrupt((kiln_store*)env);
  return NULL;
}

static kiln_error* refuse_call(void* env, const kiln_val* args, kiln_val* results) {
  (void)env;
  (void)args;
  (void)results;
  return kiln_error_new("the host says no");
}

int main(void) {
  kiln_error* error = NULL;
  kiln_store* store = kiln_store_new();
  kiln_module* adder = adder_module(&error);
  check(adder != NULL && error == NULL, "the linked module is checked and registered");

  int sum = 0;
  kiln_imports* imports = kiln_imports_new();
  check(adder_import_env_log(imports, log_call, &sum) == NULL, "a typed import is defined");
  kiln_instance* instance = kiln_instance_new(store, adder, imports, &error);
  check(instance != NULL, "the module instantiates");
  adder_exports exports;
  check(adder_exports_init(&exports, instance) == NULL, "its exports are looked up");

  int32_t r = 0;
  check(adder_add(&exports, 2, 40, &r) == NULL && r == 42, "add(2, 40) = 42");
  check(logged == 1 && sum == 42, "the host function was called with both arguments");
  int64_t s = 0, p = 0;
  check(adder_sum_and_product(&exports, 6, 7, &s, &p) == NULL && s == 13 && p == 42,
        "multi-value results");
  check(adder_store(&exports, 8, 2.5) == NULL, "a call without results");
  size_t size = 0;
  uint8_t* memory = kiln_instance_memory(instance, "memory", &size, &error);
  double stored = 0;
  if (memory) memcpy(&stored, memory + 8, sizeof stored);
  check(memory != NULL && size == 65536 && stored == 2.5, "the exported memory");
  uint8_t lanes[16];
  check(adder_splat(&exports, 7, lanes) == NULL && lanes[0] == 7 && lanes[4] == 7 && lanes[1] == 0,
        "v128 results as bytes");

  /* Traps, interrupts and host errors come back as kiln_error. */
  kiln_module* trapper = trapper_module(&error);
  kiln_imports* trapper_imports = kiln_imports_new();
  trapper_import_host_stop(trapper_imports, stop_call, store);
  kiln_instance* t = kiln_instance_new(store, trapper, trapper_imports, &error);
  trapper_exports te;
  check(t != NULL && trapper_exports_init(&te, t) == NULL, "the second linked module");
  int32_t q = 0;
  kiln_error* trap = trapper_outer(&te, 0, &q);
  check(trap != NULL && kiln_error_trap_kind(trap) == 2 &&
            strcmp(kiln_error_message(trap), "wasm trap: integer divide by zero") == 0,
        "a trap: kind 2, the spec's message");
  kiln_error_delete(trap);
  trap = trapper_spin(&te);
  check(trap != NULL && kiln_error_trap_kind(trap) == 11, "an interrupt from a host function");
  kiln_error_delete(trap);
  check(trapper_outer(&te, 4, &q) == NULL && q == 26, "the store works after traps");

  kiln_imports* refusing = kiln_imports_new();
  adder_import_env_log(refusing, refuse_call, NULL);
  kiln_instance* other = kiln_instance_new(store, adder, refusing, &error);
  adder_exports oe;
  adder_exports_init(&oe, other);
  kiln_error* refused = adder_add(&oe, 1, 2, &r);
  check(refused != NULL && kiln_error_trap_kind(refused) == 0 &&
            strstr(kiln_error_message(refused), "the host says no") != NULL,
        "a host function's error ends the call and comes back");
  kiln_error_delete(refused);

  kiln_val wrong = {KILN_I64, {.i64 = 1}};
  kiln_val out[1];
  kiln_error* mismatch = kiln_func_call(exports.add, &wrong, 1, out, 1);
  check(mismatch != NULL, "arguments of the wrong type or count are refused");
  kiln_error_delete(mismatch);
  kiln_module* missing = kiln_module_load("/nonexistent/m.so", &error);
  check(missing == NULL && error != NULL && strstr(kiln_error_message(error), "/nonexistent/m.so"),
        "a failed load names the file");
  kiln_error_delete(error);

  /* Everything released, in no particular order. */
  kiln_store_delete(store);
  adder_exports_release(&oe);
  kiln_instance_delete(other);
  kiln_imports_delete(refusing);
  trapper_exports_release(&te);
  kiln_instance_delete(t);
  kiln_imports_delete(trapper_imports);
  kiln_module_delete(trapper);
  adder_exports_release(&exports);
  kiln_instance_delete(instance);
  kiln_imports_delete(imports);
  kiln_module_delete(adder);
  printf("%d passed, %d failed\n", passes, failures);
  return failures ? 1 : 0;
}
