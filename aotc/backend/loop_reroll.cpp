#include "aotc/backend/loop_reroll.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace kiln::aotc {
namespace {

// An access's address as {start,+,step} in `loop` with a constant step.
struct Address {
  const llvm::SCEV* start;
  int64_t step;
};

std::optional<Address> address_of(llvm::Instruction& access, llvm::Loop& loop,
                                  llvm::ScalarEvolution& scev) {
  auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(
      scev.getSCEV(llvm::getLoadStorePointerOperand(&access)));
  if (!rec || rec->getLoop() != &loop || !rec->isAffine()) return std::nullopt;
  auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(scev));
  if (!step) return std::nullopt;
  return Address{rec->getStart(), step->getAPInt().getSExtValue()};
}

// `b`'s start minus `a`'s, if a constant.
std::optional<int64_t> distance(const Address& a, const Address& b, llvm::ScalarEvolution& scev) {
  auto* d = llvm::dyn_cast<llvm::SCEVConstant>(scev.getMinusSCEV(b.start, a.start));
  if (!d) return std::nullopt;
  return d->getAPInt().getSExtValue();
}

class Matcher {
 public:
  Matcher(llvm::BasicBlock* body, llvm::Loop& loop, llvm::ScalarEvolution& scev, int64_t step,
          int64_t spacing)
      : body_(body), loop_(loop), scev_(scev), step_(step), spacing_(spacing) {}

  // Whether chain k's value `other` computes what chain 0's `first` does,
  // k elements further on; records each instruction's chain.
  bool match(llvm::Value* first, llvm::Value* other, unsigned k) {
    if (first == other) return !in_body(first);  // a loop-invariant value both use
    auto* a = llvm::dyn_cast<llvm::Instruction>(first);
    auto* b = llvm::dyn_cast<llvm::Instruction>(other);
    if (!a || !b || !in_body(a) || !in_body(b) || llvm::isa<llvm::PHINode>(a)) return false;
    if (auto seen = counterpart_.find(b); seen != counterpart_.end()) return seen->second == a;
    if (!claim(a, 0) || !claim(b, k)) return false;
    counterpart_[b] = a;
    if (!a->isSameOperationAs(b) || a->getNumOperands() != b->getNumOperands()) return false;
    if (llvm::isa<llvm::LoadInst>(a) || llvm::isa<llvm::StoreInst>(a)) {
      auto* load_a = llvm::dyn_cast<llvm::LoadInst>(a);
      if (load_a && (!load_a->isSimple() || !llvm::cast<llvm::LoadInst>(b)->isSimple())) return false;
      std::optional<Address> pa = address_of(*a, loop_, scev_), pb = address_of(*b, loop_, scev_);
      if (!pa || !pb || pa->step != step_ || pb->step != step_) return false;
      std::optional<int64_t> d = distance(*pa, *pb, scev_);
      if (!d || *d != int64_t(k) * spacing_) return false;
      if (load_a) return true;
      return match(a->getOperand(0), b->getOperand(0), k);  // the stored values
    }
    for (unsigned i = 0; i < a->getNumOperands(); ++i)
      if (!match(a->getOperand(i), b->getOperand(i), k)) return false;
    return true;
  }

  // Every value a chain computes is used by that chain alone.
  bool self_contained() const {
    for (const auto& [inst, chain] : chain_of_)
      for (const llvm::User* user : inst->users()) {
        auto* in = llvm::dyn_cast<llvm::Instruction>(user);
        auto owner = in ? chain_of_.find(in) : chain_of_.end();
        if (owner == chain_of_.end() || owner->second != chain) return false;
      }
    return true;
  }

  bool claimed(llvm::Instruction* in) const { return chain_of_.count(in) != 0; }
  /// The chain `in` belongs to (claimed instructions only).
  unsigned chain(llvm::Instruction* in) const { return chain_of_.lookup(in); }

  // Chains 1..K-1, to delete.
  std::vector<llvm::Instruction*> others() const {
    std::vector<llvm::Instruction*> out;
    for (const auto& [inst, chain] : chain_of_)
      if (chain != 0) out.push_back(inst);
    return out;
  }

 private:
  bool in_body(llvm::Value* v) const {
    auto* in = llvm::dyn_cast<llvm::Instruction>(v);
    return in && in->getParent() == body_;
  }
  bool claim(llvm::Instruction* in, unsigned chain) {
    auto [it, fresh] = chain_of_.try_emplace(in, chain);
    return fresh || it->second == chain;
  }

  llvm::BasicBlock* body_;
  llvm::Loop& loop_;
  llvm::ScalarEvolution& scev_;
  int64_t step_, spacing_;
  llvm::DenseMap<llvm::Instruction*, unsigned> chain_of_;
  llvm::DenseMap<llvm::Instruction*, llvm::Instruction*> counterpart_;
};

}  // namespace

