// The backend and the compile pipeline: descriptor layout, artifacts loaded
// with dlopen and read through the C++ abi structs, linker behaviour, and
// end-to-end compiles of text modules.
#include <dlfcn.h>
#include <fcntl.h>
#include <doctest/doctest.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/SourceMgr.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "abi/cpu_features_aarch64.h"
#include "abi/cpu_features_x86_64.h"
#include "abi/descriptor.h"
#include "abi/trap_codes.h"
#include "abi/version.h"
#include "aotc/backend/artifact_builder.h"
#include "aotc/backend/atomic_file.h"
#include "aotc/backend/compiler.h"
#include "aotc/backend/descriptor_emitter.h"
#include "aotc/backend/linker.h"
#include "aotc/backend/partitioned_build.h"
#include "aotc/backend/target.h"
#include "aotc/wasm/module.h"

using namespace kiln;
using namespace kiln::aotc;

namespace {

// A scratch directory removed at the end of a test.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    char pattern[] = "/tmp/kiln-test-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    path = pattern;
  }
  ~ScratchDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  REQUIRE(out.good());
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// dlopen of an artifact, closed at scope exit.
struct Loaded {
  void* handle = nullptr;
  const abi::Descriptor* descriptor = nullptr;
  explicit Loaded(const std::string& path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    REQUIRE_MESSAGE(handle != nullptr, dlerror());
    descriptor = static_cast<const abi::Descriptor*>(dlsym(handle, abi::kDescriptorSymbol));
    REQUIRE(descriptor != nullptr);
  }
  ~Loaded() {
    if (handle) dlclose(handle);
  }
};

// ---- layout of the LLVM struct types against the C++ structs ----

void check_struct(const llvm::DataLayout& layout, llvm::StructType* type, size_t size, size_t align,
                  std::vector<size_t> offsets) {
  INFO("struct " << type->getName().str());
  const llvm::StructLayout* sl = layout.getStructLayout(type);
  CHECK(sl->getSizeInBytes() == size);
  CHECK(layout.getABITypeAlign(type).value() <= align);
  REQUIRE(type->getNumElements() == offsets.size());
  for (unsigned i = 0; i < offsets.size(); ++i) {
    INFO("field " << i);
    CHECK(sl->getElementOffset(i) == offsets[i]);
  }
}

#define OFF(T, f) offsetof(abi::T, f)

// ---- a hand-written module: 1 imported function, 1 imported global, two
// defined functions, with everything the descriptor can describe ----

// Types: t0 = [i32] -> [i32], t1 = [] -> [].
const char* kHandIR = R"(
declare void @llvm.ubsantrap(i8)

define hidden i32 @kiln_f0(ptr %vm, ptr %caller, i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

define hidden void @kiln_f1(ptr %vm, ptr %caller) {
  call void @llvm.ubsantrap(i8 1)
  unreachable
}

define hidden void @kiln_entry_t0(ptr %code, ptr %callee, ptr %caller, ptr %slots) {
  %a = load i32, ptr %slots
  %r = call i32 %code(ptr %callee, ptr %caller, i32 %a)
  store i32 %r, ptr %slots
  ret void
}

define hidden void @kiln_entry_t1(ptr %code, ptr %callee, ptr %caller, ptr %slots) {
  call void %code(ptr %callee, ptr %caller)
  ret void
}

define hidden i32 @kiln_host_t0(ptr %host, ptr %caller, i32 %x) {
  %slots = alloca [1 x <16 x i8>], align 16
  store i32 %x, ptr %slots
  %cb = load ptr, ptr %host
  call void %cb(ptr %host, ptr %caller, ptr %slots)
  %r = load i32, ptr %slots
  ret i32 %r
}

define hidden void @kiln_host_t1(ptr %host, ptr %caller) {
  %slots = alloca [1 x <16 x i8>], align 16
  %cb = load ptr, ptr %host
  call void %cb(ptr %host, ptr %caller, ptr %slots)
  ret void
}
)";

ConstExpr const_i32(int32_t v) {
  ConstExpr e;
  e.instr.op = Opcode::I32Const;
  e.instr.bits = uint64_t(int64_t(v));
  return e;
}

ConstExpr const_op(Opcode op, uint32_t index = 0, uint64_t bits = 0) {
  ConstExpr e;
  e.instr.op = op;
  e.instr.index = index;
  e.instr.bits = bits;
  return e;
}

Module hand_module() {
  Module m;
  m.bytes = {0x00, 'a', 's', 'm', 1, 0, 0, 0, 0xAB, 0xCD};
  m.types = {FuncType{{ValType::I32}, {ValType::I32}}, FuncType{{}, {}}};
  Import f;
  f.module = "env";
  f.name = "f";
  f.kind = ExternKind::Func;
  f.type_index = 0;
  Import g;
  g.module = "env";
  g.name = "g";
  g.kind = ExternKind::Global;
  g.global = GlobalType{ValType::I64, false};
  m.imports = {f, g};
  m.imported_funcs = 1;
  m.imported_globals = 1;
  m.functions = {0, 1};
  m.tables = {TableType{ValType::FuncRef, Limits{2, std::nullopt}}};
  m.memories = {MemoryType{Limits{1, 3}}};
  m.globals = {Global{GlobalType{ValType::I32, true}, const_i32(-5)},
               Global{GlobalType{ValType::I64, false}, const_op(Opcode::GlobalGet, 0)},
               Global{GlobalType{ValType::F64, false},
                      const_op(Opcode::F64Const, 0, 0x4000000000000000ull)}};
  m.exports = {Export{"add", ExternKind::Func, 1}, Export{"mem", ExternKind::Memory, 0}};
  m.start = 2;
  ElemSegment elem;
  elem.mode = SegmentMode::Active;
  elem.offset = const_i32(1);
  elem.items = {const_op(Opcode::RefFunc, 1), const_op(Opcode::RefNull)};
  elem.items[1].instr.ref_type = ValType::FuncRef;
  ElemSegment passive;
  passive.mode = SegmentMode::Passive;
  m.elems = {elem, passive};
  DataSegment data;
  data.offset = const_i32(16);
  data.bytes = std::span<const uint8_t>(m.bytes).subspan(8, 2);
  DataSegment empty;
  empty.mode = SegmentMode::Passive;
  m.datas = {data, empty};
  m.function_names = {"imported", "add", ""};
  return m;
}

Expected<std::vector<uint8_t>> build_hand(const Module& m, const CompileOptions& options,
                                          const char* ir = kHandIR) {
  auto target = create_target(options.cpu, options.opt_level);
  if (!target) return target.takeError();
  llvm::LLVMContext context;
  llvm::SMDiagnostic diag;
  auto parsed = llvm::parseAssemblyString(ir, diag, context);
  if (!parsed) return make_error("bad test IR: " + diag.getMessage().str());
  parsed->setTargetTriple(kTargetTriple);
  parsed->setDataLayout(target->machine->createDataLayout());
  return build_output(m, *parsed, *target, options);
}

int host_calls = 0;
void double_it(abi::VMHostContext*, abi::VMContext*, abi::ValSlot* slots) {
  ++host_calls;
  int32_t v;
  std::memcpy(&v, slots[0].bytes, 4);
  v *= 2;
  std::memcpy(slots[0].bytes, &v, 4);
}

// ELF facts about an artifact, read with llvm::object (as readelf would).
struct ElfFacts {
  std::vector<std::string> needed;
  std::set<std::string> defined_dynamic_symbols;
  bool has_descriptor_section = false;
  uint64_t descriptor_section_size = 0;
  bool descriptor_section_writable = false;
  bool has_symtab = false;
  std::set<std::string> local_functions;  // .symtab's STT_FUNC locals
  uint64_t dynamic_relocations = 0;
  unsigned writable_segments = 0;
  bool bind_now = false;
  bool textrel = false;
};

