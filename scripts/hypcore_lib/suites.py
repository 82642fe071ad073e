"""The test cases of ./hypcore test, and the sweep and bench commands.

Every QEMU case checks what hypcore printed against a model computed here from
the inputs (model.py), never against an earlier run's output:

  host      the host unit tests (meson test -C build/host), one case each
  model     known answers for the models themselves (tests/qemu/test_model.py)
  decision  the decision line for load addresses chosen from the model so that
            every reachable (layout, share, clash) is covered, plus RAM base,
            load == runtime address, 2 MiB / 1 GiB straddles and the last fit
  loader    kernel, elf, generic (plain and with the stub), uboot
  bad       entered at EL1, no DTB, corrupt DTBs, a DTB pointer where no memory
            answers, a DTB running past RAM: one line each and no end marker
  dt        the DT facts against the DTB read with the dtc tools
  fault     selftest=fault: the data-abort dump
  bench     boot cost (and SMP bring-up) under -icount is deterministic
  mem       the memory map, heap and selftest=heap (memsuite.py, issue 3)
  smp       secondary CPU bring-up and its self-tests (smpsuite.py, issue 4)
  debug     trap dumps that name functions, the call trace, gdb (debugsuite.py)
  cmdline   the command line's options and the console UART (cmdlinesuite.py, issue 8)
  fuzz      the libFuzzer target for a bounded number of inputs (fuzz.py)

pytest runs them: tests/qemu/test_*.py parametrise a test over each family
(scripts/hypcore_lib/pytest_run.py starts it for ./hypcore test and sweep).
"""
import dataclasses
import os
import re
import shutil
import subprocess
import time
import traceback

from .common import (BUILD, GiB, MiB, PAGE, RAM_BASE, END_MARKER, Failure, align_down)
from . import image as images, model, qemu, results

WORK = os.path.join(BUILD, 'qemu-work')
BOOT_TIMEOUT = 20
JOBS = 2
MEM_CHOICES = (1 * GiB, 2 * GiB)

# hypcore's one-line refusals ("- ... -", before or instead of C).  The DTB
# wording is the C code's (common/setup.c); matched loosely.
EL2_LINE = '- hypcore must be entered at EL2 -'
# What each target prints when QEMU starts it outside the hypervisor mode.
ENTRY_MODE_LINE = {'arm64': EL2_LINE, 'arm32': '- hypcore must be entered in HYP mode -'}
DTB_PROBLEM_RE = r'\b(invalid|bad|corrupt|broken|truncated|no|not|too)\b'


@dataclasses.dataclass
class Case:
    """One test case: `run()` returns None when it passes, else the failure text.
    spec: the RunSpec of a case that boots once (sweep's CSV rows and the plot
    read it); suite: the sweep matrix it belongs to."""
    name: str
    run: object
    spec: object = None
    suite: str = None


@dataclasses.dataclass
class Outcome:
    name: str
    ok: bool
    detail: str = ''
    row: dict = None


# ---------------------------------------------------------------- QEMU cases

def tag(arch, name):
    """A case name on `arch`: arm64's as they are, the others prefixed ("arm32:...")
    so that their names and work directories never meet arm64's."""
    return name if arch == 'arm64' or name.startswith(arch + ':') else f'{arch}:{name}'


def workdir(name):
    path = os.path.join(WORK, re.sub(r'[^A-Za-z0-9_.@-]+', '_', name))
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


# The last run_qemu of the case running in this process: [spec, plan, result, log path].
_last_run = []


def run_qemu(name, spec, timeout=BOOT_TIMEOUT):
    """Plan and boot one QEMU run for a case; returns (plan, result, image)."""
    img = images.load(spec.arch, spec.layout)
    directory = workdir(name)
    plan = qemu.plan(spec, img, directory)
    result = qemu.boot(plan, timeout)
    # Kept beside the run's files, for a look after a failure or a bench.
    path = os.path.join(directory, 'serial.log')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(' '.join(plan.argv) + '\n' + result.log)
    _last_run[:] = [spec, plan, result, path]
    return plan, result, img


def with_log(reason, result, plan):
    return (f'{reason}\n  command: {" ".join(plan.argv)}\n'
            f'  outcome: {result.outcome} ({result.reason}, {result.seconds:.1f} s)\n'
            + ''.join(f'    | {line}\n' for line in result.lines()))


