// Decoding of the binary format into a Module (structure only; the rules of
// validation are in validator.cpp). Like the spec's reference decoder, the
// contents of a section are read from the module stream and then checked to
// end exactly where the section's size says ("section size mismatch").
#include <algorithm>

#include "aotc/wasm/byte_reader.h"
#include "aotc/wasm/proposals.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

enum SectionId : uint8_t {
  kCustom = 0, kType, kImport, kFunction, kTable, kMemory, kGlobal, kExport, kStart,
  kElement, kCode, kData, kDataCount, kTag,
};

// Position of each known section in the required order (data count sits
// between element and code).
int section_rank(uint8_t id) {
  switch (id) {
    case kType: return 1;
    case kImport: return 2;
    case kFunction: return 3;
    case kTable: return 4;
    case kMemory: return 5;
    case kTag: return 6;  // exception handling: between memory and global
    case kGlobal: return 7;
    case kExport: return 8;
    case kStart: return 9;
    case kElement: return 10;
    case kDataCount: return 11;
    case kCode: return 12;
    case kData: return 13;
    default: return 0;
  }
}

// WebAssembly 2.0 constant instructions (anything else is rejected early).
bool is_constant_opcode(Opcode op) {
  switch (op) {
    case Opcode::I32Const: case Opcode::I64Const: case Opcode::F32Const: case Opcode::F64Const:
    case Opcode::GlobalGet: case Opcode::RefNull: case Opcode::RefFunc: case Opcode::V128Const:
      return true;
    default:
      return false;
  }
}

// Limits on what one module may declare; larger values are certainly bogus
// input and would only make us allocate.
constexpr uint64_t kMaxLocals = 50000;

class ModuleDecoder {
 public:
  ModuleDecoder(Module& module, const Features& features)
      : m_(module), features_(features), r_(std::span<const uint8_t>(module.bytes), 0) {}

  Error run();

 private:
  void header();
  void section(uint8_t id, size_t end);
  void custom_section(size_t end);
  void type_section();
  void import_section();
  void function_section();
  void table_section();
  void memory_section();
  void global_section();
  void tag_section();
  /// A tag's attribute (0: exception) and type index.
  uint32_t tag_type();
  void export_section();
  void elem_section();
  void code_section();
  void function_body();
  void data_section();
  void name_section(std::span<const uint8_t> payload, uint32_t base);

  // `shared`: where a memory's limits put the threads proposal's shared
  // flag; null for tables, which cannot be shared.
  Limits limits(bool* shared = nullptr);
  MemoryType memory_type();
  TableType table_type();
  // Whether `f` is enabled; if so, records that the module uses it.
  bool uses(Feature f) {
    if (!features_.has(f)) return false;
    m_.features_used |= abi::feature_bit(f);
    return true;
  }
  GlobalType global_type();
  ConstExpr const_expr();
  // Reads instructions from the current position to the end matching the
  // function's implicit block, as the reference decoder does.
  void scan_body();

  Module& m_;
  const Features features_;
  ByteReader r_;
  bool saw_code_section_ = false;
  bool uses_data_count_ = false;  // memory.init / data.drop seen
  uint32_t code_section_offset_ = 0;
  std::span<const uint8_t> names_;  // payload of the "name" custom section
  uint32_t names_offset_ = 0;
};

Error ModuleDecoder::run() {
  header();
  int last_rank = 0;
  while (r_.ok() && !r_.at_end()) {
    const uint32_t id_offset = r_.offset();
    const uint8_t id = r_.u8();
    if (!r_.ok()) break;
    if (id > kTag || (id == kTag && !features_.has(Feature::ExceptionHandling))) {
      r_.fail_at(id_offset, "malformed section id" +
                                (id == kTag ? disabled_note("a tag section", Feature::ExceptionHandling)
                                            : std::string()));
      break;
    }
    const uint32_t size = r_.length();
    if (!r_.ok()) break;
    const size_t end = r_.pos() + size;
    if (id != kCustom) {
      const int rank = section_rank(id);
      if (rank <= last_rank) {
        r_.fail_at(id_offset, "unexpected content after last section");
        break;
      }
      last_rank = rank;
    }
    section(id, end);
    if (r_.ok() && r_.pos() != end) r_.fail_at(r_.offset_of(end), "section size mismatch");
  }
  if (!r_.ok()) return r_.take_error();

  const uint32_t end_offset = r_.offset();
  if (m_.functions.size() != m_.bodies.size()) {
    return error_at(saw_code_section_ ? code_section_offset_ : end_offset,
                    "function and code section have inconsistent lengths");
  }
  if (m_.data_count && *m_.data_count != m_.datas.size()) {
    return error_at(end_offset, "data count and data section have inconsistent lengths");
  }
  if (uses_data_count_ && !m_.data_count) {
    return error_at(code_section_offset_, "data count section required");
  }
  if (m_.total_memories() > 1) {
    if (!features_.has(Feature::MultiMemory)) {
      return error_at(end_offset, "multiple memories (" + std::to_string(m_.total_memories()) + ")" +
                                      disabled_note("more than one memory", Feature::MultiMemory));
    }
    m_.features_used |= abi::feature_bit(Feature::MultiMemory);
  }
  m_.function_names.assign(m_.total_funcs(), std::string());
  if (!names_.empty()) name_section(names_, names_offset_);
  return Error::success();
}

