#!/usr/bin/env bash
# The loader must never link LLVM: neither kiln nor libkiln may need it.
set -u
passed=0; failed=0
for f in "$@"; do
  needed=$(readelf -d "$f" | grep NEEDED)
  if echo "$needed" | grep -qiE 'llvm|lld|clang'; then
    echo "FAIL $f links LLVM:"; echo "$needed"; failed=$((failed + 1))
  elif ! readelf -d "$f" 2>/dev/null | grep -q "Dynamic section"; then
    echo "FAIL $f: readelf could not read it"; failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
