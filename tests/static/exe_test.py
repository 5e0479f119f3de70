#!/usr/bin/env python3
"""aotc --emit=exe: a WASI command becomes one executable that needs no kiln,
no artifact and no LLVM. Built in one directory, moved to another, the first
deleted; then run with --dir, --env and arguments, against `kiln run` on the
.so of the same module. Traps, backtraces and refusals too."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

results = []


def check(ok, what):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--aotc", required=True)
    p.add_argument("--kiln", required=True)
    p.add_argument("--command", required=True, help="a WASI command module")
    p.add_argument("--not-command", required=True, help="a module without _start")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build = os.path.join(tmp, "build")
        home = os.path.join(tmp, "elsewhere")
        data = os.path.join(tmp, "data")
        for d in (build, home, data):
            os.mkdir(d)
        with open(os.path.join(data, "in.txt"), "w") as f:
            f.write("Kiln runs wasm.\n")

        run = subprocess.run([a.aotc, "--emit=exe", a.command, "-o", os.path.join(build, "upper")],
                             capture_output=True, text=True)
        check(run.returncode == 0 and run.stderr == "", "aotc --emit=exe: " + run.stderr.strip())
        shutil.move(os.path.join(build, "upper"), os.path.join(home, "upper"))
        shutil.rmtree(build)
        exe = os.path.join(home, "upper")
        check(os.access(exe, os.X_OK), "the output is executable")
        needed = subprocess.run(["readelf", "-d", exe], capture_output=True, text=True).stdout
        check("libkiln" not in needed and "LLVM" not in needed,
              "it needs neither libkiln nor LLVM at run time")

        def upper(*args, cwd=home):
            return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd,
                                  env={"PATH": os.environ.get("PATH", "")})

        r = upper("--dir", data + "::/data", "--env", "NAME=kiln", "--", "/data/in.txt",
                  "/data/out.txt", cwd="/")
        check(r.returncode == 3, "the guest's exit status comes back: %d (%s)" % (r.returncode, r.stderr.strip()))
        check(r.stdout == "hello kiln: 16 bytes, 3 args\n", "stdout: %r" % r.stdout)
        out = open(os.path.join(data, "out.txt")).read() if os.path.exists(os.path.join(data, "out.txt")) else ""
        check(out == "KILN RUNS WASM.\n", "the output file: %r" % out)

        # The same module through kiln run gives the same answers.
        so = os.path.join(tmp, "upper.so")
        subprocess.run([a.aotc, a.command, "-o", so], check=True)
        os.remove(os.path.join(data, "out.txt"))
        k = subprocess.run([a.kiln, "run", "--dir", data + "::/data", "--env", "NAME=kiln", so,
                            "/data/in.txt", "/data/out.txt"], capture_output=True, text=True)
        check(k.returncode == r.returncode and k.stdout == r.stdout and
              open(os.path.join(data, "out.txt")).read() == out, "kiln run agrees")

        r = upper("--dir", data, "/data/in.txt")
        check(r.returncode == 2 and "usage: upper" in r.stderr,
              "the first non-option word starts the guest's arguments")
        r = upper("trap")
        check(r.returncode == 134 and r.stderr.startswith("error: wasm trap: unreachable"),
              "a trap exits with 134 and says so: %r" % r.stderr)
        r = upper("--backtrace", "trap")
        check(r.returncode == 134 and "\n  at " in r.stderr and "upper, function " in r.stderr,
              "--backtrace lists the wasm frames: %r" % r.stderr)
        r = upper("--dir")
        check(r.returncode == 1 and r.stderr.strip() == "error: --dir needs a value (see --help)",
              "a bad option is refused in one line: %r" % r.stderr)
        r = upper("--help")
        check(r.returncode == 0 and "usage: " + exe in r.stdout and "--dir HOST[::GUEST]" in r.stdout,
              "--help documents the options")

        r = subprocess.run([a.aotc, "--emit=exe", a.not_command, "-o", os.path.join(tmp, "lib")],
                           capture_output=True, text=True)
        check(r.returncode == 1 and "needs a WASI command" in r.stderr and
              len(r.stderr.strip().splitlines()) == 1 and not os.path.exists(os.path.join(tmp, "lib")),
              "a module without _start is refused: %r" % r.stderr.strip())

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
