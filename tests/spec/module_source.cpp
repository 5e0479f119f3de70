#include "tests/spec/module_source.h"

#include <fstream>
#include <iterator>
#include <vector>

namespace kiln::spec {

CompileResult lookup_module_file(ModuleSource& source, const std::filesystem::path& directory,
                                 const Command& command) {
  std::ifstream in(directory / command.filename, std::ios::binary);
  if (!in) return CompileResult{CompileResult::Status::Unavailable, {}, "cannot read " + command.filename, command.filename};
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return source.lookup(bytes, command.is_text, command.filename);
}

CompileResult as_asked_by(CompileResult result, const std::string& name) {
  if (result.status == CompileResult::Status::Refused && result.name != name &&
      result.error.starts_with(result.name)) {
    result.error.replace(0, result.name.size(), name);
    result.name = name;
  }
  return result;
}

}  // namespace kiln::spec
