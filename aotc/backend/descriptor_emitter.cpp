// The descriptor as LLVM constants. Struct types are spelled field by field
// after abi/descriptor.h, padding included, so the natural x86-64 layout of
// each LLVM struct equals the C++ one. Every reference is an ImageOffset,
// `target - kiln_descriptor`: the tables and strings live in the descriptor's
// section, so the assembler folds those differences to constants, and code
// references become PC-relative relocations that lld resolves (the code is
// hidden): nothing is left for the dynamic linker.
#include "aotc/backend/descriptor_emitter.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>

#include <cstring>

#include "abi/descriptor.h"
#include "abi/version.h"

namespace kiln::aotc {

namespace {

llvm::StructType* named_struct(llvm::LLVMContext& ctx, llvm::StringRef name,
                               llvm::ArrayRef<llvm::Type*> fields) {
  if (llvm::StructType* existing = llvm::StructType::getTypeByName(ctx, name)) return existing;
  return llvm::StructType::create(ctx, fields, name);
}

// Type of global `index` (imports first).
std::optional<GlobalType> global_type_of(const Module& module, uint32_t index) {
  uint32_t seen = 0;
  for (const Import& import : module.imports) {
    if (import.kind != ExternKind::Global) continue;
    if (seen++ == index) return import.global;
  }
  uint32_t defined = index - seen;
  if (index < seen || defined >= module.globals.size()) return std::nullopt;
  return module.globals[defined].type;
}

// A hidden label at the current end of .text.
std::string code_label_asm(const char* name) {
  return std::string(".text\n.globl ") + name + "\n.hidden " + name + "\n" + name + ":\n";
}

void put_le(uint8_t* out, uint64_t value, unsigned size) {
  for (unsigned i = 0; i < size; ++i) out[i] = uint8_t(value >> (8 * i));
}

class DescriptorBuilder {
 public:
  DescriptorBuilder(const DescriptorInputs& inputs, llvm::Module& out)
      : in_(inputs),
        wasm_(*inputs.module),
        out_(out),
        ctx_(out.getContext()),
        types_(abi_struct_types(ctx_)) {}

  Error build();

