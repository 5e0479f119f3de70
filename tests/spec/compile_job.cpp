#include "tests/spec/compile_job.h"

#include "tests/spec/script_file.h"

namespace kiln::spec {

namespace {

/// Converts `wast` into `out` and names the entry; returns the parsed script
/// unless the conversion failed (then the entry's failure says why).
std::optional<Script> convert_entry(const std::filesystem::path& wast,
                                    const std::filesystem::path& out, const std::string& group,
                                    const std::string& wast2json, PrecompiledScript& entry) {
  const std::string stem = wast.stem().string();
  entry.name = group.empty() ? stem : group + "/" + stem;
  entry.json = script_json_path(group, stem).string();
  std::filesystem::path json = out / entry.json;
  if ((entry.failure = convert_script(wast2json, wast, json))) return std::nullopt;
  Failure failure;
  auto script = read_script(json, failure);
  if (!script) entry.failure = std::move(failure);
  return script;
}

}  // namespace

CompiledScript compile_wast_file(const std::filesystem::path& wast, const std::filesystem::path& out,
                                 const std::string& group, ModuleSource& compiler,
                                 const std::string& wast2json) {
  CompiledScript compiled;
  auto script = convert_entry(wast, out, group, wast2json, compiled.entry);
  if (!script) return compiled;
  const std::filesystem::path directory = (out / compiled.entry.json).parent_path();
  for (const Command& command : script->commands) {
    if (!compiles_module(command.kind)) continue;
    CompileResult result = lookup_module_file(compiler, directory, command);
    ++compiled.modules;
    if (result.status == CompileResult::Status::Refused) ++compiled.refused;
    if (result.status == CompileResult::Status::Unavailable) compiled.unavailable.push_back(result.error);
  }
  return compiled;
}

CompiledScript convert_skipped_wast_file(const std::filesystem::path& wast,
                                         const std::filesystem::path& out, const std::string& group,
                                         const std::string& skip_reason,
                                         const std::string& wast2json) {
  CompiledScript converted;
  converted.entry.skip_reason = skip_reason;
  convert_entry(wast, out, group, wast2json, converted.entry);
  return converted;
}

}  // namespace kiln::spec
