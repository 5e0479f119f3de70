// libFuzzer target for the whole compiler: bytes -> decode -> validate -> (if
// valid) IR, optimization, object code, descriptor and lld link to a .so in a
// temporary directory -> the loader's checks on that artifact.
//
// Any crash, sanitizer report, LLVM fatal error, or an artifact that aotc
// produced but libkiln refuses is a bug. Rejecting bad input with an error
// value is the expected outcome for most inputs.
#include <llvm/Support/ErrorHandling.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "aotc/backend/compiler.h"
#include "aotc/wasm/module.h"
#include "kiln/error.h"
#include "kiln/module.h"
#include "tests/fuzz/fuzz_options.h"

namespace {

// LLVM reports internal errors here instead of returning: that is a crash.
void on_llvm_fatal_error(void*, const char* reason, bool) {
  std::fprintf(stderr, "LLVM fatal error: %s\n", reason);
  std::abort();
}

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/kiln-fuzz-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    std::perror("mkdtemp");
    std::abort();
  }
  return buf.data();
}

struct Workspace {
  std::string dir;
  std::string artifact;
  Workspace() : dir(make_temp_dir()), artifact(dir + "/input.so") {
    llvm::install_fatal_error_handler(on_llvm_fatal_error);
  }
  ~Workspace() {
    unlink(artifact.c_str());
    rmdir(dir.c_str());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Workspace workspace;
  std::span<const uint8_t> input(data, size);

  // Front end alone first: most mutated inputs stop here, cheaply.
  auto module = kiln::aotc::decode_module(std::vector<uint8_t>(input.begin(), input.end()));
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (llvm::Error err = kiln::aotc::validate_module(*module)) {
    llvm::consumeError(std::move(err));
    return 0;
  }

  kiln::aotc::CompileOptions options = kiln::fuzz::options_for_input(input);
  if (llvm::Error err = kiln::aotc::compile_bytes(input, /*is_text=*/false, "fuzz-input",
                                                 workspace.artifact, options)) {
    // A valid module must compile: anything else is a compiler limitation
    // or bug, and worth a look, so it counts as a failure.
    std::fprintf(stderr, "valid module failed to compile: %s\n",
                 kiln::aotc::error_message(std::move(err)).c_str());
    std::abort();
  }

  // Whatever aotc writes, the loader must accept.
  try {
    kiln::Module loaded = kiln::Module::load(workspace.artifact);
    (void)loaded;
  } catch (const kiln::Error& e) {
    std::fprintf(stderr, "loader rejected aotc's artifact: %s\n", e.what());
    std::abort();
  }
  unlink(workspace.artifact.c_str());
  return 0;
}
