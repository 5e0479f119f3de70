#include "tests/spec/wast2json_tool.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

extern char** environ;

namespace kiln::spec {
namespace {

std::string first_line_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::string run_wast2json(const std::string& tool, const std::filesystem::path& wast,
                          const std::filesystem::path& json) {
  std::filesystem::path log = json;
  log.replace_extension(".log");
  std::string wast_arg = wast.string(), json_arg = json.string(), log_arg = log.string();
  std::vector<char*> argv = {const_cast<char*>(tool.c_str()), const_cast<char*>("--enable-all"),
                             wast_arg.data(), const_cast<char*>("-o"), json_arg.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_arg.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, tool.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return "cannot run " + tool + ": " + std::strerror(rc);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "waiting for " + tool + ": " + std::strerror(errno);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::string why = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "signal " + std::to_string(WTERMSIG(status));
  return tool + " failed (" + why + "): " + first_line_of(log);
}

}  // namespace kiln::spec
