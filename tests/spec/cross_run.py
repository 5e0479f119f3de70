#!/usr/bin/env python3
"""The spec suite for a cross build's target: the native build's spec_compile
compiles every module for the target (--target=...), then spec_run, built
for the target, runs the scripts through the target runner (qemu-user).

usage: cross_run.py --spec-compile NATIVE_SPEC_COMPILE --spec-run SPEC_RUN
                    --runner RUNNER --work DIR -- SPEC_COMPILE_ARGS...
Exits with spec_run's status, or 77 (skipped) when spec_compile skips (no
suite or no wast2json outside CI); spec_run's summary line is the test's."""
import argparse
import shutil
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--spec-compile", required=True)
    p.add_argument("--spec-run", required=True)
    p.add_argument("--runner", required=True)
    p.add_argument("--work", required=True, help="output of spec_compile, rewritten each run")
    p.add_argument("rest", nargs="*")
    a = p.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    compiled = subprocess.run([a.spec_compile, "--out=" + a.work] + a.rest)
    if compiled.returncode == 77:
        return 77
    if compiled.returncode != 0:
        print(f"error: spec_compile exited with {compiled.returncode}")
        return 1
    sys.stdout.flush()
    return subprocess.run([a.runner, a.spec_run, "--precompiled=" + a.work]).returncode


if __name__ == "__main__":
    sys.exit(main())
