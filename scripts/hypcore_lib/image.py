"""The built hypcore images: what the harness reads from them and the copies it patches.

  build/<arch>/hypcore-<layout>      ELF, linked at the layout's runtime address
  build/<arch>/hypcore-<layout>.bin  flat image with a Linux boot header:
      arm64: Image header, byte 8 text_offset (u64), 16 image_size (u64, whole
      footprint incl. BSS), 24 flags (u64), 56 magic "ARM\\x64"
      arm32: zImage header, byte 0x24 magic 0x016f2818 (u32), 0x28 start (u32,
      0), 0x2c end (u32, the footprint incl. BSS); no text_offset, no flags

Layouts are read with scripts/layout.py, the same reader meson.build uses.
"""
import dataclasses
import os
import struct
import subprocess
import sys

from .common import PAGE, SCRIPTS, Failure
from . import build

sys.path.insert(0, SCRIPTS)
import layout as layout_config  # noqa: E402  (scripts/layout.py)

ARM64_MAGIC = b'ARM\x64'
# code0 code1 text_offset image_size flags res2 res3 res4 magic res5
ARM64_HEADER = struct.Struct('<II QQQ QQQ 4s I')
# flags bit 3: the image may be placed anywhere (not only 2 MiB + text_offset).
FLAG_ANYWHERE = 1 << 3
# arm32 zImage header: magic, start, end (u32 each) from byte 0x24.
ARM32_ZIMAGE_MAGIC = 0x016f2818
ARM32_HEADER_OFFSET = 0x24
ARM32_HEADER = struct.Struct('<III')

NM = {'arm64': 'aarch64-linux-gnu-nm', 'arm32': 'arm-linux-gnueabihf-nm'}
OBJDUMP = {'arm64': 'aarch64-linux-gnu-objdump', 'arm32': 'arm-linux-gnueabihf-objdump'}


@dataclasses.dataclass(frozen=True)
class Image:
    """One built hypcore image and the facts the harness and the model need."""
    arch: str
    layout: str
    elf: str                # path of the ELF
    bin: str                # path of the flat Image
    runtime_base: int       # from the layout config
    start: int              # ELF symbol _start (must equal runtime_base)
    idmap_offset: int       # _idmap_start - _start: offset of the page that turns the MMU on
    end_offset: int         # _end - _start
    text_offset: int        # Image header fields
    image_size: int
    flags: int
    file_size: int          # bytes in the flat Image

    @property
    def footprint(self):
        """Bytes the image occupies once loaded: the whole image_size, page rounded."""
        return (self.image_size + PAGE - 1) // PAGE * PAGE


def layouts(arch):
    """Layout names configured for `arch` (configs/layouts/<arch>/*.conf)."""
    return layout_config.names(arch)


def runtime_base(arch, name):
    return layout_config.load(arch, name)['runtime_base']


def read_header(path, arch='arm64'):
    """(text_offset, image_size, flags) of a flat image; checks the magic.

    An arm32 zImage has no text_offset (0) and runs where it is put (bootz runs
    it in place): its flags are reported as FLAG_ANYWHERE."""
    if arch == 'arm32':
        with open(path, 'rb') as f:
            head = f.read(ARM32_HEADER_OFFSET + ARM32_HEADER.size)
        if len(head) < ARM32_HEADER_OFFSET + ARM32_HEADER.size:
            raise Failure(f'{path}: too short for an arm32 zImage header')
        magic, start, end = ARM32_HEADER.unpack_from(head, ARM32_HEADER_OFFSET)
        if magic != ARM32_ZIMAGE_MAGIC:
            raise Failure(f'{path}: no zImage magic {ARM32_ZIMAGE_MAGIC:#x} at byte 0x24')
        return 0, end - start, FLAG_ANYWHERE
    with open(path, 'rb') as f:
        head = f.read(ARM64_HEADER.size)
    if len(head) < ARM64_HEADER.size:
        raise Failure(f'{path}: too short for an arm64 Image header')
    fields = ARM64_HEADER.unpack(head)
    if fields[8] != ARM64_MAGIC:
        raise Failure(f'{path}: no arm64 Image magic at byte 56')
    return fields[2], fields[3], fields[4]


def read_symbols(arch, elf, names):
    """Addresses of the given ELF symbols (nm)."""
    proc = subprocess.run([NM[arch], elf], stdout=subprocess.PIPE, text=True, check=True)
    found = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in names:
            found[parts[2]] = int(parts[0], 16)
    missing = [n for n in names if n not in found]
    if missing:
        raise Failure(f'{elf}: missing symbols {", ".join(missing)}')
    return found


