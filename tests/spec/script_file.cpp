#include "tests/spec/script_file.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include "tests/spec/wast2json_tool.h"

namespace kiln::spec {

std::filesystem::path script_json_path(const std::filesystem::path& directory,
                                       const std::string& name) {
  return directory / name / (name + ".json");
}

std::optional<Failure> convert_script(const std::string& wast2json,
                                      const std::filesystem::path& wast,
                                      const std::filesystem::path& json) {
  std::error_code ec;
  std::filesystem::create_directories(json.parent_path(), ec);
  if (ec) return Failure::of_script("a scratch directory", ec.message());
  std::string failure = run_wast2json(wast2json, wast, json);
  if (!failure.empty()) return Failure::of_script("wast2json converts the script", failure);
  return std::nullopt;
}

std::optional<Script> read_script(const std::filesystem::path& json, Failure& failure) {
  std::ifstream in(json);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    failure = Failure::of_script("readable JSON", "cannot read " + json.string());
    return std::nullopt;
  }
  std::string error;
  auto script = parse_script(text, error);
  if (!script) failure = Failure::of_script("wast2json's JSON", error);
  return script;
}

}  // namespace kiln::spec
