// perf's symbol map for code it cannot read symbols from: /tmp/perf-PID.map,
// one "START SIZE NAME" line per function. perf consults it only for
// anonymous executable memory, and a module's code is mapped from a sealed
// memory file whose name perf cannot open after the run; so, when the map
// is on, a module's code is first moved to anonymous pages at the same
// addresses with the same bytes (make_code_anonymous).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::loader {

/// Turns the map on for modules loaded from now on (process-wide).
void enable_perf_map();
/// KILN_PERF_MAP=1 in the environment: true; =0: false; else whether
/// enable_perf_map() ran.
bool perf_map_enabled();

/// True when this process runs under `perf` (record, stat, top, ...): perf
/// or one of its children is among its ancestors, as `perf record -- CMD`
/// starts CMD. Costs a few reads of /proc; false where /proc is missing.
bool started_by_perf();

/// Replaces the executable pages [begin, begin + size) (page-aligned) with
/// anonymous pages holding the same bytes, readable and executable. Returns
/// false, leaving the mapping as it was, where the system refuses anonymous
/// executable memory (e.g. SELinux execmem) or memory runs out.
bool make_code_anonymous(uintptr_t begin, size_t size);

struct PerfMapEntry {
  uintptr_t start = 0;
  size_t size = 0;
  std::string name;
};

/// Appends `entries` to this process's map in one write. Skips (silently:
/// profiling is best effort) when the file cannot be opened as our own
/// regular file, e.g. another user's file or a symlink planted in /tmp.
void append_perf_map(const std::vector<PerfMapEntry>& entries);

}  // namespace kiln::loader