 private:
  llvm::Constant* u8(uint64_t v) { return llvm::ConstantInt::get(llvm::Type::getInt8Ty(ctx_), v); }
  llvm::Constant* u32(uint64_t v) {
    return llvm::ConstantInt::get(llvm::Type::getInt32Ty(ctx_), v);
  }
  llvm::Constant* u64(uint64_t v) {
    return llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx_), v);
  }
  // ImageOffset 0: no table, string or code.
  llvm::Constant* none() { return u64(0); }
  // The ImageOffset of `target` (a global or function of the image).
  llvm::Constant* offset_of(llvm::Constant* target) {
    llvm::Type* i64 = llvm::Type::getInt64Ty(ctx_);
    return llvm::ConstantExpr::getSub(llvm::ConstantExpr::getPtrToInt(target, i64),
                                      llvm::ConstantExpr::getPtrToInt(descriptor_, i64));
  }
  llvm::Constant* pad(unsigned n) {
    return llvm::ConstantAggregateZero::get(llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx_), n));
  }
  llvm::Constant* byte_array(llvm::ArrayRef<uint8_t> bytes) {
    return llvm::ConstantDataArray::get(ctx_, bytes);
  }
  // A private constant in the descriptor's section, after what is there;
  // returns its ImageOffset.
  llvm::Constant* private_global(llvm::Constant* init, const llvm::Twine& name, unsigned align) {
    auto* gv = new llvm::GlobalVariable(out_, init->getType(), /*isConstant=*/true,
                                        llvm::GlobalValue::PrivateLinkage, init, name);
    gv->setAlignment(llvm::Align(align));
    gv->setSection(abi::kDescriptorSection);
    return offset_of(gv);
  }
  // A private array of `elem`s; offset 0 when empty, so counts of 0 carry no data.
  llvm::Constant* array(llvm::Type* elem, llvm::ArrayRef<llvm::Constant*> elems,
                        const llvm::Twine& name) {
    if (elems.empty()) return none();
    auto* type = llvm::ArrayType::get(elem, elems.size());
    return private_global(llvm::ConstantArray::get(type, elems), name, 8);
  }
  llvm::Constant* string(llvm::StringRef text) {
    auto* init = llvm::ConstantDataArray::getString(ctx_, text, /*AddNull=*/true);
    return private_global(init, "kiln.str", 1);
  }
  Expected<llvm::Constant*> fixed_chars(llvm::StringRef text, unsigned size, const char* field) {
    if (text.size() >= size)
      return make_error(std::string("descriptor field ") + field + " is too long: '" + text.str() +
                        "'");
    std::vector<uint8_t> bytes(size, 0);
    std::memcpy(bytes.data(), text.data(), text.size());
    return byte_array(bytes);
  }
  // The ImageOffset of code symbol `name`.
  llvm::Constant* code_symbol(const std::string& name) {
    llvm::Function* fn = out_.getFunction(name);
    if (!fn) {
      auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), false);
      fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, out_);
      fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
      fn->setDSOLocal(true);
    }
    return offset_of(fn);
  }

  llvm::Constant* limits(const Limits& l, bool shared = false, bool address64 = false) {
    return llvm::ConstantStruct::get(types_.limits,
                                     {u64(l.min), u64(l.max.value_or(0)), u8(l.max.has_value()),
                                      u8(shared), u8(address64), pad(5)});
  }
  llvm::Constant* table_type(const TableType& t) {
    return llvm::ConstantStruct::get(types_.table_type,
                                     {u8(uint8_t(t.elem_type)), pad(7), limits(t.limits)});
  }
  llvm::Constant* memory_type(const MemoryType& m) {
    return llvm::ConstantStruct::get(types_.memory_type, {limits(m.limits, m.shared, m.address64)});
  }
  llvm::Constant* global_type(const GlobalType& g) {
    return llvm::ConstantStruct::get(types_.global_type,
                                     {u8(uint8_t(g.type)), u8(g.is_mutable), pad(6)});
  }
  // `bytes` is two little-endian u64s in the IR, so that a Sequence's first
  // one can hold an ImageOffset.
  llvm::Constant* const_expr(const abi::ConstExpr& e, llvm::Constant* sequence = nullptr) {
    uint64_t low = 0, high = 0;
    for (int i = 7; i >= 0; --i) {
      low = low << 8 | e.bytes[i];
      high = high << 8 | e.bytes[8 + i];
    }
    return llvm::ConstantStruct::get(
        types_.const_expr, {u8(uint8_t(e.kind)), u8(uint8_t(e.type)), pad(2), u32(e.index),
                            sequence ? sequence : u64(low), u64(high)});
  }
  Expected<llvm::Constant*> const_expr(const ConstExpr& e) {
    if (e.rest.empty()) {
      auto value = descriptor_const_expr(wasm_, e);
      if (!value) return value.takeError();
      return const_expr(*value);
    }
    // extended-const: the instructions in order, for the loader's stack.
    std::vector<llvm::Constant*> ops;
    ValType type = ValType::I32;
    for (size_t i = 0; i <= e.rest.size(); ++i) {
      auto op = descriptor_const_instr(wasm_, i == 0 ? e.instr : e.rest[i - 1]);
      if (!op) return op.takeError();
      ops.push_back(const_expr(*op));
      type = op->type;  // the last instruction produces the result
    }
    abi::ConstExpr head{};
    head.kind = abi::ConstKind::Sequence;
    head.type = type;
    head.index = uint32_t(ops.size());
    return const_expr(head, array(types_.const_expr, ops, "kiln.const.sequence"));
  }
  llvm::Constant* val_types(const std::vector<ValType>& list, const llvm::Twine& name) {
    if (list.empty()) return none();
    std::vector<uint8_t> bytes;
    for (ValType t : list) bytes.push_back(uint8_t(t));
    return private_global(byte_array(bytes), name, 1);
  }

  llvm::Constant* types();
  llvm::Constant* imports();
  llvm::Constant* tags();
  llvm::Constant* exports();
  llvm::Constant* functions();
  llvm::Constant* tables();
  llvm::Constant* memories();
  Expected<llvm::Constant*> globals();
  Expected<llvm::Constant*> data();
  Expected<llvm::Constant*> elems();
  llvm::Constant* traps();
  llvm::Constant* code_pointers(std::string (*symbol)(uint32_t), const char* name);

  const DescriptorInputs& in_;
  const Module& wasm_;
  llvm::Module& out_;
  llvm::LLVMContext& ctx_;
  AbiStructTypes types_;
  llvm::GlobalVariable* descriptor_ = nullptr;  // created first: first in its section
};

