#!/usr/bin/env python3
"""aotc --target=aarch64-linux-gnu on the e2e cases and some spec modules,
at -O0 and -O2, checked without running the code (no aarch64 loader yet):
each artifact is an aarch64 ET_DYN exporting only the descriptor, with no
dynamic relocations; its trap table lists exactly the `brk` instructions of
its code, each with the immediate of its trap code (abi/trap_encoding_aarch64.h);
its loop polls read the poll page through x16; kiln inspect --json reads it
(machine "aarch64"), and kiln check and kiln run refuse it in one line. A
module that x86-64 refuses is refused for aarch64 with the same message."""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from elf_sections import section_address  # noqa: E402

TARGET = "aarch64-linux-gnu"
TRIPLE = "aarch64-unknown-linux-gnu"
BRK_UNREACHABLE = 0x0001  # llvm.trap
BRK_TRAP_BASE = 0x5500    # llvm.ubsantrap(code): 0x5500 | code
UNREACHABLE = 1
# Spec modules with traps, loops, memory, tables, SIMD and calls.
SPEC_FILES = ["i32", "i64", "f64", "conversions", "memory_trap", "loop", "call_indirect",
              "br_table", "bulk", "simd_i32x4_dot_i16x8", "simd_f32x4_rounding", "simd_lane",
              "memory_grow", "table_copy"]

results = []


def check(ok, what):
    results.append(bool(ok))
    if not ok:
        print("FAIL " + what)
    return ok


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def descriptor_traps(data):
    """{(function code address, offset): code} and the function addresses,
    from the descriptor's trap and function tables (abi/descriptor.h)."""
    addr, off, _ = section_address(data, ".kiln_descriptor")
    function_count, = struct.unpack_from("<I", data, off + 732)
    trap_count, = struct.unpack_from("<I", data, off + 756)
    functions, = struct.unpack_from("<q", data, off + 792)
    traps, = struct.unpack_from("<q", data, off + 840)
    codes = []
    for i in range(function_count):  # Function: type_index, code_size, code, name, entry
        _, size, code, _, _ = struct.unpack_from("<IIqqq", data, off + functions + 32 * i)
        codes.append((addr + code, size))
    sites = {}
    for i in range(trap_count):  # TrapSite: func_index, offset, code
        func, offset, code = struct.unpack_from("<IIB", data, off + traps + 12 * i)
        start, size = codes[func]
        check(offset < size and offset % 4 == 0, "trap site inside its function")
        sites[start + offset] = code
    return sites


def brk_instructions(objdump, path):
    """{address: immediate} of every brk, and the text of every udf/hlt."""
    r = run(objdump, "-d", "--no-show-raw-insn", path)
    brks, others = {}, []
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+(brk|udf|hlt)\s+#(0x[0-9a-f]+|\d+)", line)
        if not m:
            continue
        if m.group(2) == "brk":
            brks[int(m.group(1), 16)] = int(m.group(3), 0)
        else:
            others.append(line.strip())
    return brks, others


def check_artifact(a, path, name):
    """Every static check of one aarch64 artifact."""
    data = open(path, "rb").read()
    header = run("readelf", "-h", path).stdout
    check("ELF64" in header and "DYN (Shared object file)" in header and "AArch64" in header,
          name + ": an aarch64 ET_DYN")
    syms = run("readelf", "--dyn-syms", "-W", path).stdout
    defined, undefined = [], []
    for line in syms.splitlines():
        f = line.split()
        if len(f) >= 8 and f[0][:-1].isdigit() and f[0] != "0:":
            (undefined if f[6] == "UND" else defined).append((f[7], f[4]))
    check(defined == [("kiln_descriptor", "GLOBAL")] and not undefined,
          "%s: only the descriptor is exported, nothing imported: %s %s" %
          (name, defined, undefined))
    relocs = run("readelf", "-r", "-W", path).stdout
    check("There are no relocations in this file." in relocs,
          name + ": no dynamic relocations: " + relocs.strip()[:200])

    sites = descriptor_traps(data)
    brks, others = brk_instructions(a.objdump, path)
    check(not others, name + ": no udf/hlt: %s" % others[:3])
    check(set(sites) == set(brks), "%s: the trap table lists exactly the brk sites "
          "(%d sites, %d brk)" % (name, len(sites), len(brks)))
    text_addr, text_off, _ = section_address(data, ".text")
    for addr, code in sites.items():
        # wasm's unreachable is ubsantrap(1) too; llvm.trap gives brk #1.
        imms = {BRK_TRAP_BASE | code} | ({BRK_UNREACHABLE} if code == UNREACHABLE else set())
        imm = brks.get(addr)
        word, = struct.unpack_from("<I", data, text_off + addr - text_addr)
        if not check(imm in imms and word == 0xD4200000 | imm << 5,
                     "%s: site %#x is brk #%s for code %d" % (name, addr, imm, code)):
            break

    info = json.loads(run(a.kiln, "inspect", "--json", path).stdout)
    check(info["machine"] == "aarch64" and info["target_triple"] == TRIPLE and
          info["decoded"] and info["artifact_hash_matches"] and info["trap_sites"] == len(sites),
          "%s: kiln inspect --json reads it: %s" % (name, {k: info.get(k) for k in
          ("machine", "target_triple", "decoded", "artifact_hash_matches", "trap_sites")}))
    return info, sites


