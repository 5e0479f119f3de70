// Binary decoder and instruction reader: structure of valid modules and the
// spec's wording for malformed ones.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "aotc/wasm/instr.h"
#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;

namespace {

using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::leb;
using kiln::test::section;

Bytes header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

Bytes name(const std::string& s) {
  Bytes out = leb(uint32_t(s.size()));
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const Bytes& s : sections) append(out, s);
  return out;
}

// Type section with the single type () -> ().
Bytes void_type() { return section(1, {0x01, 0x60, 0x00, 0x00}); }
// One function of type 0 whose body (locals + code) is `body`.
Bytes one_function() { return section(3, {0x01, 0x00}); }
Bytes code(const Bytes& body) {
  Bytes content{0x01};
  append(content, leb(uint32_t(body.size())));
  append(content, body);
  return section(10, content);
}

std::string decode_error(const Bytes& bytes) {
  auto m = decode_module(bytes);
  if (m) return "";
  return error_message(m.takeError());
}

}  // namespace

TEST_CASE("decoder: module with imports, memory, exports and a name section") {
  Bytes imports{0x03};
  append(imports, name("env"));
  append(imports, name("log"));
  append(imports, {0x00, 0x01});  // func, type 1
  append(imports, name("env"));
  append(imports, name("mem"));
  append(imports, {0x02, 0x01, 0x01, 0x02});  // memory, min 1 max 2
  append(imports, name("env"));
  append(imports, name("g"));
  append(imports, {0x03, 0x7F, 0x00});  // global i32 const

  Bytes exports{0x02};
  append(exports, name("add"));
  append(exports, {0x00, 0x01});  // func 1
  append(exports, name("memory"));
  append(exports, {0x02, 0x00});

  // name section: function names subsection naming function 1 "add"
  Bytes func_names{0x01, 0x01};
  append(func_names, name("add"));
  Bytes names = name("name");
  names.push_back(0x01);
  append(names, leb(uint32_t(func_names.size())));
  append(names, func_names);

  const Bytes bytes = module({
      section(1, {0x02, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F, 0x60, 0x01, 0x7F, 0x00}),
      section(2, imports),
      section(3, {0x01, 0x00}),
      section(7, exports),
      // local i64 x2; local.get 0 local.get 1 i32.add end
      code({0x01, 0x02, 0x7E, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B}),
      section(0, names),
  });
  auto m = decode_module(bytes);
  REQUIRE_MESSAGE(bool(m), error_message(m.takeError()));
  CHECK(m->types.size() == 2);
  CHECK(m->types[0].params == std::vector<ValType>{ValType::I32, ValType::I32});
  CHECK(m->types[0].results == std::vector<ValType>{ValType::I32});
  REQUIRE(m->imports.size() == 3);
  CHECK(m->imports[0].module == "env");
  CHECK(m->imports[0].name == "log");
  CHECK(m->imports[1].kind == ExternKind::Memory);
  CHECK(m->imports[1].memory.limits.min == 1);
  CHECK(m->imports[1].memory.limits.max == 2);
  CHECK(m->imports[2].global.type == ValType::I32);
  CHECK_FALSE(m->imports[2].global.is_mutable);
  CHECK(m->imported_funcs == 1);
  CHECK(m->imported_memories == 1);
  CHECK(m->imported_globals == 1);
  CHECK(m->total_funcs() == 2);
  CHECK(m->func_type_index(0) == 1);
  CHECK(m->func_type_index(1) == 0);
  CHECK(m->memory_type(0).limits.min == 1);
  CHECK(m->global_type(0).type == ValType::I32);
  REQUIRE(m->exports.size() == 2);
  CHECK(m->exports[0].name == "add");
  CHECK(m->exports[0].kind == ExternKind::Func);
  CHECK(m->exports[0].index == 1);
  CHECK(m->exports[1].kind == ExternKind::Memory);
  REQUIRE(m->bodies.size() == 1);
  CHECK(m->bodies[0].local_count == 2);
  REQUIRE(m->bodies[0].local_groups.size() == 1);
  CHECK(m->bodies[0].local_groups[0].second == ValType::I64);
  CHECK(m->bodies[0].code.size() == 6);
  CHECK(m->bodies[0].code.back() == 0x0B);
  CHECK(m->bytes[m->bodies[0].code_offset] == 0x20);
  REQUIRE(m->function_names.size() == 2);
  CHECK(m->function_names[0] == "");
  CHECK(m->function_names[1] == "add");
  CHECK(error_message(validate_module(*m)) == "");

  // A copy's spans point into its own bytes.
  Module copy = *m;
  *m = Module();
  CHECK(copy.bodies[0].code.data() == copy.bytes.data() + copy.bodies[0].code_offset);
  CHECK(copy.bodies[0].code.back() == 0x0B);
  CHECK(copy.func_type_index(0) == 1);
}