llvm::Constant* DescriptorBuilder::types() {
  std::vector<llvm::Constant*> elems;
  for (size_t i = 0; i < wasm_.types.size(); ++i) {
    const FuncType& t = wasm_.types[i];
    elems.push_back(llvm::ConstantStruct::get(
        types_.func_type,
        {u32(t.params.size()), u32(t.results.size()), val_types(t.params, "kiln.params"),
         val_types(t.results, "kiln.results")}));
  }
  return array(types_.func_type, elems, "kiln.types");
}

llvm::Constant* DescriptorBuilder::imports() {
  std::vector<llvm::Constant*> elems;
  for (const Import& i : wasm_.imports) {
    elems.push_back(llvm::ConstantStruct::get(
        types_.import,
        {string(i.module), string(i.name), u8(uint8_t(i.kind)), pad(3), u32(i.type_index),
         table_type(i.table), memory_type(i.memory), global_type(i.global),
         u32(i.module.size()), u32(i.name.size())}));
  }
  return array(types_.import, elems, "kiln.imports");
}

llvm::Constant* DescriptorBuilder::tags() {
  std::vector<llvm::Constant*> elems;
  for (uint32_t type_index : wasm_.tags) elems.push_back(u32(type_index));
  return array(llvm::Type::getInt32Ty(out_.getContext()), elems, "kiln.tags");
}

llvm::Constant* DescriptorBuilder::exports() {
  std::vector<llvm::Constant*> elems;
  for (const Export& e : wasm_.exports) {
    elems.push_back(llvm::ConstantStruct::get(
        types_.export_,
        {string(e.name), u8(uint8_t(e.kind)), pad(3), u32(e.index), u32(e.name.size()), pad(4)}));
  }
  return array(types_.export_, elems, "kiln.exports");
}

llvm::Constant* DescriptorBuilder::functions() {
  std::vector<llvm::Constant*> elems;
  // A function with return_call* has its swifttailcc body at kiln_f<N>,
  // behind an entry (ModuleContext::tail_body).
  for (uint32_t i = 0; i < wasm_.functions.size(); ++i) {
    size_t func_index = size_t(wasm_.imported_funcs) + i;
    llvm::Constant* name = none();
    if (func_index < wasm_.function_names.size() && !wasm_.function_names[func_index].empty())
      name = string(wasm_.function_names[func_index]);
    elems.push_back(llvm::ConstantStruct::get(
        types_.function, {u32(wasm_.functions[i]), u32(in_.code->function_sizes[i]),
                          code_symbol(function_symbol(i)), name,
                          wasm_.tail_calls_in(i) ? code_symbol(entry_symbol(i)) : none()}));
  }
  return array(types_.function, elems, "kiln.functions");
}

llvm::Constant* DescriptorBuilder::tables() {
  std::vector<llvm::Constant*> elems;
  for (const TableType& t : wasm_.tables) elems.push_back(table_type(t));
  return array(types_.table_type, elems, "kiln.tables");
}

llvm::Constant* DescriptorBuilder::memories() {
  std::vector<llvm::Constant*> elems;
  for (const MemoryType& m : wasm_.memories) elems.push_back(memory_type(m));
  return array(types_.memory_type, elems, "kiln.memories");
}

Expected<llvm::Constant*> DescriptorBuilder::globals() {
  std::vector<llvm::Constant*> elems;
  for (const Global& g : wasm_.globals) {
    auto init = const_expr(g.init);
    if (!init) return init.takeError();
    elems.push_back(llvm::ConstantStruct::get(types_.global, {global_type(g.type), *init}));
  }
  return array(types_.global, elems, "kiln.globals");
}

