"""The one parser of hypcore's log lines: the test suites check what it returns
against the models (model.py), and ./hypcore run --json, sweep's CSV files and
explain --boot report it as it is (log_summary, run_record).

Each parse_* function takes the whole serial log (or one line) and reads only
hypcore's own lines, the "(HYP) " prefix removed (hyp_lines); a line it does
not know is skipped, so a log cut short still yields what it holds.  A change
of a line's format is made here, in one place.
"""
import dataclasses
import re
import shlex

from .common import HYP_PREFIX


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


DECISION_RE = re.compile(r'^boot: arch=(\S+) load=0x([0-9a-f]+) idmap=0x([0-9a-f]+) '
                         r'runtime=0x([0-9a-f]+)-0x([0-9a-f]+) share=(\d+) clash=(yes|no) '
                         r'temp=(?:0x([0-9a-f]+)|none)$')


def parse_decision(line):
    """The decision line's fields, named as model.Decision's (so that
    model.Decision(**fields) == model.decide(...) when they agree), or None:

      boot: arch=<a> load=0x<pa> idmap=0x<pa> runtime=0x<va>-0x<va> share=<n>
            clash=yes|no temp=0x<va>|none
    """
    m = DECISION_RE.match(line)
    if not m:
        return None
    return {'arch': m[1], 'load': int(m[2], 16), 'idmap': int(m[3], 16),
            'runtime_start': int(m[4], 16), 'runtime_end': int(m[5], 16),
            'share': int(m[6]), 'clash': m[7] == 'yes',
            'temp': int(m[8], 16) if m[8] else None}


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


TRAP_RE = re.compile(r'^trap: ESR=0x([0-9a-f]+) ELR=0x([0-9a-f]+) FAR=0x([0-9a-f]+) '
                     r'SPSR=0x([0-9a-f]+)$')
# arm32 (HYP mode): HSR has the ESR layout (EC in bits 31:26, the long-descriptor
# fault status in 5:0); a data abort's address is HDFAR.
TRAP32_RE = re.compile(r'^trap: HSR=0x([0-9a-f]+) ELR_hyp=0x([0-9a-f]+) HDFAR=0x([0-9a-f]+) '
                       r'HIFAR=0x([0-9a-f]+) SPSR=0x([0-9a-f]+)$')


def parse_trap(line):
    """(esr, elr, far) from an arm64 "trap: ESR=..." or arm32 "trap: HSR=..." line, else None."""
    m = TRAP_RE.match(line) or TRAP32_RE.match(line)
    return tuple(int(m.group(i), 16) for i in (1, 2, 3)) if m else None


BENCH_RE = re.compile(r'^bench: (\S+) ticks=(\d+)(?: \w+=\S+)*$')


def bench_stage(raw_line):
    """The stage a raw serial-log line reports ("bench: <stage> ticks=..."
    after hypcore's prefix), else None: for timing that line from outside."""
    at = raw_line.find(HYP_PREFIX)
    m = BENCH_RE.match(raw_line[at + len(HYP_PREFIX):].rstrip('\r')) if at >= 0 else None
    return m.group(1) if m else None


