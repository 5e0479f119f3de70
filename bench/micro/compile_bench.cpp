// aotc's compile throughput (Google Benchmark): the generated large module
// compiled in-process to a shared object at -O0 and -O2, in MB of wasm/s,
// on every core (functions compiled in parallel partitions) and on one.
//
//   kiln_compile_bench [--module=FILE.wasm] [google benchmark flags]
//
// The default module is large.wasm next to this program.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "aotc/backend/compiler.h"

namespace {

std::string g_module;
std::vector<uint8_t> g_bytes;

// threads 0: one per hardware thread, as aotc does by default.
void BM_Compile(benchmark::State& state, unsigned opt_level, unsigned threads) {
  kiln::aotc::CompileOptions options;
  options.opt_level = opt_level;
  options.threads = threads;
  for (auto _ : state) {
    auto out = kiln::aotc::compile_to_memory(g_bytes, false, g_module, options);
    if (!out) {
      state.SkipWithError(kiln::aotc::error_message(out.takeError()).c_str());
      break;
    }
    benchmark::DoNotOptimize(out->data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(g_bytes.size()));
  state.counters["wasm_MB_per_s"] = benchmark::Counter(
      double(state.iterations()) * double(g_bytes.size()) / 1e6, benchmark::Counter::kIsRate);
}
// CPU is that of every thread: the work, next to the wall-clock time.
BENCHMARK_CAPTURE(BM_Compile, O0, 0u, 0u)
    ->Unit(benchmark::kSecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(2);
BENCHMARK_CAPTURE(BM_Compile, O2, 2u, 0u)
    ->Unit(benchmark::kSecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);
// One thread: the parallel speed-up is the ratio to these.
BENCHMARK_CAPTURE(BM_Compile, O0_1thread, 0u, 1u)
    ->Unit(benchmark::kSecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(2);
BENCHMARK_CAPTURE(BM_Compile, O2_1thread, 2u, 1u)
    ->Unit(benchmark::kSecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--module=", 9) == 0) g_module = argv[i] + 9;
    else rest.push_back(argv[i]);
  }
  if (g_module.empty())
    g_module = (std::filesystem::canonical("/proc/self/exe").parent_path() / "large.wasm").string();
  std::ifstream in(g_module, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", g_module.c_str());
    return 1;
  }
  g_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::printf("module: %s, %.2f MB of wasm\n", g_module.c_str(), double(g_bytes.size()) / 1e6);
  int rest_argc = int(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