def instruction_at(arch, elf, vaddr):
    """objdump's disassembly of the instruction at `vaddr` (its last line)."""
    proc = subprocess.run([OBJDUMP[arch], '-d', f'--start-address={vaddr:#x}',
                           f'--stop-address={vaddr + 4:#x}', elf],
                          stdout=subprocess.PIPE, text=True, check=True)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ''


# load()'s answers, by (arch, layout), with the files' (mtime_ns, size) they were
# read from: nm costs more than a sweep case's own QEMU boot on a busy machine.
_loaded = {}


def load(arch, name):
    """The built image of layout `name` (the build must have run); read again
    only when its files changed."""
    bdir = build.cross_dir(arch)
    elf = os.path.join(bdir, f'hypcore-{name}')
    binary = elf + '.bin'
    for path in (elf, binary):
        if not os.path.exists(path):
            raise Failure(f'{path} is missing: is "{name}" in the meson option "layouts"?')
    stamp = tuple((st.st_mtime_ns, st.st_size) for st in map(os.stat, (elf, binary)))
    cached = _loaded.get((arch, name))
    if cached and cached[0] == stamp:
        return cached[1]
    img = _read(arch, name, elf, binary)
    _loaded[(arch, name)] = (stamp, img)
    return img


def _read(arch, name, elf, binary):
    syms = read_symbols(arch, elf, ('_start', '_idmap_start', '_end'))
    text_offset, image_size, flags = read_header(binary, arch)
    return Image(arch=arch, layout=name, elf=elf, bin=binary,
                 runtime_base=runtime_base(arch, name), start=syms['_start'],
                 idmap_offset=syms['_idmap_start'] - syms['_start'],
                 end_offset=syms['_end'] - syms['_start'],
                 text_offset=text_offset, image_size=image_size, flags=flags,
                 file_size=os.path.getsize(binary))


def patch_text_offset(src, dst, text_offset):
    """Copy the flat Image with its header's text_offset replaced."""
    with open(src, 'rb') as f:
        data = bytearray(f.read())
    struct.pack_into('<Q', data, 8, text_offset)
    with open(dst, 'wb') as f:
        f.write(data)
    return dst


# ELF little-endian, 32 or 64-bit: only what is needed to move the load addresses.
ELF_HEADER = {2: struct.Struct('<16sHHIQQQIHHHHHH'), 1: struct.Struct('<16sHHIIIIIHHHHHH')}
ELF_PHDR = {2: struct.Struct('<IIQQQQQQ'), 1: struct.Struct('<IIIIIIII')}
# Index of p_type and p_paddr in each class's program header.
PHDR_PADDR = {2: 4, 1: 3}
PT_LOAD = 1


def _program_headers(data):
    """(class, [(offset, fields)]) of a little-endian ELF32/ELF64 file."""
    if data[:4] != b'\x7fELF' or data[4] not in (1, 2) or data[5] != 1:
        raise Failure('not a little-endian ELF32/ELF64 file')
    cls = data[4]
    fields = ELF_HEADER[cls].unpack_from(data, 0)
    phoff, phentsize, phnum = fields[5], fields[9], fields[10]
    return cls, [(phoff + i * phentsize, ELF_PHDR[cls].unpack_from(data, phoff + i * phentsize))
                 for i in range(phnum)]


def elf_load_start(path):
    """Lowest p_paddr of the ELF's PT_LOAD segments."""
    with open(path, 'rb') as f:
        data = f.read()
    cls, headers = _program_headers(data)
    return min(ph[PHDR_PADDR[cls]] for _, ph in headers if ph[0] == PT_LOAD)


def shift_elf(src, dst, new_start):
    """Copy an ELF with every PT_LOAD p_paddr moved so the lowest one is `new_start`.

    QEMU's -kernel loads an ELF at its p_paddr and converts the entry point
    from virtual to physical through the executable segment, so moving
    p_paddr is all it takes to load the image elsewhere.
    """
    with open(src, 'rb') as f:
        data = bytearray(f.read())
    cls, headers = _program_headers(data)
    paddr = PHDR_PADDR[cls]
    delta = new_start - min(ph[paddr] for _, ph in headers if ph[0] == PT_LOAD)
    for offset, ph in headers:
        if ph[0] == PT_LOAD:
            fields = list(ph)
            fields[paddr] += delta
            ELF_PHDR[cls].pack_into(data, offset, *fields)
    with open(dst, 'wb') as f:
        f.write(data)
    return dst
