"""Independent models of what hypcore must print, computed from the inputs only.

* The decision line, from the layout's runtime address, the load address and
  the offset of the identity page in the image (an ELF symbol), with the
  rules of the issue: the page tables have 4 levels of 512 GiB, 1 GiB, 2 MiB
  and 4 KiB blocks on arm64 (3 levels of 1 GiB, 2 MiB, 4 KiB with LPAE on
  arm32); `share` counts the levels, from the root, at which the block
  holding the identity page meets the boot-time runtime region.
* The device-tree facts, read from the DTB with the dtc tools (fdtget, dtc),
  not with anything hypcore contains.

Nothing here reads hypcore's output: its lines are parsed in results.py (the
parse_* names are imported here for the check_* functions and older callers).
"""
import dataclasses
import functools
import os
import re
import subprocess

from .common import MiB
from .results import (Facts, HEAP_FIELDS, OVERLAP_REASON_RE, hyp_lines, parse_decision_lines,
                      parse_memory, parse_smp, parse_trap)

# include/layout.h: the boot-time runtime region is 8 MiB from the runtime base.
RUNTIME_REGION_SIZE = 8 * MiB
# Block size at each translation level, root first (4 KiB granule, 48-bit VA).
LEVEL_BLOCK_SHIFTS = (39, 30, 21, 12)
# The temporary alias lives in the other half of the first level-0 span.
TEMP_ALIAS_BIT = 1 << 39
# Per architecture: arm32 (LPAE, 32-bit VA) has three levels from 1 GiB blocks,
# and its alias is the neighbouring 1 GiB slot.
ARCH_LEVEL_BLOCK_SHIFTS = {'arm64': LEVEL_BLOCK_SHIFTS, 'arm32': (30, 21, 12)}
ARCH_TEMP_ALIAS_BIT = {'arm64': TEMP_ALIAS_BIT, 'arm32': 1 << 30}


def levels(arch):
    """How many translation levels `share` counts on `arch` (its maximum)."""
    return len(ARCH_LEVEL_BLOCK_SHIFTS[arch])


@dataclasses.dataclass(frozen=True)
class Decision:
    """What hypcore decides for one (layout, load address)."""
    arch: str
    load: int
    idmap: int
    runtime_start: int
    runtime_end: int
    share: int
    clash: bool
    temp: int           # None when there is no clash

    def line(self):
        """The exact decision line hypcore must print (after its prefix)."""
        temp = f'{self.temp:#x}' if self.clash else 'none'
        return (f'boot: arch={self.arch} load={self.load:#x} idmap={self.idmap:#x} '
                f'runtime={self.runtime_start:#x}-{self.runtime_end:#x} share={self.share} '
                f'clash={"yes" if self.clash else "no"} temp={temp}')


def share_levels(page, start, end, shifts=LEVEL_BLOCK_SHIFTS):
    """Levels, from the root, whose block holding `page` overlaps [start, end).

    The blocks are nested, so the count stops at the first level that misses.
    """
    share = 0
    for shift in shifts:
        block = page >> shift << shift
        if not (block < end and start < block + (1 << shift)):
            break
        share += 1
    return share


def decide(arch, runtime_base, load, idmap_offset):
    """The model of the boot decision (see the module docstring)."""
    idmap = load + idmap_offset
    start, end = runtime_base, runtime_base + RUNTIME_REGION_SIZE
    shifts = ARCH_LEVEL_BLOCK_SHIFTS[arch]
    share = share_levels(idmap, start, end, shifts)
    clash = share == len(shifts) and load != runtime_base
    return Decision(arch=arch, load=load, idmap=idmap, runtime_start=start, runtime_end=end,
                    share=share, clash=clash,
                    temp=runtime_base ^ ARCH_TEMP_ALIAS_BIT[arch] if clash else None)


def check_decision(log, expected):
    """None if the log holds exactly one decision line equal to the model's, else why."""
    lines = parse_decision_lines(log)
    if len(lines) != 1:
        return f'expected one "boot:" line, found {len(lines)}: {lines}'
    if lines[0] != expected.line():
        return f'decision line differs from the model:\n  got:      {lines[0]}\n' \
               f'  expected: {expected.line()}'
    return None


# ---------------------------------------------------------------- DT facts

FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


@functools.lru_cache(maxsize=64)
def _fdt_tree(dtb, mtime):
    """{path: (props {name: bytes}, [child names])} of a DTB, read from its bytes
    (devicetree specification 5.4: the structure block's tokens), or None when the
    blob is not one this reader can walk.  The model's own reader: it shares no
    code with libfdt, which hypcore uses."""
    with open(dtb, 'rb') as f:
        blob = f.read()
    word = lambda at: int.from_bytes(blob[at:at + 4], 'big')   # noqa: E731
    try:
        if word(0) != 0xd00dfeed:
            return None
        off, strings = word(8), word(12)
        tree, stack, at = {}, [], off
        while True:
            tag = word(at)
            at += 4
            if tag == FDT_BEGIN_NODE:
                end = blob.index(b'\0', at)
                name = blob[at:end].decode()
                at = (end + 4) & ~3
                path = '/' if not stack else ('' if stack[-1] == '/' else stack[-1]) + '/' + name
                if stack:
                    tree[stack[-1]][1].append(name)
                tree[path] = ({}, [])
                stack.append(path)
            elif tag == FDT_END_NODE:
                stack.pop()
            elif tag == FDT_PROP:
                length, nameoff = word(at), word(at + 4)
                name_end = blob.index(b'\0', strings + nameoff)
                name = blob[strings + nameoff:name_end].decode()
                tree[stack[-1]][0][name] = blob[at + 8:at + 8 + length]
                at = (at + 8 + length + 3) & ~3
            elif tag == FDT_NOP:
                continue
            elif tag == FDT_END:
                return tree
            else:
                return None
    except (ValueError, IndexError, KeyError, UnicodeDecodeError):
        return None


