// reroll_loop on hand-written IR: a body unrolled by three becomes one chain
// per iteration only when that keeps the order of its memory accesses and
// the number of elements.
#include <doctest/doctest.h>
#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <string>

#include "aotc/backend/loop_reroll.h"

namespace {

// x[j + 8k + 8] = 2 * x[j + 8k] for k = 0, 1, 2, j from 0 by 24 while
// j != BOUND; LOADS_FIRST puts the three loads before the three stores.
std::string recurrence(bool loads_first, const char* predicate, int bound) {
  std::string loads = R"(
  %a0 = getelementptr i8, ptr %x, i64 %j
  %v0 = load double, ptr %a0
  %a1 = getelementptr i8, ptr %a0, i64 8
  %v1 = load double, ptr %a1
  %a2 = getelementptr i8, ptr %a0, i64 16
  %v2 = load double, ptr %a2)";
  std::string stores = R"(
  %m0 = fmul double %v0, 2.0
  store double %m0, ptr %a1
  %m1 = fmul double %v1, 2.0
  store double %m1, ptr %a2
  %a3 = getelementptr i8, ptr %a0, i64 24
  %m2 = fmul double %v2, 2.0
  store double %m2, ptr %a3)";
  std::string body;
  if (loads_first) {
    body = loads + stores;
  } else {  // load k, store k, in turn
    body = R"(
  %a0 = getelementptr i8, ptr %x, i64 %j
  %v0 = load double, ptr %a0
  %m0 = fmul double %v0, 2.0
  %a1 = getelementptr i8, ptr %a0, i64 8
  store double %m0, ptr %a1
  %v1 = load double, ptr %a1
  %m1 = fmul double %v1, 2.0
  %a2 = getelementptr i8, ptr %a0, i64 16
  store double %m1, ptr %a2
  %v2 = load double, ptr %a2
  %m2 = fmul double %v2, 2.0
  %a3 = getelementptr i8, ptr %a0, i64 24
  store double %m2, ptr %a3)";
  }
  return std::string("define void @f(ptr %x) {\nentry:\n  br label %loop\nloop:\n"
                     "  %j = phi i64 [ 0, %entry ], [ %next, %loop ]") +
         body + "\n  %next = add nuw nsw i64 %j, 24\n  %done = icmp " + predicate +
         " i64 %next, " + std::to_string(bound) + "\n  br i1 %done, label %exit, label %loop\n" +
         "exit:\n  ret void\n}\n";
}

struct Rerolled {
  bool changed = false;
  std::string ir;
};

Rerolled reroll(const std::string& text) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic diag;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(text, diag, context);
  REQUIRE_MESSAGE(module != nullptr, diag.getMessage().str());
  llvm::Function& fn = *module->getFunction("f");
  llvm::TargetLibraryInfoImpl library{llvm::Triple(module->getTargetTriple())};
  llvm::TargetLibraryInfo tli(library);
  llvm::AssumptionCache assumptions(fn);
  llvm::DominatorTree dominators(fn);
  llvm::LoopInfo loops(dominators);
  llvm::ScalarEvolution scev(fn, tli, assumptions, dominators, loops);
  REQUIRE(loops.getTopLevelLoops().size() == 1);
  Rerolled out;
  out.changed = kiln::aotc::reroll_loop(*loops.getTopLevelLoops()[0], scev);
  llvm::raw_string_ostream os(out.ir);
  fn.print(os);
  return out;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a recurrence unrolled in order is rerolled: one chain, step 8, three times the trips") {
  Rerolled r = reroll(recurrence(false, "eq", 1536));
  REQUIRE(r.changed);
  CHECK(count(r.ir, "store double") == 1);
  CHECK(count(r.ir, "load double") == 1);
  CHECK(r.ir.find("add nuw nsw i64 %j, 8") != std::string::npos);
}

TEST_CASE("loads before the stores of earlier chains: not rerolled (they read old values)") {
  Rerolled r = reroll(recurrence(true, "eq", 1536));
  CHECK_FALSE(r.changed);
  CHECK(count(r.ir, "store double") == 3);
  CHECK(r.ir.find("add nuw nsw i64 %j, 24") != std::string::npos);
}

TEST_CASE("an exit a finer step would reach sooner: not rerolled, and left as it was") {
  // j + 24 >= 1530 first at 1536 (64 trips); j + 8 >= 1530 at 1536 as well,
  // but >= 1520 first at 1520 (190 elements, not 192).
  Rerolled same = reroll(recurrence(false, "uge", 1530));
  CHECK(same.changed);
  Rerolled fewer = reroll(recurrence(false, "uge", 1520));
  CHECK_FALSE(fewer.changed);
  CHECK(count(fewer.ir, "store double") == 3);
  CHECK(fewer.ir.find("add nuw nsw i64 %j, 24") != std::string::npos);
}
