// WebAssembly 2.0 validation: the module-level rules and, per function, the
// spec appendix's algorithm (operand stack with an "unknown" type after
// unreachable code, plus a stack of control frames).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "aotc/wasm/module.h"
#include "aotc/wasm/sealed_tables.h"

namespace kiln::aotc {

namespace {

constexpr uint64_t kMaxMemoryPages = 65536;
constexpr uint64_t kMaxMemory64Pages = uint64_t(1) << 48;  // 2^64 bytes

/// Marks an operand of unknown type (after unreachable code).
constexpr ValType kUnknownType = ValType(0x00);

// A one-element result list for a value block type.
std::span<const ValType> single(ValType t) {
  static constexpr std::array<ValType, 7> kAll = {ValType::I32, ValType::I64, ValType::F32,
                                                  ValType::F64, ValType::V128, ValType::FuncRef,
                                                  ValType::ExternRef};
  for (const ValType& v : kAll) {
    if (v == t) return {&v, 1};
  }
  return {};
}

std::string type_name(ValType t) { return t == kUnknownType ? "unknown" : abi::val_type_name(t); }

// The parts of a module that function bodies are checked against.
struct Context {
  const Module& m;
  std::unordered_set<uint32_t> declared_refs;  // functions ref.func may name
  Features features;                           // the proposals function bodies may use
};

class FunctionValidator {
 public:
  FunctionValidator(const Context& ctx, uint32_t func_index, const FuncType& type,
                    const FunctionBody& body)
      : ctx_(ctx), m_(ctx.m), func_index_(func_index), type_(type), body_(body) {}

  Error run();
  /// abi::feature_bit()s of the proposals the body used.
  uint32_t features_used() const { return used_; }
  /// The tables the body writes, grows or fills (see SealedTable).
  const std::vector<uint32_t>& tables_written() const { return tables_written_; }

 private:
  struct Frame {
    Opcode kind;
    std::span<const ValType> params;
    std::span<const ValType> results;
    size_t height;
    bool unreachable;
  };

  Error fail(const std::string& message) {
    return error_in_function(func_index_, instr_.offset, message);
  }
  Error mismatch(const std::string& detail) {
    return fail("type mismatch in " + std::string(opcode_name(instr_.op)) + ": " + detail);
  }

  void push(ValType t) { stack_.push_back(t); }
  void push_all(std::span<const ValType> types) {
    stack_.insert(stack_.end(), types.begin(), types.end());
  }
  Expected<ValType> pop();
  Error pop_expect(ValType expected);
  Error pop_all(std::span<const ValType> types);
  Error check_top(std::span<const ValType> types);
  void push_ctrl(Opcode kind, std::span<const ValType> params, std::span<const ValType> results);
  Error pop_ctrl(Frame& out);
  std::span<const ValType> label_types(const Frame& f) const {
    return f.kind == Opcode::Loop ? f.params : f.results;
  }
  void set_unreachable() {
    stack_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }

  Error instruction();
  /// try, catch, catch_all, delegate, throw and rethrow (exception handling, 2022 form).
  Error exception_instruction();
  Error by_opcode();
  Error block_signature(std::span<const ValType>& params, std::span<const ValType>& results);
  Error check_memory(uint32_t index);
  Error check_table(uint32_t index);
  Error check_memarg();
  Error check_lane(uint32_t lanes);
  Error simple(const Signature& sig);
  Expected<const FuncType*> indirect_callee();
  Error check_tail_call();
  Error tail_call(const FuncType& callee);

