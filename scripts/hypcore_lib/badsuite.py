"""Bad entries ("bad:*"): entered at EL1 (arm32: SVC), no DTB, corrupt DTBs,
a DTB pointer where no memory answers and a DTB running past RAM's end.
Each must get one refusal line (suites.refusal_case) and no end marker."""
import os
import struct

from .common import GiB, MiB, PAGE, RAM_BASE, Failure
from . import qemu
from .suites import (ENTRY_MODE_LINE, Case, is_dtb_refusal, is_el2_refusal, refusal_case, tag,
                     workdir)


def corrupt_dtb(kind, dest, arch='arm64'):
    """A DTB that hypcore must refuse, made from QEMU's own."""
    spec = qemu.RunSpec(arch=arch)
    qemu.dump_dtb(qemu._machine_argv(spec), dest)
    with open(dest, 'rb') as f:
        data = bytearray(f.read())
    if kind == 'bad-magic':
        struct.pack_into('>I', data, 0, 0xdeadbeef)
    elif kind == 'truncated':
        # Valid magic, but a totalsize shorter than its own header's blocks and
        # nothing after it: the blob was cut off.
        struct.pack_into('>I', data, 4, 0x40)
        data = data[:0x40]
    elif kind == 'too-large':
        struct.pack_into('>I', data, 4, 64 * MiB)
    with open(dest, 'wb') as f:
        f.write(data)
    return dest


def bad_entry_cases(arch):
    cases = [refusal_case('bad:el1-entry' if arch == 'arm64' else 'bad:svc-entry',
                          qemu.RunSpec(arch=arch, virt=False),
                          lambda line: is_el2_refusal(line, arch), repr(ENTRY_MODE_LINE[arch])),
             refusal_case('bad:no-dtb@0x40080000/elf', qemu.RunSpec(
                 arch=arch, loader='elf', load=0x40080000), is_dtb_refusal, 'DTB refusal')]
    for kind in ('bad-magic', 'truncated', 'too-large'):
        def run(kind=kind):
            name = tag(arch, f'bad:dtb-{kind}')
            dtb = corrupt_dtb(kind, os.path.join(workdir(name + '-input'), 'bad.dtb'), arch)
            spec = qemu.RunSpec(arch=arch, loader='generic', load=0x48200000, dtb=dtb)
            return refusal_case(name, spec, is_dtb_refusal, 'DTB refusal').run()
        cases.append(Case(tag(arch, f'bad:dtb-{kind}'), run))
    cases += [dtb_pointer_case(arch, 'bad:dtb-pointer-outside-ram', 0xc0000000, False),
              dtb_pointer_case(arch, 'bad:dtb-past-ram-end', RAM_BASE + GiB - PAGE, True)]
    return cases


def dtb_pointer_case(arch, name, pointer, header):
    """The loader's DTB pointer where no memory answers (-m 1G: RAM ends at
    0x80000000; nothing is mapped at 0xc0000000), or a DTB header in RAM's
    last page whose totalsize runs past RAM's end: one refusal line naming
    the address (hypcore reads the header and each page through an
    exception fixup, not a trap dump), and the boot CPU parks."""
    name = tag(arch, name)

    def is_refusal(line):
        if not qemu.EARLY_FAIL_RE.match(line):
            return False
        if header:
            return (f'invalid DTB at {pointer:#x}-' in line and
                    f'reading its page at {RAM_BASE + GiB:#x} aborted' in line)
        return f'no DTB at {pointer:#x} (from the loader): reading it aborted' in line

    def run():
        spec = qemu.RunSpec(arch=arch, loader='generic', load=0x48200000, mem=GiB,
                            dtb_pointer=pointer)
        if header:
            # QEMU's own DTB's first page (its header says 1 MiB) in RAM's last page.
            page = os.path.join(workdir(name + '-input'), 'header.dtb')
            qemu.dump_dtb(qemu._machine_argv(spec), page + '.full')
            with open(page + '.full', 'rb') as f:
                first = f.read(PAGE)
            if struct.unpack_from('>I', first, 4)[0] <= PAGE:
                raise Failure("QEMU's DTB totalsize fits one page: no page past RAM to test")
            with open(page, 'wb') as f:
                f.write(first)
            spec.qemu_args = ['-device', f'loader,file={page},addr={pointer:#x},force-raw=on']
        return refusal_case(name, spec, is_refusal, 'DTB refusal naming the address').run()
    return Case(name, run)