def boot_case(name, spec, checks=()):
    """A case that must boot to the end marker, then pass every check(result, plan, img)."""
    name = tag(spec.arch, name)

    def run():
        plan, result, img = run_qemu(name, spec)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        for check in checks:
            problem = check(result, plan, img)
            if problem:
                return with_log(problem, result, plan)
        return None
    return Case(name, run, spec)


def check_model_decision(result, plan, img):
    """The decision line equals the model's, and the DTB is where QEMU was modelled to put it."""
    expected = model.decide(img.arch, img.runtime_base, plan.load, img.idmap_offset)
    return model.check_decision(result.log, expected) or check_dtb_addr(result, plan, img)


def check_dtb_addr(result, plan, img):
    """hypcore read the DTB at the address the runner's placement model gives.

    Skipped only where the runner cannot know it (U-Boot moves its DTB).
    """
    if plan.dtb_addr is None:
        return None
    got = results.parse_dtb_addr(result.log)
    if got != plan.dtb_addr:
        return f'hypcore read its DTB at {got and hex(got)}, expected {plan.dtb_addr:#x}'
    return None


def is_dtb_refusal(line):
    """hypcore's one-line refusal of a missing or broken DTB."""
    return bool(qemu.EARLY_FAIL_RE.match(line) and re.search(r'\bDTB\b', line)
                and re.search(DTB_PROBLEM_RE, line))


def is_el2_refusal(line, arch='arm64'):
    return line.strip() == ENTRY_MODE_LINE[arch]


def refusal_case(name, spec, is_refusal, what):
    """A case where hypcore must print one refusal line, park, and never finish booting."""
    name = tag(spec.arch, name)

    def run():
        plan, result, _ = run_qemu(name, spec)
        lines = [line for line in result.lines() if line.strip()]
        if any(line.strip().startswith(END_MARKER) for line in lines):
            return with_log('reached the end marker', result, plan)
        hits = [i for i, line in enumerate(lines) if is_refusal(line)]
        if len(hits) != 1:
            return with_log(f'expected one {what} line, found {len(hits)}', result, plan)
        if hits[0] != len(lines) - 1:
            return with_log(f'hypcore went on after the {what} line instead of parking',
                            result, plan)
        if result.outcome != 'early-failure' or result.exited:
            return with_log(f'expected hypcore to park with QEMU still running, got '
                            f'{result.outcome}{" and QEMU exited" if result.exited else ""}',
                            result, plan)
        return None
    return Case(name, run)


# ---------------------------------------------------------------- decision

def preferred_loader(load, img, spec):
    """kernel (x0 = DTB from QEMU) where QEMU's -kernel can do it, else generic."""
    return 'kernel' if qemu.check_load('kernel', load, img, spec) is None else 'generic'


def fits(load, img, mem):
    return qemu.check_load('generic', load, img, qemu.RunSpec(mem=mem)) is None


def special_loads(img, mem):
    """The addresses the issue names, for one RAM size (label -> load)."""
    end = RAM_BASE + mem
    out = {'ram-base': RAM_BASE,
           'runtime': img.runtime_base,
           'straddle-2m': RAM_BASE + 4 * MiB - PAGE,
           'last-fit': align_down(end - img.footprint, PAGE)}
    if mem > GiB:
        out['straddle-1g'] = RAM_BASE + GiB - PAGE
    return {k: v for k, v in out.items() if fits(v, img, mem)}


def candidate_loads(img, mem):
    """Load addresses that reach every decision the model can make in this RAM.

    The model's share only changes where the identity page crosses a 2 MiB
    block boundary or an edge of the runtime region, and clash only at
    load == runtime base; so every 2 MiB-aligned load, every page whose
    identity page is within 2 MiB of a region edge, and the special
    addresses together reach every (share, clash) this RAM size allows.
    """
    end = RAM_BASE + mem
    loads = set(range(RAM_BASE, end, 2 * MiB)) | set(special_loads(img, mem).values())
    region_start = img.runtime_base
    region_end = region_start + model.RUNTIME_REGION_SIZE
    for edge in (region_start, region_end):
        for idmap in range(edge - 2 * MiB, edge + 2 * MiB, PAGE):
            loads.add(idmap - img.idmap_offset)
    return sorted(load for load in loads if fits(load, img, mem))


def reachable(img, mem):
    """{(share, clash): [loads]} over the candidate loads."""
    out = {}
    for load in candidate_loads(img, mem):
        d = model.decide(img.arch, img.runtime_base, load, img.idmap_offset)
        out.setdefault((d.share, d.clash), []).append(load)
    return out


