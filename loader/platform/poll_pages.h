// Pages that interruptible loops read, one per instance, each followed by the
// page that holds the instance's VMContext (abi::kVMContextPollPageOffset).
// They live in one process-wide reserved region, so the fault handler tells a
// poll from any other fault by its address alone.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>

#include "abi/vm_context.h"
#include "loader/result.h"

namespace kiln::loader {

/// One instance's poll page and the VMContext page after it; both go back to
/// the pool when destroyed.
class PollPage {
 public:
  /// A readable poll page whose polls answer to `store`'s interrupt flag,
  /// and a zeroed VMContext just above it. Fails when the address space
  /// cannot be reserved or every slot is taken.
  static Result<std::unique_ptr<PollPage>> create(abi::VMStoreContext* store);
  ~PollPage();
  PollPage(const PollPage&) = delete;
  PollPage& operator=(const PollPage&) = delete;

  /// The poll page itself (vmctx + kVMContextPollPageOffset).
  const uint8_t* address() const;
  /// The VMContext that owns this page, at the start of the next page.
  abi::VMContext* context() const;

  /// Makes the poll page unreadable, so that the next poll faults. Call
  /// after setting the store's interrupt flag. Thread-safe.
  void arm();

 private:
  explicit PollPage(uint32_t index) : index_(index) {}
  uint32_t index_;
  std::atomic<bool> armed_{false};  // ever made unreadable: restore before pooling
};

/// What a memory fault at some address is, as far as polls go.
enum class PollFault {
  NotPoll,    // not a poll page: some other fault
  Resume,     // a poll of a store no longer asked to stop: readable again, retry
  Interrupt,  // a poll of a store asked to stop: trap with Interrupted
};

/// For the fault handler: classifies a fault at `address`, and makes the
/// page readable again if it was a poll. Async-signal-safe.
PollFault handle_poll_fault(uintptr_t address);

}  // namespace kiln::loader
