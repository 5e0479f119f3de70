// Renaming is done on the linked file, not in the IR: kiln_f<N> names must
// stay unique and free of '@' (lld reads that as a symbol version) while
// objects are linked and trap sites scanned, and wasm names need be neither.
#include "aotc/backend/symbol_names.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/ObjCopy/ConfigManager.h>
#include <llvm/ObjCopy/ObjCopy.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

#include <string>

#include "abi/function_names.h"
#include "aotc/codegen/codegen.h"

namespace kiln::aotc {

void emit_profiler_data_module(llvm::Module& out) {
  llvm::Type* i64 = llvm::Type::getInt64Ty(out.getContext());
  // Non-zero, so it has file bytes: valgrind wants a mapping of the file.
  auto* data = new llvm::GlobalVariable(out, i64, /*isConstant=*/false,
                                        llvm::GlobalValue::InternalLinkage,
                                        llvm::ConstantInt::get(i64, 1), "kiln_profiler_data");
  data->setSection(".data");
  data->setAlignment(llvm::Align(8));
  llvm::appendToUsed(out, {data});
}

Expected<std::vector<uint8_t>> name_function_symbols(llvm::ArrayRef<uint8_t> elf,
                                                     const Module& module) {
  std::vector<std::string> from, to;
  from.reserve(module.functions.size());
  to.reserve(module.functions.size());
  for (uint32_t i = 0; i < module.functions.size(); ++i) {
    const uint32_t index = module.imported_funcs + i;
    std::string_view name =
        index < module.function_names.size() ? std::string_view(module.function_names[index]) : "";
    from.push_back(function_symbol(i));
    to.push_back(abi::function_display_name(name, index));
  }
  llvm::objcopy::ConfigManager config;
  for (size_t i = 0; i < from.size(); ++i) config.Common.SymbolsToRename[from[i]] = to[i];

  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(elf.data()), elf.size()), "artifact");
  auto binary = llvm::object::createBinary(buffer);
  if (!binary) return make_error("internal error: linked artifact unreadable: " +
                                 llvm::toString(binary.takeError()));
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream out(bytes);
  if (llvm::Error err = llvm::objcopy::executeObjcopyOnBinary(config, **binary, out))
    return make_error("internal error: naming symbols: " + llvm::toString(std::move(err)));
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace kiln::aotc
