#include "tests/spec/scheduler.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/spec/crash_report.h"

namespace kiln::spec {
namespace {

// Workers compile (LLVM) and run wasm, whose stack budget comes out of the
// thread's stack: give them more than the default.
constexpr size_t kWorkerStackBytes = 64 * 1024 * 1024;

class Scheduler {
 public:
  Scheduler(const std::vector<std::string>& names, const std::function<void(size_t)>& job)
      : names_(names), job_(job), done_(names.size(), false) {}

  void run(unsigned workers, const std::function<void(size_t)>& report) {
    std::vector<pthread_t> threads;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kWorkerStackBytes);
    for (unsigned i = 0; i < workers; ++i) {
      pthread_t thread;
      if (pthread_create(&thread, &attr, &Scheduler::worker_entry, this) == 0)
        threads.push_back(thread);
    }
    pthread_attr_destroy(&attr);
    if (threads.empty()) work(0);  // no thread could start: run here

    for (size_t i = 0; i < names_.size(); ++i) {
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return bool(done_[i]); });
      }
      report(i);
    }
    for (pthread_t thread : threads) pthread_join(thread, nullptr);
  }

 private:
  static void* worker_entry(void* self) {
    auto* scheduler = static_cast<Scheduler*>(self);
    scheduler->work(scheduler->next_worker_.fetch_add(1));
    return nullptr;
  }

  void work(unsigned worker) {
    for (;;) {
      size_t index = next_.fetch_add(1);
      if (index >= names_.size()) break;
      set_running_script(worker, names_[index].c_str());
      job_(index);
      set_running_script(worker, nullptr);
      std::lock_guard lock(mutex_);
      done_[index] = true;
      ready_.notify_all();
    }
  }

  const std::vector<std::string>& names_;
  const std::function<void(size_t)>& job_;
  std::atomic<size_t> next_{0};
  std::atomic<unsigned> next_worker_{0};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<bool> done_;
};

}  // namespace

unsigned worker_count(unsigned requested, size_t scripts) {
  unsigned workers = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<size_t>(workers, std::max<size_t>(scripts, 1)));
}

void run_in_order(const std::vector<std::string>& names, unsigned workers,
                  const std::function<void(size_t)>& job, const std::function<void(size_t)>& report) {
  Scheduler(names, job).run(workers, report);
}

}  // namespace kiln::spec
