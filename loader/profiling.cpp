// kiln::enable_perf_map: the public switch for loader/platform/perf_map.
#include "kiln/profiling.h"

#include "loader/platform/perf_map.h"

namespace kiln {

void enable_perf_map() { loader::enable_perf_map(); }
bool started_by_perf() { return loader::started_by_perf(); }

}  // namespace kiln
