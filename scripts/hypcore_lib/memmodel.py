"""The memory model: the mem: and heap: lines a boot must print, computed from
its inputs (model.py re-exports these names).

The rules of the README "Memory" section, applied to the inputs of a boot:
RAM banks (merged where they touch, then shrunk to whole pages) give the
total; every reservation (image, DTB, /memreserve/, /reserved-memory,
accepted modules, the frametable) is grown to whole pages; a page under
several reservations counts once, under the first of RESERVED_TYPES; the
heap gets every other RAM page.  Nothing here reads hypcore's output except
the parse_* functions."""
import dataclasses
import re

from .common import MiB
from .dtmodel import _cells, _children, _fdtget, _path, _regs, dtb_facts
from .results import HEAP_FIELDS, OVERLAP_REASON_RE, parse_memory


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