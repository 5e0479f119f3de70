#!/usr/bin/env python3
"""spec-precompiled: the split path must count what the in-process runner
counts. Runs spec_runner on the scripts, then spec_compile --out=DIR and
spec_run --precompiled=DIR on the same scripts, and compares the
"NAME: P passed, F failed, S skipped" lines and the closing "spec: ..." line
of both. Arguments after `--` (suite, wast2json, script names) go to
spec_runner and spec_compile; spec_run gets the script names.

Exits 77 (skipped) when wast2json is missing or spec_runner skips (no suite),
1 when the counts differ or a half fails to run."""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time

COUNTS = re.compile(r"^(\S+): (\d+) passed, (\d+) failed, (\d+) skipped$", re.M)


class Stop(Exception):
    """Ends the test with `status`, showing `output` and `message`."""

    def __init__(self, status, output, message=""):
        super().__init__(message)
        self.status, self.output, self.message = status, output, message


def run(label, argv, ok=(0,)):
    """The stdout of argv (stderr goes to ours), whose exit status must be in `ok`."""
    start = time.monotonic()
    done = subprocess.run(argv, stdout=subprocess.PIPE, text=True)
    print(f"{label}: exit {done.returncode}, {time.monotonic() - start:.1f} s", flush=True)
    if done.returncode == 77:
        raise Stop(77, done.stdout)
    if done.returncode not in ok:
        raise Stop(1, done.stdout, f"error: {label} failed")
    return done.stdout


def counts(label, argv):
    """{script: (passed, failed, skipped)} that argv prints, the total under "spec",
    and its whole output. Failed assertions are fine: they are compared."""
    output = run(label, argv, ok=(0, 1))
    found = {m[0]: tuple(int(n) for n in m[1:]) for m in COUNTS.findall(output)}
    if "spec" not in found:
        raise Stop(1, output, f"error: {label} printed no closing count")
    return found, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec-runner", required=True)
    parser.add_argument("--spec-compile", required=True)
    parser.add_argument("--spec-run", required=True)
    parser.add_argument("rest", nargs="*", help="-- then spec_runner's arguments")
    args = parser.parse_args()
    shared = args.rest
    scripts = [a for a in shared if not a.startswith("-")]
    wast2json = next((a.split("=", 1)[1] for a in shared if a.startswith("--wast2json=")), "wast2json")
    if not shutil.which(wast2json):
        print(f"skipped: wast2json not found ({wast2json}; apt install wabt)")
        return 77

    expected, _ = counts("spec_runner (in-process)", [args.spec_runner] + shared)
    with tempfile.TemporaryDirectory(prefix="kiln-spec-precompiled-") as out:
        run("spec_compile", [args.spec_compile, "--out=" + out] + shared)
        got, split = counts("spec_run --precompiled", [args.spec_run, "--precompiled=" + out] + scripts)

    differ = sorted(name for name in expected.keys() | got.keys() if expected.get(name) != got.get(name))
    for name in differ:
        print(f"DIFFER {name}: in-process {expected.get(name)}, precompiled {got.get(name)}"
              " (passed, failed, skipped)")
    if differ:
        raise Stop(1, split, f"error: {len(differ)} counts differ between spec_runner and "
                             "spec_compile + spec_run")
    passed, failed, skipped = got["spec"]
    # Not a "N passed, M failed" line: these assertions are counted by the spec test already.
    print(f"spec-precompiled: {len(got) - 1} scripts count alike both ways "
          f"(both: {passed} passed, {failed} failed, {skipped} skipped)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Stop as stop:
        print(stop.output, end="")
        if stop.message:
            print(stop.message)
        sys.exit(stop.status)
