#include "tests/spec/script_job.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include "tests/spec/script_runner.h"
#include "tests/spec/wast2json_tool.h"
#include "tests/spec/wast_script.h"

namespace kiln::spec {
namespace {

void script_error(ScriptResult& result, std::string expected, std::string got) {
  ++result.script_errors;
  result.failures.push_back(Failure{0, "script", std::move(expected), std::move(got)});
}

void convert_and_run(const std::filesystem::path& wast, const std::filesystem::path& directory,
                     ModuleSource& modules, const RunnerOptions& options, ScriptResult& result) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return script_error(result, "a scratch directory", ec.message());

  std::filesystem::path json = directory / (result.name + ".json");
  std::string failure = run_wast2json(options.wast2json, wast, json);
  if (!failure.empty()) return script_error(result, "wast2json converts the script", failure);

  std::ifstream in(json);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return script_error(result, "readable JSON", "cannot read " + json.string());
  std::string error;
  auto script = parse_script(text, error);
  if (!script) return script_error(result, "wast2json's JSON", error);

  run_script(*script, directory, modules, options.verbose, result);
}

}  // namespace

ScriptResult run_script_file(const std::filesystem::path& wast, const std::filesystem::path& scratch,
                             ModuleSource& modules, const RunnerOptions& options) {
  ScriptResult result;
  result.name = wast.stem().string();
  std::filesystem::path directory = scratch / result.name;
  try {
    convert_and_run(wast, directory, modules, options, result);
  } catch (const std::exception& e) {
    // E.g. the spectest module could not be created: nothing of this script can run.
    script_error(result, "the script runs", std::string("exception: ") + e.what());
  }
  if (!options.keep_scratch) {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
  return result;
}

}  // namespace kiln::spec
