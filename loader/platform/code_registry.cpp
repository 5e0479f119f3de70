// The code registry: an immutable, sorted snapshot of registered artifacts,
// published through an atomic pointer. Readers (signal handlers included)
// announce themselves in one of two in-flight counters and never lock or
// allocate; writers serialize on a mutex, publish a new snapshot, then wait
// until every reader that could have seen the old one has left before
// freeing it (a two-phase grace period, so a steady stream of new readers
// cannot starve a writer).
#include "loader/platform/code_registry.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>
#include <thread>

namespace kiln::loader {

namespace {

// One allocation: the header followed by `count` entry pointers.
struct Snapshot {
  size_t count;
  const RegisteredCode** entries;  // sorted by code_start()
};

Snapshot* new_snapshot(size_t count) {
  void* mem = ::operator new(sizeof(Snapshot) + count * sizeof(const RegisteredCode*));
  Snapshot* s = static_cast<Snapshot*>(mem);
  s->count = count;
  s->entries = reinterpret_cast<const RegisteredCode**>(s + 1);
  return s;
}

void free_snapshot(Snapshot* s) { ::operator delete(s); }

// All of this is constant-initialized and trivially destructible, so it is
// usable from any static constructor or destructor and from signal handlers.
constinit std::atomic<Snapshot*> g_snapshot{nullptr};
constinit std::atomic<unsigned> g_epoch{0};
constinit std::atomic<size_t> g_readers[2] = {0, 0};
constinit std::mutex g_writer_mutex;

static_assert(std::atomic<Snapshot*>::is_always_lock_free);
static_assert(std::atomic<size_t>::is_always_lock_free);

class ReadSection {
 public:
  ReadSection() : slot_(g_epoch.load() & 1) { g_readers[slot_].fetch_add(1); }
  ~ReadSection() { g_readers[slot_].fetch_sub(1); }
  ReadSection(const ReadSection&) = delete;
  ReadSection& operator=(const ReadSection&) = delete;

 private:
  unsigned slot_;
};

// Returns once no reader can still hold a snapshot replaced before this call.
// A reader that saw the old snapshot incremented its counter before the
// replacement; each phase flips new readers to the other counter and drains
// one, so both counters are drained after the replacement.
void wait_for_readers() {
  for (int phase = 0; phase < 2; ++phase) {
    unsigned old_slot = g_epoch.load() & 1;
    g_epoch.store(old_slot ^ 1);
    while (g_readers[old_slot].load() != 0) std::this_thread::yield();
  }
}

void publish(Snapshot* next) {
  Snapshot* old = g_snapshot.exchange(next);
  wait_for_readers();
  if (old) free_snapshot(old);
}

}  // namespace

class CodeRegistry {
 public:
  static void add(const RegisteredCode* code) {
    std::lock_guard<std::mutex> lock(g_writer_mutex);
    const Snapshot* cur = g_snapshot.load();
    size_t n = cur ? cur->count : 0;
    Snapshot* next = new_snapshot(n + 1);
    size_t out = 0;
    bool placed = false;
    for (size_t i = 0; i < n; ++i) {
      if (!placed && code->start_ < cur->entries[i]->start_) {
        next->entries[out++] = code;
        placed = true;
      }
      next->entries[out++] = cur->entries[i];
    }
    if (!placed) next->entries[out++] = code;
    publish(next);
  }

  static void remove(const RegisteredCode* code) {
    std::lock_guard<std::mutex> lock(g_writer_mutex);
    const Snapshot* cur = g_snapshot.load();
    if (!cur) return;
    bool present = std::find(cur->entries, cur->entries + cur->count, code) != cur->entries + cur->count;
    if (!present) return;
    Snapshot* next = nullptr;
    if (cur->count > 1) {
      next = new_snapshot(cur->count - 1);
      size_t out = 0;
      for (size_t i = 0; i < cur->count; ++i)
        if (cur->entries[i] != code) next->entries[out++] = cur->entries[i];
    }
    publish(next);
  }