  const Context& ctx_;
  std::vector<uint32_t> tables_written_;
  const Module& m_;
  uint32_t func_index_;
  const FuncType& type_;
  const FunctionBody& body_;
  std::vector<ValType> locals_;
  std::vector<ValType> stack_;
  std::vector<Frame> ctrls_;
  Instr instr_;
  uint32_t used_ = 0;
};

Expected<ValType> FunctionValidator::pop() {
  const Frame& f = ctrls_.back();
  if (stack_.size() == f.height) {
    if (f.unreachable) return kUnknownType;
    return mismatch("expected a value but the stack is empty");
  }
  const ValType t = stack_.back();
  stack_.pop_back();
  return t;
}

Error FunctionValidator::pop_expect(ValType expected) {
  auto actual = pop();
  if (!actual) {
    llvm::consumeError(actual.takeError());
    return mismatch("expected " + type_name(expected) + " but the stack is empty");
  }
  if (*actual != expected && *actual != kUnknownType && expected != kUnknownType) {
    return mismatch("expected " + type_name(expected) + " but got " + type_name(*actual));
  }
  return Error::success();
}

// Like pop_all followed by pushing the same values back, without the copying.
Error FunctionValidator::check_top(std::span<const ValType> types) {
  const Frame& f = ctrls_.back();
  const size_t available = stack_.size() - f.height;
  for (size_t k = 0; k < types.size(); ++k) {
    const ValType expected = types[types.size() - 1 - k];
    if (k >= available) {
      if (f.unreachable) continue;
      return mismatch("expected " + type_name(expected) + " but the stack is empty");
    }
    const ValType actual = stack_[stack_.size() - 1 - k];
    if (actual != expected && actual != kUnknownType) {
      return mismatch("expected " + type_name(expected) + " but got " + type_name(actual));
    }
  }
  return Error::success();
}

Error FunctionValidator::pop_all(std::span<const ValType> types) {
  for (size_t i = types.size(); i-- > 0;) {
    if (Error err = pop_expect(types[i])) return err;
  }
  return Error::success();
}

void FunctionValidator::push_ctrl(Opcode kind, std::span<const ValType> params,
                                  std::span<const ValType> results) {
  ctrls_.push_back(Frame{kind, params, results, stack_.size(), false});
  push_all(params);
}

Error FunctionValidator::pop_ctrl(Frame& out) {
  if (Error err = pop_all(ctrls_.back().results)) return err;
  if (stack_.size() != ctrls_.back().height) {
    return mismatch(std::to_string(stack_.size() - ctrls_.back().height) +
                    " extra value(s) left at the end of the block");
  }
  out = ctrls_.back();
  ctrls_.pop_back();
  return Error::success();
}

Error FunctionValidator::run() {
  locals_ = type_.params;
  for (const auto& [count, t] : body_.local_groups) locals_.insert(locals_.end(), count, t);
  ctrls_.push_back(Frame{Opcode::Block, {}, type_.results, 0, false});

  InstrReader reader(body_.code, body_.code_offset);
  while (!ctrls_.empty()) {
    if (reader.at_end()) return error_in_function(func_index_, reader.offset(), "END opcode expected");
    if (Error err = reader.next(instr_)) return err;
    if (Error err = instruction()) return err;
  }
  if (!reader.at_end()) {
    return error_in_function(func_index_, reader.offset(), "operators remaining after end of function");
  }
  return Error::success();
}

Error FunctionValidator::block_signature(std::span<const ValType>& params,
                                         std::span<const ValType>& results) {
  const BlockType& bt = instr_.block;
  params = {};
  results = {};
  switch (bt.kind) {
    case BlockType::Kind::Empty:
      return Error::success();
    case BlockType::Kind::Value:
      results = single(bt.value);
      return Error::success();
    case BlockType::Kind::TypeIndex:
      if (bt.type_index >= m_.types.size()) return fail("unknown type " + std::to_string(bt.type_index));
      params = m_.types[bt.type_index].params;
      results = m_.types[bt.type_index].results;
      return Error::success();
  }
  return Error::success();
}

Error FunctionValidator::check_memory(uint32_t index) {
  if (index >= m_.total_memories()) return fail("unknown memory " + std::to_string(index));
  return Error::success();
}

Error FunctionValidator::check_table(uint32_t index) {
  if (index >= m_.total_tables()) return fail("unknown table " + std::to_string(index));
  return Error::success();
}

Error FunctionValidator::check_memarg() {
  if (Error err = check_memory(instr_.index)) return err;
  // log2 of the access size.
  const uint32_t natural = std::countr_zero(unsigned(opcode_info(instr_.op).access));
  if (instr_.align > natural) return fail("alignment must not be larger than natural");
  // Threads: an atomic access states its natural alignment exactly.
  if (opcode_family(instr_.op) == OpFamily::Atomic && instr_.align != natural)
    return fail("atomic alignment must be natural");
  // memory64 reads u64 offsets; a 32-bit memory's must still fit its addresses.
  if (!m_.memory_type(instr_.index).address64 && instr_.mem_offset > UINT32_MAX)
    return fail("offset out of range");
  return Error::success();
}

Error FunctionValidator::check_lane(uint32_t lanes) {
  if (instr_.lane >= lanes) return fail("invalid lane index");
  return Error::success();
}

Error FunctionValidator::simple(const Signature& sig) {
  for (size_t i = sig.param_count; i-- > 0;) {
    if (Error err = pop_expect(sig.params[i])) return err;
  }
  if (sig.result != kNoType) push(sig.result);
  return Error::success();
}

// The legacy exception-handling rules: a try's handlers (catch, catch_all)
// or its delegate close its body; catch_all ends the handlers; delegate's
// label counts from outside the try; rethrow names a catch or catch_all.
Error FunctionValidator::exception_instruction() {
  const Opcode op = instr_.op;
  auto tag_params = [&](uint32_t tag) -> Expected<std::span<const ValType>> {
    if (tag >= m_.total_tags()) return fail("unknown tag " + std::to_string(tag));
    const uint32_t type = m_.tag_type_index(tag);
    if (type >= m_.types.size()) return fail("unknown type " + std::to_string(type));
    return std::span<const ValType>(m_.types[type].params);
  };
  switch (op) {
    case Opcode::Try: {
      std::span<const ValType> params, results;
      if (Error err = block_signature(params, results)) return err;
      if (Error err = pop_all(params)) return err;
      push_ctrl(op, params, results);
      return Error::success();
    }
    case Opcode::Catch:
    case Opcode::CatchAll: {
      const Opcode kind = ctrls_.back().kind;
      if (kind != Opcode::Try && kind != Opcode::Catch)
        return fail(std::string(opcode_name(op)) + " without matching try");
      Expected<std::span<const ValType>> params = std::span<const ValType>();
      if (op == Opcode::Catch) params = tag_params(instr_.index);
      if (!params) return params.takeError();
      Frame f;
      if (Error err = pop_ctrl(f)) return err;
      push_ctrl(op, {}, f.results);
      push_all(*params);
      return Error::success();
    }
    case Opcode::Delegate: {
      if (ctrls_.back().kind != Opcode::Try) return fail("delegate without matching try");
      Frame f;
      if (Error err = pop_ctrl(f)) return err;
      if (instr_.index >= ctrls_.size()) return fail("unknown label " + std::to_string(instr_.index));
      push_all(f.results);
      return Error::success();
    }
    case Opcode::Throw: {
      Expected<std::span<const ValType>> params = tag_params(instr_.index);
      if (!params) return params.takeError();
      if (Error err = pop_all(*params)) return err;
      set_unreachable();
      return Error::success();
    }
    case Opcode::Rethrow: {
      if (instr_.index >= ctrls_.size()) return fail("unknown label " + std::to_string(instr_.index));
      const Opcode kind = ctrls_[ctrls_.size() - 1 - instr_.index].kind;
      if (kind != Opcode::Catch && kind != Opcode::CatchAll) return fail("invalid rethrow label");
      set_unreachable();
      return Error::success();
    }
    default:
      return fail(std::string("unexpected ") + opcode_name(op));
  }
}

Error FunctionValidator::by_opcode() {
  const OpcodeInfo& info = opcode_info(instr_.op);
  if (!info.sig.fixed) return fail(std::string("unsupported instruction ") + info.name);
  Signature sig = info.sig;
  if (info.access) {
    if (Error err = check_memarg()) return err;
    // The address, always the first operand, is of the memory's address type.
    sig.params[0] = m_.address_type(instr_.index);
  }
  if (info.lanes) {
    if (Error err = check_lane(info.lanes)) return err;
  }
  if (instr_.op == Opcode::I8x16Shuffle) {
    for (uint8_t lane : instr_.v128) {
      if (lane >= 32) return fail("invalid lane index");
    }
  }
  return simple(sig);
}

// The type a call_indirect or return_call_indirect names, with its table checked.
Expected<const FuncType*> FunctionValidator::indirect_callee() {
  if (Error err = check_table(instr_.index2)) return err;
  if (m_.table_type(instr_.index2).elem_type != ValType::FuncRef)
    return mismatch(std::string(opcode_name(instr_.op)) + " needs a funcref table");
  if (instr_.index >= m_.types.size()) return fail("unknown type " + std::to_string(instr_.index));
  return &m_.types[instr_.index];
}

// return_call*: only with the tail-call proposal enabled; recorded as used.
Error FunctionValidator::check_tail_call() {
  if (!ctx_.features.has(Feature::TailCall)) {
    char code[8];
    std::snprintf(code, sizeof code, "0x%02x", unsigned(instr_.op));
    return fail(std::string("illegal opcode ") + code +
                disabled_note(opcode_name(instr_.op), Feature::TailCall));
  }
  used_ |= abi::feature_bit(Feature::TailCall);
  return Error::success();
}

// The callee's results become the caller's: they must be the same types.
Error FunctionValidator::tail_call(const FuncType& callee) {
  if (!std::equal(callee.results.begin(), callee.results.end(), type_.results.begin(),
                  type_.results.end()))
    return mismatch("the callee's results must be the function's results");
  if (Error err = pop_all(callee.params)) return err;
  set_unreachable();
  return Error::success();
}

// Instructions typed by more than their opcode, or with indices to check;
// the rest by_opcode().
Error FunctionValidator::instruction() {
  const Opcode op = instr_.op;
  switch (op) {
    case Opcode::Unreachable:
      set_unreachable();
      return Error::success();
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      std::span<const ValType> params, results;
      if (Error err = block_signature(params, results)) return err;
      if (op == Opcode::If) {
        if (Error err = pop_expect(ValType::I32)) return err;
      }
      if (Error err = pop_all(params)) return err;
      push_ctrl(op, params, results);
      return Error::success();
    }
    case Opcode::Else: {
      if (ctrls_.back().kind != Opcode::If) return fail("else without matching if");
      Frame f;
      if (Error err = pop_ctrl(f)) return err;
      push_ctrl(Opcode::Else, f.params, f.results);
      return Error::success();
    }
    case Opcode::End: {
      Frame f;
      if (Error err = pop_ctrl(f)) return err;
      // An if without else passes its parameters through the missing branch.
      if (f.kind == Opcode::If && !std::equal(f.params.begin(), f.params.end(), f.results.begin(),
                                              f.results.end())) {
        return mismatch("if without else must leave its parameters unchanged");
      }
      push_all(f.results);
      return Error::success();
    }
    case Opcode::Try:
    case Opcode::Catch:
    case Opcode::CatchAll:
    case Opcode::Delegate:
    case Opcode::Throw:
    case Opcode::Rethrow:
      return exception_instruction();
    case Opcode::Br: {
      if (instr_.index >= ctrls_.size()) return fail("unknown label " + std::to_string(instr_.index));
      if (Error err = pop_all(label_types(ctrls_[ctrls_.size() - 1 - instr_.index]))) return err;
      set_unreachable();
      return Error::success();
    }
    case Opcode::BrIf: {
      if (instr_.index >= ctrls_.size()) return fail("unknown label " + std::to_string(instr_.index));
      if (Error err = pop_expect(ValType::I32)) return err;
      auto types = label_types(ctrls_[ctrls_.size() - 1 - instr_.index]);
      if (Error err = pop_all(types)) return err;
      push_all(types);
      return Error::success();
    }
    case Opcode::BrTable: {
      if (Error err = pop_expect(ValType::I32)) return err;
      for (uint32_t label : instr_.targets) {
        if (label >= ctrls_.size()) return fail("unknown label " + std::to_string(label));
      }
      const uint32_t default_label = instr_.targets.back();
      const size_t arity = label_types(ctrls_[ctrls_.size() - 1 - default_label]).size();
      for (uint32_t label : instr_.targets) {
        auto types = label_types(ctrls_[ctrls_.size() - 1 - label]);
        if (types.size() != arity) return mismatch("br_table targets have different arities");
        if (Error err = check_top(types)) return err;
      }
      if (Error err = pop_all(label_types(ctrls_[ctrls_.size() - 1 - default_label]))) return err;
      set_unreachable();
      return Error::success();
    }
    case Opcode::Return:
      if (Error err = pop_all(type_.results)) return err;
      set_unreachable();
      return Error::success();
    case Opcode::Call: {
      if (instr_.index >= m_.total_funcs()) return fail("unknown function " + std::to_string(instr_.index));
      const FuncType& callee = m_.func_type(instr_.index);
      if (Error err = pop_all(callee.params)) return err;
      push_all(callee.results);
      return Error::success();
    }
    case Opcode::CallIndirect: {
      auto callee = indirect_callee();
      if (!callee) return callee.takeError();
      if (Error err = pop_expect(ValType::I32)) return err;
      if (Error err = pop_all((*callee)->params)) return err;
      push_all((*callee)->results);
      return Error::success();
    }
    case Opcode::ReturnCall: {
      if (Error err = check_tail_call()) return err;
      if (instr_.index >= m_.total_funcs()) return fail("unknown function " + std::to_string(instr_.index));
      return tail_call(m_.func_type(instr_.index));
    }
    case Opcode::ReturnCallIndirect: {
      if (Error err = check_tail_call()) return err;
      auto callee = indirect_callee();
      if (!callee) return callee.takeError();
      if (Error err = pop_expect(ValType::I32)) return err;
      return tail_call(**callee);
    }
    case Opcode::Drop: {
      auto t = pop();
      if (!t) return t.takeError();
      return Error::success();
    }
    case Opcode::Select: {
      if (Error err = pop_expect(ValType::I32)) return err;
      auto t1 = pop();
      if (!t1) return t1.takeError();
      auto t2 = pop();
      if (!t2) return t2.takeError();
      if ((*t1 != kUnknownType && is_ref(*t1)) || (*t2 != kUnknownType && is_ref(*t2))) {
        return mismatch("select without a type needs numeric or vector operands");
      }
      if (*t1 != *t2 && *t1 != kUnknownType && *t2 != kUnknownType) {
        return mismatch("select operands differ: " + type_name(*t2) + " and " + type_name(*t1));
      }
      push(*t1 == kUnknownType ? *t2 : *t1);
      return Error::success();
    }
    case Opcode::SelectT: {
      if (instr_.index != 1) return fail("invalid result arity");
      const ValType t = instr_.ref_type;
      if (Error err = pop_expect(ValType::I32)) return err;
      if (Error err = pop_expect(t)) return err;
      if (Error err = pop_expect(t)) return err;
      push(t);
      return Error::success();
    }
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      if (instr_.index >= locals_.size()) return fail("unknown local " + std::to_string(instr_.index));
      const ValType t = locals_[instr_.index];
      if (op == Opcode::LocalGet) {
        push(t);
        return Error::success();
      }
      if (Error err = pop_expect(t)) return err;
      if (op == Opcode::LocalTee) push(t);
      return Error::success();
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet: {
      if (instr_.index >= m_.total_globals()) return fail("unknown global " + std::to_string(instr_.index));
      const GlobalType g = m_.global_type(instr_.index);
      if (op == Opcode::GlobalGet) {
        push(g.type);
        return Error::success();
      }
      if (!g.is_mutable) return fail("global is immutable");
      return pop_expect(g.type);
    }
    case Opcode::TableGet:
    case Opcode::TableSet: {
      if (Error err = check_table(instr_.index)) return err;
      const ValType t = m_.table_type(instr_.index).elem_type;
      if (op == Opcode::TableGet) {
        if (Error err = pop_expect(ValType::I32)) return err;
        push(t);
        return Error::success();
      }
      if (Error err = pop_expect(t)) return err;
      tables_written_.push_back(instr_.index);
      return pop_expect(ValType::I32);
    }
    case Opcode::MemorySize:
    case Opcode::MemoryGrow: {
      if (Error err = check_memory(instr_.index)) return err;
      const ValType at = m_.address_type(instr_.index);
      if (op == Opcode::MemorySize) return simple({{}, 0, at});
      return simple({{at}, 1, at});
    }
    case Opcode::RefNull:
      push(instr_.ref_type);
      return Error::success();
    case Opcode::RefIsNull: {
      auto t = pop();
      if (!t) return t.takeError();
      if (*t != kUnknownType && !is_ref(*t)) {
        return mismatch("expected a reference but got " + type_name(*t));
      }
      push(ValType::I32);
      return Error::success();
    }
    case Opcode::RefFunc:
      if (instr_.index >= m_.total_funcs()) return fail("unknown function " + std::to_string(instr_.index));
      if (!ctx_.declared_refs.count(instr_.index)) return fail("undeclared function reference");
      return by_opcode();
    case Opcode::MemoryInit:
      if (Error err = check_memory(instr_.index2)) return err;
      if (!m_.data_count) return fail("data count section required");
      if (instr_.index >= *m_.data_count) return fail("unknown data segment " + std::to_string(instr_.index));
      return simple({{m_.address_type(instr_.index2), ValType::I32, ValType::I32}, 3, kNoType});
    case Opcode::DataDrop:
      if (!m_.data_count) return fail("data count section required");
      if (instr_.index >= *m_.data_count) return fail("unknown data segment " + std::to_string(instr_.index));
      return by_opcode();
    case Opcode::MemoryCopy: {
      if (Error err = check_memory(instr_.index)) return err;
      if (Error err = check_memory(instr_.index2)) return err;
      // memory64: the length is i64 only when both memories are 64-bit.
      const ValType dst = m_.address_type(instr_.index), src = m_.address_type(instr_.index2);
      const ValType len = dst == ValType::I64 && src == ValType::I64 ? ValType::I64 : ValType::I32;
      return simple({{dst, src, len}, 3, kNoType});
    }
    case Opcode::MemoryFill: {
      if (Error err = check_memory(instr_.index)) return err;
      const ValType at = m_.address_type(instr_.index);
      return simple({{at, ValType::I32, at}, 3, kNoType});
    }
    case Opcode::TableInit: {
      if (Error err = check_table(instr_.index2)) return err;
      if (instr_.index >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(instr_.index));
      if (m_.elems[instr_.index].elem_type != m_.table_type(instr_.index2).elem_type) {
        return mismatch("element segment and table types differ");
      }
      tables_written_.push_back(instr_.index2);
      return by_opcode();
    }
    case Opcode::ElemDrop:
      if (instr_.index >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(instr_.index));
      return by_opcode();
    case Opcode::TableCopy: {
      if (Error err = check_table(instr_.index)) return err;
      if (Error err = check_table(instr_.index2)) return err;
      if (m_.table_type(instr_.index).elem_type != m_.table_type(instr_.index2).elem_type) {
        return mismatch("source and destination tables have different types");
      }
      tables_written_.push_back(instr_.index);
      return by_opcode();
    }
    case Opcode::TableGrow: {
      if (Error err = check_table(instr_.index)) return err;
      tables_written_.push_back(instr_.index);
      const ValType t = m_.table_type(instr_.index).elem_type;
      return simple({{t, ValType::I32}, 2, ValType::I32});
    }
    case Opcode::TableSize:
      if (Error err = check_table(instr_.index)) return err;
      return by_opcode();
    case Opcode::TableFill: {
      if (Error err = check_table(instr_.index)) return err;
      tables_written_.push_back(instr_.index);
      const ValType t = m_.table_type(instr_.index).elem_type;
      return simple({{ValType::I32, t, ValType::I32}, 3, kNoType});
    }
    default:
      return by_opcode();
  }
}

// ---------------------------------------------------------------------------
// Module-level rules.

class ModuleValidator {
 public:
  ModuleValidator(Module& m, const Features& features) : module_(m), m_(m), ctx_{m, {}, features} {}
  Error run();

