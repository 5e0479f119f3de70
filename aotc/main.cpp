// aotc: compiles one WebAssembly module (.wasm or .wat) to a Kiln artifact.
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/version.h"
#include "aotc/backend/compiler.h"
#include "aotc/backend/host_header.h"
#include "aotc/backend/static_library.h"
#include "aotc/backend/target.h"

namespace {

using kiln::aotc::CompileOptions;

const char* kUsage =
    "usage: aotc INPUT -o OUTPUT [options]\n"
    "\n"
    "Compiles a WebAssembly module (binary .wasm or text .wat) to a native\n"
    "shared object that libkiln loads.\n"
    "\n"
    "options:\n"
    "  -o OUTPUT                    output file (written only if compilation succeeds)\n"
    "  -O0 | -O1 | -O2 | -O3        optimization level (default -O2)\n"
    "  --emit=so|static|exe|obj|ll  shared object (default); a static library to link\n"
    "                               into a host program (-o libNAME.a, or NAME.o for\n"
    "                               a plain object) with its C++ header; a standalone\n"
    "                               executable running a WASI command (PROGRAM --help\n"
    "                               shows its options); a relocatable object of the\n"
    "                               artifact; or the optimized LLVM IR\n"
    "  --prefix=NAME                static library: its descriptor symbol is\n"
    "                               NAME_kiln_descriptor and its header's namespace is\n"
    "                               NAME (default: the output's name without lib and\n"
    "                               extension, other characters turned into '_')\n"
    "  --header=FILE                write the C++ header there (default for a static\n"
    "                               library: NAME.h beside it); also with --emit=so,\n"
    "                               for typed imports and exports without module()\n"
    "  --no-header                  no header for a static library\n"
    "  --c-header=FILE              also write a C header (over kiln/c_api.h)\n"
    "  --target=TRIPLE              x86_64-linux-gnu (default) or aarch64-linux-gnu\n"
    "  --cpu=NAME                   LLVM CPU name of the target (x86-64: x86-64-v2 by\n"
    "                               default, x86-64-v3, znver4, ...; aarch64: generic by\n"
    "                               default, cortex-a72, neoverse-n1, ...), or 'native'\n"
    "                               when the target is this host's\n"
    "  --interruptible              check for Store::interrupt() at the entries of\n"
    "                               functions that call (one compare, shared with the\n"
    "                               stack check) and at loop headers (one read of the\n"
    "                               instance's poll page), so it can stop the guest (default)\n"
    "  --no-interruptible           no polls: tight loops may run faster (the optimizer\n"
    "                               can vectorize them), but only a trap ends a runaway guest\n"
    "  --canonicalize-nans          every NaN a float operation computes is the positive\n"
    "                               canonical one, so results do not depend on the CPU\n"
    "                               (one compare and select per operation)\n"
    "  --bounds-checks=guard|explicit\n"
    "                               guard pages (default) or explicit checks on\n"
    "                               every memory access\n"
    "  --disable-FEATURE            refuse modules using this WebAssembly proposal\n"
    "                               (those aotc implements are on by default:\n"
    "                               extended-const, multi-memory, memory64)\n"
    "  --features=A,B,-C            enable A and B, disable C (proposal names)\n"
    "  -j N | --threads=N           compile with N threads (default: one per hardware\n"
    "                               thread); the output is the same for every N\n"
    "  --partition-size=BYTES       functions are compiled in partitions of about this\n"
    "                               much wasm code (default 65536), in parallel; calls\n"
    "                               between partitions are not inlined. 0: the whole\n"
    "                               module is one partition\n"
    "  --symbols | --no-symbols     keep (the default for .so; --emit=exe only with\n"
    "                               --symbols) or strip the symbol table, which names\n"
    "                               functions for perf, valgrind and gdb as the name\n"
    "                               section does, else wasm-function[N]\n"
    "  --cache-dir=DIR              take the output from this content-addressed cache when\n"
    "                               the same input was compiled with the same options by\n"
    "                               this same aotc build; store it there otherwise\n"
    "  -mllvm OPTION                pass an option to LLVM, for developers (e.g.\n"
    "                               -mllvm -time-passes with -j1)\n"
    "  --help                       show this help\n"
    "  --version                    show the version\n";

struct Command {
  std::string input;
  std::string output;
  CompileOptions options;
  std::vector<const char*> llvm_args{"aotc (-mllvm)"};
  std::string header;  // --header
  std::string c_header;  // --c-header
  bool no_header = false;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

// LLVM calls these instead of returning on unrecoverable internal errors:
// report them in the same one-line form rather than aborting.
void on_llvm_fatal_error(void*, const char* reason, bool) {
  std::fprintf(stderr, "error: internal compiler error: %s\n", reason);
  std::fflush(stderr);
  _exit(1);
}
void on_llvm_bad_alloc(void*, const char*, bool) {
  std::fprintf(stderr, "error: out of memory\n");
  std::fflush(stderr);
  _exit(1);
}

// More would only cost memory: partitions, not threads, bound the parallelism.
constexpr unsigned kMaxThreads = 1024;

// A plain decimal number in [min, max] (no sign, no spaces).
std::optional<uint64_t> parse_decimal(std::string_view text, uint64_t min, uint64_t max) {
  if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits cannot overflow
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + uint64_t(c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

// A thread count 1..kMaxThreads.
std::optional<unsigned> parse_thread_count(std::string_view text) {
  std::optional<uint64_t> value = parse_decimal(text, 1, kMaxThreads);
  if (!value) return std::nullopt;
  return unsigned(*value);
}

// A byte count (at most 2^40).
std::optional<uint64_t> parse_partition_size(std::string_view text) {
  return parse_decimal(text, 0, uint64_t(1) << 40);
}

// The prefix, header and static-library form that follow from the output's
// name when not given.
std::optional<std::string> resolve_outputs(Command& cmd) {
  using kiln::aotc::prefix_from_path;
  CompileOptions& o = cmd.options;
  const bool is_static = o.emit == CompileOptions::Emit::Static;
  const bool header_possible = is_static || o.emit == CompileOptions::Emit::SharedObject;
  if ((!cmd.header.empty() || !cmd.c_header.empty()) && !header_possible)
    return "--header and --c-header need --emit=so or --emit=static";
  if (!o.prefix.empty() && !header_possible)
    return "--prefix needs --emit=static (or --emit=so with --header)";
  const bool wants_prefix = is_static || !cmd.c_header.empty() || (!cmd.header.empty() && !cmd.no_header);
  if (o.prefix.empty() && wants_prefix) {
    o.prefix = prefix_from_path(cmd.output == "-" ? cmd.input : cmd.output);
    if (kiln::aotc::is_language_keyword(o.prefix)) o.prefix += '_';  // libint.a -> int_
  }
  if (wants_prefix && kiln::aotc::is_language_keyword(o.prefix))
    return "--prefix '" + o.prefix + "' is a C/C++ keyword, which cannot name the header's namespace";
  if (is_static) {
    llvm::StringRef ext = llvm::sys::path::extension(cmd.output);
    if (ext != ".a" && ext != ".o")
      return "a static library's output must end in .a (an archive) or .o (an object): '" +
             cmd.output + "'";
    o.static_object = ext == ".o";
    if (cmd.header.empty() && !cmd.no_header) {
      llvm::SmallString<256> header(llvm::sys::path::parent_path(cmd.output));
      llvm::sys::path::append(header, o.prefix + ".h");
      cmd.header = std::string(header);
    }
  }
  if (cmd.no_header) cmd.header.clear();
  o.header_path = cmd.header;
  o.c_header_path = cmd.c_header;
  return std::nullopt;
}

// Parses argv; returns an error message, or nullopt on success.
std::optional<std::string> parse(int argc, char** argv, Command& cmd) {
  bool have_output = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-o") {
      if (i + 1 >= argc) return "-o needs a file name";
      cmd.output = argv[++i];
      have_output = true;
    } else if (arg.size() > 2 && arg.substr(0, 2) == "-o") {
      cmd.output = std::string(arg.substr(2));
      have_output = true;
    } else if (arg.size() == 3 && arg.substr(0, 2) == "-O" && arg[2] >= '0' && arg[2] <= '3') {
      cmd.options.opt_level = unsigned(arg[2] - '0');
    } else if (arg.substr(0, 7) == "--emit=") {
      std::string_view kind = arg.substr(7);
      if (kind == "so")
        cmd.options.emit = CompileOptions::Emit::SharedObject;
      else if (kind == "obj")
        cmd.options.emit = CompileOptions::Emit::Object;
      else if (kind == "ll")
        cmd.options.emit = CompileOptions::Emit::LLVMIR;
      else if (kind == "static")
        cmd.options.emit = CompileOptions::Emit::Static;
      else if (kind == "exe")
        cmd.options.emit = CompileOptions::Emit::Executable;
      else
        return "unknown --emit kind '" + std::string(kind) +
               "' (expected so, static, exe, obj or ll)";
    } else if (arg == "--prefix" || arg.substr(0, 9) == "--prefix=") {
      if (arg == "--prefix" && i + 1 >= argc) return "--prefix needs a name";
      cmd.options.prefix = arg == "--prefix" ? argv[++i] : std::string(arg.substr(9));
      if (!kiln::aotc::valid_symbol_prefix(cmd.options.prefix))
        return "invalid --prefix '" + cmd.options.prefix +
               "' (letters, digits and '_', not starting with a digit)";
    } else if (arg == "--header" || arg.substr(0, 9) == "--header=") {
      if (arg == "--header" && i + 1 >= argc) return "--header needs a file name";
      cmd.header = arg == "--header" ? argv[++i] : std::string(arg.substr(9));
      if (cmd.header.empty()) return "--header needs a file name";
    } else if (arg == "--c-header" || arg.substr(0, 11) == "--c-header=") {
      if (arg == "--c-header" && i + 1 >= argc) return "--c-header needs a file name";
      cmd.c_header = arg == "--c-header" ? argv[++i] : std::string(arg.substr(11));
      if (cmd.c_header.empty()) return "--c-header needs a file name";
    } else if (arg == "--no-header") {
      cmd.no_header = true;
    } else if (arg == "-j" || (arg.size() > 2 && arg.substr(0, 2) == "-j") ||
               arg.substr(0, 10) == "--threads=") {
      std::string_view count;
      if (arg == "-j") {
        if (i + 1 >= argc) return "-j needs a thread count";
        count = argv[++i];
      } else {
        count = arg.substr(arg[1] == 'j' ? 2 : 10);
      }
      auto threads = parse_thread_count(count);
      if (!threads)
        return "bad thread count '" + std::string(count) + "' (expected 1.." +
               std::to_string(kMaxThreads) + ")";
      cmd.options.threads = *threads;
    } else if (arg.substr(0, 17) == "--partition-size=") {
      std::string_view size = arg.substr(17);
      auto bytes = parse_partition_size(size);
      if (!bytes)
        return "bad partition size '" + std::string(size) + "' (expected 0..2^40 bytes)";
      cmd.options.partition_bytes = *bytes;
    } else if (arg.substr(0, 9) == "--target=") {
      cmd.options.target = std::string(arg.substr(9));
      if (!kiln::aotc::find_target(cmd.options.target))
        return "unsupported target '" + cmd.options.target +
               "' (expected x86_64-linux-gnu or aarch64-linux-gnu)";
    } else if (arg.substr(0, 6) == "--cpu=") {
      cmd.options.cpu = std::string(arg.substr(6));
      if (cmd.options.cpu.empty()) return "--cpu needs a CPU name";
    } else if (arg == "--interruptible") {
      cmd.options.codegen.interruptible = true;
    } else if (arg == "--no-interruptible") {
      cmd.options.codegen.interruptible = false;
    } else if (arg == "--canonicalize-nans") {
      cmd.options.codegen.canonicalize_nans = true;
    } else if (arg == "--cache-dir" || arg.substr(0, 12) == "--cache-dir=") {
      if (arg == "--cache-dir") {
        if (i + 1 >= argc) return "--cache-dir needs a directory";
        cmd.options.cache_dir = argv[++i];
      } else {
        cmd.options.cache_dir = std::string(arg.substr(12));
      }
      if (cmd.options.cache_dir.empty()) return "--cache-dir needs a directory";
    } else if (arg == "-mllvm") {
      if (i + 1 >= argc) return "-mllvm needs an LLVM option";
      cmd.llvm_args.push_back(argv[++i]);
    } else if (arg == "--symbols") {
      cmd.options.keep_symbols = cmd.options.executable_symbols = true;
    } else if (arg == "--no-symbols") {
      cmd.options.keep_symbols = cmd.options.executable_symbols = false;
    } else if (arg.substr(0, 16) == "--bounds-checks=") {
      std::string_view mode = arg.substr(16);
      if (mode == "guard")
        cmd.options.codegen.bounds_check = kiln::abi::BoundsCheck::GuardRegion;
      else if (mode == "explicit")
        cmd.options.codegen.bounds_check = kiln::abi::BoundsCheck::Explicit;
      else
        return "unknown --bounds-checks mode '" + std::string(mode) +
               "' (expected guard or explicit)";
    } else if (arg.substr(0, 10) == "--disable-") {
      if (auto problem = kiln::aotc::disable_feature(arg.substr(10), cmd.options.features))
        return "--disable-: " + *problem;
    } else if (arg.substr(0, 11) == "--features=") {
      if (auto problem = kiln::aotc::apply_feature_list(arg.substr(11), cmd.options.features))
        return "--features: " + *problem;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "' (see aotc --help)";
    } else {
      if (!cmd.input.empty())
        return "more than one input file ('" + cmd.input + "' and '" + std::string(arg) + "')";
      cmd.input = std::string(arg);
    }
  }
  if (cmd.input.empty()) return "no input file (usage: aotc INPUT -o OUTPUT)";
  if (!have_output || cmd.output.empty()) return "no output file: use -o OUTPUT";
  return resolve_outputs(cmd);
}

// The progress line on a terminal: "aotc: 1200/34004 functions, 12 s, about
// 40 s left", from the first second on, redrawn at most 10 times a second and
// erased at the end. Nothing when stderr is not a terminal.
class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  void update(const kiln::aotc::CompileProgress& p) {
    Clock::time_point now = Clock::now();
    double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double done = double(p.code_bytes_done) / double(std::max<uint64_t>(p.code_bytes_total, 1));
    char left[48] = "";
    if (done > 0 && done < 1)
      std::snprintf(left, sizeof left, ", about %.0f s left", elapsed * (1 - done) / done);
    std::fprintf(stderr, "\raotc: %u/%u functions, %.0f s%s\x1b[K", p.functions_done,
                 p.functions_total, elapsed, left);
    std::fflush(stderr);
    shown_ = true;
  }
  ~ProgressLine() {
    if (shown_) std::fputs("\r\x1b[K", stderr);
  }

