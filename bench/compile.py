#!/usr/bin/env python3
"""Compile speed and memory of aotc on the corpus' largest modules, against
issue 13's targets: at least 0.5 MB/s of code section at -O2 and 4 MB/s at
-O0 using every core, and under 2 GB of peak memory for a 60 MB module.
MB here is 10^6 bytes of the module's code section.

    python3 bench/compile.py [--aotc build/aotc/aotc] [--modules yosys,nextpnr]
        [--levels -O0,-O2] [--runs 1] [--breakdown]

Modules come from the real-world corpus (tests/realworld/fetch_corpus.py).
Each compile runs with aotc's defaults (all cores) and without its cache.
--breakdown adds where the time goes for nextpnr (-j1, -mllvm -time-passes),
summed by pass. Writes bench/results/compile.md."""
import argparse
import collections
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "realworld"))
import corpus_lib  # noqa: E402

MODULES = {
    "yosys": ("yosys", "package/gen/yosys.core.wasm"),
    "flite": ("flite", "package/flite.wasm"),
    "esbuild": ("esbuild", "package/esbuild.wasm"),
    "nextpnr": ("nextpnr", "package/gen/nextpnr-ice40.core.wasm"),
}
TARGET_MBPS = {"-O0": 4.0, "-O2": 0.5}
MEMORY_LIMIT = 2 << 30


def leb(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def code_section(path):
    """(bytes, function count) of the module's code section."""
    data = open(path, "rb").read()
    i = 8
    while i < len(data):
        section, size = data[i], None
        size, i = leb(data, i + 1)
        if section == 10:
            count, _ = leb(data, i)
            return size, count
        i += size
    return 0, 0


def compile_once(aotc, module, level, extra=()):
    """(wall s, cpu s, peak RSS bytes, stderr) of one compile, from that
    process's own resource usage (wait4)."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen([aotc, level, *extra, module, "-o", os.path.join(tmp, "out.so")],
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        raise SystemExit("error: aotc %s %s failed: %s" % (level, module, stderr.strip()[-300:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, stderr


def time_passes(aotc, module, level):
    """Top passes by total time under -j1 -mllvm -time-passes."""
    _, _, _, stderr = compile_once(aotc, module, level, ("-j1", "-mllvm", "-time-passes"))
    totals = collections.Counter()
    line = re.compile(r"\s*(?:[\d.]+\s+\(\s*[\d.]+%\)\s+){3}([\d.]+)\s+\(\s*[\d.]+%\)\s+(.*)$")
    for text in stderr.splitlines():
        m = line.match(text)
        if m and m.group(2) != "Total":
            totals[re.sub(r" #\d+$", "", m.group(2))] += float(m.group(1))
    return totals


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aotc", default=os.path.join(HERE, "..", "build", "aotc", "aotc"))
    ap.add_argument("--modules", default="nextpnr,flite,esbuild,yosys")
    ap.add_argument("--levels", default="-O0,-O2")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--breakdown", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "compile.md"))
    args = ap.parse_args()
    manifest = corpus_lib.load()
    cores = len(os.sched_getaffinity(0))

    rows = []
    for name in args.modules.split(","):
        package, path = MODULES[name]
        pkg = manifest["packages"][package]
        if not corpus_lib.fetched(pkg):
            raise SystemExit("error: %s is not fetched (python3 tests/realworld/fetch_corpus.py)" % name)
        module = os.path.join(corpus_lib.package_dir(pkg), path)
        size, functions = code_section(module)
        for level in args.levels.split(","):
            load = os.getloadavg()[0]
            runs = [compile_once(args.aotc, module, level) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            rss = max(r[2] for r in runs)
            mbps = size / 1e6 / wall
            rows.append((name, functions, size, level, wall, cpu, cpu / wall / cores, rss, mbps, load))
            print("%-8s %s %6.1f s wall %7.1f s cpu %5.2f MB/s  peak %5.0f MB  (load %.1f)" %
                  (name, level, wall, cpu, mbps, rss / 2**20, load), flush=True)

    out = ["# aotc compile speed", "",
           "`python3 bench/compile.py` on this machine (%d cores); MB = 10^6 bytes of code section; "
           "target: -O0 >= 4 MB/s, -O2 >= 0.5 MB/s, peak < 2 GiB." % cores, "",
           "| module | functions | code MB | level | wall s | cpu s | cores used | peak MiB | MB/s | speed target | load before |",
           "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for name, functions, size, level, wall, cpu, eff, rss, mbps, load in rows:
        target = TARGET_MBPS.get(level)
        verdict = "" if target is None else ("met" if mbps >= target else "missed (%.0f%%)" % (100 * mbps / target))
        out.append("| %s | %d | %.1f | %s | %.1f | %.1f | %.0f%% | %.0f | %.2f | %s | %.1f |" %
                   (name, functions, size / 1e6, level, wall, cpu, 100 * eff, rss / 2**20, mbps, verdict, load))
    if any(r[7] >= MEMORY_LIMIT for r in rows):
        out += ["", "Peak memory reached 2 GiB."]
    if args.breakdown:
        package, path = MODULES["nextpnr"]
        module = os.path.join(corpus_lib.package_dir(manifest["packages"][package]), path)
        for level in ("-O0", "-O2"):
            totals = time_passes(args.aotc, module, level)
            out += ["", "## Where the time goes: nextpnr %s, -j1, by pass (s)" % level, "",
                    "| pass | s |", "| --- | ---: |"]
            out += ["| %s | %.2f |" % (p, t) for p, t in totals.most_common(12)]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
