// Shared by the WASI test programs: errno names, so outputs read the same
// whatever numbering the C library uses.
#pragma once
#include <errno.h>
#include <stdio.h>

__attribute__((unused)) static const char* errname(int e) {
  switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    case EILSEQ: return "EILSEQ";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: return "E?";
  }
}

/// Prints "LABEL: OK" when rc >= 0, else "LABEL: ENAME".
__attribute__((unused)) static void report(const char* label, long rc) {
  printf("%s: %s\n", label, rc >= 0 ? "OK" : errname(errno));
}

#define YES(cond) ((cond) ? "yes" : "no")