void ModuleDecoder::header() {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  if (r_.size() < 4) {
    r_.fail_at(0, "unexpected end");
    return;
  }
  auto magic = r_.bytes(4);
  if (!std::equal(magic.begin(), magic.end(), kMagic)) {
    r_.fail_at(0, "magic header not detected");
    return;
  }
  if (r_.size() < 8) {
    r_.fail_at(4, "unexpected end");
    return;
  }
  if (r_.fixed32() != 1) r_.fail_at(4, "unknown binary version");
}

void ModuleDecoder::section(uint8_t id, size_t end) {
  switch (id) {
    case kCustom: custom_section(end); break;
    case kType: type_section(); break;
    case kImport: import_section(); break;
    case kFunction: function_section(); break;
    case kTable: table_section(); break;
    case kMemory: memory_section(); break;
    case kGlobal: global_section(); break;
    case kTag: tag_section(); break;
    case kExport: export_section(); break;
    case kStart: m_.start = r_.u32(); break;
    case kElement: elem_section(); break;
    case kCode: code_section(); break;
    case kData: data_section(); break;
    case kDataCount: m_.data_count = r_.u32(); break;
    default: break;
  }
}

void ModuleDecoder::custom_section(size_t end) {
  const std::string name = r_.name();
  if (!r_.ok()) return;
  if (r_.pos() > end) {
    r_.fail_at(r_.offset_of(end), "unexpected end of section or function");
    return;
  }
  const size_t payload_start = r_.pos();
  // The name section is decoded at the end, once the function count is known.
  if (name == "name" && names_.empty()) {
    names_ = r_.data().subspan(payload_start, end - payload_start);
    names_offset_ = r_.offset();
  }
  r_.seek(end);
}

void ModuleDecoder::type_section() {
  const uint32_t n = r_.count();
  m_.types.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    const uint32_t at = r_.offset();
    const uint8_t form = r_.u8();
    if (!r_.ok()) return;
    if (form != 0x60) {
      r_.fail_at(at, form & 0x80 ? "integer representation too long"
                                 : "malformed function type" + unsupported_type_form(form));
      return;
    }
    FuncType type;
    const uint32_t params = r_.count();
    for (uint32_t k = 0; k < params && r_.ok(); ++k) type.params.push_back(r_.val_type());
    const uint32_t results = r_.count();
    for (uint32_t k = 0; k < results && r_.ok(); ++k) type.results.push_back(r_.val_type());
    m_.types.push_back(std::move(type));
  }
}

Limits ModuleDecoder::limits(bool* shared) {
  Limits out;
  // Flags: bit 0 a maximum follows; bit 1 shared (memories, threads).
  const uint8_t known = shared ? 3 : 1;
  if (auto first = r_.peek(); first && *first > known && *first < 0x80) {
    r_.fail_at(r_.offset(), "integer too large" + unsupported_limits_flags(*first));
    return out;
  }
  const uint32_t at = r_.offset();
  const uint8_t flags = r_.flag_byte(known);
  if (!r_.ok()) return out;
  if ((flags & 2) && !uses(Feature::Threads)) {
    r_.fail_at(at, "integer too large" + disabled_note("a shared memory", Feature::Threads));
    return out;
  }
  if (shared) *shared = flags & 2;
  out.min = r_.u32();
  if (flags & 1) out.max = r_.u32();
  return out;
}

