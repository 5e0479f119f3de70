#!/usr/bin/env python3
"""Adds up the counts every test program reports in meson's testlog.json
(doctest's "test cases:" line, and "N passed, M failed" lines of our own
runners) and prints one closing line: "N passed, M failed". Tests meson
reports as SKIP (exit 77) count in neither; each is listed, with the reason
it printed, before that line."""
import json
import re
import sys

DOCTEST = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
PLAIN = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.M)

passed = failed = 0
skipped = []
# --extra "N passed, M failed": counts from a runner outside meson (none: a failure).
if "--extra" in sys.argv:
    extra = sys.argv[sys.argv.index("--extra") + 1]
    m = PLAIN.search(extra)
    if m:
        passed += int(m.group(1)); failed += int(m.group(2))
    else:
        failed += 1
with open(sys.argv[1]) as f:
    for line in f:
        result = json.loads(line)
        out = result.get("stdout", "") or ""
        counts = None
        m = DOCTEST.findall(out)
        if m:
            counts = (int(m[-1][1]), int(m[-1][2]))
        else:
            m = PLAIN.findall(out)
            if m:
                counts = (int(m[-1][0]), int(m[-1][1]))
        if result.get("result") == "SKIP":
            reason = next((l for l in out.splitlines() if l.startswith("skipped")), "skipped")
            skipped.append(f"{result.get('name')}: {reason}")
            continue
        ok = result.get("result") in ("OK", "EXPECTEDFAIL")
        if counts is None:  # a test without its own counts counts once
            counts = (1, 0) if ok else (0, 1)
        elif not ok and counts[1] == 0:
            counts = (counts[0], 1)  # crashed or timed out after its counts
        passed += counts[0]
        failed += counts[1]
for line in skipped:
    print(f"skipped test {line}")
print(f"{passed} passed, {failed} failed")
