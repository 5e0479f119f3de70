// How code inside libkiln reports failure: it returns a Result<T> (a T, or a
// Failure saying why not) or a Status (Result<void>), both [[nodiscard]], in
// the shape of LLVM's Expected<T> and Error. Nothing inside throws for a
// failure of its own; the public API (Module::load, Instance::create,
// Memory::create, ...) turns a Failure into kiln::Error with or_throw(), and
// that is the only place where the two meet. Two things are not Failures:
// traps, which travel as abi::TrapCode and the trap state and become
// kiln::Trap; and what goes wrong inside a host function called from wasm
// (its own exceptions, or results it returned wrong), which crosses the
// wasm frames as the exception the host that called in will catch.
//
// One idiom instead of "" for success, bool plus an error out-parameter, a
// null pointer plus one, and exceptions: a caller cannot mistake which, the
// compiler flags an ignored result, and a message is written once, where the
// problem is known, then prefixed with where it happened (within()).
// Success allocates nothing: a Status is one pointer, null when all is well;
// only a failure allocates its message.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace kiln::loader {

template <class T>
class Result;

/// Why something failed: one line naming the problem and where it is (a
/// file, an import, a descriptor entry), as the user will read it.
class Failure {
 public:
  explicit Failure(std::string message) : message_(std::make_unique<std::string>(std::move(message))) {}

  const std::string& message() const { return *message_; }

  /// The same failure with "`where`: " in front of its message, e.g. the
  /// file a check ran on ("m.so: not an ELF file").
  Failure within(std::string_view where) && {
    message_->insert(0, ": ").insert(0, where);
    return std::move(*this);
  }

  /// Throws kiln::Error with the message: how the public API reports it.
  [[noreturn]] void raise() const;

 private:
  friend class Result<void>;
  Failure() = default;  // only Status holds an empty one (success)
  std::unique_ptr<std::string> message_;
};

/// A Failure with `message`: `return fail("not an ELF file");`.
inline Failure fail(std::string message) { return Failure(std::move(message)); }

/// Success, or the Failure that prevented it. `return {};` succeeds.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : failure_(std::move(failure)) {}

  bool ok() const { return !failure_.message_; }
  explicit operator bool() const { return ok(); }
  /// The failure's message; "" on success.
  const std::string& error() const { return ok() ? empty_message() : failure_.message(); }
  /// Hands the failure on (the caller returns it); only when !ok().
  Failure failure() && { return std::move(failure_); }
  /// At the public API: throws kiln::Error on failure.
  void or_throw() const {
    if (!ok()) [[unlikely]]
      failure_.raise();
  }

  static const std::string& empty_message();

 private:
  Failure failure_;
};

using Status = Result<void>;

/// A T, or the Failure that prevented making one.
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T> && !std::is_same_v<std::remove_cv_t<T>, Failure>);

 public:
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}
  /// Success: anything a T can be made from (a derived pointer, nullptr, ...).
  template <class U = T>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::remove_cvref_t<U>, Failure> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result>)
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only when ok().
  T& operator*() & { return *std::get_if<0>(&state_); }
  const T& operator*() const& { return *std::get_if<0>(&state_); }
  T&& operator*() && { return std::move(*std::get_if<0>(&state_)); }
  T* operator->() { return std::get_if<0>(&state_); }
  const T* operator->() const { return std::get_if<0>(&state_); }

  /// The failure's message; "" on success.
  const std::string& error() const { return ok() ? Status::empty_message() : std::get<1>(state_).message(); }
  /// Hands the failure on (the caller returns it); only when !ok().
  Failure failure() && { return std::move(*std::get_if<1>(&state_)); }
  /// At the public API: the value, or kiln::Error thrown.
  T or_throw() && {
    if (!ok()) [[unlikely]]
      std::get_if<1>(&state_)->raise();
    return std::move(*std::get_if<0>(&state_));
  }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace kiln::loader
