#!/usr/bin/env python3
"""Records each case's expected results from Node's WASI (V8) into
corpus.json: every step's exit status and stdout digest, and the digests of
the files the case checks. A step Node cannot run may still be recorded when
the case documents the files it writes ('documented': their md5 from another
source): the step then runs under kiln at -O0 (--aotc, --kiln) and is kept
only if those files match the documentation.

    python3 record_expected.py --aotc build/aotc/aotc --kiln build/tools/kiln/kiln [CASE...]"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import corpus_lib
import run_steps

NODE_WASI = os.path.join(corpus_lib.HERE, "node_wasi.mjs")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aotc")
    ap.add_argument("--kiln")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    args.aotc = args.aotc and os.path.abspath(args.aotc)
    args.kiln = args.kiln and os.path.abspath(args.kiln)
    manifest = corpus_lib.load()
    for case in manifest["cases"]:
        if args.cases and case["name"] not in args.cases:
            continue
        documented = case.get("documented", {})
        doc_steps = {d["step"] for d in documented.values()}
        with tempfile.TemporaryDirectory() as tmp:
            def command(step, options):
                if case["steps"].index(step) in doc_steps:
                    module = corpus_lib.module_path(step, manifest)
                    artifact = os.path.join(tmp, step["program"] + ".so")
                    subprocess.run([args.aotc, "-O0", module, "-o", artifact], check=True)
                    return [args.kiln, "run", *options, artifact, *step["args"]]
                return ["node", "--no-warnings", NODE_WASI, *options,
                        corpus_lib.module_path(step, manifest), *step["args"]]
            work = os.path.join(tmp, "work")
            result = run_steps.run_case(case, manifest, work, command)
            for path, doc in documented.items():
                full = os.path.join(work, path)
                actual = run_steps.md5_of(full) if os.path.exists(full) else None
                if actual != doc["md5"]:
                    print("error: %s: %s has md5 %s, documented %s; stderr: %s" %
                          (case["name"], path, actual, doc["md5"], result["stderr"][doc["step"]][-500:]))
                    return 1
        if any(s["exit"] != 0 for s in result["steps"]) or None in result["files"].values():
            print("warning: %s: a step failed or a file is missing under node: %s" %
                  (case["name"], result["stderr"][-1][-300:]))
        case["expect"] = {"steps": result["steps"], "files": result["files"]}
        print("recorded %s" % case["name"])
    with open(corpus_lib.MANIFEST, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
