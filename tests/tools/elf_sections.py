"""Reading ELF64 little-endian section headers from Python tests: where a
named section lies in a file (the tests patch or compare artifacts' bytes)."""
import struct


def section_place(data, name):
    """(file offset, size) of section `name` in the ELF64 bytes `data`, or None."""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def header(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    names = header(shstrndx)
    for i in range(shnum):
        h = header(i)
        start = names[4] + h[0]
        if data[start:data.index(b"\0", start)].decode(errors="replace") == name:
            return h[4], h[5]
    return None


def section_address(data, name):
    """(address, file offset, size) of section `name`, or None."""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    names = struct.unpack_from("<IIQQQQIIQQ", data, shoff + shstrndx * shentsize)
    for i in range(shnum):
        h = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        start = names[4] + h[0]
        if data[start:data.index(b"\0", start)].decode(errors="replace") == name:
            return h[3], h[4], h[5]
    return None
