// kiln_fuzz_exec: runs a Kiln artifact the way `wasm-opt --fuzz-exec`
// (binaryen 108) runs a module, for differential_fuzz.py to compare.
//
// Host imports "fuzzing-support" log-* record their arguments; every exported
// function is called in export order with zero arguments, after calling
// "hangLimitInitializer" (if exported), in one instance, going on after traps.
// Values are printed with their types and exact bits, one event per line:
//   call NAME
//   log TYPE:VALUE ...
//   result TYPE:VALUE ...
//   trap KIND
//   instantiate-trap KIND
// with i32/i64 as signed decimal, f32/f64 as 0x-prefixed bits, v128 as four
// 0x-prefixed 32-bit lanes joined by '.', references as funcref:null or
// funcref:nonnull (externref likewise).
#include <cinttypes>
#include <cstdio>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kiln/kiln.h"

namespace {

std::string typed_text(const kiln::Value& v) {
  char buf[96];
  switch (v.type()) {
    case kiln::ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%" PRId32, v.as_i32());
      break;
    case kiln::ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%" PRId64, v.as_i64());
      break;
    case kiln::ValType::F32:
      std::snprintf(buf, sizeof buf, "f32:0x%08" PRIx32, v.f32_bits());
      break;
    case kiln::ValType::F64:
      std::snprintf(buf, sizeof buf, "f64:0x%016" PRIx64, v.f64_bits());
      break;
    case kiln::ValType::V128: {
      kiln::V128 b = v.as_v128();
      uint32_t lane[4];
      for (int i = 0; i < 4; ++i)
        lane[i] = uint32_t(b.bytes[4 * i]) | uint32_t(b.bytes[4 * i + 1]) << 8 |
                  uint32_t(b.bytes[4 * i + 2]) << 16 | uint32_t(b.bytes[4 * i + 3]) << 24;
      std::snprintf(buf, sizeof buf, "v128:0x%08" PRIx32 ".0x%08" PRIx32 ".0x%08" PRIx32
                    ".0x%08" PRIx32, lane[0], lane[1], lane[2], lane[3]);
      break;
    }
    case kiln::ValType::FuncRef:
    case kiln::ValType::ExternRef:
      std::snprintf(buf, sizeof buf, "%s:%s", kiln::to_string(v.type()),
                    v.is_null_ref() ? "null" : "nonnull");
      break;
  }
  return buf;
}

void print_values(const char* tag, std::span<const kiln::Value> values) {
  std::string line = tag;
  for (const kiln::Value& v : values) line += " " + typed_text(v);
  std::printf("%s\n", line.c_str());
}

// Short names for trap kinds; differential_fuzz.py maps binaryen's messages to these.
const char* trap_tag(kiln::TrapKind kind) {
  switch (kind) {
    case kiln::TrapKind::Unreachable: return "unreachable";
    case kiln::TrapKind::IntegerDivideByZero: return "div-by-zero";
    case kiln::TrapKind::IntegerOverflow: return "int-overflow";
    case kiln::TrapKind::InvalidConversionToInteger: return "bad-conversion";
    case kiln::TrapKind::OutOfBoundsMemoryAccess: return "oob-memory";
    case kiln::TrapKind::OutOfBoundsTableAccess: return "oob-table";
    case kiln::TrapKind::IndirectCallTypeMismatch: return "sig-mismatch";
    case kiln::TrapKind::UninitializedElement: return "uninit-element";
    case kiln::TrapKind::UndefinedElement: return "undefined-element";
    case kiln::TrapKind::CallStackExhausted: return "stack";
    case kiln::TrapKind::Interrupted: return "interrupted";
    case kiln::TrapKind::HostError: return "host";
    case kiln::TrapKind::UnalignedAtomic: return "unaligned-atomic";
    case kiln::TrapKind::WaitOnUnsharedMemory: return "wait-unshared";
  }
  return "unknown";
}

kiln::Imports logging_imports(const kiln::Module& module) {
  kiln::Imports imports;
  for (const kiln::ImportType& imp : module.imports()) {
    if (imp.module != "fuzzing-support" || imp.type.kind() != kiln::ExternKind::Func) continue;
    // binaryen logs every argument of every fuzzing-support import alike.
    imports.func(imp.module, imp.name, imp.type.func(),
                 [](kiln::Caller&, std::span<const kiln::Value> args, std::span<kiln::Value>) {
                   print_values("log", args);
                   std::fflush(stdout);
                 });
  }
  return imports;
}

std::vector<kiln::Value> zero_args(const kiln::FuncType& type) {
  std::vector<kiln::Value> args;
  for (kiln::ValType t : type.params) args.push_back(kiln::Value::zero(t));
  return args;
}

int run(const std::string& path) {
  kiln::Module module = kiln::Module::load(path);
  kiln::Store store;
  kiln::Instance instance;
  try {
    instance = kiln::Instance::create(store, module, logging_imports(module));
  } catch (const kiln::Trap& trap) {
    std::printf("instantiate-trap %s\n", trap_tag(trap.kind()));
    return 0;
  }
  std::optional<kiln::Extern> hang_init = instance.get_export("hangLimitInitializer");
  for (const kiln::InstanceExport& exp : instance.exports()) {
    if (exp.value.kind() != kiln::ExternKind::Func) continue;
    std::printf("call %s\n", exp.name.c_str());
    std::fflush(stdout);
    try {
      if (hang_init && hang_init->kind() == kiln::ExternKind::Func) hang_init->func().call();
      kiln::Func f = exp.value.func();
      std::vector<kiln::Value> results = f.call(zero_args(f.type()));
      if (!results.empty()) print_values("result", results);
    } catch (const kiln::Trap& trap) {
      std::printf("trap %s\n", trap_tag(trap.kind()));
    } catch (const kiln::Exception& e) {
      // An uncaught wasm exception: its payload (binaryen prints the same).
      print_values("exception", e.values());
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kiln_fuzz_exec ARTIFACT\n");
    return 2;
  }
  try {
    return run(argv[1]);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
