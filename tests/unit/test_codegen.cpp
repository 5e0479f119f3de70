// Code generator: IR for small modules verifies and has the properties the
// ABI and the backend rely on (symbols, calling convention, trap sites).
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>

#include "abi/trap_codes.h"
#include "aotc/backend/frame_pointer_elision.h"
#include "aotc/codegen/codegen.h"

using namespace kiln;
using namespace kiln::aotc;

namespace {

struct Compiled {
  std::unique_ptr<llvm::LLVMContext> ctx = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  std::string error;  // empty on success

  llvm::Function* fn(uint32_t defined_index) const {
    return module->getFunction(function_symbol(defined_index));
  }
};

Compiled compile(const std::string& wat, CodegenOptions options = {}) {
  Compiled out;
  std::span<const uint8_t> text(reinterpret_cast<const uint8_t*>(wat.data()), wat.size());
  auto bytes = wat_to_wasm(text, "test.wat");
  if (!bytes) {
    out.error = "wat: " + error_message(bytes.takeError());
    return out;
  }
  auto module = decode_module(std::move(*bytes));
  if (!module) {
    out.error = "decode: " + error_message(module.takeError());
    return out;
  }
  if (Error err = validate_module(*module)) {
    out.error = "validate: " + error_message(std::move(err));
    return out;
  }
  out.module = std::make_unique<llvm::Module>("test", *out.ctx);
  out.module->setTargetTriple("x86_64-pc-linux-gnu");
  out.module->setDataLayout(
      "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128");
  if (Error err = generate_module(*module, options, *out.module)) {
    out.error = "codegen: " + error_message(std::move(err));
    return out;
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(*out.module, &os)) out.error = "verify: " + message;
  return out;
}

// TrapCodes of the ubsantrap calls in a function.
std::multiset<abi::TrapCode> trap_codes(const llvm::Function& fn) {
  std::multiset<abi::TrapCode> codes;
  for (const llvm::BasicBlock& bb : fn)
    for (const llvm::Instruction& inst : bb)
      if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst);
          call && call->getIntrinsicID() == llvm::Intrinsic::ubsantrap) {
        auto* code = llvm::cast<llvm::ConstantInt>(call->getArgOperand(0));
        codes.insert(static_cast<abi::TrapCode>(code->getZExtValue()));
      }
  return codes;
}

bool has_trap(const llvm::Function& fn, abi::TrapCode code) { return trap_codes(fn).count(code) > 0; }

template <typename Pred>
int count_instructions(const llvm::Function& fn, Pred pred) {
  int n = 0;
  for (const llvm::BasicBlock& bb : fn)
    for (const llvm::Instruction& inst : bb)
      if (pred(inst)) ++n;
  return n;
}

int count_loads(const llvm::Function& fn, bool is_volatile) {
  return count_instructions(fn, [&](const llvm::Instruction& i) {
    auto* load = llvm::dyn_cast<llvm::LoadInst>(&i);
    return load && load->isVolatile() == is_volatile;
  });
}

// Runs the standard -O2 pipeline in place.
void optimize(llvm::Module& module) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, mam);
}

}  // namespace

