// C++ exceptions thrown by host functions cross the wasm frames between the
// host function and the host code that called into wasm, and arrive there
// unchanged (same type, same object contents), also through nested
// host -> wasm -> host -> wasm -> host calls. The instance keeps working,
// and nothing of the abandoned frames is left behind.
#include <pthread.h>

#include <stdexcept>

#include "tests/safety/safety_support.h"

using kiln::TrapKind;
using kiln::safety::artifact;
using kiln::safety::expect_trap;

namespace {

struct HostFailure {
  int code;
  std::string text;
};

enum Throw : int32_t { kCustom = 0, kHostErrorTrap = 1, kUnreachableTrap = 2, kInt = 3, kRuntimeError = 4, kNone = 5 };

struct Host {
  bool reenter_catches = false;
  int reenter_calls = 0;

  kiln::Imports imports() {
    kiln::Imports imports;
    imports.func("host", "throw", [](int32_t what) {
      switch (what) {
        case kCustom: throw HostFailure{42, "custom failure"};
        case kHostErrorTrap: throw kiln::Trap(TrapKind::HostError);
        case kUnreachableTrap: throw kiln::Trap(TrapKind::Unreachable, {kiln::TrapFrame{3, "made-up", 9, "host"}});
        case kInt: throw 17;
        case kRuntimeError: throw std::runtime_error("runtime error from the host");
      }
    });
    imports.func("host", "reenter", [this](kiln::Caller& caller, int32_t what) -> int32_t {
      ++reenter_calls;
      auto calls_throw = caller.instance().typed_func<int32_t(int32_t)>("calls_throw");
      if (!reenter_catches) return calls_throw(what);
      try {
        return calls_throw(what);
      } catch (const HostFailure& failure) {
        return failure.code + 8;  // 50
      }
    });
    return imports;
  }
};

// Every way the exception can be caught by the outermost caller.
void check_all_exceptions(kiln::Instance& inst, Host& host) {
  auto calls_throw = inst.typed_func<int32_t(int32_t)>("calls_throw");
  auto calls_reenter = inst.typed_func<int32_t(int32_t)>("calls_reenter");
  kiln::Memory memory = inst.memory("memory");
  memory.write<int32_t>(0, 0);

  try {
    calls_throw(kCustom);
    FAIL("no exception");
  } catch (const HostFailure& failure) {
    CHECK(failure.code == 42);
    CHECK(failure.text == "custom failure");
  }
  try {
    inst.func("calls_throw").call({kiln::Value::i32(kCustom)});
    FAIL("no exception");
  } catch (const HostFailure& failure) {
    CHECK(failure.code == 42);
  }
  // A kiln::Trap thrown by the host is passed on as it was thrown.
  kiln::Trap host_error = expect_trap([&] { calls_throw(kHostErrorTrap); });
  CHECK(host_error.kind() == TrapKind::HostError);
  CHECK(host_error.trace().empty());
  kiln::Trap made_up = expect_trap([&] { calls_throw(kUnreachableTrap); });
  CHECK(made_up.kind() == TrapKind::Unreachable);
  REQUIRE(made_up.trace().size() == 1);
  CHECK(made_up.trace()[0].func_name == "made-up");
  CHECK_THROWS_AS(calls_throw(kInt), int);
  CHECK_THROWS_WITH_AS(calls_throw(kRuntimeError), "runtime error from the host", std::runtime_error);
  // The wasm code after the throwing call never ran.
  CHECK(memory.read<int32_t>(0) == 0);

  // host -> calls_reenter -> reenter (host) -> calls_throw -> throw (host)
  host.reenter_catches = false;
  try {
    calls_reenter(kCustom);
    FAIL("no exception");
  } catch (const HostFailure& failure) {
    CHECK(failure.code == 42);
    CHECK(failure.text == "custom failure");
  }
  kiln::Trap nested_trap = expect_trap([&] { calls_reenter(kHostErrorTrap); });
  CHECK(nested_trap.kind() == TrapKind::HostError);
  // The middle host function catches: the outer wasm call completes.
  host.reenter_catches = true;
  CHECK(calls_reenter(kCustom) == 1050);
  host.reenter_catches = false;
  CHECK(calls_reenter(kNone) == -1 + 1000);
  CHECK(memory.read<int32_t>(0) == -1);

  CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  CHECK(calls_throw(kNone) == -1);
}

}  // namespace

TEST_CASE("host exceptions reach the caller of wasm unchanged, also through nested calls") {
  for (const char* level : {"O0", "O2"}) {
    INFO("level " << level);
    Host host;
    kiln::Store store;
    kiln::Instance inst =
        kiln::Instance::create(store, kiln::Module::load(artifact(std::string("host_") + level)), host.imports());
    check_all_exceptions(inst, host);
    CHECK(host.reenter_calls == 4);
    // And again: nothing of the first round is left in the way.
    check_all_exceptions(inst, host);
  }
}

TEST_CASE("host exceptions on a thread with a 256 KiB stack") {
  bool done = false;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    Host host;
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, kiln::Module::load(artifact("host_O2")), host.imports());
    check_all_exceptions(inst, host);
    *static_cast<bool*>(arg) = true;
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, body, &done) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  CHECK(done);
}

TEST_CASE("thousands of host exceptions leave the stack budget and the store as they were") {
  Host host;
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, kiln::Module::load(artifact("host_O2")), host.imports());
  kiln::Instance stack = kiln::Instance::create(store, kiln::Module::load(artifact("stack_O2")), {});
  auto depth_reached = [&] {
    stack.typed_func<void()>("reset")();
    expect_trap([&] { stack.typed_func<int32_t(int32_t)>("direct")(0); });
    return stack.typed_func<int32_t()>("depth")();
  };
  const int32_t before = depth_reached();
  auto calls_reenter = inst.typed_func<int32_t(int32_t)>("calls_reenter");
  int caught = 0;
  for (int i = 0; i < 3000; ++i) {
    try {
      calls_reenter(kCustom);
    } catch (const HostFailure&) {
      ++caught;
    }
  }
  CHECK(caught == 3000);
  CHECK(depth_reached() == before);
}
