// CPU feature checks for artifacts: each name of the descriptor's "+a,+b"
// list is asked of host_cpu::has_feature (host_cpu_<cpu>.cpp). A name the
// host's table does not know makes the artifact refused.
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "loader/platform/artifact_file.h"
#include "loader/platform/host_cpu.h"

namespace kiln::loader {

namespace {

std::string compute_missing(const char* feature_list) {
  std::string missing;
  std::string_view rest(feature_list);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.empty() || item[0] == '-') continue;  // disabled features require nothing
    if (item[0] == '+') item.remove_prefix(1);
    if (item.empty()) continue;
    int has = host_cpu::has_feature(item);
    if (has == 1) continue;
    if (!missing.empty()) missing += ',';
    missing += item;
    if (has < 0) missing += " (unknown feature)";
  }
  return missing;
}

}  // namespace

// Feature queries can be slow (CPUID under virtualization) and every artifact
// from one aotc carries the same list: each list is answered once per process.
std::string missing_cpu_features(const char* feature_list) {
  if (!feature_list) return {};
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> answers;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = answers.try_emplace(feature_list);
  if (inserted) it->second = compute_missing(feature_list);
  return it->second;
}

Status check_cpu_features(const char* feature_list) {
  std::string missing = missing_cpu_features(feature_list);
  if (missing.empty()) return {};
  return fail("needs CPU features this host lacks: " + missing);
}

}  // namespace kiln::loader
