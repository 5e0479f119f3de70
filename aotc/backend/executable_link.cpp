// Where the runtime archives are, and the recorded link line around them.
#include "aotc/backend/executable_link.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include "aotc/backend/exe_link_config.h"

namespace kiln::aotc {

namespace {

void append(std::vector<std::string>& out, const char* const* words) {
  for (; *words; ++words) out.emplace_back(*words);
}

// True if this aotc runs from its build tree.
bool running_from_build_tree() {
  std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  llvm::SmallString<256> root(exe_link::kBuildRoot);
  llvm::sys::path::append(root, "");  // a trailing separator: no prefix-of-a-name match
  return !self.empty() && llvm::StringRef(self).starts_with(root);
}

// The installation prefix of an installed aotc: its directory less bindir
// (so an installation may be moved, or staged with DESTDIR).
std::string installation_prefix() {
  llvm::SmallString<256> dir(
      llvm::sys::path::parent_path(llvm::sys::fs::getMainExecutable(nullptr, nullptr)));
  for (auto part = llvm::sys::path::begin(exe_link::kBinDir);
       part != llvm::sys::path::end(exe_link::kBinDir); ++part)
    llvm::sys::path::remove_filename(dir);
  return std::string(dir);
}

}  // namespace

Expected<std::vector<std::string>> executable_link_args(const std::vector<std::string>& objects,
                                                        bool keep_symbols) {
  std::vector<std::string> args;
  append(args, exe_link::kBeforeObjects);
  args.insert(args.end(), {"-z", "noexecstack", "-z", "relro", "-z", "now"});
  if (!keep_symbols) args.push_back("--strip-all");
  args.insert(args.end(), objects.begin(), objects.end());
  const bool in_build_tree = running_from_build_tree();
  const std::string prefix = installation_prefix();
  for (const char* const* archive = in_build_tree ? exe_link::kBuildLibs : exe_link::kInstalledLibs;
       *archive; ++archive) {
    llvm::SmallString<256> path(in_build_tree ? "" : prefix);
    llvm::sys::path::append(path, *archive);
    if (!llvm::sys::fs::exists(path))
      return make_error("cannot link an executable: runtime archive " + std::string(path) +
                        " is missing (build or install kiln's static libraries)");
    args.emplace_back(path);
  }
  append(args, exe_link::kSystemLibs);
  append(args, exe_link::kAfterObjects);
  return args;
}

}  // namespace kiln::aotc
