#!/usr/bin/env python3
"""Writes exe_link_config.h for aotc --emit=exe: how this machine's C++
compiler links a PIE executable (its startup files, search paths and runtime
libraries, read from `CXX -###`), and where the runtime archives are in the
build tree and once installed. aotc then runs the same link with lld in
process, with no compiler present at run time."""
import argparse
import shlex
import subprocess
import sys

PLACEHOLDER = "kiln-exe-objects-go-here.o"


def link_line(cxx):
    """(args before the objects, args after them), as the driver would pass
    them to the linker: the linker's own name, -o and plugin options dropped."""
    run = subprocess.run(cxx + ["-###", "-pie", PLACEHOLDER, "-o", "kiln-exe-output"],
                         capture_output=True, text=True)
    for line in run.stderr.splitlines():
        if PLACEHOLDER not in line or line.startswith("COLLECT_"):
            continue
        words = shlex.split(line)
        if not any(w.endswith(("collect2", "ld", "ld.bfd", "ld.gold", "ld.lld")) for w in words[:1]):
            continue
        words = words[1:]
        out, skip = [], False
        for w in words:
            if skip:
                skip = False
                continue
            if w == "-o":
                skip = True
                continue
            if w.startswith("-plugin") or w.startswith("--plugin"):
                if w in ("-plugin", "--plugin"):
                    skip = True
                continue
            out.append(w)
        at = out.index(PLACEHOLDER)
        return out[:at], out[at + 1:]
    sys.exit("exe_link_config.py: cannot read the link line from " + " ".join(cxx) + " -###:\n" +
             run.stderr)


def c_array(name, words):
    body = "".join("    %s,\n" % json_string(w) for w in words)
    return "inline constexpr const char* %s[] = {\n%s    nullptr};\n" % (name, body)


def json_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--build-root", required=True)
    p.add_argument("--bindir", required=True, help="aotc's directory, relative to the prefix")
    p.add_argument("--build-libs", nargs="+", required=True)
    p.add_argument("--installed-libs", nargs="+", required=True)
    p.add_argument("--system-libs", default="", help="comma-separated names for -l")
    p.add_argument("cxx", nargs="+")
    a = p.parse_args()
    before, after = link_line(a.cxx)
    with open(a.out, "w") as f:
        f.write("// Written by aotc/backend/exe_link_config.py at build time; do not edit.\n")
        f.write("#pragma once\n\nnamespace kiln::aotc::exe_link {\n\n")
        f.write("/// aotc's build tree: an aotc running from inside it links the runtime\n"
                "/// archives built there, any other the installed ones.\n")
        f.write("inline constexpr const char* kBuildRoot = %s;\n" % json_string(a.build_root))
        f.write("/// Where an installed aotc is, relative to the installation prefix.\n")
        f.write("inline constexpr const char* kBinDir = %s;\n" % json_string(a.bindir))
        f.write("/// The runtime archives in link order (main, WASI, libkiln): in the build\n"
                "/// tree, and installed (relative to the prefix).\n")
        f.write(c_array("kBuildLibs", a.build_libs))
        f.write(c_array("kInstalledLibs", a.installed_libs))
        f.write("/// The compiler's link line around the objects, and the libraries the\n"
                "/// archives need (before the C++ runtime).\n")
        f.write(c_array("kBeforeObjects", before))
        f.write(c_array("kSystemLibs", ["-l" + n for n in a.system_libs.split(",") if n]))
        f.write(c_array("kAfterObjects", after))
        f.write("\n}  // namespace kiln::aotc::exe_link\n")


if __name__ == "__main__":
    main()
