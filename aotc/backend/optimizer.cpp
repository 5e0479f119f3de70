// Standard per-module pipelines from PassBuilder.
#include "aotc/backend/optimizer.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/PassTimingInfo.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <optional>

#include "aotc/backend/fast_isel_lowering.h"
#include "aotc/backend/frame_pointer_elision.h"
#include "aotc/backend/guarded_loop_versioning.h"
#include "aotc/backend/poll_elision.h"
#include "aotc/backend/rounding_lowering.h"

namespace kiln::aotc {

namespace {

llvm::OptimizationLevel pipeline_level(unsigned opt_level) {
  switch (opt_level) {
    case 0: return llvm::OptimizationLevel::O0;
    case 1: return llvm::OptimizationLevel::O1;
    case 2: return llvm::OptimizationLevel::O2;
    default: return llvm::OptimizationLevel::O3;
  }
}

}  // namespace

Error optimize_module(llvm::Module& module, llvm::TargetMachine& machine, unsigned opt_level) {
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(module, &os)) {
    os.flush();
    // The verifier writes one problem per line; the first names the culprit.
    std::string first = problems.substr(0, problems.find('\n'));
    return make_error("internal error: generated LLVM IR is invalid: " + first);
  }

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // Only under -mllvm -time-passes (and similar): the optimizer's passes
  // then report their times like the code generator's.
  llvm::PassInstrumentationCallbacks callbacks;
  std::optional<llvm::StandardInstrumentations> instrumentations;
  if (llvm::TimePassesIsEnabled) {
    instrumentations.emplace(module.getContext(), /*DebugLogging=*/false);
    instrumentations->registerCallbacks(callbacks, &mam);
  }
  // As clang sets them: the SLP vectorizer (off in LLVM's defaults) from
  // -O2, which merges the neighbouring accesses of a loop body the wasm
  // producer unrolled and the plain copies below make mergeable.
  llvm::PipelineTuningOptions tuning;
  tuning.SLPVectorization = opt_level >= 2;
  llvm::PassBuilder builder(&machine, tuning, std::nullopt,
                            instrumentations ? &callbacks : nullptr);
  // Artifacts link against nothing, so no libc function may be assumed:
  // without this, loop idioms become memset/memcpy calls lld cannot resolve.
  llvm::TargetLibraryInfoImpl library(llvm::Triple(module.getTargetTriple()));
  library.disableAllFunctions();
  fam.registerPass([&] { return llvm::TargetLibraryAnalysis(library); });
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);

  // Before the vectorizer: polls that bounded loops do not need go, so that
  // those loops can vectorize.
  builder.registerVectorizerStartEPCallback(
      [](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel level) {
        if (level == llvm::OptimizationLevel::O0) return;
        fpm.addPass(PollElisionPass());
        // Then loops free of polls and calls get a range-checked plain copy.
        fpm.addPass(GuardedLoopVersioningPass());
      });
  // Last, when loop trip counts are known and unrolled bodies are final.
  builder.registerOptimizerLastEPCallback(
      [](llvm::ModulePassManager& mpm, llvm::OptimizationLevel level) {
        // At -O0 trip counts are unknown (locals live in allocas): not worth the analyses.
        if (level == llvm::OptimizationLevel::O0) return;
        mpm.addPass(llvm::createModuleToFunctionPassAdaptor(UnvectorizedCopyRemovalPass()));
        mpm.addPass(llvm::createModuleToFunctionPassAdaptor(PollElisionPass()));
        // After the poll elision, which can leave a loop free of traps.
        mpm.addPass(llvm::createModuleToFunctionPassAdaptor(FramePointerElisionPass()));
      });

  llvm::OptimizationLevel level = pipeline_level(opt_level);
  llvm::ModulePassManager passes = opt_level == 0 ? builder.buildO0DefaultPipeline(level)
                                                  : builder.buildPerModuleDefaultPipeline(level);
  passes.run(module, mam);
  if (opt_level == 0) lower_for_fast_isel(module);
  // After the optimizer, which may create rounding intrinsics (vectorized
  // loops): none may reach instruction selection as a libm call.
  if (!has_rounding_instructions(machine)) lower_rounding(module);
  return Error::success();
}

}  // namespace kiln::aotc
