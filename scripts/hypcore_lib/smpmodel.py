"""The SMP model: the smp: lines a boot must print for the CPUs its DTB lists,
where each CPU's stack, guard page and window lie, and the dumps of the SMP
self-tests (model.py re-exports these names)."""
from .common import MiB
from .dtmodel import _children, _fdtget, _number, _path, normalise_dtb
from .faultmodel import DFSC_TRANSLATION_L3, EC_DATA_ABORT_SAME_EL, _dump_registers
from .memmodel import PAGE_SIZE, _show_range
from .results import hyp_lines, parse_smp


# include/layout.h: the per-CPU area starts at __percpu_start, the runtime
# region's level-0 slot XOR 2, or XOR 3 when the identity page's level-0 entry
# is that one (arch/arm64/percpu.c, percpu_choose_base).  Its first 2 MiB are
# the slot; then 8 stack regions of 2 MiB, 64 CPUs each: CPU n's guard page is
# page 512 * (1 + n // 64) + (n % 64) * 8, its PERCPU_STACK_PAGES stack pages
# the ones above; mapping-window slot 0 is page PERCPU_WINDOW_PAGE.
PERCPU_SLOT_BIT = 39
PERCPU_STACK_PAGES = 4
PERCPU_STACK_STRIDE = 8
PERCPU_CPUS_PER_REGION = 64
PERCPU_STACK_REGIONS = 8
PERCPU_WINDOW_PAGE = 16
# common/smp.c: MPIDR Aff3..Aff0; include/smp.h CONFIG_NR_CPUS.
MPIDR_HWID_MASK = 0xff00ffffff
NR_CPUS = 512


# arm32: the per-CPU area (slot and stack regions) ends the runtime region's GiB.
ARM32_PERCPU_SLOT = 2 * MiB
PERCPU_AREA = ARM32_PERCPU_SLOT * (1 + PERCPU_STACK_REGIONS)


def percpu_base(runtime_base, arch='arm64', idmap=None):
    """Where the per-CPU slot starts.  Without idmap: the layout rule, what the
    linker script's __percpu_start holds.  With idmap (the identity page's
    paddr): where hypcore puts it for that load; on arm64 the level-0 entry
    next to the preferred one when the identity page's entry is the preferred
    one (the identity must never be built inside the slot's tables)."""
    if arch == 'arm32':
        gib = 1 << 30
        return (runtime_base & ~(gib - 1)) + gib - PERCPU_AREA
    index = (runtime_base >> PERCPU_SLOT_BIT) ^ 2
    if idmap is not None and idmap >> PERCPU_SLOT_BIT == index:
        index = (runtime_base >> PERCPU_SLOT_BIT) ^ 3
    return index << PERCPU_SLOT_BIT


def guard_page(base, cpu):
    region, index = divmod(cpu, PERCPU_CPUS_PER_REGION)
    return base + (1 + region) * 2 * MiB + index * PERCPU_STACK_STRIDE * PAGE_SIZE


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
