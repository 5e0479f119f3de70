#!/usr/bin/env python3
"""Adds up the counts every test program reports in meson's testlog.json
(doctest's "test cases:" line, and "N passed, M failed" lines of our own
runners) and prints one closing line: "N passed, M failed"."""
import json
import re
import sys

DOCTEST = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
PLAIN = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.M)

passed = failed = 0
with open(sys.argv[1]) as f:
    for line in f:
        result = json.loads(line)
        out = result.get("stdout", "") or ""
        counted = False
        m = DOCTEST.findall(out)
        if m:
            passed += int(m[-1][1]); failed += int(m[-1][2]); counted = True
        m = PLAIN.findall(out)
        if m and not counted:
            passed += int(m[-1][0]); failed += int(m[-1][1]); counted = True
        if not counted:  # a test without its own counts counts once
            if result.get("result") == "OK":
                passed += 1
            else:
                failed += 1
        elif result.get("result") not in ("OK", "EXPECTEDFAIL") and failed == 0:
            failed += 1  # crashed or timed out after printing counts
print(f"{passed} passed, {failed} failed")