ElfFacts elf_facts(const std::vector<uint8_t>& bytes) {
  ElfFacts facts;
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "a.so");
  auto file = llvm::object::ObjectFile::createELFObjectFile(buffer);
  REQUIRE(bool(file));
  auto* elf = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(file->get());
  REQUIRE(elf != nullptr);
  CHECK(elf->getELFFile().getHeader().e_type == llvm::ELF::ET_DYN);
  for (const auto& symbol : elf->getDynamicSymbolIterators()) {
    auto flags = llvm::cantFail(symbol.getFlags());
    if (flags & llvm::object::SymbolRef::SF_Undefined) continue;
    facts.defined_dynamic_symbols.insert(llvm::cantFail(symbol.getName()).str());
  }
  for (const auto& section : elf->sections()) {
    if (llvm::cantFail(section.getName()) == abi::kDescriptorSection) {
      facts.has_descriptor_section = true;
      facts.descriptor_section_size = section.getSize();
      facts.descriptor_section_writable =
          (llvm::object::ELFSectionRef(section).getFlags() & llvm::ELF::SHF_WRITE) != 0;
    }
  }
  for (const auto& segment : llvm::cantFail(elf->getELFFile().program_headers()))
    if (segment.p_type == llvm::ELF::PT_LOAD && (segment.p_flags & llvm::ELF::PF_W)) ++facts.writable_segments;
  for (const llvm::object::ELFSymbolRef symbol : elf->symbols())
    if (symbol.getELFType() == llvm::ELF::STT_FUNC && symbol.getBinding() == llvm::ELF::STB_LOCAL)
      facts.local_functions.insert(llvm::cantFail(symbol.getName()).str());
  for (const auto& header : llvm::cantFail(elf->getELFFile().sections())) {
    if (header.sh_type == llvm::ELF::SHT_SYMTAB) facts.has_symtab = true;
    if (header.sh_type == llvm::ELF::SHT_RELA || header.sh_type == llvm::ELF::SHT_REL)
      facts.dynamic_relocations += header.sh_entsize ? header.sh_size / header.sh_entsize : 0;
  }
  auto dynamic = llvm::cantFail(elf->getELFFile().dynamicEntries());
  for (const auto& entry : dynamic) {
    if (entry.getTag() == llvm::ELF::DT_NEEDED)
      facts.needed.push_back(std::to_string(entry.getVal()));
    if (entry.getTag() == llvm::ELF::DT_FLAGS && (entry.getVal() & llvm::ELF::DF_BIND_NOW))
      facts.bind_now = true;
    if (entry.getTag() == llvm::ELF::DT_FLAGS && (entry.getVal() & llvm::ELF::DF_TEXTREL))
      facts.textrel = true;
    if (entry.getTag() == llvm::ELF::DT_TEXTREL) facts.textrel = true;
  }
  return facts;
}

// The fixed header as the loader reads it: from the file, before dlopen.
abi::Descriptor descriptor_header(const std::vector<uint8_t>& bytes) {
  abi::Descriptor header{};
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "a.so");
  auto file = llvm::object::ObjectFile::createELFObjectFile(buffer);
  REQUIRE(bool(file));
  for (const auto& section : (*file)->sections()) {
    if (llvm::cantFail(section.getName()) != abi::kDescriptorSection) continue;
    llvm::StringRef contents = llvm::cantFail(section.getContents());
    REQUIRE(contents.size() >= abi::kDescriptorHeaderSize);
    std::memcpy(&header, contents.data(), abi::kDescriptorHeaderSize);
  }
  return header;
}

// Calls `code` (of type `type_index`) through that type's entry trampoline:
// generated code uses the wasm calling convention (callee vmctx in r13),
// which C++ cannot call directly.
template <class R, class... A>
R call_wasm(const abi::Descriptor& d, const void* code, uint32_t type_index, void* callee_vmctx,
            void* caller_vmctx, A... args) {
  abi::ValSlot slots[sizeof...(A) > 0 ? sizeof...(A) : 1] = {};
  size_t i = 0;
  ((std::memcpy(slots[i++].bytes, &args, sizeof(A))), ...);
  d.entry_trampoline(type_index)(const_cast<void*>(code), static_cast<abi::VMContext*>(callee_vmctx),
                                 static_cast<abi::VMContext*>(caller_vmctx), slots);
  R result;
  std::memcpy(&result, slots[0].bytes, sizeof(R));
  return result;
}

// Defined function `index` of `d`, called through its entry trampoline with
// `ctx` as both vmctx arguments.
template <class R, class... A>
R call_function(const abi::Descriptor& d, uint32_t index, abi::VMContext* ctx, A... args) {
  const abi::Function& f = d.at<abi::Function>(d.functions)[index];
  return call_wasm<R>(d, d.code_at(f.code), f.type_index, ctx, ctx, args...);
}

}  // namespace

TEST_CASE("descriptor struct types have the abi structs' layout") {
  auto target = create_target(kDefaultCpu, 2);
  REQUIRE(bool(target));
  llvm::LLVMContext context;
  llvm::DataLayout layout = target->machine->createDataLayout();
  AbiStructTypes t = abi_struct_types(context);
  check_struct(layout, t.limits, sizeof(abi::Limits), alignof(abi::Limits),
               {OFF(Limits, min), OFF(Limits, max), OFF(Limits, has_max), OFF(Limits, shared), OFF(Limits, address64),
                OFF(Limits, pad)});
  check_struct(layout, t.const_expr, sizeof(abi::ConstExpr), alignof(abi::ConstExpr),
               {OFF(ConstExpr, kind), OFF(ConstExpr, type), OFF(ConstExpr, pad),
                OFF(ConstExpr, index), OFF(ConstExpr, bytes), OFF(ConstExpr, bytes) + 8});
  check_struct(layout, t.func_type, sizeof(abi::FuncType), alignof(abi::FuncType),
               {OFF(FuncType, param_count), OFF(FuncType, result_count), OFF(FuncType, params),
                OFF(FuncType, results)});
  check_struct(layout, t.table_type, sizeof(abi::TableType), alignof(abi::TableType),
               {OFF(TableType, elem_type), OFF(TableType, pad), OFF(TableType, limits)});
  check_struct(layout, t.memory_type, sizeof(abi::MemoryType), alignof(abi::MemoryType),
               {OFF(MemoryType, limits)});
  check_struct(layout, t.global_type, sizeof(abi::GlobalType), alignof(abi::GlobalType),
               {OFF(GlobalType, type), OFF(GlobalType, mutable_), OFF(GlobalType, pad)});
  check_struct(
      layout, t.import, sizeof(abi::Import), alignof(abi::Import),
      {OFF(Import, module), OFF(Import, name), OFF(Import, kind), OFF(Import, pad),
       OFF(Import, type_index), OFF(Import, table), OFF(Import, memory), OFF(Import, global),
       OFF(Import, module_length), OFF(Import, name_length)});
  check_struct(layout, t.export_, sizeof(abi::Export), alignof(abi::Export),
               {OFF(Export, name), OFF(Export, kind), OFF(Export, pad), OFF(Export, index),
                OFF(Export, name_length), OFF(Export, pad1)});
  check_struct(layout, t.function, sizeof(abi::Function), alignof(abi::Function),
               {OFF(Function, type_index), OFF(Function, code_size), OFF(Function, code),
                OFF(Function, name), OFF(Function, entry)});
  check_struct(layout, t.global, sizeof(abi::Global), alignof(abi::Global),
               {OFF(Global, type), OFF(Global, init)});
  check_struct(layout, t.data_segment, sizeof(abi::DataSegment), alignof(abi::DataSegment),
               {OFF(DataSegment, mode), OFF(DataSegment, pad), OFF(DataSegment, memory_index),
                OFF(DataSegment, offset), OFF(DataSegment, bytes), OFF(DataSegment, size)});
  check_struct(layout, t.elem_segment, sizeof(abi::ElemSegment), alignof(abi::ElemSegment),
               {OFF(ElemSegment, mode), OFF(ElemSegment, elem_type), OFF(ElemSegment, pad),
                OFF(ElemSegment, table_index), OFF(ElemSegment, offset), OFF(ElemSegment, items),
                OFF(ElemSegment, count)});
  check_struct(
      layout, t.trap_site, sizeof(abi::TrapSite), alignof(abi::TrapSite),
      {OFF(TrapSite, func_index), OFF(TrapSite, offset), OFF(TrapSite, code), OFF(TrapSite, pad)});
  check_struct(layout, t.descriptor, sizeof(abi::Descriptor), alignof(abi::Descriptor),
               {OFF(Descriptor, magic),
                OFF(Descriptor, abi_version),
                OFF(Descriptor, descriptor_size),
                OFF(Descriptor, bounds_check),
                OFF(Descriptor, interruptible),
                OFF(Descriptor, opt_level),
                OFF(Descriptor, pad0),
                OFF(Descriptor, compiler_version),
                OFF(Descriptor, target_triple),
                OFF(Descriptor, cpu_name),
                OFF(Descriptor, cpu_features),
                OFF(Descriptor, module_hash),
                OFF(Descriptor, artifact_hash),
                OFF(Descriptor, features),
                OFF(Descriptor, pad_hash),
                OFF(Descriptor, type_count),
                OFF(Descriptor, import_count),
                OFF(Descriptor, export_count),
                OFF(Descriptor, function_count),
                OFF(Descriptor, table_count),
                OFF(Descriptor, memory_count),
                OFF(Descriptor, global_count),
                OFF(Descriptor, data_count),
                OFF(Descriptor, elem_count),
                OFF(Descriptor, trap_count),
                OFF(Descriptor, start_function),
                OFF(Descriptor, tag_count),
                OFF(Descriptor, types),
                OFF(Descriptor, imports),
                OFF(Descriptor, exports),
                OFF(Descriptor, functions),
                OFF(Descriptor, tables),
                OFF(Descriptor, memories),
                OFF(Descriptor, globals),
                OFF(Descriptor, data),
                OFF(Descriptor, elems),
                OFF(Descriptor, traps),
                OFF(Descriptor, entry_trampolines),
                OFF(Descriptor, host_adapters),
                OFF(Descriptor, code_begin),
                OFF(Descriptor, code_end),
                OFF(Descriptor, data_size),
                OFF(Descriptor, tags)});
}

