// Trap-site scanning on objects compiled from hand-written LLVM IR.
#include <doctest/doctest.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/SourceMgr.h>

#include <algorithm>
#include <map>
#include <set>

#include "abi/trap_codes.h"
#include "abi/trap_encoding_aarch64.h"
#include "abi/trap_encoding_x86_64.h"
#include "aotc/backend/object_emitter.h"
#include "aotc/backend/target.h"
#include "aotc/backend/trap_scanner.h"

using namespace kiln;
using namespace kiln::aotc;

namespace {

// Compiles IR text to an object at opt_level (for the default target unless
// `triple` names another).
llvm::SmallVector<char, 0> compile_ir(const std::string& ir, const char* cpu = kDefaultCpu,
                                      const char* triple = "", unsigned opt_level = 2) {
  auto target = create_target(cpu, opt_level, triple);
  REQUIRE(bool(target));
  llvm::LLVMContext context;
  llvm::SMDiagnostic diag;
  auto module = llvm::parseAssemblyString(ir, diag, context);
  if (!module) FAIL("bad test IR: " << diag.getMessage().str());
  module->setTargetTriple(target->machine->getTargetTriple().str());
  module->setDataLayout(target->machine->createDataLayout());
  auto object = emit_object(*module, *target->machine);
  REQUIRE(bool(object));
  return std::move(*object);
}

// The bytes of kiln_f0 and kiln_f1 in `object` (for `arch`), found
// independently of the scanner.
std::map<std::string, llvm::StringRef> function_bytes(
    const llvm::SmallVector<char, 0>& object, llvm::Triple::ArchType arch = llvm::Triple::x86_64) {
  llvm::MemoryBufferRef buffer(llvm::StringRef(object.data(), object.size()), "t.o");
  auto file = llvm::object::ObjectFile::createObjectFile(buffer);
  REQUIRE(bool(file));
  CHECK((*file)->getArch() == arch);
  std::map<std::string, llvm::StringRef> code;
  for (const llvm::object::SymbolRef& symbol : (*file)->symbols()) {
    std::string name = llvm::cantFail(symbol.getName()).str();
    if (name != "kiln_f0" && name != "kiln_f1") continue;
    auto section = llvm::cantFail(symbol.getSection());
    llvm::StringRef contents = llvm::cantFail(section->getContents());
    uint64_t start = llvm::cantFail(symbol.getValue());
    code[name] = contents.substr(start, llvm::object::ELFSymbolRef(symbol).getSize());
  }
  return code;
}

// A trap code beyond kMaxTrapCode, which the scanner refuses.
const char* kBadCodeIR = R"(
declare void @llvm.ubsantrap(i8)
define hidden void @kiln_f0(i32 %x) {
  %a = icmp eq i32 %x, 0
  br i1 %a, label %t, label %d
t:
  call void @llvm.ubsantrap(i8 99)
  unreachable
d:
  ret void
}
)";

// The start of kiln_f0(ptr %p, i32 %x): code 5 when %x is 0, else on at %d.
const std::string kTrapThenIR = R"(
declare void @llvm.ubsantrap(i8)
define hidden void @kiln_f0(ptr %p, i32 %x) {
  %a = icmp eq i32 %x, 0
  br i1 %a, label %t, label %d
t:
  call void @llvm.ubsantrap(i8 5)
  unreachable
d:)";

// Two functions: kiln_f1 traps with several codes, kiln_f0 with ud2 and one code.
const char* kTrappingIR = R"(
declare void @llvm.ubsantrap(i8)
declare void @llvm.trap()

define hidden i32 @kiln_f1(i32 %x) {
entry:
  %a = icmp eq i32 %x, 0
  br i1 %a, label %div0, label %next1
div0:
  call void @llvm.ubsantrap(i8 2)
  unreachable
next1:
  %b = icmp eq i32 %x, 1
  br i1 %b, label %ovf, label %next2
ovf:
  call void @llvm.ubsantrap(i8 3)
  unreachable
next2:
  %c = icmp ugt i32 %x, 1000
  br i1 %c, label %oob, label %next3
oob:
  call void @llvm.ubsantrap(i8 5)
  unreachable
next3:
  %d = icmp eq i32 %x, 77
  br i1 %d, label %intr, label %done
intr:
  call void @llvm.ubsantrap(i8 11)
  unreachable
done:
  %r = udiv i32 1000, %x
  ret i32 %r
}

