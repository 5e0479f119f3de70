// A small ring of recently verified files under a mutex: loads are rare next
// to the microseconds a lookup takes, and a module set is small.
#include "loader/platform/verified_files.h"

#include <array>
#include <mutex>

namespace kiln::loader {

namespace {

struct Entry {
  FileIdentity file;
  ArtifactHeader header;
};

constexpr size_t kEntries = 32;

struct Table {
  std::mutex mutex;
  std::array<Entry, kEntries> entries{};
  size_t used = 0, next = 0;
};

Table& table() {
  static Table t;
  return t;
}

}  // namespace

std::optional<ArtifactHeader> verified_header(const FileIdentity& file) {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  for (size_t i = 0; i < t.used; ++i)
    if (t.entries[i].file == file) return t.entries[i].header;
  return std::nullopt;
}

void remember_verified(const FileIdentity& file, const ArtifactHeader& header) {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  for (size_t i = 0; i < t.used; ++i)
    if (t.entries[i].file == file) return;
  t.entries[t.next] = Entry{file, header};
  t.next = (t.next + 1) % kEntries;
  if (t.used < kEntries) ++t.used;
}

}  // namespace kiln::loader