 private:
  Error limits(const Limits& l, uint64_t bound, const char* too_large, const std::string& what);
  /// A memory's limits, bounded by its address type; a shared memory needs a maximum.
  Error memory_type(const MemoryType& m, const std::string& what);
  Expected<ValType> const_instr_type(const Instr& in);
  Error const_expr(const ConstExpr& e, ValType expected);
  Error index(ExternKind kind, uint32_t index, const std::string& where);
  /// A tag's type: a function type without results.
  Error tag_type(uint32_t type_index, const std::string& what);
  void collect_declared_refs();

  Module& module_;  // gets features_used
  const Module& m_;
  Context ctx_;
};

// `what` names the table or memory, e.g. "memory 0".
Error ModuleValidator::limits(const Limits& l, uint64_t bound, const char* too_large,
                              const std::string& what) {
  if (l.min > bound || (l.max && *l.max > bound)) return make_error(what + ": " + too_large);
  if (l.max && l.min > *l.max) {
    return make_error(what + ": size minimum must not be greater than maximum");
  }
  return Error::success();
}

Error ModuleValidator::memory_type(const MemoryType& m, const std::string& what) {
  Error err = m.address64
                  ? limits(m.limits, kMaxMemory64Pages, "memory size must be at most 2^48 pages", what)
                  : limits(m.limits, kMaxMemoryPages, "memory size must be at most 65536 pages (4GiB)", what);
  if (err) return err;
  // Threads: a shared memory is reserved at its maximum and never moves.
  if (m.shared && !m.limits.max) return make_error(what + ": shared memory must have maximum");
  return Error::success();
}

// "unknown function 7" etc.; `where` says what referred to it.
Error ModuleValidator::index(ExternKind kind, uint32_t index, const std::string& where) {
  uint32_t total = 0;
  switch (kind) {
    case ExternKind::Func: total = m_.total_funcs(); break;
    case ExternKind::Table: total = m_.total_tables(); break;
    case ExternKind::Memory: total = m_.total_memories(); break;
    case ExternKind::Global: total = m_.total_globals(); break;
    case ExternKind::Tag: total = m_.total_tags(); break;
  }
  if (index >= total) {
    const char* what = kind == ExternKind::Func ? "function" : abi::extern_kind_name(kind);
    return make_error(where + ": unknown " + what + " " + std::to_string(index));
  }
  return Error::success();
}

Error ModuleValidator::tag_type(uint32_t type_index, const std::string& what) {
  if (type_index >= m_.types.size()) return make_error(what + ": unknown type " + std::to_string(type_index));
  if (!m_.types[type_index].results.empty()) return make_error(what + ": non-empty tag result type");
  return Error::success();
}

// WebAssembly 2.0: constant expressions may read only imported, immutable
// globals (extended-const keeps that rule).
Expected<ValType> ModuleValidator::const_instr_type(const Instr& in) {
  switch (in.op) {
    case Opcode::I32Const: return ValType::I32;
    case Opcode::I64Const: return ValType::I64;
    case Opcode::F32Const: return ValType::F32;
    case Opcode::F64Const: return ValType::F64;
    case Opcode::V128Const: return ValType::V128;
    case Opcode::RefNull: return in.ref_type;
    case Opcode::RefFunc:
      if (in.index >= m_.total_funcs()) {
        return error_at(in.offset, "unknown function " + std::to_string(in.index));
      }
      return ValType::FuncRef;
    case Opcode::GlobalGet: {
      if (in.index >= m_.imported_globals) {
        return error_at(in.offset, "unknown global " + std::to_string(in.index));
      }
      const GlobalType g = m_.global_type(in.index);
      if (g.is_mutable) return error_at(in.offset, "constant expression required");
      return g.type;
    }
    default:
      return error_at(in.offset, "constant expression required");
  }
}

Error ModuleValidator::const_expr(const ConstExpr& e, ValType expected) {
  std::vector<ValType> stack;
  auto mismatch = [&](uint32_t at, const std::string& what) {
    return error_at(at, "type mismatch: " + what);
  };
  for (size_t i = 0; i <= e.rest.size(); ++i) {
    const Instr& in = i == 0 ? e.instr : e.rest[i - 1];
    if (std::optional<ValType> t = extended_const_operand(in.op)) {
      if (stack.size() < 2) return mismatch(in.offset, "constant expression needs two operands");
      if (stack[stack.size() - 1] != *t || stack[stack.size() - 2] != *t)
        return mismatch(in.offset, std::string(opcode_info(in.op).name) + " expects " +
                                       abi::val_type_name(*t) + " operands");
      stack.pop_back();
      continue;
    }
    Expected<ValType> type = const_instr_type(in);
    if (!type) return type.takeError();
    stack.push_back(*type);
  }
  if (stack.size() != 1)
    return mismatch(e.instr.offset, "a constant expression must produce exactly one value");
  if (stack[0] != expected) {
    return mismatch(e.instr.offset, std::string("constant expression has type ") +
                                        abi::val_type_name(stack[0]) + ", expected " +
                                        abi::val_type_name(expected));
  }
  return Error::success();
}

// C.refs: functions named outside function bodies (exports, global
// initializers, element segments) may be used by ref.func.
void ModuleValidator::collect_declared_refs() {
  auto note = [&](const ConstExpr& e) {
    if (e.instr.op == Opcode::RefFunc) ctx_.declared_refs.insert(e.instr.index);
  };
  for (const Export& e : m_.exports) {
    if (e.kind == ExternKind::Func) ctx_.declared_refs.insert(e.index);
  }
  for (const Global& g : m_.globals) note(g.init);
  for (const ElemSegment& s : m_.elems) {
    note(s.offset);
    for (const ConstExpr& item : s.items) note(item);
  }
}

Error ModuleValidator::run() {
  static constexpr const char* kTableTooLarge = "table size must be at most 2^32-1";
  uint32_t table_index = 0, memory_index = 0;
  for (size_t i = 0; i < m_.imports.size(); ++i) {
    const Import& imp = m_.imports[i];
    const std::string what = "import " + std::to_string(i) + " (" + imp.module + "." + imp.name + ")";
    switch (imp.kind) {
      case ExternKind::Func:
        if (imp.type_index >= m_.types.size()) {
          return make_error(what + ": unknown type " + std::to_string(imp.type_index));
        }
        break;
      case ExternKind::Table:
        if (Error err = limits(imp.table.limits, UINT32_MAX, kTableTooLarge,
                               "table " + std::to_string(table_index++))) {
          return err;
        }
        break;
      case ExternKind::Memory:
        if (Error err = memory_type(imp.memory, "memory " + std::to_string(memory_index++))) return err;
        break;
      case ExternKind::Global:
        break;
      case ExternKind::Tag:
        if (Error err = tag_type(imp.type_index, what)) return err;
        break;
    }
  }
  for (size_t i = 0; i < m_.tags.size(); ++i) {
    if (Error err = tag_type(m_.tags[i], "tag " + std::to_string(m_.imported_tags + i))) return err;
  }
  for (size_t i = 0; i < m_.functions.size(); ++i) {
    if (m_.functions[i] >= m_.types.size()) {
      return make_error("function " + std::to_string(m_.imported_funcs + i) + ": unknown type " +
                        std::to_string(m_.functions[i]));
    }
  }
  for (const TableType& t : m_.tables) {
    if (Error err = limits(t.limits, UINT32_MAX, kTableTooLarge, "table " + std::to_string(table_index++))) {
      return err;
    }
  }
  for (const MemoryType& mem : m_.memories) {
    if (Error err = memory_type(mem, "memory " + std::to_string(memory_index++))) return err;
  }
  for (const Global& g : m_.globals) {
    if (Error err = const_expr(g.init, g.type.type)) return err;
  }
  std::set<std::string_view> export_names;
  for (const Export& e : m_.exports) {
    if (Error err = index(e.kind, e.index, "export \"" + e.name + "\"")) return err;
    if (!export_names.insert(e.name).second) return make_error("duplicate export name \"" + e.name + "\"");
  }
  if (m_.start) {
    if (Error err = index(ExternKind::Func, *m_.start, "start function")) return err;
    const FuncType& t = m_.func_type(*m_.start);
    if (!t.params.empty() || !t.results.empty()) {
      return make_error("start function " + std::to_string(*m_.start) +
                        " must take no parameters and return nothing");
    }
  }
  for (const ElemSegment& s : m_.elems) {
    if (s.mode == SegmentMode::Active) {
      if (s.table_index >= m_.total_tables()) {
        return error_at(s.offset.instr.offset, "unknown table " + std::to_string(s.table_index));
      }
      if (Error err = const_expr(s.offset, ValType::I32)) return err;
      if (m_.table_type(s.table_index).elem_type != s.elem_type) {
        return error_at(s.offset.instr.offset, "type mismatch: element segment does not match table type");
      }
    }
    for (const ConstExpr& item : s.items) {
      if (Error err = const_expr(item, s.elem_type)) return err;
    }
  }
  for (const DataSegment& d : m_.datas) {
    if (d.mode != SegmentMode::Active) continue;
    if (d.memory_index >= m_.total_memories()) {
      return error_at(d.offset.instr.offset, "unknown memory " + std::to_string(d.memory_index));
    }
    if (Error err = const_expr(d.offset, m_.address_type(d.memory_index))) return err;
  }

  collect_declared_refs();
  if (m_.bodies.size() != m_.functions.size()) {
    return make_error("function and code section have inconsistent lengths");
  }
  module_.tail_calls.assign(m_.bodies.size(), false);
  std::vector<bool> written(m_.total_tables(), false);
  for (size_t i = 0; i < m_.bodies.size(); ++i) {
    const uint32_t func_index = m_.imported_funcs + uint32_t(i);
    FunctionValidator fv(ctx_, func_index, m_.types[m_.functions[i]], m_.bodies[i]);
    if (Error err = fv.run()) return err;
    module_.features_used |= fv.features_used();
    module_.tail_calls[i] = (fv.features_used() & abi::feature_bit(Feature::TailCall)) != 0;
    for (uint32_t t : fv.tables_written()) written[t] = true;
  }
  module_.sealed_tables = find_sealed_tables(m_, written);
  return Error::success();
}

}  // namespace

Error validate_module(Module& module, const Features& features) {
  return ModuleValidator(module, features).run();
}

std::optional<ValType> extended_const_operand(Opcode op) {
  switch (op) {
    case Opcode::I32Add: case Opcode::I32Sub: case Opcode::I32Mul: return ValType::I32;
    case Opcode::I64Add: case Opcode::I64Sub: case Opcode::I64Mul: return ValType::I64;
    default: return std::nullopt;
  }
}

}  // namespace kiln::aotc
