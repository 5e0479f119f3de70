#!/usr/bin/env python3
"""aotc --cache-dir: a second compile of the same input with the same options
comes from the cache (proved by a marked entry, not by timing); other options
make other entries; a damaged entry is a miss and is replaced; a cache that
cannot be written is a warning, never a failed compile; and nothing but
errors reaches stderr when it is not a terminal."""
import argparse
import os
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def entries(cache):
    found = []
    for root, _, files in os.walk(cache):
        found += [os.path.join(root, f) for f in files]
    return sorted(found)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aotc", required=True)
    ap.add_argument("module")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as work:
        cache = os.path.join(work, "cache")

        def aotc(*options, out="out.so"):
            path = os.path.join(work, out)
            run = subprocess.run([args.aotc, args.module, "-o", path, *options],
                                 capture_output=True, text=True)
            data = open(path, "rb").read() if os.path.exists(path) else None
            return run, data

        run, first = aotc("--cache-dir", cache, "-O0")
        check(run.returncode == 0 and first is not None, "first compile succeeds")
        check(run.stderr == "", "no output on stderr when it is not a terminal: %r" % run.stderr)
        stored = entries(cache)
        check(len(stored) == 1 and open(stored[0], "rb").read() == first,
              "the artifact is stored under one key")

        # Mark the entry: the next identical compile must return the marked bytes.
        with open(stored[0], "ab") as f:
            f.write(b"cache-hit-marker")
        run, second = aotc("--cache-dir=" + cache, "-O0", "-j1", out="second.so")
        check(run.returncode == 0 and second == first + b"cache-hit-marker",
              "same input and options (another thread count) come from the cache")

        run, third = aotc("--cache-dir", cache, "-O2", out="third.so")
        check(run.returncode == 0 and len(entries(cache)) == 2,
              "another optimization level is another entry")
        run, _ = aotc("--cache-dir", cache, "-O2", "--no-interruptible", out="fourth.so")
        check(run.returncode == 0 and len(entries(cache)) == 3,
              "another code-generation option is another entry")
        run, _ = aotc("--cache-dir", cache, "-O2", "--no-interruptible", "--disable-extended-const",
                      out="fourth_features.so")
        check(run.returncode == 0 and len(entries(cache)) == 4,
              "another set of WebAssembly features is another entry")

        # A damaged (non-ELF) entry is a miss, recompiled and replaced.
        with open(stored[0], "wb") as f:
            f.write(b"garbage")
        run, fifth = aotc("--cache-dir", cache, "-O0", out="fifth.so")
        check(run.returncode == 0 and fifth == first and open(stored[0], "rb").read() == first,
              "a damaged entry is recompiled and replaced")

        # A cache path that cannot be a directory: a warning, and the artifact anyway.
        blocker = os.path.join(work, "file")
        open(blocker, "w").close()
        run, sixth = aotc("--cache-dir", os.path.join(blocker, "cache"), "-O0", out="sixth.so")
        check(run.returncode == 0 and sixth == first, "an unusable cache does not fail the compile")
        check(run.stderr.startswith("warning: cache: ") or "warning: cannot create cache" in run.stderr,
              "an unusable cache is reported in one warning line: %r" % run.stderr.strip())

        run, _ = aotc("--cache-dir=", out="seventh.so")
        check(run.returncode == 1 and "--cache-dir needs a directory" in run.stderr,
              "an empty --cache-dir is refused")

    print("%d passed, %d failed" % (10 - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
