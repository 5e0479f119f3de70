#!/usr/bin/env python3
"""Fetches the corpus' pinned npm packages with `npm pack` into
$KILN_CACHE/corpus (default ~/.cache/kiln/corpus), checks each tarball
against the manifest's sha512 integrity, and unpacks it. Idempotent: a
package already verified is not fetched again."""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request

import corpus_lib


def integrity_of(path):
    with open(path, "rb") as f:
        return "sha512-" + base64.b64encode(hashlib.file_digest(f, "sha512").digest()).decode()


def safe_extract(tgz, dest):
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            name = os.path.normpath(member.name)
            if name.startswith("..") or os.path.isabs(name) or not (member.isfile() or member.isdir()):
                raise ValueError("%s: refusing archive member %r" % (tgz, member.name))
        tar.extractall(dest)


def fetch(pkg):
    stem = corpus_lib.package_stem(pkg)
    if corpus_lib.fetched(pkg):
        print("have    %s" % stem)
        return True
    root = corpus_lib.corpus_dir()
    os.makedirs(root, exist_ok=True)
    tgz = os.path.join(root, stem + ".tgz")
    if not os.path.exists(tgz):
        spec = "%s@%s" % (pkg["npm"], pkg["version"])
        if shutil.which("npm"):
            run = subprocess.run(["npm", "pack", "--silent", spec], cwd=root, capture_output=True, text=True)
            problem = (run.stderr.strip().splitlines() or ["no output"])[-1]
        else:  # the registry's tarball address, which is what npm pack fetches
            url = "https://registry.npmjs.org/%s/-/%s-%s.tgz" % (
                pkg["npm"], pkg["npm"].split("/")[-1], pkg["version"])
            try:
                with urllib.request.urlopen(url, timeout=120) as response, open(tgz + ".part", "wb") as out:
                    shutil.copyfileobj(response, out)
                os.rename(tgz + ".part", tgz)
                problem = ""
            except OSError as e:
                problem = "%s: %s" % (url, e)
        if not os.path.exists(tgz):
            print("error: cannot fetch %s: %s" % (spec, problem))
            return False
    actual = integrity_of(tgz)
    if actual != pkg["integrity"]:
        os.remove(tgz)
        print("error: %s: integrity mismatch (got %s, expected %s); removed" % (tgz, actual, pkg["integrity"]))
        return False
    dest = corpus_lib.package_dir(pkg)
    safe_extract(tgz, dest)
    open(os.path.join(dest, ".verified"), "w").close()
    print("fetched %s" % stem)
    return True


def main():
    manifest = corpus_lib.load()
    ok = all([fetch(pkg) for pkg in manifest["packages"].values()])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
