#include "tests/spec/proposal_scripts.h"

#include <algorithm>
#include <system_error>

#include "tests/spec/script_file.h"
#include "tests/spec/script_selection.h"

namespace kiln::spec {

namespace fs = std::filesystem;

namespace {

/// proposals/ of the testsuite: beside core/ whether the suite option
/// names the testsuite root or its core directory.
fs::path proposals_root(const fs::path& suite) {
  std::error_code ec;
  if (fs::is_directory(suite / "proposals", ec)) return suite / "proposals";
  return suite.parent_path() / "proposals";
}

}  // namespace

std::optional<std::vector<ProposalScript>> select_proposal_scripts(const RunnerOptions& options,
                                                                   Tool tool, int& exit_status) {
  const fs::path root = proposals_root(options.suite_dir);
  if (auto status = report_missing_suite(root)) {
    exit_status = *status;
    return std::nullopt;
  }
  std::vector<ProposalScript> all;
  std::vector<std::string> names;
  std::string error;
  auto add = [&](const std::string& proposal, bool pending) {
    auto stems = suite_scripts(root / proposal, error);
    for (const std::string& stem : stems.value_or(std::vector<std::string>())) {
      all.push_back({proposal, proposal + "/" + stem, root / proposal / (stem + ".wast"), pending});
      names.push_back(all.back().name);
    }
    return stems.has_value();
  };
  bool readable = true;
  for (const std::string& p : options.proposals) readable = readable && add(p, false);
  for (const std::string& p : options.pending_proposals) readable = readable && add(p, true);
  std::vector<std::string> chosen;
  if (readable) chosen = select_scripts(names, options, root.string(), error);
  if (chosen.empty()) {
    exit_status = usage_error(tool, error);
    return std::nullopt;
  }
  std::vector<ProposalScript> out;
  for (ProposalScript& s : all)
    if (std::find(chosen.begin(), chosen.end(), s.name) != chosen.end()) out.push_back(std::move(s));
  return out;
}

std::string pending_reason(const std::string& proposal) {
  return "the " + proposal + " proposal is not supported yet";
}

ScriptResult skip_commands(const std::string& name, const std::string& reason,
                           const std::optional<Script>& script) {
  ScriptResult result;
  result.name = name;
  if (!script) {
    // Not even its commands can be told apart: one skip for the script.
    ++result.by_kind[size_t(CommandKind::Unsupported)].skipped;
    ++result.skip_reasons[reason + " (the script could not be read)"];
    return result;
  }
  for (const Command& command : script->commands) {
    ++result.by_kind[size_t(command.kind)].skipped;
    ++result.skip_reasons[reason];
  }
  return result;
}

ScriptResult skip_pending_script(const ProposalScript& script, const fs::path& scratch,
                                 const RunnerOptions& options) {
  fs::path json = script_json_path(scratch / script.proposal, script.wast.stem().string());
  Failure failure;
  std::optional<Script> parsed;
  if (!convert_script(options.wast2json, script.wast, json)) parsed = read_script(json, failure);
  ScriptResult result = skip_commands(script.name, pending_reason(script.proposal), parsed);
  if (!options.keep_scratch) {
    std::error_code ignored;
    fs::remove_all(json.parent_path(), ignored);
  }
  return result;
}

}  // namespace kiln::spec
