// Object emission through TargetMachine::addPassesToEmitFile.
#include "aotc/backend/object_emitter.h"

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

namespace kiln::aotc {

Expected<llvm::SmallVector<char, 0>> emit_object(llvm::Module& module,
                                                 llvm::TargetMachine& machine) {
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream os(bytes);
  llvm::legacy::PassManager passes;
  // Same rule as the optimizer: no libc functions exist for artifacts.
  llvm::TargetLibraryInfoImpl library(llvm::Triple(module.getTargetTriple()));
  library.disableAllFunctions();
  passes.add(new llvm::TargetLibraryInfoWrapperPass(library));
  // Returns true when the target cannot emit this file type.
  if (machine.addPassesToEmitFile(passes, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return make_error("internal error: the target cannot emit object files");
  passes.run(module);
  return bytes;
}

std::string emit_ir_text(const llvm::Module& module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, nullptr);
  os.flush();
  return text;
}

}  // namespace kiln::aotc