TEST_CASE("constant expressions translate to the descriptor form") {
  Module m = hand_module();
  auto i32 = descriptor_const_expr(m, const_i32(-2));
  REQUIRE(bool(i32));
  CHECK(i32->kind == abi::ConstKind::I32);
  CHECK(i32->type == ValType::I32);
  CHECK((i32->bytes[0] == 0xFE && i32->bytes[3] == 0xFF && i32->bytes[4] == 0));

  auto i64 = descriptor_const_expr(m, const_op(Opcode::I64Const, 0, 0x0102030405060708ull));
  REQUIRE(bool(i64));
  CHECK(i64->kind == abi::ConstKind::I64);
  CHECK((i64->bytes[0] == 0x08 && i64->bytes[7] == 0x01));

  auto f32 = descriptor_const_expr(m, const_op(Opcode::F32Const, 0, 0x3F800000));
  REQUIRE(bool(f32));
  CHECK(f32->type == ValType::F32);
  CHECK((f32->bytes[3] == 0x3F && f32->bytes[2] == 0x80));

  // Global 0 is the imported i64, global 1 the first defined (i32).
  auto get0 = descriptor_const_expr(m, const_op(Opcode::GlobalGet, 0));
  REQUIRE(bool(get0));
  CHECK(get0->kind == abi::ConstKind::GlobalGet);
  CHECK(get0->type == ValType::I64);
  auto get1 = descriptor_const_expr(m, const_op(Opcode::GlobalGet, 1));
  REQUIRE(bool(get1));
  CHECK(get1->type == ValType::I32);
  CHECK(get1->index == 1);
  auto bad_global = descriptor_const_expr(m, const_op(Opcode::GlobalGet, 9));
  CHECK_FALSE(bool(bad_global));
  llvm::consumeError(bad_global.takeError());

  ConstExpr null_extern = const_op(Opcode::RefNull);
  null_extern.instr.ref_type = ValType::ExternRef;
  auto rn = descriptor_const_expr(m, null_extern);
  REQUIRE(bool(rn));
  CHECK(rn->kind == abi::ConstKind::RefNull);
  CHECK(rn->type == ValType::ExternRef);
  auto rf = descriptor_const_expr(m, const_op(Opcode::RefFunc, 2));
  REQUIRE(bool(rf));
  CHECK(rf->kind == abi::ConstKind::RefFunc);
  CHECK(rf->index == 2);

  ConstExpr v128 = const_op(Opcode::V128Const);
  for (int i = 0; i < 16; ++i) v128.instr.v128[i] = uint8_t(i + 1);
  auto v = descriptor_const_expr(m, v128);
  REQUIRE(bool(v));
  CHECK(v->kind == abi::ConstKind::V128);
  CHECK(v->type == ValType::V128);
  CHECK((v->bytes[0] == 1 && v->bytes[15] == 16));

  auto bad = descriptor_const_expr(m, const_op(Opcode::I32Add));
  REQUIRE_FALSE(bool(bad));
  CHECK(error_message(bad.takeError()).find("constant expression") != std::string::npos);
}

TEST_CASE("the backend builds an artifact whose descriptor reads back through the abi structs") {
  Module m = hand_module();
  CompileOptions options;
  options.codegen.bounds_check = abi::BoundsCheck::Explicit;
  options.codegen.interruptible = true;
  auto so = build_hand(m, options);
  REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));

  SUBCASE("ELF shape: no DT_NEEDED, only kiln_descriptor exported, descriptor section") {
    ElfFacts facts = elf_facts(*so);
    CHECK(facts.needed.empty());
    CHECK(facts.defined_dynamic_symbols == std::set<std::string>{"kiln_descriptor"});
    CHECK(facts.has_descriptor_section);
    CHECK(facts.descriptor_section_size > sizeof(abi::Descriptor));  // its tables follow it
    CHECK(facts.dynamic_relocations == 0);
    // The symbols' page for valgrind; dlopen writes none (no relocations).
    CHECK(facts.writable_segments == 1);
    CHECK_FALSE(facts.descriptor_section_writable);
    CHECK(facts.has_symtab);
    CHECK(facts.bind_now);
    CHECK_FALSE(facts.textrel);
  }

  SUBCASE("symbols are named as the name section says, else wasm-function[N]") {
    ElfFacts facts = elf_facts(*so);
    CHECK(facts.local_functions.count("add") == 1);
    CHECK(facts.local_functions.count("wasm-function[2]") == 1);
    CHECK(facts.local_functions.count("kiln_f0") == 0);
    CHECK(facts.local_functions.count("kiln_f1") == 0);
  }

  SUBCASE("--no-symbols strips the symbol table and the writable page, nothing else") {
    CompileOptions strip = options;
    strip.keep_symbols = false;
    auto stripped = build_hand(m, strip);
    REQUIRE_MESSAGE(bool(stripped), error_message(stripped.takeError()));
    ElfFacts facts = elf_facts(*stripped);
    CHECK_FALSE(facts.has_symtab);
    CHECK(facts.defined_dynamic_symbols == std::set<std::string>{"kiln_descriptor"});
    CHECK(facts.dynamic_relocations == 0);
    CHECK(facts.writable_segments == 0);  // dlopen maps every page read-only
  }

  ScratchDir dir;
  write_file(dir.file("hand.so"), *so);
  Loaded lib(dir.file("hand.so"));
  const abi::Descriptor& d = *lib.descriptor;

  CHECK(d.magic == abi::kDescriptorMagic);
  CHECK(d.abi_version == abi::kAbiVersion);
  CHECK(d.descriptor_size == sizeof(abi::Descriptor));
  CHECK(d.bounds_check == abi::BoundsCheck::Explicit);
  CHECK(d.interruptible == 1);
  CHECK(std::string(d.compiler_version) == abi::kCompilerVersion);
  CHECK(std::string(d.target_triple) == kTargetTriple);
  CHECK(std::string(d.cpu_name) == "x86-64-v2");
  std::string features = d.cpu_features;
  CHECK(features.find("+sse4.1") != std::string::npos);
  CHECK(features.find("+popcnt") != std::string::npos);
  CHECK(features.find("+avx") == std::string::npos);
  auto hash = llvm::SHA256::hash(m.bytes);
  CHECK(std::memcmp(d.module_hash, hash.data(), 32) == 0);

  REQUIRE(d.type_count == 2);
  const abi::FuncType* types = d.at<abi::FuncType>(d.types);
  CHECK(types[0].param_count == 1);
  CHECK(types[0].result_count == 1);
  CHECK(d.at<ValType>(types[0].params)[0] == ValType::I32);
  CHECK(d.at<ValType>(types[0].results)[0] == ValType::I32);
  CHECK(types[1].param_count == 0);
  CHECK(types[1].params == 0);

  REQUIRE(d.import_count == 2);
  const abi::Import* imports = d.at<abi::Import>(d.imports);
  CHECK(std::string(d.at<char>(imports[0].module)) == "env");
  CHECK(std::string(d.at<char>(imports[0].name)) == "f");
  CHECK(imports[0].module_length == 3);
  CHECK(imports[0].name_length == 1);
  CHECK(imports[0].kind == ExternKind::Func);
  CHECK(imports[0].type_index == 0);
  CHECK(std::string(d.at<char>(imports[1].name)) == "g");
  CHECK(imports[1].kind == ExternKind::Global);
  CHECK(imports[1].global.type == ValType::I64);
  CHECK(imports[1].global.mutable_ == 0);

  REQUIRE(d.export_count == 2);
  const abi::Export* exports = d.at<abi::Export>(d.exports);
  CHECK(std::string(d.at<char>(exports[0].name)) == "add");
  CHECK(exports[0].name_length == 3);
  CHECK(exports[0].kind == ExternKind::Func);
  CHECK(exports[0].index == 1);
  CHECK(exports[1].kind == ExternKind::Memory);

  REQUIRE(d.function_count == 2);
  const abi::Function* functions = d.at<abi::Function>(d.functions);
  CHECK(functions[0].type_index == 0);
  CHECK(functions[1].type_index == 1);
  CHECK(functions[0].code_size > 0);
  CHECK(std::string(d.at<char>(functions[0].name)) == "add");
  CHECK(functions[1].name == 0);
  CHECK(call_function<int32_t>(d, 0, nullptr, int32_t(41)) == 42);

  REQUIRE(d.table_count == 1);
  const abi::TableType* tables = d.at<abi::TableType>(d.tables);
  CHECK(tables[0].elem_type == ValType::FuncRef);
  CHECK(tables[0].limits.min == 2);
  CHECK(tables[0].limits.has_max == 0);
  REQUIRE(d.memory_count == 1);
  const abi::MemoryType* memories = d.at<abi::MemoryType>(d.memories);
  CHECK(memories[0].limits.min == 1);
  CHECK(memories[0].limits.max == 3);
  CHECK(memories[0].limits.has_max == 1);

  REQUIRE(d.global_count == 3);
  const abi::Global* globals = d.at<abi::Global>(d.globals);
  CHECK(globals[0].type.type == ValType::I32);
  CHECK(globals[0].type.mutable_ == 1);
  CHECK(globals[0].init.kind == abi::ConstKind::I32);
  int32_t init0;
  std::memcpy(&init0, globals[0].init.bytes, 4);
  CHECK(init0 == -5);
  CHECK(globals[1].init.kind == abi::ConstKind::GlobalGet);
  CHECK(globals[1].init.index == 0);
  double init2;
  std::memcpy(&init2, globals[2].init.bytes, 8);
  CHECK(init2 == 2.0);

  REQUIRE(d.data_count == 2);
  const abi::DataSegment* data = d.at<abi::DataSegment>(d.data);
  CHECK(data[0].mode == abi::SegmentMode::Active);
  CHECK(data[0].offset.kind == abi::ConstKind::I32);
  CHECK(data[0].offset.bytes[0] == 16);
  REQUIRE(data[0].size == 2);
  const uint8_t* bytes = d.at<uint8_t>(data[0].bytes);
  CHECK((bytes[0] == 0xAB && bytes[1] == 0xCD));
  CHECK(data[1].mode == abi::SegmentMode::Passive);
  CHECK(data[1].size == 0);

  REQUIRE(d.elem_count == 2);
  const abi::ElemSegment* elems = d.at<abi::ElemSegment>(d.elems);
  CHECK(elems[0].mode == abi::SegmentMode::Active);
  CHECK(elems[0].elem_type == ValType::FuncRef);
  CHECK(elems[0].offset.bytes[0] == 1);
  REQUIRE(elems[0].count == 2);
  const abi::ConstExpr* items = d.at<abi::ConstExpr>(elems[0].items);
  CHECK(items[0].kind == abi::ConstKind::RefFunc);
  CHECK(items[0].index == 1);
  CHECK(items[1].kind == abi::ConstKind::RefNull);
  CHECK(elems[1].mode == abi::SegmentMode::Passive);
  CHECK(elems[1].count == 0);

  CHECK(d.start_function == 2);

  // kiln_f1 is a single ubsantrap(1): one site, at a ud1 encoding code 1.
  REQUIRE(d.trap_count == 1);
  const abi::TrapSite* traps = d.at<abi::TrapSite>(d.traps);
  CHECK(traps[0].func_index == 1);
  CHECK(traps[0].code == uint8_t(abi::TrapCode::Unreachable));
  REQUIRE(traps[0].offset + 5 <= functions[1].code_size);
  const auto* trap = static_cast<const uint8_t*>(d.code_at(functions[1].code)) + traps[0].offset;
  CHECK((trap[0] == 0x67 && trap[1] == 0x0F && trap[2] == 0xB9 && trap[4] == 1));

  // Entry trampoline: generic call of t0 through slots.
  abi::ValSlot slots[1] = {};
  int32_t arg = 9;
  std::memcpy(slots[0].bytes, &arg, 4);
  d.entry_trampoline(0)(d.code_at(functions[0].code), nullptr, nullptr, slots);
  int32_t result;
  std::memcpy(&result, slots[0].bytes, 4);
  CHECK(result == 10);

  // Host adapter: native call of t0 into a VMHostContext callback.
  abi::VMHostContext host{&double_it};
  host_calls = 0;
  CHECK(call_wasm<int32_t>(d, d.host_adapter(0), 0, &host, nullptr, int32_t(21)) == 42);
  CHECK(host_calls == 1);
  CHECK(d.host_adapter(1) != nullptr);
  CHECK(bool(d.entry_trampoline(1)));
}

