// The text format, via WABT: parse, resolve names, validate, write binary.
#include <wabt/binary-writer.h>
#include <wabt/error.h>
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

}  // namespace

Expected<std::vector<uint8_t>> wat_to_wasm(std::span<const uint8_t> text, const std::string& filename) {
  // WABT's defaults are the WebAssembly 2.0 feature set; the proposals aotc
  // implements are parsed always, and refused by the decoder when disabled.
  wabt::Features features;
  features.enable_extended_const();
  features.enable_threads();
  features.enable_multi_memory();
  features.enable_memory64();
  wabt::Errors errors;
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer(filename, text.data(), text.size(), &errors);
  wabt::WastParseOptions parse_options(features);
  std::unique_ptr<wabt::Module> module;
  wabt::Result result = wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options);
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
