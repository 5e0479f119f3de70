// args_* and environ_*: NUL-terminated strings packed into one guest buffer
// plus an array of guest pointers to them.
#include <string>
#include <vector>

#include "loader/wasi/handlers.h"

namespace kiln::wasi::handlers {

namespace {

uint64_t packed_size(const std::vector<std::string>& strings) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  return total;
}

E write_sizes(M& m, const std::vector<std::string>& strings, uint32_t count_out, uint32_t size_out) {
  uint64_t size = packed_size(strings);
  if (strings.size() > UINT32_MAX || size > UINT32_MAX) return abi::err::kOverflow;
  if (!m.store<uint32_t>(count_out, uint32_t(strings.size()))) return abi::err::kFault;
  if (!m.store<uint32_t>(size_out, uint32_t(size))) return abi::err::kFault;
  return abi::err::kSuccess;
}

E write_strings(M& m, const std::vector<std::string>& strings, uint32_t ptrs, uint32_t buf) {
  uint8_t* ptr_area = m.bytes(ptrs, uint64_t(strings.size()) * 4);
  uint8_t* buf_area = m.bytes(buf, packed_size(strings));
  if (!ptr_area || !buf_area) return abi::err::kFault;
  uint64_t offset = 0;
  for (size_t i = 0; i < strings.size(); ++i) {
    put<uint32_t>(ptr_area + 4 * i, uint32_t(buf + offset));
    std::memcpy(buf_area + offset, strings[i].data(), strings[i].size());
    buf_area[offset + strings[i].size()] = 0;
    offset += strings[i].size() + 1;
  }
  return abi::err::kSuccess;
}

}  // namespace

E args_get(S& s, M& m, uint32_t argv, uint32_t argv_buf) { return write_strings(m, s.args, argv, argv_buf); }

E args_sizes_get(S& s, M& m, uint32_t argc_out, uint32_t buf_size_out) {
  return write_sizes(m, s.args, argc_out, buf_size_out);
}

E environ_get(S& s, M& m, uint32_t environ, uint32_t environ_buf) {
  return write_strings(m, s.env, environ, environ_buf);
}

E environ_sizes_get(S& s, M& m, uint32_t count_out, uint32_t buf_size_out) {
  return write_sizes(m, s.env, count_out, buf_size_out);
}

}  // namespace kiln::wasi::handlers