Expected<llvm::Constant*> DescriptorBuilder::data() {
  std::vector<llvm::Constant*> elems;
  for (const DataSegment& d : wasm_.datas) {
    llvm::Constant* offset = const_expr(abi::ConstExpr{});
    if (d.mode == SegmentMode::Active) {
      auto value = const_expr(d.offset);
      if (!value) return value.takeError();
      offset = *value;
    }
    llvm::Constant* bytes =
        d.bytes.empty()
            ? none()
            : private_global(byte_array({d.bytes.data(), d.bytes.size()}), "kiln.data.bytes", 1);
    elems.push_back(llvm::ConstantStruct::get(
        types_.data_segment,
        {u8(uint8_t(d.mode)), pad(3), u32(d.memory_index), offset, bytes, u64(d.bytes.size())}));
  }
  return array(types_.data_segment, elems, "kiln.data");
}

Expected<llvm::Constant*> DescriptorBuilder::elems() {
  std::vector<llvm::Constant*> elems;
  for (const ElemSegment& e : wasm_.elems) {
    llvm::Constant* offset = const_expr(abi::ConstExpr{});
    if (e.mode == SegmentMode::Active) {
      auto value = const_expr(e.offset);
      if (!value) return value.takeError();
      offset = *value;
    }
    std::vector<llvm::Constant*> items;
    for (const ConstExpr& item : e.items) {
      auto value = const_expr(item);
      if (!value) return value.takeError();
      items.push_back(*value);
    }
    elems.push_back(llvm::ConstantStruct::get(
        types_.elem_segment,
        {u8(uint8_t(e.mode)), u8(uint8_t(e.elem_type)), pad(2), u32(e.table_index), offset,
         array(types_.const_expr, items, "kiln.elem.items"), u64(items.size())}));
  }
  return array(types_.elem_segment, elems, "kiln.elems");
}

llvm::Constant* DescriptorBuilder::traps() {
  std::vector<llvm::Constant*> elems;
  for (const abi::TrapSite& t : in_.code->traps) {
    elems.push_back(llvm::ConstantStruct::get(
        types_.trap_site, {u32(t.func_index), u32(t.offset), u8(t.code), pad(3)}));
  }
  return array(types_.trap_site, elems, "kiln.traps");
}

llvm::Constant* DescriptorBuilder::code_pointers(std::string (*symbol)(uint32_t),
                                                 const char* name) {
  std::vector<llvm::Constant*> elems;
  for (uint32_t t = 0; t < wasm_.types.size(); ++t) elems.push_back(code_symbol(symbol(t)));
  return array(llvm::Type::getInt64Ty(ctx_), elems, name);
}