bool reroll_loop(llvm::Loop& loop, llvm::ScalarEvolution& scev) {
  if (loop.getNumBlocks() != 1 || !loop.getLoopPreheader() || !loop.getExitBlock()) return false;
  llvm::BasicBlock* body = loop.getHeader();
  auto* latch = llvm::dyn_cast<llvm::BranchInst>(body->getTerminator());
  if (!latch || !latch->isConditional()) return false;
  const llvm::SCEV* trips = scev.getBackedgeTakenCount(&loop);
  if (llvm::isa<llvm::SCEVCouldNotCompute>(trips)) return false;

  // The stores: one group, K of them, spaced D = step / K apart.
  std::vector<std::pair<llvm::StoreInst*, Address>> stores;
  for (llvm::Instruction& in : *body) {
    if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&in)) {
      std::optional<Address> at = address_of(*store, loop, scev);
      if (!store->isSimple() || !at) return false;
      stores.push_back({store, *at});
    } else if (in.mayHaveSideEffects() || (in.mayReadFromMemory() && !llvm::isa<llvm::LoadInst>(in))) {
      return false;
    }
  }
  const int64_t k_count = int64_t(stores.size());
  if (k_count < 2) return false;
  const int64_t step = stores[0].second.step;
  if (step <= 0 || step % k_count != 0) return false;
  const int64_t spacing = step / k_count;
  std::vector<std::pair<int64_t, llvm::StoreInst*>> ordered;
  for (auto& [store, at] : stores) {
    std::optional<int64_t> d = distance(stores[0].second, at, scev);
    if (at.step != step || !d) return false;
    ordered.push_back({*d, store});
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  for (int64_t k = 0; k < k_count; ++k)
    if (ordered[k].first - ordered[0].first != k * spacing) return false;

  // Each induction variable: phi = {start,+,C} through `phi + C`, C a
  // multiple of K. No other phi (a reduction would mean something per chain).
  std::vector<llvm::BinaryOperator*> increments;
  for (llvm::PHINode& phi : body->phis()) {
    if (phi.getNumIncomingValues() != 2) return false;
    auto* inc = llvm::dyn_cast<llvm::BinaryOperator>(phi.getIncomingValueForBlock(body));
    if (!inc || inc->getOpcode() != llvm::Instruction::Add || inc->getOperand(0) != &phi)
      return false;
    auto* c = llvm::dyn_cast<llvm::ConstantInt>(inc->getOperand(1));
    if (!c || c->getValue().srem(k_count) != 0) return false;
    increments.push_back(inc);
  }
  Matcher matcher(body, loop, scev, step, spacing);
  for (int64_t k = 1; k < k_count; ++k)
    if (!matcher.match(ordered[0].second, ordered[k].second, unsigned(k))) return false;
  if (!matcher.self_contained()) return false;
  // No load outside the chains (its value would mean something per chain),
  // and chain k's memory accesses all after chain k-1's: the order the
  // rerolled loop keeps, whichever of them alias.
  unsigned last_chain = 0;
  for (llvm::Instruction& in : *body) {
    if (!llvm::isa<llvm::LoadInst>(in) && !llvm::isa<llvm::StoreInst>(in)) continue;
    if (!matcher.claimed(&in) || matcher.chain(&in) < last_chain) return false;
    last_chain = matcher.chain(&in);
  }

  // Finer steps; the loop must then run exactly K times as many iterations,
  // which SCEV confirms (an exit test the finer steps could meet earlier,
  // such as `<` against a bound between two old values, fails it).
  std::vector<llvm::Constant*> old_steps;
  for (llvm::BinaryOperator* inc : increments) {
    auto* c = llvm::cast<llvm::ConstantInt>(inc->getOperand(1));
    old_steps.push_back(c);
    inc->setOperand(1, llvm::ConstantInt::get(c->getType(), c->getValue().sdiv(k_count)));
  }
  scev.forgetLoop(&loop);
  const llvm::SCEV* new_trips = scev.getBackedgeTakenCount(&loop);
  bool same_work = false;
  if (!llvm::isa<llvm::SCEVCouldNotCompute>(new_trips) && new_trips->getType() == trips->getType()) {
    llvm::Type* type = trips->getType();
    if (auto* old_count = llvm::dyn_cast<llvm::SCEVConstant>(trips)) {
      // In twice the width, so that the product cannot wrap.
      llvm::APInt wide = (old_count->getAPInt().zext(128) + 1) * uint64_t(k_count) - 1;
      auto* got = llvm::dyn_cast<llvm::SCEVConstant>(new_trips);
      same_work = got && wide.isIntN(type->getIntegerBitWidth()) &&
                  got->getAPInt().zext(128) == wide;
    } else if (type->getIntegerBitWidth() == 64) {
      const llvm::SCEV* expected = scev.getMinusSCEV(
          scev.getMulExpr(scev.getAddExpr(trips, scev.getOne(type)), scev.getConstant(type, k_count)),
          scev.getOne(type));
      same_work = expected == new_trips;
    }
  }
  if (!same_work) {
    for (size_t i = 0; i < increments.size(); ++i) increments[i]->setOperand(1, old_steps[i]);
    scev.forgetLoop(&loop);
    return false;
  }
  std::vector<llvm::Instruction*> doomed = matcher.others();
  for (llvm::Instruction* in : doomed) in->dropAllReferences();
  for (llvm::Instruction* in : doomed) in->eraseFromParent();
  scev.forgetLoop(&loop);
  return true;
}

}  // namespace kiln::aotc
