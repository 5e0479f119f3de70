#!/usr/bin/env python3
"""seal_artifact.py IN OUT: copy a hand-made artifact, storing the artifact hash
(abi::Descriptor::artifact_hash: XXH3-128 of the file with the field zeroed,
canonical big-endian bytes) the way aotc does, so that test fixtures that are
not aotc's output pass the loader's integrity check."""
import ctypes
import ctypes.util
import struct
import sys

DESCRIPTOR_SECTION = b".kiln_descriptor"
ARTIFACT_HASH_OFFSET = 688  # offsetof(abi::Descriptor, artifact_hash), checked by the tests
ARTIFACT_HASH_SIZE = 16


class XXH128Hash(ctypes.Structure):
    _fields_ = [("low64", ctypes.c_uint64), ("high64", ctypes.c_uint64)]


def xxh3_128(data):
    """Canonical XXH3-128 digest: python3-xxhash where this interpreter has it,
    else libxxhash itself (the library aotc and the loader use)."""
    try:
        import xxhash
        return xxhash.xxh3_128_digest(bytes(data))
    except ImportError:
        pass
    name = ctypes.util.find_library("xxhash") or "libxxhash.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        sys.exit("seal_artifact: needs python3-xxhash or libxxhash (" + name + " not found)")
    lib.XXH3_128bits.restype = XXH128Hash
    lib.XXH3_128bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    h = lib.XXH3_128bits(bytes(data), len(data))
    return struct.pack(">QQ", h.high64, h.low64)


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
            if size < ARTIFACT_HASH_OFFSET + ARTIFACT_HASH_SIZE:
                sys.exit("seal_artifact: descriptor section too small")
            return offset
    sys.exit("seal_artifact: no .kiln_descriptor section")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = bytearray(open(sys.argv[1], "rb").read())
    field = descriptor_offset(data) + ARTIFACT_HASH_OFFSET
    data[field:field + ARTIFACT_HASH_SIZE] = bytes(ARTIFACT_HASH_SIZE)
    data[field:field + ARTIFACT_HASH_SIZE] = xxh3_128(data)
    with open(sys.argv[2], "wb") as out:
        out.write(data)


main()