  static size_t count() {
    std::lock_guard<std::mutex> lock(g_writer_mutex);
    const Snapshot* cur = g_snapshot.load();
    return cur ? cur->count : 0;
  }

  // Signal-safe: plain reads of immutable data kept alive by the read section.
  static bool lookup(uintptr_t pc, PcInfo& info) {
    ReadSection section;
    const RegisteredCode* code = containing(pc);
    if (!code) return false;
    return code->in_order_ ? lookup_in_tables(*code, pc, info) : lookup_in_copies(*code, pc, info);
  }

  static bool contains(uintptr_t pc) {
    ReadSection section;
    return containing(pc) != nullptr;
  }

 private:
  // The registered artifact whose code holds pc, or null. Inside a ReadSection.
  static const RegisteredCode* containing(uintptr_t pc) {
    const Snapshot* s = g_snapshot.load();
    if (!s) return nullptr;
    const RegisteredCode* const* first = s->entries;
    const RegisteredCode* const* last = s->entries + s->count;
    auto it = std::upper_bound(first, last, pc,
                               [](uintptr_t p, const RegisteredCode* c) { return p < c->start_; });
    if (it == first) return nullptr;
    const RegisteredCode* code = *(it - 1);
    return pc < code->end_ ? code : nullptr;
  }

  // In the descriptor's tables: functions in address order, trap sites by
  // (function, offset).
  static bool lookup_in_tables(const RegisteredCode& code, uintptr_t pc, PcInfo& info) {
    uint32_t low = 0, high = code.function_count_;  // first function starting after pc
    while (low < high) {
      uint32_t mid = low + (high - low) / 2;
      if (code.function_start(mid) <= pc) low = mid + 1;
      else high = mid;
    }
    if (low == 0) return false;
    const uint32_t index = low - 1;
    const uintptr_t start = code.function_start(index);
    const abi::Function& fn = code.function_table_[index];
    if (pc - start >= fn.code_size) return false;  // padding between functions
    fill(code, index, uint32_t(pc - start), info);
    const abi::TrapSite* first = code.trap_table_;
    const abi::TrapSite* last = first + code.trap_count_;
    const abi::TrapSite* site =
        std::lower_bound(first, last, std::pair<uint32_t, uint32_t>(index, info.offset),
                         [](const abi::TrapSite& t, const std::pair<uint32_t, uint32_t>& at) {
                           return t.func_index < at.first || (t.func_index == at.first && t.offset < at.second);
                         });
    if (site != last && site->func_index == index && site->offset == info.offset)
      info.trap = abi::TrapCode(site->code);
    return true;
  }

  // In the sorted copies made at registration.
  static bool lookup_in_copies(const RegisteredCode& code, uintptr_t pc, PcInfo& info) {
    const auto& funcs = code.functions_;
    auto fit = std::upper_bound(funcs.begin(), funcs.end(), pc,
                                [](uintptr_t p, const std::pair<uintptr_t, uint32_t>& f) {
                                  return p < f.first;
                                });
    if (fit == funcs.begin()) return false;
    --fit;
    const abi::Function& fn = code.function_table_[fit->second];
    if (pc - fit->first >= fn.code_size) return false;  // padding between functions
    fill(code, fit->second, uint32_t(pc - fit->first), info);
    const auto& traps = code.traps_;
    auto tit = std::lower_bound(traps.begin(), traps.end(), pc,
                                [](const std::pair<uintptr_t, uint8_t>& t, uintptr_t p) {
                                  return t.first < p;
                                });
    if (tit != traps.end() && tit->first == pc) info.trap = abi::TrapCode(tit->second);
    return true;
  }