TEST_CASE("descriptor of a module without imports, tables or segments has null arrays") {
  Module m;
  m.bytes = {0x00, 'a', 's', 'm', 1, 0, 0, 0};
  m.types = {FuncType{{ValType::I32}, {ValType::I32}}, FuncType{{}, {}}};
  m.functions = {0, 1};
  auto so = build_hand(m, CompileOptions{});
  REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));
  ScratchDir dir;
  write_file(dir.file("bare.so"), *so);
  Loaded lib(dir.file("bare.so"));
  const abi::Descriptor& d = *lib.descriptor;
  CHECK(d.bounds_check == abi::BoundsCheck::GuardRegion);
  CHECK(d.interruptible == 0);
  CHECK(d.import_count == 0);
  CHECK(d.imports == 0);
  CHECK(d.exports == 0);
  CHECK(d.tables == 0);
  CHECK(d.data == 0);
  CHECK(d.start_function == UINT32_MAX);
  CHECK(d.at<abi::Function>(d.functions)[0].name == 0);
}

TEST_CASE("--emit=obj and --emit=ll outputs") {
  Module m = hand_module();
  CompileOptions options;
  options.emit = CompileOptions::Emit::Object;
  auto obj = build_hand(m, options);
  REQUIRE_MESSAGE(bool(obj), error_message(obj.takeError()));
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(obj->data()), obj->size()), "a.o");
  auto file = llvm::object::ObjectFile::createELFObjectFile(buffer);
  REQUIRE(bool(file));
  CHECK((*file)->isRelocatableObject());
  std::set<std::string> names;
  for (const auto& symbol : (*file)->symbols())
    names.insert(llvm::cantFail(symbol.getName()).str());
  CHECK(names.count("kiln_descriptor") == 1);
  CHECK(names.count("kiln_f0") == 1);

  options.emit = CompileOptions::Emit::LLVMIR;
  auto ll = build_hand(m, options);
  REQUIRE(bool(ll));
  std::string text(ll->begin(), ll->end());
  CHECK(text.find("define hidden i32 @kiln_f0") != std::string::npos);
  CHECK(text.find("x86_64-pc-linux-gnu") != std::string::npos);
}

TEST_CASE("the in-process linker can run many times in one process") {
  Module m = hand_module();
  for (int i = 0; i < 25; ++i) {
    CompileOptions options;
    options.opt_level = unsigned(i % 4);
    auto so = build_hand(m, options);
    REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));
    CHECK(elf_facts(*so).defined_dynamic_symbols == std::set<std::string>{"kiln_descriptor"});
  }
}

TEST_CASE("link errors name the undefined symbol; no libcalls are invented") {
  Module m;
  m.bytes = {0};
  m.types = {FuncType{{ValType::I32}, {}}};
  m.functions = {0};
  const char* memcpy_ir = R"(
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
define hidden void @kiln_f0(ptr %vm, ptr %caller, i32 %n) {
  %len = zext i32 %n to i64
  %src = getelementptr i8, ptr %vm, i64 4096
  call void @llvm.memcpy.p0.p0.i64(ptr %vm, ptr %src, i64 %len, i1 false)
  ret void
}
define hidden void @kiln_entry_t0(ptr %code, ptr %callee, ptr %caller, ptr %slots) { ret void }
define hidden void @kiln_host_t0(ptr %host, ptr %caller, i32 %x) { ret void }
)";
  auto failed = build_hand(m, CompileOptions{}, memcpy_ir);
  REQUIRE_FALSE(bool(failed));
  std::string message = error_message(failed.takeError());
  CHECK(message.find("undefined symbol: memcpy") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);

  // A byte-zeroing loop stays a loop: the optimizer must not turn it into memset.
  const char* loop_ir = R"(
define hidden void @kiln_f0(ptr %vm, ptr %caller, i32 %n) {
entry:
  %empty = icmp eq i32 %n, 0
  br i1 %empty, label %done, label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %next, %loop ]
  %off = zext i32 %i to i64
  %p = getelementptr i8, ptr %vm, i64 %off
  store i8 0, ptr %p
  %next = add i32 %i, 1
  %more = icmp ult i32 %next, %n
  br i1 %more, label %loop, label %done
done:
  ret void
}
define hidden void @kiln_entry_t0(ptr %code, ptr %callee, ptr %caller, ptr %slots) { ret void }
define hidden void @kiln_host_t0(ptr %host, ptr %caller, i32 %x) { ret void }
)";
  for (unsigned level : {1u, 2u, 3u}) {
    CompileOptions options;
    options.opt_level = level;
    auto built = build_hand(m, options, loop_ir);
    CHECK_MESSAGE(bool(built), (built ? "" : error_message(built.takeError())));
  }
}

