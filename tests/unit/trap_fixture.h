// The fake artifact fixture (fixtures/fake_artifact.cpp) loaded and
// registered for the trap tests, with the helpers its callers share.
#pragma once
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>

#include "abi/descriptor.h"
#include "abi/version.h"
#include "fixtures/fake_code.h"
#include "fixtures/fixture_path.h"
#include "loader/platform/artifact_file.h"
#include "loader/platform/code_registry.h"
#include "loader/platform/shared_library.h"
#include "loader/platform/trap_handling.h"

namespace kiln::test {

enum FakeFunction { kTrapSite = 0, kLoad = 1, kDivide = 2, kCallHost = 3, kRecurse = 4, kCallTrap = 5 };
/// What trap_site raises (code 6, from the trap table).
constexpr abi::TrapCode kFixtureTrap = abi::TrapCode::OutOfBoundsTableAccess;

/// Fails the test unless kiln's fault handler is the one installed.
inline void check_kiln_handler_installed() {
  struct sigaction current = {};
  sigaction(SIGSEGV, nullptr, &current);
  const int ours = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  REQUIRE_MESSAGE((current.sa_flags & ours) == ours,
                  "kiln's SIGSEGV handler was replaced; doctest's own signal handling must be "
                  "off (DOCTEST_CONFIG_NO_POSIX_SIGNALS in test_main.cpp)");
}

class FakeArtifact {
 public:
  FakeArtifact() {
    loader::ensure_trap_handling();
    check_kiln_handler_installed();
    const std::string path = fake_artifact_path();
    auto checked = loader::check_artifact_file(path);
    REQUIRE_MESSAGE(checked, checked.error());
    auto opened = loader::SharedLibrary::open(path);
    REQUIRE_MESSAGE(opened, opened.error());
    std::unique_ptr<loader::SharedLibrary> lib = std::move(*opened);
    desc_ = static_cast<const abi::Descriptor*>(lib->symbol(abi::kDescriptorSymbol));
    REQUIRE(desc_ != nullptr);
    REQUIRE(desc_->function_count == 6);
    code_ = std::make_unique<loader::RegisteredCode>(std::move(lib), desc_, &owner_);
  }
  void* code(FakeFunction f) const { return desc_->code_at(desc_->at<abi::Function>(desc_->functions)[f].code); }
  uintptr_t address(FakeFunction f, uint32_t offset = 0) const {
    return reinterpret_cast<uintptr_t>(code(f)) + offset;
  }
  const void* owner() const { return &owner_; }

 private:
  int owner_ = 0;
  const abi::Descriptor* desc_ = nullptr;
  std::unique_ptr<loader::RegisteredCode> code_;
};

/// The fixture's functions in the wasm convention, minus the callee vmctx
/// (which none reads).
using WasmFn = uint32_t (*)(abi::VMContext* caller, uintptr_t, uintptr_t);

/// A store's entry state, with a 64 KiB stack budget.
struct StoreFixture {
  abi::VMStoreContext vm{};
  loader::EntryStore entry{&vm, 0, 0, 64 * 1024, 16 * 1024};
};

/// Runs fn in a child process and returns the signal that killed it (0 if none).
inline int death_signal_of(void (*fn)()) {
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    fn();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace kiln::test
