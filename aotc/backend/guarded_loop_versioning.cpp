// Range-checked copies of loops over guard-region memory, for the vectorizers.
#include "aotc/backend/guarded_loop_versioning.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <map>
#include <optional>
#include <vector>

#include "abi/vm_context.h"
#include "aotc/backend/loop_reroll.h"
#include "aotc/backend/poll_elision.h"
#include "aotc/codegen/codegen.h"

namespace kiln::aotc {
namespace {

// For measuring what the versioning costs and gains: aotc -mllvm -kiln-loop-versioning=false.
llvm::cl::opt<bool> enabled("kiln-loop-versioning", llvm::cl::init(true), llvm::cl::Hidden,
                            llvm::cl::desc("range-checked plain copies of guard-region loops"));

// For measuring: aotc -mllvm -kiln-loop-reroll=false.
llvm::cl::opt<bool> rerolling("kiln-loop-reroll", llvm::cl::init(true), llvm::cl::Hidden,
                              llvm::cl::desc("reroll plain copies of unrolled loop bodies"));

// Metadata kind on the branch that picks the plain copy (its true successor).
constexpr const char* kVersionCheckMetadata = "kiln.version_check";

// SCEV expansion budget for the range check (LLVM's own default for such checks).
constexpr unsigned kExpansionBudget = 4;

struct Access {
  llvm::Instruction* inst;  // a guarded load or store
  // Offsets from the memory base of its first and last bytes over the whole
  // loop: [low, high + bytes). The check also proves low <= high, which with
  // an affine recurrence that never wraps onto itself means the offsets did
  // not cross 2^64 on the way.
  const llvm::SCEV* low;
  const llvm::SCEV* high;
  uint64_t bytes;
  // A 32-bit address that wraps modulo 2^32 (zext of an i32 recurrence, plus
  // a loop-invariant offset): the check also proves `wrap_free` <= 2^32 - 1
  // (the last i32 value, computed in 64 bits), and the copy addresses
  // base + {low,+,step} in 64 bits, which LLVM sees as consecutive.
  const llvm::SCEV* wrap_free = nullptr;
  const llvm::SCEV* btc_limit = nullptr;  // a wide trip count, which must fit in 32 bits
  int64_t step = 0;
};

struct Plan {
  llvm::Loop* loop;
  uint32_t memory;
  const llvm::SCEV* taken;  // backedge-taken count
  std::vector<llvm::Instruction*> polls;  // interrupt polls in the loop
  llvm::Value* base;        // the memory's base address
  llvm::Value* base_owner;  // vmctx (memory 0) or the VMMemory (others): where the size is
  std::vector<Access> accesses;
  // Accesses grouped by address up to a constant offset (c[j], c[j+1] and
  // c[j+2] of one unrolled body): one group per family, in first-seen order.
  std::vector<std::vector<size_t>> families;
};

// Most families whose ranges the check compares pairwise.
constexpr size_t kMaxFamilies = 6;

// The address `low` without its constant term, and that term; an outer
// loop's recurrence {C + X,+,s} keeps its constant in its start.
std::pair<const llvm::SCEV*, int64_t> split_constant(const llvm::SCEV* low, llvm::ScalarEvolution& scev) {
  if (auto* c = llvm::dyn_cast<llvm::SCEVConstant>(low))
    return {scev.getZero(low->getType()), c->getAPInt().getSExtValue()};
  if (auto* sum = llvm::dyn_cast<llvm::SCEVAddExpr>(low))
    if (auto* c = llvm::dyn_cast<llvm::SCEVConstant>(sum->getOperand(0)))
      return {scev.getMinusSCEV(low, c), c->getAPInt().getSExtValue()};
  if (auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(low); rec && rec->isAffine()) {
    auto [start, constant] = split_constant(rec->getStart(), scev);
    if (constant != 0)
      return {scev.getAddRecExpr(start, rec->getStepRecurrence(scev), rec->getLoop(),
                                 llvm::SCEV::FlagAnyWrap),
              constant};
  }
  return {low, 0};
}

// Groups `plan`'s accesses into families: the same step and the same
// address but for a constant. LLVM itself tells apart the members of one
// family; between families it cannot (two wasm arrays are two offsets into
// one memory), which the copy's alias scopes say once the check has proven
// that the families' byte ranges do not overlap.
void group_families(Plan& plan, llvm::ScalarEvolution& scev) {
  std::vector<std::pair<const llvm::SCEV*, int64_t>> keys;
  for (size_t i = 0; i < plan.accesses.size(); ++i) {
    const Access& access = plan.accesses[i];
    std::pair<const llvm::SCEV*, int64_t> key{split_constant(access.low, scev).first, access.step};
    size_t family = 0;
    while (family < keys.size() && keys[family] != key) ++family;
    if (family == keys.size()) {
      keys.push_back(key);
      plan.families.emplace_back();
    }
    plan.families[family].push_back(i);
  }
}

std::optional<uint32_t> guarded_memory(const llvm::Instruction& in, unsigned kind) {
  const llvm::MDNode* node = in.getMetadata(kind);
  if (!node || node->getNumOperands() != 1) return std::nullopt;
  auto* index = llvm::mdconst::dyn_extract<llvm::ConstantInt>(node->getOperand(0));
  if (!index) return std::nullopt;
  return uint32_t(index->getZExtValue());
}

// Whether `in` may stay in a loop that gets a plain copy: nothing that calls
// out (which could trap, grow memory or read the poll page), nothing
// volatile or atomic except the guarded accesses themselves.
bool harmless(const llvm::Instruction& in, unsigned kind) {
  if (auto* call = llvm::dyn_cast<llvm::CallBase>(&in)) {
    auto* intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(call);
    return intrinsic && !intrinsic->mayHaveSideEffects() && !intrinsic->mayReadOrWriteMemory();
  }
  if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&in))
    return !load->isAtomic() && (!load->isVolatile() || in.getMetadata(kind));
  if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&in))
    return !store->isAtomic() && (!store->isVolatile() || in.getMetadata(kind));
  return !in.mayHaveSideEffects() && !in.isAtomic();
}