def parse_bench(log):
    """{stage: ticks} from "bench: <stage> ticks=<n>[ <field>=<value>...]" lines."""
    out = {}
    for line in hyp_lines(log):
        m = BENCH_RE.match(line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


@dataclasses.dataclass
class MemLog:
    """hypcore's memory lines."""
    ram: list = dataclasses.field(default_factory=list)         # (start, end)
    reserved: list = dataclasses.field(default_factory=list)    # (start, end, type, name)
    refused: list = dataclasses.field(default_factory=list)     # (kind, start, end, reason)
    heap: list = dataclasses.field(default_factory=list)        # {field: int} per heap: line
    selftest: dict = None       # {pages, released} from "selftest heap: ok ..."
    selftest_problems: list = dataclasses.field(default_factory=list)
    other: list = dataclasses.field(default_factory=list)       # other mem: lines (warnings)
    dt_module_warnings: list = dataclasses.field(default_factory=list)  # "dt: warning: module"


MEM_RAM_RE = re.compile(r'^mem: ram 0x([0-9a-f]+)-0x([0-9a-f]+)$')
MEM_RESERVED_RE = re.compile(r'^mem: reserved 0x([0-9a-f]+)-0x([0-9a-f]+) (\w+)(?: (\S+))?$')
# "0x<start>-0x<end>: reason", or "0x<start>+0x<size>: empty or wrapping range".
MEM_REFUSE_RE = re.compile(r'^mem: refusing module (\S+) 0x([0-9a-f]+)([-+])0x([0-9a-f]+): (.+)$')
HEAP_RE = re.compile(r'^heap: ((?:\w+=\d+ ?)+)$')
HEAP_FIELDS = ('total', 'free', 'reserved', 'module', 'image', 'dtb', 'firmware', 'boot')
SELFTEST_HEAP_RE = re.compile(r'^selftest heap: ok pages=(\d+) released=(\d+)$')
OVERLAP_REASON_RE = re.compile(r'^overlaps (\w+) 0x([0-9a-f]+)-0x([0-9a-f]+)(?: (\S+))?$')


def parse_memory(log):
    """The mem:, heap: and selftest heap: lines, in order.

      mem: refusing module <kind> 0x<start>-0x<end>: <reason>
      mem: ram 0x<start>-0x<end>
      mem: reserved 0x<start>-0x<end> <type> [<name>]
      heap: total=<n> free=<n> reserved=<n> module=<n> image=<n> dtb=<n> firmware=<n> boot=<n>
      selftest heap: ok pages=<n> released=<m>      (or other "selftest heap: ..." = failure)
    """
    out = MemLog()
    for line in hyp_lines(log):
        m = MEM_RAM_RE.match(line)
        if m:
            out.ram.append((int(m[1], 16), int(m[2], 16)))
            continue
        m = MEM_RESERVED_RE.match(line)
        if m:
            out.reserved.append((int(m[1], 16), int(m[2], 16), m[3], m[4]))
            continue
        m = MEM_REFUSE_RE.match(line)
        if m:
            start, second = int(m[2], 16), int(m[4], 16)
            out.refused.append((m[1], start, start + second if m[3] == '+' else second, m[5]))
            continue
        m = HEAP_RE.match(line)
        if m:
            out.heap.append({k: int(v) for k, v in (f.split('=') for f in m[1].split())})
            continue
        m = SELFTEST_HEAP_RE.match(line)
        if m:
            out.selftest = {'pages': int(m[1]), 'released': int(m[2])}
        elif line.startswith('selftest heap:'):
            out.selftest_problems.append(line)
        elif line.startswith('mem: '):
            out.other.append(line)
        elif line.startswith('dt: warning: module '):
            out.dt_module_warnings.append(line)
    return out


@dataclasses.dataclass
class SmpLog:
    cpus: dict = dataclasses.field(default_factory=dict)   # n -> [fields dict] (normally one)
    count: tuple = None         # (online, listed)
    bench: tuple = None         # (ticks, cpus)
    selftest: dict = None       # selftest smp: ok fields
    selftest_problems: list = dataclasses.field(default_factory=list)
    overflow: list = dataclasses.field(default_factory=list)   # (cpu, guard va)
    trap_cpus: list = dataclasses.field(default_factory=list)  # cpus named by "trap: ... on cpuN"
    parked: list = dataclasses.field(default_factory=list)     # "trap: cpuN parked"
    traps: list = dataclasses.field(default_factory=list)      # (esr, elr, far)
    warnings: list = dataclasses.field(default_factory=list)
    # (DT path, CONFIG_NR_CPUS) of the first CPU left out because hypcore has no slot for it
    ignored: list = dataclasses.field(default_factory=list)
    left_out: int = 0           # how many /cpus lists past CONFIG_NR_CPUS (the summary's)
    limit: int = None           # CONFIG_NR_CPUS, when the summary names it


SMP_ONLINE_RE = re.compile(r'^smp: cpu(\d+) online mpidr=0x([0-9a-f]+) root=0x([0-9a-f]+) '
                           r'stack=0x([0-9a-f]+)-0x([0-9a-f]+)(?: stack-pa=0x([0-9a-f]+))?$')
SMP_FAILED_RE = re.compile(r'^smp: cpu(\d+) failed mpidr=0x([0-9a-f]+) reason=(\S+)$')
SMP_COUNT_RE = re.compile(r'^smp: (\d+) of (\d+) cpus online'
                          r'(?:; (\d+) more in /cpus left out \(CONFIG_NR_CPUS=(\d+)\))?$')
SMP_BENCH_RE = re.compile(r'^bench: smp ticks=(\d+) cpus=(\d+)$')
SMP_IGNORED_RE = re.compile(r'^smp: warning: (\S+): more CPUs than CONFIG_NR_CPUS \((\d+)\); '
                            r'ignored, and every later one$')
SELFTEST_SMP_RE = re.compile(r'^selftest smp: ok cpus=(\d+) window=0x([0-9a-f]+) '
                             r'distinct-pages=(\d+)$')
OVERFLOW_RE = re.compile(r'^trap: stack overflow: cpu(\d+) (?:hit|ran past) its stack guard '
                         r'page 0x([0-9a-f]+)(?: \(sp=0x[0-9a-f]+\))?$')
TRAP_ON_CPU_RE = re.compile(r'^trap: .* on cpu(\d+)$')
TRAP_PARKED_RE = re.compile(r'^trap: cpu(\d+) parked$')


def parse_smp(log):
    """The smp:, bench: smp, selftest smp: and trap lines.

      smp: cpu<N> online mpidr=0x<mpidr> root=0x<paddr> stack=0x<va>-0x<va> stack-pa=0x<paddr>
      smp: cpu<N> failed mpidr=0x<mpidr> reason=<name>
      smp: <n> of <m> cpus online
      smp: <k> of <n> cpus online; <m> more in /cpus left out (CONFIG_NR_CPUS=<c>)
      smp: warning: <path>: more CPUs than CONFIG_NR_CPUS (<n>); ignored, and every later one
      bench: smp ticks=<n> cpus=<m>
      selftest smp: ok cpus=<k> window=0x<va> distinct-pages=<k>
      trap: stack overflow: cpu<N> hit its stack guard page 0x<va>
      trap: stack overflow: cpu<N> ran past its stack guard page 0x<va> (sp=0x<va>)
    """
    out = SmpLog()
    for line in hyp_lines(log):
        m = SMP_ONLINE_RE.match(line)
        if m:
            out.cpus.setdefault(int(m[1]), []).append(
                {'state': 'online', 'mpidr': int(m[2], 16), 'root': int(m[3], 16),
                 'stack': (int(m[4], 16), int(m[5], 16)),
                 'stack_pa': int(m[6], 16) if m[6] else None})
            continue
        m = SMP_FAILED_RE.match(line)
        if m:
            out.cpus.setdefault(int(m[1]), []).append(
                {'state': 'failed', 'mpidr': int(m[2], 16), 'reason': m[3]})
            continue
        m = SMP_COUNT_RE.match(line)
        if m:
            out.count = (int(m[1]), int(m[2]))
            if m[3]:
                out.left_out, out.limit = int(m[3]), int(m[4])
            continue
        m = SMP_BENCH_RE.match(line)
        if m:
            out.bench = (int(m[1]), int(m[2]))
            continue
        m = SELFTEST_SMP_RE.match(line)
        if m:
            out.selftest = {'cpus': int(m[1]), 'window': int(m[2], 16),
                            'distinct': int(m[3])}
            continue
        if line.startswith('selftest smp:'):
            out.selftest_problems.append(line)
            continue
        m = OVERFLOW_RE.match(line)
        if m:
            out.overflow.append((int(m[1]), int(m[2], 16)))
            continue
        trap = parse_trap(line)
        if trap:
            out.traps.append(trap)
            continue
        m = TRAP_PARKED_RE.match(line)
        if m:
            out.parked.append(int(m[1]))
            continue
        m = TRAP_ON_CPU_RE.match(line)
        if m:
            out.trap_cpus.append(int(m[1]))
            continue
        if line.startswith('smp: '):
            out.warnings.append(line)
            m = SMP_IGNORED_RE.match(line)
            if m:
                out.ignored.append((m[1], int(m[2])))
    return out


ALLOC_BENCH_RE = re.compile(r'^bench: alloc (.*)$')


def parse_alloc_bench(output):
    """[{order, pages, buddy_ns, firstfit_ns, ratio}] from tests/bench/bench-alloc:
      bench: alloc order=<k> pages=<n> buddy_ns=<x> firstfit_ns=<y> ratio=<y/x>"""
    out = []
    for line in output.splitlines():
        m = ALLOC_BENCH_RE.match(line.strip())
        if m:
            out.append({k: float(v) if '.' in v else int(v) for k, v in _fields(m[1]).items()})
    return out


# ---------------------------------------------------------------- dom0

DOM0_IMAGE_RE = re.compile(r'^dom0: kernel Image text_offset=0x([0-9a-f]+) '
                           r'image_size=0x([0-9a-f]+) flags=0x([0-9a-f]+)$')
DOM0_ZIMAGE_RE = re.compile(r'^dom0: kernel zImage start=0x([0-9a-f]+) size=0x([0-9a-f]+)$')
DOM0_RAM_RE = re.compile(r'^dom0: ram 0x([0-9a-f]+)-0x([0-9a-f]+)$')
DOM0_COPY_RE = re.compile(r'^dom0: (kernel|initrd) 0x([0-9a-f]+)-0x([0-9a-f]+) '
                          r'(?:copied from 0x([0-9a-f]+)|in place)')
DOM0_DTB_RE = re.compile(r'^dom0: dtb 0x([0-9a-f]+)-0x([0-9a-f]+) written$')
DOM0_DEVICES_RE = re.compile(r'^dom0: (\d+) device regions passed through$')
DOM0_KEPT_RE = re.compile(r'^dom0: kept by hypcore: (\S+) reg 0x([0-9a-f]+)-0x([0-9a-f]+) '
                          r'\((.*)\)$')
DOM0_P2M_RE = re.compile(r'^dom0: p2m root 0x([0-9a-f]+) vmid (\d+) ipa-bits (\d+) tables (\d+)$')
DOM0_RELEASED_RE = re.compile(r'^dom0: boot modules released \((\d+) pages\)$')
DOM0_ENTRY_RE = re.compile(r'^dom0: entering (\S+) at 0x([0-9a-f]+) on cpu(\d+) '
                           r'dtb 0x([0-9a-f]+)$')
DOM0_EXIT_RE = re.compile(r'^dom0: (SYSTEM_OFF|SYSTEM_RESET) requested$')
DOM0_FAULT_RE = re.compile(r'^dom0: d0v(\d+) stage-2 fault: IPA 0x([0-9a-f]+) (\w+) '
                           r'ELR 0x([0-9a-f]+)$')


def parse_dom0(log):
    """dom0's placement and life, from the "dom0: ..." lines, as a dict (the keys
    of lines that did not appear are absent or None):

      dom0: kernel Image text_offset=0x<n> image_size=0x<n> flags=0x<n>
      dom0: kernel zImage start=0x<n> size=0x<n>
      dom0: ram 0x<start>-0x<end>                      (one per bank)
      dom0: kernel|initrd 0x<start>-0x<end> copied from 0x<pa> | in place
      dom0: dtb 0x<start>-0x<end> written
      dom0: kept by hypcore: <node> reg 0x<start>-0x<end> (<why>)
      dom0: <n> device regions passed through
      dom0: p2m root 0x<pa> vmid <n> ipa-bits <n> tables <n>
      dom0: boot modules released (<n> pages)
      dom0: entering EL1|SVC at 0x<pc> on cpu<n> dtb 0x<ipa>
      dom0: d0v<n> stage-2 fault: IPA 0x<ipa> read|write|exec ELR 0x<va>
      dom0: SYSTEM_OFF|SYSTEM_RESET requested;  dom0: crashed
      dom0: ...: no dom0                               (refused)
    """
    out = {'ram': [], 'kept': [], 'stage2_faults': [], 'entry': None, 'exit': None,
           'refused': None, 'other': []}
    for line in hyp_lines(log):
        if not line.startswith('dom0: '):
            continue
        if (m := DOM0_IMAGE_RE.match(line)):
            out['kernel_header'] = {'format': 'Image', 'text_offset': int(m[1], 16),
                                    'image_size': int(m[2], 16), 'flags': int(m[3], 16)}
        elif (m := DOM0_ZIMAGE_RE.match(line)):
            out['kernel_header'] = {'format': 'zImage', 'start': int(m[1], 16),
                                    'size': int(m[2], 16)}
        elif (m := DOM0_RAM_RE.match(line)):
            out['ram'].append([int(m[1], 16), int(m[2], 16)])
        elif (m := DOM0_COPY_RE.match(line)):
            out[m[1]] = {'start': int(m[2], 16), 'end': int(m[3], 16),
                         'from': int(m[4], 16) if m[4] else None}
        elif (m := DOM0_DTB_RE.match(line)):
            out['dtb'] = {'start': int(m[1], 16), 'end': int(m[2], 16)}
        elif (m := DOM0_KEPT_RE.match(line)):
            out['kept'].append({'node': m[1], 'start': int(m[2], 16), 'end': int(m[3], 16),
                                'why': m[4]})
        elif (m := DOM0_DEVICES_RE.match(line)):
            out['devices'] = int(m[1])
        elif (m := DOM0_P2M_RE.match(line)):
            out['p2m'] = {'root': int(m[1], 16), 'vmid': int(m[2]), 'ipa_bits': int(m[3]),
                          'tables': int(m[4])}
        elif (m := DOM0_RELEASED_RE.match(line)):
            out['released_pages'] = int(m[1])
        elif (m := DOM0_ENTRY_RE.match(line)):
            out['entry'] = {'mode': m[1], 'pc': int(m[2], 16), 'cpu': int(m[3]),
                            'dtb': int(m[4], 16)}
        elif (m := DOM0_FAULT_RE.match(line)):
            out['stage2_faults'].append({'vcpu': int(m[1]), 'ipa': int(m[2], 16),
                                         'access': m[3], 'elr': int(m[4], 16)})
        elif (m := DOM0_EXIT_RE.match(line)):
            out['exit'] = m[1]
        elif line == 'dom0: crashed':
            out['exit'] = 'crashed'
        elif line.endswith(': no dom0') or line.endswith(' no dom0'):
            out['refused'] = line[len('dom0: '):]
        elif not line.startswith('dom0: dtb-hex '):
            out['other'].append(line[len('dom0: '):])
    return out


# ---------------------------------------------------------------- the whole log

BANNER_RE = re.compile(r'^hypcore (\S+) on (\S+)$')


def log_summary(log):
    """Everything the parsers above read from one serial log, as plain data for
    JSON (addresses and sizes are integers; ranges [start, end) as [start, end]):
    the banner, the decision line's fields, the DTB, the DT facts, the memory map
    and each heap: line, every CPU's outcome, dom0, the bench ticks, trap dumps
    and self-test lines."""
    lines = hyp_lines(log)
    banner = next((m for m in map(BANNER_RE.match, lines) if m), None)
    decisions = parse_decision_lines(log)
    facts = parse_facts(log)
    mem = parse_memory(log)
    smp = parse_smp(log)
    cpus = []
    for cpu, entries in sorted(smp.cpus.items()):
        for entry in entries:
            row = {'cpu': cpu, **entry}
            if 'stack' in row:
                row['stack'] = list(row['stack'])
            cpus.append(row)
    dtb = next((m for m in (re.match(r'^dt: blob at 0x([0-9a-f]+) size (\d+)', x)
                            for x in lines) if m), None)
    return {
        'banner': {'arch': banner[1], 'board': banner[2]} if banner else None,
        'decision': parse_decision(decisions[0]) if decisions else None,
        'decision_line': decisions[0] if decisions else None,
        'decision_lines': len(decisions),
        'dtb': {'addr': int(dtb[1], 16), 'size': int(dtb[2])} if dtb else None,
        'dt': {'memory': [[s, e, n] for s, e, n in facts.memory],
               'memreserve': [list(r) for r in facts.memreserve],
               'reserved_memory': [{'start': s, 'end': e, 'node': n, 'no_map': nm}
                                   for s, e, n, nm in facts.reserved],
               'bootargs': facts.bootargs,
               'modules': [{'start': s, 'end': e, 'kind': k, 'node': n, 'bootargs': b}
                           for s, e, k, n, b in facts.modules]},
        'memory': {'ram': [list(r) for r in mem.ram],
                   'reserved': [{'start': s, 'end': e, 'type': t, 'name': n}
                                for s, e, t, n in mem.reserved],
                   'refused': [{'kind': k, 'start': s, 'end': e, 'reason': r}
                               for k, s, e, r in mem.refused],
                   'warnings': mem.other},
        'heap': mem.heap,
        'cpus': cpus,
        'cpus_online': smp.count[0] if smp.count else None,
        'cpus_listed': smp.count[1] if smp.count else None,
        'dom0': parse_dom0(log),
        'bench': parse_bench(log),
        'traps': {'dumps': [{'esr': e, 'elr': pc, 'far': f} for e, pc, f in smp.traps],
                  'cpus': smp.trap_cpus, 'parked': smp.parked,
                  'stack_overflows': [{'cpu': c, 'guard': g} for c, g in smp.overflow]},
        'selftest': {'heap': mem.selftest, 'smp': smp.selftest,
                     'problems': mem.selftest_problems + smp.selftest_problems},
        'complete': any(line.startswith('hypcore: boot complete') for line in lines),
        'early_failure': next((line.strip() for line in log.split('\n')
                               if re.match(r'^- .+ -$', line.strip())), None),
        'panic': next((line for line in lines if 'PANIC' in line), None),
    }


def run_record(spec, plan, result, serial_log=None, status=None, problems=()):
    """One run as JSON-ready data: what was asked (spec), how QEMU was started
    (plan), how the run ended (result) and log_summary of its serial log."""
    return {
        'schema': 1,
        'spec': {'arch': spec.arch, 'layout': spec.layout, 'loader': spec.loader,
                 'load': plan.load, 'smp': spec.smp, 'mem': spec.mem, 'gic': spec.gic,
                 'icount': spec.icount, 'hyp_args': spec.hyp_args,
                 'modules': [dataclasses.asdict(m) for m in spec.modules], 'dtb': spec.dtb},
        'qemu': {'argv': list(plan.argv), 'command': shlex.join(plan.argv),
                 'dtb_addr': plan.dtb_addr, 'notes': list(plan.notes)},
        'serial_log': serial_log,
        'result': {'ok': result.ok and not problems, 'outcome': result.outcome,
                   'reason': result.reason, 'seconds': round(result.seconds, 3),
                   'qemu_exited': result.exited, 'problems': list(problems),
                   'exit_status': status},
        'hypervisor': log_summary(result.log),
    }


# ---------------------------------------------------------------- sweep CSV rows

CSV_FIELDS = ('case', 'suite', 'arch', 'status', 'seconds', 'layout', 'load', 'loader', 'mem',
              'smp', 'gic', 'hyp_args', 'share', 'clash', 'temp', 'outcome', 'cpus_online',
              'heap_free', 'end_ticks', 'serial_log', 'detail')


def csv_row(name, suite, ok, detail, seconds, spec=None, plan=None, result=None, log=None):
    """One sweep CSV row (CSV_FIELDS): the case and how it ended, what it booted
    (its last QEMU run: spec, plan, result, serial log path) and what the
    hypervisor decided there, read from that run's log.  Addresses in hex."""
    row = dict.fromkeys(CSV_FIELDS, '')
    row.update(case=name, suite=suite or '', status='pass' if ok else 'fail',
               seconds=f'{seconds:.2f}', detail=detail.strip().split('\n')[0][:200])
    if spec is not None:
        load = plan.load if plan is not None else spec.load
        row.update(arch=spec.arch, layout=spec.layout, loader=spec.loader or '',
                   load=f'{load:#x}' if load is not None else '', mem=spec.mem, smp=spec.smp,
                   gic=spec.gic, hyp_args=spec.hyp_args)
    if result is not None:
        summary = log_summary(result.log)
        d = summary['decision']
        if d:
            row.update(share=d['share'], clash='yes' if d['clash'] else 'no',
                       temp=f'{d["temp"]:#x}' if d['temp'] is not None else 'none')
        row.update(outcome=result.outcome, serial_log=log or '',
                   cpus_online=summary['cpus_online'] if summary['cpus_online'] is not None
                   else '',
                   heap_free=summary['heap'][0]['free'] if summary['heap'] else '',
                   end_ticks=summary['bench'].get('end', ''))
    return row
