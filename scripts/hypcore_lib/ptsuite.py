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
"""
import re

from .common import MiB, PAGE
from . import model, qemu, results
from .suites import Case, run_qemu, tag, with_log

PT_OK_RE = re.compile(r'^selftest pt: cpu(\d+) ok leaves=(\d+) rx=(\d+) ro=(\d+) rw=(\d+) '
                      r'device=(\d+) runtime=(\d+) percpu=(\d+) metadata=(\d+)$')
SMP = 4
UART_PAGES = 1


def expected_runtime_leaves(img, dtb_addr, dtb_size):
    first, last = dtb_addr // PAGE, -(-(dtb_addr + dtb_size) // PAGE)
    return -(-img.image_size // PAGE) + UART_PAGES + (last - first)


def check_pt(result, plan, img, spec):
    lines = model.hyp_lines(result.log)
    problems = [line for line in lines if line.startswith('selftest pt:')
                and not PT_OK_RE.match(line)]
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
    want_runtime = expected_runtime_leaves(img, dtb_addr, int(blob[1]))
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


def cases():
    """Every layout of both targets, and a load at which each clash path runs."""
    out = [pt_case('arm64', layout) for layout in ('default', 'ram', 'ram-high', 'ram-odd',
                                                   'slot-zero')]
    out += [pt_case('arm64', 'ram', 0x40401000, 'generic'),          # share 4, temp alias
            pt_case('arm64', 'slot-zero', 0x40401000, 'generic')]
    out += [pt_case('arm32', layout) for layout in ('default', 'ram', 'ram-odd')]
    out.append(pt_case('arm32', 'ram', 0x40401000))                  # clash, temp alias
    return out
