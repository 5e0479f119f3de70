#include "tests/spec/manifest.h"

#include <stdexcept>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

namespace kiln::spec {
namespace {

using nlohmann::json;

// Bumped when the layout changes, so an old directory is refused, not misread.
constexpr const char* kFormat = "kiln spec manifest 3";

json to_json(const Manifest& manifest) {
  json scripts = json::array();
  for (const PrecompiledScript& script : manifest.scripts) {
    json entry = {{"name", script.name}};
    if (script.failure)
      entry["failure"] = {{"expected", script.failure->expected}, {"got", script.failure->got}};
    else
      entry["json"] = script.json;
    if (!script.skip_reason.empty()) entry["skip"] = script.skip_reason;
    if (!script.key_prefix.empty()) entry["key_prefix"] = script.key_prefix;
    scripts.push_back(std::move(entry));
  }
  json modules = json::object();
  for (const auto& [key, result] : manifest.modules) {
    json entry = {{"name", result.name}};
    if (result.compiled())
      entry["artifact"] = result.artifact_path;
    else
      entry["error"] = result.error;
    modules[key] = std::move(entry);
  }
  return {{"format", kFormat},     {"target", manifest.target},
          {"cpu", manifest.cpu},   {"opt", manifest.opt_level},
          {"scripts", scripts},    {"modules", modules}};
}

// Throws json::exception on a missing field or a wrong type.
Manifest from_json(const json& document) {
  if (document.at("format").get<std::string>() != kFormat)
    throw std::runtime_error("format is not \"" + std::string(kFormat) + "\"");
  Manifest manifest;
  manifest.target = document.at("target").get<std::string>();
  manifest.cpu = document.at("cpu").get<std::string>();
  manifest.opt_level = document.at("opt").get<unsigned>();
  for (const json& entry : document.at("scripts")) {
    PrecompiledScript script;
    script.name = entry.at("name").get<std::string>();
    if (auto failure = entry.find("failure"); failure != entry.end())
      script.failure = Failure::of_script(failure->at("expected").get<std::string>(),
                                          failure->at("got").get<std::string>());
    else
      script.json = entry.at("json").get<std::string>();
    if (auto skip = entry.find("skip"); skip != entry.end())
      script.skip_reason = skip->get<std::string>();
    if (auto prefix = entry.find("key_prefix"); prefix != entry.end())
      script.key_prefix = prefix->get<std::string>();
    manifest.scripts.push_back(std::move(script));
  }
  for (const auto& [key, entry] : document.at("modules").items()) {
    CompileResult result;
    result.name = entry.at("name").get<std::string>();
    if (auto artifact = entry.find("artifact"); artifact != entry.end()) {
      result.status = CompileResult::Status::Compiled;
      result.artifact_path = artifact->get<std::string>();
    } else {
      result.status = CompileResult::Status::Refused;
      result.error = entry.at("error").get<std::string>();
    }
    manifest.modules.emplace(key, std::move(result));
  }
  return manifest;
}

}  // namespace

std::string write_manifest(const std::filesystem::path& directory, const Manifest& manifest) {
  std::filesystem::path path = directory / kManifestFile;
  std::filesystem::path partial = path;
  partial += ".partial";
  {
    std::ofstream out(partial);
    out << to_json(manifest).dump(1) << "\n";
    if (!out.flush()) return "cannot write " + partial.string();
  }
  // A reader sees the old manifest or the new one, never half of one.
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) return "cannot rename " + partial.string() + " to " + path.string() + ": " + ec.message();
  return {};
}

std::optional<Manifest> read_manifest(const std::filesystem::path& directory, std::string& error) {
  std::filesystem::path path = directory / kManifestFile;
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path.string() + " (written by spec_compile --out=DIR)";
    return std::nullopt;
  }
  try {
    return from_json(json::parse(in));
  } catch (const std::exception& e) {
    error = path.string() + ": " + e.what();
    return std::nullopt;
  }
}

}  // namespace kiln::spec
