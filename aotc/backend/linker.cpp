// lld's ELF driver run in-process on objects written to a private temp dir.
#include "aotc/backend/linker.h"

#include <lld/Common/Driver.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "abi/version.h"
#include "aotc/backend/executable_link.h"

LLD_HAS_DRIVER(elf)

namespace kiln::aotc {

namespace {

std::mutex lld_mutex;
std::atomic<bool> lld_unusable{false};

// A mkdtemp directory (mode 0700) removed with its files on destruction.
class TempDir {
 public:
  static Expected<std::unique_ptr<TempDir>> create() {
    llvm::SmallString<128> pattern;
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, pattern);
    llvm::sys::path::append(pattern, "kiln-aotc-XXXXXX");
    std::string path(pattern.str());
    if (!mkdtemp(path.data()))
      return make_error("cannot create a temporary directory in " + std::string(pattern.str()));
    return std::unique_ptr<TempDir>(new TempDir(path));
  }
  ~TempDir() {
    for (const std::string& file : files_) ::unlink(file.c_str());
    ::rmdir(path_.c_str());
  }
  // A path inside the directory, removed with it.
  std::string file(const std::string& name) {
    files_.push_back(path_ + "/" + name);
    return files_.back();
  }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::vector<std::string> files_;
};

Error write_file(const std::string& path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec) return make_error("cannot write " + path + ": " + ec.message());
  os << bytes;
  os.close();
  if (os.has_error()) return make_error("cannot write " + path + ": " + os.error().message());
  return Error::success();
}

// lld's first "error: ..." line without the "ld.lld: " prefix.
std::string first_error(const std::string& diagnostics) {
  size_t pos = diagnostics.find("error: ");
  if (pos == std::string::npos) {
    std::string line = diagnostics.substr(0, diagnostics.find('\n'));
    return line.empty() ? "lld failed without a message" : line;
  }
  size_t end = diagnostics.find('\n', pos);
  return diagnostics.substr(pos + 7, end == std::string::npos ? std::string::npos : end - pos - 7);
}

}  // namespace

Expected<std::vector<uint8_t>> link_objects(llvm::ArrayRef<llvm::ArrayRef<char>> objects,
                                            LinkOutput kind, bool keep_symbols) {
  auto dir = TempDir::create();
  if (!dir) return dir.takeError();

  std::vector<std::string> inputs;
  for (size_t i = 0; i < objects.size(); ++i) {
    inputs.push_back((*dir)->file("input" + std::to_string(i) + ".o"));
    llvm::StringRef bytes(objects[i].data(), objects[i].size());
    if (Error err = write_file(inputs.back(), bytes)) return err;
  }
  std::string output = (*dir)->file(kind == LinkOutput::SharedObject ? "artifact.so"
                                    : kind == LinkOutput::Executable ? "artifact"
                                                                     : "artifact.o");

  std::vector<std::string> args = {"ld.lld", "--threads=1", "-o", output};
  if (kind == LinkOutput::Executable) {
    auto exe_args = executable_link_args(inputs, keep_symbols);
    if (!exe_args) return exe_args.takeError();
    args.insert(args.end(), exe_args->begin(), exe_args->end());
    inputs.clear();  // placed by executable_link_args
  } else if (kind == LinkOutput::SharedObject) {
    std::string script = (*dir)->file("exports.ver");
    std::string text =
        std::string("{\n  global: ") + abi::kDescriptorSymbol + ";\n  local: *;\n};\n";
    if (Error err = write_file(script, text)) return err;
    // --strip-all: kiln reads no .symtab/.strtab (backtraces name functions
    // from the descriptor), and every byte of the file is read at each load;
    // keep_symbols leaves them for profilers and debuggers.
    // -z rodynamic: with no relocations either, no segment is writable, so
    // dlopen maps everything read-only and writes no page (glibc >= 2.35
    // leaves a read-only dynamic section alone; the loader checks).
    args.insert(args.end(),
                {"-shared", "--version-script", script, "-z", "defs", "-z", "noexecstack", "-z",
                 "relro", "-z", "now", "-z", "rodynamic", "--hash-style=gnu", "--build-id=none"});
    if (!keep_symbols) args.push_back("--strip-all");
  } else {
    args.push_back("-r");
  }
  args.insert(args.end(), inputs.begin(), inputs.end());
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());

  std::string diagnostics;
  {
    std::lock_guard<std::mutex> lock(lld_mutex);
    if (lld_unusable)
      return make_error("the linker crashed earlier in this process and cannot run again");
    std::string lld_stdout;
    llvm::raw_string_ostream out(lld_stdout), err(diagnostics);
    // lldMain destroys lld's global context after each run, so it can run again.
    lld::Result result = lld::lldMain(argv, out, err, {{lld::Gnu, &lld::elf::link}});
    err.flush();
    if (!result.canRunAgain) lld_unusable = true;
    if (result.retCode != 0) {
      std::string message = first_error(diagnostics);
      if (message.rfind("undefined symbol", 0) == 0 && kind != LinkOutput::Executable)
        message += " (generated code needs a native function, but artifacts import none)";
      return make_error("link failed: " + message);
    }
  }

  auto buffer =
      llvm::MemoryBuffer::getFile(output, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) return make_error("cannot read linker output: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace kiln::aotc
