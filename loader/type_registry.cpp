// Canonical function type ids.
#include "loader/type_registry.h"

#include <map>
#include <mutex>
#include <string>

namespace kiln::loader {

namespace {
// Types are keyed by their value-type codes; 0 separates params from results
// (no type code is 0).
std::string key_of(const FuncType& type) {
  std::string key;
  key.reserve(type.params.size() + type.results.size() + 1);
  for (ValType t : type.params) key += char(t);
  key += '\0';
  for (ValType t : type.results) key += char(t);
  return key;
}
}  // namespace

uint32_t canonical_type_id(const FuncType& type) {
  static std::mutex mutex;
  static std::map<std::string, uint32_t>* ids = new std::map<std::string, uint32_t>();  // never freed: ids outlive static destruction
  std::lock_guard lock(mutex);
  auto [it, inserted] = ids->try_emplace(key_of(type), uint32_t(ids->size() + 1));
  return it->second;
}

}  // namespace kiln::loader
