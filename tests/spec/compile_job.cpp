#include "tests/spec/compile_job.h"

#include "tests/spec/script_file.h"

namespace kiln::spec {

CompiledScript compile_wast_file(const std::filesystem::path& wast, const std::filesystem::path& out,
                                 ModuleSource& compiler, const std::string& wast2json) {
  CompiledScript compiled;
  compiled.entry.name = wast.stem().string();
  compiled.entry.json = script_json_path({}, compiled.entry.name).string();
  std::filesystem::path json = out / compiled.entry.json;
  if ((compiled.entry.failure = convert_script(wast2json, wast, json))) return compiled;
  Failure failure;
  auto script = read_script(json, failure);
  if (!script) {
    compiled.entry.failure = std::move(failure);
    return compiled;
  }
  for (const Command& command : script->commands) {
    if (!compiles_module(command.kind)) continue;
    CompileResult result = lookup_module_file(compiler, json.parent_path(), command);
    ++compiled.modules;
    if (result.status == CompileResult::Status::Refused) ++compiled.refused;
    if (result.status == CompileResult::Status::Unavailable) compiled.unavailable.push_back(result.error);
  }
  return compiled;
}

}  // namespace kiln::spec
