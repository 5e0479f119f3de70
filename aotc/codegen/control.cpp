// Structured control flow: block, loop, if/else, end, br, br_if, br_table,
// return, unreachable, nop. Branch targets carry their values in phi nodes:
// a block's or if's results at its merge block, a loop's params at its header.
#include <llvm/IR/Constants.h>

#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

bool FunctionTranslator::block_signature(const BlockType& type, std::vector<llvm::Type*>& params,
                                         std::vector<llvm::Type*>& results) {
  params.clear();
  results.clear();
  switch (type.kind) {
    case BlockType::Kind::Empty: return true;
    case BlockType::Kind::Value: results.push_back(m_.val_type(type.value)); return true;
    case BlockType::Kind::TypeIndex: {
      if (type.type_index >= wasm_.types.size()) {
        fail("block type index out of range");
        return false;
      }
      const FuncType& ft = wasm_.types[type.type_index];
      for (ValType p : ft.params) params.push_back(m_.val_type(p));
      for (ValType r : ft.results) results.push_back(m_.val_type(r));
      return true;
    }
  }
  return false;
}

void FunctionTranslator::push_frame(Frame::Kind kind, std::vector<llvm::Type*> params,
                                    std::vector<llvm::Type*> results) {
  Frame f;
  f.kind = kind;
  size_t floor = frames_.empty() ? 0 : frames_.back().height;
  if (stack_.size() < floor + params.size()) {
    fail("operand stack underflow at block entry");
    f.height = stack_.size();
  } else {
    f.height = stack_.size() - params.size();
  }
  f.merge = llvm::BasicBlock::Create(m_.ctx, kind == Frame::Kind::Function ? "return" : "merge");
  for (llvm::Type* t : results) f.merge_phis.push_back(llvm::PHINode::Create(t, 2, "", f.merge));
  f.params = std::move(params);
  f.results = std::move(results);
  frames_.push_back(std::move(f));
}

FunctionTranslator::Frame* FunctionTranslator::label(uint32_t depth) {
  if (depth >= frames_.size()) {
    fail("branch depth out of range");
    return nullptr;
  }
  return &frames_[frames_.size() - 1 - depth];
}

llvm::BasicBlock* FunctionTranslator::label_target(Frame& target) {
  return target.kind == Frame::Kind::Loop ? target.header : target.merge;
}

void FunctionTranslator::add_incoming(std::vector<llvm::PHINode*>& phis) {
  std::vector<llvm::Value*> values = top(phis.size());
  llvm::BasicBlock* from = b_.GetInsertBlock();
  for (size_t i = 0; i < phis.size(); ++i) {
    if (values[i]->getType() != phis[i]->getType()) {
      fail("branch value type mismatch");
      return;
    }
    phis[i]->addIncoming(values[i], from);
  }
}

std::vector<llvm::PHINode*>& FunctionTranslator::label_phis(Frame& target) {
  return target.kind == Frame::Kind::Loop ? target.header_phis : target.merge_phis;
}

void FunctionTranslator::branch(Frame& target) {
  add_incoming(label_phis(target));
  b_.CreateBr(label_target(target));
}

void FunctionTranslator::become_dead(size_t consumed) {
  // The top `consumed` values went to a branch target; the rest are dropped.
  size_t height = frames_.back().height;
  stack_.resize(std::max(height, stack_.size() - std::min(stack_.size(), consumed)));
  discard_to(height);
  reachable_ = false;
  dead_depth_ = 0;
}

void FunctionTranslator::skip_dead(const Instr& in) {
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::Try: ++dead_depth_; return;
    case Opcode::Else:
      if (dead_depth_ == 0) translate_else();
      return;
    case Opcode::Catch:
      if (dead_depth_ == 0) begin_catch(in.index);
      return;
    case Opcode::CatchAll:
      if (dead_depth_ == 0) begin_catch(std::nullopt);
      return;
    case Opcode::Delegate:
      if (dead_depth_ > 0) {
        --dead_depth_;
        return;
      }
      end_delegate(in.index);
      return;
    case Opcode::End:
      if (dead_depth_ > 0) {
        --dead_depth_;
        return;
      }
      translate_end();
      return;
    default: return;
  }
}