class Planner {
 public:
  Planner(llvm::ScalarEvolution& scev, const llvm::DominatorTree& dominators, unsigned kind,
          unsigned poll_kind)
      : scev_(scev), dominators_(dominators), kind_(kind), poll_kind_(poll_kind) {}

  std::optional<Plan> plan(llvm::Loop* loop) {
    if (!loop->isInnermost() || !loop->isLoopSimplifyForm() || !loop->getExitBlock() ||
        !loop->getExitingBlock())
      return std::nullopt;
    const llvm::SCEV* taken = scev_.getBackedgeTakenCount(loop);
    if (llvm::isa<llvm::SCEVCouldNotCompute>(taken)) return std::nullopt;
    Plan plan{loop, 0, taken, {}, nullptr, nullptr, {}};
    const llvm::SCEV* base = nullptr;
    for (llvm::BasicBlock* block : loop->blocks()) {
      for (llvm::Instruction& in : *block) {
        if (in.getMetadata(poll_kind_)) {
          plan.polls.push_back(&in);
          continue;
        }
        if (!harmless(in, kind_)) return std::nullopt;
        if (!in.getMetadata(kind_)) continue;
        std::optional<uint32_t> memory = guarded_memory(in, kind_);
        if (!memory || (base && *memory != plan.memory)) return std::nullopt;
        plan.memory = *memory;
        std::optional<Access> access = analyze(in, loop, taken, base);
        if (!access) return std::nullopt;
        plan.accesses.push_back(*access);
      }
    }
    if (plan.accesses.empty()) return std::nullopt;
    plan.base = llvm::cast<llvm::SCEVUnknown>(base)->getValue();
    plan.base_owner = size_owner(base, loop);
    if (!plan.base_owner) return std::nullopt;
    group_families(plan, scev_);
    return plan;
  }

