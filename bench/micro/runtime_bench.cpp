// Micro-benchmarks of libkiln (Google Benchmark): loading artifacts,
// instantiating, the call paths between host and wasm, and what aotc's
// interruption polls and explicit bounds checks cost on real kernels.
//
//   kiln_runtime_bench [--artifacts=DIR] [google benchmark flags]
//
// DIR holds the artifacts the build makes next to this program (default: the
// program's own directory). After the benchmarks a summary compares each
// result with its target.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiln/kiln.h"
#include "kiln/wasi.h"

namespace {

std::string g_artifacts;

std::string artifact(const std::string& name) { return g_artifacts + "/" + name; }

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// This thread's CPU time: on a shared machine it leaves out the time spent
// waiting for a core, which wall time (the manual time below) includes.
double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Reports the CPU time of just the measured operation, per iteration.
void set_op_cpu(benchmark::State& state, double total_seconds) {
  state.counters["op_cpu"] = benchmark::Counter(total_seconds, benchmark::Counter::kAvgIterations);
}

// --- load: file check + sealed copy + dlopen + registration (unload untimed)

// An immutable (chattr +i) copy of a file in the temporary directory, for as
// long as this object lives; if the system does not allow one (it takes
// CAP_LINUX_IMMUTABLE and a filesystem with the attribute), path() is empty
// and why() says why.
class ImmutableCopy {
 public:
  explicit ImmutableCopy(const std::string& source) {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("kiln-bench-immutable-" + std::to_string(::getpid()) + ".so")).string();
    std::error_code ec;
    std::filesystem::copy_file(source, path, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
      why_ = "cannot copy " + source + ": " + ec.message();
      return;
    }
    path_ = path;
    if (!set_immutable(true)) {
      why_ = "chattr +i on " + path + " failed: " + std::strerror(errno);
      std::filesystem::remove(path, ec);
      path_.clear();
    }
  }
  ~ImmutableCopy() {
    if (path_.empty()) return;
    set_immutable(false);
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ImmutableCopy(const ImmutableCopy&) = delete;
  ImmutableCopy& operator=(const ImmutableCopy&) = delete;
  const std::string& path() const { return path_; }
  const std::string& why() const { return why_; }
  /// Clears and sets the attribute again: a new change time, so the loader
  /// takes the file for one it has not checked yet.
  void touch() {
    set_immutable(false);
    set_immutable(true);
  }

 private:
  bool set_immutable(bool on) {
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
      flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
      ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
  }
  std::string path_, why_;
};

enum class LoadOf {
  File,            // a plain file: checked on a sealed copy
  Immutable,       // an immutable file: checked and mapped in place; loaded
                   // again, it is known unchanged and not read again
  ImmutableFirst,  // an immutable file changed before each load (untimed)
};

void BM_Load(benchmark::State& state, const char* file, LoadOf what) {
  std::string path = artifact(file);
  std::optional<ImmutableCopy> copy;
  if (what != LoadOf::File) {
    copy.emplace(path);
    if (copy->path().empty()) {
      state.SkipWithError(("skipped: " + copy->why()).c_str());
      return;
    }
    path = copy->path();
  }
  double cpu = 0;
  for (auto _ : state) {
    if (what == LoadOf::ImmutableFirst) copy->touch();
    double cpu_start = thread_cpu_seconds();
    auto start = Clock::now();
    std::optional<kiln::Module> module = kiln::Module::load(path);
    state.SetIterationTime(seconds_since(start));
    cpu += thread_cpu_seconds() - cpu_start;
    module.reset();
  }
  set_op_cpu(state, cpu);
}
BENCHMARK_CAPTURE(BM_Load, small, "calls.so", LoadOf::File)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Load, large_1mb_code, "large.so", LoadOf::File)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Load, immutable_large_1mb_code, "large.so", LoadOf::Immutable)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Load, immutable_first_large_1mb_code, "large.so", LoadOf::ImmutableFirst)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// --- instantiate a module with one memory and one data segment

void BM_Instantiate(benchmark::State& state) {
  kiln::Module module = kiln::Module::load(artifact("memory_data.so"));
  kiln::Imports imports;
  double cpu = 0;
  for (auto _ : state) {
    // A fresh store each time, so instances do not pile up (untimed).
    std::optional<kiln::Store> store(std::in_place);
    double cpu_start = thread_cpu_seconds();
    auto start = Clock::now();
    kiln::Instance instance = kiln::Instance::create(*store, module, imports);
    state.SetIterationTime(seconds_since(start));
    cpu += thread_cpu_seconds() - cpu_start;
    benchmark::DoNotOptimize(instance);
  }
  set_op_cpu(state, cpu);
}
BENCHMARK(BM_Instantiate)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Instantiation and teardown of instance and store together, for comparison.
void BM_InstantiateAndDrop(benchmark::State& state) {
  kiln::Module module = kiln::Module::load(artifact("memory_data.so"));
  kiln::Imports imports;
  for (auto _ : state) {
    kiln::Store store;
    kiln::Instance instance = kiln::Instance::create(store, module, imports);
    benchmark::DoNotOptimize(instance);
  }
}
BENCHMARK(BM_InstantiateAndDrop)->Unit(benchmark::kMicrosecond);

