"""Running a case's steps under one engine and collecting what they did."""
import hashlib
import os
import subprocess

import corpus_lib


def run_case(case, manifest, work, command_for, timeout=3600):
    """Runs every step in a fresh WORK; command_for(step, options) gives the
    command line. Returns {'steps': [{'exit', 'stdout_sha256'}...],
    'files': {path: sha256}, 'stderr': [...]}; stops after a failed step."""
    corpus_lib.prepare(case, work, manifest)
    result = {"steps": [], "files": {}, "stderr": []}
    for step in case["steps"]:
        options = corpus_lib.run_options(step, work, manifest)
        run = subprocess.run(command_for(step, options), cwd=work, capture_output=True, timeout=timeout)
        result["steps"].append({"exit": run.returncode,
                                "stdout_sha256": hashlib.sha256(run.stdout).hexdigest()})
        result["stderr"].append(run.stderr.decode(errors="replace")[-2000:])
        if run.returncode != 0:
            break
    for path in case.get("files", []):
        full = os.path.join(work, path)
        result["files"][path] = corpus_lib.file_digest(full) if os.path.exists(full) else None
    return result


def md5_of(path):
    return corpus_lib.file_digest(path, "md5")
