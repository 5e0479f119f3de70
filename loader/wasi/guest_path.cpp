// Guest paths: text checks, then sandboxed resolution.
#include "loader/wasi/guest_path.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "loader/wasi/errno_map.h"

namespace kiln::wasi {

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = uint8_t(text[i]);
    size_t extra;
    uint32_t min, cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { extra = 1; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { extra = 2; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { extra = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    if (text.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      auto cc = uint8_t(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

abi::Errno read_guest_string(GuestMemory& m, uint32_t ptr, uint32_t len, std::string& out) {
  std::optional<std::string> text = m.string(ptr, len);
  if (!text) return abi::err::kFault;
  if (!is_valid_utf8(*text)) return abi::err::kIlseq;
  out = std::move(*text);
  return abi::err::kSuccess;
}

Follow follow_from_lookupflags(uint32_t lookupflags) {
  return lookupflags & abi::lookupflag::kSymlinkFollow ? Follow::Always : Follow::OnTrailingSlash;
}

abi::Errno resolve_guest_path(WasiState& s, GuestMemory& m, uint32_t fd, uint64_t rights,
                              uint32_t path, uint32_t path_len, Follow follow, ResolvedPath& out,
                              FdEntry** dir_out) {
  FdEntry* dir = s.fds.find(fd);
  if (!dir) return abi::err::kBadf;
  if (dir->type != abi::FileType::Directory) return abi::err::kNotDir;
  if ((dir->rights_base & rights) != rights) return abi::err::kNotCapable;
  std::string text;
  if (abi::Errno e = read_guest_string(m, path, path_len, text)) return e;
  bool follow_final = follow == Follow::Always ||
                      (follow == Follow::OnTrailingSlash && !text.empty() && text.back() == '/');
  if (abi::Errno e = resolve_path(dir->host.get(), text, follow_final, out)) return e;
  if (dir_out) *dir_out = dir;
  return abi::err::kSuccess;
}

abi::Errno check_directory_suffix(const ResolvedPath& path) {
  if (!path.trailing_slash) return abi::err::kSuccess;
  struct stat st;
  if (fstatat(path.parent.get(), path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? abi::err::kSuccess : last_error();
  return S_ISDIR(st.st_mode) ? abi::err::kSuccess : abi::err::kNotDir;
}

}  // namespace kiln::wasi