TEST_CASE("target selection") {
  auto v2 = create_target("x86-64-v2", 2);
  REQUIRE(bool(v2));
  CHECK(v2->cpu_name == "x86-64-v2");
  // In the order of abi/cpu_features_x86_64.h (CPUID leaf by leaf).
  CHECK(v2->cpu_features == "+sse3,+ssse3,+cx16,+sse4.1,+sse4.2,+popcnt,+sse2,+sahf");
  CHECK(v2->machine->getTargetTriple().str() == kTargetTriple);
  CHECK(v2->machine->getRelocationModel() == llvm::Reloc::PIC_);

  auto v3 = create_target("x86-64-v3", 2);
  REQUIRE(bool(v3));
  CHECK(v3->cpu_features.find("+avx2") != std::string::npos);
  CHECK(v3->cpu_features.find("+bmi2") != std::string::npos);
  CHECK(v3->cpu_features.find("+avx512f") == std::string::npos);

  auto native = create_target("native", 2);
  REQUIRE(bool(native));
  CHECK(native->cpu_name != "native");
  CHECK(native->cpu_features.find("+sse2") != std::string::npos);

  auto bad = create_target("pentium-9000", 2);
  REQUIRE_FALSE(bool(bad));
  CHECK(error_message(bad.takeError()).find("unknown CPU 'pentium-9000'") != std::string::npos);
}

TEST_CASE("aarch64 target selection") {
  for (const char* triple : {"aarch64-linux-gnu", "aarch64-unknown-linux-gnu"}) {
    auto generic = create_target("", 2, triple);
    REQUIRE_MESSAGE(bool(generic), error_message(generic.takeError()));
    CHECK(generic->arch == &aarch64_target());
    CHECK(generic->cpu_name == "generic");
    CHECK(generic->machine->getTargetTriple().str() == "aarch64-unknown-linux-gnu");
    CHECK(generic->machine->getRelocationModel() == llvm::Reloc::PIC_);
    // In the order of abi/cpu_features_aarch64.h (HWCAP, then HWCAP2).
    CHECK(generic->cpu_features == "+fp-armv8,+neon");
  }
  auto n1 = create_target("neoverse-n1", 2, "aarch64-linux-gnu");
  REQUIRE(bool(n1));
  for (const char* name : {"+lse", "+rcpc", "+dotprod", "+neon"})
    CHECK_MESSAGE(n1->cpu_features.find(name) != std::string::npos, name);
  CHECK(n1->cpu_features.find("+sve") == std::string::npos);
  auto v1 = create_target("neoverse-v1", 2, "aarch64-linux-gnu");
  REQUIRE(bool(v1));
  CHECK(v1->cpu_features.find("+sve") != std::string::npos);

  // The x86-64 defaults stay as they were.
  auto x86 = create_target("", 2, "x86_64-linux-gnu");
  REQUIRE(bool(x86));
  CHECK(x86->cpu_name == kDefaultCpu);
  CHECK(x86->machine->getTargetTriple().str() == kTargetTriple);

  // No host CPU for another architecture; no x86 CPU for aarch64.
  auto native = create_target("native", 2, "aarch64-linux-gnu");
  REQUIRE_FALSE(bool(native));
  CHECK(error_message(native.takeError()).find("native") != std::string::npos);
  auto wrong = create_target("x86-64-v2", 2, "aarch64-linux-gnu");
  REQUIRE_FALSE(bool(wrong));
  CHECK(error_message(wrong.takeError()).find("unknown CPU 'x86-64-v2' for aarch64") !=
        std::string::npos);
  for (const char* triple : {"riscv64-linux-gnu", "aarch64-apple-darwin", "aarch64_be-linux-gnu",
                             "x86_64-linux-musl"}) {
    CHECK_MESSAGE(find_target(triple) == nullptr, triple);
    auto unsupported = create_target("", 2, triple);
    REQUIRE_FALSE(bool(unsupported));
    CHECK(error_message(unsupported.takeError()).find("unsupported target") != std::string::npos);
  }
}

// ---- the whole pipeline, from text ----

namespace {

const char* kSampleWat = R"((module
  (type $unary (func (param i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add)
  (func $div (export "div") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s)
  (func $boom (export "boom") unreachable)
  (func $init)
  (table 3 funcref)
  (elem (i32.const 1) $add $div)
  (memory (export "memory") 1 4)
  (data (i32.const 16) "kiln")
  (global $g (export "g") (mut i64) (i64.const -1))
  (start $init)
))";

std::span<const uint8_t> as_bytes(const char* text) {
  return {reinterpret_cast<const uint8_t*>(text), std::strlen(text)};
}

// The optimized LLVM IR of each defined function of a module, by index.
std::vector<std::string> function_ir(const char* wat, CompileOptions options) {
  options.emit = CompileOptions::Emit::LLVMIR;
  auto ll = compile_to_memory(as_bytes(wat), true, "test.wat", options);
  REQUIRE_MESSAGE(bool(ll), error_message(ll.takeError()));
  std::string ir(ll->begin(), ll->end());
  std::vector<std::string> bodies;
  for (size_t at = ir.find("\ndefine "); at != std::string::npos; at = ir.find("\ndefine ", at + 1)) {
    std::string body = ir.substr(at, ir.find("\n}", at) - at);
    if (body.substr(0, body.find('\n', 1)).find("@kiln_f" + std::to_string(bodies.size()) + "(") !=
        std::string::npos)
      bodies.push_back(std::move(body));
  }
  return bodies;
}

// How a loop poll (a read of the instance's poll page) reads in LLVM IR.
constexpr const char* kPollAsm = "testb $$0";

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// The smallest VMContext the generated code touches for pure arithmetic:
// the store, for the stack-limit check at function entry.
struct MiniContext {
  abi::VMStoreContext store{0, 0};
  abi::VMContext vm{};
  MiniContext() { vm.store = &store; }
};

}  // namespace

TEST_CASE("compiling a text module end to end: descriptor contents and callable code") {
  auto so =
      compile_to_memory(as_bytes(kSampleWat), /*is_text=*/true, "sample.wat", CompileOptions{});
  REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));
  ElfFacts facts = elf_facts(*so);
  CHECK(facts.needed.empty());
  CHECK(facts.defined_dynamic_symbols == std::set<std::string>{"kiln_descriptor"});
  CHECK(facts.has_descriptor_section);

  ScratchDir dir;
  write_file(dir.file("sample.so"), *so);
  Loaded lib(dir.file("sample.so"));
  const abi::Descriptor& d = *lib.descriptor;

  auto binary = wat_to_wasm(as_bytes(kSampleWat), "sample.wat");
  REQUIRE(bool(binary));
  auto hash = llvm::SHA256::hash(*binary);
  CHECK(std::memcmp(d.module_hash, hash.data(), 32) == 0);

  CHECK(d.import_count == 1);
  CHECK(std::string(d.at<char>(d.at<abi::Import>(d.imports)[0].name)) == "log");
  REQUIRE(d.function_count == 4);
  REQUIRE(d.export_count == 5);
  std::set<std::string> exports;
  for (uint32_t i = 0; i < d.export_count; ++i) exports.insert(d.at<char>(d.at<abi::Export>(d.exports)[i].name));
  CHECK(exports == std::set<std::string>{"add", "div", "boom", "memory", "g"});
  CHECK(d.start_function == 4);  // $init, after one import and three functions
  REQUIRE(d.data_count == 1);
  CHECK(std::string(d.at<char>(d.at<abi::DataSegment>(d.data)[0].bytes), d.at<abi::DataSegment>(d.data)[0].size) == "kiln");
  REQUIRE(d.elem_count == 1);
  CHECK(d.at<abi::ElemSegment>(d.elems)[0].count == 2);
  CHECK(d.at<abi::ConstExpr>(d.at<abi::ElemSegment>(d.elems)[0].items)[0].kind == abi::ConstKind::RefFunc);
  CHECK(d.at<abi::ConstExpr>(d.at<abi::ElemSegment>(d.elems)[0].items)[0].index == 1);
  REQUIRE(d.global_count == 1);
  CHECK(d.at<abi::Global>(d.globals)[0].type.type == ValType::I64);
  CHECK(d.at<abi::Global>(d.globals)[0].init.bytes[7] == 0xFF);
  REQUIRE(d.memory_count == 1);
  CHECK(d.at<abi::MemoryType>(d.memories)[0].limits.max == 4);

  // Every trap site lies inside its function; div has both division traps;
  // boom has an unreachable.
  std::set<std::pair<uint32_t, uint8_t>> kinds;
  for (uint32_t i = 0; i < d.trap_count; ++i) {
    const abi::TrapSite& t = d.at<abi::TrapSite>(d.traps)[i];
    REQUIRE(t.func_index < d.function_count);
    CHECK(t.offset < d.at<abi::Function>(d.functions)[t.func_index].code_size);
    kinds.insert({t.func_index, t.code});
  }
  CHECK(kinds.count({1, uint8_t(abi::TrapCode::IntegerDivideByZero)}) == 1);
  CHECK(kinds.count({1, uint8_t(abi::TrapCode::IntegerOverflow)}) == 1);
  CHECK(kinds.count({2, uint8_t(abi::TrapCode::Unreachable)}) == 1);

  MiniContext ctx;
  auto add = [&](int32_t a, int32_t b) { return call_function<int32_t>(d, 0, &ctx.vm, a, b); };
  auto div = [&](int32_t a, int32_t b) { return call_function<int32_t>(d, 1, &ctx.vm, a, b); };
  CHECK(add(3, 4) == 7);
  CHECK(add(INT32_MAX, 1) == INT32_MIN);
  CHECK(div(-9, 2) == -4);
}