TEST_CASE("codegen: symbols, visibility and the wasm calling convention") {
  Compiled c = compile(R"((module
    (type $none (func))
    (type $pair (func (param i32 f64) (result i64 f32)))
    (import "env" "f" (func $imp (type $none)))
    (func (type $none))
    (func (type $pair) (i64.const 1) (f32.const 2))
    (func (param externref funcref) (result funcref) (local.get 1))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  llvm::LLVMContext& ctx = *c.ctx;
  auto* ptr = llvm::PointerType::get(ctx, 0);

  // Defined functions only: the import has no symbol.
  REQUIRE(c.fn(0));
  REQUIRE(c.fn(1));
  REQUIRE(c.fn(2));
  CHECK(c.fn(3) == nullptr);
  for (uint32_t i = 0; i < 3; ++i) {
    llvm::Function* f = c.fn(i);
    CHECK(f->hasExternalLinkage());
    CHECK(f->hasHiddenVisibility());
    // swiftcc with the callee vmctx as swiftself: it stays in r13 across calls.
    CHECK(f->getCallingConv() == llvm::CallingConv::Swift);
    CHECK(f->hasParamAttribute(0, llvm::Attribute::SwiftSelf));
    CHECK_FALSE(f->hasParamAttribute(1, llvm::Attribute::SwiftSelf));
    CHECK(f->getFnAttribute("frame-pointer").getValueAsString() == "all");
    CHECK(f->getArg(0)->getType() == ptr);
    CHECK(f->getArg(1)->getType() == ptr);
  }
  CHECK(c.fn(0)->getReturnType()->isVoidTy());
  CHECK(c.fn(0)->arg_size() == 2);

  llvm::FunctionType* pair = c.fn(1)->getFunctionType();
  REQUIRE(pair->getNumParams() == 4);
  CHECK(pair->getParamType(2)->isIntegerTy(32));
  CHECK(pair->getParamType(3)->isDoubleTy());
  auto* ret = llvm::dyn_cast<llvm::StructType>(pair->getReturnType());
  REQUIRE(ret);
  CHECK(ret->isLiteral());
  REQUIRE(ret->getNumElements() == 2);
  CHECK(ret->getElementType(0)->isIntegerTy(64));
  CHECK(ret->getElementType(1)->isFloatTy());

  llvm::FunctionType* refs = c.fn(2)->getFunctionType();
  CHECK(refs->getParamType(2) == ptr);
  CHECK(refs->getParamType(3) == ptr);
  CHECK(refs->getReturnType() == ptr);

  // Per type index: an entry trampoline and a host adapter.
  for (uint32_t t = 0; t < 2; ++t) {
    llvm::Function* entry = c.module->getFunction(entry_trampoline_symbol(t));
    llvm::Function* host = c.module->getFunction(host_adapter_symbol(t));
    REQUIRE(entry);
    REQUIRE(host);
    CHECK(entry->hasHiddenVisibility());
    CHECK(host->hasHiddenVisibility());
    CHECK(entry->arg_size() == 4);
    CHECK(entry->getReturnType()->isVoidTy());
  }
  CHECK(c.module->getFunction(host_adapter_symbol(1))->getFunctionType() == pair);
}

TEST_CASE("codegen: symbol names") {
  CHECK(function_symbol(7) == "kiln_f7");
  CHECK(entry_trampoline_symbol(0) == "kiln_entry_t0");
  CHECK(host_adapter_symbol(12) == "kiln_host_t12");
}

TEST_CASE("codegen: every function that calls checks the stack limit; leaves do not") {
  Compiled c = compile(R"((module
    (func)
    (func (result i32) (i32.const 1))
    (func (result i32) (call 1))
    (func (call 0) (call 3))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  CHECK_FALSE(has_trap(*c.fn(0), abi::TrapCode::CallStackExhausted));
  CHECK_FALSE(has_trap(*c.fn(1), abi::TrapCode::CallStackExhausted));
  CHECK(has_trap(*c.fn(2), abi::TrapCode::CallStackExhausted));
  CHECK(has_trap(*c.fn(3), abi::TrapCode::CallStackExhausted));
  CHECK_FALSE(has_trap(*c.fn(2), abi::TrapCode::Interrupted));
}

TEST_CASE("codegen: stack checks sit on the paths that call, outside loops") {
  Compiled c = compile(R"((module
    (func $leaf)
    (func (param i32)
      (if (local.get 0) (then (call $leaf)) (else (call $leaf (call $leaf)))))
    (func (param i32)
      (loop $l (call $leaf) (br_if $l (local.get 0))))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  auto check_blocks = [](llvm::Function& fn) {
    std::vector<llvm::BasicBlock*> blocks;
    for (llvm::BasicBlock& block : fn)
      for (llvm::Instruction& in : block)
        if (in.getName().starts_with("stack_limit")) blocks.push_back(&block);
    return blocks;
  };
  // One check per arm; none on the entry block, which both arms share.
  std::vector<llvm::BasicBlock*> arms = check_blocks(*c.fn(1));
  CHECK(arms.size() == 2);
  for (llvm::BasicBlock* block : arms) CHECK(block != &c.fn(1)->getEntryBlock());
  // The loop's call is checked once, before the loop.
  std::vector<llvm::BasicBlock*> loop = check_blocks(*c.fn(2));
  REQUIRE(loop.size() == 1);
  llvm::DominatorTree dt(*c.fn(2));
  llvm::LoopInfo loops(dt);
  CHECK(loops.getLoopFor(loop[0]) == nullptr);
  CHECK(!loops.empty());
}

TEST_CASE("codegen: interruptible code polls at loop headers and on entry checks of functions that call") {
  const char* wat = R"((module
    (func (loop $l (br $l)))
    (func)
    (func (call 1))))";
  CodegenOptions options;
  options.interruptible = true;
  Compiled c = compile(wat, options);
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  // A loop polls by reading the poll page (inline asm, no branch); a function
  // that calls polls the flag (a volatile load) on its entry check's slow path.
  auto polls = [](const llvm::Function& fn) {
    return count_instructions(fn, [](const llvm::Instruction& i) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
      return call && call->isInlineAsm() && i.getMetadata(kLoopPollMetadata);
    });
  };
  CHECK(polls(*c.fn(0)) == 1);
  CHECK(!has_trap(*c.fn(0), abi::TrapCode::Interrupted));
  CHECK(count_loads(*c.fn(0), true) == 0);
  CHECK(polls(*c.fn(1)) == 0);
  CHECK(count_loads(*c.fn(1), true) == 0);
  CHECK(polls(*c.fn(2)) == 0);
  CHECK(count_loads(*c.fn(2), true) == 1);
  CHECK(has_trap(*c.fn(2), abi::TrapCode::Interrupted));
  CHECK(has_trap(*c.fn(2), abi::TrapCode::CallStackExhausted));
}

