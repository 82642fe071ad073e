"""dom0 probes every kind of range hypcore keeps: cases "dom0:probes/*".

design.md ("dom0"): every page hypcore owns stays unmapped at stage 2, and
so do the MMIO ranges it keeps (the GIC's hypervisor and virtual CPU
interfaces, the ITS).  A dom0 access to one must give one stage-2 fault
line and an abort injected into dom0 with Xen 4.17's syndrome.

A case boots the test payload twice with the same inputs, bootargs of the
same length included (hypcore's allocations are deterministic for identical
inputs):
  1. with a placeholder probe list, to learn from hypcore's own lines where
     each kind of range is (KINDS below);
  2. with `probe=A,B,...` naming one address of each kind; the payload reads
     each and prints one "probe A -> ..." line.
Run 2 is then checked: each address lies in the range of its kind as run
2's own lines give it (so a change between the runs is caught, not
trusted), outside dom0's RAM; it produced exactly one stage-2 read fault
line with that IPA, in order; the payload saw exactly one abort for it,
with the syndrome the other dom0 cases check (arm64 ESR_EL1 0x96000000,
arm32 DFSR 0x2).  The MMIO ranges hypcore says it kept ("dom0: kept by
hypcore") must be what a model computes from QEMU's own DTB (-machine
dumpdtb=, read with fdtget): the GICH/GICV reg entries of the GIC node and
every ITS node's reg.
"""
import re
import subprocess

from . import qemu, results
from .common import PAGE
from .suites import Case, run_qemu, tag, with_log, workdir
from .dom0suite import (DFSR_DEBUG_EVENT, STAGE2_RE, XEN_DABT_ESR, dom0_ram, payload_lines,
                        payload_path)

P2M_ROOT_RE = re.compile(r'dom0: p2m root (0x[0-9a-f]+) ')
MODULE_RE = re.compile(r'dt: module (0x[0-9a-f]+)-(0x[0-9a-f]+) size=\S+ kind=kernel ')
RELEASED_RE = re.compile(r'dom0: boot modules released \((\d+) pages\)$')
KEPT_RE = re.compile(r'dom0: kept by hypcore: (\S+) reg (0x[0-9a-f]+)-(0x[0-9a-f]+) '
                     r'\((\w+)\)$')
PROBE_LINE_RE = re.compile(r'probe (0x[0-9a-f]+) -> (value |abort esr=)(0x[0-9a-f]+)$')
ADDR_WIDTH = 12                 # "0x" and ten hex digits: every probe, both runs


def _search(regex, result):
    return [m for line in result.lines() if (m := regex.search(line))]


def _reserved(result, kind, name):
    """The mem: reserved ranges of this type and name (results.parse_memory)."""
    return [(start, end) for start, end, rtype, rname in results.parse_memory(result.log).reserved
            if rtype == kind and rname == name]


def _page(addr):
    return (addr, addr + PAGE)


def ram_kinds(result):
    """{kind: (start, end)} of hypcore's RAM ranges from a run's lines: the
    range each kind's probe must fall in.  Missing lines give no entry."""
    out = {}
    image = _reserved(result, 'image', 'hypcore')
    if image:
        out['image'] = image[0]
    for cpu, entries in sorted(results.parse_smp(result.log).cpus.items()):
        for cpu_line in entries:
            if cpu_line['state'] == 'online' and cpu_line['stack_pa'] is not None:
                out[f'cpu{cpu} root table'] = _page(cpu_line['root'])
                out[f'cpu{cpu} stack page'] = _page(cpu_line['stack_pa'])
    p2m = _search(P2M_ROOT_RE, result)
    if p2m:
        out['stage-2 root table'] = _page(int(p2m[0][1], 16))
    frametable = _reserved(result, 'boot', 'frametable')
    if frametable:
        out['frame table'] = frametable[0]
    dtb = _reserved(result, 'dtb', 'fdt')
    if dtb:
        out['host DTB'] = dtb[0]
    module, released = _search(MODULE_RE, result), _search(RELEASED_RE, result)
    if module and released and int(released[0][1]) > 0:
        # The kernel module's pages, given back to the heap once dom0 was
        # built: free heap pages that are not dom0's.
        start = int(module[0][1], 16) & ~(PAGE - 1)
        out['free heap page (released module)'] = _page(start)
    return out


