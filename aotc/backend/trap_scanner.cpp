// Trap-site discovery by disassembling each generated function.
#include "aotc/backend/trap_scanner.h"

#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "abi/trap_codes.h"
#include "aotc/backend/target.h"

namespace kiln::aotc {

namespace {

// "kiln_f<N>" -> N; nullopt for any other name.
std::optional<uint32_t> defined_function_index(llvm::StringRef name) {
  if (!name.consume_front("kiln_f") || name.empty()) return std::nullopt;
  if (name.size() > 1 && name.front() == '0') return std::nullopt;
  uint32_t index = 0;
  if (name.getAsInteger(10, index)) return std::nullopt;
  return index;
}

// The MC layer objects a disassembler needs, owned together.
struct Disassembler {
  std::unique_ptr<llvm::MCRegisterInfo> registers;
  std::unique_ptr<llvm::MCAsmInfo> asm_info;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
  std::unique_ptr<llvm::MCInstrInfo> instrs;
  std::unique_ptr<llvm::MCContext> context;
  std::unique_ptr<llvm::MCDisassembler> disassembler;
};

Expected<Disassembler> create_disassembler(const TargetArch& arch) {
  arch.initialize();
  const std::string where = std::string("cannot set up the ") + arch.name + " disassembler";
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(arch.triple, error);
  if (!target) return make_error(where + ": " + error);
  Disassembler d;
  llvm::MCTargetOptions options;
  d.registers.reset(target->createMCRegInfo(arch.triple));
  if (d.registers) d.asm_info.reset(target->createMCAsmInfo(*d.registers, arch.triple, options));
  d.subtarget.reset(target->createMCSubtargetInfo(arch.triple, arch.disassembler_cpu,
                                                  arch.disassembler_features));
  d.instrs.reset(target->createMCInstrInfo());
  if (!d.registers || !d.asm_info || !d.subtarget || !d.instrs) return make_error(where);
  d.context = std::make_unique<llvm::MCContext>(llvm::Triple(arch.triple), d.asm_info.get(),
                                                d.registers.get(), d.subtarget.get());
  d.disassembler.reset(target->createMCDisassembler(*d.subtarget, *d.context));
  if (!d.disassembler) return make_error(where);
  return d;
}

Error scan_function(const TargetArch& arch, const Disassembler& d, uint32_t func_index,
                    llvm::ArrayRef<uint8_t> code,
                    std::vector<abi::TrapSite>& traps) {
  uint64_t offset = 0;
  while (offset < code.size()) {
    llvm::MCInst inst;
    uint64_t size = 0;
    auto status =
        d.disassembler->getInstruction(inst, size, code.slice(offset), offset, llvm::nulls());
    if (status != llvm::MCDisassembler::Success || size == 0)
      return make_error("internal error: cannot disassemble function " +
                        std::to_string(func_index) + " at code offset " + std::to_string(offset));
    llvm::StringRef name = d.instrs->getName(inst.getOpcode());
    std::optional<uint8_t> code_value;
    if (arch.is_trap_opcode(name)) {
      // The code comes from the bytes, decoded as the loader decodes them.
      const abi::TrapCode decoded = arch.decode_trap(code.slice(offset, size));
      if (decoded == abi::TrapCode::None)
        return make_error("internal error: function " + std::to_string(func_index) +
                          " has a trap instruction without a valid trap code at code offset " +
                          std::to_string(offset));
      code_value = uint8_t(decoded);
    }
    if (code_value) {
      abi::TrapSite site{};
      site.func_index = func_index;
      site.offset = uint32_t(offset);
      site.code = *code_value;
      traps.push_back(site);
    }
    offset += size;
  }
  return Error::success();
}

}  // namespace

Expected<CodeLayout> scan_object(llvm::ArrayRef<char> object, uint32_t function_count) {
  return scan_object(object, 0, function_count);
}

void append_layout(CodeLayout& whole, CodeLayout&& part) {
  whole.traps.insert(whole.traps.end(), part.traps.begin(), part.traps.end());
  whole.function_sizes.insert(whole.function_sizes.end(), part.function_sizes.begin(),
                              part.function_sizes.end());
}

Expected<CodeLayout> scan_object(llvm::ArrayRef<char> object, uint32_t first, uint32_t end) {
  if (first > end) return make_error("internal error: bad function range to scan");
  uint32_t function_count = end - first;
  llvm::MemoryBufferRef buffer(llvm::StringRef(object.data(), object.size()), "code.o");
  auto file = llvm::object::ObjectFile::createELFObjectFile(buffer);
  if (!file)
    return make_error("internal error: bad object file: " + error_message(file.takeError()));
  auto* elf = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(file->get());
  if (!elf) return make_error("internal error: object file is not ELF64 little-endian");

  // The code's architecture is the object's.
  const TargetArch* arch = find_target(elf->getArch());
  if (!arch) return make_error("internal error: object file is for an unsupported architecture");
  auto disassembler = create_disassembler(*arch);
  if (!disassembler) return disassembler.takeError();

  CodeLayout layout;
  constexpr uint32_t kMissing = UINT32_MAX;
  layout.function_sizes.assign(function_count, kMissing);
  for (const llvm::object::ELFSymbolRef& symbol : elf->symbols()) {
    auto name = symbol.getName();
    if (!name) return make_error("internal error: " + error_message(name.takeError()));
    std::optional<uint32_t> index = defined_function_index(*name);
    if (!index) continue;
    auto type = symbol.getType();
    if (!type) return make_error("internal error: " + error_message(type.takeError()));
    if (*type != llvm::object::SymbolRef::ST_Function) continue;
    auto section = symbol.getSection();
    if (!section) return make_error("internal error: " + error_message(section.takeError()));
    // Calls to functions of other partitions leave them undefined here.
    if (*section == elf->section_end()) continue;
    if (*index < first || *index >= end)
      return make_error("internal error: object defines " + name->str() +
                        ", which is not one of its " + std::to_string(function_count) +
                        " functions from kiln_f" + std::to_string(first));
    uint32_t slot = *index - first;
    if (layout.function_sizes[slot] != kMissing)
      return make_error("internal error: object defines " + name->str() + " twice");

    auto contents = (*section)->getContents();
    if (!contents) return make_error("internal error: " + error_message(contents.takeError()));
    auto value = symbol.getValue();
    if (!value) return make_error("internal error: " + error_message(value.takeError()));
    uint64_t start = *value - (*section)->getAddress();
    uint64_t size = symbol.getSize();
    if (start > contents->size() || size > contents->size() - start || size > UINT32_MAX)
      return make_error("internal error: " + name->str() + " lies outside its section");

    llvm::ArrayRef<uint8_t> code(reinterpret_cast<const uint8_t*>(contents->data()) + start, size);
    if (Error err = scan_function(*arch, *disassembler, *index, code, layout.traps)) return err;
    layout.function_sizes[slot] = uint32_t(size);
  }
  for (uint32_t i = 0; i < function_count; ++i) {
    if (layout.function_sizes[i] == kMissing)
      return make_error("internal error: object has no code for function kiln_f" +
                        std::to_string(first + i));
  }
  std::sort(layout.traps.begin(), layout.traps.end(), [](const auto& a, const auto& b) {
    return a.func_index != b.func_index ? a.func_index < b.func_index : a.offset < b.offset;
  });
  return layout;
}

}  // namespace kiln::aotc
