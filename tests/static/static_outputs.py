#!/usr/bin/env python3
"""aotc --emit=static: what it writes and what it refuses.

Checks the archive and the plain object (one global symbol, the prefixed
descriptor; nothing undefined), the default header beside the library, the
descriptor header shared with the .so of the same compile (so the content
hash is the same), byte-for-byte reproducible output, and one-line errors for
bad prefixes and output names that leave no file behind."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from elf_sections import section_place  # noqa: E402

# abi::kDescriptorHeaderSize (tests/unit/test_abi_layout.cpp checks it): the
# fixed header holds no offsets, so a .so and a static library of one
# compile have the same bytes there, the artifact hash included.
DESCRIPTOR_HEADER_SIZE = 720

results = []


def check(ok, what):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what)


def section(path, name):
    """The bytes of ELF64 section `name` of the file at `path`."""
    data = open(path, "rb").read()
    place = section_place(data, name)
    return None if place is None else data[place[0]:place[0] + place[1]]


def nm(path, *flags):
    out = subprocess.run(["nm", *flags, path], capture_output=True, text=True, check=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line and not line.endswith(":")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aotc", required=True)
    parser.add_argument("module")
    args = parser.parse_args()
    args.aotc = os.path.abspath(args.aotc)
    args.module = os.path.abspath(args.module)
    with tempfile.TemporaryDirectory() as tmp:
        def aotc(*options):
            return subprocess.run([args.aotc, args.module, *options], capture_output=True,
                                  text=True, cwd=tmp)

        run = aotc("--emit=static", "-o", "libmy-mod.a")
        check(run.returncode == 0, "a static library compiles: " + run.stderr.strip())
        archive = os.path.join(tmp, "libmy-mod.a")
        check(open(archive, "rb").read(8) == b"!<arch>\n", "-o NAME.a writes an ar archive")
        check(os.path.exists(os.path.join(tmp, "my_mod.h")),
              "the header is written beside it, named for the default prefix my_mod")
        check(nm(archive, "-g", "--defined-only") == ["my_mod_kiln_descriptor"],
              "the only global symbol is the prefixed descriptor: %s"
              % nm(archive, "-g", "--defined-only"))
        check(nm(archive, "-u") == [], "nothing is left undefined: %s" % nm(archive, "-u"))

        run = aotc("--emit=static", "-o", "libclass.a")
        check(run.returncode == 0 and nm(os.path.join(tmp, "libclass.a"), "-g", "--defined-only") ==
              ["class__kiln_descriptor"] and os.path.exists(os.path.join(tmp, "class_.h")),
              "a default prefix that is a keyword gets a '_': class_")

        run = aotc("--emit=static", "--prefix=second", "--no-header", "-o", "plain.o")
        check(run.returncode == 0, "a plain object compiles: " + run.stderr.strip())
        plain = os.path.join(tmp, "plain.o")
        check(open(plain, "rb").read(4) == b"\x7fELF", "-o NAME.o writes the object itself")
        check(nm(plain, "-g", "--defined-only") == ["second_kiln_descriptor"],
              "--prefix names the descriptor")
        check(not os.path.exists(os.path.join(tmp, "second.h")), "--no-header writes no header")

        run = aotc("-o", "shared.so")
        check(run.returncode == 0, "the shared object of the same compile: " + run.stderr.strip())
        so_header = section(os.path.join(tmp, "shared.so"), ".kiln_descriptor")
        static_header = section(plain, ".kiln_descriptor")
        check(so_header is not None and static_header is not None and
              so_header[:DESCRIPTOR_HEADER_SIZE] == static_header[:DESCRIPTOR_HEADER_SIZE],
              "the static descriptor's header, content hash included, is the .so's")

        first = open(archive, "rb").read()
        run2 = aotc("--emit=static", "-o", "libmy-mod2.a", "--prefix=my_mod")
        third = os.path.join(tmp, "libmy-mod2.a")
        check(run2.returncode == 0 and open(third, "rb").read() == first,
              "the same compile twice gives the same bytes (reproducible)")

        for options, message in [
            (["--emit=static", "--prefix=9lives", "-o", "bad1.a"], "invalid --prefix '9lives'"),
            (["--emit=static", "--prefix=a-b", "-o", "bad2.a"], "invalid --prefix 'a-b'"),
            (["--emit=static", "-o", "bad3.so"], "must end in .a (an archive) or .o"),
            (["--emit=static", "--prefix=int", "-o", "bad5.a"], "'int' is a C/C++ keyword"),
            (["--emit=ll", "--header=x.h", "-o", "bad4.ll"], "--header and --c-header need --emit=so or --emit=static"),
        ]:
            run = aotc(*options)
            out = options[-1]
            check(run.returncode != 0 and message in run.stderr and
                  len(run.stderr.strip().splitlines()) == 1 and
                  not os.path.exists(os.path.join(tmp, out)),
                  "refused in one line, nothing written: %s -> %r" % (" ".join(options),
                                                                      run.stderr.strip()))

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
