// loader/platform/perf_map: moving code to anonymous pages keeps its bytes
// and protection; the map file is appended to only as our own regular file.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "abi/function_names.h"
#include "loader/platform/perf_map.h"

namespace fs = std::filesystem;
using namespace kiln::loader;

namespace {

/// The /proc/self/maps line of the mapping holding `address`.
std::string maps_line(uintptr_t address) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx", &lo, &hi) == 2 && address >= lo && address < hi) return line;
  }
  return "";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path own_map_path() { return "/tmp/perf-" + std::to_string(::getpid()) + ".map"; }

}  // namespace

TEST_CASE("make_code_anonymous keeps the bytes, execute permission and address") {
  const size_t page = size_t(::sysconf(_SC_PAGESIZE));
  const size_t size = 2 * page;
  // A file-backed executable mapping, as dlopen makes of an artifact.
  FILE* file = std::tmpfile();
  REQUIRE(file);
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = char(i * 7 + 3);
  REQUIRE(std::fwrite(bytes.data(), 1, size, file) == size);
  std::fflush(file);
  void* code = ::mmap(nullptr, size, PROT_READ | PROT_EXEC, MAP_PRIVATE, ::fileno(file), 0);
  REQUIRE(code != MAP_FAILED);
  const auto begin = reinterpret_cast<uintptr_t>(code);
  CHECK(maps_line(begin).find(" r-xp ") != std::string::npos);

  REQUIRE(make_code_anonymous(begin, size));
  CHECK(std::memcmp(code, bytes.data(), size) == 0);
  const std::string line = maps_line(begin + page);
  CHECK(line.find(" r-xp ") != std::string::npos);
  // Anonymous: inode 0 and no path after it.
  unsigned long lo = 0, hi = 0, offset = 0, inode = 1;
  char perms[8] = {}, dev[16] = {};
  int consumed = 0;
  REQUIRE(std::sscanf(line.c_str(), "%lx-%lx %7s %lx %15s %lu %n", &lo, &hi, perms, &offset, dev,
                      &inode, &consumed) == 6);
  CHECK(inode == 0);
  CHECK(line.substr(size_t(consumed)).find('/') == std::string::npos);
  CHECK(lo <= begin);
  CHECK(hi >= begin + size);
  ::munmap(code, size);
  std::fclose(file);
}

TEST_CASE("function display names are one line each, or wasm-function[N]") {
  using kiln::abi::function_display_name;
  CHECK(function_display_name("plain", 3) == "plain");
  CHECK(function_display_name(std::string_view("a\nb\tc\0d", 7), 3) == "a?b?c?d");
  CHECK(function_display_name("utf-8 \xc3\xa9", 3) == "utf-8 \xc3\xa9");
  CHECK(function_display_name("", 12) == "wasm-function[12]");
}

TEST_CASE("append_perf_map appends lines to our own map, never through a symlink") {
  const fs::path path = own_map_path();
  std::error_code ec;
  fs::remove(path, ec);

  append_perf_map({{0x1000, 0x20, "first"}, {0x1020, 0x8, "wasm-function[3]"}});
  append_perf_map({{0x2000, 0x10, "second"}});
  CHECK(read_file(path) == "1000 20 first\n1020 8 wasm-function[3]\n2000 10 second\n");
  fs::remove(path, ec);

  // A link planted where the map goes is not followed: its target is untouched.
  const fs::path target = fs::temp_directory_path() / ("kiln-perf-target-" + std::to_string(::getpid()));
  { std::ofstream(target) << "precious\n"; }
  fs::create_symlink(target, path, ec);
  REQUIRE(!ec);
  append_perf_map({{0x3000, 0x10, "third"}});
  CHECK(read_file(target) == "precious\n");
  fs::remove(path, ec);
  fs::remove(target, ec);
}