 private:
  // The access's highest byte + 1, relative to its memory's base; `base`
  // (the memory base's SCEV) is set by the first access and must match.
  std::optional<Access> analyze(llvm::Instruction& in, llvm::Loop* loop, const llvm::SCEV* taken,
                                const llvm::SCEV*& base) {
    llvm::Value* pointer = llvm::getLoadStorePointerOperand(&in);
    llvm::Type* type = llvm::getLoadStoreType(&in);
    const uint64_t bytes = in.getModule()->getDataLayout().getTypeStoreSize(type).getFixedValue();
    const llvm::SCEV* address = scev_.getSCEV(pointer);
    const llvm::SCEV* this_base = scev_.getPointerBase(address);
    if (!llvm::isa<llvm::SCEVUnknown>(this_base) || !scev_.isLoopInvariant(this_base, loop))
      return std::nullopt;
    if (base && base != this_base) return std::nullopt;
    base = this_base;
    if (scev_.isLoopInvariant(address, loop)) {
      const llvm::SCEV* offset = scev_.getMinusSCEV(address, base);
      return Access{&in, offset, offset, bytes};
    }
    // The pointer's own recurrence (where SCEV keeps its no-self-wrap flag).
    auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(address);
    if (!rec) return wrapping_address(in, loop, taken, scev_.removePointerBase(address), bytes);
    if (rec->getLoop() != loop || !rec->isAffine() || !rec->hasNoSelfWrap())
      return std::nullopt;
    auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(scev_));
    if (!step) return std::nullopt;
    const llvm::SCEV* first = scev_.getMinusSCEV(rec->getStart(), base);
    const llvm::SCEV* last = scev_.getMinusSCEV(rec->evaluateAtIteration(taken, scev_), base);
    if (llvm::isa<llvm::SCEVCouldNotCompute>(first) || llvm::isa<llvm::SCEVCouldNotCompute>(last) ||
        !first->getType()->isIntegerTy(64))
      return std::nullopt;
    if (step->getAPInt().isNegative()) std::swap(first, last);
    Access access{&in, first, last, bytes};
    access.step = step->getAPInt().getSExtValue();
    return access;
  }

  // offset = zext(i32 recurrence) [+ loop-invariant terms], with a positive
  // constant step: wasm's 32-bit address arithmetic.
  std::optional<Access> wrapping_address(llvm::Instruction& in, llvm::Loop* loop,
                                         const llvm::SCEV* taken, const llvm::SCEV* offset,
                                         uint64_t bytes) {
    if (!offset->getType()->isIntegerTy(64)) return std::nullopt;
    const llvm::SCEVZeroExtendExpr* widened = nullptr;
    const llvm::SCEV* invariant = scev_.getZero(offset->getType());
    auto take = [&](const llvm::SCEV* term) {
      if (auto* zext = llvm::dyn_cast<llvm::SCEVZeroExtendExpr>(term); zext && !widened &&
                                                                       !scev_.isLoopInvariant(term, loop)) {
        widened = zext;
        return true;
      }
      if (!scev_.isLoopInvariant(term, loop)) return false;
      invariant = scev_.getAddExpr(invariant, term);
      return true;
    };
    if (auto* sum = llvm::dyn_cast<llvm::SCEVAddExpr>(offset)) {
      for (const llvm::SCEV* term : sum->operands())
        if (!take(term)) return std::nullopt;
    } else if (!take(offset)) {
      return std::nullopt;
    }
    if (!widened) return std::nullopt;
    auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(widened->getOperand());
    if (!rec || rec->getLoop() != loop || !rec->isAffine() || !rec->getType()->isIntegerTy(32))
      return std::nullopt;
    auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(scev_));
    if (!step || step->getAPInt().isNonPositive()) return std::nullopt;
    llvm::Type* i64 = offset->getType();
    const llvm::SCEV* count = scev_.getTruncateOrZeroExtend(taken, i64);
    const llvm::SCEV* first = scev_.getZeroExtendExpr(rec->getStart(), i64);
    const int64_t stride = step->getAPInt().getSExtValue();
    // In 64 bits, without wrapping: step < 2^31 and count < 2^32 (checked when wider).
    const llvm::SCEV* last32 = scev_.getAddExpr(first, scev_.getMulExpr(count, scev_.getConstant(i64, stride)));
    Access access{&in, scev_.getAddExpr(first, invariant), scev_.getAddExpr(last32, invariant), bytes};
    access.wrap_free = last32;
    if (taken->getType()->getIntegerBitWidth() > 32) access.btc_limit = count;
    access.step = stride;
    return access;
  }

  // The memory base is a load from vmctx (memory 0) or from its VMMemory;
  // that pointer, if it is available before the loop.
  llvm::Value* size_owner(const llvm::SCEV* base, llvm::Loop* loop) {
    auto* load = llvm::dyn_cast<llvm::LoadInst>(llvm::cast<llvm::SCEVUnknown>(base)->getValue());
    if (!load) return nullptr;
    llvm::Value* owner = load->getPointerOperand();
    if (auto* defined = llvm::dyn_cast<llvm::Instruction>(owner))
      if (!dominators_.dominates(defined, loop->getLoopPreheader()->getTerminator())) return nullptr;
    return owner;
  }

  llvm::ScalarEvolution& scev_;
  const llvm::DominatorTree& dominators_;
  unsigned kind_;
  unsigned poll_kind_;
};

