// The C API (include/kiln/c_api.h) over the C++ one: each C object wraps
// its C++ handle, and every entry point catches everything, so no C++
// exception ever reaches C code.
#include "kiln/c_api.h"

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "kiln/kiln.h"

struct kiln_error {
  std::string message;
  int trap_kind = 0;
};
struct kiln_store {
  kiln::Store store;
};
struct kiln_module {
  kiln::Module module;
};
struct kiln_imports {
  kiln::Imports imports;
};
struct kiln_instance {
  kiln::Instance instance;
};
struct kiln_func {
  kiln::Func func;
  size_t params = 0, results = 0;
};

namespace {

kiln_error* make_error(std::string message, int trap_kind = 0) {
  try {
    return new kiln_error{std::move(message), trap_kind};
  } catch (...) {
    return nullptr;  // out of memory even for the message: nothing better to give
  }
}

// Runs `body`, turning whatever it throws into a kiln_error.
template <class Body>
kiln_error* guarded(Body&& body) {
  try {
    body();
    return nullptr;
  } catch (const kiln::Trap& trap) {
    return make_error(trap.what(), int(trap.kind()));
  } catch (const std::bad_alloc&) {
    return make_error("out of memory");
  } catch (const std::exception& e) {
    return make_error(e.what());
  } catch (...) {
    return make_error("unknown C++ exception");
  }
}

// Sets *error (when the caller asked for it), else drops the error.
void report(kiln_error* problem, kiln_error** error) {
  if (error) *error = problem;
  else delete problem;
}

bool valid_type(kiln_valtype t) {
  switch (t) {
    case KILN_I32: case KILN_I64: case KILN_F32: case KILN_F64: case KILN_V128: return true;
  }
  return false;
}

kiln::Value to_value(const kiln_val& v) {
  switch (v.type) {
    case KILN_I32: return kiln::Value::i32(v.of.i32);
    case KILN_I64: return kiln::Value::i64(v.of.i64);
    case KILN_F32: return kiln::Value::f32(v.of.f32);
    case KILN_F64: return kiln::Value::f64(v.of.f64);
    case KILN_V128: {
      kiln::V128 bytes;
      std::memcpy(bytes.bytes, v.of.v128, 16);
      return kiln::Value::v128(bytes);
    }
  }
  throw kiln::Error("bad kiln_val type " + std::to_string(int(v.type)));
}

kiln_val to_c(const kiln::Value& v) {
  kiln_val out;
  std::memset(&out, 0, sizeof out);
  out.type = kiln_valtype(v.type());
  switch (v.type()) {
    case kiln::ValType::I32: out.of.i32 = v.as_i32(); break;
    case kiln::ValType::I64: out.of.i64 = v.as_i64(); break;
    case kiln::ValType::F32: out.of.f32 = v.as_f32(); break;
    case kiln::ValType::F64: out.of.f64 = v.as_f64(); break;
    case kiln::ValType::V128: std::memcpy(out.of.v128, v.as_v128().bytes, 16); break;
    default: throw kiln::Error(std::string("the C API does not pass ") + kiln::to_string(v.type()) +
                               " values");
  }
  return out;
}

}  // namespace

