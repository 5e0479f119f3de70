// Store::interrupt() stops guests compiled as interruptible: an infinite
// loop interrupted from another thread, a loop of calls, and a poll at
// function entry, also in a cycle of tail calls. The trap is Interrupted /
// "interrupted"; the store works afterwards and a stale request does not hit the next call. Every instance
// of the store stops (each polls its own page); interrupting one store
// leaves other stores running.
#include <atomic>
#include <chrono>
#include <thread>

#include "tests/safety/safety_support.h"

using kiln::TrapKind;
using kiln::safety::artifact;
using kiln::safety::expect_trap;

namespace {

kiln::Imports interrupt_imports() {
  kiln::Imports imports;
  imports.func("host", "interrupt_me", [](kiln::Caller& caller) { caller.store().interrupt(); });
  return imports;
}

// Calls store.interrupt() every millisecond until destroyed: a request made
// before the guest entered wasm is cleared at entry, so one request is not enough.
class Interrupter {
 public:
  explicit Interrupter(kiln::Store store)
      : store_(std::move(store)), thread_([this] {
          while (!stop_.load()) {
            store_.interrupt();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }) {}
  ~Interrupter() {
    stop_ = true;
    thread_.join();
  }

 private:
  kiln::Store store_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void check_interrupted(const kiln::Trap& trap, const char* innermost) {
  CHECK(trap.kind() == TrapKind::Interrupted);
  CHECK(trap.message() == "interrupted");
  CHECK(std::string(trap.what()) == "wasm trap: interrupted");
  REQUIRE(!trap.trace().empty());
  CHECK(trap.trace()[0].func_name == innermost);
}

}  // namespace

TEST_CASE("an infinite loop is interrupted from another thread, and the store works after") {
  for (const char* level : {"O0", "O2"}) {
    INFO("artifact interrupt_" << level);
    kiln::Module module = kiln::Module::load(artifact(std::string("interrupt_") + level));
    CHECK(kiln::safety::descriptor_of(module).interruptible == 1);
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, module, interrupt_imports());
    for (int round = 0; round < 3; ++round) {
      INFO("round " << round);
      {
        Interrupter interrupter(store);
        check_interrupted(expect_trap([&] { inst.typed_func<void()>("spin")(); }), "spin");
        kiln::Trap trap = expect_trap([&] { inst.typed_func<void()>("spin_calling")(); });
        CHECK(trap.kind() == TrapKind::Interrupted);
        REQUIRE(!trap.trace().empty());
        // Polled at the loop's back edge or at the entry of $leaf.
        CHECK((trap.trace()[0].func_name == "spin_calling" || trap.trace()[0].func_name == "leaf"));
      }
      // How often the loop ran before the trap is timing (the interrupter may
      // land at the first poll, before any iteration): only that the state
      // reads back and no other request is left over is checked.
      const int64_t spins = inst.typed_func<int64_t()>("spins")();
      CHECK(spins >= 0);
      CHECK(inst.memory("memory").read<int64_t>(8) == spins);
      // No request left over: a long loop runs to its end.
      CHECK(inst.typed_func<int32_t(int32_t)>("count")(3'000'000) == 3'000'000);
      CHECK(inst.typed_func<int32_t()>("ok")() == 7);
    }
  }
}

TEST_CASE("an interruption is noticed at function entry") {
  for (const char* level : {"O0", "O2"}) {
    INFO("artifact interrupt_" << level);
    kiln::Store store;
    kiln::Instance inst =
        kiln::Instance::create(store, kiln::Module::load(artifact(std::string("interrupt_") + level)),
                               interrupt_imports());
    // entry_poll asks for an interruption through the host, then calls
    // $target, whose entry is the next poll.
    kiln::Trap trap = expect_trap([&] { inst.typed_func<int32_t()>("entry_poll")(); });
    check_interrupted(trap, "target");
    REQUIRE(trap.trace().size() == 2);
    CHECK(trap.trace()[1].func_name == "entry_poll");
    CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  }
}

TEST_CASE("an endless cycle of tail calls is interrupted at a tail-called function's entry") {
  for (const char* level : {"O0", "O2"}) {
    INFO("artifact interrupt_tail_" << level);
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(
        store, kiln::Module::load(artifact(std::string("interrupt_tail_") + level)), interrupt_imports());
    // cycle asks for an interruption, then tail-calls $ping, which never returns.
    kiln::Trap trap = expect_trap([&] { inst.typed_func<int32_t()>("cycle")(); });
    CHECK(trap.kind() == TrapKind::Interrupted);
    CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  }
}

TEST_CASE("every instance of the store polls its own page: all of them are interrupted") {
  kiln::Module module = kiln::Module::load(artifact("interrupt_O2"));
  kiln::Store store;
  kiln::Instance first = kiln::Instance::create(store, module, interrupt_imports());
  kiln::Instance second = kiln::Instance::create(store, module, interrupt_imports());
  {
    Interrupter interrupter(store);
    check_interrupted(expect_trap([&] { second.typed_func<void()>("spin")(); }), "spin");
    check_interrupted(expect_trap([&] { first.typed_func<void()>("spin")(); }), "spin");
  }
  CHECK(second.typed_func<int32_t(int32_t)>("count")(1000) == 1000);

  // An instance made while a request is pending (by a host function, during
  // a call) has its page armed from the start: its loop stops at once.
  kiln::Imports nested;
  nested.func("host", "interrupt_me", [&](kiln::Caller& caller) {
    caller.store().interrupt();
    kiln::Instance late = kiln::Instance::create(caller.store(), module, interrupt_imports());
    late.typed_func<void()>("spin")();
  });
  kiln::Instance outer = kiln::Instance::create(store, module, nested);
  check_interrupted(expect_trap([&] { outer.typed_func<int32_t()>("entry_poll")(); }), "spin");
  CHECK(outer.typed_func<int32_t()>("ok")() == 7);
}

TEST_CASE("interrupting one store leaves another store's guest running") {
  kiln::Module module = kiln::Module::load(artifact("interrupt_O2"));
  kiln::Store busy_store, calm_store;
  kiln::Instance busy = kiln::Instance::create(busy_store, module, interrupt_imports());
  std::atomic<bool> calm_done{false};
  int32_t counted = 0;
  std::thread calm_thread([&] {
    kiln::Instance calm = kiln::Instance::create(calm_store, module, interrupt_imports());
    counted = calm.typed_func<int32_t(int32_t)>("count")(200'000'000);
    calm_done = true;
  });
  {
    Interrupter interrupter(busy_store);
    int interrupted = 0;
    while (!calm_done.load()) {
      kiln::Trap trap = expect_trap([&] { busy.typed_func<void()>("spin")(); });
      interrupted += trap.kind() == TrapKind::Interrupted;
    }
    CHECK(interrupted > 0);
  }
  calm_thread.join();
  CHECK(counted == 200'000'000);
}

TEST_CASE("aotc compiles interruptible code by default; --no-interruptible turns it off") {
  CHECK(kiln::safety::descriptor_of(kiln::Module::load(artifact("interrupt_default"))).interruptible == 1);
  kiln::Module off = kiln::Module::load(artifact("interrupt_off"));
  CHECK(kiln::safety::descriptor_of(off).interruptible == 0);
  // Without polls, a pending request does not stop the guest.
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, off, interrupt_imports());
  CHECK(inst.typed_func<int32_t()>("entry_poll")() == 5);
}