// The memory's current size in bytes, loaded before `at`.
llvm::Value* memory_size(llvm::IRBuilder<>& b, const Plan& plan) {
  llvm::Value* vm_memory = plan.base_owner;
  if (plan.memory == 0)  // memory_base sits in vmctx, beside VMContext::memory
    vm_memory = b.CreateLoad(b.getPtrTy(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), vm_memory,
                                                                        abi::kVMContextMemory));
  return b.CreateLoad(b.getInt64Ty(),
                      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), vm_memory,
                                                   offsetof(abi::VMMemory, size)),
                      "kiln.memory_size");
}

void version(const Plan& plan, llvm::ScalarEvolution& scev, llvm::LoopInfo& loops,
             llvm::DominatorTree& dominators, unsigned kind) {
  llvm::Loop* loop = plan.loop;
  llvm::formLCSSARecursively(*loop, dominators, &loops, &scev);
  llvm::BasicBlock* check = loop->getLoopPreheader();
  llvm::BasicBlock* exit = loop->getExitBlock();

  // The range check, at the end of the old preheader.
  llvm::SCEVExpander expander(scev, check->getModule()->getDataLayout(), "kiln.range");
  llvm::IRBuilder<> b(check->getTerminator());
  llvm::Value* size = memory_size(b, plan);
  llvm::Value* fits = b.getTrue();
  std::vector<llvm::Value*> lows, ends;
  for (const Access& access : plan.accesses) {
    llvm::Instruction* at = check->getTerminator();
    llvm::Value* low = expander.expandCodeFor(access.low, b.getInt64Ty(), at);
    llvm::Value* high = expander.expandCodeFor(access.high, b.getInt64Ty(), at);
    // high < size first, so that high + bytes cannot wrap.
    llvm::Value* end = b.CreateAdd(high, b.getInt64(access.bytes));
    lows.push_back(low);
    ends.push_back(end);
    fits = b.CreateAnd(fits, b.CreateICmpULE(low, high));
    fits = b.CreateAnd(fits, b.CreateICmpULT(high, size));
    fits = b.CreateAnd(fits, b.CreateICmpULE(end, size));
    for (const llvm::SCEV* bounded : {access.btc_limit, access.wrap_free}) {
      if (!bounded) continue;
      llvm::Value* value = expander.expandCodeFor(bounded, b.getInt64Ty(), at);
      fits = b.CreateAnd(fits, b.CreateICmpULE(value, b.getInt64(UINT32_MAX)));
    }
  }

  // Families that do not overlap, where one of them writes, are told apart
  // by alias scopes in the copy (see group_families).
  const size_t family_count = plan.families.size();
  std::vector<bool> writes(family_count, false);
  std::vector<llvm::Value*> family_low(family_count), family_end(family_count);
  for (size_t f = 0; f < family_count; ++f) {
    for (size_t i : plan.families[f]) {
      writes[f] = writes[f] || llvm::isa<llvm::StoreInst>(plan.accesses[i].inst);
      family_low[f] = family_low[f] ? b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, family_low[f], lows[i]) : lows[i];
      family_end[f] = family_end[f] ? b.CreateBinaryIntrinsic(llvm::Intrinsic::umax, family_end[f], ends[i]) : ends[i];
    }
  }
  // separate[f][g]: checked apart.
  std::vector<std::vector<bool>> separate(family_count, std::vector<bool>(family_count, false));
  if (family_count >= 2 && family_count <= kMaxFamilies) {
    for (size_t f = 0; f < family_count; ++f) {
      for (size_t g = f + 1; g < family_count; ++g) {
        if (!writes[f] && !writes[g]) continue;
        fits = b.CreateAnd(fits, b.CreateOr(b.CreateICmpULE(family_end[f], family_low[g]),
                                            b.CreateICmpULE(family_end[g], family_low[f])));
        separate[f][g] = separate[g][f] = true;
      }
    }
  }

  // A polled loop runs its copy without polls only for a bounded amount of
  // work per entry (as PollElisionPass does for constant trip counts): the
  // enclosing loop or the caller still polls.
  if (!plan.polls.empty()) {
    uint64_t size = 0;
    for (llvm::BasicBlock* block : loop->blocks()) size += block->size();
    llvm::Value* taken = expander.expandCodeFor(
        scev.getTruncateOrZeroExtend(plan.taken, b.getInt64Ty()), b.getInt64Ty(),
        check->getTerminator());
    fits = b.CreateAnd(fits, b.CreateICmpULT(taken, b.getInt64(kMaxUnpolledWork / size)));
  }

  // A new preheader for the original loop; the copy gets its own.
  llvm::BasicBlock* slow_preheader = llvm::SplitEdge(check, loop->getHeader(), &dominators, &loops);
  llvm::ValueToValueMapTy map;
  llvm::SmallVector<llvm::BasicBlock*, 8> blocks;
  llvm::Loop* fast = llvm::cloneLoopWithPreheader(slow_preheader, check, loop, map, ".unguarded",
                                                  &loops, &dominators, blocks);
  llvm::remapInstructionsInBlocks(blocks, map);
  auto* fast_preheader = llvm::cast<llvm::BasicBlock>(map[slow_preheader]);
  check->getTerminator()->eraseFromParent();
  llvm::BranchInst* branch = llvm::BranchInst::Create(fast_preheader, slow_preheader, fits, check);
  branch->setMetadata(kVersionCheckMetadata, llvm::MDNode::get(check->getContext(), {}));

  // The copy leaves through the same exit: its LCSSA phis take the copy's values.
  for (llvm::PHINode& phi : exit->phis()) {
    for (unsigned i = 0, n = phi.getNumIncomingValues(); i < n; ++i) {
      llvm::BasicBlock* from = phi.getIncomingBlock(i);
      if (!loop->contains(from)) continue;
      llvm::Value* value = phi.getIncomingValue(i);
      llvm::Value* copied = map.count(value) ? static_cast<llvm::Value*>(map[value]) : value;
      phi.addIncoming(copied,
                      llvm::cast<llvm::BasicBlock>(map[from]));
    }
  }
  dominators.changeImmediateDominator(exit, check);

  // In the copy nothing can fault: plain accesses, which LLVM may merge and
  // vectorize. 32-bit addresses proven not to wrap become 64-bit recurrences.
  llvm::SCEVExpander rebuilder(scev, check->getModule()->getDataLayout(), "kiln.address");
  llvm::MDBuilder md(check->getContext());
  std::vector<llvm::MDNode*> scopes;
  llvm::MDNode* domain = md.createAnonymousAliasScopeDomain("kiln.families");
  for (size_t f = 0; f < family_count; ++f) scopes.push_back(md.createAnonymousAliasScope(domain));
  std::vector<size_t> family_of(plan.accesses.size());
  for (size_t f = 0; f < family_count; ++f)
    for (size_t i : plan.families[f]) family_of[i] = f;
  // A 32-bit address proven not to wrap, as a 64-bit offset of its own:
  // one phi per distinct recurrence, stepping as the address does (not a
  // step-1 counter times the stride), which reroll_loop can refine. The
  // offsets stay below the memory's size, so the steps wrap in neither sense.
  std::map<std::pair<const llvm::SCEV*, int64_t>, llvm::PHINode*> offsets;
  llvm::BasicBlock* fast_header = fast->getHeader();
  llvm::BasicBlock* fast_latch = fast->getLoopLatch();
  auto address_phi = [&](const Access& access) -> llvm::Value* {
    llvm::Type* i64 = access.low->getType();
    if (!fast_latch) return nullptr;  // not in simplified form: keep its 32-bit address
    llvm::PHINode*& phi = offsets[{access.low, access.step}];
    if (phi) return phi;
    llvm::Value* start = rebuilder.expandCodeFor(access.low, i64, fast_preheader->getTerminator());
    llvm::IRBuilder<> at_header(fast_header, fast_header->begin());
    phi = at_header.CreatePHI(i64, 2, "kiln.address");
    llvm::IRBuilder<> at_latch(fast_latch->getTerminator());
    llvm::Value* next = at_latch.CreateAdd(phi, llvm::ConstantInt::get(i64, access.step),
                                           "kiln.address.next", /*HasNUW=*/true, /*HasNSW=*/true);
    phi->addIncoming(start, fast_preheader);
    phi->addIncoming(next, fast_latch);
    return phi;
  };
  for (size_t i = 0; i < plan.accesses.size(); ++i) {
    const Access& access = plan.accesses[i];
    auto* copy = llvm::cast<llvm::Instruction>(map[access.inst]);
    const size_t f = family_of[i];
    llvm::SmallVector<llvm::Metadata*, kMaxFamilies> apart;
    for (size_t g = 0; g < family_count; ++g)
      if (separate[f][g]) apart.push_back(scopes[g]);
    if (!apart.empty()) {
      copy->setMetadata(llvm::LLVMContext::MD_alias_scope, llvm::MDNode::get(check->getContext(), {scopes[f]}));
      copy->setMetadata(llvm::LLVMContext::MD_noalias, llvm::MDNode::get(check->getContext(), apart));
    }
    if (llvm::Value* at = access.wrap_free ? address_phi(access) : nullptr) {
      llvm::IRBuilder<> here(copy);
      llvm::Value* pointer = here.CreateGEP(here.getInt8Ty(), plan.base, at);
      copy->setOperand(llvm::isa<llvm::LoadInst>(copy) ? 0 : 1, pointer);
    }
    if (auto* load = llvm::dyn_cast<llvm::LoadInst>(copy)) load->setVolatile(false);
    if (auto* store = llvm::dyn_cast<llvm::StoreInst>(copy)) store->setVolatile(false);
    copy->setMetadata(kind, nullptr);
  }
  for (llvm::Instruction* poll : plan.polls) llvm::cast<llvm::Instruction>(map[poll])->eraseFromParent();
  llvm::formDedicatedExitBlocks(loop, &dominators, &loops, nullptr, true);
  llvm::formDedicatedExitBlocks(fast, &dominators, &loops, nullptr, true);
  scev.forgetLoop(loop);
  // A body the producer unrolled becomes one the vectorizer takes whole.
  if (rerolling) reroll_loop(*fast, scev);
}

}  // namespace

