// Poll pages: readable until armed; the fault-side test tells a poll from
// other faults (the VMContext page above each included), resumes a withdrawn
// request and reports a pending one; slots go back to the pool readable, and
// come out of it with a zeroed VMContext.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cstdint>

#include "loader/platform/poll_pages.h"

using kiln::loader::handle_poll_fault;
using kiln::loader::PollFault;
using kiln::loader::PollPage;

namespace {

uint8_t read_byte(const uint8_t* p) { return *static_cast<const volatile uint8_t*>(p); }

}  // namespace

TEST_CASE("poll pages: armed pages fault into Interrupt or Resume by the store's flag") {
  kiln::abi::VMStoreContext store{};
  std::unique_ptr<PollPage> page = PollPage::create(&store).or_throw();
  const uintptr_t address = reinterpret_cast<uintptr_t>(page->address());
  CHECK(address % 4096 == 0);
  CHECK(read_byte(page->address()) == 0);

  // Armed with no request (withdrawn by an entry since): readable again.
  page->arm();
  CHECK(handle_poll_fault(address + 3) == PollFault::Resume);
  CHECK(read_byte(page->address()) == 0);

  store.interrupt = 1;
  page->arm();
  CHECK(handle_poll_fault(address) == PollFault::Interrupt);
  CHECK(read_byte(page->address()) == 0);  // readable for the next call

  // The VMContext sits on the next page, so the address generated code polls
  // (vmctx + kVMContextPollPageOffset) is in the poll page for any page size.
  kiln::abi::VMContext* context = page->context();
  const uintptr_t context_at = reinterpret_cast<uintptr_t>(context);
  CHECK(context_at - address == uintptr_t(sysconf(_SC_PAGESIZE)));
  CHECK(context_at + kiln::abi::kVMContextPollPageOffset >= address);
  CHECK(handle_poll_fault(reinterpret_cast<uintptr_t>(context)) == PollFault::NotPoll);

  int local = 0;
  CHECK(handle_poll_fault(reinterpret_cast<uintptr_t>(&local)) == PollFault::NotPoll);
  CHECK(handle_poll_fault(0) == PollFault::NotPoll);
}

TEST_CASE("poll pages: each instance has its own; released pages come back readable") {
  kiln::abi::VMStoreContext a{}, b{};
  const uint8_t* first;
  {
    std::unique_ptr<PollPage> pa = PollPage::create(&a).or_throw();
    std::unique_ptr<PollPage> pb = PollPage::create(&b).or_throw();
    CHECK(pa->address() != pb->address());
    pa->context()->instance = &a;  // left behind for the next owner to not see
    a.interrupt = 1;
    pa->arm();  // destroyed armed
    CHECK(read_byte(pb->address()) == 0);
    first = pa->address();
  }
  // Not a poll any more: nobody owns the page.
  CHECK(handle_poll_fault(reinterpret_cast<uintptr_t>(first)) == PollFault::NotPoll);
  std::unique_ptr<PollPage> again = PollPage::create(&b).or_throw();
  CHECK(read_byte(again->address()) == 0);
  CHECK(again->context()->instance == nullptr);
  CHECK(handle_poll_fault(reinterpret_cast<uintptr_t>(again->address())) == PollFault::Resume);
}
