#!/usr/bin/env python3
"""Compiles a module with aotc as one of the variants whose cost the
micro-benchmarks compare, then checks the artifact's descriptor says so:

    aotc_variant.py AOTC plain|interruptible|explicit IN.wasm OUT.so

plain: guard-page bounds checks, no interruption polls; interruptible: polls;
explicit: explicit bounds checks. The flags are picked from `aotc --help`,
so a change of aotc's defaults (e.g. polling on by default with an opt-out
flag) still yields the intended variant, or fails loudly.
"""
import struct
import subprocess
import sys


def descriptor_flags(path):
    """(bounds_check, interruptible) from the .kiln_descriptor section of an ELF64 file."""
    with open(path, 'rb') as f:
        elf = f.read()
    if elf[:4] != b'\x7fELF' or elf[4] != 2:
        raise SystemExit('error: %s: not an ELF64 file' % path)
    shoff, = struct.unpack_from('<Q', elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', elf, 0x3A)
    sections = [struct.unpack_from('<IIQQQQ', elf, shoff + i * shentsize) for i in range(shnum)]
    names_off = sections[shstrndx][4]
    for name, _type, _flags, _addr, offset, _size in sections:
        end = elf.index(b'\0', names_off + name)
        if elf[names_off + name:end] == b'.kiln_descriptor':
            # magic, abi_version, descriptor_size (u32 each), then bounds_check, interruptible.
            return elf[offset + 12], elf[offset + 13]
    raise SystemExit('error: %s: no .kiln_descriptor section' % path)


def main():
    if len(sys.argv) != 5 or sys.argv[2] not in ('plain', 'interruptible', 'explicit'):
        raise SystemExit('usage: aotc_variant.py AOTC plain|interruptible|explicit IN OUT')
    aotc, variant, src, out = sys.argv[1:]
    help_text = subprocess.run([aotc, '--help'], stdout=subprocess.PIPE, text=True).stdout
    flags = []
    if variant == 'interruptible':
        if '--interruptible' in help_text:
            flags.append('--interruptible')
    elif '--no-interruptible' in help_text:
        flags.append('--no-interruptible')
    if '--bounds-checks=' in help_text:
        flags.append('--bounds-checks=' + ('explicit' if variant == 'explicit' else 'guard'))
    proc = subprocess.run([aotc] + flags + [src, '-o', out])
    if proc.returncode != 0:
        return proc.returncode
    bounds, interruptible = descriptor_flags(out)
    want = (1 if variant == 'explicit' else 0, 1 if variant == 'interruptible' else 0)
    if (bounds, interruptible) != want:
        raise SystemExit('error: %s: descriptor says bounds_check=%d interruptible=%d, expected %d/%d '
                         '(aotc flags used: %s)' % (out, bounds, interruptible, want[0], want[1],
                                                     ' '.join(flags) or 'none'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
