// The text format, via WABT: parse, resolve names, validate, write binary.
#include <wabt/binary-writer.h>
#include <wabt/error.h>
#include <wabt/expr-visitor.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/resolve-names.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

// "FILE:LINE:COL: message" for the first error WABT reported.
std::string first_error(const wabt::Errors& errors, const std::string& filename) {
  if (errors.empty()) return filename + ": invalid text module";
  const wabt::Error& e = errors.front();
  std::string message = e.message;
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::string out = filename + ":" + std::to_string(e.loc.line) + ":" +
                    std::to_string(e.loc.first_column) + ": " + message;
  if (errors.size() > 1) out += " (and " + std::to_string(errors.size() - 1) + " more errors)";
  return out;
}

// WABT 1.0.32 resolves the memory name of plain loads and stores but not of
// atomics (nor of SIMD splat/zero loads): its binary writer then asserts on
// the name. These resolve it, or report it undefined.
class MemoryNameResolver : public wabt::ExprVisitor::DelegateNop {
 public:
  MemoryNameResolver(const wabt::Module& module, wabt::Errors& errors)
      : module_(module), errors_(errors) {}

  wabt::Result OnAtomicLoadExpr(wabt::AtomicLoadExpr* e) override { return resolve(e->memidx); }
  wabt::Result OnAtomicStoreExpr(wabt::AtomicStoreExpr* e) override { return resolve(e->memidx); }
  wabt::Result OnAtomicRmwExpr(wabt::AtomicRmwExpr* e) override { return resolve(e->memidx); }
  wabt::Result OnAtomicRmwCmpxchgExpr(wabt::AtomicRmwCmpxchgExpr* e) override {
    return resolve(e->memidx);
  }
  wabt::Result OnAtomicWaitExpr(wabt::AtomicWaitExpr* e) override { return resolve(e->memidx); }
  wabt::Result OnAtomicNotifyExpr(wabt::AtomicNotifyExpr* e) override { return resolve(e->memidx); }
  wabt::Result OnLoadSplatExpr(wabt::LoadSplatExpr* e) override { return resolve(e->memidx); }
  wabt::Result OnLoadZeroExpr(wabt::LoadZeroExpr* e) override { return resolve(e->memidx); }

 private:
  wabt::Result resolve(wabt::Var& var) {
    if (!var.is_name()) return wabt::Result::Ok;
    const wabt::Index index = module_.memory_bindings.FindIndex(var);
    if (index == wabt::kInvalidIndex) {
      errors_.emplace_back(wabt::ErrorLevel::Error, var.loc,
                           "undefined memory variable \"" + var.name() + "\"");
      return wabt::Result::Error;
    }
    var.set_index(index);
    return wabt::Result::Ok;
  }

  const wabt::Module& module_;
  wabt::Errors& errors_;
};

wabt::Result resolve_memory_names(wabt::Module& module, wabt::Errors& errors) {
  MemoryNameResolver resolver(module, errors);
  wabt::ExprVisitor visitor(&resolver);
  for (wabt::Func* func : module.funcs)
    if (wabt::Failed(visitor.VisitFunc(func))) return wabt::Result::Error;
  return wabt::Result::Ok;
}

}  // namespace

Expected<std::vector<uint8_t>> wat_to_wasm(std::span<const uint8_t> text, const std::string& filename) {
  // WABT's defaults are the WebAssembly 2.0 feature set; the proposals aotc
  // implements are parsed always, and refused by the decoder when disabled.
  wabt::Features features;
  features.enable_extended_const();
  features.enable_threads();
  features.enable_multi_memory();
  features.enable_memory64();
  features.enable_exceptions();
  features.enable_tail_call();
  wabt::Errors errors;
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer(filename, text.data(), text.size(), &errors);
  wabt::WastParseOptions parse_options(features);
  std::unique_ptr<wabt::Module> module;
  wabt::Result result = wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options);
  if (wabt::Succeeded(result)) result = resolve_memory_names(*module, errors);
  if (wabt::Succeeded(result)) result = wabt::ResolveNamesModule(module.get(), &errors);
  if (wabt::Succeeded(result)) result = wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features));
  if (wabt::Failed(result) || !module) return make_error(first_error(errors, filename));

  wabt::MemoryStream stream;
  const wabt::WriteBinaryOptions write_options(features, /*canonicalize_lebs=*/true,
                                               /*relocatable=*/false, /*write_debug_names=*/true);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    return make_error(filename + ": could not encode the module in the binary format");
  }
  return std::move(stream.output_buffer().data);
}

}  // namespace kiln::aotc
