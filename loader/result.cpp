// Where a loader Failure becomes the public kiln::Error (loader/result.h).
#include "loader/result.h"

#include "kiln/error.h"

namespace kiln::loader {

void Failure::raise() const { throw Error(*message_); }

const std::string& Result<void>::empty_message() {
  static const std::string empty;
  return empty;
}

}  // namespace kiln::loader
