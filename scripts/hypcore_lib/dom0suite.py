"""dom0 under hypcore (design.md, "dom0"): cases "dom0:*".

Each case boots QEMU with a kernel module and checks hypcore's `dom0:` lines
(and, with the test payload, what dom0 itself reports) against a model
worked out here from the inputs: dom0_mem, the kernel's Image header (arm32:
its zImage header), the CPUs.  The same cases run on arm32 (names
"arm32:dom0:*"), where dom0 is a zImage entered in SVC mode.  Without a usable kernel, or when dom0_mem cannot be met, hypcore
prints one line, completes the boot without dom0 and powers off.

The small images made here are not the test payload (tests/payload/, from
issue10-payload): they are an Image header, sometimes followed by two or
three instructions, enough to test hypcore's decisions and its way into and
out of EL1 (arm32: a zImage header and A32 code)."""
import os
import re
import struct
import subprocess

from . import image as images, qemu, smpsuite
from .common import BUILD, GiB, MiB, PAGE, TOP
from .xensuite import XEN_DABT_ESR, check_edges, edges_path
from .suites import Case, boot_case, tag, with_log, run_qemu, workdir

IMAGE_MAGIC = b'ARM\x64'
FLAG_ANYWHERE = 0x8
FLAG_4K = 0x2
DOM0_RAM_RE = re.compile(r'dom0: ram (0x[0-9a-f]+)-(0x[0-9a-f]+)$')
P2M_RE = re.compile(r'dom0: p2m root (0x[0-9a-f]+) vmid (\d+) ipa-bits (\d+)')
ENTER_RE = re.compile(r'dom0: entering (?:EL1|SVC) at (0x[0-9a-f]+) on cpu0 dtb (0x[0-9a-f]+)')
ENTRY_MODE = {'arm64': 'EL1', 'arm32': 'SVC'}
KERNEL_RE = re.compile(r'dom0: kernel (0x[0-9a-f]+)-(0x[0-9a-f]+) (copied|in place)')
HEAP_RE = re.compile(r'heap: total=(\d+) free=(\d+)')

# A64 encodings (Arm ARM C6): what the tiny images run.
def _movz_w0(imm16):
    return 0x52800000 | (imm16 << 5)


def _movk_w0_hi(imm16):
    return 0x72a00000 | (imm16 << 5)


HVC_0 = 0xd4000002
SMC_0 = 0xd4000003
B_SELF = 0x14000000
SYSTEM_OFF = 0x84000008


