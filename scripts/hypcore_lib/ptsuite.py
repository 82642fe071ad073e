"""selftest=pt in QEMU ("pt:*"): every CPU audits its own page tables.

Each case boots 4 CPUs with selftest=pt at one layout (and the clash loads, where
the temporary alias and the identity mapping must be gone) and checks that

  - every CPU printed exactly one "selftest pt: cpu<n> ok ..." line and no problem
    line (no leaf writable and executable, every leaf inside the runtime region, the
    CPU's own per-CPU slot or the page metadata: no identity or alias mapping left);
  - the leaves in the runtime region are what the layout puts there: the image's
    pages (the Image header's image_size), the UART's fixmap page and the pages the
    DTB covers in the FDT area;
  - the page metadata is mapped with the 2 MiB blocks its size needs (12 bytes per
    RAM page, rounded up to 2 MiB);
  - the secondaries, which run on identical layouts, report identical counts.

With the test payload as dom0 ("pt:stage2/*"), the GIC pages hypcore maps to
wake idle CPUs count in the runtime region too (GICv2: GICD and GICC; GICv3:
GICD and two pages per redistributor), and dom0's stage-2 tables are audited
after they are built: "selftest pt: stage-2 ok" with RAM = dom0_mem (the sum
of hypcore's "dom0: ram" lines) and one unmapped range per "dom0: kept by
hypcore" line.  "pt:stage2-leak/*" (selftest=pt-leak) maps the stage-2 root
page into dom0's tables on purpose: the audit must name that page as
hypcore's, the run must fail (outcome "selftest") and dom0 must not start.
"""
import re

from .common import MiB, PAGE
from . import model, qemu, results
from .suites import Case, run_qemu, tag, with_log

S2_OK_RE = re.compile(r'^selftest pt: stage-2 ok leaves=(\d+) ram=(0x[0-9a-f]+) mmio=(0x[0-9a-f]+) '
                      r'kept-unmapped=(\d+)$')
S2_PROBLEM_RE = re.compile(r'^selftest pt: stage-2 ipa (0x[0-9a-f]+)-(0x[0-9a-f]+) -> pa '
                           r'(0x[0-9a-f]+) \(descriptor 0x[0-9a-f]+\): (.*)$')

PT_OK_RE = re.compile(r'^selftest pt: cpu(\d+) ok leaves=(\d+) rx=(\d+) ro=(\d+) rw=(\d+) '
                      r'device=(\d+) runtime=(\d+) percpu=(\d+) metadata=(\d+)$')
SMP = 4
UART_PAGES = 1