define hidden void @kiln_f0(i32 %x) {
entry:
  %a = icmp eq i32 %x, 0
  br i1 %a, label %un, label %next
un:
  call void @llvm.trap()
  unreachable
next:
  %b = icmp eq i32 %x, 9
  br i1 %b, label %ind, label %done
ind:
  call void @llvm.ubsantrap(i8 7)
  unreachable
done:
  ret void
}

define i32 @helper() {
  ret i32 0
}
)";

}  // namespace

TEST_CASE("trap scanner finds every ubsantrap and trap with its code") {
  auto object = compile_ir(kTrappingIR);
  auto layout = scan_object(object, 2);
  REQUIRE_MESSAGE(bool(layout), error_message(layout.takeError()));

  REQUIRE(layout->function_sizes.size() == 2);
  CHECK(layout->function_sizes[0] > 0);
  CHECK(layout->function_sizes[1] > 0);

  // Sorted by function, then offset; the multiset of codes per function is fixed.
  std::vector<uint8_t> codes0, codes1;
  for (size_t i = 0; i < layout->traps.size(); ++i) {
    const abi::TrapSite& site = layout->traps[i];
    if (i > 0) {
      const abi::TrapSite& prev = layout->traps[i - 1];
      CHECK((prev.func_index < site.func_index ||
             (prev.func_index == site.func_index && prev.offset < site.offset)));
    }
    CHECK(site.offset < layout->function_sizes[site.func_index]);
    (site.func_index == 0 ? codes0 : codes1).push_back(site.code);
  }
  std::sort(codes0.begin(), codes0.end());
  std::sort(codes1.begin(), codes1.end());
  CHECK(codes0 == std::vector<uint8_t>{uint8_t(abi::TrapCode::Unreachable),
                                       uint8_t(abi::TrapCode::IndirectCallTypeMismatch)});
  CHECK(codes1 == std::vector<uint8_t>{uint8_t(abi::TrapCode::IntegerDivideByZero),
                                       uint8_t(abi::TrapCode::IntegerOverflow),
                                       uint8_t(abi::TrapCode::OutOfBoundsMemoryAccess),
                                       uint8_t(abi::TrapCode::Interrupted)});
}

TEST_CASE("trap offsets point at the trap instructions in the object") {
  auto object = compile_ir(kTrappingIR);
  auto layout = scan_object(object, 2);
  REQUIRE(bool(layout));
  std::map<std::string, llvm::StringRef> code = function_bytes(object);
  REQUIRE(code.size() == 2);
  CHECK(code["kiln_f0"].size() == layout->function_sizes[0]);
  CHECK(code["kiln_f1"].size() == layout->function_sizes[1]);
  for (const abi::TrapSite& site : layout->traps) {
    llvm::StringRef fn = code["kiln_f" + std::to_string(site.func_index)];
    REQUIRE(site.offset + 2 <= fn.size());
    const auto* p = reinterpret_cast<const uint8_t*>(fn.data()) + site.offset;
    // The loader decodes the same bytes to the same code (abi/trap_encoding_x86_64.h).
    const size_t left = fn.size() - site.offset;
    CHECK(uint8_t(abi::x86_64::decode_trap([&](size_t i) -> uint8_t { return i < left ? p[i] : 0; })) ==
          site.code);
    if (site.code == uint8_t(abi::TrapCode::Unreachable)) {
      CHECK((p[0] == 0x0F && p[1] == 0x0B));  // ud2
    } else {
      // 67 0F B9 40 CODE: ud1l CODE(%eax), %eax
      REQUIRE(site.offset + 5 <= fn.size());
      CHECK((p[0] == 0x67 && p[1] == 0x0F && p[2] == 0xB9 && p[3] == 0x40));
      CHECK(p[4] == site.code);
    }
  }
}

TEST_CASE("trap scanner rejects missing or out-of-range functions and bad codes") {
  auto object = compile_ir(kTrappingIR);
  // kiln_f2 is missing.
  auto missing = scan_object(object, 3);
  REQUIRE_FALSE(bool(missing));
  CHECK(error_message(missing.takeError()).find("kiln_f2") != std::string::npos);
  // kiln_f1 exists but the module claims one function.
  auto extra = scan_object(object, 1);
  REQUIRE_FALSE(bool(extra));
  CHECK(error_message(extra.takeError()).find("kiln_f1") != std::string::npos);

  auto bad_code = compile_ir(kBadCodeIR);
  auto rejected = scan_object(bad_code, 1);
  REQUIRE_FALSE(bool(rejected));
  CHECK(error_message(rejected.takeError()).find("trap code") != std::string::npos);

  const char junk[] = "not an object file";
  auto not_elf = scan_object(llvm::ArrayRef<char>(junk, sizeof junk), 0);
  CHECK_FALSE(bool(not_elf));
  llvm::consumeError(not_elf.takeError());
}

