#!/usr/bin/env python3
"""kiln inspect and kiln check on real artifacts, damaged ones and one
claiming another CPU: what they print, that --json follows
tools/kiln/inspect.schema.json, that check lists every reason in one line
each and exits 0 only when the artifact would load, and that kiln run
refuses the same files in one line."""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from elf_sections import section_place  # noqa: E402

results = []


def check(ok, what):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what)


def validate(value, schema, where="$"):
    """The problems of `value` against the subset of JSON Schema the inspect
    schema uses (type, const, enum, required, properties, items,
    additionalProperties)."""
    problems = []
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        py = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
        ok = any((t == "integer" and isinstance(value, int) and not isinstance(value, bool)) or
                 (t in py and isinstance(value, py[t])) for t in types)
        if not ok:
            return ["%s: %r is not %s" % (where, value, "/".join(types))]
    if "const" in schema and value != schema["const"]:
        problems.append("%s: %r is not %r" % (where, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        problems.append("%s: %r not in %r" % (where, value, schema["enum"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append("%s: missing %s" % (where, key))
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                problems += validate(item, props[key], where + "." + key)
            elif schema.get("additionalProperties") is False:
                problems.append("%s: unexpected %s" % (where, key))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += validate(item, schema["items"], "%s[%d]" % (where, i))
    return problems


def descriptor_offset(data):
    """File offset of the .kiln_descriptor section."""
    place = section_place(data, ".kiln_descriptor")
    if place is None:
        raise SystemExit("no .kiln_descriptor section")
    return place[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--aotc", required=True)
    p.add_argument("--kiln", required=True)
    p.add_argument("--seal", required=True, help="tests/tools/seal_artifact")
    p.add_argument("--schema", required=True)
    p.add_argument("--machine", default="x86_64",
                   help="the CPU kiln runs on, and aotc compiles for (x86_64 or aarch64)")
    p.add_argument("module", help="tests/static/adder.wat")
    a = p.parse_args()
    schema = json.load(open(a.schema))

    def kiln(*args):
        return subprocess.run([a.kiln, *args], capture_output=True, text=True)

    with tempfile.TemporaryDirectory() as tmp:
        so = os.path.join(tmp, "adder.so")
        subprocess.run([a.aotc, a.module, "-o", so], check=True)
        r = kiln("inspect", "--json", so)
        check(r.returncode == 0, "inspect --json runs: " + r.stderr.strip())
        info = json.loads(r.stdout)
        problems = validate(info, schema)
        check(not problems, "the JSON follows inspect.schema.json: %s" % problems)
        check(info["machine"] == a.machine and info["target_triple"].startswith(a.machine) and
              info["abi_version"] >= 7 and info["artifact_hash_matches"] and info["decoded"],
              "target, ABI and hash")
        check(info["options"] == {"opt_level": 2, "bounds_checks": "guard", "interruptible": True},
              "the options aotc used: %s" % info["options"])
        check(info["wasm_features"] == [], "a WebAssembly 2.0 module uses no later proposal")
        check([e["name"] for e in info["exports"]] ==
              ["memory", "count", "add", "sum_and_product", "store", "splat"],
              "exports in order: %s" % [e["name"] for e in info["exports"]])
        check(info["imports"] == [{"module": "env", "name": "log", "kind": "func",
                                   "type": "func (param i32 i64)"}], "imports with types")
        check(info["memories"] == [{"min": 1, "max": None, "shared": False, "address": "i32"}] and
              info["globals"] == [{"type": "i32", "mutable": True}] and
              info["functions"] == {"defined": 4, "imported": 1} and info["code_bytes"] > 0,
              "memories, globals, function counts, code size")

        o0 = os.path.join(tmp, "o0.so")
        subprocess.run([a.aotc, "-O0", "--bounds-checks=explicit", "--no-interruptible", a.module,
                        "-o", o0], check=True)
        options = json.loads(kiln("inspect", "--json", o0).stdout)["options"]
        check(options == {"opt_level": 0, "bounds_checks": "explicit", "interruptible": False},
              "other options are recorded: %s" % options)
        ext_wat = os.path.join(tmp, "ext.wat")
        with open(ext_wat, "w") as f:
            f.write('(module (global (export "g") i64 (i64.mul (i64.const 6) (i64.const 7))))')
        ext = os.path.join(tmp, "ext.so")
        subprocess.run([a.aotc, ext_wat, "-o", ext], check=True)
        check(json.loads(kiln("inspect", "--json", ext).stdout)["wasm_features"] == ["extended-const"],
              "an extended constant expression records the extended-const proposal")
        check("wasm features: extended-const\n" in kiln("inspect", ext).stdout,
              "the text form shows the proposals used")
        mem_wat = os.path.join(tmp, "memories.wat")
        with open(mem_wat, "w") as f:
            f.write('(module (memory 1) (memory i64 2 3))')
        mems = os.path.join(tmp, "memories.so")
        subprocess.run([a.aotc, mem_wat, "-o", mems], check=True)
        mem_info = json.loads(kiln("inspect", "--json", mems).stdout)
        check(mem_info["wasm_features"] == ["multi-memory", "memory64"] and
              mem_info["memories"] == [{"min": 1, "max": None, "shared": False, "address": "i32"},
                                       {"min": 2, "max": 3, "shared": False, "address": "i64"}],
              "two memories, one 64-bit: multi-memory and memory64 recorded, address types shown")
        check("memory:        memory i64 2 3\n" in kiln("inspect", mems).stdout,
              "the text form shows a 64-bit memory")
        tail_wat = os.path.join(tmp, "tail.wat")
        with open(tail_wat, "w") as f:
            f.write('(module (global i32 (i32.add (i32.const 1) (i32.const 2)))'
                    ' (func $f (export "f") (result i32) (return_call $f)))')
        tail = os.path.join(tmp, "tail.so")
        subprocess.run([a.aotc, tail_wat, "-o", tail], check=True)
        check(json.loads(kiln("inspect", "--json", tail).stdout)["wasm_features"] ==
              ["extended-const", "tail-call"], "return_call records the tail-call proposal")
        text = kiln("inspect", so).stdout
        check("exports (6):" in text and "  env.log: func (param i32 i64)" in text and
              "(matches the file)" in text, "the text form")

        r = kiln("check", so)
        check(r.returncode == 0 and r.stdout.strip() == so + ": would load on this machine",
              "check: a good artifact would load")

        data = bytearray(open(so, "rb").read())
        at = descriptor_offset(data)

        def variant(name, edit, seal=True):
            raw = os.path.join(tmp, name + ".raw")
            out = os.path.join(tmp, name + ".so")
            changed = bytearray(data)
            edit(changed)
            open(raw if seal else out, "wb").write(changed)
            if seal:
                subprocess.run([a.seal, raw, out], check=True)
            return out

        def refused(path, reasons, what):
            r = kiln("check", path)
            lines = r.stdout.strip().splitlines()
            ok = r.returncode == 1 and len(lines) == len(reasons) and all(
                any(reason in line and line.startswith(path + ": ") for line in lines)
                for reason in reasons)
            check(ok, "check: %s: %s" % (what, lines))
            run = kiln("run", "--invoke", "add", path, "1", "2")
            check(run.returncode == 1 and len(run.stderr.strip().splitlines()) == 1 and
                  run.stderr.startswith("error: "), "kiln run refuses it in one line: %r" % run.stderr.strip())

        # Another CPU: e_machine of the other one (x86_64 62, aarch64 183).
        other, other_machine = ("x86_64", 62) if a.machine == "aarch64" else ("aarch64", 183)
        foreign = variant("foreign", lambda b: b.__setitem__(slice(18, 20), struct.pack("<H", other_machine)),
                          seal=False)
        refused(foreign, ["built for %s, this machine runs %s" % (other, a.machine), "artifact hash mismatch"],
                "another CPU, and so another hash")
        check(json.loads(kiln("inspect", "--json", foreign).stdout)["machine"] == other,
              "inspect reads another CPU's artifact")
        check("built for " + other in kiln("run", "--invoke", "add", foreign, "1", "2").stderr,
              "kiln run names the other CPU")

        def abi(version):
            return lambda b: b.__setitem__(slice(at + 4, at + 8), struct.pack("<I", version))
        refused(variant("old", abi(6)), ["artifact too old: ABI version 6"], "an older ABI")
        refused(variant("new", abi(99)), ["loader too old: the artifact has ABI version 99"],
                "a newer ABI")

        # The first recorded feature (e.g. +sse3), renamed in place to one no CPU has.
        first = info["cpu_features"][0].encode()
        bogus = b"+zzz" + b"9" * (len(first) - 4)

        def feature(b):
            i = b.index(first + (b"," if len(info["cpu_features"]) > 1 else b"\0"), at)
            b[i:i + len(first)] = bogus
        refused(variant("feature", feature),
                ["missing CPU features: %s (unknown feature)" % bogus[1:].decode()],
                "a CPU feature this machine lacks")

        def tables(b):  # data_size beyond the section (offsetof(Descriptor, data_size): test_abi_layout.cpp)
            b[at + 880:at + 888] = struct.pack("<Q", 1 << 40)
        refused(variant("tables", tables), ["bad descriptor: declared data size"], "a bad descriptor")
        damaged = variant("damaged", lambda b: b.__setitem__(len(b) - 1, b[-1] ^ 1), seal=False)
        refused(damaged, ["artifact hash mismatch"], "a damaged file")

        notelf = os.path.join(tmp, "notelf.so")
        open(notelf, "w").write("hello\n")
        r = kiln("check", notelf)
        check(r.returncode == 1 and r.stdout.strip() == notelf + ": not an ELF file", "check: not ELF")
        r = kiln("inspect", notelf)
        check(r.returncode == 1 and r.stderr.strip() == "error: " + notelf + ": not an ELF file",
              "inspect: not ELF, one line")
        r = kiln("inspect")
        check(r.returncode == 1 and "takes one artifact" in r.stderr, "inspect needs an artifact")

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