def expected_runtime_leaves(img, dtb_addr, dtb_size, gic_pages=0):
    first, last = dtb_addr // PAGE, -(-(dtb_addr + dtb_size) // PAGE)
    return -(-img.image_size // PAGE) + UART_PAGES + (last - first) + gic_pages


def gic_pages(spec):
    """Fixmap pages common/gic.c keeps mapped when dom0 is to come (none without it):
    GICD, and GICC on a GICv2."""
    if not spec.modules:
        return 0
    return 2 if spec.gic == 2 else 1    # GICv3: each CPU maps its redistributor in its own slot


def check_pt(result, plan, img, spec):
    lines = model.hyp_lines(result.log)
    problems = [line for line in lines if line.startswith('selftest pt:')
                and not PT_OK_RE.match(line) and not line.startswith('selftest pt: stage-2')]
    ok = {}
    for line in lines:
        m = PT_OK_RE.match(line)
        if m:
            if int(m[1]) in ok:
                problems.append(f'cpu{m[1]} reported twice')
            ok[int(m[1])] = [int(v) for v in m.groups()[1:]]
    if sorted(ok) != list(range(spec.smp)):
        problems.append(f'"selftest pt: cpu<n> ok" from cpus {sorted(ok)}, expected 0..{spec.smp - 1}')
    dtb_addr = results.parse_dtb_addr(result.log)
    blob = re.search(r'^\(HYP\) dt: blob at 0x[0-9a-f]+ size (\d+)', result.log, re.M)
    heap = model.parse_memory(result.log).heap
    if dtb_addr is None or not blob or not heap:
        return problems + ['no "dt: blob" or heap: line to model the counts from']
    want_runtime = expected_runtime_leaves(img, dtb_addr, int(blob[1]), gic_pages(spec))
    meta = -(-heap[0]['total'] * model.PAGE_INFO_BYTES // (2 * MiB))
    for cpu, counts in sorted(ok.items()):
        if counts[5] != want_runtime:
            problems.append(f'cpu{cpu}: runtime={counts[5]} leaves, the layout has {want_runtime} '
                            f'(image {img.image_size:#x}, UART, DTB {int(blob[1])} bytes at '
                            f'{dtb_addr:#x})')
        if counts[7] != meta:
            problems.append(f'cpu{cpu}: metadata={counts[7]} blocks, {meta} needed for '
                            f'{heap[0]["total"]} pages')
    secondaries = {tuple(v) for cpu, v in ok.items() if cpu}
    if len(secondaries) > 1:
        problems.append(f'the secondaries report different counts: {sorted(secondaries)}')
    return problems


def pt_case(arch, layout, load=None, loader=None):
    spec = qemu.RunSpec(arch=arch, layout=layout, load=load, smp=SMP,
                        gic=3 if arch == 'arm64' else 2, hyp_args='selftest=pt',
                        loader=loader or ('kernel' if arch == 'arm64' else 'generic'))
    name = tag(arch, f'pt:{layout}' + (f'@{load:#x}/{spec.loader}' if load else '')
               + f'/smp{SMP}')

    def run():
        plan, result, img = run_qemu(name, spec)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        problems = check_pt(result, plan, img, spec)
        return with_log('\n'.join(problems), result, plan) if problems else None
    return Case(name, run)


def check_stage2(result, dom0_mem):
    lines = model.hyp_lines(result.log)
    ok = [m for line in lines if (m := S2_OK_RE.match(line))]
    bad = [line for line in lines if line.startswith('selftest pt: stage-2') and not S2_OK_RE.match(line)]
    if bad or len(ok) != 1:
        return bad or [f'{len(ok)} "selftest pt: stage-2 ok" lines, expected one']
    dom0 = results.parse_dom0(result.log)
    ram = sum(end - start for start, end in dom0['ram'])
    kept = len(dom0['kept'])
    leaves, s2_ram, mmio, unmapped = (int(v, 0) for v in ok[0].groups())
    problems = []
    if ram != dom0_mem or s2_ram != ram:
        problems.append(f'stage 2 maps {s2_ram:#x} bytes of RAM; dom0 has {ram:#x} '
                        f'("dom0: ram" lines), dom0_mem={dom0_mem:#x}')
    if unmapped != kept:
        problems.append(f'kept-unmapped={unmapped}, but hypcore printed {kept} "kept by '
                        'hypcore" lines')
    if not mmio or mmio % PAGE or leaves < 2:
        problems.append(f'mmio={mmio:#x} leaves={leaves}: no device passed through?')
    if not any(line.startswith('dom0: entering ') for line in lines):
        problems.append('dom0 was not entered after a clean audit')
    return problems


def stage2_case(arch, gic, leak=False):
    from .dom0suite import payload_path       # dom0suite imports the suites this one does
    smp = 2 if leak else SMP
    dom0_mem = 64 * MiB
    spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic,
                        hyp_args=f'selftest={"pt-leak" if leak else "pt"} dom0_mem=64M',
                        modules=[qemu.Module(payload_path(arch), bootargs='console=hvc0')])
    name = tag(arch, f'pt:stage2{"-leak" if leak else ""}/smp{smp}/gic{gic}')

    def run():
        plan, result, img = run_qemu(name, spec)
        if leak:
            return check_leak(result, plan)
        if not result.ok:
            return with_log('did not boot to the end', result, plan)
        problems = check_pt(result, plan, img, spec) + check_stage2(result, dom0_mem)
        return with_log('\n'.join(problems), result, plan) if problems else None
    return Case(name, run)


def check_leak(result, plan):
    lines = model.hyp_lines(result.log)
    root = (results.parse_dom0(result.log).get('p2m') or {}).get('root')
    found = [m for m in map(S2_PROBLEM_RE.match, lines) if m]
    if result.ok or result.outcome != 'selftest':
        return with_log(f'outcome {result.outcome!r}, expected "selftest" (a failed audit)',
                        result, plan)
    if root is None or len(found) != 1:
        return with_log(f'expected one stage-2 problem line and the p2m root line, got '
                        f'{[m[0] for m in found]}', result, plan)
    ipa, end, pa, what = found[0].groups()
    if (int(ipa, 16), int(end, 16), int(pa, 16)) != (root, root + PAGE, root) or \
            "host RAM that is not dom0's: hypcore's" not in what:
        return with_log(f'the problem line names {ipa}-{end} -> {pa} ({what}); the leaked page '
                        f'is the stage-2 root {root:#x}', result, plan)
    if any(line.startswith('dom0: entering ') for line in lines) or \
            'dom0: its stage-2 tables failed the audit: not entering dom0' not in lines:
        return with_log('dom0 was entered (or not refused with its line) after a failed audit',
                        result, plan)
    return None


def cases():
    """Every layout of both targets, and a load at which each clash path runs."""
    out = [pt_case('arm64', layout) for layout in ('default', 'ram', 'ram-high', 'ram-odd',
                                                   'slot-zero')]
    out += [pt_case('arm64', 'ram', 0x40401000, 'generic'),          # share 4, temp alias
            pt_case('arm64', 'slot-zero', 0x40401000, 'generic')]
    out += [pt_case('arm32', layout) for layout in ('default', 'ram', 'ram-odd')]
    out.append(pt_case('arm32', 'ram', 0x40401000))                  # clash, temp alias
    out += [stage2_case('arm64', 3), stage2_case('arm64', 2), stage2_case('arm32', 2),
            stage2_case('arm64', 3, leak=True), stage2_case('arm32', 2, leak=True)]
    return out