TEST_CASE("-O0 code has no switch or small uitofp, and they still compute the same") {
  // lower_for_fast_isel: br_table and unsigned i32 -> float conversions.
  const char* wat = R"((module
    (func (export "pick") (param i32) (result i32)
      (block (block (block (br_table 0 1 2 (local.get 0)))
        (return (i32.const 10))) (return (i32.const 20))) (i32.const 30))
    (func (export "u2d") (param i32) (result f64) (f64.convert_i32_u (local.get 0)))
    (func (export "u2f") (param i32) (result f32) (f32.convert_i32_u (local.get 0))))
  )";
  CompileOptions options;
  options.opt_level = 0;
  options.emit = CompileOptions::Emit::LLVMIR;
  auto ll = compile_to_memory(as_bytes(wat), true, "lower.wat", options);
  REQUIRE_MESSAGE(bool(ll), error_message(ll.takeError()));
  std::string text(ll->begin(), ll->end());
  CHECK(text.find(" switch ") == std::string::npos);
  CHECK(text.find("uitofp") == std::string::npos);

  options.emit = CompileOptions::Emit::SharedObject;
  auto so = compile_to_memory(as_bytes(wat), true, "lower.wat", options);
  REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));
  ScratchDir dir;
  write_file(dir.file("lower.so"), *so);
  Loaded lib(dir.file("lower.so"));
  const abi::Descriptor& d = *lib.descriptor;
  REQUIRE(d.function_count == 3);
  MiniContext ctx;
  auto pick = [&](int32_t x) { return call_function<int32_t>(d, 0, &ctx.vm, x); };
  CHECK(pick(0) == 10);
  CHECK(pick(1) == 20);
  CHECK(pick(2) == 30);
  CHECK(pick(-1) == 30);
  for (uint32_t x : {0u, 1u, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0x1000001u}) {
    CHECK(call_function<double>(d, 1, &ctx.vm, x) == double(x));
    CHECK(call_function<float>(d, 2, &ctx.vm, x) == float(x));
  }
}

// Eight functions; f<k>(a, b) = a/b + f<k-1>(a, b), so each has a
// divide-by-zero trap site and all but f0 call the function before it.
std::string chain_wat() {
  std::string wat = "(module\n";
  for (int k = 0; k < 8; ++k) {
    std::string rest = k == 0 ? "(i32.const 0)"
                              : "(call " + std::to_string(k - 1) + " (local.get 0) (local.get 1))";
    wat += "  (func (export \"f" + std::to_string(k) + "\") (param i32 i32) (result i32)\n";
    wat += "    (i32.add (i32.div_u (local.get 0) (local.get 1)) " + rest + "))\n";
  }
  return wat + ")\n";
}

TEST_CASE("partitions are contiguous function ranges chosen by code size alone") {
  std::string wat = chain_wat();
  auto binary = wat_to_wasm(as_bytes(wat.c_str()), "chain.wat");
  REQUIRE(bool(binary));
  auto module = decode_module(std::move(*binary));
  REQUIRE(bool(module));
  CompileOptions options;
  options.partition_bytes = 1;
  std::vector<FunctionRange> ranges = plan_partitions(*module, options);
  REQUIRE(ranges.size() == 8);
  for (uint32_t i = 0; i < 8; ++i) {
    CHECK(ranges[i].first == i);
    CHECK(ranges[i].end == i + 1);
  }
  options.threads = 1;  // never changes the plan
  CHECK(plan_partitions(*module, options).size() == 8);
  options.partition_bytes = 3 * module->bodies[0].code.size();
  ranges = plan_partitions(*module, options);
  REQUIRE(ranges.size() == 3);
  CHECK((ranges[0].first == 0 && ranges[0].end == 3));
  CHECK((ranges[1].first == 3 && ranges[1].end == 6));
  CHECK((ranges[2].first == 6 && ranges[2].end == 8));
  options.partition_bytes = 1 << 20;
  ranges = plan_partitions(*module, options);
  REQUIRE(ranges.size() == 1);
  CHECK((ranges[0].first == 0 && ranges[0].end == 8));
  options.partition_bytes = 0;  // the whole module
  ranges = plan_partitions(*module, options);
  REQUIRE(ranges.size() == 1);
  CHECK((ranges[0].first == 0 && ranges[0].end == 8));
  options.partition_bytes = 1;
  options.emit = CompileOptions::Emit::LLVMIR;  // one IR file
  CHECK(plan_partitions(*module, options).size() == 1);
}

TEST_CASE("functions using return_call* record an entry beside their body, also when partitioned") {
  const char* wat = R"((module
    (func $a (param i32) (result i32) (return_call $b (i32.add (local.get 0) (i32.const 1))))
    (func $b (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
    (func $plain (param i32) (result i32) (call $b (local.get 0)))))";
  CompileOptions options;
  options.threads = 1;
  auto whole = compile_to_memory(as_bytes(wat), true, "tail.wat", options);
  REQUIRE_MESSAGE(bool(whole), error_message(whole.takeError()));
  options.partition_bytes = 1;  // one function per partition
  options.threads = 2;
  auto split = compile_to_memory(as_bytes(wat), true, "tail.wat", options);
  REQUIRE_MESSAGE(bool(split), error_message(split.takeError()));
  for (const std::vector<uint8_t>* so : {&*whole, &*split}) {
    ScratchDir dir;
    write_file(dir.file("tail.so"), *so);
    Loaded lib(dir.file("tail.so"));
    const abi::Descriptor& d = *lib.descriptor;
    REQUIRE(d.function_count == 3);
    const abi::Function* functions = d.at<abi::Function>(d.functions);
    const abi::Function& a = functions[0];
    CHECK(a.entry != 0);
    // The entry is outside its body, whose code holds the trap sites.
    CHECK((a.entry < a.code || a.entry >= a.code + int64_t(a.code_size)));
    // $b and $plain do not tail-call: their code is their entry.
    CHECK(functions[1].entry == 0);
    CHECK(functions[2].entry == 0);
  }
  // Without return_call*, no entries.
  auto plain = compile_to_memory(as_bytes("(module (func (result i32) (i32.const 1)))"), true, "p.wat",
                                 CompileOptions{});
  REQUIRE_MESSAGE(bool(plain), error_message(plain.takeError()));
  ScratchDir dir;
  write_file(dir.file("p.so"), *plain);
  Loaded lib(dir.file("p.so"));
  CHECK(lib.descriptor->at<abi::Function>(lib.descriptor->functions)[0].entry == 0);
}

TEST_CASE("a module split into partitions on several threads: same bytes, calls and traps work") {
  std::string wat = chain_wat();
  for (unsigned opt_level : {0u, 2u}) {
    CAPTURE(opt_level);
    CompileOptions options;
    options.opt_level = opt_level;
    options.partition_bytes = 1;  // one function per partition
    options.threads = 1;
    auto sequential = compile_to_memory(as_bytes(wat.c_str()), true, "chain.wat", options);
    REQUIRE_MESSAGE(bool(sequential), error_message(sequential.takeError()));
    for (unsigned threads : {2u, 3u, 8u, 0u}) {
      options.threads = threads;
      auto parallel = compile_to_memory(as_bytes(wat.c_str()), true, "chain.wat", options);
      REQUIRE_MESSAGE(bool(parallel), error_message(parallel.takeError()));
      CHECK_MESSAGE(*parallel == *sequential, "threads: " << threads);
    }
    options.partition_bytes = 1 << 20;
    auto whole = compile_to_memory(as_bytes(wat.c_str()), true, "chain.wat", options);
    REQUIRE_MESSAGE(bool(whole), error_message(whole.takeError()));

    for (const std::vector<uint8_t>* so : {&*sequential, &*whole}) {
      // Calls between partitions resolve inside the artifact: nothing new is exported.
      ElfFacts facts = elf_facts(*so);
      CHECK(facts.needed.empty());
      CHECK(facts.defined_dynamic_symbols == std::set<std::string>{"kiln_descriptor"});
      CHECK_FALSE(facts.textrel);

      ScratchDir dir;
      write_file(dir.file("chain.so"), *so);
      Loaded lib(dir.file("chain.so"));
      const abi::Descriptor& d = *lib.descriptor;
      REQUIRE(d.function_count == 8);
      std::set<const void*> addresses;
      for (uint32_t i = 0; i < 8; ++i) {
        CHECK(d.at<abi::Function>(d.functions)[i].code_size > 0);
        addresses.insert(d.code_at(d.at<abi::Function>(d.functions)[i].code));
      }
      CHECK(addresses.size() == 8);
      // Every function keeps its own divide-by-zero site, inside its code.
      std::set<uint32_t> dividing;
      for (uint32_t i = 0; i < d.trap_count; ++i) {
        const abi::TrapSite& t = d.at<abi::TrapSite>(d.traps)[i];
        REQUIRE(t.func_index < 8);
        CHECK(t.offset < d.at<abi::Function>(d.functions)[t.func_index].code_size);
        if (i > 0)
          CHECK((d.at<abi::TrapSite>(d.traps)[i - 1].func_index < t.func_index ||
                 (d.at<abi::TrapSite>(d.traps)[i - 1].func_index == t.func_index && d.at<abi::TrapSite>(d.traps)[i - 1].offset < t.offset)));
        if (t.code == uint8_t(abi::TrapCode::IntegerDivideByZero)) dividing.insert(t.func_index);
      }
      if (opt_level == 0) CHECK(dividing.size() == 8);
      else CHECK(dividing.size() >= 1);

      MiniContext ctx;
      for (uint32_t k = 0; k < 8; ++k)
        CHECK(call_function<int32_t>(d, k, &ctx.vm, int32_t(10), int32_t(2)) == int32_t(5 * (k + 1)));
    }
  }
}

