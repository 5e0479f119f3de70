// Making guest code visible to profilers.
#pragma once

namespace kiln {

/// Makes `perf record` / `perf report` name the wasm functions of every
/// module loaded from now on (the name section's names, else
/// "wasm-function[N]"): each module's code moves to anonymous pages at the
/// same addresses, and its functions are appended to /tmp/perf-PID.map,
/// the file perf reads for such memory. Process-wide and best effort: where
/// the system refuses anonymous executable memory, or the file cannot be
/// written as this user's own regular file, modules load as usual, unnamed.
/// The environment variable KILN_PERF_MAP=1 does the same without a call;
/// KILN_PERF_MAP=0 turns it off even after a call. `kiln run` calls it when
/// started_by_perf() (unless --no-perf-map).
void enable_perf_map();

/// True when this process runs under `perf` (perf, or a process perf
/// started, is among its ancestors: `perf record -- CMD`, `perf stat CMD`).
/// A cheap check that lets a host turn the map on only when it is read.
bool started_by_perf();

}  // namespace kiln