def image(code_words=(), image_size=0x10000, text_offset=0, flags=FLAG_4K | FLAG_ANYWHERE):
    """An arm64 Image: the 64-byte header (booting.rst), then code at +64."""
    branch = 0x14000000 | (64 // 4)         # b +64: code0 jumps over the header
    head = struct.pack('<IIQQQQQQ4sI', branch, 0, text_offset, image_size, flags,
                       0, 0, 0, IMAGE_MAGIC, 0)
    assert len(head) == 64
    return head + b''.join(struct.pack('<I', w) for w in code_words)


def system_off_code(conduit=HVC_0):
    """x0 := PSCI SYSTEM_OFF; HVC #0 (or SMC #0, trapped); spin."""
    return (_movz_w0(SYSTEM_OFF & 0xffff), _movk_w0_hi(SYSTEM_OFF >> 16), conduit, B_SELF)


# A32 encodings (ARMv7 Arm ARM A8.8): what the tiny zImages run.
def _movw_r0(imm16):
    return 0xe3000000 | (imm16 >> 12) << 16 | (imm16 & 0xfff)


def _movt_r0(imm16):
    return 0xe3400000 | (imm16 >> 12) << 16 | (imm16 & 0xfff)


A32_HVC_0 = 0xe1400070
A32_SMC_0 = 0xe1600070
A32_B_SELF = 0xeafffffe
ZIMAGE_MAGIC = 0x016f2818
ZIMAGE_LE = 0x04030201
ZIMAGE_HDR = 0x34           # magic at 0x24, start 0x28, end 0x2c, endianness 0x30


def zimage(code_words=(), size=None, start=0, end=None):
    """An arm32 zImage (booting.rst): a branch over the header, magic, `start`
    (0: position independent), `end` (default start + the bytes made), then
    code, padded with zeros to `size` bytes when given."""
    code = b''.join(struct.pack('<I', w) for w in code_words)
    length = max(size or 0, ZIMAGE_HDR + len(code))
    end = start + length if end is None else end
    branch = 0xea000000 | ((ZIMAGE_HDR - 8) // 4)       # b ZIMAGE_HDR
    head = struct.pack('<I', branch) + bytes(0x24 - 4) + struct.pack(
        '<IIII', ZIMAGE_MAGIC, start, end, ZIMAGE_LE)
    assert len(head) == ZIMAGE_HDR
    return (head + code).ljust(length, b'\0')


def a32_system_off_code(conduit=A32_HVC_0):
    """r0 := PSCI SYSTEM_OFF; HVC #0 (or SMC #0, trapped); spin."""
    return (_movw_r0(SYSTEM_OFF & 0xffff), _movt_r0(SYSTEM_OFF >> 16), conduit, A32_B_SELF)


def kernel(arch, smc=False, size=None):
    """A tiny dom0 kernel for `arch` that powers off over HVC (or SMC)."""
    if arch == 'arm32':
        return zimage(a32_system_off_code(A32_SMC_0 if smc else A32_HVC_0), size=size)
    code = system_off_code(SMC_0 if smc else HVC_0)
    return image(code) if size is None else image(code, image_size=size)


def zimage_model(ram, size, fdt_room):
    """Where the zImage and its DTB must be (Xen 4.17 kernel_zimage_place and
    place_modules, booting.rst): the zImage 2 MiB-aligned as high as it fits in
    the first 128 MiB of the first RAM range; the DTB (2 MiB-rounded) at
    +128 MiB, or at the top of the range, or just below the zImage."""
    start, end = ram[0]
    low_end = min(start + 128 * MiB, end)
    kernel = (low_end - size) & ~(2 * MiB - 1)
    kend = kernel + size
    mods = -(-fdt_room // (2 * MiB)) * 2 * MiB
    if end >= start + 128 * MiB + mods and kend < start + 128 * MiB:
        dtb = start + 128 * MiB
    elif end - mods > -(-kend // (2 * MiB)) * 2 * MiB:
        dtb = end - mods
    else:
        dtb = kernel - mods
    return kernel, dtb


def _write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, 'wb') as f:
        f.write(data)
    return path


RESERVED_RE = re.compile(r'mem: reserved (0x[0-9a-f]+)-(0x[0-9a-f]+) (image|boot|dtb) ')


def hypcore_owned(result):
    """hypcore's own ranges from its memory map: image, boot allocations, its DTB."""
    return [(int(m.group(1), 16), int(m.group(2), 16))
            for line in result.lines() if (m := RESERVED_RE.search(line))]


def dom0_ram(result):
    return [(int(m.group(1), 16), int(m.group(2), 16))
            for line in result.lines() if (m := DOM0_RAM_RE.search(line))]


ZIMAGE_RE = re.compile(r'dom0: kernel zImage start=0x0 size=(0x[0-9a-f]+)$')
DTB_RE = re.compile(r'dom0: dtb (0x[0-9a-f]+)-(0x[0-9a-f]+) written$')


def check_zimage(result, ram, entry, dtb):
    """arm32: the zImage and DTB where zimage_model puts them, all below 4 GiB."""
    z = next((m for l in result.lines() if (m := ZIMAGE_RE.search(l))), None)
    d = next((m for l in result.lines() if (m := DTB_RE.search(l))), None)
    if not z or not d:
        return 'no "dom0: kernel zImage" or "dom0: dtb" line'
    if any(e > 4 * GiB for _, e in ram):
        return f'dom0 RAM {ram} reaches above 4 GiB'
    # hypcore sets aside for the DTB the host DTB's used bytes, page-rounded,
    # plus two pages; place_zimage rounds that to 2 MiB: QEMU's DTB (a few KiB)
    # takes 2 MiB, a DTB written larger than that would take its own size.
    size = int(d.group(2), 16) - int(d.group(1), 16)
    want = zimage_model(ram, int(z.group(1), 16), max(size + 2 * PAGE, 2 * MiB))
    if (entry, dtb) != want:
        return (f'zImage at {entry:#x}, DTB at {dtb:#x}; the model (Xen 4.17 placement) '
                f'says {want[0]:#x}, {want[1]:#x}')
    return None


def check_entered(mem, cpus=1, arch='arm64'):
    """The model: dom0's RAM adds up to dom0_mem in ascending disjoint ranges
    inside the machine's RAM, none over hypcore's image; the kernel sits at
    a 2 MiB-aligned base of one of them (arm32: where zimage_model says); the
    p2m line; dom0 powered off."""
    def check(result, plan, img):
        ram = dom0_ram(result)
        if not ram:
            return 'no "dom0: ram" line'
        if sum(e - s for s, e in ram) != mem:
            return f'dom0 RAM {[(hex(s), hex(e)) for s, e in ram]} does not add up to {mem:#x}'
        if any(a[1] >= b[0] for a, b in zip(ram, ram[1:])):
            return 'dom0 RAM ranges overlap, touch or are not ascending'
        owned = hypcore_owned(result)
        if not owned:
            return 'no "mem: reserved ... image/boot" lines'
        for lo, hi in owned:
            if any(s < hi and lo < e for s, e in ram):
                return f'dom0 RAM covers hypcore\'s {lo:#x}-{hi:#x}'
        m = next((ENTER_RE.search(l) for l in result.lines() if ENTER_RE.search(l)), None)
        if not m or f'entering {ENTRY_MODE[arch]} ' not in m.group(0):
            return f'no "dom0: entering {ENTRY_MODE[arch]}" line'
        entry, dtb = int(m.group(1), 16), int(m.group(2), 16)
        bank = next(((s, e) for s, e in ram if s <= entry < e), None)
        if bank is None or entry % (2 * MiB):
            return f'kernel entry {entry:#x} is not 2 MiB aligned inside dom0 RAM'
        if arch == 'arm32':
            problem = check_zimage(result, ram, entry, dtb)
            if problem:
                return problem
        elif not (bank[0] <= dtb < bank[1]) or dtb % 8 or dtb < entry:
            return f'DTB at {dtb:#x} is not after the kernel in its RAM range'
        p = next((P2M_RE.search(l) for l in result.lines() if P2M_RE.search(l)), None)
        if not p or p.group(2) != '1' or p.group(3) != '40':
            return 'no "dom0: p2m root ... vmid 1 ipa-bits 40" line'
        if result.reason != 'dom0 powered off':
            return f'the run ended with {result.reason!r}, not dom0 powering off'
        return None
    return check


def refusal(expect_re):
    """One dom0 line matching expect_re, no dom0 entry, the boot completes."""
    def check(result, plan, img):
        lines = [l for l in result.lines() if 'dom0: ' in l and 'cmdline:' not in l
                 and 'dom0: kernel Image ' not in l        # the header as read
                 and 'dom0: kernel zImage ' not in l]
        if len(lines) != 1 or not re.search(expect_re, lines[0]):
            return f'expected one dom0 line matching {expect_re!r}, got {lines}'
        if result.reason != 'boot complete':
            return f'expected the boot to complete without dom0, got {result.reason!r}'
        return None
    return check


def module_case(arch, name, make, hyp_args='', smp=1, mem=GiB, checks=(), **kw):
    """A boot with module files made by make(directory) -> [Module]."""
    full = tag(arch, name)

    def run():
        directory = workdir(full + '-inputs')
        spec = qemu.RunSpec(arch=arch, smp=smp, mem=mem, modules=make(directory),
                            hyp_args=hyp_args, **kw)
        plan, result, img = run_qemu(full, spec)
        if not result.ok:
            return with_log('the run failed', result, plan)
        for check in checks:
            problem = check(result, plan, img)
            if problem:
                return with_log(problem, result, plan)
        return None
    return Case(full, run)


def cases(arch='arm64'):
    def mod(data, bootargs=None):
        return lambda d: [qemu.Module(_write(d, 'kernel', data), bootargs=bootargs)]

    not_kernel = {'arm64': r'is not an arm64 Image .*: no dom0$',
                  'arm32': r'is not an arm32 zImage .*: no dom0$'}[arch]
    gic = 2 if arch == 'arm32' else 3
    # arm32: a zImage of `size` bytes is that big a file (its header's end
    # must not claim more than the module holds); arm64: the header's image_size.
    mem_small_size = {'arm64': 64 * MiB, 'arm32': 31 * MiB}[arch]
    out = [
        boot_case('dom0:no-kernel', qemu.RunSpec(arch=arch),
                  [refusal(r'dom0: no kernel module: no dom0$')]),
        module_case(arch, 'dom0:bad-kernel', mod(bytes(range(256)) * 64),
                    checks=[refusal(not_kernel)]),
        module_case(arch, 'dom0:mem-too-large', mod(kernel(arch)),
                    hyp_args='dom0_mem=2G',
                    checks=[refusal(r'dom0_mem=0x80000000 is more than the free RAM .*: no dom0$')]),
        module_case(arch, 'dom0:mem-too-small', mod(kernel(arch, size=mem_small_size)),
                    hyp_args='dom0_mem=32M',
                    checks=[refusal(r'dom0_mem=0x2000000 is smaller than the kernel.*: no dom0$')]),
        module_case(arch, 'dom0:enter+system-off/hvc', mod(kernel(arch)),
                    gic=gic, checks=[check_entered(128 * MiB, arch=arch)]),
        module_case(arch, 'dom0:enter+system-off/smc', mod(kernel(arch, smc=True)),
                    gic=gic, hyp_args='dom0_mem=96M', checks=[check_entered(96 * MiB, arch=arch)]),
        module_case(arch, 'dom0:enter+system-off/smp4', mod(kernel(arch)),
                    smp=4, gic=gic, hyp_args='dom0_mem=200M',
                    checks=[check_entered(200 * MiB, arch=arch)]),
    ]
    if arch == 'arm64':
        out += [module_case(arch, 'dom0:enter+system-off/gic2', mod(kernel(arch)),
                            gic=2, checks=[check_entered(128 * MiB)]),
                dtb_case(arch, 'dom0:dtb/initrd', True),
                dtb_case(arch, 'dom0:dtb/no-initrd/gic2', False, gic=2)]
    else:
        # -m 4G: RAM above 4 GiB is in the heap, never in dom0's RAM.
        out.append(module_case(arch, 'dom0:enter+system-off/mem4g', mod(kernel(arch)),
                               gic=gic, mem=4 * GiB, hyp_args='dom0_mem=256M',
                               checks=[check_entered(256 * MiB, arch=arch)]))
        # -m 4G, dom0_mem=3G: 4 GiB is free in all, but the RAM below 4 GiB is
        # 3 GiB, hypcore's image and the DTB among it: dom0's RAM cannot be
        # found there, and the refusal names that limit, not the total.
        out.append(module_case(arch, 'dom0:mem-over-low-ram/mem4g', mod(kernel(arch)),
                               gic=gic, mem=4 * GiB, hyp_args='dom0_mem=3G',
                               checks=[refusal(r'dom0: dom0_mem=0xc0000000 is more than the '
                                               r'heap has free below 0x100000000, with 0x40000 '
                                               r'bytes kept for stage-2 tables: no dom0$')]))
    from . import dom0probes, idlesuite     # they import this module's helpers
    out += bad_header_cases(arch)
    return (out + payload_cases(arch) + dom0probes.cases(arch) + edges_cases(arch)
            + idlesuite.cases(arch))


def bad_header_cases(arch):
    """Kernels whose header asks for what no dom0 can give: one line naming
    the field and the value, no dom0, the boot completes and powers off."""
    def mod(data):
        return lambda d: [qemu.Module(_write(d, 'kernel', data))]

    def case(name, data, expect_re, hyp_args=''):
        return module_case(arch, f'dom0:bad-header/{name}', mod(data), hyp_args=hyp_args,
                           checks=[refusal(expect_re)])
    if arch == 'arm64':
        code = system_off_code()
        # Rounded up to a page, this image_size wraps to 0: a size check on
        # the rounded value alone would let it through.
        huge = (1 << 64) - 0xfff
        return [
            case('text-offset-unaligned', image(code, text_offset=0x80001),
                 r'dom0: Image header text_offset=0x80001 is not 4 KiB aligned: no dom0$'),
            case('text-offset-past-ipa', image(code, text_offset=1 << 40),
                 r'dom0: Image header text_offset=0x10000000000 image_size=0x10000 reach '
                 r'past the 40-bit IPA space: no dom0$'),
            case('image-size-wraps', image(code, image_size=huge),
                 rf'dom0: Image header text_offset=0x0 image_size={huge:#x} reach past the '
                 r'40-bit IPA space: no dom0$'),
            # image_size 1 GiB (BSS and all) with dom0_mem=128M.
            case('image-size-over-dom0-mem', image(code, image_size=GiB),
                 r'dom0: dom0_mem=0x8000000 is smaller than the kernel, its DTB and initrd '
                 r'need \(0x4[0-9a-f]{7}\): no dom0$', hyp_args='dom0_mem=128M'),
        ]
    code = a32_system_off_code()
    made = len(zimage(code))
    return [
        case('end-below-start', zimage(code, start=0x8000, end=0x100),
             r'dom0: zImage header end=0x100 is not above start=0x8000: no dom0$'),
        case('truncated', zimage(code, end=made + 0x1000),
             rf'dom0: zImage header says {made + 0x1000:#x} bytes \(end - start\) but the '
             rf'module holds {made:#x}: no dom0$'),
        # Linked at 0x1000 (QEMU virt's flash): no dom0 RAM is there.
        case('linked-outside-ram', zimage(code, start=0x1000),
             r"dom0: zImage linked at 0x1000 \(header start\) does not fit dom0's first RAM "
             r'range 0x[0-9a-f]+-0x[0-9a-f]+: no dom0$'),
    ]


# ------------------------------------------------ with the test payload
# tests/payload/ (issue10-payload) prints "payload: ..." lines through
# console_io; these cases check them against the inputs and hypcore's lines.
PSCI_EXPECT = {             # Xen 4.17's vpsci answers, as hypcore must give them
    'version': 0x10001, 'features-cpu-on': 0, 'migrate-info-type': 2,
    'affinity-info-before': 1, 'cpu-on': 0, 'affinity-info-after': 1,
    'cpu-on-bad-mpidr': -2, 'cpu-on-cpu0': -4,
}
PAYLOAD_RE = re.compile(r'^payload: (.*)$')
STAGE2_RE = re.compile(r'dom0: d0v(\d+) stage-2 fault: IPA (0x[0-9a-f]+) (read|write|exec) '
                       r'ELR (0x[0-9a-f]+)')


def payload_path(arch):
    return os.path.join(BUILD, arch, 'tests', 'payload', 'payload.bin')


def payload_lines(result):
    return [m.group(1) for line in result.lines() if (m := PAYLOAD_RE.match(line))]


ENTRY_LINE = {'arm64': 'el=1', 'arm32': 'mode=svc'}
# arm32: the DFSR hypcore injects, as Xen 4.17 does: "debug event", short format.
DFSR_DEBUG_EVENT = 0x2


def check_payload(mem, bootargs, probe, arch='arm64'):
    def check(result, plan, img):
        got = payload_lines(result)
        if ENTRY_LINE[arch] not in got:
            return f'the payload did not report {ENTRY_LINE[arch]}'
        if 'dtb-magic=ok' not in got or 'done' not in got:
            return 'the payload did not find its DTB or did not finish'
        mem_lines = [l for l in got if l.startswith('memory ')]
        ram = [f'memory {s:#x}-{e:#x}' for s, e in dom0_ram(result)]
        if mem_lines != ram:
            return f'the payload\'s memory {mem_lines} is not hypcore\'s dom0 RAM {ram}'
        if f'bootargs "{bootargs}"' not in got:
            return f'the payload did not get bootargs "{bootargs}"'
        for name, value in PSCI_EXPECT.items():
            if f'psci {name} = {value}' not in got:
                return f'PSCI {name}: expected {value}, payload says ' + \
                    str([l for l in got if l.startswith(f'psci {name} =')])
        if 'cpu1 up context=0x600dc0de' not in got:
            return 'cpu1 did not start with the CPU_ON context id'
        # The probe: hypcore's own page, so a stage-2 fault, reported by both.
        owned = [(s, e) for s, e in hypcore_owned(result) if s <= probe < e]
        if not owned:
            return f'probe {probe:#x} is not in any hypcore-owned range of the memory map'
        faults = [m for l in result.lines() if (m := STAGE2_RE.search(l))]
        if len(faults) != 1 or int(faults[0].group(2), 16) != probe or faults[0].group(3) != 'read':
            return f'expected one stage-2 read fault at {probe:#x}, got {[m.group(0) for m in faults]}'
        abort = [l for l in got if l.startswith(f'probe {probe:#x} -> abort esr=')]
        if not abort:
            return 'the payload did not report an abort for its probe'
        esr = int(abort[0].rsplit('=', 1)[1], 16)
        if arch == 'arm32':
            if esr != DFSR_DEBUG_EVENT:
                return f'the abort injected into SVC has DFSR {esr:#x}, not Xen 4.17\'s {DFSR_DEBUG_EVENT:#x}'
            return None
        if esr != XEN_DABT_ESR:
            return (f'the abort injected into EL1 has ESR {esr:#x}, not Xen 4.17\'s '
                    f'{XEN_DABT_ESR:#x} (EC 0x25 same-EL data abort, IL 1, ISS 0)')
        return None
    return check


def payload_case(arch, name, layout='default', smp=2, mem_mib=128, gic=None, where=None):
    """The payload as dom0; `where` (an smpsuite.Where) loads hypcore at one
    of the clash layouts' addresses instead of the layout's default."""
    full = tag(arch, name)
    gic = gic or (2 if arch == 'arm32' else 3)

    def run():
        if where is None:
            img = images.load(arch, layout)
            # Inside hypcore's image, where the default (kernel) loader puts it.
            load = qemu.default_load(img, 'kernel')
            spec = qemu.RunSpec(arch=arch, layout=layout, smp=smp, gic=gic)
        else:
            spec = smpsuite.spec_for(arch, where, smp, gic)
            img = images.load(arch, where.layout)
            load = qemu.default_load(img, 'kernel') if where.load is None else where.load
        probe = load + PAGE                         # inside hypcore's image
        bootargs = f'console=hvc0 probe={probe:#x}'
        spec.hyp_args = f'dom0_mem={mem_mib}M'
        spec.modules = [qemu.Module(payload_path(arch), bootargs=bootargs)]
        plan, result, img = run_qemu(full, spec)
        if not result.ok:
            return with_log('the run failed', result, plan)
        for check in (check_entered(mem_mib * MiB, arch=arch),
                      check_payload(mem_mib * MiB, bootargs, probe, arch)):
            problem = check(result, plan, img)
            if problem:
                return with_log(problem, result, plan)
        return None
    return Case(full, run)


def payload_cases(arch='arm64'):
    if not os.path.isfile(os.path.join(TOP, 'tests', 'payload', f'payload-{arch}.S')):
        return []
    return [
        payload_case(arch, 'dom0:payload'),
        payload_case(arch, 'dom0:payload/smp4', smp=4, mem_mib=256),
        # arm32 runs GICv2 throughout: its third case varies dom0_mem alone.
        payload_case(arch, 'dom0:payload/gic2' if arch == 'arm64' else 'dom0:payload/mem64',
                     gic=2, mem_mib=64),
        payload_case(arch, 'dom0:payload/layout-ram', layout='ram'),
    ] + [payload_case(arch, f'dom0:payload/{where.label}/smp4', smp=4, where=where)
         for where in smpsuite.ARCH_WHERES[arch] if where.label != 'default']


# ------------------------------------------------ with the edge-case payload
# tests/payload/edges-<arch>.S against Xen 4.17's answers (xensuite's model,
# which xen:edges checks against Xen itself).
UNDEF_RE = re.compile(r'dom0: d0v0 HVC #0x1234 is no hypercall: undefined instruction injected$')


def edges_case(arch, smp, gic=3):
    full = tag(arch, f'dom0:edges/smp{smp}')

    def run():
        spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic, hyp_args='dom0_mem=64M',
                            modules=[qemu.Module(edges_path(arch), bootargs='console=hvc0')])
        plan, result, img = run_qemu(full, spec)
        if not result.ok:
            return with_log('the run failed', result, plan)
        if result.reason != 'dom0 powered off':
            return with_log(f'the run ended with {result.reason!r}', result, plan)
        if not any(UNDEF_RE.search(line) for line in result.lines()):
            return with_log('no "HVC #0x1234 is no hypercall" line', result, plan)
        problem = check_edges(result.log, smp, arch)
        return with_log(problem, result, plan) if problem else None
    return Case(full, run)


def edges_cases(arch='arm64'):
    if not os.path.isfile(os.path.join(TOP, 'tests', 'payload', f'edges-{arch}.S')):
        return []
    if arch == 'arm32':         # no CPU_ON rounds in edges-arm32.S: one case
        return [edges_case(arch, 2, gic=2)]
    return [edges_case(arch, 2), edges_case(arch, 1), edges_case(arch, 4, gic=2)]


# ------------------------------------------------ dom0's device tree, read back
# selftest=dom0-dtb prints the DTB hypcore wrote for dom0 as "dom0: dtb-hex"
# lines; the blob rebuilt from them is read with fdtget/dtc (not libfdt, which
# wrote it) and checked against the inputs and hypcore's own lines.
DTB_HEX_RE = re.compile(r'dom0: dtb-hex ([0-9a-f]{6}) ([0-9a-f]+)$')
DTB_RE = re.compile(r'dom0: dtb (0x[0-9a-f]+)-(0x[0-9a-f]+) written')
INITRD_RE = re.compile(r'dom0: initrd (0x[0-9a-f]+)-(0x[0-9a-f]+) copied')


def dtb_from_log(result):
    """The blob from the dtb-hex lines, or a string saying what is wrong."""
    blob = bytearray()
    for line in result.lines():
        m = DTB_HEX_RE.search(line)
        if m:
            if int(m.group(1), 16) != len(blob):
                return f'dtb-hex line at offset {m.group(1)}, expected {len(blob):06x}'
            blob += bytes.fromhex(m.group(2))
    m = next((DTB_RE.search(l) for l in result.lines() if DTB_RE.search(l)), None)
    if not m:
        return 'no "dom0: dtb ... written" line'
    if len(blob) != int(m.group(2), 16) - int(m.group(1), 16):
        return f'{len(blob)} bytes of dtb-hex, but the DTB written is {m.group(0)}'
    return bytes(blob)


def _fdtget(path, node, prop=None, kind='s'):
    args = ['fdtget'] + (['-l', path, node] if prop is None else ['-t', kind, path, node, prop])
    p = subprocess.run(args, capture_output=True, text=True)
    return p.stdout.split('\n')[:-1] if prop is None else (p.stdout.strip() if p.returncode == 0
                                                            else None)


def _cells(text):
    return [int(c, 16) for c in text.split()]


def _pairs(cells, ac, sc):
    out, step = [], ac + sc
    for i in range(0, len(cells), step):
        a = 0
        for c in cells[i:i + ac]:
            a = a << 32 | c
        s = 0
        for c in cells[i + ac:i + step]:
            s = s << 32 | c
        out.append((a, a + s))
    return out


def check_dom0_dtb(bootargs, with_initrd):
    def check(result, plan, img):
        blob = dtb_from_log(result)
        if isinstance(blob, str):
            return blob
        path = os.path.join(os.path.dirname(plan.argv[plan.argv.index('-kernel') + 1]),
                            'dom0.dtb')
        with open(path, 'wb') as f:
            f.write(blob)
        dts = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', path],
                             capture_output=True, text=True)
        if dts.returncode:
            return f'dtc cannot read dom0\'s DTB ({path}): {dts.stderr.strip()}'
        ac = int(_fdtget(path, '/', '#address-cells', 'x') or '2', 16)
        sc = int(_fdtget(path, '/', '#size-cells', 'x') or '1', 16)
        memory = [n for n in _fdtget(path, '/') if n.startswith('memory')]
        ram = dom0_ram(result)
        if len(memory) != 1 or memory[0] != f'memory@{ram[0][0]:x}':
            return f'memory nodes {memory}, expected one memory@{ram[0][0]:x}'
        reg = _pairs(_cells(_fdtget(path, '/' + memory[0], 'reg', 'x')), ac, sc)
        if reg != ram:
            return f'{memory[0]} reg {[(hex(a), hex(b)) for a, b in reg]} is not dom0\'s RAM'
        modules = [n for n in _fdtget(path, '/chosen') if n.startswith('module')]
        if modules:
            return f'/chosen still has {modules}'
        got = _fdtget(path, '/chosen', 'bootargs')
        if got != bootargs:
            return f'/chosen/bootargs {got!r}, expected the module\'s {bootargs!r}'
        start = _fdtget(path, '/chosen', 'linux,initrd-start', 'x')
        end = _fdtget(path, '/chosen', 'linux,initrd-end', 'x')
        m = next((INITRD_RE.search(l) for l in result.lines() if INITRD_RE.search(l)), None)
        if with_initrd:
            if not m or start is None or end is None:
                return f'initrd: line {m and m.group(0)!r}, start {start!r}, end {end!r}'
            want = (int(m.group(1), 16), int(m.group(2), 16))
            got = (_pairs(_cells(start), 2, 0)[0][0], _pairs(_cells(end), 2, 0)[0][0])
            if got != want:
                return f'linux,initrd-start/-end {got}, hypcore copied the initrd to {want}'
        elif start is not None or end is not None or m:
            return 'linux,initrd-* without a ramdisk module'
        if _fdtget(path, '/psci', 'method') != 'hvc':
            return f'/psci method {_fdtget(path, "/psci", "method")!r}, not "hvc" as Xen writes'
        for block in re.findall(r'\{[^{}]*"arm,gic-v3-its"[^{}]*\}', dts.stdout):
            if 'status = "disabled"' not in block:
                return 'an ITS node is not disabled in dom0\'s DT'
        return None
    return check


def dtb_case(arch, name, with_initrd, gic=3):
    bootargs = 'console=hvc0 earlycon=xenboot probe=none'

    def make(directory):
        mods = [qemu.Module(payload_path(arch), bootargs=bootargs)]
        if with_initrd:
            mods.append(qemu.Module(_write(directory, 'initrd', bytes(range(256)) * 300)))
        return mods
    return module_case(arch, name, make, hyp_args='dom0_mem=64M selftest=dom0-dtb', gic=gic,
                       checks=[check_entered(64 * MiB), check_dom0_dtb(bootargs, with_initrd)])