def _fdtget(dtb, node, prop=None, kind='s'):
    """What `fdtget -l` (prop None) or `fdtget -t s|u|x` prints, or None where it fails."""
    tree = _fdt_tree(dtb, os.stat(dtb).st_mtime_ns)
    if tree is None or node not in tree:
        return None
    props, children = tree[node]
    if prop is None:
        return '\n'.join(children)
    value = props.get(prop)
    if value is None:
        return None
    if kind == 's':
        if value and not value.endswith(b'\0'):
            return None
        return ' '.join(v.decode(errors='replace') for v in value[:-1].split(b'\0')) if value else ''
    if len(value) % 4:
        return None
    cells = [int.from_bytes(value[i:i + 4], 'big') for i in range(0, len(value), 4)]
    return ' '.join(str(c) if kind == 'u' else f'{c:x}' for c in cells)


def _cells(dtb, node):
    """#address-cells/#size-cells of `node`, falling back to the root's (then 2, 1)."""
    root_a = _fdtget(dtb, '/', '#address-cells', 'u')
    root_s = _fdtget(dtb, '/', '#size-cells', 'u')
    a = _fdtget(dtb, node, '#address-cells', 'u') or root_a or '2'
    s = _fdtget(dtb, node, '#size-cells', 'u') or root_s or '1'
    return int(a), int(s)


def _regs(dtb, node, cells):
    raw = _fdtget(dtb, node, 'reg', 'x')
    if not raw:
        return []
    words = [int(w, 16) for w in raw.split()]
    acells, scells = cells
    step = acells + scells
    out = []
    for i in range(0, len(words) - step + 1, step):
        addr = sum(w << (32 * (acells - 1 - j)) for j, w in enumerate(words[i:i + acells]))
        size = sum(w << (32 * (scells - 1 - j))
                   for j, w in enumerate(words[i + acells:i + step]))
        out.append((addr, addr + size))
    return out


def _number(hex_words):
    """A big-endian number of one or more cells, from fdtget -t x output."""
    value = 0
    for word in hex_words.split():
        value = value << 32 | int(word, 16)
    return value


def _children(dtb, node):
    listing = _fdtget(dtb, node)
    return listing.split() if listing else []


def _path(parent, child):
    return ('' if parent == '/' else parent) + '/' + child


def memreserve_entries(dtb):
    """Every (address, size) of the DTB's /memreserve/ block up to its 0,0 entry,
    read from the bytes (devicetree spec 5.3): dtc and libfdt both stop at the
    first entry of size 0, hypcore does not.  Zero-size entries are included."""
    with open(dtb, 'rb') as f:
        return memreserve_entries_bytes(f.read())


def memreserve_entries_bytes(blob):
    """memreserve_entries() of a DTB's bytes."""
    header = [int.from_bytes(blob[i:i + 4], 'big') for i in range(0, 40, 4)]
    total, off_struct, off_strings, off_rsv = header[1], header[2], header[3], header[4]
    limit = min([total, len(blob)] + [o for o in (off_struct, off_strings) if o >= off_rsv])
    out = []
    while off_rsv + 16 <= limit:
        addr = int.from_bytes(blob[off_rsv:off_rsv + 8], 'big')
        size = int.from_bytes(blob[off_rsv + 8:off_rsv + 16], 'big')
        if addr == 0 and size == 0:
            break
        out.append((addr, size))
        off_rsv += 16
    return out


def _memreserve(dtb):
    return [(a, a + s) for a, s in memreserve_entries(dtb) if s]


# The /chosen boot-module binding (Xen's docs/misc/arm/device-tree/booting.txt):
# a child compatible with one of MODULE_COMPATIBLES is a module; its kind is
# given by a more specific compatible, else guessed: kernel, then ramdisk.
MODULE_COMPATIBLES = ('multiboot,module', 'xen,multiboot-module')
KIND_COMPATIBLES = (('multiboot,kernel', 'kernel'), ('multiboot,ramdisk', 'ramdisk'),
                    ('multiboot,device-tree', 'device-tree'), ('xen,linux-zimage', 'kernel'),
                    ('xen,linux-initrd', 'ramdisk'))
GUESSED_KINDS = ('kernel', 'ramdisk')


def module_kind(compatibles, guesses):
    """The kind of a module node; `guesses` counts the guesses made so far."""
    for compatible, kind in KIND_COMPATIBLES:
        if compatible in compatibles:
            return kind, guesses
    kind = GUESSED_KINDS[guesses] if guesses < len(GUESSED_KINDS) else 'unknown'
    return kind, guesses + 1


def _chosen_modules(dtb):
    """(start, end, kind, node, bootargs) for each module under /chosen."""
    modules, guesses = [], 0
    cells = _cells(dtb, '/chosen')
    for child in _children(dtb, '/chosen'):
        node = _path('/chosen', child)
        compatibles = (_fdtget(dtb, node, 'compatible') or '').split()
        if not any(c in compatibles for c in MODULE_COMPATIBLES):
            continue
        kind, guesses = module_kind(compatibles, guesses)
        regs = _regs(dtb, node, cells)
        if regs:
            modules.append((regs[0][0], regs[0][1], kind, node,
                            _fdtget(dtb, node, 'bootargs')))
    start = _fdtget(dtb, '/chosen', 'linux,initrd-start', 'x')
    end = _fdtget(dtb, '/chosen', 'linux,initrd-end', 'x')
    if start and end:
        modules.append((_number(start), _number(end), 'ramdisk', '/chosen', None))
    return modules


def normalise_dtb(dtb):
    """A copy of the DTB rewritten by dtc.

    QEMU leaves FDT_NOP tags where it edits a DTB, and fdtget -l stops
    listing children at the first one ("Unknown tag 0x00000004").
    """
    out = dtb + '.norm'
    subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dtb', '-o', out, dtb], check=True)
    return out