// --- calls

struct CallsFixture {
  kiln::Store store;
  kiln::Instance instance;
  CallsFixture() {
    kiln::Module module = kiln::Module::load(artifact("calls.so"));
    kiln::Imports imports;
    imports.func("host", "inc", [](int32_t x) { return x + 1; });
    instance = kiln::Instance::create(store, module, imports);
  }
};

void BM_CallTyped(benchmark::State& state) {
  CallsFixture fx;
  auto add_one = fx.instance.typed_func<int32_t(int32_t)>("add_one");
  int32_t x = 0;
  for (auto _ : state) {
    x = add_one(x);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_CallTyped);

void BM_CallValues(benchmark::State& state) {
  CallsFixture fx;
  kiln::Func add_one = fx.instance.func("add_one");
  int32_t x = 0;
  for (auto _ : state) {
    std::vector<kiln::Value> results = add_one.call({kiln::Value::i32(x)});
    x = results[0].as_i32();
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_CallValues);

// The same with the results written into the caller's span: no allocation.
void BM_CallValuesInto(benchmark::State& state) {
  CallsFixture fx;
  kiln::Func add_one = fx.instance.func("add_one");
  kiln::Value args[1];
  kiln::Value results[1];
  int32_t x = 0;
  for (auto _ : state) {
    args[0] = kiln::Value::i32(x);
    add_one.call(args, results);
    x = results[0].as_i32();
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_CallValuesInto);

// Loops inside wasm: per-call cost is the iteration time / kLoopCalls.
constexpr int32_t kLoopCalls = 10000;

void BM_WasmLoop(benchmark::State& state, const char* export_name) {
  CallsFixture fx;
  auto loop = fx.instance.typed_func<int32_t(int32_t)>(export_name);
  for (auto _ : state) benchmark::DoNotOptimize(loop(kLoopCalls));
  state.counters["per_call"] = benchmark::Counter(double(state.iterations()) * kLoopCalls,
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK_CAPTURE(BM_WasmLoop, wasm_to_host, "host_loop")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_WasmLoop, call_indirect, "indirect_loop")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_WasmLoop, direct_call, "direct_loop")->Unit(benchmark::kMicrosecond)->UseRealTime();

// wasm->host through a generic body (explicit type, Values, adapter), for
// comparison with the typed callable of BM_WasmLoop/wasm_to_host.
void BM_WasmLoopGenericHost(benchmark::State& state) {
  kiln::Store store;
  kiln::Module module = kiln::Module::load(artifact("calls.so"));
  kiln::Imports imports;
  imports.func("host", "inc", kiln::FuncType{{kiln::ValType::I32}, {kiln::ValType::I32}},
               [](kiln::Caller&, std::span<const kiln::Value> args, std::span<kiln::Value> results) {
                 results[0] = kiln::Value::i32(args[0].as_i32() + 1);
               });
  kiln::Instance instance = kiln::Instance::create(store, module, imports);
  auto loop = instance.typed_func<int32_t(int32_t)>("host_loop");
  for (auto _ : state) benchmark::DoNotOptimize(loop(kLoopCalls));
  state.counters["per_call"] = benchmark::Counter(double(state.iterations()) * kLoopCalls,
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_WasmLoopGenericHost)->Unit(benchmark::kMicrosecond)->UseRealTime();

// --- cost of aotc's safety options on a kernel (WASI command, 10% work,
// output to /dev/null): KERNEL_plain.so, KERNEL_interruptible.so,
// KERNEL_explicit.so are built by bench/micro/meson.build.

void BM_Kernel(benchmark::State& state, std::string file) {
  kiln::Module module = kiln::Module::load(artifact(file));
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  for (auto _ : state) {
    kiln::Store store;
    kiln::wasi::Config config;
    config.args = {file, "10"};
    config.stdout_fd = devnull;
    kiln::wasi::Context wasi(config);
    kiln::Imports imports;
    wasi.add_to(imports);
    kiln::Instance instance = kiln::Instance::create(store, module, imports);
    uint32_t status = kiln::wasi::run_start(instance);
    if (status != 0) state.SkipWithError("kernel exited with a non-zero status");
  }
  ::close(devnull);
}

const char* const kCheckKernels[] = {"matmul", "sieve", "interp"};
const char* const kVariants[] = {"plain", "interruptible", "explicit"};

void register_kernel_benchmarks() {
  for (const char* k : kCheckKernels)
    for (const char* v : kVariants) {
      std::string file = std::string(k) + "_" + v + ".so";
      benchmark::RegisterBenchmark(("BM_Kernel/" + std::string(k) + "/" + v).c_str(), BM_Kernel, file)
          ->Unit(benchmark::kMillisecond)
          ->MinTime(1.0);
    }
}

// --- summary against the targets

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  struct Times {
    double real_ns;
    double cpu_ns;
  };
  // Per iteration, or per call for the BM_WasmLoop loops.
  std::map<std::string, Times> results;

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      double scale = to_ns(run.time_unit);
      if (run.benchmark_name().rfind("BM_WasmLoop", 0) == 0) scale /= kLoopCalls;
      double cpu = run.GetAdjustedCPUTime() * scale;
      // Manual-time benchmarks: the CPU column covers untimed setup too; use
      // the CPU time of the operation itself.
      auto op_cpu = run.counters.find("op_cpu");
      if (op_cpu != run.counters.end()) cpu = op_cpu->second.value * 1e9;
      results[run.benchmark_name()] = {run.GetAdjustedRealTime() * scale, cpu};
    }
    ConsoleReporter::ReportRuns(runs);
  }

 private:
  static double to_ns(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kNanosecond: return 1;
      case benchmark::kMicrosecond: return 1e3;
      case benchmark::kMillisecond: return 1e6;
      case benchmark::kSecond: return 1e9;
    }
    return 1;
  }
};