TEST_CASE("compile_file writes atomically and never clobbers on failure") {
  ScratchDir dir;
  std::string out = dir.file("out.so");
  write_file(out, {'o', 'l', 'd'});

  write_file(dir.file("bad.wat"),
             std::vector<uint8_t>{'(', 'm', 'o', 'd', 'u', 'l', 'e', ' ', '(', 'f', 'u', 'n',
                                  'c', ' ', 'i', '3', '2', '.', 'a', 'd', 'd', ')', ')'});
  Error err = compile_file(dir.file("bad.wat"), out, CompileOptions{});
  REQUIRE(bool(err));
  std::string message = error_message(std::move(err));
  CHECK(message.find("bad.wat") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(read_file(out) == std::vector<uint8_t>{'o', 'l', 'd'});

  // A binary with a bad body: the message names the file and an offset.
  auto binary = wat_to_wasm(as_bytes("(module (func (result i32) i32.const 1))"), "x.wat");
  REQUIRE(bool(binary));
  std::vector<uint8_t> broken = *binary;
  broken.resize(broken.size() - 2);  // cut the body short
  write_file(dir.file("broken.wasm"), broken);
  Error cut = compile_file(dir.file("broken.wasm"), out, CompileOptions{});
  REQUIRE(bool(cut));
  std::string cut_message = error_message(std::move(cut));
  CHECK(cut_message.rfind(dir.file("broken.wasm") + ": ", 0) == 0);
  CHECK(cut_message.find("offset") != std::string::npos);
  CHECK(read_file(out) == std::vector<uint8_t>{'o', 'l', 'd'});

  // Success replaces the file; no temporary files remain.
  write_file(dir.file("good"), std::vector<uint8_t>(binary->begin(), binary->end()));
  Error ok = compile_file(dir.file("good"), out, CompileOptions{});
  REQUIRE_MESSAGE(!ok, error_message(std::move(ok)));
  CHECK(elf_facts(read_file(out)).has_descriptor_section);
  Error missing = compile_file(dir.file("missing.wasm"), out, CompileOptions{});
  REQUIRE(bool(missing));
  CHECK(error_message(std::move(missing)).find("cannot read") != std::string::npos);
  int entries = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir.path, ec), end; it != end && !ec; it.increment(ec))
    ++entries;
  CHECK(entries == 4);  // out.so, bad.wat, broken.wasm, good
}

TEST_CASE("an output that is a FIFO or device is written in place, never renamed over") {
  // As `aotc -o /dev/null` run by root: a rename would replace the node.
  ScratchDir dir;
  std::string fifo = dir.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // so the writer does not block
  REQUIRE(reader >= 0);
  Error err = write_file_atomically(fifo, {'a', 'b', 'c'});
  REQUIRE_MESSAGE(!err, error_message(std::move(err)));
  char got[8] = {};
  CHECK(::read(reader, got, sizeof got) == 3);
  CHECK(std::string(got, 3) == "abc");
  ::close(reader);
  struct stat st;
  REQUIRE(::stat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  int entries = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir.path, ec), end; it != end && !ec; it.increment(ec))
    ++entries;
  CHECK(entries == 1);  // no temporary file beside it
  // A directory is refused in one line.
  Error dir_err = write_file_atomically(dir.path, {'x'});
  REQUIRE(bool(dir_err));
  CHECK(error_message(std::move(dir_err)).find("is a directory") != std::string::npos);
}

TEST_CASE("text or binary is chosen by extension, then by content") {
  CHECK(looks_like_text(as_bytes("(module)")));
  const uint8_t magic[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  CHECK_FALSE(looks_like_text(magic));
  ScratchDir dir;
  std::string text = "(module (func (export \"f\")))";
  write_file(dir.file("module.txt"), std::vector<uint8_t>(text.begin(), text.end()));
  Error err = compile_file(dir.file("module.txt"), dir.file("m.so"), CompileOptions{});
  CHECK_MESSAGE(!err, error_message(std::move(err)));
  // A .wasm name means binary, even if the content is text.
  write_file(dir.file("text.wasm"), std::vector<uint8_t>(text.begin(), text.end()));
  Error as_binary = compile_file(dir.file("text.wasm"), dir.file("t.so"), CompileOptions{});
  REQUIRE(bool(as_binary));
  CHECK(error_message(std::move(as_binary)).find("magic") != std::string::npos);
}

TEST_CASE("options reach the descriptor and the code") {
  CompileOptions options;
  options.opt_level = 0;
  options.cpu = "x86-64-v3";
  options.codegen.bounds_check = abi::BoundsCheck::Explicit;
  options.codegen.interruptible = true;
  auto so = compile_to_memory(as_bytes(kSampleWat), true, "sample.wat", options);
  REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));
  abi::Descriptor header = descriptor_header(*so);
  CHECK(header.magic == abi::kDescriptorMagic);
  CHECK(header.bounds_check == abi::BoundsCheck::Explicit);
  CHECK(header.interruptible == 1);
  CHECK(std::string(header.cpu_name) == "x86-64-v3");
  CHECK(std::string(header.cpu_features).find("+avx2") != std::string::npos);

  options.emit = CompileOptions::Emit::LLVMIR;
  auto ll = compile_to_memory(as_bytes(kSampleWat), true, "sample.wat", options);
  REQUIRE(bool(ll));
  CHECK(std::string(ll->begin(), ll->end()).find("@kiln_f0") != std::string::npos);

  options.opt_level = 4;
  auto bad = compile_to_memory(as_bytes(kSampleWat), true, "sample.wat", options);
  REQUIRE_FALSE(bool(bad));
  llvm::consumeError(bad.takeError());
}

TEST_CASE("functions that call nothing skip the entry check") {
  const char* wat = R"((module
    (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "caller") (param i32) (result i32) (call $leaf (local.get 0)))))";
  for (bool interruptible : {false, true}) {
    for (unsigned level : {0u, 2u}) {
      INFO("interruptible " << interruptible << ", -O" << level);
      CompileOptions options;
      options.opt_level = level;
      options.codegen.interruptible = interruptible;
      std::vector<std::string> ir = function_ir(wat, options);
      REQUIRE(ir.size() == 2);
      const char* limit = interruptible ? "entry_limit" : "stack_limit";
      // The caller is inlined at -O2 but keeps its own check.
      CHECK(ir[0].find("stack") == std::string::npos);
      CHECK(ir[1].find(limit) != std::string::npos);
      CHECK(ir[1].find("ubsantrap(i8 10)") != std::string::npos);
    }
  }
}

TEST_CASE("interruptible code: bounded inner loops lose their polls at -O2, others keep them") {
  const char* wat = R"((module
    (memory 1)
    (func (export "bounded") (local $i i32)
      (loop $l
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 1000)))))
    (func (export "unbounded") (param $n i32) (local $i i32)
      (loop $l
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))))";
  CompileOptions options;
  options.codegen.interruptible = true;
  std::vector<std::string> ir = function_ir(wat, options);
  REQUIRE(ir.size() == 2);
  CHECK(ir[0].find(kPollAsm) == std::string::npos);
  CHECK(count_of(ir[1], kPollAsm) == 1);
}

TEST_CASE("interruptible code: one poll per loop; copies left by complete unrolling go") {
  // The inner loop is unrolled completely at -O2: its four polls would run
  // once per outer iteration, which the outer loop's own poll covers.
  const char* wat = R"((module
    (memory 1)
    (func (export "nested") (param $n i32) (local $i i32) (local $j i32)
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (i32.store (i32.add (i32.shl (local.get $i) (i32.const 4)) (i32.shl (local.get $j) (i32.const 2)))
                     (local.get $j))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (i32.const 4))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))))";
  CompileOptions options;
  options.codegen.interruptible = true;
  std::vector<std::string> ir = function_ir(wat, options);
  REQUIRE(ir.size() == 1);
  CHECK(count_of(ir[0], kPollAsm) == 1);
}