TEST_CASE("decoder: element and data segment forms") {
  // table 0 funcref, memory 0, one function.
  Bytes elems{0x03};
  append(elems, {0x00, 0x41, 0x00, 0x0B, 0x01, 0x00});        // form 0: active, func indices
  append(elems, {0x01, 0x00, 0x01, 0x00});                    // form 1: passive, elemkind
  append(elems, {0x05, 0x70, 0x02, 0xD2, 0x00, 0x0B, 0xD0, 0x70, 0x0B});  // form 5: exprs
  Bytes datas{0x02};
  append(datas, {0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i'});  // form 0
  append(datas, {0x01, 0x01, 'x'});                        // form 1: passive
  const Bytes bytes = module({void_type(), one_function(), section(4, {0x01, 0x70, 0x00, 0x01}),
                              section(5, {0x01, 0x00, 0x01}), section(9, elems),
                              section(12, {0x02}), code({0x00, 0x0B}), section(11, datas)});
  auto m = decode_module(bytes);
  REQUIRE_MESSAGE(bool(m), error_message(m.takeError()));
  REQUIRE(m->elems.size() == 3);
  CHECK(m->elems[0].mode == SegmentMode::Active);
  CHECK(m->elems[0].offset.instr.op == Opcode::I32Const);
  CHECK(m->elems[0].items.size() == 1);
  CHECK(m->elems[0].items[0].instr.op == Opcode::RefFunc);
  CHECK(m->elems[1].mode == SegmentMode::Passive);
  CHECK(m->elems[2].items.size() == 2);
  CHECK(m->elems[2].items[1].instr.op == Opcode::RefNull);
  REQUIRE(m->datas.size() == 2);
  CHECK(m->datas[0].offset.instr.bits == 8);
  CHECK(std::string(m->datas[0].bytes.begin(), m->datas[0].bytes.end()) == "hi");
  CHECK(m->datas[1].mode == SegmentMode::Passive);
  CHECK(m->data_count == 2u);
  CHECK(error_message(validate_module(*m)) == "");
}

TEST_CASE("instruction reader: immediates") {
  const Bytes code{
      0x41, 0x7F,                                            // i32.const -1
      0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F,  // i64.const INT64_MIN
      0x0E, 0x02, 0x00, 0x01, 0x02,                          // br_table 0 1 (default 2)
      0x28, 0x02, 0x90, 0x03,                                // i32.load align=2 offset=400
      0xFC, 0x08, 0x03, 0x00,                                // memory.init 3
      0x1C, 0x01, 0x6F,                                      // select (result externref)
      0x11, 0x04, 0x01,                                      // call_indirect type 4 table 1
      0x02, 0x40,                                            // block (empty)
      0x03, 0x7E,                                            // loop (result i64)
      0x04, 0x05,                                            // if (type 5)
      0xFD, 0x15, 0x0F,                                      // i8x16.extract_lane_s 15
      0x0B};
  InstrReader r(code, 100);
  Instr in;
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::I32Const);
  CHECK(int32_t(in.bits) == -1);
  CHECK(in.offset == 100);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(int64_t(in.bits) == INT64_MIN);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::BrTable);
  CHECK(in.targets == std::vector<uint32_t>{0, 1, 2});
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::I32Load);
  CHECK(in.align == 2);
  CHECK(in.mem_offset == 400);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::MemoryInit);
  CHECK(in.index == 3);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::SelectT);
  CHECK(in.ref_type == ValType::ExternRef);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::CallIndirect);
  CHECK(in.index == 4);
  CHECK(in.index2 == 1);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.block.kind == BlockType::Kind::Empty);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.block.kind == BlockType::Kind::Value);
  CHECK(in.block.value == ValType::I64);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.block.kind == BlockType::Kind::TypeIndex);
  CHECK(in.block.type_index == 5);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::I8x16ExtractLaneS);
  CHECK(in.lane == 15);
  REQUIRE_FALSE(bool(r.next(in)));
  CHECK(in.op == Opcode::End);
  CHECK(r.at_end());
}

TEST_CASE("instruction reader: LEB128 bounds") {
  auto first_error = [](const Bytes& code) {
    InstrReader r(code, 0x10);
    Instr in;
    return error_message(r.next(in));
  };
  // i32.const 0xFFFFFFFF encoded in 5 bytes is fine (signed -1 needs 0x7F).
  CHECK(first_error({0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}) == "");
  // Unused bits of the last byte must be a sign extension.
  CHECK(first_error({0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x4F}) == "integer too large at offset 0x15");
  CHECK(first_error({0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}) ==
        "integer representation too long at offset 0x15");
  // Unsigned 32-bit (a local index): the fifth byte may only carry 4 bits.
  CHECK(first_error({0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}) == "");
  CHECK(first_error({0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F}) == "integer too large at offset 0x15");
  CHECK(first_error({0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}) ==
        "integer too large at offset 0x1a");
  // Without multi-memory the memory index is 2.0's reserved zero byte.
  const Bytes size_one{0x3F, 0x01};
  Features no_multi_memory;
  REQUIRE_FALSE(disable_feature("multi-memory", no_multi_memory));
  InstrReader single_memory(size_one, 0x10, no_multi_memory);
  Instr size;
  CHECK(error_message(single_memory.next(size)) ==
        "zero byte expected (a memory index other than 0: the multi-memory proposal, disabled by "
        "--disable-multi-memory) at offset 0x11");
  CHECK(first_error({0xD0, 0x7F}) == "malformed reference type at offset 0x11");
  CHECK(first_error({0xFF}) == "illegal opcode 0xff at offset 0x10");
  CHECK(first_error({0xFC, 0x20}).find("illegal opcode") == 0);
  CHECK(first_error({0x41}) == "unexpected end of section or function at offset 0x11");
}