llvm::PreservedAnalyses GuardedLoopVersioningPass::run(llvm::Function& fn,
                                                       llvm::FunctionAnalysisManager& analyses) {
  const unsigned kind = fn.getContext().getMDKindID(kGuardedAccessMetadata);
  bool any = false;
  for (llvm::BasicBlock& block : fn)
    for (llvm::Instruction& in : block) any |= in.getMetadata(kind) != nullptr;
  // Before any analysis: code without guarded accesses pays nothing here.
  if (!any || !enabled) return llvm::PreservedAnalyses::all();
  llvm::LoopInfo& loops = analyses.getResult<llvm::LoopAnalysis>(fn);
  llvm::ScalarEvolution& scev = analyses.getResult<llvm::ScalarEvolutionAnalysis>(fn);
  llvm::DominatorTree& dominators = analyses.getResult<llvm::DominatorTreeAnalysis>(fn);
  const llvm::TargetTransformInfo& costs = analyses.getResult<llvm::TargetIRAnalysis>(fn);

  // Plans first, then the copies: copying changes the loop list.
  std::vector<llvm::Loop*> candidates;
  for (llvm::Loop* loop : loops.getLoopsInPreorder())
    if (loop->isInnermost()) candidates.push_back(loop);
  llvm::AssumptionCache& assumptions = analyses.getResult<llvm::AssumptionAnalysis>(fn);
  bool changed = false;
  for (llvm::Loop* loop : candidates) {
    bool guarded = false;
    for (llvm::BasicBlock* block : loop->blocks())
      for (llvm::Instruction& in : *block) guarded |= in.getMetadata(kind) != nullptr;
    if (!guarded) continue;
    // Dedicated exits and a preheader (LoopVectorize would make them too).
    changed |= llvm::simplifyLoop(loop, &dominators, &loops, &scev, &assumptions, nullptr, false);
    Planner planner(scev, dominators, kind, fn.getContext().getMDKindID(kLoopPollMetadata));
    std::optional<Plan> plan = planner.plan(loop);
    if (!plan) continue;
    std::vector<const llvm::SCEV*> highs;
    for (const Access& access : plan->accesses) {
      highs.push_back(access.low);
      highs.push_back(access.high);
      if (access.wrap_free) highs.push_back(access.wrap_free);
    }
    llvm::SCEVExpander probe(scev, fn.getParent()->getDataLayout(), "kiln.probe");
    if (probe.isHighCostExpansion(highs, loop, kExpansionBudget * unsigned(highs.size()), &costs,
                                  loop->getLoopPreheader()->getTerminator()))
      continue;
    version(*plan, scev, loops, dominators, kind);
    changed = true;
  }
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

llvm::PreservedAnalyses UnvectorizedCopyRemovalPass::run(llvm::Function& fn,
                                                         llvm::FunctionAnalysisManager& analyses) {
  const unsigned kind = fn.getContext().getMDKindID(kVersionCheckMetadata);
  std::vector<llvm::BranchInst*> checks;
  for (llvm::BasicBlock& block : fn)
    if (auto* branch = llvm::dyn_cast<llvm::BranchInst>(block.getTerminator()))
      if (branch->isConditional() && branch->getMetadata(kind)) checks.push_back(branch);
  if (checks.empty()) return llvm::PreservedAnalyses::all();
  llvm::DominatorTree& dominators = analyses.getResult<llvm::DominatorTreeAnalysis>(fn);
  bool changed = false;
  for (llvm::BranchInst* branch : checks) {
    // Each version: every block its preheader dominates (it has no other way
    // in). Vectorized means more vector values than the original has (a
    // SIMD build's loop has its own).
    llvm::BasicBlock* copy = branch->getSuccessor(0);
    auto vector_values = [&](llvm::BasicBlock* preheader) {
      size_t count = 0;
      for (llvm::BasicBlock& block : fn)
        if (dominators.dominates(preheader, &block))
          for (llvm::Instruction& in : block) count += in.getType()->isVectorTy();
      return count;
    };
    branch->setMetadata(kind, nullptr);
    if (vector_values(copy) > vector_values(branch->getSuccessor(1))) continue;
    llvm::Value* condition = branch->getCondition();
    llvm::BranchInst::Create(branch->getSuccessor(1), branch->getParent());
    copy->removePredecessor(branch->getParent());
    branch->eraseFromParent();
    llvm::RecursivelyDeleteTriviallyDeadInstructions(condition);
    changed = true;
  }
  if (!changed) return llvm::PreservedAnalyses::all();
  llvm::removeUnreachableBlocks(fn);
  return llvm::PreservedAnalyses::none();
}

}  // namespace kiln::aotc