void FunctionTranslator::translate_control(const Instr& in) {
  const ControlOp op = as_family<OpFamily::Control>(in.op);
  std::vector<llvm::Type*> params, results;
  switch (op) {
    case ControlOp::Nop: return;
    case ControlOp::Unreachable: trap(TrapCode::Unreachable); return;
    case ControlOp::Block:
      if (block_signature(in.block, params, results))
        push_frame(Frame::Kind::Block, std::move(params), std::move(results));
      return;
    case ControlOp::Loop: {
      if (!block_signature(in.block, params, results)) return;
      std::vector<llvm::Value*> args = top(params.size());
      push_frame(Frame::Kind::Loop, std::move(params), std::move(results));
      Frame& f = frames_.back();
      f.header = new_block("loop");
      llvm::BasicBlock* from = b_.GetInsertBlock();
      for (size_t i = 0; i < args.size(); ++i) {
        llvm::PHINode* phi = llvm::PHINode::Create(f.params[i], 2, "", f.header);
        if (args[i]->getType() != f.params[i]) {
          fail("loop parameter type mismatch");
          args[i] = llvm::PoisonValue::get(f.params[i]);
        }
        phi->addIncoming(args[i], from);
        f.header_phis.push_back(phi);
      }
      b_.CreateBr(f.header);
      b_.SetInsertPoint(f.header);
      stack_.resize(f.height);
      for (llvm::PHINode* phi : f.header_phis) push(phi);
      if (m_.options.interruptible) emit_interrupt_check(/*loop_header=*/true);
      return;
    }
    case ControlOp::If: {
      llvm::Value* cond = pop(m_.i32);
      if (!block_signature(in.block, params, results)) return;
      push_frame(Frame::Kind::If, std::move(params), std::move(results));
      Frame& f = frames_.back();
      f.if_params = top(f.params.size());
      llvm::BasicBlock* then_block = new_block("then");
      f.else_block = llvm::BasicBlock::Create(m_.ctx, "else");
      b_.CreateCondBr(b_.CreateICmpNE(cond, b_.getInt32(0)), then_block, f.else_block);
      b_.SetInsertPoint(then_block);
      return;
    }
    case ControlOp::Else: translate_else(); return;
    case ControlOp::End: translate_end(); return;
    case ControlOp::Br: {
      Frame* target = label(in.index);
      if (!target) return;
      size_t arity = label_phis(*target).size();
      branch(*target);
      become_dead(arity);
      return;
    }
    case ControlOp::BrIf: {
      llvm::Value* cond = pop(m_.i32);
      Frame* target = label(in.index);
      if (!target) return;
      add_incoming(label_phis(*target));
      llvm::BasicBlock* cont = new_block("br_if.cont");
      b_.CreateCondBr(b_.CreateICmpNE(cond, b_.getInt32(0)), label_target(*target), cont);
      b_.SetInsertPoint(cont);
      return;
    }
    case ControlOp::BrTable: translate_br_table(in); return;
    case ControlOp::Return: {
      size_t arity = frames_.front().merge_phis.size();
      branch(frames_.front());
      become_dead(arity);
      return;
    }
  }
}

void FunctionTranslator::translate_br_table(const Instr& in) {
  llvm::Value* index = pop(m_.i32);
  if (in.targets.empty()) {
    fail("br_table without targets");
    return;
  }
  Frame* fallback = label(in.targets.back());
  if (!fallback) return;
  size_t arity = label_phis(*fallback).size();
  // One edge block per distinct target keeps each phi at one entry per predecessor.
  llvm::BasicBlock* from = b_.GetInsertBlock();
  llvm::DenseMap<uint32_t, llvm::BasicBlock*> edges;
  auto edge = [&](uint32_t depth) -> llvm::BasicBlock* {
    auto it = edges.find(depth);
    if (it != edges.end()) return it->second;
    llvm::BasicBlock* block = new_block("br_table.edge");
    edges[depth] = block;
    Frame* target = label(depth);
    b_.SetInsertPoint(block);
    if (target) {
      if (label_phis(*target).size() != arity) fail("br_table targets differ in arity");
      branch(*target);
    } else {
      b_.CreateUnreachable();
    }
    return block;
  };
  llvm::BasicBlock* default_edge = edge(in.targets.back());
  b_.SetInsertPoint(from);
  llvm::SwitchInst* sw =
      b_.CreateSwitch(index, default_edge, static_cast<unsigned>(in.targets.size() - 1));
  for (size_t i = 0; i + 1 < in.targets.size(); ++i) {
    llvm::BasicBlock* block = edge(in.targets[i]);
    sw->addCase(b_.getInt32(static_cast<uint32_t>(i)), block);
  }
  b_.SetInsertPoint(from);
  become_dead(arity);
}

void FunctionTranslator::translate_else() {
  if (frames_.empty() || frames_.back().kind != Frame::Kind::If || frames_.back().in_else) {
    fail("else without matching if");
    return;
  }
  Frame& f = frames_.back();
  if (reachable_) branch(f);
  stack_.resize(f.height);
  f.in_else = true;
  start_block(f.else_block);
  push_all(f.if_params);
  reachable_ = true;
}

void FunctionTranslator::translate_end() {
  if (frames_.empty()) {
    fail("end without matching block");
    return;
  }
  Frame& f = frames_.back();
  if (f.kind == Frame::Kind::Try) close_handlers(f);
  if (reachable_) {
    // Fall through with the results (for a loop too: to its merge, not its header).
    add_incoming(f.merge_phis);
    b_.CreateBr(f.merge);
  }
  if (f.kind == Frame::Kind::If && !f.in_else) {
    // The missing else arm passes the params through (they equal the results).
    stack_.resize(f.height);
    start_block(f.else_block);
    push_all(f.if_params);
    add_incoming(f.merge_phis);
    b_.CreateBr(f.merge);
  }
  stack_.resize(f.height);
  Frame done = std::move(f);
  frames_.pop_back();
  reachable_ = false;
  dead_depth_ = 0;
  if (done.kind == Frame::Kind::Function) {
    finish_function(done);
    return;
  }
  if (done.merge->hasNPredecessors(0)) {
    delete done.merge;
    return;
  }
  start_block(done.merge);
  for (llvm::PHINode* phi : done.merge_phis) push(phi);
  reachable_ = true;
}

void FunctionTranslator::finish_function(Frame& frame) {
  finish_unwind();
  if (frame.merge->hasNPredecessors(0)) {
    delete frame.merge;
    return;
  }
  start_block(frame.merge);
  drop_caught_exceptions();
  if (frame.merge_phis.empty()) {
    b_.CreateRetVoid();
  } else if (frame.merge_phis.size() == 1) {
    b_.CreateRet(frame.merge_phis[0]);
  } else {
    llvm::Value* agg = llvm::PoisonValue::get(fn_->getReturnType());
    for (unsigned i = 0; i < frame.merge_phis.size(); ++i)
      agg = b_.CreateInsertValue(agg, frame.merge_phis[i], {i});
    b_.CreateRet(agg);
  }
}

}  // namespace kiln::aotc