 private:
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("%s (LLVM %s, ABI %u)\n", kiln::abi::kCompilerVersion, LLVM_VERSION_STRING,
                  kiln::abi::kAbiVersion);
      return 0;
    }
  }
  Command cmd;
  // The command polls by default (safer for embedders); the library's
  // CompileOptions keep their own default for in-process users.
  cmd.options.codegen.interruptible = true;
  if (auto problem = parse(argc, argv, cmd)) return fail(*problem);

  if (cmd.llvm_args.size() > 1 &&
      !llvm::cl::ParseCommandLineOptions(int(cmd.llvm_args.size()), cmd.llvm_args.data(), "",
                                         &llvm::errs()))
    return 1;  // LLVM printed which option it does not know
  llvm::install_fatal_error_handler(on_llvm_fatal_error);
  llvm::install_bad_alloc_error_handler(on_llvm_bad_alloc);
  cmd.options.warn = [](const std::string& message) {
    std::fprintf(stderr, "warning: %s\n", message.c_str());
  };
  std::optional<ProgressLine> progress;
  if (isatty(STDERR_FILENO)) {
    progress.emplace();
    cmd.options.progress = [&](const kiln::aotc::CompileProgress& p) { progress->update(p); };
  }
  kiln::aotc::Error err = kiln::aotc::compile_file(cmd.input, cmd.output, cmd.options);
  progress.reset();  // the line goes before any error is printed
  if (err) return fail(kiln::aotc::error_message(std::move(err)));
  return 0;
}
