// The scripts of the suite's proposal directories (proposals/NAME/*.wast):
// those of the proposals aotc implements run like the core suite's; each
// command of the others is counted as skipped with the reason, so they stay
// in the accounting until a later slice turns them on.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/spec/runner_options.h"
#include "tests/spec/script_result.h"
#include "tests/spec/wast_script.h"

namespace kiln::spec {

struct ProposalScript {
  std::string proposal;           // "extended-const"
  std::string name;               // "extended-const/data", as reported
  std::filesystem::path wast;
  bool pending = false;           // the proposal is not supported yet
};

/// The scripts of options.proposals and options.pending_proposals that the
/// filter and named scripts choose (by reported name). When there are none
/// to run, prints why, sets `exit_status` and returns nothing.
std::optional<std::vector<ProposalScript>> select_proposal_scripts(const RunnerOptions& options,
                                                                   Tool tool, int& exit_status);

/// Why a pending proposal's commands are skipped: "the NAME proposal is not
/// supported yet".
std::string pending_reason(const std::string& proposal);

/// Every command of `script` counted skipped for `reason`; one skip for the
/// whole script when it could not be read (`script` empty).
ScriptResult skip_commands(const std::string& name, const std::string& reason,
                           const std::optional<Script>& script);

/// A pending proposal's script: converted in `scratch`, every command
/// skipped (pending_reason).
ScriptResult skip_pending_script(const ProposalScript& script, const std::filesystem::path& scratch,
                                 const RunnerOptions& options);

}  // namespace kiln::spec
