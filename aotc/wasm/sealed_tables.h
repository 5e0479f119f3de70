// Which tables keep the functions their segments put in them (SealedTable).
#pragma once
#include <vector>

#include "aotc/wasm/module.h"

namespace kiln::aotc {

/// Tables of at most this many elements are sealed (larger ones would put
/// that many constants into the artifact).
constexpr uint32_t kMaxSealedTableElements = 1u << 20;

/// The sealed tables of a validated module, given which tables (by table
/// index) some instruction writes, grows or fills (`written`).
std::vector<SealedTable> find_sealed_tables(const Module& module, const std::vector<bool>& written);

}  // namespace kiln::aotc
