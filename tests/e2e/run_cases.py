#!/usr/bin/env python3
"""End-to-end cases: compile each tests/e2e/cases/*.wat with aotc, run its
directives through `kiln run --invoke`, and compare with the expectations
written in the case file.

Directives (one per line, in comments at the top of a case):
  ;; RUN: NAME ARGS...      invoke export NAME with ARGS
  ;; EXPECT: V1 V2 ...      the results, one per output line ("" for none)
  ;; TRAP: MESSAGE          the call traps with this message (exit 134)
  ;; ERROR: TEXT            kiln fails (exit 1) with TEXT in its message
  ;; COMPILE-ERROR: TEXT    aotc refuses the module with TEXT in its message
  ;; AOTC: OPTIONS          more aotc options for every compile of this case
Every RUN is followed by exactly one EXPECT, TRAP or ERROR. Each case runs at
every optimisation level given with --opt.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def parse_case(path):
    runs, compile_error, options = [], None, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith(";;"):
                continue
            body = line[2:].strip()
            key, _, rest = body.partition(":")
            rest = rest.strip()
            if key == "RUN":
                runs.append({"args": rest.split(), "expect": None})
            elif key in ("EXPECT", "TRAP", "ERROR"):
                if not runs or runs[-1]["expect"] is not None:
                    raise SystemExit(f"{path}: {key} without a RUN")
                runs[-1]["expect"] = (key, rest)
            elif key == "COMPILE-ERROR":
                compile_error = rest
            elif key == "AOTC":
                options += rest.split()
    return runs, compile_error, options


def check_run(kiln, artifact, run):
    name, *args = run["args"]
    proc = subprocess.run([kiln, "run", "--invoke", name, artifact, *args],
                          capture_output=True, text=True, timeout=60)
    kind, want = run["expect"]
    got_out = proc.stdout.strip().split("\n") if proc.stdout.strip() else []
    if kind == "EXPECT":
        want_lines = want.split() if want else []
        if proc.returncode != 0 or got_out != want_lines:
            return f"expected {want_lines}, got {got_out} (exit {proc.returncode}: {proc.stderr.strip()})"
    elif kind == "TRAP":
        expected = f"error: wasm trap: {want}"
        if proc.returncode != 134 or expected not in proc.stderr:
            return f"expected trap '{want}', got exit {proc.returncode}: {proc.stderr.strip() or got_out}"
    elif kind == "ERROR":
        if proc.returncode != 1 or want not in proc.stderr:
            return f"expected error '{want}', got exit {proc.returncode}: {proc.stderr.strip()}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aotc", required=True)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--opt", action="append", default=[],
                    help="aotc options of one compile of every case, space-separated")
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    levels = a.opt or ["-O2"]
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="kiln-e2e-") as tmp:
        for case in sorted(a.cases):
            runs, compile_error, options = parse_case(case)
            base = os.path.splitext(os.path.basename(case))[0]
            for level in levels:
                label = f"{base} {level}"
                artifact = os.path.join(tmp, f"{base}{level.replace(' ', '_')}.so")
                proc = subprocess.run([a.aotc, case, "-o", artifact] + level.split() + options,
                                      capture_output=True, text=True, timeout=300)
                if compile_error is not None:
                    ok = proc.returncode == 1 and compile_error in proc.stderr \
                        and proc.stderr.startswith("error: ")
                    if ok:
                        passed += 1
                    else:
                        failed += 1
                        print(f"FAIL {label}: expected compile error '{compile_error}', "
                              f"got exit {proc.returncode}: {proc.stderr.strip()}")
                    continue
                if proc.returncode != 0:
                    failed += max(1, len(runs))
                    print(f"FAIL {label}: aotc failed: {proc.stderr.strip()}")
                    continue
                for run in runs:
                    err = check_run(a.kiln, artifact, run)
                    if err:
                        failed += 1
                        print(f"FAIL {label}: {' '.join(run['args'])}: {err}")
                    else:
                        passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