TEST_CASE("trap scanner reports trap-free functions with their sizes") {
  auto object = compile_ir(R"(
define hidden i32 @kiln_f0(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}
)");
  auto layout = scan_object(object, 1);
  REQUIRE(bool(layout));
  CHECK(layout->traps.empty());
  REQUIRE(layout->function_sizes.size() == 1);
  CHECK(layout->function_sizes[0] >= 4);  // lea + ret at least
}

TEST_CASE("trap scanner decodes AVX-512 code") {
  // 512-bit vector code between the traps: every instruction must decode,
  // or the scanner (rightly) refuses the object.
  auto object = compile_ir(kTrapThenIR + R"(
  %v = load <16 x float>, ptr %p, align 64
  %w = fmul <16 x float> %v, %v
  %m = fcmp olt <16 x float> %w, %v
  %s = select <16 x i1> %m, <16 x float> %v, <16 x float> %w
  store <16 x float> %s, ptr %p, align 64
  %b = icmp eq i32 %x, 3
  br i1 %b, label %t2, label %e
t2:
  call void @llvm.ubsantrap(i8 6)
  unreachable
e:
  ret void
}
)",
                           "icelake-server");
  auto layout = scan_object(object, 1);
  REQUIRE_MESSAGE(bool(layout), error_message(layout.takeError()));
  REQUIRE(layout->traps.size() == 2);
  std::set<uint8_t> codes{layout->traps[0].code, layout->traps[1].code};
  CHECK(codes == std::set<uint8_t>{5, 6});
}

TEST_CASE("aarch64 trap sites are brk instructions that decode to their codes") {
  for (unsigned opt_level : {0u, 2u}) {
    CAPTURE(opt_level);
    auto object = compile_ir(kTrappingIR, "generic", "aarch64-linux-gnu", opt_level);
    auto layout = scan_object(object, 2);
    REQUIRE_MESSAGE(bool(layout), error_message(layout.takeError()));
    std::multiset<uint8_t> codes;
    std::map<std::string, llvm::StringRef> code = function_bytes(object, llvm::Triple::aarch64);
    REQUIRE(code.size() == 2);
    for (const abi::TrapSite& site : layout->traps) {
      llvm::StringRef fn = code["kiln_f" + std::to_string(site.func_index)];
      REQUIRE(site.offset % 4 == 0);
      REQUIRE(site.offset + 4 <= fn.size());
      const auto* p = reinterpret_cast<const uint8_t*>(fn.data()) + site.offset;
      const uint32_t word = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
                            uint32_t(p[3]) << 24;
      // brk #1 for llvm.trap, brk #(0x5500 | CODE) for llvm.ubsantrap(CODE).
      const uint16_t imm = site.code == uint8_t(abi::TrapCode::Unreachable)
                               ? abi::aarch64::kBrkUnreachable
                               : uint16_t(abi::aarch64::kBrkTrapBase | site.code);
      CHECK(word == abi::aarch64::brk(imm));
      CHECK(uint8_t(abi::aarch64::decode_trap_word(word)) == site.code);
      codes.insert(site.code);
    }
    CHECK(codes == std::multiset<uint8_t>{1, 2, 3, 5, 7, 11});
  }
}

TEST_CASE("aarch64 trap scanner rejects a brk without a valid code") {
  auto object = compile_ir(kBadCodeIR, "neoverse-n1", "aarch64-linux-gnu");
  auto rejected = scan_object(object, 1);
  REQUIRE_FALSE(bool(rejected));
  CHECK(error_message(rejected.takeError()).find("trap code") != std::string::npos);
}

TEST_CASE("aarch64 trap scanner decodes SVE code") {
  // Scalable vectors between the traps must decode, or the scan fails.
  auto object = compile_ir(kTrapThenIR + R"(
  %v = load <vscale x 4 x float>, ptr %p
  %w = fmul <vscale x 4 x float> %v, %v
  store <vscale x 4 x float> %w, ptr %p
  ret void
}
)",
                           "neoverse-v1", "aarch64-linux-gnu");
  auto layout = scan_object(object, 1);
  REQUIRE_MESSAGE(bool(layout), error_message(layout.takeError()));
  REQUIRE(layout->traps.size() == 1);
  CHECK(layout->traps[0].code == 5);
}
