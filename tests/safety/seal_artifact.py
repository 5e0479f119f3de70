#!/usr/bin/env python3
"""seal_artifact.py IN OUT: copy a hand-made artifact, storing the artifact hash
(abi::Descriptor::artifact_hash) the way aotc does, so that test fixtures that
are not aotc's output pass the loader's integrity check."""
import hashlib
import struct
import sys

DESCRIPTOR_SECTION = b".kiln_descriptor"
ARTIFACT_HASH_OFFSET = 688  # offsetof(abi::Descriptor, artifact_hash), checked by the tests


def descriptor_offset(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("seal_artifact: not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    def section(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    names_offset = section(shstrndx)[4]
    for i in range(shnum):
        name, _, _, _, offset, size, _, _, _, _ = section(i)
        start = names_offset + name
        if data[start:data.index(b"\0", start)] == DESCRIPTOR_SECTION:
            if size < ARTIFACT_HASH_OFFSET + 32:
                sys.exit("seal_artifact: descriptor section too small")
            return offset
    sys.exit("seal_artifact: no .kiln_descriptor section")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = bytearray(open(sys.argv[1], "rb").read())
    field = descriptor_offset(data) + ARTIFACT_HASH_OFFSET
    data[field:field + 32] = bytes(32)
    data[field:field + 32] = hashlib.sha256(data).digest()
    with open(sys.argv[2], "wb") as out:
        out.write(data)


main()
