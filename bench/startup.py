#!/usr/bin/env python3
"""Start-up: a standalone executable (aotc --emit=exe) against `kiln run` of
the same module, side by side in one run.

Two WASI commands, each compiled once both ways: `exit0` (returns at once:
the start-up cost alone) and `upper` (tests/static/programs/upper.c, C with
wasi-libc: reads and writes a file). Each is run --runs times, the two forms
alternating and the order swapping every round; the report gives median and
minimum wall times and the ratio exe/kiln-run. Writes
bench/results/startup.md. Timings on this shared 2-core VM move by tens of
percent between runs; the ratio of medians from one run is the figure."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EXIT0 = """(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 0))))
"""


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def timed(cmd, cwd):
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    return elapsed, r.returncode


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    p.add_argument("--runs", type=int, default=40)
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "startup.md"))
    a = p.parse_args()
    aotc = os.path.join(a.build_dir, "aotc", "aotc")
    kiln = os.path.join(a.build_dir, "tools", "kiln", "kiln")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "exit0.wat"), "w") as f:
            f.write(EXIT0)
        sh(["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2",
            os.path.join(ROOT, "tests", "static", "programs", "upper.c"), "-o",
            os.path.join(tmp, "upper.wasm")])
        with open(os.path.join(tmp, "in.txt"), "w") as f:
            f.write("start-up benchmark input\n" * 100)
        cases = {
            "exit0": ("exit0.wat", [], 0),
            "upper": ("upper.wasm", ["--dir", tmp + "::/d", "/d/in.txt", "/d/out.txt"], 3),
        }
        for name, (source, args, status) in cases.items():
            src = os.path.join(tmp, source)
            exe, so = os.path.join(tmp, name), os.path.join(tmp, name + ".so")
            sh([aotc, "--emit=exe", src, "-o", exe])
            sh([aotc, src, "-o", so])
            # kiln run takes the options before the artifact, the executable before the arguments
            opts = args[:2] if args else []
            rest = args[2:] if args else []
            forms = {"exe": [exe] + opts + ["--"] + rest, "kiln run": [kiln, "run"] + opts + [so] + rest}
            times = {k: [] for k in forms}
            for i in range(a.runs):
                order = list(forms) if i % 2 == 0 else list(reversed(forms))
                for k in order:
                    t, rc = timed(forms[k], tmp)
                    if rc != status:
                        sys.exit("error: %s (%s) exited %d, expected %d" % (name, k, rc, status))
                    times[k].append(t)
            med = {k: statistics.median(v) for k, v in times.items()}
            low = {k: min(v) for k, v in times.items()}
            rows.append((name, med, low, os.path.getsize(exe), os.path.getsize(so)))
    lines = ["# Start-up: standalone executable vs `kiln run`", "",
             "`python3 bench/startup.py --runs %d`; wall time per process, the two forms" % a.runs,
             "alternating. exe = `aotc --emit=exe` (module + libkiln + kiln_wasi linked in);",
             "kiln run = the `kiln` command loading the `.so` of the same compile (checks,",
             "hashes and dlopens it first).", "",
             "| module | exe median | kiln run median | exe / kiln run | exe min | kiln run min | exe bytes | .so bytes |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, med, low, exe_size, so_size in rows:
        lines.append("| %s | %.2f ms | %.2f ms | %.2f | %.2f ms | %.2f ms | %d | %d |" % (
            name, med["exe"] * 1e3, med["kiln run"] * 1e3, med["exe"] / med["kiln run"],
            low["exe"] * 1e3, low["kiln run"] * 1e3, exe_size, so_size))
    report = "\n".join(lines) + "\n"
    print(report)
    with open(a.out, "w") as f:
        f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