def probe_address(kind, span):
    """The address probed in a kind's range: its start, but a page in for
    the image (its first page holds the header only)."""
    return span[0] + PAGE if kind == 'image' and span[1] - span[0] > PAGE else span[0]


# ------------------------------------------------------- the MMIO model
def _fdtget(dtb, node, prop, kind='x'):
    p = subprocess.run(['fdtget', '-t', kind, dtb, node, prop], capture_output=True, text=True)
    return p.stdout.split() if p.returncode == 0 else None


def _nodes(dtb):
    p = subprocess.run(['fdtget', '-l', dtb, '/'], capture_output=True, text=True)
    out = []
    for child in p.stdout.split():
        out.append('/' + child)
        q = subprocess.run(['fdtget', '-l', dtb, '/' + child], capture_output=True, text=True)
        out += [f'/{child}/{grandchild}' for grandchild in q.stdout.split()]
    return out


def _reg(dtb, node, cells):
    words = [int(w, 16) for w in _fdtget(dtb, node, 'reg') or []]
    ac, sc = cells
    out = []
    for i in range(0, len(words) - ac - sc + 1, ac + sc):
        addr = size = 0
        for w in words[i:i + ac]:
            addr = addr << 32 | w
        for w in words[i + ac:i + ac + sc]:
            size = size << 32 | w
        out.append((addr, addr + size))
    return out


def mmio_model(dtb):
    """[(node, start, end, name)] of the MMIO hypcore must keep, from QEMU's
    DTB: GICv2 (arm,cortex-a15-gic / arm,gic-400) reg entries 2 and 3 (GICH,
    GICV); GICv3 (arm,gic-v3) the two entries after GICD, the redistributor
    regions and GICC; every arm,gic-v3-its node's reg.  virt's GIC and ITS
    sit under the root (2 address and 2 size cells) or under the GIC node,
    whose #address-cells / #size-cells apply to its children."""
    root_cells = (int((_fdtget(dtb, '/', '#address-cells') or ['2'])[0], 16),
                  int((_fdtget(dtb, '/', '#size-cells') or ['1'])[0], 16))
    out = []
    for node in _nodes(dtb):
        compat = _fdtget(dtb, node, 'compatible', 's') or []
        parent = node.rsplit('/', 1)[0] or '/'
        cells = root_cells if parent == '/' else (
            int((_fdtget(dtb, parent, '#address-cells') or ['2'])[0], 16),
            int((_fdtget(dtb, parent, '#size-cells') or ['1'])[0], 16))
        reg = _reg(dtb, node, cells)
        if 'arm,gic-v3-its' in compat:
            out += [(node, s, e, 'ITS') for s, e in reg]
        elif 'arm,gic-v3' in compat:
            redist = int((_fdtget(dtb, node, '#redistributor-regions') or ['1'])[0], 16)
            first = 2 + redist
            out += [(node, s, e, name) for (s, e), name in zip(reg[first:first + 2],
                                                               ('GICH', 'GICV'))]
        elif {'arm,cortex-a15-gic', 'arm,gic-400'} & set(compat) and len(reg) >= 4:
            out += [(node, s, e, name) for (s, e), name in zip(reg[2:4], ('GICH', 'GICV'))]
    return out


def mmio_kind(node, name):
    return f'MMIO {name} ({node})'


def kept_lines(result):
    return [(m[1], int(m[2], 16), int(m[3], 16), m[4]) for m in _search(KEPT_RE, result)]


