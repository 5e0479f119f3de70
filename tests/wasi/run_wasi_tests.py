#!/usr/bin/env python3
"""Runs the WASI test programs with `kiln run`, each in a fresh temporary
sandbox, and compares stdout and exit status with programs/NAME.expected.

Directives in a program's leading `//` comments:
  // ARGS: a "b c"          guest arguments after argv[0] (shell quoting)
  // ENV: NAME=VALUE ...    --env options
  // STDIN: text            stdin contents (\\n for newlines)
  // EXIT: N                expected exit status (default 0)
  // DIRS: HOST::GUEST ...  --dir options, HOST relative to the temp root
                            (default: sandbox::.)
  // SETUP: mkdir PATH | file PATH TEXT | symlink TARGET PATH
                            prepared before the run, relative to the temp
                            root; {root} in TARGET is the root's path
  // STDERR: text           must appear in stderr
  // NO-STDERR: text        must not appear in stderr
  // FILE: PATH text        after the run, PATH (relative to the temp root)
                            holds exactly text (\\n for newlines)
Every run starts from a temp root holding sandbox/, outside.txt and
outside_dir/; afterwards nothing outside the preopened directories may have
changed. The program `compare` also runs natively (--native-compare) in an
identical temp root, and both its output and the sandbox it leaves must match.
Prints one line per check and "N passed, M failed" last.
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile

OUTSIDE_TEXT = "SECRET\n"


def parse_directives(path):
    d = {"args": [], "env": [], "stdin": "", "exit": 0, "dirs": ["sandbox::."], "setup": [], "stderr": None,
         "no_stderr": None, "files": []}
    with open(path) as f:
        for line in f:
            if not line.startswith("//"):
                if line.strip():
                    break
                continue
            body = line[2:].strip()
            key, sep, rest = body.partition(":")
            if not sep:
                continue
            rest = rest.strip()
            if key == "ARGS":
                d["args"] = shlex.split(rest)
            elif key == "ENV":
                d["env"] = shlex.split(rest)
            elif key == "STDIN":
                d["stdin"] = rest.encode().decode("unicode_escape")
            elif key == "EXIT":
                d["exit"] = int(rest)
            elif key == "DIRS":
                d["dirs"] = rest.split()
            elif key == "SETUP":
                d["setup"].append(shlex.split(rest))
            elif key == "STDERR":
                d["stderr"] = rest
            elif key == "NO-STDERR":
                d["no_stderr"] = rest
            elif key == "FILE":
                path, _, text = rest.partition(" ")
                d["files"].append((path, text.encode().decode("unicode_escape")))
    return d


def make_root(setup):
    root = tempfile.mkdtemp(prefix="kiln-wasi-test-")
    os.mkdir(os.path.join(root, "sandbox"))
    os.mkdir(os.path.join(root, "outside_dir"))
    with open(os.path.join(root, "outside.txt"), "w") as f:
        f.write(OUTSIDE_TEXT)
    for step in setup:
        kind, args = step[0], step[1:]
        if kind == "mkdir":
            os.makedirs(os.path.join(root, args[0]), exist_ok=True)
        elif kind == "file":
            with open(os.path.join(root, args[0]), "w") as f:
                f.write(args[1].encode().decode("unicode_escape") if len(args) > 1 else "")
        elif kind == "symlink":
            os.symlink(args[0].replace("{root}", root), os.path.join(root, args[1]))
        else:
            raise SystemExit(f"unknown SETUP step {kind}")
    return root


def snapshot(top, skip=()):
    """Every entry under top (not following symlinks) with its content."""
    entries = {}
    for dirpath, dirnames, filenames in os.walk(top):
        rel_dir = os.path.relpath(dirpath, top)
        dirnames[:] = sorted(n for n in dirnames
                             if os.path.normpath(os.path.join(rel_dir, n)) not in skip)
        for name in dirnames + sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if rel in skip:
                continue
            if os.path.islink(full):
                entries[rel] = ("link", os.readlink(full))
            elif os.path.isdir(full):
                entries[rel] = ("dir",)
            else:
                with open(full, "rb") as f:
                    entries[rel] = ("file", f.read())
    return entries


def remove_tree(root):
    subprocess.run(["chmod", "-R", "u+rwx", root], capture_output=True)
    subprocess.run(["rm", "-rf", root], capture_output=True)


def kiln_command(kiln, artifact, root, d):
    cmd = [kiln, "run"]
    for spec in d["dirs"]:
        host, _, guest = spec.partition("::")
        cmd += ["--dir", os.path.join(root, host) + ("::" + guest if guest else "")]
    for env in d["env"]:
        cmd += ["--env", env]
    return cmd + [artifact] + d["args"]


def run(cmd, stdin, cwd=None, env=None):
    try:
        p = subprocess.run(cmd, input=stdin.encode(), capture_output=True, timeout=60, cwd=cwd, env=env)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "", "timed out after 60 s"


def check_program(args, name):
    source = os.path.join(args.programs, name + ".c")
    d = parse_directives(source)
    with open(os.path.join(args.programs, name + ".expected")) as f:
        expected = f.read()
    artifact = os.path.join(args.artifacts, name + ".so")
    root = make_root(d["setup"])
    try:
        preopened = {os.path.normpath(s.partition("::")[0]) for s in d["dirs"]}
        before = snapshot(root, preopened)
        code, out, err = run(kiln_command(args.kiln, artifact, root, d), d["stdin"])
        after = snapshot(root, preopened)
        files = {}
        for path, _ in d["files"]:
            try:
                with open(os.path.join(root, path)) as f:
                    files[path] = f.read()
            except OSError as e:
                files[path] = f"<{e.strerror}>"
    finally:
        remove_tree(root)
    problems = []
    for path, text in d["files"]:
        if files[path] != text:
            problems.append(f"{path} holds {files[path]!r}, expected {text!r}")
    if code != d["exit"]:
        problems.append(f"exit status {code}, expected {d['exit']}")
    if out != expected:
        problems.append("stdout differs:\n" + diff(expected, out))
    if d["stderr"] is not None and d["stderr"] not in err:
        problems.append(f"stderr lacks {d['stderr']!r}")
    if d["no_stderr"] is not None and d["no_stderr"] in err:
        problems.append(f"stderr has {d['no_stderr']!r}, which the guest wrote to its own file")
    if before != after:
        changed = sorted(set(before.items()) ^ set(after.items()))
        problems.append(f"files outside the sandbox changed: {changed}")
    if problems and err.strip():
        problems.append("stderr: " + err.strip()[-2000:])
    return problems


def check_compare(args):
    """The compare program natively and under kiln, in identical roots."""
    d = parse_directives(os.path.join(args.programs, "compare.c"))
    results = []
    for mode in ("native", "kiln"):
        root = make_root(d["setup"])
        try:
            sandbox = os.path.join(root, "sandbox")
            if mode == "native":
                env = dict(e.split("=", 1) for e in d["env"])
                cmd = [args.native_compare] + d["args"]
                code, out, err = run(cmd, d["stdin"], cwd=sandbox, env=env)
            else:
                cmd = kiln_command(args.kiln, os.path.join(args.artifacts, "compare.so"), root, d)
                code, out, err = run(cmd, d["stdin"])
            results.append((code, out, err, snapshot(sandbox)))
        finally:
            remove_tree(root)
    (ncode, nout, nerr, ntree), (kcode, kout, kerr, ktree) = results
    problems = []
    if ncode != kcode:
        problems.append(f"exit status: native {ncode}, kiln {kcode}")
    if nout != kout:
        problems.append("stdout differs (native first):\n" + diff(nout, kout))
    if ntree != ktree:
        problems.append(f"sandbox left differently: native {sorted(ntree)}, kiln {sorted(ktree)}")
    if ncode != 0:
        problems.append(f"native run failed: {nerr.strip()}")
    if problems and kerr.strip():
        problems.append("kiln stderr: " + kerr.strip()[-2000:])
    return problems


def diff(a, b):
    import difflib
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "expected", "got"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--artifacts", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--native-compare")
    ap.add_argument("names", nargs="+")
    args = ap.parse_args()
    # Programs run in other directories: make every path absolute first.
    for key in ("kiln", "artifacts", "programs", "native_compare"):
        if getattr(args, key):
            setattr(args, key, os.path.abspath(getattr(args, key)))
    passed = failed = 0

    def report(label, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print(f"FAIL {label}")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            passed += 1
            print(f"ok   {label}")

    for name in args.names:
        report(name, check_program(args, name))
    if args.native_compare and "compare" in args.names:
        report("compare: kiln run matches the native build", check_compare(args))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