// With memory64, flags 4 to 7 are those of 0 to 3 for a 64-bit memory,
// whose limits are u64 (a shared one needs threads too).
MemoryType ModuleDecoder::memory_type() {
  MemoryType out;
  const auto first = r_.peek();
  if (!first || *first < 4 || *first > 7) {
    out.limits = limits(&out.shared);
    return out;
  }
  if (!uses(Feature::Memory64)) {
    r_.fail_at(r_.offset(), "integer too large" + disabled_note("a 64-bit memory", Feature::Memory64));
    return out;
  }
  const uint32_t at = r_.offset();
  const uint8_t flags = r_.u8();
  if ((flags & 2) && !uses(Feature::Threads)) {
    r_.fail_at(at, "integer too large" + disabled_note("a shared memory", Feature::Threads));
    return out;
  }
  out.address64 = true;
  out.shared = flags & 2;
  out.limits.min = r_.u64();
  if (flags & 1) out.limits.max = r_.u64();
  return out;
}

TableType ModuleDecoder::table_type() {
  TableType out;
  out.elem_type = r_.ref_type();
  out.limits = limits();
  return out;
}

GlobalType ModuleDecoder::global_type() {
  GlobalType out;
  out.type = r_.val_type();
  const uint32_t at = r_.offset();
  const uint8_t mut = r_.u8();
  if (!r_.ok()) return out;
  if (mut > 1) {
    r_.fail_at(at, "malformed mutability");
    return out;
  }
  out.is_mutable = mut == 1;
  return out;
}

void ModuleDecoder::import_section() {
  const uint32_t n = r_.count();
  m_.imports.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    Import imp;
    imp.module = r_.name();
    imp.name = r_.name();
    const uint32_t at = r_.offset();
    const uint8_t kind = r_.u8();
    if (!r_.ok()) return;
    switch (kind) {
      case 0:
        imp.kind = ExternKind::Func;
        imp.type_index = r_.u32();
        ++m_.imported_funcs;
        break;
      case 1:
        imp.kind = ExternKind::Table;
        imp.table = table_type();
        ++m_.imported_tables;
        break;
      case 2:
        imp.kind = ExternKind::Memory;
        imp.memory = memory_type();
        ++m_.imported_memories;
        break;
      case 3:
        imp.kind = ExternKind::Global;
        imp.global = global_type();
        ++m_.imported_globals;
        break;
      case 4:
        if (!features_.has(Feature::ExceptionHandling)) {
          r_.fail_at(at, "malformed import kind" + disabled_note("a tag", Feature::ExceptionHandling));
          return;
        }
        imp.kind = ExternKind::Tag;
        imp.type_index = tag_type();
        ++m_.imported_tags;
        m_.features_used |= abi::feature_bit(Feature::ExceptionHandling);
        break;
      default:
        r_.fail_at(at, "malformed import kind");
        return;
    }
    m_.import_positions[size_t(imp.kind)].push_back(uint32_t(m_.imports.size()));
    m_.imports.push_back(std::move(imp));
  }
}

void ModuleDecoder::function_section() {
  const uint32_t n = r_.count();
  m_.functions.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) m_.functions.push_back(r_.u32());
}

void ModuleDecoder::table_section() {
  const uint32_t n = r_.count();
  for (uint32_t i = 0; i < n && r_.ok(); ++i) m_.tables.push_back(table_type());
}

void ModuleDecoder::memory_section() {
  const uint32_t n = r_.count();
  for (uint32_t i = 0; i < n && r_.ok(); ++i) m_.memories.push_back(memory_type());
}

void ModuleDecoder::global_section() {
  const uint32_t n = r_.count();
  m_.globals.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    Global g;
    g.type = global_type();
    if (!r_.ok()) return;
    g.init = const_expr();
    m_.globals.push_back(std::move(g));
  }
}

uint32_t ModuleDecoder::tag_type() {
  const uint32_t at = r_.offset();
  const uint8_t attribute = r_.u8();
  if (r_.ok() && attribute != 0) r_.fail_at(at, "malformed tag attribute");
  return r_.u32();
}

void ModuleDecoder::tag_section() {
  const uint32_t n = r_.count();
  m_.tags.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) m_.tags.push_back(tag_type());
  m_.features_used |= abi::feature_bit(Feature::ExceptionHandling);
}