def dtb_facts(dtb):
    """The facts hypcore must print, read from the DTB file with the dtc tools."""
    facts = Facts(memreserve=_memreserve(dtb))     # from the original: dtc drops some
    dtb = normalise_dtb(dtb)
    root_cells = _cells(dtb, '/')
    for child in _children(dtb, '/'):
        node = _path('/', child)
        if _fdtget(dtb, node, 'device_type') == 'memory' and \
                _fdtget(dtb, node, 'status') in (None, 'okay', 'ok'):
            facts.memory += [(s, e, node) for s, e in _regs(dtb, node, root_cells)]
    if _fdtget(dtb, '/reserved-memory', '#address-cells', 'u') is not None \
            or _children(dtb, '/reserved-memory'):
        cells = _cells(dtb, '/reserved-memory')
        for child in _children(dtb, '/reserved-memory'):
            node = _path('/reserved-memory', child)
            no_map = _fdtget(dtb, node, 'no-map') is not None
            facts.reserved += [(s, e, node, no_map) for s, e in _regs(dtb, node, cells)]
    facts.bootargs = _fdtget(dtb, '/chosen', 'bootargs')
    facts.modules = _chosen_modules(dtb)
    return facts


def compare_facts(got, expected):
    """None if the printed facts equal the DTB's, else a description of the difference."""
    got, expected = got.normalised(), expected.normalised()
    problems = []
    for name in ('memory', 'memreserve', 'reserved', 'bootargs', 'modules'):
        g, e = getattr(got, name), getattr(expected, name)
        if g != e:
            problems.append(f'{name}: hypcore printed {_show(g)}, the DTB has {_show(e)}')
    return '\n'.join(problems) or None


def _show(value):
    if isinstance(value, list):
        return '[' + ', '.join('(' + ', '.join(f'{x:#x}' if isinstance(x, int) else repr(x)
                                               for x in item) + ')' for item in value) + ']'
    return repr(value)


# ---------------------------------------------------------------- fault dump

# include/layout.h: the fixmap is 2 MiB at runtime base + 2 MiB; selftest=fault
# reads its last page, which is never mapped while slot 0 (the UART) is, so the
# fault is a level-3 translation fault on a read.
FIXMAP_OFFSET = 2 * MiB
FIXMAP_SIZE = 2 * MiB
EC_DATA_ABORT_SAME_EL = 0x25
DFSC_TRANSLATION_L3 = 0x07
ESR_WNR = 1 << 6
TRAP_LINE_TEXT = {'arm64': 'trap: ESR=... ELR=... FAR=... SPSR=...',
                  'arm32': 'trap: HSR=... ELR_hyp=... HDFAR=... HIFAR=... SPSR=...'}
DUMP_REGISTERS = {'arm64': [f'x{i}' for i in range(31)] + ['sp'],
                  'arm32': [f'r{i}' for i in range(13)] + ['sp', 'lr']}
# objdump's names for arm32 registers the dump prints as r<n>.
ARM32_REG_ALIASES = {'sb': 'r9', 'sl': 'r10', 'fp': 'r11', 'ip': 'r12'}


def selftest_fault_address(runtime_base):
    """The virtual address selftest=fault reads."""
    return runtime_base + FIXMAP_OFFSET + FIXMAP_SIZE - 4096


LOAD_INSN_RE = re.compile(r'\bldr\w*\s+[wx]\d+, \[(x\d+)(?:, #(-?(?:0x)?[0-9a-f]+))?\]')
LOAD_INSN32_RE = re.compile(r'\bldr\w*\s+(?:r\d+|sb|sl|fp|ip|lr), '
                            r'\[(r\d+|sb|sl|fp|ip|sp|lr)(?:, #(-?(?:0x)?[0-9a-f]+))?\]')


def _dump_registers(lines):
    regs = {}
    for line in lines:
        if line.startswith('trap:'):
            for m in re.finditer(r'\b(x\d+|r\d+|sp|lr)\s*=0x([0-9a-f]{8}|[0-9a-f]{16})\b',
                                 line):
                regs[m.group(1)] = int(m.group(2), 16)
    return regs


def check_fault_dump(log, runtime_base, instruction_at, arch='arm64'):
    """None if the log holds the data-abort dump the model predicts, else why.

    `instruction_at(vaddr)` disassembles the image's instruction at vaddr: the
    one at ELR must be a load whose address, computed from the dumped
    registers, is FAR.
    """
    lines = hyp_lines(log)
    dumps = [parse_trap(line) for line in lines if parse_trap(line)]
    if len(dumps) != 1:
        return f'expected one "{TRAP_LINE_TEXT[arch]}" line, found {len(dumps)}'
    esr, elr, far = dumps[0]
    problems = []
    if esr >> 26 != EC_DATA_ABORT_SAME_EL:
        problems.append(f'ESR {esr:#x}: EC {esr >> 26:#x}, expected {EC_DATA_ABORT_SAME_EL:#x}')
    if esr & 0x3f != DFSC_TRANSLATION_L3 or esr & ESR_WNR:
        problems.append(f'ESR {esr:#x}: expected a level-3 translation fault on a read')
    if far != selftest_fault_address(runtime_base):
        problems.append(f'FAR {far:#x}, expected {selftest_fault_address(runtime_base):#x}')
    if not any(f'EC=0x{EC_DATA_ABORT_SAME_EL:02x}' in line for line in lines):
        problems.append('no "EC=0x25" line')
    regs = _dump_registers(lines)
    missing = [r for r in DUMP_REGISTERS[arch] if r not in regs]
    if missing:
        problems.append(f'registers missing from the dump: {", ".join(missing)}')
    insn = instruction_at(elr)
    m = (LOAD_INSN32_RE if arch == 'arm32' else LOAD_INSN_RE).search(insn)
    base_reg = m and ARM32_REG_ALIASES.get(m.group(1), m.group(1))
    if not m:
        problems.append(f'the instruction at ELR {elr:#x} is not a load: {insn!r}')
    elif base_reg in regs:
        address = regs[base_reg] + (int(m.group(2), 0) if m.group(2) else 0)
        address &= (1 << 32) - 1 if arch == 'arm32' else (1 << 64) - 1
        if address != far:
            problems.append(f'the load at ELR ({insn.strip()}) reads {address:#x}, '
                            f'FAR is {far:#x}')
    return '\n'.join(problems) or None


