"""Independent models of what hypcore must print, computed from the inputs only.

* The decision line, from the layout's runtime address, the load address and
  the offset of the identity page in the image (an ELF symbol), with the
  rules of the issue: the page tables have 4 levels of 512 GiB, 1 GiB, 2 MiB
  and 4 KiB blocks; `share` counts the levels, from the root, at which the
  block holding the identity page meets the boot-time runtime region.
* The device-tree facts, read from the DTB with the dtc tools (fdtget, dtc),
  not with anything hypcore contains.

All parsing of hypcore's output lines lives here too (parse_* functions), so a
format change is made in one place.
"""
import dataclasses
import re
import subprocess

from .common import MiB, HYP_PREFIX

# include/layout.h: the boot-time runtime region is 8 MiB from the runtime base.
RUNTIME_REGION_SIZE = 8 * MiB
# Block size at each translation level, root first (4 KiB granule, 48-bit VA).
LEVEL_BLOCK_SHIFTS = (39, 30, 21, 12)
# The temporary alias lives in the other half of the first level-0 span.
TEMP_ALIAS_BIT = 1 << 39


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


def share_levels(page, start, end):
    """Levels, from the root, whose block holding `page` overlaps [start, end).

    The blocks are nested, so the count stops at the first level that misses.
    """
    share = 0
    for shift in LEVEL_BLOCK_SHIFTS:
        block = page >> shift << shift
        if not (block < end and start < block + (1 << shift)):
            break
        share += 1
    return share


def decide(arch, runtime_base, load, idmap_offset):
    """The model of the boot decision (see the module docstring)."""
    idmap = load + idmap_offset
    start, end = runtime_base, runtime_base + RUNTIME_REGION_SIZE
    share = share_levels(idmap, start, end)
    clash = share == len(LEVEL_BLOCK_SHIFTS) and load != runtime_base
    return Decision(arch=arch, load=load, idmap=idmap, runtime_start=start, runtime_end=end,
                    share=share, clash=clash,
                    temp=runtime_base ^ TEMP_ALIAS_BIT if clash else None)


def hyp_lines(log):
    """hypcore's own lines (the "(HYP) " prefix removed), in order."""
    out = []
    for line in log.split('\n'):
        line = line.rstrip('\r')
        at = line.find(HYP_PREFIX)
        if at >= 0:
            out.append(line[at + len(HYP_PREFIX):])
    return out


def parse_decision_lines(log):
    return [line for line in hyp_lines(log) if line.startswith('boot: ')]


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

@dataclasses.dataclass
class Facts:
    """What hypcore reports about a DTB, in a form both sides are reduced to."""
    memory: list = dataclasses.field(default_factory=list)        # (start, end, node)
    memreserve: list = dataclasses.field(default_factory=list)    # (start, end)
    reserved: list = dataclasses.field(default_factory=list)      # (start, end, node, no_map)
    bootargs: str = None
    # (start, end, kind, node, bootargs)
    modules: list = dataclasses.field(default_factory=list)

    def normalised(self):
        return Facts(sorted(self.memory), sorted(self.memreserve), sorted(self.reserved),
                     self.bootargs, sorted(self.modules, key=lambda m: m[:3]))


def _fdtget(dtb, node, prop=None, kind='s'):
    argv = ['fdtget', '-l', dtb, node] if prop is None else ['fdtget', '-t', kind, dtb, node, prop]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return proc.stdout.rstrip('\n') if proc.returncode == 0 else None


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


def _memreserve(dtb):
    dts = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', dtb], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, check=True).stdout
    return [(int(a, 16), int(a, 16) + int(s, 16))
            for a, s in re.findall(r'/memreserve/\s+0x([0-9a-f]+)\s+0x([0-9a-f]+);', dts)]


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
    dtb = normalise_dtb(dtb)
    facts = Facts(memreserve=_memreserve(dtb))
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


_RANGE = r'0x(?P<start>[0-9a-f]+)-0x(?P<end>[0-9a-f]+)'
_FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


def _fields(text):
    return {k: (v[1:-1] if v.startswith('"') else v) for k, v in _FIELD.findall(text)}


