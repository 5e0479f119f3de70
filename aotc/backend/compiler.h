// aotc as a library: one .wasm/.wat in, one artifact (or object, or IR) out.
// The aotc command and in-process users (the spec test runner) call this.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "aotc/codegen/codegen.h"
#include "aotc/wasm/error.h"
#include "aotc/wasm/feature_set.h"

namespace kiln::aotc {

/// How far a compile is, reported after each partition.
struct CompileProgress {
  uint32_t functions_done = 0;
  uint32_t functions_total = 0;
  uint64_t code_bytes_done = 0;   // wasm function bodies compiled so far
  uint64_t code_bytes_total = 0;
};

struct CompileOptions {
  unsigned opt_level = 2;         // 0..3, as -O0..-O3
  /// A triple aotc compiles for (see find_target); empty: x86_64-linux-gnu.
  std::string target;
  /// An LLVM CPU name of the target, or "native" (the host's, when the
  /// target is the host's); empty: the target's default (x86-64-v2, generic).
  std::string cpu;
  CodegenOptions codegen;
  /// The post-2.0 proposals accepted: a module using another is refused.
  Features features;
  /// Threads compiling partitions of the module's functions in parallel;
  /// 0 means one per hardware thread this process may run on (its CPU
  /// affinity). The output does not depend on it.
  unsigned threads = 0;
  /// About this many bytes of function bodies (wasm) go into one partition;
  /// 0 puts the whole module in one. The partitions, unlike the threads,
  /// shape the output (calls between partitions are not inlined).
  uint64_t partition_bytes = 64 * 1024;
  /// Keep the shared object's symbol table, functions named as
  /// abi/function_names.h says (for perf, valgrind and gdb), with the
  /// writable page valgrind needs to read it; false strips both.
  bool keep_symbols = true;
  /// Keep an executable's symbol table (--emit=exe --symbols); stripped by
  /// default, like the runtime linked into it.
  bool executable_symbols = false;
  enum class Emit {
    SharedObject,  // the loadable artifact
    Object,        // code and descriptor merged into one relocatable object
    LLVMIR,        // optimized IR of the code (the descriptor needs machine code, so is absent)
    Static,        // a static library member: see make_static_library
    Executable,    // a standalone executable running the module as a WASI command
  } emit = Emit::SharedObject;
  /// Emit::Static: the descriptor's symbol is prefix + "_kiln_descriptor";
  /// the object is wrapped in an ar archive unless `static_object`.
  std::string prefix;
  bool static_object = false;
  /// When not empty, compile_file/compile_bytes also write the C++ host
  /// header (see host_header.h) there, namespace `prefix`; it declares the
  /// linked descriptor when emit is Static. Does not shape the output.
  std::string header_path;
  /// Same for the C header (see c_host_header).
  std::string c_header_path;
  /// When not empty, a content-addressed cache (aotc --cache-dir): the
  /// output is taken from it when an earlier compile had the same input,
  /// options and compiler build, and stored in it otherwise. Does not shape
  /// the output.
  std::string cache_dir;
  /// Called after each compiled partition (from compiling threads, one call
  /// at a time); may be empty.
  std::function<void(const CompileProgress&)> progress;
  /// Receives problems that do not fail the compile (a cache entry that
  /// cannot be written), one line each; may be empty.
  std::function<void(const std::string&)> warn;
};

/// Compiles the file at input_path (text format if it ends in .wat/.wast, or
/// if it is not .wasm and does not start with "\0asm") and writes
/// output_path atomically: on any error the output is left untouched.
/// Errors are one line starting with the input's name.
Error compile_file(const std::string& input_path, const std::string& output_path,
                   const CompileOptions& options);

/// Same, for a module in memory; input_name is used in messages.
Error compile_bytes(std::span<const uint8_t> input, bool is_text, const std::string& input_name,
                    const std::string& output_path, const CompileOptions& options);

/// Same, returning the output's bytes instead of writing a file.
Expected<std::vector<uint8_t>> compile_to_memory(std::span<const uint8_t> input, bool is_text,
                                                 const std::string& input_name,
                                                 const CompileOptions& options);

/// True if `input` looks like the text format: not starting with "\0asm".
bool looks_like_text(std::span<const uint8_t> input);

}  // namespace kiln::aotc