def spec_modules(a, tmp):
    """Binary modules from some of the spec suite's .wast files."""
    if not a.wast2json or not os.path.isdir(a.suite):
        print("skip spec modules: no wast2json or no suite")
        return []
    modules = []
    for stem in SPEC_FILES:
        wast = os.path.join(a.suite, stem + ".wast")
        if not os.path.exists(wast):
            continue
        out = os.path.join(tmp, "spec", stem)
        os.makedirs(out, exist_ok=True)
        spec = os.path.join(out, stem + ".json")
        if run(a.wast2json, wast, "-o", spec).returncode:
            continue
        # The first few modules the script instantiates (not the invalid ones).
        commands = json.load(open(spec))["commands"]
        found = [os.path.join(out, c["filename"]) for c in commands
                 if c["type"] == "module" and c["filename"].endswith(".wasm")]
        modules += found[:4]
    return modules


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--aotc", required=True)
    p.add_argument("--kiln", required=True)
    p.add_argument("--objdump", default="llvm-objdump-19")
    p.add_argument("--wast2json", default="")
    p.add_argument("--suite", default="", help="the spec suite's core directory")
    p.add_argument("cases", nargs="+")
    a = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        inputs = list(a.cases) + spec_modules(a, tmp)
        compiled = 0
        polls = 0
        refused = set()
        for i, source in enumerate(inputs):
            base = os.path.basename(source)
            x86 = run(a.aotc, source, "-o", os.path.join(tmp, "x86.so"))
            for opt in ("-O0", "-O2"):
                name = "%s %s" % (base, opt)
                out = os.path.join(tmp, "%d%s.so" % (i, opt))
                r = run(a.aotc, "--target=" + TARGET, opt, source, "-o", out)
                if x86.returncode != 0:
                    refused.add(base)
                    # Refused the same way for both targets (invalid or unsupported modules).
                    check(r.returncode != 0 and r.stderr == x86.stderr,
                          "%s: refused as for x86-64: %r" % (name, r.stderr.strip()))
                    continue
                if not check(r.returncode == 0, "%s: compiles: %s" % (name, r.stderr.strip())):
                    continue
                compiled += 1
                info, _ = check_artifact(a, out, name)
                check(info["cpu_name"] == "generic" and info["cpu_features"] == ["+fp-armv8", "+neon"],
                      "%s: the target's CPU and features: %s %s" %
                      (name, info["cpu_name"], info["cpu_features"]))
                d = run(a.objdump, "-d", "--no-show-raw-insn", out).stdout
                polls += len(re.findall(r"sub\s+x16, x\d+, #0x1, lsl #12\s*(//.*)?\n\s*[0-9a-f]+:\s+ldrb\s+wzr, \[x16\]", d))
        print("%d inputs, %d aarch64 artifacts, %d loop polls; refused for both targets: %s" %
              (len(inputs), compiled, polls, " ".join(sorted(refused))))
        check(compiled >= 2 * len(a.cases) - 2, "compiled %d artifacts" % compiled)
        check(polls > 0, "loop polls read the poll page: %d" % polls)

        # Another CPU's features are recorded; the x86 CPU names and native are refused.
        case = a.cases[0]
        out = os.path.join(tmp, "n1.so")
        r = run(a.aotc, "--target=" + TARGET, "--cpu=neoverse-n1", case, "-o", out)
        if check(r.returncode == 0, "--cpu=neoverse-n1 compiles: " + r.stderr.strip()):
            info, _ = check_artifact(a, out, "neoverse-n1")
            check(info["cpu_name"] == "neoverse-n1" and "+lse" in info["cpu_features"] and
                  "+dotprod" in info["cpu_features"], "neoverse-n1 features: %s" % info["cpu_features"])
            r = run(a.kiln, "check", out)
            lines = r.stdout.strip().splitlines()
            check(r.returncode == 1 and lines and all(l.startswith(out + ": ") for l in lines) and
                  "built for aarch64" in lines[0], "kiln check: one line per reason: %s" % lines)
            r = run(a.kiln, "run", "--invoke", "x", out)
            check(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and
                  r.stderr.startswith("error: ") and "aarch64" in r.stderr,
                  "kiln run refuses it in one line: %r" % r.stderr.strip())
        for cpu, wanted in (("native", "native"), ("x86-64-v2", "unknown CPU 'x86-64-v2'")):
            r = run(a.aotc, "--target=" + TARGET, "--cpu=" + cpu, case, "-o", out + "x")
            check(r.returncode == 1 and wanted in r.stderr and len(r.stderr.splitlines()) == 1,
                  "--cpu=%s is refused for aarch64: %r" % (cpu, r.stderr.strip()))
        # The cache keys on the target: an x86-64 entry is no aarch64 hit.
        cache = os.path.join(tmp, "cache")
        for target in ("x86_64-linux-gnu", TARGET):
            cached = os.path.join(tmp, target + ".so")
            run(a.aotc, "--target=" + target, "--cache-dir=" + cache, case, "-o", cached)
            header = run("readelf", "-h", cached).stdout
            check(("AArch64" in header) == (target == TARGET), "cached output for " + target)
        r = run(a.aotc, "--target=riscv64-linux-gnu", case, "-o", out + "x")
        check(r.returncode == 1 and "unsupported target" in r.stderr, "an unsupported target")
        r = run(a.aotc, "--target=" + TARGET, "--emit=exe", case, "-o", out + "x")
        check(r.returncode == 1 and "--emit=exe" in r.stderr, "no executable for another CPU")

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
