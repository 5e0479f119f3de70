// The embedder's view: kiln::wasi::Context on real artifacts compiled from
// the test programs, with stdio redirected to files.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "kiln/kiln.h"
#include "kiln/wasi.h"
#include "loader/wasi/unique_fd.h"
#include "unit/wasi_test_support.h"

namespace {

std::string artifact(const std::string& name) {
  const char* dir = std::getenv("KILN_WASI_ARTIFACTS");
  REQUIRE(dir != nullptr);
  return std::string(dir) + "/" + name + ".so";
}

/// Runs `name` with stdout and stderr going to files in `tmp`.
struct Run {
  uint32_t status = 0;
  std::string out, err;
};

Run run(const std::string& name, kiln::wasi::Config config, const kiln::wasi::testing::TempDir& tmp) {
  kiln::wasi::UniqueFd out(open((tmp / "out").c_str(), O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0644));
  kiln::wasi::UniqueFd err(open((tmp / "err").c_str(), O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0644));
  config.stdin_fd = -1;
  config.stdout_fd = out.get();
  config.stderr_fd = err.get();
  Run r;
  {
    kiln::wasi::Context wasi(config);
    kiln::Imports imports;
    wasi.add_to(imports);
    kiln::Store store;
    kiln::Instance instance = kiln::Instance::create(store, kiln::Module::load(artifact(name)), imports);
    r.status = kiln::wasi::run_start(instance);
  }
  r.out = tmp.read("out");
  r.err = tmp.read("err");
  return r;
}

}  // namespace

TEST_CASE("args, env and stdout through Config") {
  kiln::wasi::testing::TempDir tmp;
  kiln::wasi::Config config;
  config.args = {"args_env.so", "first", "second arg", "", "third"};
  config.set_env("GREETING", "hello").set_env("EMPTY", "").set_env("MULTI", "a=b=c");
  Run r = run("args_env", config, tmp);
  CHECK(r.status == 0);
  CHECK(r.out.find("argv[2]=[second arg]\n") != std::string::npos);
  CHECK(r.out.find("GREETING=[hello]\n") != std::string::npos);
  CHECK(r.out.find("environ entries: 3\n") != std::string::npos);
}

TEST_CASE("proc_exit becomes run_start's result, after atexit handlers") {
  kiln::wasi::testing::TempDir tmp;
  kiln::wasi::Config config;
  config.arg("exit_call");
  Run r = run("exit_call", config, tmp);
  CHECK(r.status == 42);
  CHECK(r.out == "buffered before exit\natexit handler ran\n");
}

TEST_CASE("a trap propagates as kiln::Trap; stdout already written stays") {
  kiln::wasi::testing::TempDir tmp;
  kiln::wasi::Config config;
  config.arg("exit_trap");
  CHECK_THROWS_AS(run("exit_trap", config, tmp), kiln::Trap);
  CHECK(tmp.read("out") == "about to abort\n");
}

TEST_CASE("preopened directories by guest name") {
  kiln::wasi::testing::TempDir tmp;
  tmp.mkdir("box");
  kiln::wasi::Config config;
  config.arg("files");
  config.preopen_dir((tmp / "box").string(), ".");
  Run r = run("files", config, tmp);
  CHECK(r.status == 0);
  CHECK(r.out.find("write: 13\n") != std::string::npos);
  CHECK(tmp.exists("box/data.bin"));
  CHECK(tmp.read("box/log.txt").empty());
}

TEST_CASE("Exit reaches a host that calls exports itself") {
  kiln::wasi::testing::TempDir tmp;
  kiln::wasi::Config config;
  config.arg("exit_return");
  config.stdout_fd = config.stderr_fd = config.stdin_fd = -1;
  kiln::wasi::Context wasi(config);
  kiln::Imports imports;
  wasi.add_to(imports);
  kiln::Store store;
  kiln::Instance instance = kiln::Instance::create(store, kiln::Module::load(artifact("exit_return")), imports);
  try {
    instance.func("_start").call();
    FAIL("_start returned although main returned 3");
  } catch (const kiln::wasi::Exit& e) {
    CHECK(e.code() == 3);
  }
}