using Results = std::map<std::string, SummaryReporter::Times>;

// Finds a result by the start of its name (the time-mode suffix varies).
std::optional<SummaryReporter::Times> find(const Results& results, const std::string& prefix) {
  for (const auto& [name, times] : results)
    if (name.rfind(prefix, 0) == 0) return times;
  return std::nullopt;
}

std::string show(double ns) {
  char buf[32];
  if (ns >= 1e6) std::snprintf(buf, sizeof buf, "%.2f ms", ns / 1e6);
  else if (ns >= 1e3) std::snprintf(buf, sizeof buf, "%.1f us", ns / 1e3);
  else std::snprintf(buf, sizeof buf, "%.1f ns", ns);
  return buf;
}

// The verdict uses CPU time: on a shared machine wall time also counts the
// time spent waiting for a core.
void print_summary(const Results& results) {
  struct Target {
    const char* what;
    const char* name;
    double limit_ns;
  };
  const Target targets[] = {
      {"load, small module", "BM_Load/small", 100e3},
      {"load, 1 MB of code", "BM_Load/large_1mb_code", 100e3},
      {"load, 1 MB, immutable file", "BM_Load/immutable_large_1mb_code", 100e3},
      {"load, 1 MB, immutable, first", "BM_Load/immutable_first_large_1mb_code", 100e3},
      {"instantiate (memory + data)", "BM_Instantiate/", 10e3},
      {"host->wasm typed call", "BM_CallTyped", 5},
      {"host->wasm call with Values", "BM_CallValues", 30},
      {"wasm->host call", "BM_WasmLoop/wasm_to_host", 5},
  };
  std::printf("\n%-30s %11s %11s %11s  %s\n", "summary", "real", "cpu", "target", "(verdict by cpu time)");
  for (const Target& t : targets) {
    auto v = find(results, t.name);
    if (!v) {
      std::printf("%-30s %11s %11s %11s  not run\n", t.what, "-", "-", show(t.limit_ns).c_str());
      continue;
    }
    std::printf("%-30s %11s %11s %11s  %s\n", t.what, show(v->real_ns).c_str(), show(v->cpu_ns).c_str(),
                show(t.limit_ns).c_str(), v->cpu_ns <= t.limit_ns ? "met" : "NOT MET");
  }
  for (const char* name : {"call_indirect", "direct_call"})
    if (auto v = find(results, std::string("BM_WasmLoop/") + name))
      std::printf("%-30s %11s %11s\n", (std::string(name) + ", per call").c_str(), show(v->real_ns).c_str(),
                  show(v->cpu_ns).c_str());
  for (const char* k : kCheckKernels) {
    auto plain = find(results, std::string("BM_Kernel/") + k + "/plain");
    auto intr = find(results, std::string("BM_Kernel/") + k + "/interruptible");
    auto expl = find(results, std::string("BM_Kernel/") + k + "/explicit");
    if (!plain) continue;
    auto ratio = [&](const std::optional<SummaryReporter::Times>& v) {
      char buf[48];
      if (!v) return std::string("-");
      std::snprintf(buf, sizeof buf, "%.3fx (real %.3fx)", v->cpu_ns / plain->cpu_ns, v->real_ns / plain->real_ns);
      return std::string(buf);
    };
    std::printf("%-30s interruptible %s, explicit bounds checks %s; plain %s cpu\n",
                (std::string("check cost, ") + k).c_str(), ratio(intr).c_str(), ratio(expl).c_str(),
                show(plain->cpu_ns).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--artifacts=", 12) == 0) g_artifacts = argv[i] + 12;
    else rest.push_back(argv[i]);
  }
  if (g_artifacts.empty())
    g_artifacts = std::filesystem::canonical("/proc/self/exe").parent_path().string();
  int rest_argc = int(rest.size());
  register_kernel_benchmarks();
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 1;
  SummaryReporter reporter;
  try {
    benchmark::RunSpecifiedBenchmarks(&reporter);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  print_summary(reporter.results);
  benchmark::Shutdown();
  return 0;
}
