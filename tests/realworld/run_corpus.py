#!/usr/bin/env python3
"""Runs one corpus case (corpus.json) under kiln at each level (default -O0
and -O2): compiles its modules with aotc (through aotc's compile cache in
$KILN_CACHE/aotc), runs its steps in a fresh directory, and checks every
step's exit status and stdout and every checked file against the expected
results, and the levels against each other.

Exit 0 when all match, 1 otherwise; 77 (skipped) when the corpus is not
fetched, except under CI=true, where that is a failure.

    python3 run_corpus.py --aotc build/aotc/aotc --kiln build/tools/kiln/kiln CASE"""
import argparse
import os
import subprocess
import sys
import tempfile

import corpus_lib
import run_steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aotc", required=True)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--levels", default="-O0,-O2")
    ap.add_argument("case")
    args = ap.parse_args()
    args.aotc, args.kiln = os.path.abspath(args.aotc), os.path.abspath(args.kiln)
    manifest = corpus_lib.load()
    cases = {c["name"]: c for c in manifest["cases"]}
    if args.case not in cases:
        print("error: no case %r in %s" % (args.case, corpus_lib.MANIFEST))
        return 1
    case = cases[args.case]
    missing = corpus_lib.missing_inputs(case, manifest)
    if missing:
        print("skipped: corpus not fetched (missing %s; run python3 tests/realworld/fetch_corpus.py "
              "or .ci/bootstrap test)" % ", ".join(missing))
        if os.environ.get("CI") == "true":
            print("error: CI=true: the corpus must be fetched")
            return 1
        return 77
    if "expect" not in case:
        print("error: %s has no expected results (run record_expected.py)" % args.case)
        return 1

    cache = os.path.join(corpus_lib.cache_root(), "aotc")
    failures = []
    results = {}
    for level in args.levels.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            artifacts = {}
            for step in case["steps"]:
                if step["program"] in artifacts:
                    continue
                # Named for the program, so the guest's argv[0] is its name, as under Node.
                artifact = os.path.join(tmp, step["program"])
                compile_ = subprocess.run([args.aotc, level, "--cache-dir", cache,
                                           corpus_lib.module_path(step, manifest), "-o", artifact],
                                          capture_output=True, text=True)
                if compile_.returncode != 0:
                    failures.append("%s: aotc %s: %s" % (step["program"], level, compile_.stderr.strip()))
                    break
                artifacts[step["program"]] = artifact
            if len(artifacts) < len({s["program"] for s in case["steps"]}):
                continue

            def command(step, options):
                return [args.kiln, "run", *options, "./" + step["program"], *step["args"]]

            work = os.path.join(tmp, "work")
            os.makedirs(work)
            for program, artifact in artifacts.items():
                os.rename(artifact, os.path.join(work, program))
            result = run_steps.run_case(case, manifest, work, command)
            results[level] = result
            expect = case["expect"]
            for i, (got, want) in enumerate(zip(result["steps"], expect["steps"])):
                name = "%s step %d (%s)" % (level, i, case["steps"][i]["program"])
                if got["exit"] != want["exit"]:
                    failures.append("%s: exit status %d, expected %d; stderr: %s" %
                                    (name, got["exit"], want["exit"], result["stderr"][i][-400:].strip()))
                elif got["stdout_sha256"] != want["stdout_sha256"]:
                    failures.append("%s: stdout differs from the expected output" % name)
                else:
                    print("ok   %s: exit %d, stdout as expected" % (name, got["exit"]))
            if len(result["steps"]) < len(expect["steps"]):
                failures.append("%s: stopped after step %d" % (level, len(result["steps"]) - 1))
            for path, want in expect["files"].items():
                got = result["files"].get(path)
                if got != want:
                    failures.append("%s: %s %s" % (level, path, "is missing" if got is None else
                                                   "differs from the expected file"))
                else:
                    print("ok   %s: %s as expected" % (level, path))
    levels = list(results)
    for other in levels[1:]:
        same = results[other]["steps"] == results[levels[0]]["steps"] and \
            results[other]["files"] == results[levels[0]]["files"]
        if not same:
            failures.append("%s and %s give different results" % (levels[0], other))
        else:
            print("ok   %s and %s give identical results" % (levels[0], other))
    for failure in failures:
        print("FAIL " + failure)
    print("%s: %s" % (args.case, "passed" if not failures else "%d problems" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
