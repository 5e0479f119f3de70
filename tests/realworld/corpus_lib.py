"""The corpus manifest (corpus.json) and the layout its cases run in, shared
by fetch_corpus.py, record_expected.py and run_corpus.py."""
import gzip
import hashlib
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "corpus.json")
INPUTS = os.path.join(HERE, "inputs")


def cache_root():
    return os.environ.get("KILN_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "kiln")


def corpus_dir():
    return os.path.join(cache_root(), "corpus")


def shared_dir():
    """../shared beside the checkout, or $KILN_SHARED."""
    return os.environ.get("KILN_SHARED") or os.path.join(HERE, "..", "..", "..", "shared")


def load():
    with open(MANIFEST) as f:
        return json.load(f)


def package_stem(pkg):
    """The file stem npm pack gives: @scope/name@1.2 -> scope-name-1.2."""
    return pkg["npm"].lstrip("@").replace("/", "-") + "-" + pkg["version"]


def package_dir(pkg):
    return os.path.join(corpus_dir(), package_stem(pkg))


def fetched(pkg):
    return os.path.exists(os.path.join(package_dir(pkg), ".verified"))


def file_digest(path, algorithm="sha256"):
    """The hex digest of a file's bytes."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, algorithm).hexdigest()


def host_dir(spec, work, manifest):
    """'inputs:' -> tests/realworld/inputs; 'work:SUB' -> WORK/SUB (created)."""
    kind, _, rest = spec.partition(":")
    if kind == "inputs":
        return os.path.join(INPUTS, rest)
    if kind == "work":
        path = os.path.join(work, rest)
        os.makedirs(path, exist_ok=True)
        return path
    raise ValueError("unknown directory kind in %r" % spec)


def source_path(spec, manifest):
    """'shared:PATH' or 'package:NAME:PATH'."""
    kind, _, rest = spec.partition(":")
    if kind == "shared":
        return os.path.join(shared_dir(), rest)
    if kind == "package":
        name, _, path = rest.partition(":")
        return os.path.join(package_dir(manifest["packages"][name]), path)
    raise ValueError("unknown source kind in %r" % spec)


def prepare(case, work, manifest):
    """Lays out a fresh WORK for the case (its setup steps)."""
    os.makedirs(work, exist_ok=True)
    for item in case.get("setup", []):
        if "mkdir" in item:
            os.makedirs(os.path.join(work, item["mkdir"]), exist_ok=True)
            continue
        target = os.path.join(work, item["to"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if "gunzip" in item:
            with gzip.open(source_path(item["gunzip"], manifest), "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            shutil.copyfile(source_path(item["copy"], manifest), target)


def run_options(step, work, manifest):
    """kiln run's (and node_wasi.mjs's) options for a step."""
    options = []
    for guest, spec in step.get("dirs", {}).items():
        options += ["--dir", host_dir(spec, work, manifest) + "::" + guest]
    for key, value in step.get("env", {}).items():
        options += ["--env", key + "=" + value]
    return options


def module_path(step, manifest):
    return os.path.join(package_dir(manifest["packages"][step["package"]]), step["module"])


def missing_inputs(case, manifest):
    """What a case needs that is not here: unfetched packages, absent shared files."""
    missing = []
    for step in case["steps"]:
        pkg = manifest["packages"][step["package"]]
        if not fetched(pkg) and package_stem(pkg) not in missing:
            missing.append(package_stem(pkg))
    for item in case.get("setup", []):
        if "mkdir" in item:
            continue
        path = source_path(item.get("gunzip") or item["copy"], manifest)
        if item.get("gunzip") and not os.path.exists(path):
            missing.append(path)
    return missing
