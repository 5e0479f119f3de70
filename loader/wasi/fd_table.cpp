// FdTable: lowest-free-number allocation as POSIX does it.
#include "loader/wasi/fd_table.h"

namespace kiln::wasi {

FdEntry* FdTable::find(uint32_t fd) { return fd < slots_.size() ? slots_[fd].get() : nullptr; }

abi::Errno FdTable::get(uint32_t fd, uint64_t rights, FdEntry*& out) {
  FdEntry* e = find(fd);
  if (!e) return abi::err::kBadf;
  if ((e->rights_base & rights) != rights) return abi::err::kNotCapable;
  out = e;
  return abi::err::kSuccess;
}

abi::Errno FdTable::add(FdEntry entry, uint32_t& fd_out) {
  uint32_t fd = 0;
  while (fd < slots_.size() && slots_[fd]) ++fd;
  if (fd >= kMaxFds) return abi::err::kMfile;
  add_at(fd, std::move(entry));
  fd_out = fd;
  return abi::err::kSuccess;
}

void FdTable::add_at(uint32_t fd, FdEntry entry) {
  if (fd >= slots_.size()) slots_.resize(fd + 1);
  slots_[fd] = std::make_unique<FdEntry>(std::move(entry));
}

abi::Errno FdTable::close(uint32_t fd) {
  if (!find(fd)) return abi::err::kBadf;
  slots_[fd].reset();
  trim();
  return abi::err::kSuccess;
}

abi::Errno FdTable::renumber(uint32_t from, uint32_t to) {
  if (!find(from) || !find(to)) return abi::err::kBadf;
  if (from == to) return abi::err::kSuccess;
  slots_[to] = std::move(slots_[from]);  // destroys (closes) what `to` held
  trim();
  return abi::err::kSuccess;
}

void FdTable::trim() {
  while (!slots_.empty() && !slots_.back()) slots_.pop_back();
}

}  // namespace kiln::wasi