  static void fill(const RegisteredCode& code, uint32_t index, uint32_t offset, PcInfo& info) {
    info.owner = code.owner_;
    info.func_index = index;
    info.offset = offset;
    info.func_name = code.descriptor_->at<char>(code.function_table_[index].name);
    info.trap = abi::TrapCode::None;
  }
};

RegisteredCode::RegisteredCode(std::unique_ptr<SharedLibrary> library,
                               const abi::Descriptor* descriptor, const void* owner)
    : library_(std::move(library)), descriptor_(descriptor), owner_(owner) {
  if (!descriptor_ || !descriptor_->functions) return;
  function_table_ = descriptor_->at<abi::Function>(descriptor_->functions);
  trap_table_ = descriptor_->at<abi::TrapSite>(descriptor_->traps);
  function_count_ = descriptor_->function_count;
  trap_count_ = descriptor_->traps ? descriptor_->trap_count : 0;
  const uint32_t count = function_count_;

  // In order: every function has code, each after the one before (code
  // offsets are all from the same descriptor, so they compare as addresses).
  in_order_ = count > 0;
  for (uint32_t i = 0; i < count && in_order_; ++i) {
    const abi::Function& fn = function_table_[i];
    in_order_ = fn.code != 0 && fn.code_size > 0 &&
                (i == 0 || function_table_[i - 1].code + int64_t(function_table_[i - 1].code_size) <= fn.code);
  }
  if (in_order_) {
    start_ = function_start(0);
    end_ = function_start(count - 1) + function_table_[count - 1].code_size;
    widen_to_artifact_code();
    CodeRegistry::add(this);
    return;
  }

  functions_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const abi::Function& fn = function_table_[i];
    if (!fn.code || fn.code_size == 0) continue;
    uintptr_t start = reinterpret_cast<uintptr_t>(descriptor_->code_at(fn.code));
    functions_.emplace_back(start, i);
    if (start_ == 0 || start < start_) start_ = start;
    if (start + fn.code_size > end_) end_ = start + fn.code_size;
  }
  if (functions_.empty()) {
    start_ = end_ = 0;
    return;  // nothing to register; the library is still owned
  }
  // Sorted copies, for tables in some other order.
  if (!std::is_sorted(functions_.begin(), functions_.end())) std::sort(functions_.begin(), functions_.end());

  if (descriptor_->traps) {
    const abi::TrapSite* sites = descriptor_->at<abi::TrapSite>(descriptor_->traps);
    traps_.reserve(descriptor_->trap_count);
    for (uint32_t i = 0; i < descriptor_->trap_count; ++i) {
      const abi::TrapSite& site = sites[i];
      if (site.func_index >= count) continue;
      const abi::Function& fn = function_table_[site.func_index];
      if (!fn.code || site.offset >= fn.code_size) continue;
      traps_.emplace_back(reinterpret_cast<uintptr_t>(descriptor_->code_at(fn.code)) + site.offset, site.code);
    }
    if (!std::is_sorted(traps_.begin(), traps_.end())) std::sort(traps_.begin(), traps_.end());
  }
  widen_to_artifact_code();
  CodeRegistry::add(this);
}

void RegisteredCode::widen_to_artifact_code() {
  const abi::Descriptor& d = *descriptor_;
  if (d.code_begin == 0 || d.code_end <= d.code_begin) return;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(d.code_at(d.code_begin));
  const uintptr_t end = reinterpret_cast<uintptr_t>(d.code_at(d.code_end));
  // Only a range around every function (check_descriptor bounds them by it).
  if (begin <= start_ && end_ <= end) {
    start_ = begin;
    end_ = end;
  }
}

RegisteredCode::~RegisteredCode() {
  // Only registered when it has functions; remove() waits for lookups.
  if (in_order_ || !functions_.empty()) CodeRegistry::remove(this);
  // The code may be unmapped only now that no lookup can reach this entry.
  library_.reset();
}

bool lookup_pc(uintptr_t pc, PcInfo& info) { return CodeRegistry::lookup(pc, info); }

bool in_artifact_code(uintptr_t pc) { return CodeRegistry::contains(pc); }

size_t registered_code_count() { return CodeRegistry::count(); }

}  // namespace kiln::loader
