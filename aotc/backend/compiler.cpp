// The whole pipeline: text -> binary -> decode -> validate -> IR and backend
// (in partitions, in parallel) -> atomic write.
#include "aotc/backend/compiler.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>

#include <cstring>
#include <optional>

#include "aotc/backend/atomic_file.h"
#include "aotc/backend/compile_cache.h"
#include "aotc/backend/host_header.h"
#include "aotc/backend/partitioned_build.h"
#include "aotc/backend/target.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

// Every message names the input: "m.wasm: function 3: ... at offset 0x2a"
// (the text reader's messages already start with "m.wat:LINE:COL").
Error in_file(const std::string& name, Error err) {
  if (!err) return err;
  std::string message = error_message(std::move(err));
  if (llvm::StringRef(message).starts_with(name + ":")) return make_error(message);
  return make_error(name + ": " + message);
}

// Writes a temporary file beside `path` and renames it over `path`, so a
// failure never leaves a partial or clobbered output. "-" is stdout.
Error write_atomically(const std::string& path, const std::vector<uint8_t>& bytes,
                       bool executable = false) {
  llvm::StringRef data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (path == "-") {
    llvm::outs() << data;
    llvm::outs().flush();
    return Error::success();
  }
  if (llvm::sys::fs::is_directory(path))
    return make_error("cannot write " + path + ": it is a directory");
  return write_file_atomically(path, bytes, executable);
}

// Text or binary by file extension; nullopt when the name does not say.
std::optional<bool> text_by_name(const std::string& path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".wat" || ext == ".wast") return true;
  if (ext == ".wasm") return false;
  return std::nullopt;
}

// The module, from either format; errors name the input.
Expected<Module> decode_input(std::span<const uint8_t> input, bool is_text,
                              const std::string& input_name, const Features& features) {
  std::vector<uint8_t> binary;
  if (is_text) {
    auto converted = wat_to_wasm(input, input_name);
    if (!converted) return in_file(input_name, converted.takeError());
    binary = std::move(*converted);
  } else {
    binary.assign(input.begin(), input.end());
  }
  auto module = decode_module(std::move(binary), features);
  if (!module) return in_file(input_name, module.takeError());
  return module;
}

// An executable runs the module as a WASI command: it must export _start.
Error check_command(const Module& module) {
  for (const Export& ex : module.exports) {
    if (ex.name != "_start" || ex.kind != ExternKind::Func) continue;
    const FuncType& type = module.func_type(ex.index);
    if (!type.params.empty() || !type.results.empty())
      return make_error("--emit=exe needs a WASI command, but its _start takes or returns values");
    return Error::success();
  }
  return make_error("--emit=exe needs a WASI command (exporting _start), and this module has none");
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
  auto target = create_target(options.cpu, options.opt_level, options.target);
  if (!target) return target.takeError();
  // The executable links this build's runtime, which runs on this host only.
  if (options.emit == CompileOptions::Emit::Executable &&
      target->machine->getTargetTriple().getArch() !=
          llvm::Triple(llvm::sys::getProcessTriple()).getArch())
    return make_error(std::string("--emit=exe needs the target to be this host's, not ") +
                      target->arch->option);
  std::string cache_key;
  if (!options.cache_dir.empty()) {
    cache_key = compile_cache_key(input, is_text, options, *target);
    if (auto hit = compile_cache_lookup(options.cache_dir, cache_key, options))
      return std::move(*hit);
  }

  auto module = decode_input(input, is_text, input_name, options.features);
  if (!module) return module.takeError();
  if (Error err = validate_module(*module, options.features)) return in_file(input_name, std::move(err));
  if (options.emit == CompileOptions::Emit::Executable) {
    if (Error err = check_command(*module)) return in_file(input_name, std::move(err));
  }

  auto output = build_module(*module, input_name, *target, options);
  if (!output) return in_file(input_name, output.takeError());
  if (!cache_key.empty()) {
    // The output is good either way: a cache that cannot be written is a warning.
    Error err = compile_cache_store(options.cache_dir, cache_key, *output);
    if (err && options.warn) options.warn(error_message(std::move(err)));
    else llvm::consumeError(std::move(err));
  }
  return output;
}

namespace {

Expected<std::string> host_header_text(std::span<const uint8_t> input, bool is_text,
                                       const std::string& input_name,
                                       const CompileOptions& options, bool c) {
  auto module = decode_input(input, is_text, input_name, options.features);
  if (!module) return module.takeError();
  HostHeaderOptions header;
  header.prefix = options.prefix;
  header.source_name = llvm::sys::path::filename(input_name).str();
  header.linked = options.emit == CompileOptions::Emit::Static;
  return c ? c_host_header(*module, header) : host_header(*module, header);
}

}  // namespace

Error compile_bytes(std::span<const uint8_t> input, bool is_text, const std::string& input_name,
                    const std::string& output_path, const CompileOptions& options) {
  auto output = compile_to_memory(input, is_text, input_name, options);
  if (!output) return output.takeError();
  // Headers first: a host build that sees the library also sees its headers.
  for (bool c : {false, true}) {
    const std::string& path = c ? options.c_header_path : options.header_path;
    if (path.empty()) continue;
    auto text = host_header_text(input, is_text, input_name, options, c);
    if (!text) return text.takeError();
    if (Error err = write_atomically(path, std::vector<uint8_t>(text->begin(), text->end())))
      return err;
  }
  return write_atomically(output_path, *output,
                          options.emit == CompileOptions::Emit::Executable);
}

Error compile_file(const std::string& input_path, const std::string& output_path,
                   const CompileOptions& options) {
  auto buffer = llvm::MemoryBuffer::getFile(input_path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) return make_error("cannot read " + input_path + ": " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  std::span<const uint8_t> input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  bool is_text = text_by_name(input_path).value_or(looks_like_text(input));
  return compile_bytes(input, is_text, input_path, output_path, options);
}

}  // namespace kiln::aotc