def parse_facts(log):
    """The DT facts hypcore printed ("dt: ..." lines), reduced to Facts.

    Line forms (after the "(HYP) " prefix):
      dt: memory 0x<start>-0x<end> node=<path>
      dt: memreserve 0x<start>-0x<end>
      dt: reserved-memory 0x<start>-0x<end> node=<path>[ no-map]
      dt: bootargs "<text>"      (or: dt: bootargs none)
      dt: module 0x<start>-0x<end> size=0x<n> kind=<k> node=<path> [bootargs="<text>"]
    """
    facts = Facts()
    for line in hyp_lines(log):
        if not line.startswith('dt: '):
            continue
        kind, _, rest = line[4:].partition(' ')
        if kind == 'bootargs':
            facts.bootargs = rest[1:-1] if rest.startswith('"') else None
            continue
        m = re.match(_RANGE, rest)
        if not m:
            continue
        start, end = int(m['start'], 16), int(m['end'], 16)
        fields = _fields(rest[m.end():])
        if kind == 'memory':
            facts.memory.append((start, end, fields.get('node')))
        elif kind == 'memreserve':
            facts.memreserve.append((start, end))
        elif kind == 'reserved-memory':
            facts.reserved.append((start, end, fields.get('node'),
                                   rest.endswith(' no-map')))
        elif kind == 'module':
            if int(fields.get('size', '-1'), 0) != end - start:
                fields['kind'] = f'size= does not match the range in: {line}'
            facts.modules.append((start, end, fields.get('kind'), fields.get('node'),
                                  fields.get('bootargs')))
    return facts


BLOB_RE = re.compile(r'^dt: blob at 0x([0-9a-f]+) ')


def parse_dtb_addr(log):
    """The DTB address hypcore reports ("dt: blob at 0x<addr> size <n>"), or None."""
    for line in hyp_lines(log):
        m = BLOB_RE.match(line)
        if m:
            return int(m.group(1), 16)
    return None


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
TRAP_RE = re.compile(r'^trap: ESR=0x([0-9a-f]+) ELR=0x([0-9a-f]+) FAR=0x([0-9a-f]+) '
                     r'SPSR=0x([0-9a-f]+)$')


def selftest_fault_address(runtime_base):
    """The virtual address selftest=fault reads."""
    return runtime_base + FIXMAP_OFFSET + FIXMAP_SIZE - 4096


LOAD_INSN_RE = re.compile(r'\bldr\w*\s+[wx]\d+, \[(x\d+)(?:, #(-?(?:0x)?[0-9a-f]+))?\]')


def _dump_registers(lines):
    regs = {}
    for line in lines:
        if line.startswith('trap:'):
            for m in re.finditer(r'\b(x\d+|sp)\s*=0x([0-9a-f]{16})\b', line):
                regs[m.group(1)] = int(m.group(2), 16)
    return regs


def check_fault_dump(log, runtime_base, instruction_at):
    """None if the log holds the data-abort dump the model predicts, else why.

    `instruction_at(vaddr)` disassembles the image's instruction at vaddr: the
    one at ELR must be a load whose address, computed from the dumped
    registers, is FAR.
    """
    lines = hyp_lines(log)
    dumps = [TRAP_RE.match(line) for line in lines if TRAP_RE.match(line)]
    if len(dumps) != 1:
        return f'expected one "trap: ESR=... ELR=... FAR=... SPSR=..." line, found {len(dumps)}'
    esr, elr, far = (int(dumps[0].group(i), 16) for i in (1, 2, 3))
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
    missing = [r for r in [f'x{i}' for i in range(31)] + ['sp'] if r not in regs]
    if missing:
        problems.append(f'registers missing from the dump: {", ".join(missing)}')
    insn = instruction_at(elr)
    m = LOAD_INSN_RE.search(insn)
    if not m:
        problems.append(f'the instruction at ELR {elr:#x} is not a load: {insn!r}')
    elif m.group(1) in regs:
        address = regs[m.group(1)] + (int(m.group(2), 0) if m.group(2) else 0)
        if address != far:
            problems.append(f'the load at ELR ({insn.strip()}) reads {address:#x}, '
                            f'FAR is {far:#x}')
    return '\n'.join(problems) or None


# ---------------------------------------------------------------- bench

BENCH_RE = re.compile(r'^bench: (\S+) ticks=(\d+)$')


def parse_bench(log):
    """{stage: ticks} from "bench: <stage> ticks=<n>" lines."""
    out = {}
    for line in hyp_lines(log):
        m = BENCH_RE.match(line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out