# ------------------------------------------------------- the case
def probes_case(arch, gic, smp=2, mem_mib=128):
    full = tag(arch, f'dom0:probes/gic{gic}')
    syndrome = DFSR_DEBUG_EVENT if arch == 'arm32' else XEN_DABT_ESR

    def spec(bootargs):
        return qemu.RunSpec(arch=arch, smp=smp, gic=gic, hyp_args=f'dom0_mem={mem_mib}M',
                            modules=[qemu.Module(payload_path(arch), bootargs=bootargs)])

    def run():
        dtb = qemu.dump_dtb(qemu._machine_argv(spec('')), workdir(full + '-dtb') + '/qemu.dtb')
        mmio = mmio_model(dtb)
        if gic == 2 and not any(name == 'GICH' for *_, name in mmio):
            return f'the MMIO model found no GICH in QEMU\'s DTB {dtb}: {mmio}'
        # Run 1: where each kind is.  The placeholder has the final list's length.
        count = len(mmio) + 9 + 2 * (smp - 2)       # ram_kinds gives 9 with two CPUs
        placeholder = 'n' * (count * (ADDR_WIDTH + 1) - 1)
        plan, learn, _ = run_qemu(full + '-learn', spec(f'console=hvc0 probe={placeholder}'))
        if not learn.ok:
            return with_log('run 1 (learning the addresses) failed', learn, plan)
        kinds = ram_kinds(learn)
        probes = [(kind, probe_address(kind, span)) for kind, span in sorted(kinds.items())]
        probes += [(mmio_kind(node, name), start) for node, start, _, name in mmio]
        if len(probes) != count:
            return with_log(f'run 1 gave {len(probes)} probes, expected {count}: {probes}',
                            learn, plan)
        arg = ','.join(f'{addr:#0{ADDR_WIDTH}x}' for _, addr in probes)
        plan, result, _ = run_qemu(full, spec(f'console=hvc0 probe={arg}'))
        if not result.ok or result.reason != 'dom0 powered off':
            return with_log(f'run 2 (probing) ended with {result.reason!r}', result, plan)
        problem = check_probes(result, probes, ram_kinds(result), mmio, syndrome)
        return with_log(problem, result, plan) if problem else None
    return Case(full, run)


def check_probes(result, probes, kinds, mmio, syndrome):
    """None when every probe trapped once and was reported, else the first problem."""
    if kept_lines(result) != mmio:
        def show(ranges):
            return [f'{name} {node} {s:#x}-{e:#x}' for node, s, e, name in ranges]
        return (f'hypcore kept {show(kept_lines(result))}, the model from QEMU\'s DTB says '
                f'{show(mmio)}')
    ram = dom0_ram(result)
    if not ram:
        return 'no "dom0: ram" line'
    host_ram = results.parse_memory(result.log).ram
    spans = dict(kinds)
    spans.update({mmio_kind(node, name): (s, e) for node, s, e, name in mmio})
    for kind, addr in probes:
        span = spans.get(kind)
        if span is None:
            return f'{kind}: run 2 has no line giving its range (run 1 probed {addr:#x})'
        if not span[0] <= addr < span[1]:
            return (f'{kind}: the probe {addr:#x} is not in its range {span[0]:#x}-{span[1]:#x} '
                    'in run 2 (the runs differ)')
        if any(s <= addr < e for s, e in ram):
            return f'{kind}: {addr:#x} lies in dom0\'s RAM {ram}'
        is_mmio = kind.startswith('MMIO ')
        if is_mmio == any(s <= addr < e for s, e in host_ram):
            return f'{kind}: {addr:#x} is {"" if is_mmio else "not "}in the host\'s RAM {host_ram}'
    faults = [(int(m[1]), int(m[2], 16), m[3]) for m in _search(STAGE2_RE, result)]
    want = [(0, addr, 'read') for _, addr in probes]
    if faults != want:
        named = {addr: kind for kind, addr in probes}
        missing = [f'{named[a]} {a:#x}' for _, a, _ in want if (0, a, 'read') not in faults]
        return (f'stage-2 fault lines {[(v, hex(a), k) for v, a, k in faults]}, expected one '
                f'd0v0 read per probe in order; missing: {missing}')
    got = [m for line in payload_lines(result) if (m := PROBE_LINE_RE.match(line))]
    if [int(m[1], 16) for m in got] != [addr for _, addr in probes]:
        return f'the payload probed {[m[1] for m in got]}, expected {[hex(a) for _, a in probes]}'
    for (kind, addr), m in zip(probes, got):
        if m[2] != 'abort esr=':
            return f'{kind}: the payload read {addr:#x} and got {m[3]}: no abort'
        if int(m[3], 16) != syndrome:
            return (f'{kind}: the abort for {addr:#x} has syndrome {m[3]}, not Xen 4.17\'s '
                    f'{syndrome:#x}')
    return None


def cases(arch):
    if arch == 'arm32':
        return [probes_case(arch, 2)]
    return [probes_case(arch, 3), probes_case(arch, 2)]