def sweep_mem(img):
    """The smallest RAM size in which this layout reaches all it can reach in the largest."""
    best = set(reachable(img, MEM_CHOICES[-1]))
    for mem in MEM_CHOICES:
        if set(reachable(img, mem)) == best:
            return mem
    return MEM_CHOICES[-1]


def decision_plan(arch, specials=True):
    """[(layout, mem, label, load)] covering every reachable (share, clash) per layout.

    Each layout runs in the smallest RAM size where it reaches everything it
    can (sweep_mem); the special addresses come first, then one load for
    each (share, clash) they leave uncovered.
    """
    picks, problems, combos_all = [], [], set()
    for name in images.layouts(arch):
        img = images.load(arch, name)
        if img.start != img.runtime_base:
            problems.append(f'{name}: _start {img.start:#x} != runtime_base '
                            f'{img.runtime_base:#x}')
        mem = sweep_mem(img)
        chosen = {}
        for label, load in (special_loads(img, mem).items() if specials else ()):
            chosen.setdefault(load, label)
        covered = {_share_clash(img, load) for load in chosen}
        reach = reachable(img, mem)
        for combo, loads in sorted(reach.items()):
            if combo not in covered:
                chosen.setdefault(loads[len(loads) // 2], combo_label(combo))
                covered.add(combo)
        if covered != set(reach):
            problems.append(f'{name}: cases cover {sorted(covered)}, reachable {sorted(reach)}')
        combos_all |= covered
        picks += [(name, mem, label, load) for load, label in sorted(chosen.items())]
    top = model.levels(arch)
    wanted = {(s, False) for s in range(top + 1)} | {(top, True)}
    if not wanted <= combos_all:
        problems.append(f'the layouts do not produce every share 0..{top} and both clash '
                        f'values: missing {sorted(wanted - combos_all)}')
    return picks, problems


def _share_clash(img, load):
    d = model.decide(img.arch, img.runtime_base, load, img.idmap_offset)
    return d.share, d.clash


def combo_label(combo):
    return f'share{combo[0]}' + ('-clash' if combo[1] else '')


def decision_cases(arch, specials=True):
    picks, problems = decision_plan(arch, specials)
    cases = [Case(tag(arch, 'decision:coverage'), lambda: '\n'.join(problems) or None)]
    for layout, mem, label, load in picks:
        img = images.load(arch, layout)
        spec = qemu.RunSpec(arch=arch, layout=layout, load=load, mem=mem)
        spec.loader = preferred_loader(load, img, spec)
        share, clash = _share_clash(img, load)
        combo = combo_label((share, clash))
        if label != combo:
            label += f':{combo}'
        name = (f'decision:{layout}:{label}@{load:#x}'
                f'{"" if mem == GiB else f"/{mem // GiB}G"}/{spec.loader}')
        cases.append(boot_case(name, spec, [check_model_decision]))
    return cases


# ---------------------------------------------------------------- loaders

def check_bootargs(expected):
    def check(result, plan, img):
        got = results.parse_facts(result.log).bootargs
        return None if got == expected else \
            f'dt: bootargs is {got!r}, expected {expected!r}'
    return check


def loader_cases(arch):
    args = 'loglvl=all hypcore.test="loader"'
    cases = []
    for loader in qemu.LOADERS:
        spec = qemu.RunSpec(arch=arch, loader=loader)
        cases.append(boot_case(f'loader:{loader}', spec, [check_model_decision]))
    cases.append(boot_case('loader:generic-stub@0x48200000+bootargs', qemu.RunSpec(
        arch=arch, loader='generic', load=0x48200000, hyp_args=args),
        [check_model_decision, check_bootargs(args)]))
    cases.append(boot_case('loader:uboot@ram-base+bootargs', qemu.RunSpec(
        arch=arch, loader='uboot', load=RAM_BASE, hyp_args=args),
        [check_model_decision, check_bootargs(args)]))
    cases.append(boot_case('loader:elf+bootargs', qemu.RunSpec(
        arch=arch, loader='elf', load=0x48000000, hyp_args=args),
        [check_model_decision, check_bootargs(args)]))
    return cases


# ---------------------------------------------------------------- DT facts

def make_modules(directory):
    """Two module files with odd sizes (contents do not matter to hypcore yet)."""
    paths = []
    for name, size in (('dom0-kernel', 0x4023), ('dom0-ramdisk', 0x2023)):
        path = os.path.join(directory, name)
        with open(path, 'wb') as f:
            f.write(bytes((i * 7 + size) & 0xff for i in range(size)))
        paths.append(path)
    return paths


def make_custom_dtb(dest):
    """QEMU's DTB plus /memreserve/ entries and a /reserved-memory node."""
    base = qemu.dump_dtb(qemu._machine_argv(qemu.RunSpec()), dest + '.base')
    dts = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', base], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    extra = '''
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		secure@7e000000 { reg = <0x0 0x7e000000 0x0 0x200000>; no-map; };
		shm@7f000000 { reg = <0x0 0x7f000000 0x0 0x1000 0x0 0x7f100000 0x0 0x3000>; };
	};
'''
    dts = dts.replace('/dts-v1/;', '/dts-v1/;\n/memreserve/ 0x7c000000 0x10000;\n'
                      '/memreserve/ 0x7d001000 0x3000;', 1)
    dts = dts[:dts.rindex('};')] + extra + '};\n'
    with open(dest + '.dts', 'w', encoding='utf-8') as f:
        f.write(dts)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dest, dest + '.dts'],
                   check=True)
    return dest


def facts_case(name, make_spec):
    """Boot, then compare the dt: lines with the DTB hypcore was given."""
    def run():
        directory = workdir(name + '-input')
        spec = make_spec(directory)
        plan, result, _ = run_qemu(name, spec)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        problem = check_dtb_addr(result, plan, None)
        if problem:
            return with_log(problem, result, plan)
        dtb = plan.dtb_file or qemu.dump_dtb(plan.argv, os.path.join(directory, 'qemu.dtb'))
        problem = model.compare_facts(results.parse_facts(result.log), model.dtb_facts(dtb))
        return with_log(problem, result, plan) if problem else None
    return Case(name, run)


def dt_cases(arch):
    def modules(directory, bootargs='console=hvc0 root=/dev/ram0, quiet'):
        kernel, ramdisk = make_modules(directory)
        return [qemu.Module(kernel, bootargs=bootargs), qemu.Module(ramdisk)]
    return [
        facts_case('dt:kernel+modules+bootargs', lambda d: qemu.RunSpec(
            arch=arch, modules=modules(d), hyp_args='dom0_mem=128M loglvl=all')),
        facts_case('dt:kernel+custom-dtb', lambda d: qemu.RunSpec(
            arch=arch, dtb=make_custom_dtb(os.path.join(d, 'custom.dtb')))),
        facts_case('dt:generic@ram-base+module+bootargs', lambda d: qemu.RunSpec(
            arch=arch, loader='generic', load=RAM_BASE, modules=modules(d)[:1],
            hyp_args='console=dtuart')),
        facts_case('dt:elf@0x48000000/2G/smp2', lambda d: qemu.RunSpec(
            arch=arch, loader='elf', load=0x48000000, mem=2 * GiB, smp=2,
            modules=modules(d, bootargs=None))),
    ]


# ---------------------------------------------------------------- fault

def fault_case(arch, layout, load=None):
    """selftest=fault: the data-abort dump against the model (model.check_fault_dump)."""
    name = tag(arch, f'fault:selftest:{layout}' + (f'@{load:#x}' if load is not None else ''))

    def run():
        spec = qemu.RunSpec(arch=arch, layout=layout, load=load, hyp_args='selftest=fault')
        if load is not None:
            spec.loader = preferred_loader(load, images.load(arch, layout), spec)
        plan, result, img = run_qemu(name, spec)
        if END_MARKER in result.log:
            return with_log('reached the end marker after the fault', result, plan)
        problem = model.check_fault_dump(
            result.log, img.runtime_base,
            lambda vaddr: images.instruction_at(arch, img.elf, vaddr), arch)
        return with_log(problem, result, plan) if problem else None
    return Case(name, run)


def fault_cases(arch):
    """At the default layout, and after a clash (run through the temporary alias)."""
    return [fault_case(arch, 'default'), fault_case(arch, 'ram', 0x40201000)]


# ---------------------------------------------------------------- bench

def bench_once(arch, layout, load=None):
    """One -icount boot; without `load`, at the ELF's load address on both targets
    (arm64: -kernel; arm32: the generic loader, as -kernel cannot go there)."""
    img = images.load(arch, layout)
    if load is None:
        load = qemu.default_load(img)
    spec = qemu.RunSpec(arch=arch, layout=layout, load=load, icount=True)
    spec.loader = preferred_loader(load, img, spec)
    plan, result, img = run_qemu(f'bench:{arch}:{layout}', spec, timeout=60)
    if not result.ok:
        raise Failure(with_log(f'bench {layout}: did not boot', result, plan))
    ticks = results.parse_bench(result.log)
    if not ticks:
        raise Failure(with_log(f'bench {layout}: no "bench:" lines', result, plan))
    decision = results.parse_decision_lines(result.log)
    return ticks, img, decision[0] if decision else '?'


def bench_case(arch):
    def run():
        first = bench_once(arch, 'default')[0]
        second = bench_once(arch, 'default')[0]
        return None if first == second else f'two -icount runs differ: {first} vs {second}'
    return Case(tag(arch, 'bench:deterministic'), run)


# ---------------------------------------------------------------- running

ARCHES = ('arm64', 'arm32')


def arm32_cases():
    """The bounded arm32 slice (about 30 boots): the arm64 suites' cases, run with
    arch='arm32' where QEMU's arm32 board allows them.

      decision  one load per reachable (layout, share, clash), no special addresses
      loader    kernel (0x40010000 only), elf, generic, uboot (bootz), uboot at the
                RAM base with bootargs
      bad       SVC entry (virtualization=off), no DTB, a corrupt DTB, a DTB pointer
                outside RAM, a DTB header whose totalsize runs past RAM
      smp       1, 4 and 8 CPUs (GICv2), 64 and 512 (GICv3), 16 listed past
                CONFIG_NR_CPUS, selftest=smp, stall:2, stack-overflow:1,
                stack-overflow-big:2,
                the identity page inside the per-CPU slot's 2 MiB (up, and refused)
      mem       modules around the image and the DTB with selftest=heap; -m 4G;
                the heap sweep's seed1#117 (4 GiB, 2 CPUs, modules at the top
                of RAM: the heap's small blocks lie above 4 GiB, where arm32
                must not put a secondary's tables)
      fault     selftest=fault after a clash (run through the temporary alias)
      bench     two -icount boots print the same ticks
      debug     the dump's names and call trace, gdb (debugsuite.py)
      cmdline   dtuart= by alias through a bus's ranges, stdout-path, unknown
                options and bad values, dom0_mem=, loglvl=warning
    """
    from . import cmdlinesuite, debugsuite, memsuite, smpsuite
    arch = 'arm32'
    where = smpsuite.Where
    clash = where('ram-clash', 'ram', 0x40401000)
    share2 = where('ram-odd-share2', 'ram-odd', 0x40e00000)
    default = where('default', 'default')
    smp = 'arm32:smp'
    loaders = [c for c in loader_cases(arch)
               if c.name.split(':', 1)[1] in ('loader:kernel', 'loader:elf', 'loader:generic',
                                              'loader:uboot', 'loader:uboot@ram-base+bootargs')]
    from .badsuite import bad_entry_cases
    bad = [c for c in bad_entry_cases(arch)
           if c.name.split(':', 1)[1] in ('bad:svc-entry', 'bad:no-dtb@0x40080000/elf',
                                          'bad:dtb-bad-magic', 'bad:dtb-pointer-outside-ram',
                                          'bad:dtb-past-ram-end')]
    return (decision_cases(arch, specials=False) + loaders + bad
            + [smpsuite.matrix_case(arch, default, 1, 2, smp),
               smpsuite.matrix_case(arch, clash, 4, 2, smp),
               smpsuite.matrix_case(arch, share2, 8, 2, smp),
               smpsuite.matrix_case(arch, clash, 64, 3, smp),
               smpsuite.matrix_case(arch, share2, 512, 3, smp),
               smpsuite.over_limit_case(arch, default, 4, model.NR_CPUS + 16, smp),
               smpsuite.selftest_smp_case(arch, clash, 8, 2, smp),
               smpsuite.stall_case(arch, default, 4, 2, 2, smp),
               smpsuite.stack_overflow_case(arch, clash, 4, 1, 2, smp, icount=True),
               smpsuite.stack_overflow_case(arch, clash, 4, 2, 2, smp, icount=True, big=True),
               # the identity page inside the per-CPU area (0x7ee00000 for the
               # ram layout): on a free page of the slot (all up), on its
               # exception-stack page (refused), on a free page of the stack
               # region of cpus 0-63 (all up) and on cpu1's stack (cpu1 refused)
               smpsuite.slot_case(arch, where('ram-in-slot', 'ram', 0x7ee01000), 4, 2, smp),
               smpsuite.slot_case(arch, where('ram-in-slot-used', 'ram', 0x7ee05000), 4, 2, smp),
               smpsuite.slot_case(arch, where('ram-in-stacks', 'ram', 0x7f0ef000), 4, 2, smp),
               smpsuite.slot_case(arch, where('ram-in-stack-used', 'ram', 0x7f008000), 4, 2, smp),
               memsuite.mem_case('arm32:mem:modules-touching+selftest/smp2',
                                 lambda d: memsuite.touching_spec(arch, d)),
               memsuite.size_case(arch, 4 * GiB, prefix='arm32:mem'),
               memsuite.sweep_case(arch, 1, 117),
               fault_case(arch, 'ram', 0x40201000),
               bench_case(arch)]
            + debugsuite.cases(arch)
            + cmdlinesuite.arm32_cases())


def run_case(case):
    """Run one case; the Outcome also carries its sweep CSV row (results.csv_row,
    from the case's last QEMU run)."""
    _last_run.clear()
    start = time.monotonic()
    try:
        problem = case.run()
    except Failure as e:
        problem = str(e)
    except Exception as e:     # a harness bug must show up as a failing case
        problem = f'harness error: {type(e).__name__}: {e}\n{traceback.format_exc()}'
    outcome = Outcome(case.name, problem is None, problem or '')
    seconds = time.monotonic() - start
    try:
        outcome.row = results.csv_row(case.name, case.suite, problem is None, problem or '',
                                      seconds, *(_last_run or (case.spec,)))
    except Exception as e:     # the row is a report: it must not change the case's outcome
        outcome.row = results.csv_row(case.name, case.suite, problem is None,
                                      f'(no row: {type(e).__name__}: {e}) {problem or ""}',
                                      seconds)
    return outcome


# ---------------------------------------------------------------- sweep

ODD_OFFSETS = (PAGE, 0x7000, 2 * MiB - PAGE)


def sweep_loads(img, mem, every=16):
    """Every 2 MiB in RAM, odd 4 KiB offsets in every `every`-th 2 MiB block,
    the special addresses, and the first and last load of each (share, clash)."""
    loads = set(special_loads(img, mem).values())
    for index, block in enumerate(range(RAM_BASE, RAM_BASE + mem, 2 * MiB)):
        loads.add(block)
        if index % every == 0:
            loads.update(block + off for off in ODD_OFFSETS)
    for combo_loads in reachable(img, mem).values():
        loads.update((combo_loads[0], combo_loads[-1]))
    return sorted(load for load in loads if fits(load, img, mem))


SWEEP_SUITES = ('load', 'smp', 'heap', 'linux')
SWEEP_SEED = 1
SWEEP_HEAP_COUNT = 200


def load_tally(arch, layouts=None, mem=None, loader=None):
    """{(layout, (share, clash)): loads} of the load-address matrix, for sweep's table."""
    tally = {}
    sweep_load_cases(arch, layouts, mem, loader, tally)
    return tally


def load_matrix(arch, layouts=None, mem=None, loader=None):
    """[(layout, mem, load, loader, (share, clash))] of the load-address matrix:
    every 2 MiB (and odd 4 KiB offsets) per layout, in the RAM size sweep_mem picks."""
    rows = []
    for layout in layouts or images.layouts(arch):
        img = images.load(arch, layout)
        size = mem or sweep_mem(img)
        for load in sweep_loads(img, size):
            spec = qemu.RunSpec(arch=arch, layout=layout, load=load, mem=size)
            rows.append((layout, size, load, loader or preferred_loader(load, img, spec),
                         _share_clash(img, load)))
    return rows


def sweep_load_cases(arch, layouts, mem, loader, tally):
    """The load-address matrix (load_matrix), one case per load."""
    cases = []
    for layout, size, load, chosen, combo in load_matrix(arch, layouts, mem, loader):
        spec = qemu.RunSpec(arch=arch, layout=layout, load=load, mem=size, loader=chosen)
        tally[(layout, combo)] = tally.get((layout, combo), 0) + 1
        cases.append(boot_case(f'sweep:{layout}:{combo_label(combo)}@{load:#x}'  # tagged
                               f'/{size // GiB}G/{chosen}', spec, [check_model_decision]))
    return cases
