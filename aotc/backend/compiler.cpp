// The whole pipeline: text -> binary -> decode -> validate -> IR -> backend
// -> atomic write.
#include "aotc/backend/compiler.h"

#include <cstring>
#include <optional>

#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include "aotc/backend/artifact_builder.h"
#include "aotc/backend/target.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

// Every message names the input: "m.wasm: function 3: ... at offset 0x2a".
Error in_file(const std::string& name, Error err) {
  if (!err) return err;
  return make_error(name + ": " + error_message(std::move(err)));
}

// Text or binary by file extension; nullopt when the name does not say.
std::optional<bool> text_by_name(const std::string& path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".wat" || ext == ".wast") return true;
  if (ext == ".wasm") return false;
  return std::nullopt;
}

}  // namespace

bool looks_like_text(std::span<const uint8_t> input) {
  static const uint8_t magic[4] = {0x00, 'a', 's', 'm'};
  return input.size() < 4 || std::memcmp(input.data(), magic, 4) != 0;
}

Expected<std::vector<uint8_t>> compile_to_memory(std::span<const uint8_t> input, bool is_text,
                                                 const std::string& input_name,
                                                 const CompileOptions& options) {
  if (options.opt_level > 3)
    return make_error("optimization level " + std::to_string(options.opt_level) + " is not 0..3");
  auto target = create_target(options.cpu, options.opt_level);
  if (!target) return target.takeError();

  std::vector<uint8_t> binary;
  if (is_text) {
    auto converted = wat_to_wasm(input, input_name);
    if (!converted) return in_file(input_name, converted.takeError());
    binary = std::move(*converted);
  } else {
    binary.assign(input.begin(), input.end());
  }
  auto module = decode_module(std::move(binary));
  if (!module) return in_file(input_name, module.takeError());
  if (Error err = validate_module(*module)) return in_file(input_name, std::move(err));

  llvm::LLVMContext context;
  auto code = create_code_module(context, input_name, *target);
  if (Error err = generate_module(*module, options.codegen, *code))
    return in_file(input_name, std::move(err));
  auto output = build_output(*module, *code, *target, options);
  if (!output) return in_file(input_name, output.takeError());
  return output;
}

Error compile_bytes(std::span<const uint8_t> input, bool is_text, const std::string& input_name,
                    const std::string& output_path, const CompileOptions& options) {
  auto output = compile_to_memory(input, is_text, input_name, options);
  if (!output) return output.takeError();
  // writeToOutput writes a temporary file next to the output and renames it
  // into place only once everything was written.
  Error err = llvm::writeToOutput(output_path, [&](llvm::raw_ostream& os) {
    os.write(reinterpret_cast<const char*>(output->data()), output->size());
    return Error::success();
  });
  if (err) return make_error("cannot write " + output_path + ": " + error_message(std::move(err)));
  return Error::success();
}

Error compile_file(const std::string& input_path, const std::string& output_path,
                   const CompileOptions& options) {
  auto buffer = llvm::MemoryBuffer::getFile(input_path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return make_error("cannot read " + input_path + ": " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  std::span<const uint8_t> input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  bool is_text = text_by_name(input_path).value_or(looks_like_text(input));
  return compile_bytes(input, is_text, input_path, output_path, options);
}

}  // namespace kiln::aotc
