// Partition planning and the worker threads that compile partitions.
#include "aotc/backend/partitioned_build.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/Threading.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "aotc/backend/artifact_builder.h"
#include "aotc/codegen/codegen.h"

namespace kiln::aotc {

namespace {

// The trampolines go with the first partition.
Expected<CompiledPartition> compile_one(const Module& module, const std::string& name,
                                        FunctionRange range, bool trampolines,
                                        const Target& target, const CompileOptions& options) {
  llvm::LLVMContext context;
  auto code = create_code_module(context, name, target);
  if (Error err =
          generate_partition(module, options.codegen, range.first, range.end, trampolines, *code))
    return err;
  return compile_partition(*code, range.first, range.end, *target.machine, options.opt_level);
}

// The hardware threads this process may run on (its CPU affinity mask, so
// `taskset` and container CPU sets are respected).
unsigned thread_count(const CompileOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1u, llvm::hardware_concurrency().compute_thread_count());
}

}  // namespace

std::vector<FunctionRange> plan_partitions(const Module& module, const CompileOptions& options) {
  uint32_t count = uint32_t(module.functions.size());
  uint64_t total = 0;
  for (const FunctionBody& body : module.bodies) total += body.code.size();
  if (options.emit == CompileOptions::Emit::LLVMIR || count == 0 || options.partition_bytes == 0)
    return {{0, count}};
  uint64_t per_partition =
      std::max<uint64_t>(options.partition_bytes, (total + kMaxPartitions - 1) / kMaxPartitions);
  std::vector<FunctionRange> ranges;
  FunctionRange current;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < count; ++i) {
    bytes += i < module.bodies.size() ? module.bodies[i].code.size() : 0;
    if (bytes >= per_partition || i + 1 == count) {
      current.end = i + 1;
      ranges.push_back(current);
      current.first = i + 1;
      bytes = 0;
    }
  }
  return ranges;
}

Expected<std::vector<uint8_t>> build_module(const Module& module, const std::string& name,
                                            const Target& target, const CompileOptions& options) {
  if (options.emit == CompileOptions::Emit::LLVMIR) {  // one module, one IR file
    llvm::LLVMContext context;
    auto code = create_code_module(context, name, target);
    if (Error err = generate_module(module, options.codegen, *code)) return err;
    return build_output(module, *code, target, options);
  }
  std::vector<FunctionRange> ranges = plan_partitions(module, options);

  // Results by partition index, whichever thread compiled them: the output
  // never depends on scheduling.
  std::vector<std::optional<Expected<CompiledPartition>>> results(ranges.size());
  std::atomic<size_t> next{0};
  std::mutex progress_lock;
  CompileProgress progress;
  progress.functions_total = uint32_t(module.bodies.size());
  for (const FunctionBody& body : module.bodies) progress.code_bytes_total += body.code.size();
  auto work = [&](const Target& machine) {
    for (size_t i = next++; i < ranges.size(); i = next++) {
      results[i].emplace(compile_one(module, name, ranges[i], i == 0, machine, options));
      if (!options.progress) continue;
      std::lock_guard<std::mutex> hold(progress_lock);
      for (uint32_t f = ranges[i].first; f < ranges[i].end && f < module.bodies.size(); ++f) {
        progress.functions_done++;
        progress.code_bytes_done += module.bodies[f].code.size();
      }
      options.progress(progress);
    }
  };

  size_t helpers = std::min<size_t>(thread_count(options), ranges.size()) - 1;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < helpers; ++t) {
    try {
      threads.emplace_back([&] {
        // A TargetMachine is not shared between threads. Should one not be
        // made here, this thread takes no partitions and the others do them.
        auto own = create_target(options.cpu, options.opt_level, options.target);
        if (own) work(*own);
        else llvm::consumeError(own.takeError());
      });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: fewer helpers do the same work
    }
  }
  work(target);
  for (std::thread& thread : threads) thread.join();

  std::vector<CompiledPartition> parts;
  std::optional<Error> first_error;
  for (auto& result : results) {
    if (!*result) {
      if (first_error) llvm::consumeError(result->takeError());
      else first_error.emplace(result->takeError());
    } else if (!first_error) {
      parts.push_back(std::move(**result));
    }
  }
  if (first_error) return std::move(*first_error);
  return link_partitions(module, parts, target, options);
}

}  // namespace kiln::aotc
