// Error values used throughout aotc (LLVM style: explicit, must be checked).
#pragma once
#include <string>

#include <llvm/Support/Error.h>

namespace kiln::aotc {

using llvm::Error;
using llvm::Expected;

/// An error at a byte offset of the input module: "MESSAGE at offset 0xNN".
Error error_at(uint32_t offset, const std::string& message);
/// An error in a function body: "function N: MESSAGE at offset 0xNN".
Error error_in_function(uint32_t func_index, uint32_t offset, const std::string& message);
/// An error without a position.
Error make_error(const std::string& message);
/// Consumes an error and returns its message.
std::string error_message(Error err);

}  // namespace kiln::aotc