Error DescriptorBuilder::build() {
  if (in_.code->function_sizes.size() != wasm_.functions.size())
    return make_error("internal error: code sizes do not match the module's functions");
  // Read-only: it holds no pointers. Its initializer comes last, once the
  // tables it refers to exist (each placed after it in the section).
  descriptor_ =
      new llvm::GlobalVariable(out_, types_.descriptor, /*isConstant=*/true,
                               llvm::GlobalValue::ExternalLinkage, nullptr, abi::kDescriptorSymbol);
  descriptor_->setSection(abi::kDescriptorSection);
  descriptor_->setAlignment(llvm::Align(16));
  descriptor_->setVisibility(llvm::GlobalValue::DefaultVisibility);
  // Bound locally (nothing may interpose it): with that, LLVM knows the
  // differences from it need no dynamic relocation, and keeps the section
  // read-only.
  descriptor_->setDSOLocal(true);

  auto compiler_version = fixed_chars(abi::kCompilerVersion, 32, "compiler_version");
  if (!compiler_version) return compiler_version.takeError();
  auto triple = fixed_chars(out_.getTargetTriple(), 64, "target_triple");
  if (!triple) return triple.takeError();
  auto cpu_name = fixed_chars(in_.cpu_name, 32, "cpu_name");
  if (!cpu_name) return cpu_name.takeError();
  auto cpu_features = fixed_chars(in_.cpu_features, 512, "cpu_features");
  if (!cpu_features) return cpu_features.takeError();
  auto global_list = globals();
  if (!global_list) return global_list.takeError();
  auto data_list = data();
  if (!data_list) return data_list.takeError();
  auto elem_list = elems();
  if (!elem_list) return elem_list.takeError();

  std::vector<llvm::Constant*> fields = {
      u32(abi::kDescriptorMagic),
      u32(abi::kAbiVersion),
      u32(sizeof(abi::Descriptor)),
      u8(uint8_t(in_.codegen.bounds_check)),
      u8(in_.codegen.interruptible ? 1 : 0),
      u8(in_.opt_level),
      pad(1),
      *compiler_version,
      *triple,
      *cpu_name,
      *cpu_features,
      byte_array(in_.module_hash),
      pad(16),  // artifact_hash: patched into the linked file (see artifact_hash.h)
      u32(wasm_.features_used),
      pad(12),  // pad_hash
      u32(wasm_.types.size()),
      u32(wasm_.imports.size()),
      u32(wasm_.exports.size()),
      u32(wasm_.functions.size()),
      u32(wasm_.tables.size()),
      u32(wasm_.memories.size()),
      u32(wasm_.globals.size()),
      u32(wasm_.datas.size()),
      u32(wasm_.elems.size()),
      u32(in_.code->traps.size()),
      u32(wasm_.start.value_or(UINT32_MAX)),
      u32(wasm_.tags.size()),
      types(),
      imports(),
      exports(),
      functions(),
      tables(),
      memories(),
      *global_list,
      *data_list,
      *elem_list,
      traps(),
      code_pointers(entry_trampoline_symbol, "kiln.entry_trampolines"),
      code_pointers(host_adapter_symbol, "kiln.host_adapters"),
      code_symbol(abi::kCodeBeginSymbol),
      code_symbol(abi::kCodeEndSymbol),
  };
  llvm::Constant* tag_list = tags();
  // The section's last byte is 0, so that no string in it runs past its end;
  // it is created last, so it is last.
  llvm::Constant* last_byte = private_global(u8(0), "kiln.end", 1);
  fields.push_back(llvm::ConstantExpr::getAdd(last_byte, u64(1)));  // data_size
  fields.push_back(tag_list);
  descriptor_->setInitializer(llvm::ConstantStruct::get(types_.descriptor, fields));
  // The end of the code: this object is linked after every code object and
  // adds no code of its own (see code_begin_module for the start).
  out_.appendModuleInlineAsm(code_label_asm(abi::kCodeEndSymbol));
  return Error::success();
}

}  // namespace

AbiStructTypes abi_struct_types(llvm::LLVMContext& ctx) {
  llvm::Type* i8 = llvm::Type::getInt8Ty(ctx);
  llvm::Type* i32 = llvm::Type::getInt32Ty(ctx);
  llvm::Type* i64 = llvm::Type::getInt64Ty(ctx);
  llvm::Type* offset = i64;  // abi::ImageOffset
  auto bytes = [&](unsigned n) { return llvm::ArrayType::get(i8, n); };

  AbiStructTypes t;
  t.limits = named_struct(ctx, "kiln.Limits", {i64, i64, i8, i8, i8, bytes(5)});
  t.const_expr = named_struct(ctx, "kiln.ConstExpr", {i8, i8, bytes(2), i32, i64, i64});
  t.func_type = named_struct(ctx, "kiln.FuncType", {i32, i32, offset, offset});
  t.table_type = named_struct(ctx, "kiln.TableType", {i8, bytes(7), t.limits});
  t.memory_type = named_struct(ctx, "kiln.MemoryType", {t.limits});
  t.global_type = named_struct(ctx, "kiln.GlobalType", {i8, i8, bytes(6)});
  t.import =
      named_struct(ctx, "kiln.Import",
                   {offset, offset, i8, bytes(3), i32, t.table_type, t.memory_type, t.global_type,
                    i32, i32});
  t.export_ = named_struct(ctx, "kiln.Export", {offset, i8, bytes(3), i32, i32, bytes(4)});
  t.function = named_struct(ctx, "kiln.Function", {i32, i32, offset, offset, offset});
  t.global = named_struct(ctx, "kiln.Global", {t.global_type, t.const_expr});
  t.data_segment =
      named_struct(ctx, "kiln.DataSegment", {i8, bytes(3), i32, t.const_expr, offset, i64});
  t.elem_segment =
      named_struct(ctx, "kiln.ElemSegment", {i8, i8, bytes(2), i32, t.const_expr, offset, i64});
  t.trap_site = named_struct(ctx, "kiln.TrapSite", {i32, i32, i8, bytes(3)});
  std::vector<llvm::Type*> header = {
      i32,       i32,       i32,        i8,        i8,       i8,        bytes(1),
      bytes(32), bytes(64), bytes(32), bytes(512), bytes(32), bytes(16), i32, bytes(12)};
  for (int i = 0; i < 12; ++i) header.push_back(i32);  // counts, start_function, tag_count
  for (int i = 0; i < 14; ++i) header.push_back(offset);  // types .. code_end
  header.push_back(i64);                                   // data_size
  header.push_back(offset);                                // tags
  t.descriptor = named_struct(ctx, "kiln.Descriptor", header);
  return t;
}