TEST_CASE("codegen: call_indirect tests bounds and type from the element; null only on a mismatch") {
  Compiled c = compile(R"((module
    (type $t (func (param i32) (result i32)))
    (table 4 funcref)
    (func (param i32) (result i32)
      (call_indirect (type $t) (i32.const 5) (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  optimize(*c.module);
  auto codes = trap_codes(*c.fn(0));
  CHECK(codes.count(abi::TrapCode::UndefinedElement) == 1);
  CHECK(codes.count(abi::TrapCode::UninitializedElement) == 1);
  CHECK(codes.count(abi::TrapCode::IndirectCallTypeMismatch) == 1);
  // On the way to the call: the element's type_id, code and vmctx, each
  // loaded from the element itself (never through its reference), and
  // nothing volatile. The reference is read only where the type differs.
  const llvm::Function& fn = *c.fn(0);
  const llvm::CallInst* call = nullptr;
  for (const llvm::BasicBlock& bb : fn)
    for (const llvm::Instruction& i : bb)
      if (auto* ci = llvm::dyn_cast<llvm::CallInst>(&i); ci && ci->isIndirectCall()) call = ci;
  REQUIRE(call != nullptr);
  auto* code = llvm::dyn_cast<llvm::LoadInst>(call->getCalledOperand());
  auto* ctx = llvm::dyn_cast<llvm::LoadInst>(call->getArgOperand(0));
  REQUIRE(code != nullptr);
  REQUIRE(ctx != nullptr);
  auto element_of = [](const llvm::LoadInst* load) {
    return llvm::getUnderlyingObject(load->getPointerOperand());
  };
  // Both addresses come from the table's elements array, not from a loaded ref.
  CHECK(element_of(code) == element_of(ctx));
  CHECK_FALSE(llvm::isa<llvm::LoadInst>(code->getPointerOperand()));
  CHECK(count_instructions(fn, [](const llvm::Instruction& i) {
          auto* load = llvm::dyn_cast<llvm::LoadInst>(&i);
          return load && load->isVolatile();
        }) == 0);
  CHECK(count_instructions(fn, [&](const llvm::Instruction& i) {
          auto* load = llvm::dyn_cast<llvm::LoadInst>(&i);
          return load && load->getName().starts_with("ref") && load->getParent() == call->getParent();
        }) == 0);
}

TEST_CASE("codegen: return_call* are musttail calls right before ret, also after -O2") {
  Compiled c = compile(R"((module
    (import "env" "h" (func $h (param i32) (result i32)))
    (type $t (func (param i32) (result i32)))
    (table (export "t") 1 funcref)
    (func $a (param i32) (result i32) (return_call $b (i64.extend_i32_u (local.get 0)) (f64.const 1)))
    (func $b (param i64 f64) (result i32) (return_call_indirect (type $t) (i32.wrap_i64 (local.get 0)) (i32.const 0)))
    (func $c (param i32) (result i32) (return_call $h (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  auto tail_calls = [](const llvm::Function& f) {
    return count_instructions(f, [](const llvm::Instruction& i) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
      return call && call->isMustTailCall() && llvm::isa<llvm::ReturnInst>(call->getNextNode()) &&
             call->getCallingConv() == llvm::CallingConv::SwiftTail;
    });
  };
  // Through a table, the callee's vmctx is the loaded one put through
  // own_vmctx_asm with this function's own (a predicted compare that passes
  // this register when they are equal); an import's is passed as loaded.
  auto own_vmctx_tail_calls = [](const llvm::Function& f) {
    return count_instructions(f, [&](const llvm::Instruction& i) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
      if (!call || !call->isMustTailCall()) return false;
      auto* pick = llvm::dyn_cast<llvm::CallInst>(call->getArgOperand(0));
      return pick && pick->isInlineAsm() && pick->getArgOperand(1) == f.getArg(0);
    });
  };
  for (uint32_t i = 0; i < 3; ++i) CHECK(tail_calls(*c.fn(i)) == 1);
  CHECK(own_vmctx_tail_calls(*c.fn(1)) == 1);
  CHECK(own_vmctx_tail_calls(*c.fn(2)) == 0);  // an import: another instance or the host
  // A tail call takes this frame: no stack check precedes it.
  CHECK_FALSE(has_trap(*c.fn(0), abi::TrapCode::CallStackExhausted));
  CHECK(has_trap(*c.fn(1), abi::TrapCode::IndirectCallTypeMismatch));
  optimize(*c.module);
  CHECK(tail_calls(*c.fn(1)) == 1);
  CHECK(own_vmctx_tail_calls(*c.fn(1)) == 1);
  CHECK(tail_calls(*c.fn(2)) == 1);

  // Interruptible: a cycle of tail calls never returns, so each reads its
  // poll page right before the jump (one inline-asm read, no branch), still
  // with no stack check.
  CodegenOptions interruptible;
  interruptible.interruptible = true;
  Compiled polled = compile(R"((module
    (func $a (param i32) (result i32) (return_call $b (local.get 0)))
    (func $b (param i32) (result i32) (return_call $a (local.get 0)))))", interruptible);
  REQUIRE_MESSAGE(polled.error.empty(), polled.error);
  for (uint32_t i = 0; i < 2; ++i) {
    const llvm::Function& fn = *polled.fn(i);
    CHECK_FALSE(has_trap(fn, abi::TrapCode::CallStackExhausted));
    CHECK(count_instructions(fn, [](const llvm::Instruction& in) {
            auto* poll = llvm::dyn_cast<llvm::CallInst>(&in);
            auto* next = poll ? llvm::dyn_cast<llvm::CallInst>(poll->getNextNode()) : nullptr;
            return poll && poll->isInlineAsm() && next && next->isMustTailCall();
          }) == 1);
  }

  // Five integer results come back through memory: a plain call and a return.
  Compiled many = compile(R"((module
    (func $five (result i32 i32 i32 i32 i32) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5))
    (func (result i32 i32 i32 i32 i32) (return_call $five))))");
  REQUIRE_MESSAGE(many.error.empty(), many.error);
  CHECK(tail_calls(*many.fn(1)) == 0);
  CHECK(count_instructions(*many.fn(1), [&](const llvm::Instruction& i) {
          auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
          return call && call->getCalledFunction() == many.fn(0) &&
                 llvm::isa<llvm::ReturnInst>(call->getNextNode());
        }) == 1);
}

TEST_CASE("codegen: only functions using return_call* have swifttailcc bodies, behind swiftcc entries") {
  auto calls_in = [](const llvm::Function& f, llvm::CallingConv::ID cc) {
    return count_instructions(f, [&](const llvm::Instruction& i) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
      return call && !llvm::isa<llvm::IntrinsicInst>(call) && call->getCallingConv() == cc;
    });
  };
  const char* kFib = R"((func $fib (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2))))))))";
  Compiled plain = compile(std::string("(module ") + kFib + ")");
  REQUIRE_MESSAGE(plain.error.empty(), plain.error);
  CHECK(plain.fn(0)->getCallingConv() == llvm::CallingConv::Swift);
  CHECK(calls_in(*plain.fn(0), llvm::CallingConv::Swift) == 2);
  CHECK(plain.module->getFunction(entry_symbol(0)) == nullptr);

  // $t and $u tail-call; $fib does not, so it keeps the wasm convention
  // (swifttailcc would cost its own recursive calls) and no entry.
  Compiled tail = compile(std::string("(module ") + kFib +
                          " (func $t (param i32) (result i32) (return_call $fib (local.get 0)))"
                          " (func $u (param i32) (result i32) (return_call $t (local.get 0))))");
  REQUIRE_MESSAGE(tail.error.empty(), tail.error);
  CHECK(tail.fn(0)->getCallingConv() == llvm::CallingConv::Swift);
  CHECK(tail.module->getFunction(entry_symbol(0)) == nullptr);
  CHECK(calls_in(*tail.fn(0), llvm::CallingConv::Swift) == 2);
  for (uint32_t i = 1; i < 3; ++i) {
    INFO("function " << i);
    CHECK(tail.fn(i)->getCallingConv() == llvm::CallingConv::SwiftTail);
    llvm::Function* entry = tail.module->getFunction(entry_symbol(i));
    REQUIRE(entry != nullptr);
    CHECK(entry->getCallingConv() == llvm::CallingConv::Swift);
    CHECK(entry->hasParamAttribute(0, llvm::Attribute::SwiftSelf));
    // The entry calls its body, never inlined (the body's trap sites stay in kiln_f<N>).
    CHECK(count_instructions(*entry, [&](const llvm::Instruction& in) {
            auto* call = llvm::dyn_cast<llvm::CallInst>(&in);
            return call && call->getCalledFunction() == tail.fn(i) &&
                   call->getCallingConv() == llvm::CallingConv::SwiftTail && call->isNoInline();
          }) == 1);
  }
  // A tail call of a function without return_call* is a call and a return
  // (that function cannot tail-call on); of one with, a musttail call.
  auto call_then_ret = [](const llvm::Function& f, const llvm::Function* callee, bool musttail) {
    return count_instructions(f, [&](const llvm::Instruction& in) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&in);
      return call && call->getCalledFunction() == callee && call->isMustTailCall() == musttail &&
             call->getCallingConv() == callee->getCallingConv() &&
             llvm::isa<llvm::ReturnInst>(call->getNextNode());
    });
  };
  CHECK(call_then_ret(*tail.fn(1), tail.fn(0), false) == 1);
  CHECK(call_then_ret(*tail.fn(2), tail.fn(1), true) == 1);
  optimize(*tail.module);
  CHECK(tail.module->getFunction(entry_symbol(1)) != nullptr);
  CHECK(trap_codes(*tail.module->getFunction(entry_symbol(1))).empty());
}

