// Error helpers: every message is one line naming the problem and where.
#include "aotc/wasm/error.h"

#include <cstdio>

namespace kiln::aotc {

namespace {
std::string hex(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", value);
  return buf;
}
}  // namespace

Error error_at(uint32_t offset, const std::string& message) {
  return make_error(message + " at offset " + hex(offset));
}

Error error_in_function(uint32_t func_index, uint32_t offset, const std::string& message) {
  return make_error("function " + std::to_string(func_index) + ": " + message + " at offset " +
                    hex(offset));
}

Error make_error(const std::string& message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string error_message(Error err) {
  if (!err) return "";
  return llvm::toString(std::move(err));
}

}  // namespace kiln::aotc