extern "C" {

const char* kiln_error_message(const kiln_error* error) {
  return error ? error->message.c_str() : "";
}
int kiln_error_trap_kind(const kiln_error* error) { return error ? error->trap_kind : 0; }
kiln_error* kiln_error_new(const char* message) { return make_error(message ? message : ""); }
void kiln_error_delete(kiln_error* error) { delete error; }

kiln_store* kiln_store_new(void) {
  kiln_store* store = nullptr;
  kiln_error* problem = guarded([&] { store = new kiln_store; });
  delete problem;
  return store;
}
void kiln_store_delete(kiln_store* store) { delete store; }
void kiln_store_interrupt(kiln_store* store) {
  if (store) delete guarded([&] { store->store.interrupt(); });
}

kiln_module* kiln_module_load(const char* path, kiln_error** error) {
  kiln_module* module = nullptr;
  report(guarded([&] { module = new kiln_module{kiln::Module::load(path ? path : "")}; }), error);
  return module;
}

kiln_module* kiln_module_linked(const kiln_linked_descriptor* descriptor, const char* name,
                                kiln_error** error) {
  kiln_module* module = nullptr;
  report(guarded([&] {
           if (!descriptor) throw kiln::Error("kiln_module_linked: no descriptor");
           module = new kiln_module{kiln::Module::linked(
               *reinterpret_cast<const kiln::LinkedDescriptor*>(descriptor), name ? name : "")};
         }),
         error);
  return module;
}
void kiln_module_delete(kiln_module* module) { delete module; }

kiln_imports* kiln_imports_new(void) {
  kiln_imports* imports = nullptr;
  delete guarded([&] { imports = new kiln_imports; });
  return imports;
}
void kiln_imports_delete(kiln_imports* imports) { delete imports; }

kiln_error* kiln_imports_func(kiln_imports* imports, const char* module, const char* name,
                              const kiln_valtype* params, size_t param_count,
                              const kiln_valtype* results, size_t result_count,
                              kiln_host_function function, void* env) {
  return guarded([&] {
    if (!imports || !module || !name || !function)
      throw kiln::Error("kiln_imports_func: imports, module, name and function are required");
    kiln::FuncType type;
    for (size_t i = 0; i < param_count; ++i) {
      if (!valid_type(params[i])) throw kiln::Error("kiln_imports_func: bad parameter type");
      type.params.push_back(kiln::ValType(params[i]));
    }
    for (size_t i = 0; i < result_count; ++i) {
      if (!valid_type(results[i])) throw kiln::Error("kiln_imports_func: bad result type");
      type.results.push_back(kiln::ValType(results[i]));
    }
    imports->imports.func(
        module, name, type,
        kiln::HostCallback([function, env](kiln::Caller&, std::span<const kiln::Value> args,
                                           std::span<kiln::Value> out) {
          std::vector<kiln_val> c_args, c_results(out.size());
          c_args.reserve(args.size());
          for (const kiln::Value& v : args) c_args.push_back(to_c(v));
          for (size_t i = 0; i < out.size(); ++i) c_results[i] = to_c(out[i]);  // zeros, typed
          if (kiln_error* problem = function(env, c_args.data(), c_results.data())) {
            std::string message = problem->message;
            delete problem;
            throw kiln::Error(message);
          }
          for (size_t i = 0; i < out.size(); ++i) {
            if (c_results[i].type != kiln_valtype(out[i].type()))
              throw kiln::Error("host function result " + std::to_string(i) + " has the wrong type");
            out[i] = to_value(c_results[i]);
          }
        }));
  });
}

kiln_instance* kiln_instance_new(kiln_store* store, const kiln_module* module,
                                 const kiln_imports* imports, kiln_error** error) {
  kiln_instance* instance = nullptr;
  report(guarded([&] {
           if (!store || !module) throw kiln::Error("kiln_instance_new: store and module are required");
           static const kiln::Imports none;
           instance = new kiln_instance{kiln::Instance::create(
               store->store, module->module, imports ? imports->imports : none)};
         }),
         error);
  return instance;
}
void kiln_instance_delete(kiln_instance* instance) { delete instance; }

kiln_func* kiln_instance_func(const kiln_instance* instance, const char* name,
                              kiln_error** error) {
  kiln_func* func = nullptr;
  report(guarded([&] {
           if (!instance || !name) throw kiln::Error("kiln_instance_func: instance and name are required");
           kiln::Func f = instance->instance.func(name);
           kiln::FuncType type = f.type();
           func = new kiln_func{f, type.params.size(), type.results.size()};
         }),
         error);
  return func;
}

uint8_t* kiln_instance_memory(const kiln_instance* instance, const char* name, size_t* size,
                              kiln_error** error) {
  uint8_t* data = nullptr;
  report(guarded([&] {
           if (!instance || !name) throw kiln::Error("kiln_instance_memory: instance and name are required");
           kiln::Memory memory = instance->instance.memory(name);
           data = memory.data();
           if (size) *size = size_t(memory.size_bytes());
         }),
         error);
  return data;
}

void kiln_func_delete(kiln_func* func) { delete func; }
size_t kiln_func_param_count(const kiln_func* func) { return func ? func->params : 0; }
size_t kiln_func_result_count(const kiln_func* func) { return func ? func->results : 0; }

kiln_error* kiln_func_call(const kiln_func* func, const kiln_val* args, size_t arg_count,
                           kiln_val* results, size_t result_count) {
  return guarded([&] {
    if (!func) throw kiln::Error("kiln_func_call: no function");
    if (result_count != func->results)
      throw kiln::Error("kiln_func_call: the function has " + std::to_string(func->results) +
                        " result(s), room was given for " + std::to_string(result_count));
    std::vector<kiln::Value> in;
    in.reserve(arg_count);
    for (size_t i = 0; i < arg_count; ++i) in.push_back(to_value(args[i]));
    std::vector<kiln::Value> out(result_count);
    func->func.call(in, out);
    for (size_t i = 0; i < result_count; ++i) results[i] = to_c(out[i]);
  });
}

}  // extern "C"
