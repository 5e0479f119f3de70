// How an assertion's expected message is compared with an actual one.
#pragma once
#include <string_view>

namespace kiln::spec {

/// The actual trap message contains the expected text, or the expected text
/// is the actual message plus detail our messages do not carry (the suite's
/// "uninitialized element 2" names the element index).
inline bool trap_message_matches(std::string_view actual, std::string_view expected) {
  if (actual.find(expected) != std::string_view::npos) return true;
  return !actual.empty() && expected.size() > actual.size() && expected.starts_with(actual) &&
         expected[actual.size()] == ' ';
}

}  // namespace kiln::spec