TEST_CASE("codegen: calls to defined functions are direct, imports go through funcs") {
  Compiled c = compile(R"((module
    (import "env" "g" (func $g (param i32)))
    (func $f (param i32))
    (func (call $f (i32.const 1)) (call $g (i32.const 2)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  int direct = 0, indirect = 0;
  for (llvm::BasicBlock& bb : *c.fn(1))
    for (llvm::Instruction& inst : bb) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&inst);
      if (!call || llvm::isa<llvm::IntrinsicInst>(call)) continue;
      if (call->getCalledFunction() == c.fn(0)) ++direct;
      if (call->isIndirectCall()) ++indirect;
    }
  CHECK(direct == 1);
  CHECK(indirect == 1);
}

TEST_CASE("codegen: integer division traps") {
  Compiled c = compile(R"((module
    (func (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
    (func (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  CHECK(has_trap(*c.fn(0), abi::TrapCode::IntegerDivideByZero));
  CHECK(has_trap(*c.fn(0), abi::TrapCode::IntegerOverflow));
  // rem_s by -1 is 0, never an overflow.
  CHECK(has_trap(*c.fn(1), abi::TrapCode::IntegerDivideByZero));
  CHECK_FALSE(has_trap(*c.fn(1), abi::TrapCode::IntegerOverflow));
  CHECK(has_trap(*c.fn(2), abi::TrapCode::IntegerDivideByZero));
  CHECK_FALSE(has_trap(*c.fn(2), abi::TrapCode::IntegerOverflow));
}

TEST_CASE("codegen: trapping truncation checks NaN and range; saturating does not trap") {
  Compiled c = compile(R"((module
    (func (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
    (func (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  CHECK(has_trap(*c.fn(0), abi::TrapCode::InvalidConversionToInteger));
  CHECK(has_trap(*c.fn(0), abi::TrapCode::IntegerOverflow));
  CHECK_FALSE(has_trap(*c.fn(1), abi::TrapCode::InvalidConversionToInteger));
  CHECK_FALSE(has_trap(*c.fn(1), abi::TrapCode::IntegerOverflow));
}

TEST_CASE("codegen: truncation bounds are exact") {
  // i32.trunc_f64_s is valid on (-2147483649, 2147483648): check the bound
  // constants in the comparisons.
  Compiled c = compile(R"((module
    (func (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  auto bounds = [](const llvm::Function& fn) {
    std::set<double> out;
    for (const llvm::BasicBlock& bb : fn)
      for (const llvm::Instruction& inst : bb)
        if (auto* cmp = llvm::dyn_cast<llvm::FCmpInst>(&inst))
          if (auto* k = llvm::dyn_cast<llvm::ConstantFP>(cmp->getOperand(1)))
            out.insert(k->getValueAPF().convertToDouble());
    return out;
  };
  CHECK(bounds(*c.fn(0)) == std::set<double>{-2147483649.0, 2147483648.0});
  CHECK(bounds(*c.fn(1)) == std::set<double>{-1.0, 4294967296.0});
}

TEST_CASE("codegen: guard-region accesses have no bounds check; explicit mode does") {
  const char* wat = R"((module (memory 1)
    (func (param i32) (result i32) (i32.load offset=4 (local.get 0)))
    (func (param i32) (i64.store8 (local.get 0) (i64.const 7)))))";
  Compiled guard = compile(wat);
  REQUIRE_MESSAGE(guard.error.empty(), guard.error);
  CHECK_FALSE(has_trap(*guard.fn(0), abi::TrapCode::OutOfBoundsMemoryAccess));
  CHECK_FALSE(has_trap(*guard.fn(1), abi::TrapCode::OutOfBoundsMemoryAccess));

  CodegenOptions options;
  options.bounds_check = abi::BoundsCheck::Explicit;
  Compiled checked = compile(wat, options);
  REQUIRE_MESSAGE(checked.error.empty(), checked.error);
  CHECK(has_trap(*checked.fn(0), abi::TrapCode::OutOfBoundsMemoryAccess));
  CHECK(has_trap(*checked.fn(1), abi::TrapCode::OutOfBoundsMemoryAccess));
}

TEST_CASE("codegen: guard-region loads are volatile so no trap can vanish; explicit ones are plain") {
  const char* wat = R"((module (memory 1)
    (func (param i32) (drop (i32.load8_s (local.get 0))))
    (func (param i32) (result i32) (i32.load (local.get 0)))
    (func (param i32) (i32.load (local.get 0)) (br 0))
    (func (param i32) (result i32) (local i32)
      (local.set 1 (i32.load (local.get 0))) (i32.const 7))))";
  Compiled c = compile(wat);
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  // Dropped, used, discarded by a branch, stored in a dead local: all kept.
  for (unsigned f = 0; f < 4; ++f) CHECK(count_loads(*c.fn(f), true) == 1);
  CodegenOptions explicit_checks;
  explicit_checks.bounds_check = abi::BoundsCheck::Explicit;
  Compiled e = compile(wat, explicit_checks);
  REQUIRE_MESSAGE(e.error.empty(), e.error);
  // The explicit compare traps on its own, so used loads stay plain (dropped
  // ones are still marked, which costs nothing).
  CHECK(count_loads(*e.fn(1), true) == 0);
  CHECK(count_loads(*e.fn(3), true) == 0);

  optimize(*c.module);
  CHECK(count_loads(*c.fn(0), true) == 1);
}

TEST_CASE("codegen: multi-value blocks, loops with params, if without else") {
  Compiled c = compile(R"((module
    (type $ii (func (param i32) (result i32)))
    (type $i_ii (func (param i32) (result i32 i32)))
    (func (param i32) (result i32 i32)
      (local.get 0)
      (block (type $i_ii) (i32.const 2) (br_if 0 (local.get 0)) (drop) (i32.const 3)))
    (func (param i32) (result i32)
      (local.get 0)
      (loop (type $ii)
        (i32.sub (i32.const 1))
        (local.tee 0)
        (br_if 0 (local.get 0))))
    (func (param i32) (result i32)
      (local.get 0)
      (if (type $ii) (local.get 0) (then (i32.add (i32.const 1)))))
    (func (param i32) (result i32)
      (block (block (block
        (br_table 0 1 2 1 (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 11)))
      (i32.const 12))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  CHECK(c.fn(0)->getReturnType()->isStructTy());
}

TEST_CASE("codegen: dead code after br/return/unreachable is skipped, nesting kept") {
  Compiled c = compile(R"((module
    (func (result i32)
      (block (result i32)
        (br 0 (i32.const 1))
        (block (loop (if (i32.const 0) (then (unreachable)) (else (nop)))))
        (i32.add)))
    (func (result i32)
      (if (result i32) (i32.const 1)
        (then (return (i32.const 2)) (i32.const 9))
        (else (i32.const 3))))
    (func (unreachable) (drop (i32.load (i32.const 0))) (block (br 0)))
    (memory 1)))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  CHECK(has_trap(*c.fn(2), abi::TrapCode::Unreachable));
  // Nothing after the unreachable was emitted.
  CHECK(count_loads(*c.fn(2), true) == 0);
}

TEST_CASE("codegen: float constants keep their exact bits") {
  Compiled c = compile(R"((module
    (func (result f32) (f32.const nan:0x200001))
    (func (result f64) (f64.const -nan:0x4000000000001))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  auto returned_constant = [](const llvm::Function& fn) -> uint64_t {
    for (const llvm::BasicBlock& bb : fn)
      if (auto* ret = llvm::dyn_cast<llvm::ReturnInst>(bb.getTerminator()))
        if (auto* phi = llvm::dyn_cast<llvm::PHINode>(ret->getReturnValue()))
          if (auto* k = llvm::dyn_cast<llvm::ConstantFP>(phi->getIncomingValue(0)))
            return k->getValueAPF().bitcastToAPInt().getZExtValue();
    return 0;
  };
  CHECK(returned_constant(*c.fn(0)) == 0x7fa00001u);
  CHECK(returned_constant(*c.fn(1)) == 0xfff4000000000001ull);
}

TEST_CASE("codegen: references, globals, tables and bulk operations verify") {
  Compiled c = compile(R"((module
    (type $v (func))
    (import "env" "g" (global $ig i64))
    (global $m (mut f64) (f64.const 1.5))
    (global $r (mut externref) (ref.null extern))
    (table $t 2 funcref)
    (table $e 1 externref)
    (memory 1)
    (data $d "abc")
    (elem $s func 0)
    (func (export "f") (param externref) (result i32)
      (global.set $m (f64.add (global.get $m) (f64.convert_i64_s (global.get $ig))))
      (global.set $r (local.get 0))
      (table.set $t (i32.const 0) (ref.func 0))
      (table.set $e (i32.const 0) (local.get 0))
      (drop (table.grow $t (ref.null func) (i32.const 3)))
      (table.fill $t (i32.const 0) (ref.null func) (i32.const 1))
      (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))
      (table.init $t $s (i32.const 0) (i32.const 0) (i32.const 1))
      (elem.drop $s)
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3))
      (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 2))
      (data.drop $d)
      (drop (memory.grow (i32.const 1)))
      (drop (select (result funcref) (table.get $t (i32.const 1)) (ref.null func) (i32.const 1)))
      (i32.add (table.size $t)
        (i32.add (memory.size) (ref.is_null (table.get $e (i32.const 0))))))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  CHECK(has_trap(*c.fn(0), abi::TrapCode::OutOfBoundsTableAccess));
}

TEST_CASE("codegen: runaway recursion still recurses after -O2") {
  Compiled c = compile(R"((module (func $r (call $r))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  optimize(*c.module);
  llvm::Function* f = c.fn(0);
  int self_calls = count_instructions(*f, [&](const llvm::Instruction& i) {
    auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
    return call && call->getCalledFunction() == f;
  });
  CHECK(self_calls == 1);
  CHECK(has_trap(*f, abi::TrapCode::CallStackExhausted));
}

TEST_CASE("codegen: only leaves that cannot trap may drop the frame pointer") {
  Compiled c = compile(R"((module
    (memory 1)
    (func (param i32) (result i32) (i32.rotl (i32.mul (local.get 0) (i32.const 3)) (i32.const 5)))
    (func (param i32) (result i32) (i32.load (local.get 0)))
    (func (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
    (func (param i32) (result i32) (call 0 (local.get 0)))
    (func (loop $l (br $l)))
    (func (param i32) (result i32) (i32.trunc_sat_f64_s (f64.convert_i32_u (local.get 0))))
    (func (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))))",
                       CodegenOptions{.interruptible = true});
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  optimize(*c.module);
  CHECK(is_trap_free_leaf(*c.fn(0)));   // arithmetic and a rotate intrinsic
  CHECK(!is_trap_free_leaf(*c.fn(1)));  // a memory access can fault
  CHECK(!is_trap_free_leaf(*c.fn(2)));  // division by zero traps
  CHECK(!is_trap_free_leaf(*c.fn(3)));  // a caller: backtraces walk through it
  CHECK(!is_trap_free_leaf(*c.fn(4)));  // the interrupt poll traps
  CHECK(is_trap_free_leaf(*c.fn(5)));   // saturating truncation never traps
  CHECK(!is_trap_free_leaf(*c.fn(6)));  // trapping truncation does

  llvm::FunctionAnalysisManager fam;
  FramePointerElisionPass pass;
  for (uint32_t i : {0u, 1u, 3u}) pass.run(*c.fn(i), fam);
  CHECK(c.fn(0)->getFnAttribute("frame-pointer").getValueAsString() == "none");
  CHECK(c.fn(1)->getFnAttribute("frame-pointer").getValueAsString() == "all");
  CHECK(c.fn(3)->getFnAttribute("frame-pointer").getValueAsString() == "all");
}

TEST_CASE("codegen: v128 is <2 x i64> and SIMD instructions verify") {
  Compiled c = compile(R"((module (memory 1)
    (func (param v128 v128) (result v128)
      (i8x16.swizzle
        (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0) (local.get 1))
        (i32x4.add (local.get 1) (v128.const i32x4 1 2 3 4))))
    (func (param i32) (result i32)
      (drop (v128.load8x8_s (local.get 0)))
      (i32.add (i8x16.bitmask (v128.load (local.get 0)))
               (i32x4.all_true (f32x4.min (v128.load32_splat (local.get 0))
                                          (f32x4.splat (f32.const 1))))))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  llvm::Type* v128 = llvm::FixedVectorType::get(llvm::Type::getInt64Ty(*c.ctx), 2);
  llvm::FunctionType* type = c.fn(0)->getFunctionType();
  CHECK(type->getParamType(2) == v128);
  CHECK(type->getParamType(3) == v128);
  CHECK(type->getReturnType() == v128);
  // Every guard-region load is volatile, SIMD loads included.
  CHECK(count_loads(*c.fn(1), true) == 3);
}

TEST_CASE("codegen: malformed bodies give errors, not crashes") {
  // Decode a valid module, then corrupt its body bytes in place (the spans
  // point into Module::bytes) so only the code generator sees the damage.
  std::string wat = "(module (func (param i32) (result i32) (local.get 0)))";
  std::span<const uint8_t> text(reinterpret_cast<const uint8_t*>(wat.data()), wat.size());
  auto bytes = wat_to_wasm(text, "bad.wat");
  REQUIRE(bytes);
  auto generate = [](Module& module) {
    llvm::LLVMContext ctx;
    llvm::Module out("bad", ctx);
    std::string message = error_message(generate_module(module, {}, out));
    // A failed function is left without a body rather than half-built.
    if (!message.empty()) CHECK(out.getFunction(function_symbol(0))->isDeclaration());
    return message;
  };
  auto fresh = [&]() {
    auto module = decode_module(*bytes);
    REQUIRE(module);
    REQUIRE(module->bodies.size() == 1);
    REQUIRE(module->bodies[0].code.size() == 3);  // local.get 0, end
    return std::move(*module);
  };
  auto patch = [](Module& module, std::initializer_list<uint8_t> code) {
    auto* p = const_cast<uint8_t*>(module.bodies[0].code.data());
    std::copy(code.begin(), code.end(), p);
  };

  Module ok = fresh();
  CHECK(generate(ok).empty());

  Module bad_local = fresh();
  patch(bad_local, {0x20, 0x05, 0x0b});  // local.get 5
  std::string message = generate(bad_local);
  CHECK(message.find("function 0") != std::string::npos);
  CHECK(message.find("local index out of range") != std::string::npos);

  Module underflow = fresh();
  patch(underflow, {0x01, 0x6a, 0x0b});  // nop, i32.add
  CHECK(generate(underflow).find("underflow") != std::string::npos);

  Module no_end = fresh();
  no_end.bodies[0].code = no_end.bodies[0].code.subspan(0, 2);
  CHECK(generate(no_end).find("without end") != std::string::npos);

  Module unknown = fresh();
  patch(unknown, {0x06, 0x0b, 0x0b});  // 0x06: not an opcode
  CHECK_FALSE(generate(unknown).empty());
}

namespace {
// The sealed tables of a module in text form: table index -> elements.
std::map<uint32_t, std::vector<uint32_t>> sealed_tables_of(const std::string& wat) {
  std::span<const uint8_t> text(reinterpret_cast<const uint8_t*>(wat.data()), wat.size());
  auto bytes = wat_to_wasm(text, "sealed.wat");
  if (!bytes) FAIL(error_message(bytes.takeError()));
  auto module = decode_module(std::move(*bytes));
  REQUIRE(module);
  Error err = validate_module(*module);
  REQUIRE_MESSAGE(!err, error_message(std::move(err)));
  std::map<uint32_t, std::vector<uint32_t>> out;
  for (const SealedTable& s : module->sealed_tables) out[s.table] = s.elements;
  return out;
}
}  // namespace

TEST_CASE("sealed tables: only tables no one can change after instantiation") {
  constexpr uint32_t kUnknown = SealedTable::kUnknown;
  // Functions 0 (import) and 1..2; tables: 0 imported, then 1..7 defined.
  auto sealed = sealed_tables_of(R"((module
    (import "env" "f" (func $imp))
    (import "env" "t" (table 2 funcref))
    (global $g (import "env" "g") i32)
    (func $a) (func $b)
    (table $plain 4 funcref)
    (table $exported (export "t") 2 funcref)
    (table $set 2 funcref)
    (table $global_offset 2 funcref)
    (table $externs 2 externref)
    (table $overflowing 1 funcref)
    (table $roomy 3 10 funcref)
    (elem (table $plain) (i32.const 0) func $a $b $imp)
    (elem (table $plain) (i32.const 1) funcref (ref.null func))
    (elem (table $exported) (i32.const 0) func $a)
    (elem (table $set) (i32.const 0) func $a)
    (elem (table $global_offset) (global.get $g) func $a)
    (elem (table $overflowing) (i32.const 0) func $a $b)
    (elem (table $roomy) (i32.const 2) func $b)
    (elem $passive func $b)
    (func $writer (table.set $set (i32.const 0) (ref.func $b)))))");
  // A later segment replaces earlier elements; null is no function; an
  // import is listed (the code generator leaves it to the general path).
  CHECK(sealed[1] == std::vector<uint32_t>{1, kUnknown, 0, kUnknown});
  CHECK(sealed[7] == std::vector<uint32_t>{kUnknown, kUnknown, 2});  // its minimum: nothing grows it
  CHECK(sealed.count(0) == 0);  // imported
  CHECK(sealed.count(2) == 0);  // exported
  CHECK(sealed.count(3) == 0);  // table.set
  CHECK(sealed.count(4) == 0);  // offset from a global
  CHECK(sealed.count(5) == 0);  // externref
  CHECK(sealed.count(6) == 0);  // a segment past its end: instantiation fails
  CHECK(sealed.size() == 2);

  // Every writing instruction unseals its target (and only it).
  for (const char* write : {"(table.set $w (i32.const 0) (ref.null func))",
                            "(drop (table.grow $w (ref.null func) (i32.const 1)))",
                            "(table.fill $w (i32.const 0) (ref.null func) (i32.const 1))",
                            "(table.init $w $seg (i32.const 0) (i32.const 0) (i32.const 1))",
                            "(table.copy $w $r (i32.const 0) (i32.const 0) (i32.const 1))"}) {
    INFO(write);
    auto tables = sealed_tables_of(std::string(R"((module
      (func $f)
      (table $r 2 funcref)
      (table $w 2 funcref)
      (elem $seg func $f)
      (func )") + write + "))");
    CHECK(tables.count(0) == 1);  // read by table.copy only
    CHECK(tables.count(1) == 0);
  }
}

TEST_CASE("codegen: call_indirect through a sealed table checks against constants and calls with this vmctx") {
  Compiled c = compile(R"((module
    (type $t (func (param i32) (result i32)))
    (type $same (func (param i32) (result i32)))
    (table 4 4 funcref)
    (elem (i32.const 0) func $inc $wide $twice)
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $wide (param i64) (result i64) (local.get 0))
    (func $twice (type $same) (i32.mul (local.get 0) (i32.const 2)))
    (func (param i32) (result i32)
      (call_indirect (type $t) (i32.const 5) (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  // The canonical type of each element, doubled (plus one for a callee that
  // may throw; UINT32_MAX: not a function defined here), $same counting as
  // $t, and code as offsets from the array.
  llvm::GlobalVariable* types = c.module->getNamedGlobal("kiln_sealed0_call_types");
  llvm::GlobalVariable* code = c.module->getNamedGlobal("kiln_sealed0_call_code");
  REQUIRE(types != nullptr);
  REQUIRE(code != nullptr);
  CHECK(types->isConstant());
  CHECK(types->hasHiddenVisibility());
  auto* type_values = llvm::cast<llvm::ConstantDataArray>(types->getInitializer());
  CHECK(type_values->getElementAsInteger(0) == 0);
  CHECK(type_values->getElementAsInteger(1) == 4);  // $wide's type is the implicit third
  CHECK(type_values->getElementAsInteger(2) == 0);
  CHECK(type_values->getElementAsInteger(3) == UINT32_MAX);
  CHECK(c.module->getNamedGlobal("kiln_sealed0_tail_code") == nullptr);  // no return_call*
  // The direct call: code from load.relative, the callee vmctx this one.
  const llvm::Function& fn = *c.fn(3);
  const llvm::CallInst* direct = nullptr;
  for (const llvm::BasicBlock& bb : fn)
    for (const llvm::Instruction& i : bb)
      if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i); call && call->isIndirectCall())
        if (auto* target = llvm::dyn_cast<llvm::IntrinsicInst>(call->getCalledOperand());
            target && target->getIntrinsicID() == llvm::Intrinsic::load_relative)
          direct = call;
  REQUIRE(direct != nullptr);
  CHECK(direct->getArgOperand(0) == fn.getArg(0));
  CHECK(llvm::isa<llvm::PoisonValue>(direct->getArgOperand(1)));  // own functions never read it
  CHECK(direct->getCallingConv() == llvm::CallingConv::Swift);
  // The general path stays for what the constants do not cover, with its traps.
  auto codes = trap_codes(fn);
  CHECK(codes.count(abi::TrapCode::UndefinedElement) == 1);
  CHECK(codes.count(abi::TrapCode::UninitializedElement) == 1);
  CHECK(codes.count(abi::TrapCode::IndirectCallTypeMismatch) == 1);
}

TEST_CASE("codegen: a direct call through a sealed table tests for an exception only if a candidate may throw") {
  // $i2i calls may throw ($loud, in the other table, calls an import, and a
  // host function may throw), but none of $quiet_table's functions of that
  // type may: only the general path tests. In $loud_table, $loud may.
  Compiled c = compile(R"((module
    (import "env" "h" (func $h (param i32) (result i32)))
    (type $i2i (func (param i32) (result i32)))
    (table $quiet_table 2 2 funcref)
    (table $loud_table 1 1 funcref)
    (table $mixed_table 3 3 funcref)
    (elem (table $quiet_table) (i32.const 0) func $pure)
    (elem (table $loud_table) (i32.const 0) func $loud)
    (elem (table $mixed_table) (i32.const 0) func $pure $loud $pure)
    (func $pure (param i32) (result i32) (local.get 0))
    (func $loud (param i32) (result i32) (call $h (local.get 0)))
    (func (param i32) (result i32) (call_indirect $quiet_table (type $i2i) (local.get 0) (local.get 0)))
    (func (param i32) (result i32) (call_indirect $loud_table (type $i2i) (local.get 0) (local.get 0)))
    (func (param i32) (result i32) (call_indirect $mixed_table (type $i2i) (local.get 0) (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  auto pending_tests_after_direct_calls = [](const llvm::Function& fn) {
    int n = 0;
    for (const llvm::BasicBlock& bb : fn) {
      bool direct = false;
      for (const llvm::Instruction& i : bb) {
        if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i); call && call->isIndirectCall())
          if (auto* t = llvm::dyn_cast<llvm::IntrinsicInst>(call->getCalledOperand()))
            direct = t->getIntrinsicID() == llvm::Intrinsic::load_relative;
        if (direct && i.getName().starts_with("pending")) ++n;
      }
    }
    return n;
  };
  auto pending_tests = [](const llvm::Function& fn) {
    return count_instructions(fn, [](const llvm::Instruction& i) {
      return llvm::isa<llvm::LoadInst>(i) && i.getName().starts_with("pending");
    });
  };
  CHECK(pending_tests_after_direct_calls(*c.fn(2)) == 0);
  CHECK(pending_tests(*c.fn(2)) == 1);  // the general path's
  CHECK(pending_tests_after_direct_calls(*c.fn(3)) == 1);
  CHECK(pending_tests(*c.fn(3)) == 2);
  // A table holding both: two direct calls, of which only $loud's tests.
  auto direct_calls = [](const llvm::Function& fn) {
    return count_instructions(fn, [](const llvm::Instruction& i) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
      auto* t = call && call->isIndirectCall() ? llvm::dyn_cast<llvm::IntrinsicInst>(call->getCalledOperand())
                                               : nullptr;
      return t && t->getIntrinsicID() == llvm::Intrinsic::load_relative;
    });
  };
  CHECK(direct_calls(*c.fn(4)) == 2);
  CHECK(pending_tests_after_direct_calls(*c.fn(4)) == 1);
  CHECK(pending_tests(*c.fn(4)) == 2);
}

TEST_CASE("codegen: when a sealed table's functions of the type are one run, one compare checks bounds and type") {
  Compiled c = compile(R"((module
    (type $t (func (param i32) (result i32)))
    (table 5 5 funcref)
    (elem (i32.const 1) func $a $b $a)
    (func $a (param i32) (result i32) (local.get 0))
    (func $b (param i32) (result i32) (i32.const 1))
    (func (param i32) (result i32) (call_indirect (type $t) (local.get 0) (local.get 0)))))");
  REQUIRE_MESSAGE(c.error.empty(), c.error);
  const llvm::Function& fn = *c.fn(2);
  // No load of the types array: `index - 1 <= 2`, unsigned.
  CHECK(count_instructions(fn, [](const llvm::Instruction& i) {
          return llvm::isa<llvm::LoadInst>(i) && i.getName().starts_with("sealed_type");
        }) == 0);
  CHECK(count_instructions(fn, [](const llvm::Instruction& i) {
          auto* cmp = llvm::dyn_cast<llvm::ICmpInst>(&i);
          auto* bound = cmp ? llvm::dyn_cast<llvm::ConstantInt>(cmp->getOperand(1)) : nullptr;
          return cmp && cmp->getPredicate() == llvm::ICmpInst::ICMP_ULE && bound && bound->getZExtValue() == 2;
        }) == 1);
}