TEST_CASE("interruptible code: stores stay before a loop's poll; loads need not repeat after it") {
  // The poll may trap, so the global's store cannot sink out of the loop;
  // it writes nothing the module sees, and memset touches only guest bytes,
  // so the memory size memory.fill checks against is loaded once.
  const char* wat = R"((module
    (memory 1)
    (global $g (mut i32) (i32.const 0))
    (func (export "fill") (param $n i32) (local $i i32)
      (loop $l
        (memory.fill (i32.shl (local.get $i) (i32.const 6)) (i32.const 7) (i32.const 64))
        (global.set $g (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))))";
  CompileOptions options;
  options.codegen.interruptible = true;
  std::vector<std::string> ir = function_ir(wat, options);
  REQUIRE(ir.size() == 1);
  const std::string& f = ir[0];
  const size_t poll = f.find(kPollAsm);
  REQUIRE(poll != std::string::npos);
  const size_t size_load = f.find("%memory_size = load");
  REQUIRE(size_load != std::string::npos);
  CHECK(size_load < poll);
  CHECK(count_of(f, "%memory_size = load") == 1);
  const size_t store = f.find("store i32", poll);
  REQUIRE(store != std::string::npos);
  CHECK(f.substr(store, f.find('\n', store) - store).find("%global") != std::string::npos);
  CHECK(f.find("br i1", store) != std::string::npos);  // still in the loop, before its branch
}

TEST_CASE("many modules compile in one process") {
  for (int i = 0; i < 40; ++i) {
    std::string wat =
        "(module (func (export \"f\") (result i32) i32.const " + std::to_string(i) + "))";
    auto so = compile_to_memory(as_bytes(wat.c_str()), true, "loop.wat", CompileOptions{});
    REQUIRE_MESSAGE(bool(so), error_message(so.takeError()));
  }
}

TEST_CASE("every recorded CPU feature name is one LLVM knows") {
  // A misspelt name would silently never be emitted.
  auto target = create_target("x86-64", 2);
  REQUIRE(bool(target));
  const llvm::MCSubtargetInfo* sti = target->machine->getMCSubtargetInfo();
  for (const abi::x86_64::CpuFeature& feature : abi::x86_64::kCpuFeatures) {
    if (!feature.recorded) continue;
    bool known = false;
    for (const auto& kv : sti->getAllProcessorFeatures())
      known |= llvm::StringRef(kv.Key) == feature.name;
    CHECK_MESSAGE(known, feature.name);
  }
  // A CPU with AVX-512 lists its extensions, implied ones included.
  std::string icelake = checkable_cpu_features("icelake-server", "");
  for (const char* name :
       {"+avx512f", "+avx512vl", "+avx512bitalg", "+gfni", "+avx2", "+fma", "+movbe"})
    CHECK_MESSAGE(icelake.find(name) != std::string::npos, name);
  CHECK(icelake.size() < sizeof(abi::Descriptor::cpu_features));
  CHECK(checkable_cpu_features("no-such-cpu", "").empty());
}

TEST_CASE("every aarch64 CPU feature name is one LLVM knows") {
  auto target = create_target("generic", 2, "aarch64-linux-gnu");
  REQUIRE(bool(target));
  const llvm::MCSubtargetInfo* sti = target->machine->getMCSubtargetInfo();
  for (const abi::aarch64::CpuFeature& feature : abi::aarch64::kCpuFeatures) {
    bool known = false;
    for (const auto& kv : sti->getAllProcessorFeatures())
      known |= llvm::StringRef(kv.Key) == feature.name;
    CHECK_MESSAGE(known, std::string(feature.name));
  }
  std::string v2 = checkable_cpu_features("neoverse-v2", "", "aarch64-linux-gnu");
  for (const char* name : {"+sve2", "+sve", "+i8mm", "+lse", "+dotprod"})
    CHECK_MESSAGE(v2.find(name) != std::string::npos, name);
  CHECK(v2.find("+aes") == std::string::npos);  // intrinsics only: not recorded
  CHECK(v2.size() < sizeof(abi::Descriptor::cpu_features));
}

TEST_CASE("guarded loops: a range-checked plain copy vectorizes; the exact loop keeps its poll") {
  // dst[i] = a[i] + b[i] with a run-time trip count and wasm's 32-bit addresses.
  const char* wat = R"((module
    (memory 1)
    (func (export "add") (param $dst i32) (param $a i32) (param $b i32) (param $n i32)
      (local $i i32)
      (block $done
        (br_if $done (i32.eqz (local.get $n)))
        (loop $next
          (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
            (i32.add (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                     (i32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $next (i32.lt_u (local.get $i) (local.get $n))))))
    (func (export "grows") (param $n i32) (local $i i32)
      (loop $next
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (memory.grow (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))))";
  CompileOptions options;
  options.codegen.interruptible = true;
  std::vector<std::string> ir = function_ir(wat, options);
  REQUIRE(ir.size() == 2);
  CHECK(ir[0].find("kiln.memory_size") != std::string::npos);  // the range check
  CHECK(ir[0].find("x i32>") != std::string::npos);             // the vectorized copy
  CHECK(ir[0].find("load volatile i32") != std::string::npos);  // the exact loop
  CHECK(ir[0].find("store volatile i32") != std::string::npos);
  CHECK(count_of(ir[0], kPollAsm) == 1);
  // A call in the loop (memory.grow): no copy.
  CHECK(ir[1].find("kiln.memory_size") == std::string::npos);
  CHECK(ir[1].find("x i32>") == std::string::npos);
  // At -O0 nothing is versioned.
  options.opt_level = 0;
  ir = function_ir(wat, options);
  REQUIRE(ir.size() == 2);
  CHECK(ir[0].find("kiln.memory_size") == std::string::npos);
}

// $d[k] += $a * $s[k] for k = 0, 1, 2 (f64): a loop body unrolled by three,
// as clang emits scalar matmul's.
constexpr const char* kAxpy3Body = R"(
        (f64.store (local.get $d) (f64.add (f64.mul (local.get $a) (f64.load (local.get $s)))
                                           (f64.load (local.get $d))))
        (f64.store offset=8 (local.get $d)
          (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $s)))
                   (f64.load offset=8 (local.get $d))))
        (f64.store offset=16 (local.get $d)
          (f64.add (f64.mul (local.get $a) (f64.load offset=16 (local.get $s)))
                   (f64.load offset=16 (local.get $d)))))";

TEST_CASE("guarded loops: arrays apart in one memory get alias scopes, and the SLP vectorizer merges an unrolled body") {
  // A run-time trip count: only pairs of neighbours vectorize, which needs
  // the stores to dst known apart from the loads of src.
  std::string wat = std::string(R"((module
    (memory 1)
    (func (export "axpy3") (param $dst i32) (param $src i32) (param $n i32) (param $a f64)
      (local $d i32) (local $s i32)
      (local.set $d (local.get $dst))
      (local.set $s (local.get $src))
      (block $done
        (br_if $done (i32.eqz (local.get $n)))
        (loop $next)") + kAxpy3Body + R"(
          (local.set $d (i32.add (local.get $d) (i32.const 24)))
          (local.set $s (i32.add (local.get $s) (i32.const 24)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $next (local.get $n)))))))";
  CompileOptions options;
  options.codegen.interruptible = true;
  std::vector<std::string> ir = function_ir(wat.c_str(), options);
  REQUIRE(ir.size() == 1);
  CHECK(ir[0].find("kiln.memory_size") != std::string::npos);  // the range check
  CHECK(ir[0].find("!alias.scope") != std::string::npos);       // dst and src apart
  CHECK(ir[0].find("<2 x double>") != std::string::npos);       // pairs merged
  CHECK(ir[0].find("store volatile double") != std::string::npos);  // the exact loop
}

TEST_CASE("guarded loops: a constant-trip body unrolled by three is rerolled and vectorized whole") {
  std::string wat = std::string(R"((module
    (memory 1)
    (func (export "axpy3c") (param $dst i32) (param $src i32) (param $a f64)
      (local $j i32) (local $d i32) (local $s i32)
      (loop $next
        (local.set $d (i32.add (local.get $dst) (local.get $j)))
        (local.set $s (i32.add (local.get $src) (local.get $j))))") + kAxpy3Body + R"(
        (local.set $j (i32.add (local.get $j) (i32.const 24)))
        (br_if $next (i32.ne (local.get $j) (i32.const 1536)))))))";
  CompileOptions options;
  options.codegen.interruptible = true;
  std::vector<std::string> ir = function_ir(wat.c_str(), options);
  REQUIRE(ir.size() == 1);
  CHECK(ir[0].find("vector.body") != std::string::npos);  // the loop vectorizer's loop
  CHECK(ir[0].find("fmul <2 x double>") != std::string::npos);
  CHECK(ir[0].find("store volatile double") != std::string::npos);  // the exact loop
}