Expected<abi::ConstExpr> descriptor_const_instr(const Module& module, const Instr& in) {
  abi::ConstExpr out{};
  auto arithmetic = [&](abi::ConstKind kind, ValType type) {
    out.kind = kind;
    out.type = type;
    return out;
  };
  auto numeric = [&](abi::ConstKind kind, ValType type, unsigned size) {
    out.kind = kind;
    out.type = type;
    put_le(out.bytes, in.bits, size);
    return out;
  };
  switch (in.op) {
    case Opcode::I32Const: return numeric(abi::ConstKind::I32, ValType::I32, 4);
    case Opcode::I64Const: return numeric(abi::ConstKind::I64, ValType::I64, 8);
    case Opcode::F32Const: return numeric(abi::ConstKind::F32, ValType::F32, 4);
    case Opcode::F64Const: return numeric(abi::ConstKind::F64, ValType::F64, 8);
    case Opcode::GlobalGet: {
      std::optional<GlobalType> type = global_type_of(module, in.index);
      if (!type)
        return error_at(in.offset,
                        "constant expression reads unknown global " + std::to_string(in.index));
      out.kind = abi::ConstKind::GlobalGet;
      out.type = type->type;
      out.index = in.index;
      return out;
    }
    case Opcode::RefNull:
      out.kind = abi::ConstKind::RefNull;
      out.type = in.ref_type;
      return out;
    case Opcode::RefFunc:
      out.kind = abi::ConstKind::RefFunc;
      out.type = ValType::FuncRef;
      out.index = in.index;
      return out;
    case Opcode::V128Const:
      out.kind = abi::ConstKind::V128;
      out.type = ValType::V128;
      std::memcpy(out.bytes, in.v128, 16);
      return out;
    case Opcode::I32Add: return arithmetic(abi::ConstKind::I32Add, ValType::I32);
    case Opcode::I32Sub: return arithmetic(abi::ConstKind::I32Sub, ValType::I32);
    case Opcode::I32Mul: return arithmetic(abi::ConstKind::I32Mul, ValType::I32);
    case Opcode::I64Add: return arithmetic(abi::ConstKind::I64Add, ValType::I64);
    case Opcode::I64Sub: return arithmetic(abi::ConstKind::I64Sub, ValType::I64);
    case Opcode::I64Mul: return arithmetic(abi::ConstKind::I64Mul, ValType::I64);
    default: break;
  }
  return error_at(in.offset, "unsupported instruction in a constant expression");
}

Expected<abi::ConstExpr> descriptor_const_expr(const Module& module, const ConstExpr& expr) {
  auto out = descriptor_const_instr(module, expr.instr);
  if (out && (!expr.rest.empty() || abi::is_const_arithmetic(out->kind)))
    return error_at(expr.instr.offset, "unsupported instruction in a constant expression "
                                       "(a single one expected)");
  return out;
}

void emit_code_begin_module(llvm::Module& out) {
  out.appendModuleInlineAsm(code_label_asm(abi::kCodeBeginSymbol));
}

Error emit_descriptor_module(const DescriptorInputs& inputs, llvm::Module& out) {
  if (!inputs.module || !inputs.code)
    return make_error("internal error: descriptor inputs missing");
  return DescriptorBuilder(inputs, out).build();
}

}  // namespace kiln::aotc