TEST_CASE("instruction reader: opcodes of later proposals name the proposal") {
  auto first_error = [](const Bytes& code) {
    InstrReader r(code, 0x10);
    Instr in;
    return error_message(r.next(in));
  };
  CHECK(first_error({0x1F, 0x40}) ==
        "illegal opcode 0x1f (try_table: the exception-handling (final form with exnref) proposal, "
        "which aotc does not support yet) at offset 0x10");
  CHECK(first_error({0x14, 0x00}).find("(call_ref: the function-references proposal") != std::string::npos);
  CHECK(first_error({0xFE, 0x03, 0x01}).find("zero byte expected") != std::string::npos);  // atomic.fence
  CHECK(first_error({0xFE, 0x4F}).find("illegal opcode 0xfe 79") != std::string::npos);
  CHECK(first_error({0xFB, 0x00}).find("the GC proposal") != std::string::npos);
  CHECK(first_error({0xFD, 0x80, 0x02}).find("the relaxed-SIMD proposal") != std::string::npos);
  // Unknown opcodes of no proposal stay plain.
  CHECK(first_error({0xFF}) == "illegal opcode 0xff at offset 0x10");
}

TEST_CASE("decoder: malformed modules use the spec's messages") {
  struct Case {
    const char* expected;
    Bytes bytes;
  };
  Bytes bad_utf8_import{0x01};
  append(bad_utf8_import, {0x01, 0xC0});  // overlong encoding
  append(bad_utf8_import, name("f"));
  append(bad_utf8_import, {0x00, 0x00});
  Bytes bad_kind_import{0x01};
  append(bad_kind_import, name("m"));
  append(bad_kind_import, name("f"));
  append(bad_kind_import, {0x05, 0x00});
  Bytes bad_mut_import{0x01};
  append(bad_mut_import, name("m"));
  append(bad_mut_import, name("g"));
  append(bad_mut_import, {0x03, 0x7F, 0x02});

  const Case cases[] = {
      {"unexpected end", {0x00, 0x61}},
      {"magic header not detected", {0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00}},
      {"unknown binary version", {0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}},
      {"malformed section id", module({{0x0E, 0x00}})},
      {"length out of bounds", module({{0x01, 0x10, 0x00}})},
      {"section size mismatch", module({section(1, {0x01, 0x60, 0x00, 0x00, 0x00})})},
      {"unexpected content after last section", module({void_type(), void_type()})},
      {"malformed UTF-8 encoding", module({section(2, bad_utf8_import)})},
      {"malformed import kind", module({section(2, bad_kind_import)})},
      {"malformed mutability", module({section(2, bad_mut_import)})},
      {"integer too large", module({section(4, {0x01, 0x70, 0x02, 0x00})})},  // a shared table
      {"malformed reference type", module({section(4, {0x01, 0x7F, 0x00, 0x00})})},
      {"function and code section have inconsistent lengths", module({void_type(), one_function()})},
      {"data count and data section have inconsistent lengths",
       module({section(12, {0x01})})},
      {"data count section required",
       module({void_type(), one_function(), section(5, {0x01, 0x00, 0x01}),
               code({0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B})})},
      {"too many locals",
       module({void_type(), one_function(), code({0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B})})},
      {"END opcode expected", module({void_type(), one_function(), code({0x00, 0x05, 0x0B})})},
      {"section size mismatch",  // the function's end lies beyond its size
       module({void_type(), one_function(), section(10, {0x01, 0x02, 0x00, 0x01, 0x0B})})},
      {"illegal opcode", module({void_type(), one_function(), code({0x00, 0x1F, 0x0B})})},
      {"constant expression required",  // i32.div_s (extended-const adds only add, sub, mul)
       module({section(6, {0x01, 0x7F, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6D, 0x0B})})},
  };
  for (const Case& c : cases) {
    const std::string msg = decode_error(c.bytes);
    INFO("expected: " << c.expected << ", got: " << msg);
    CHECK(msg.find(c.expected) == 0);
    CHECK(msg.find(" at offset 0x") != std::string::npos);
  }
}

TEST_CASE("decoder: custom sections are uninterpreted") {
  // A name section whose function-names subsection is truncated is ignored.
  Bytes names = name("name");
  append(names, {0x01, 0x05, 0x01, 0x00, 0x09, 'a'});
  auto m = decode_module(module({void_type(), one_function(), code({0x00, 0x0B}), section(0, names)}));
  REQUIRE_MESSAGE(bool(m), error_message(m.takeError()));
  REQUIRE(m->function_names.size() == 1);
  CHECK(m->function_names[0] == "");
  // But the custom section's own name must still be well-formed.
  CHECK(decode_error(module({section(0, {0x02, 0xFF, 0xFE})})).find("malformed UTF-8 encoding") == 0);
}