# ---------------------------------------------------------------- bench

# ---------------------------------------------------------------- memory (issue 3)
#
# The rules of the README "Memory" section, applied to the inputs of a boot:
# RAM banks (merged where they touch, then shrunk to whole pages) give the
# total; every reservation (image, DTB, /memreserve/, /reserved-memory,
# accepted modules, the frametable) is grown to whole pages; a page under
# several reservations counts once, under the first of RESERVED_TYPES; the
# heap gets every other RAM page.  Nothing here reads hypcore's output except
# the parse_* functions.

PAGE_SIZE = 4096
# One struct page_info (12 bytes) per RAM page, then the head bitmap (one bit
# per page), each rounded up to 64 bytes (include/page_alloc.h
# heap_metadata_size); the whole table rounded up to and placed on a 2 MiB
# boundary, at the top of the highest free range that holds it (README
# "Memory", include/mm.h FRAMETABLE_ALIGN).
PAGE_INFO_BYTES = 12
META_ALIGN = 64


def metadata_bytes(pages):
    def up(n):
        return -(-n // META_ALIGN) * META_ALIGN
    return up(pages * PAGE_INFO_BYTES) + up(-(-pages // 64) * 8)


FRAMETABLE_ALIGN = 2 * MiB
RESERVED_TYPES = ('firmware', 'image', 'dtb', 'module', 'boot')
# The module checks: against these reservations only (the frametable comes later).
MODULE_CLASH_TYPES = ('image', 'dtb', 'firmware', 'module')
ADDR_LIMIT = 1 << 64
MEMMAP_MAX_RAM = 32             # include/memmap.h
BOOTMOD_MAX = 16                # include/bootmodule.h


def merge_ranges(ranges):
    """Half-open (start, end) ranges, merged where they overlap or touch, sorted."""
    out = []
    for start, end in sorted((r[0], r[1]) for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def subtract_ranges(ranges, minus):
    """merge(ranges) without anything in `minus`."""
    minus = merge_ranges(minus)
    out = []
    for start, end in merge_ranges(ranges):
        cur = start
        for m_start, m_end in minus:
            if m_end <= cur or m_start >= end:
                continue
            if m_start > cur:
                out.append((cur, m_start))
            cur = max(cur, m_end)
        if cur < end:
            out.append((cur, end))
    return out


def intersect_ranges(a, b):
    out = []
    for a_start, a_end in merge_ranges(a):
        for b_start, b_end in merge_ranges(b):
            lo, hi = max(a_start, b_start), min(a_end, b_end)
            if lo < hi:
                out.append((lo, hi))
    return merge_ranges(out)


def range_length(ranges):
    return sum(end - start for start, end in merge_ranges(ranges))


def ram_page_numbers(ram):
    """Page numbers of the whole pages inside the (merged) RAM banks."""
    return merge_ranges([(-(-start // PAGE_SIZE), end // PAGE_SIZE)
                         for start, end in merge_ranges(ram)])


def touched_page_numbers(ranges):
    """Page numbers of every page a range touches (each grown to whole pages)."""
    return merge_ranges([(r[0] // PAGE_SIZE, -(-r[1] // PAGE_SIZE)) for r in ranges])


def page_stats(ram, reserved):
    """The heap: line's figures for RAM banks and (start, end, type, ...) reservations."""
    ram_pages = ram_page_numbers(ram)
    counted, stats = [], {}
    for kind in RESERVED_TYPES:
        pages = intersect_ranges(ram_pages, touched_page_numbers(
            [r for r in reserved if r[2] == kind]))
        stats[kind] = range_length(subtract_ranges(pages, counted))
        counted += pages
    stats['total'] = range_length(ram_pages)
    stats['reserved'] = sum(stats[kind] for kind in RESERVED_TYPES)
    stats['free'] = stats['total'] - stats['reserved']
    return stats


@dataclasses.dataclass
class MemInputs:
    """What a boot gives hypcore, in bytes (end exclusive), from the runner and the DTB."""
    ram: list                   # (start, end) per reg entry of each usable memory node
    image: tuple                # (load, load + image_size)
    dtb: tuple                  # (address, address + totalsize)
    firmware: list = dataclasses.field(default_factory=list)   # (start, end, name)
    modules: list = dataclasses.field(default_factory=list)    # (start, end, kind), DT order
    pa_bits: int = 64           # arch_paddr_bits(): RAM and modules must end at or below 2^pa_bits
    mmio: list = dataclasses.field(default_factory=list)       # (start, end, name): root devices


@dataclasses.dataclass
class Refusal:
    kind: str
    start: int
    end: int
    # 'ignored' (zero size or wrapping: a "dt: warning:" line, no mem: line),
    # 'not wholly inside RAM' or 'overlaps' (a "mem: refusing module" line)
    reason: str
    others: list = dataclasses.field(default_factory=list)  # (type, start, end, names) it may name


def beyond_reason(bits):
    """How a refusal for the physical address width starts (common/memmap_dt.c)."""
    return f'beyond the {bits}-bit physical address space'


@dataclasses.dataclass
class MemModel:
    ram: list                   # merged banks
    reserved: list              # (start, end, type, frozenset of acceptable names), sorted
    refused: list               # Refusal
    stats: dict                 # the heap: line
    release: int                # pages selftest=heap must give back: only modules cover them
    frametable: tuple           # (start, end) or None (hypcore must panic)


def _reserve(table, start, end, kind, name):
    """Add a reservation; same-type ones that touch merge (never modules).

    A merged range may carry any of its parts' names."""
    names = {name}
    merging = kind != 'module'
    while merging:
        merging = False
        for i, (s, e, k, n) in enumerate(table):
            if k == kind and start <= e and s <= end:
                table.pop(i)
                start, end, names = min(s, start), max(e, end), names | n
                merging = True
                break
    table.append((start, end, kind, frozenset(names)))


def memory_model(inputs):
    """What hypcore must decide for these inputs (README "Memory")."""
    limit = 1 << inputs.pa_bits
    # Banks reaching past the physical address width are refused whole; in DT
    # order, a bank that would be the 33rd (MEMMAP_MAX_RAM) is ignored.
    ram = []
    for start, end in inputs.ram:
        if start < end <= limit and (len(ram) < MEMMAP_MAX_RAM or any(
                start <= e and s <= end for s, e in ram)):
            ram = merge_ranges(ram + [(start, end)])
    # A (merged) bank over a device the root lists is refused whole.
    ram = [(s, e) for s, e in ram if not any(ds < e and s < de for ds, de, _ in inputs.mmio)]
    table = []
    _reserve(table, *inputs.image, 'image', 'hypcore')
    _reserve(table, *inputs.dtb, 'dtb', 'fdt')
    for start, end, name in inputs.firmware:
        if start < end < ADDR_LIMIT:
            _reserve(table, start, end, 'firmware', name)

    refused = []
    parsed = 0          # modules the DT binding takes (bootmodules_parse)
    for start, end, kind in inputs.modules:
        if end <= start or end >= ADDR_LIMIT:
            refused.append(Refusal(kind, start, end, 'ignored'))
            continue
        parsed += 1
        if parsed > BOOTMOD_MAX:
            refused.append(Refusal(kind, start, end, 'table full'))
        elif end > limit:
            refused.append(Refusal(kind, start, end, beyond_reason(inputs.pa_bits)))
        elif not any(s <= start and end <= e for s, e in ram):
            refused.append(Refusal(kind, start, end, 'not wholly inside RAM'))
        else:
            others = [r for r in table if r[2] in MODULE_CLASH_TYPES
                      and start < r[1] and r[0] < end]
            if others:
                refused.append(Refusal(kind, start, end, 'overlaps', others))
            else:
                _reserve(table, start, end, 'module', kind)
    # The frametable: top of the highest free range (whole pages) that holds it.
    total_pages = range_length(ram_page_numbers(ram))
    size = -(-metadata_bytes(total_pages) // FRAMETABLE_ALIGN) * FRAMETABLE_ALIGN
    free = subtract_ranges(ram_page_numbers(ram), touched_page_numbers(table))
    frametable = None
    for first, last in reversed(free):
        start, end = first * PAGE_SIZE, last * PAGE_SIZE
        at = (end - size) // FRAMETABLE_ALIGN * FRAMETABLE_ALIGN
        if end - start >= size and at >= start:
            frametable = (at, at + size)
            _reserve(table, at, at + size, 'boot', 'frametable')
            break
    table.sort(key=lambda r: (r[0], r[1], RESERVED_TYPES.index(r[2])))
    stats = page_stats(ram, table)
    module_pages = intersect_ranges(ram_page_numbers(ram), touched_page_numbers(
        [r for r in table if r[2] == 'module']))
    others = touched_page_numbers([r for r in table if r[2] != 'module'])
    release = range_length(subtract_ranges(module_pages, others))
    return MemModel(ram, table, refused, stats, release, frametable)


# What hypcore says when it refuses a bank beyond the physical address width.
MEM_REFUSE_RAM_RE = re.compile(r'^mem: refusing RAM 0x([0-9a-f]+)-0x([0-9a-f]+) node=\S+: '
                               r'(beyond the \d+-bit physical address space) \(.+\)$')


def _show_range(start, end):
    return f'{start:#x}-{end:#x}'


def _check_refusals(got, refused, dt_warnings):
    """The mem: refusing lines against the model's refusals; a zero-sized or
    wrapping module is dropped while the DT is read, with a dt: warning naming it."""
    problems = []
    for r in refused:
        if r.reason == 'table full' and not any('more than BOOTMOD_MAX' in w
                                                for w in dt_warnings):
            problems.append(f'module {r.kind} at {r.start:#x}: no "more than BOOTMOD_MAX" line')
        if r.reason == 'ignored' and not any(
                f'{r.start:#x}' in w and (('zero size' in w and r.end == r.start)
                                          or ('wraps' in w and r.end > ADDR_LIMIT)
                                          or ('ends exactly at 2^64' in w and r.end == ADDR_LIMIT)
                                          or ('is below linux,initrd-start' in w
                                              and r.end < r.start))
                for w in dt_warnings):
            problems.append(f'module {r.kind} at {r.start:#x} (size {r.end - r.start:#x}): no '
                            '"dt: warning: module ... zero size / wraps ...; ignored" line')
    want = {(r.kind, r.start, r.end): r for r in refused
            if r.reason not in ('ignored', 'table full')}
    seen = set()
    for kind, start, end, reason in got:
        key = (kind, start, end)
        r = want.get(key)
        if r is None:
            problems.append(f'refused module {kind} {_show_range(start, end)} ({reason}); '
                            'the model accepts it')
            continue
        seen.add(key)
        if r.reason.startswith('beyond the '):
            if not reason.startswith(r.reason):
                problems.append(f'module {kind} {_show_range(start, end)}: reason '
                                f'"{reason}", expected "{r.reason} (...)"')
            continue
        if r.reason != 'overlaps':
            if reason != r.reason:
                problems.append(f'module {kind} {_show_range(start, end)}: reason '
                                f'"{reason}", expected "{r.reason}"')
            continue
        m = OVERLAP_REASON_RE.match(reason)
        named = m and (m[1], int(m[2], 16), int(m[3], 16))
        match = [o for o in r.others if named == (o[2], o[0], o[1])
                 and (m[4] in o[3] or (m[4] is None and not o[3]))]
        if not match:
            expect = ' or '.join(f'"overlaps {o[2]} {_show_range(o[0], o[1])} '
                                 f'{"|".join(sorted(o[3]))}"' for o in r.others)
            problems.append(f'module {kind} {_show_range(start, end)}: reason "{reason}", '
                            f'expected {expect}')
    for key, r in want.items():
        if key not in seen:
            problems.append(f'module {r.kind} {_show_range(r.start, r.end)} was not refused; '
                            f'the model refuses it ({r.reason})')
    return problems


def check_memory(log, inputs, selftest=False):
    """None if the memory lines agree with the model of `inputs` (and with themselves).

    The heap: figures are recomputed twice: from the inputs (memory_model) and
    from the ranges hypcore printed (page_stats over the mem: lines).
    """
    expected = memory_model(inputs)
    got = parse_memory(log)
    problems = []
    limit = 1 << inputs.pa_bits
    want_refused = sorted({(s, e) for s, e in inputs.ram if e > limit and s < e < ADDR_LIMIT})
    got_refused = sorted({(int(m[1], 16), int(m[2], 16)) for m in map(MEM_REFUSE_RAM_RE.match,
                                                                       got.other) if m})
    if want_refused != got_refused or any(
            m and m[3] != beyond_reason(inputs.pa_bits) for m in map(MEM_REFUSE_RAM_RE.match,
                                                                     got.other)):
        problems.append(f'"mem: refusing RAM" lines for {[_show_range(*r) for r in got_refused]}'
                        f', model: {[_show_range(*r) for r in want_refused]} '
                        f'({beyond_reason(inputs.pa_bits)})')
    if got.ram != expected.ram:
        problems.append(f'mem: ram lines {[_show_range(*r) for r in got.ram]}, model '
                        f'{[_show_range(*r) for r in expected.ram]}')
    got_rsv = [(s, e, t) for s, e, t, _ in got.reserved]
    want_rsv = [(s, e, t) for s, e, t, _ in expected.reserved]
    if got_rsv != want_rsv:
        problems.append('mem: reserved lines differ from the model:\n'
                        + ''.join(f'      got:   {_show_range(s, e)} {t}\n' for s, e, t in got_rsv)
                        + ''.join(f'      model: {_show_range(s, e)} {t}\n'
                                  for s, e, t in want_rsv))
    else:
        for (s, e, t, name), (_, _, _, names) in zip(got.reserved, expected.reserved):
            if name not in names:
                problems.append(f'mem: reserved {_show_range(s, e)} {t} is named {name!r}, '
                                f'expected {" or ".join(sorted(names))}')
    problems += _check_refusals(got.refused, expected.refused, got.dt_module_warnings)
    if expected.frametable is None:
        problems.append('the model finds no room for the frametable: hypcore should panic')
    if not got.heap:
        problems.append('no heap: line')
        return '\n'.join(problems)
    first = got.heap[0]
    want = {k: expected.stats[k] for k in HEAP_FIELDS}
    if {k: first.get(k) for k in HEAP_FIELDS} != want:
        problems.append(f'heap: line {_show_stats(first)}\n  model (inputs): {_show_stats(want)}')
    from_printed = page_stats(got.ram, got.reserved)
    if {k: first.get(k) for k in HEAP_FIELDS} != {k: from_printed[k] for k in HEAP_FIELDS}:
        problems.append(f'heap: line {_show_stats(first)}\n  recomputed from the printed '
                        f'ranges: {_show_stats(from_printed)}')
    if selftest:
        problems += _check_selftest_heap(got, expected)
    return '\n'.join(problems) or None


def _show_stats(stats):
    return ' '.join(f'{k}={stats.get(k)}' for k in HEAP_FIELDS)


def _check_selftest_heap(got, expected):
    """The second heap: line and the selftest heap: line after releasing the modules."""
    problems = [f'self-test problem: {line}' for line in got.selftest_problems]
    if got.selftest is None:
        return problems + ['no "selftest heap: ok pages=<n> released=<m>" line']
    if len(got.heap) != 2:
        return problems + [f'expected 2 heap: lines (boot, after the self-test), '
                           f'found {len(got.heap)}']
    before, after = got.heap
    pages, released = got.selftest['pages'], got.selftest['released']
    if released != expected.release:
        problems.append(f'released={released}, the model gives back {expected.release} '
                        'pages (those only modules cover)')
    if pages > before['free']:
        problems.append(f'pages={pages} is more than the {before["free"]} free at boot')
    want_after = dict(before, module=0, free=pages + released,
                      reserved=before['reserved'] - expected.release)
    if after != want_after:
        problems.append(f'heap: line after the self-test {_show_stats(after)}\n'
                        f'  expected {_show_stats(want_after)} (free = pages + released, '
                        'no module pages)')
    return problems


def root_devices(dtb):
    """(start, end, name) of each reg entry of the root's children that are not memory."""
    cells = _cells(dtb, '/')
    out = []
    for child in _children(dtb, '/'):
        node = _path('/', child)
        if _fdtget(dtb, node, 'device_type') == 'memory':
            continue
        out += [(s, e, child) for s, e in _regs(dtb, node, cells) if s < e < ADDR_LIMIT]
    return out


def dtb_totalsize(dtb):
    """The totalsize field of a DTB's header (big-endian u32 at byte 4)."""
    with open(dtb, 'rb') as f:
        header = f.read(8)
    return int.from_bytes(header[4:8], 'big')


def memory_inputs(dtb, dtb_addr, load, image_size, pa_bits=64):
    """MemInputs for a boot: the DTB hypcore reads (read with the dtc tools), where
    it is, and where the image is with its Image-header size."""
    facts = dtb_facts(dtb)
    return MemInputs(
        pa_bits=pa_bits, mmio=root_devices(dtb),
        ram=[(s, e) for s, e, _ in facts.memory],
        image=(load, load + image_size),
        dtb=(dtb_addr, dtb_addr + dtb_totalsize(dtb)),
        firmware=[(s, e, 'memreserve') for s, e in facts.memreserve]
        + [(s, e, node.rsplit('/', 1)[-1]) for s, e, node, _ in facts.reserved],
        modules=[(s, e, kind) for s, e, kind, _, _ in facts.modules])


# ---------------------------------------------------------------- SMP (issue 4)

# include/layout.h: the per-CPU slot starts at __percpu_start, the runtime
# region's level-0 slot XOR 2, or XOR 3 when the identity page's level-0 entry
# is that one (arch/arm64/percpu.c, percpu_choose_base); CPU n's stack is PERCPU_STACK_PAGES pages from
# page PERCPU_STACKS_PAGE + n * PERCPU_STACK_STRIDE + 1, its guard page the one
# below; mapping-window slot 0 is page PERCPU_WINDOW_PAGE.
PERCPU_SLOT_BIT = 39
PERCPU_STACKS_PAGE = 64
PERCPU_STACK_PAGES = 4
PERCPU_STACK_STRIDE = PERCPU_STACK_PAGES + 2
PERCPU_WINDOW_PAGE = 16
# common/smp.c: MPIDR Aff3..Aff0; include/smp.h CONFIG_NR_CPUS.
MPIDR_HWID_MASK = 0xff00ffffff
NR_CPUS = 64


# arm32: the per-CPU slot is the last 2 MiB of the runtime region's GiB.
ARM32_PERCPU_SLOT = 2 * MiB


def percpu_base(runtime_base, arch='arm64', idmap=None):
    """Where the per-CPU slot starts.  Without idmap: the layout rule, what the
    linker script's __percpu_start holds.  With idmap (the identity page's
    paddr): where hypcore puts it for that load; on arm64 the level-0 entry
    next to the preferred one when the identity page's entry is the preferred
    one (the identity must never be built inside the slot's tables)."""
    if arch == 'arm32':
        gib = 1 << 30
        return (runtime_base & ~(gib - 1)) + gib - ARM32_PERCPU_SLOT
    index = (runtime_base >> PERCPU_SLOT_BIT) ^ 2
    if idmap is not None and idmap >> PERCPU_SLOT_BIT == index:
        index = (runtime_base >> PERCPU_SLOT_BIT) ^ 3
    return index << PERCPU_SLOT_BIT


def guard_page(base, cpu):
    return base + (PERCPU_STACKS_PAGE + cpu * PERCPU_STACK_STRIDE) * PAGE_SIZE


def stack_range(base, cpu):
    start = guard_page(base, cpu) + PAGE_SIZE
    return start, start + PERCPU_STACK_PAGES * PAGE_SIZE


def window_va(base):
    return base + PERCPU_WINDOW_PAGE * PAGE_SIZE


def dtb_cpus(dtb):
    """(node, mpidr, enable_method) for each enabled /cpus child with device_type "cpu",
    in tree order, reg read with /cpus' #address-cells."""
    dtb = normalise_dtb(dtb)
    acells = int(_fdtget(dtb, '/cpus', '#address-cells', 'u') or 1)
    out = []
    for child in _children(dtb, '/cpus'):
        node = _path('/cpus', child)
        if _fdtget(dtb, node, 'device_type') != 'cpu' or \
                _fdtget(dtb, node, 'status') not in (None, 'okay', 'ok'):
            continue
        reg = _fdtget(dtb, node, 'reg', 'x')
        words = reg.split() if reg else []
        if len(words) != acells:
            continue
        out.append((node, _number(' '.join(words)), _fdtget(dtb, node, 'enable-method')))
    return out


def expected_cpus(cpus, boot_mpidr):
    """[mpidr] in hypcore's numbering: cpu0 the boot CPU, then the other "psci"
    CPUs in tree order (at most NR_CPUS)."""
    boot = boot_mpidr & MPIDR_HWID_MASK
    out, self_seen = [boot], False
    for _, mpidr, method in cpus:
        mpidr &= MPIDR_HWID_MASK
        if mpidr == boot and not self_seen:
            self_seen = True
            continue
        if method == 'psci' and len(out) < NR_CPUS:
            out.append(mpidr)
    return out


def check_smp(log, mpidrs, failures, base, mem=None):
    """None if the smp: lines match the model, else why.

    mpidrs: the model's [mpidr] (expected_cpus); failures: {cpu: reason} the
    model expects (the others come online); base: the per-CPU slot
    (__percpu_start); mem: the MemLog of the same boot, for the roots.
    """
    got = parse_smp(log)
    problems = []
    roots = {}
    for cpu, mpidr in enumerate(mpidrs):
        lines = got.cpus.get(cpu, [])
        if len(lines) != 1:
            problems.append(f'cpu{cpu}: {len(lines)} smp: lines, expected one')
            continue
        line = lines[0]
        if line['mpidr'] != mpidr:
            problems.append(f'cpu{cpu}: mpidr={line["mpidr"]:#x}, the DTB says {mpidr:#x}')
        want = failures.get(cpu)
        if want is not None:
            if line['state'] != 'failed' or line.get('reason') != want:
                problems.append(f'cpu{cpu}: {line["state"]} {line.get("reason", "")}, '
                                f'expected failed reason={want}')
            continue
        if line['state'] != 'online':
            problems.append(f'cpu{cpu}: failed reason={line["reason"]}, expected online')
            continue
        if line['stack'] != stack_range(base, cpu):
            problems.append(f'cpu{cpu}: stack {_show_range(*line["stack"])}, model '
                            f'{_show_range(*stack_range(base, cpu))}')
        roots[cpu] = line['root']
    extra = sorted(set(got.cpus) - set(range(len(mpidrs))))
    if extra:
        problems.append(f'smp: lines for cpus the DTB does not list: {extra}')
    problems += _check_roots(roots, mem)
    stacks = [got.cpus[c][0]['stack'] for c in roots]
    if len(set(stacks)) != len(stacks):
        problems.append('two CPUs report the same stack')
    problems += _check_stack_pages({c: got.cpus[c][0]['stack_pa'] for c in roots}, roots, mem)
    online = len(mpidrs) - len(failures)
    if got.count != (online, len(mpidrs)):
        problems.append(f'count line {got.count}, expected "smp: {online} of {len(mpidrs)} '
                        'cpus online"')
    if got.bench is None or got.bench[1] != len(mpidrs):
        problems.append(f'bench: smp line {got.bench}, expected cpus={len(mpidrs)}')
    return '\n'.join(problems) or None


def _check_stack_pages(pages, roots, mem):
    """stack-pa= (a heap page behind each CPU's stack top): present, page
    aligned, distinct, no CPU's root, in RAM outside every reserved range."""
    if any(pa is None for pa in pages.values()):
        return ['an smp: online line has no stack-pa=']
    problems = []
    if len(set(pages.values())) != len(pages) or set(pages.values()) & set(roots.values()):
        problems.append(f'stack pages are not distinct pages: { {c: hex(p) for c, p in pages.items()} }')
    for cpu, pa in pages.items():
        if pa % PAGE_SIZE:
            problems.append(f'cpu{cpu}: stack-pa {pa:#x} is not page aligned')
        if mem is None:
            continue
        if not any(s <= pa and pa + PAGE_SIZE <= e for s, e in mem.ram):
            problems.append(f'cpu{cpu}: stack-pa {pa:#x} is not in RAM {mem.ram}')
        hits = [r for r in mem.reserved if pa < r[1] and r[0] < pa + PAGE_SIZE]
        if hits:
            problems.append(f'cpu{cpu}: stack-pa {pa:#x} lies in the reserved range '
                            f'{_show_range(hits[0][0], hits[0][1])} {hits[0][2]}')
    return problems


def _check_roots(roots, mem):
    problems = []
    if len(set(roots.values())) != len(roots):
        problems.append(f'roots are not distinct: { {c: hex(r) for c, r in roots.items()} }')
    for cpu, root in roots.items():
        if root % PAGE_SIZE:
            problems.append(f'cpu{cpu}: root {root:#x} is not page aligned')
        if cpu == 0 or mem is None:
            continue
        if not any(s <= root and root + PAGE_SIZE <= e for s, e in mem.ram):
            problems.append(f'cpu{cpu}: root {root:#x} is not in RAM {mem.ram}')
        hits = [r for r in mem.reserved if root < r[1] and r[0] < root + PAGE_SIZE]
        if hits:
            problems.append(f'cpu{cpu}: root {root:#x} lies in the reserved range '
                            f'{_show_range(hits[0][0], hits[0][1])} {hits[0][2]}')
    return problems


def check_selftest_smp(log, online_secondaries, base):
    got = parse_smp(log)
    problems = [f'self-test problem: {line}' for line in got.selftest_problems]
    want = {'cpus': online_secondaries, 'window': window_va(base),
            'distinct': online_secondaries}
    if got.selftest != want:
        problems.append(f'selftest smp line {got.selftest}, expected {want} '
                        '("selftest smp: ok cpus=<k> window=<slot 0> distinct-pages=<k>")')
    return '\n'.join(problems) or None


def check_stack_overflow(log, cpu, base, big=False):
    """The guard page of `cpu` turned its overflow into a dump naming it.

    big (selftest=stack-overflow-big): frames of several pages jump past the
    guard page without touching it; the dump must still be an overflow, with
    SP and FAR below the guard page and inside the CPU's per-CPU slot."""
    got = parse_smp(log)
    guard = guard_page(base, cpu)
    problems = []
    if got.overflow != [(cpu, guard)]:
        problems.append(f'stack overflow lines {got.overflow}, expected '
                        f'[(cpu{cpu}, guard page {guard:#x})]')
    if got.trap_cpus != [cpu]:
        problems.append(f'the trap dump names cpus {got.trap_cpus}, expected [{cpu}]')
    if got.parked != [cpu]:
        problems.append(f'"trap: cpuN parked" for {got.parked}, expected [{cpu}]')
    if len(got.traps) != 1:
        problems.append(f'{len(got.traps)} "trap: ESR=..."/"trap: HSR=..." lines, expected 1')
    else:
        esr, _, far = got.traps[0]
        if big:
            sp = _dump_registers(hyp_lines(log)).get('sp')
            if sp is None or not base <= sp < guard:
                problems.append(f'dumped sp {sp and hex(sp)} is not below cpu{cpu}\'s guard '
                                f'page {guard:#x} inside its slot {base:#x}: the frame '
                                'did not jump past the guard page')
            if not base <= far < guard:
                problems.append(f'FAR {far:#x} is not below cpu{cpu}\'s guard page '
                                f'{guard:#x} inside its slot {base:#x}')
        elif not guard <= far < guard + PAGE_SIZE:
            problems.append(f'FAR {far:#x} is not in cpu{cpu}\'s guard page {guard:#x}')
        if esr >> 26 != EC_DATA_ABORT_SAME_EL or esr & 0x3f != DFSC_TRANSLATION_L3:
            problems.append(f'ESR {esr:#x}: expected a level-3 translation fault (data '
                            'abort at EL2)')
    return '\n'.join(problems) or None
