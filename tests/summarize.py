#!/usr/bin/env python3
"""Adds up the counts every test program reports in meson's testlog.json
(doctest's "test cases:" line, and "N passed, M failed" lines of our own
runners) and prints one closing line: "N passed, M failed". Tests meson
reports as SKIP (exit 77) count in neither; each is listed, with the reason
it printed, before that line.

usage: summarize.py TESTLOG [--extra "N passed, M failed"] [--log LABEL TESTLOG]...
Each --log (e.g. the aarch64 cross build's run under qemu) gets a line of
its own, and its counts go into the closing total."""
import json
import re
import sys

DOCTEST = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
PLAIN = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.M)


def count_log(path, skipped):
    """(passed, failed) of one testlog.json; a missing log is one failure."""
    passed = failed = 0
    try:
        f = open(path)
    except OSError as e:
        print(f"{path}: cannot read the test log ({e.strerror})")
        return 0, 1
    with f:
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
    return passed, failed


def main(argv):
    args = argv[1:]
    extra = None
    logs = []
    main_log = None
    while args:
        a = args.pop(0)
        if a == "--extra":
            extra = args.pop(0)
        elif a == "--log":
            logs.append((args.pop(0), args.pop(0)))
        else:
            main_log = a
    skipped = []
    passed, failed = count_log(main_log, skipped)
    # --extra "N passed, M failed": counts from a runner outside meson (none: a failure).
    if extra is not None:
        m = PLAIN.search(extra)
        if m:
            passed += int(m.group(1)); failed += int(m.group(2))
        else:
            failed += 1
    lines = [f"native: {passed} passed, {failed} failed"] if logs else []
    for label, path in logs:
        own_skipped = []
        p, f = count_log(path, own_skipped)
        skipped += [f"({label}) {s}" for s in own_skipped]
        lines.append(f"{label}: {p} passed, {f} failed")
        passed += p
        failed += f
    for line in skipped:
        print(f"skipped test {line}")
    for line in lines:
        print(line)
    print(f"{passed} passed, {failed} failed")


if __name__ == "__main__":
    main(sys.argv)