void ModuleDecoder::export_section() {
  const uint32_t n = r_.count();
  m_.exports.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    Export e;
    e.name = r_.name();
    const uint32_t at = r_.offset();
    const uint8_t kind = r_.u8();
    if (!r_.ok()) return;
    if (kind > 4 || (kind == 4 && !features_.has(Feature::ExceptionHandling))) {
      r_.fail_at(at, "malformed export kind" +
                         (kind == 4 ? disabled_note("a tag", Feature::ExceptionHandling) : std::string()));
      return;
    }
    e.kind = ExternKind(kind);
    e.index = r_.u32();
    m_.exports.push_back(std::move(e));
  }
}

ConstExpr ModuleDecoder::const_expr() {
  ConstExpr out;
  if (!r_.ok()) return out;
  InstrReader reader(r_.data().subspan(r_.pos()), r_.offset());
  const uint32_t start = r_.offset();
  Instr instr;
  size_t count = 0;
  bool constant = true, extended = false;
  uint32_t non_constant_at = 0;
  std::string non_constant_note;
  for (;;) {
    if (Error err = reader.next(instr)) {
      r_.fail_with(std::move(err));
      return out;
    }
    if (instr.op == Opcode::End) break;
    const bool arithmetic = extended_const_operand(instr.op).has_value();
    if (arithmetic && features_.has(Feature::ExtendedConst)) {
      extended = true;
    } else if (!is_constant_opcode(instr.op) && constant) {
      constant = false;
      non_constant_at = instr.offset;
      if (arithmetic)
        non_constant_note = disabled_note("integer arithmetic in a constant expression",
                                          Feature::ExtendedConst);
    }
    if (count++ == 0)
      out.instr = instr;
    else
      out.rest.push_back(instr);
  }
  r_.seek(r_.pos() + (reader.offset() - start));
  if (!constant) {
    r_.fail_at(non_constant_at, "constant expression required" + non_constant_note);
  } else if (count == 0 || (count != 1 && !extended)) {
    // An empty expression, or one leaving more than one value (the
    // validator checks the operand stack of an extended one).
    r_.fail_at(start, "type mismatch: a constant expression must produce exactly one value");
  }
  if (extended) m_.features_used |= abi::feature_bit(Feature::ExtendedConst);
  return out;
}

void ModuleDecoder::elem_section() {
  const uint32_t n = r_.count();
  m_.elems.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    ElemSegment seg;
    const uint32_t at = r_.offset();
    const uint32_t flags = r_.u32();
    if (!r_.ok()) return;
    if (flags > 7) {
      r_.fail_at(at, "malformed elements segment kind");
      return;
    }
    // Bit 0: passive/declarative; bit 1: explicit table (active) or
    // declarative; bit 2: items are expressions with an explicit type.
    const bool passive_or_declarative = flags & 1;
    const bool explicit_table_or_declarative = flags & 2;
    const bool expressions = flags & 4;
    if (passive_or_declarative) {
      seg.mode = explicit_table_or_declarative ? SegmentMode::Declarative : SegmentMode::Passive;
    } else {
      seg.mode = SegmentMode::Active;
      if (explicit_table_or_declarative) seg.table_index = r_.u32();
      seg.offset = const_expr();
    }
    // Forms 0 and 4 have an implicit funcref type; others state it.
    if (flags != 0 && flags != 4) {
      if (expressions) {
        seg.elem_type = r_.ref_type();
      } else {
        const uint32_t kind_at = r_.offset();
        if (r_.u8() != 0x00 && r_.ok()) {
          r_.fail_at(kind_at, "malformed element kind");
          return;
        }
      }
    }
    const uint32_t items = r_.count();
    seg.items.reserve(std::min<size_t>(items, r_.remaining()));
    for (uint32_t k = 0; k < items && r_.ok(); ++k) {
      if (expressions) {
        seg.items.push_back(const_expr());
        continue;
      }
      ConstExpr item;
      item.instr.op = Opcode::RefFunc;
      item.instr.offset = r_.offset();
      item.instr.index = r_.u32();
      seg.items.push_back(std::move(item));
    }
    m_.elems.push_back(std::move(seg));
  }
}

void ModuleDecoder::code_section() {
  saw_code_section_ = true;
  code_section_offset_ = r_.offset();
  const uint32_t n = r_.count();
  m_.bodies.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) function_body();
}

