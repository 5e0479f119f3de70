// loader::Result and Status: a value or a one-line failure; failures gain
// context with within() and become kiln::Error only through or_throw().
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "kiln/error.h"
#include "loader/result.h"

using kiln::loader::fail;
using kiln::loader::Failure;
using kiln::loader::Result;
using kiln::loader::Status;

namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return fail(std::to_string(n) + " is odd");
  return n / 2;
}

Status check_positive(int n) {
  if (n <= 0) return fail("not positive");
  return {};
}

// Propagation as loader code does it: hand the failure on, with context.
Result<int> quarter(int n) {
  Result<int> h = half(n);
  if (!h) return std::move(h).failure().within("quarter");
  return half(*h);
}

struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {};

}  // namespace

TEST_CASE("result: a value") {
  Result<int> r = half(8);
  REQUIRE(r.ok());
  CHECK(bool(r));
  CHECK(*r == 4);
  CHECK(r.error() == "");
  CHECK(std::move(r).or_throw() == 4);
}

TEST_CASE("result: a failure keeps its message") {
  Result<int> r = half(7);
  CHECK_FALSE(r.ok());
  CHECK_FALSE(bool(r));
  CHECK(r.error() == "7 is odd");
  Failure f = std::move(r).failure();
  CHECK(f.message() == "7 is odd");
}

TEST_CASE("result: within() puts where in front, once per level") {
  CHECK(quarter(8).error() == "");
  CHECK(*quarter(8) == 2);
  CHECK(quarter(7).error() == "quarter: 7 is odd");
  CHECK(quarter(6).error() == "3 is odd");
  CHECK(fail("bad magic").within("m.so").within("load").message() == "load: m.so: bad magic");
}

TEST_CASE("result: or_throw() is where a failure becomes kiln::Error") {
  CHECK_THROWS_WITH_AS((void)half(5).or_throw(), "5 is odd", kiln::Error);
  CHECK_THROWS_WITH_AS(check_positive(0).or_throw(), "not positive", kiln::Error);
  CHECK_NOTHROW(check_positive(1).or_throw());
}

TEST_CASE("result: status") {
  Status good = check_positive(3);
  CHECK(good.ok());
  CHECK(good.error() == "");
  Status bad = check_positive(-1);
  CHECK_FALSE(bad);
  CHECK(bad.error() == "not positive");
  Status handed_on = std::move(bad).failure();
  CHECK(handed_on.error() == "not positive");
  // Success is one null pointer: nothing allocated, nothing to carry.
  CHECK(sizeof(Status) == sizeof(void*));
}

TEST_CASE("result: move-only values and converting construction") {
  Result<std::unique_ptr<Base>> r = std::make_unique<Derived>();
  REQUIRE(r);
  CHECK(dynamic_cast<Derived*>(r->get()) != nullptr);
  std::unique_ptr<Base> owned = std::move(r).or_throw();
  CHECK(owned != nullptr);

  Result<std::unique_ptr<Base>> none = nullptr;
  REQUIRE(none);
  CHECK(*none == nullptr);

  Result<std::string> text = std::string("a value, not a failure");
  CHECK(text.ok());
  CHECK(*text == "a value, not a failure");
  CHECK(text.error() == "");
}
