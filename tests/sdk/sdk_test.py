#!/usr/bin/env python3
"""The installed SDK, used from outside the tree: `meson install` into a
staging directory, then a consumer project (tests/sdk/consumer) built once
with CMake (find_package(Kiln), kiln_add_wasm_module) and once by hand with
pkg-config and the installed aotc; both must compile the .wat at build time,
link it statically and print what the module computes."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

EXPECTED = "shout 0\nshout 1\nshout 2\ngreet(3) = 30\n"
results = []


def check(ok, what):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        print("$ " + " ".join(cmd) + "\n" + r.stdout[-3000:] + r.stderr[-3000:])
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--libdir", required=True)
    p.add_argument("--consumer", required=True)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stage = os.path.join(tmp, "stage")
        r = run(["meson", "install", "-C", a.build, "--destdir", stage, "--no-rebuild", "--quiet"])
        check(r.returncode == 0, "meson install into a staging directory")
        prefix = stage + a.prefix
        libdir = os.path.join(prefix, a.libdir)
        for path in ["bin/aotc", "bin/kiln", "include/kiln/kiln.h", "include/kiln/detail/typed_call.h",
                     a.libdir + "/libkiln.so", a.libdir + "/libkiln.a", a.libdir + "/libkiln_wasi.so",
                     a.libdir + "/libkiln_wasi.a", a.libdir + "/libkiln_exe_main.a",
                     a.libdir + "/pkgconfig/kiln.pc", a.libdir + "/pkgconfig/kiln-wasi.pc",
                     a.libdir + "/cmake/Kiln/KilnConfig.cmake"]:
            check(os.path.exists(os.path.join(prefix, path)), "installed: " + path)
        env = dict(os.environ, LD_LIBRARY_PATH=libdir)

        if shutil.which("cmake"):
            src = os.path.join(tmp, "cmake-src")
            shutil.copytree(a.consumer, src)
            out = os.path.join(tmp, "cmake-build")
            r = run(["cmake", "-S", src, "-B", out, "-DCMAKE_PREFIX_PATH=" + prefix,
                     "-DCMAKE_BUILD_TYPE=Release"])
            ok = r.returncode == 0
            check(ok, "CMake configures the consumer with find_package(Kiln)")
            if ok:
                r = run(["cmake", "--build", out, "-j2"])
                check(r.returncode == 0, "CMake builds it: aotc at build time, static link")
                r = run([os.path.join(out, "host")], env=env)
                check(r.returncode == 0 and r.stdout == EXPECTED, "the CMake-built host runs: %r" % r.stdout)
        else:
            check(False, "cmake not found (apt install cmake)")

        pc = os.path.join(tmp, "pkgconfig-build")
        os.mkdir(pc)
        pc_env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
        flags = run(["pkg-config", "--define-variable=prefix=" + prefix, "--cflags", "--libs", "kiln"],
                    env=pc_env)
        check(flags.returncode == 0 and "-lkiln" in flags.stdout, "pkg-config --libs kiln: " + flags.stdout.strip())
        r = run([os.path.join(prefix, "bin/aotc"), "--emit=static", os.path.join(a.consumer, "greet.wat"),
                 "-o", os.path.join(pc, "libgreet.a")])
        check(r.returncode == 0 and os.path.exists(os.path.join(pc, "greet.h")),
              "the installed aotc writes libgreet.a and greet.h")
        r = run(["c++", "-std=c++20", "-I" + pc, os.path.join(a.consumer, "host.cpp"),
                 os.path.join(pc, "libgreet.a"), "-o", os.path.join(pc, "host")] + flags.stdout.split())
        check(r.returncode == 0, "c++ with pkg-config's flags links it")
        r = run([os.path.join(pc, "host")], env=env)
        check(r.returncode == 0 and r.stdout == EXPECTED, "the pkg-config-built host runs: %r" % r.stdout)

        # The installed aotc links executables with the installed archives,
        # found from its own place (the staging directory here).
        wat = os.path.join(tmp, "exit7.wat")
        with open(wat, "w") as f:
            f.write('(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))\n'
                    '  (memory (export "memory") 1)\n'
                    '  (func (export "_start") (call $exit (i32.const 7))))\n')
        exe = os.path.join(tmp, "exit7")
        r = run([os.path.join(prefix, "bin/aotc"), "--emit=exe", wat, "-o", exe])
        check(r.returncode == 0, "the installed aotc links an executable with the installed archives")
        r = run([exe])
        check(r.returncode == 7, "which runs: exit status %d" % r.returncode)

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