void ModuleDecoder::function_body() {
  FunctionBody body;
  body.offset = r_.offset();
  const uint32_t size = r_.length();
  if (!r_.ok()) return;
  const size_t start = r_.pos();
  const size_t end = start + size;
  const uint32_t groups_at = r_.offset();
  const uint32_t groups = r_.count();
  uint64_t total = 0;
  for (uint32_t g = 0; g < groups && r_.ok(); ++g) {
    const uint32_t count = r_.u32();
    const ValType type = r_.val_type();
    total += count;
    if (r_.ok() && total > kMaxLocals) {
      r_.fail_at(groups_at, "too many locals");
      return;
    }
    body.local_groups.emplace_back(count, type);
  }
  if (!r_.ok()) return;
  body.local_count = total;
  body.code_offset = r_.offset();
  const size_t code_start = r_.pos();
  scan_body();
  if (!r_.ok()) return;
  if (r_.pos() != end) {
    r_.fail_at(r_.offset_of(end), "section size mismatch");
    return;
  }
  body.code = r_.data().subspan(code_start, end - code_start);
  m_.bodies.push_back(std::move(body));
}

void ModuleDecoder::scan_body() {
  InstrReader reader(r_.data().subspan(r_.pos()), r_.offset(), features_);
  const uint32_t start = r_.offset();
  // Open blocks: 'b' block/loop/function, 'i' if, 'e' if after its else,
  // 't' try.
  std::vector<char> open{'b'};
  Instr instr;
  while (!open.empty()) {
    if (Error err = reader.next(instr)) {
      r_.fail_with(std::move(err));
      return;
    }
    switch (instr.op) {
      case Opcode::Block:
      case Opcode::Loop:
        open.push_back('b');
        break;
      case Opcode::If:
        open.push_back('i');
        break;
      case Opcode::Try:  // exception handling: ends with end or delegate
        open.push_back('t');
        break;
      case Opcode::Delegate:
        if (open.back() != 't') {
          r_.fail_at(instr.offset, "delegate without matching try");
          return;
        }
        open.pop_back();
        break;
      case Opcode::Else:
        if (open.back() != 'i') {
          r_.fail_at(instr.offset, "END opcode expected");
          return;
        }
        open.back() = 'e';
        break;
      case Opcode::End:
        open.pop_back();
        break;
      case Opcode::MemoryInit:
      case Opcode::DataDrop:
        uses_data_count_ = true;
        break;
      default:
        if (opcode_family(instr.op) == OpFamily::Atomic && !uses(Feature::Threads)) {
          r_.fail_at(instr.offset, std::string("illegal opcode ") + opcode_name(instr.op) +
                                       disabled_note("an atomic instruction", Feature::Threads));
          return;
        }
        break;
    }
  }
  r_.seek(r_.pos() + (reader.offset() - start));
}

void ModuleDecoder::data_section() {
  const uint32_t n = r_.count();
  m_.datas.reserve(std::min<size_t>(n, r_.remaining()));
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    DataSegment seg;
    const uint32_t at = r_.offset();
    const uint32_t flags = r_.u32();
    if (!r_.ok()) return;
    switch (flags) {
      case 0:
        seg.offset = const_expr();
        break;
      case 1:
        seg.mode = SegmentMode::Passive;
        break;
      case 2:
        seg.memory_index = r_.u32();
        seg.offset = const_expr();
        break;
      default:
        r_.fail_at(at, "malformed data segment kind");
        return;
    }
    const uint32_t len = r_.u32();
    seg.bytes = r_.bytes(len);
    m_.datas.push_back(seg);
  }
}

// The name section is uninterpreted as far as validity goes: anything
// malformed is ignored and leaves the names empty.
void ModuleDecoder::name_section(std::span<const uint8_t> payload, uint32_t base) {
  ByteReader r(payload, base);
  std::vector<std::string> names(m_.total_funcs());
  while (r.ok() && !r.at_end()) {
    const uint8_t id = r.u8();
    const uint32_t size = r.length();
    if (!r.ok()) return;
    const size_t end = r.pos() + size;
    if (id != 1) {  // only function names are used
      r.seek(end);
      continue;
    }
    const uint32_t n = r.count();
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      const uint32_t index = r.u32();
      std::string name = r.name();
      if (r.ok() && index < names.size()) names[index] = std::move(name);
    }
    if (!r.ok() || r.pos() != end) return;
  }
  if (r.ok()) m_.function_names = std::move(names);
}

}  // namespace

Expected<Module> decode_module(std::vector<uint8_t> bytes, const Features& features) {
  Module module;
  module.bytes = std::move(bytes);
  ModuleDecoder decoder(module, features);
  if (Error err = decoder.run()) return err;
  if (Error err = scan_exception_use(module, features)) return err;
  return module;
}

}  // namespace kiln::aotc
