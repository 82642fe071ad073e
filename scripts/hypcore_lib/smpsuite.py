"""Issue 4 in QEMU: secondary CPU bring-up, against model.check_smp.

Each case boots with -smp N and checks, per smp: line, the MPIDR against the
/cpus reg of the DTB hypcore was given (QEMU's, dumped with the same command
line, or the runner's own), the stack against the per-CPU layout (from the
image's __percpu_start, itself checked against the layout rule), distinct
page-aligned roots (a secondary's in RAM and outside every reserved range
hypcore printed), the count line and bench: smp; and on every boot the
decision line and the memory lines (memsuite).

  smp:<layout combo>/smpN/gicV   the clash layouts (default; ram clashing at
                                 0x40401000; ram-odd at 0x40e00000, share 3;
                                 ram-high clashing at 0x80600000 in 2 GiB; ram
                                 from the 2nd GiB, share 1; slot-zero, whose
                                 preferred per-CPU slot is the identity's
                                 level-0 entry) with 1..64 CPUs, and 512 (QEMU
                                 virt's most, with GICv3) once
  smp:bad-mpidr                  /cpus lists a CPU whose MPIDR does not exist:
                                 INVALID_PARAMETERS for it, the rest online
  smp:duplicate-mpidr            /cpus lists a CPU twice: ALREADY_ON for the second
  smp:over-limit                 more CPUs than CONFIG_NR_CPUS (16 more in ./hypcore test,
                                 2 more in the sweep)
  smp:selftest-*                 selftest=smp, stack-overflow:1,
                                 stack-overflow-big:2, stall:2
  sweep                          (./hypcore sweep --suite smp) the full matrix
"""
import dataclasses
import os
import re
import subprocess

from .common import GiB, Failure
from . import image as images, model, qemu, results
from .memsuite import check_boot_memory, icount_twice, input_dtb
from .suites import Case, run_qemu, with_log, workdir

# Bring-up of 64 CPUs under TCG takes a few seconds on a loaded 2-core host.
SMP_TIMEOUT = 90


@dataclasses.dataclass(frozen=True)
class Where:
    """A layout and load address (and the RAM it needs) for the SMP runs."""
    label: str
    layout: str
    load: int = None
    mem: int = GiB


# The clash layouts of the README: each a different (share, clash).
WHERES = (
    Where('default', 'default'),
    Where('ram-clash', 'ram', 0x40401000),
    Where('ram-odd-share3', 'ram-odd', 0x40e00000),
    Where('ram-high-clash', 'ram-high', 0x80600000, 2 * GiB),
    Where('ram-share1', 'ram', 0x80200000, 2 * GiB),
    Where('ram-at-runtime', 'ram', 0x40200000),
    # The preferred per-CPU slot (runtime level-0 entry XOR 2) is entry 0, the
    # identity page's: hypcore must move the slot (to entry XOR 3).
    Where('slot-zero', 'slot-zero'),
)
WHERE = {w.label: w for w in WHERES}
# arm32 (configs/layouts/arm32): no ram-high; ram-odd from 0x40e00000 is share 2
# there (three levels), and ram from the 2nd GiB is share 0.
ARCH_WHERES = {
    'arm64': WHERES,
    'arm32': (Where('default', 'default'),
              Where('ram-clash', 'ram', 0x40401000),
              Where('ram-odd-share2', 'ram-odd', 0x40e00000),
              Where('ram-share0', 'ram', 0x80200000, 2 * GiB),
              Where('ram-at-runtime', 'ram', 0x40200000)),
}


def spec_for(arch, where, smp, gic, hyp_args='', dtb=None, loader=None):
    spec = qemu.RunSpec(arch=arch, layout=where.layout, load=where.load, mem=where.mem,
                        smp=smp, gic=gic, hyp_args=hyp_args, dtb=dtb)
    img = images.load(arch, where.layout)
    load = qemu.default_load(img) if where.load is None else where.load
    spec.loader = loader or ('kernel' if qemu.check_load('kernel', load, img, spec) is None
                             else 'generic')
    return spec


def place(arch, where):
    """A place in case names: layout, the (share, clash) the decision model gives
    it, the load address and the RAM size when not the defaults."""
    img = images.load(arch, where.layout)
    load = qemu.default_load(img) if where.load is None else where.load
    d = model.decide(arch, img.runtime_base, load, img.idmap_offset)
    return (f'{where.layout}:share{d.share}' + ('-clash' if d.clash else '')
            + (f'@{where.load:#x}' if where.load is not None else '')
            + (f'/{where.mem // GiB}G' if where.mem != GiB else ''))


def percpu_base_of(img, load):
    """Where the per-CPU slot is for a boot at `load`: __percpu_start from the ELF,
    checked against the layout rule, moved as the model says when the identity
    page's level-0 entry is that one (model.percpu_base)."""
    base = images.read_symbols(img.arch, img.elf, ('__percpu_start',))['__percpu_start']
    want = model.percpu_base(img.runtime_base, img.arch)
    if base != want:
        raise Failure(f'{img.elf}: __percpu_start {base:#x}, the layout rule gives {want:#x}')
    return model.percpu_base(img.runtime_base, img.arch, load + img.idmap_offset)


def expected_mpidrs(dtb):
    """hypcore's CPU numbering for this DTB.  The boot CPU is QEMU's CPU 0, which
    QEMU's virt board describes as /cpus/cpu@0 (hw/arm/virt.c names the nodes
    by CPU index)."""
    cpus = model.dtb_cpus(dtb)
    boot = [mpidr for node, mpidr, _ in cpus if node == '/cpus/cpu@0']
    if not boot:
        raise Failure(f'{dtb}: no /cpus/cpu@0 node for the boot CPU')
    return model.expected_cpus(cpus, boot[0])


def smp_case(name, make_spec, failures=None, extra=None, timeout=SMP_TIMEOUT):
    """Boot; check the decision, memory and smp: lines against the models.

    failures(mpidrs, spec) -> {cpu: reason} the model expects; extra(result,
    base, mpidrs, failed) -> problem, for the self-tests."""
    def run():
        directory = workdir(name + '-input')
        spec = make_spec(directory)
        plan, result, img = run_qemu(name, spec, timeout)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        problem = check_boot_memory(result, plan, img, spec, directory)
        if problem:
            return with_log(problem, result, plan)
        base = percpu_base_of(img, plan.load)
        mpidrs = expected_mpidrs(input_dtb(plan, directory))
        failed = failures(mpidrs, spec) if failures else {}
        problem = model.check_smp(result.log, mpidrs, failed, base,
                                  results.parse_memory(result.log))
        if not problem and extra:
            problem = extra(result, base, mpidrs, failed)
        return with_log(problem, result, plan) if problem else None
    return Case(name, run)


# The per-CPU slot's pages (include/layout.h), for the arm32 rule below.
SLOT_EXC_STACK, SLOT_DATA, SLOT_FIXED_LAST = 6, 8, 14
SLOT_WINDOW, SLOT_WINDOWS = 16, 16


def slot_pages_in_use(cpu):
    """Pages of the per-CPU area (from its start) a CPU maps for itself
    (include/layout.h): the slot's fixed pages and window, and its own stack's
    stride (guard page, stack, gap) in its stack region."""
    pages = {SLOT_EXC_STACK} | set(range(SLOT_DATA, SLOT_FIXED_LAST + 1))
    pages |= set(range(SLOT_WINDOW, SLOT_WINDOW + SLOT_WINDOWS))
    guard = model.guard_page(0, cpu) >> 12
    return pages | set(range(guard, guard + model.PERCPU_STACK_STRIDE))


def idmap_in_slot_failures(arch, where):
    """failures() for an arm32 load whose identity page lies in the per-CPU
    area (the slot's 2 MiB and the stack regions): a secondary is refused
    ('idmap-in-percpu-slot') when that page is one it uses, else it comes up
    (the identity is a boot-only entry of its slot or stack-region table, or
    of a table of its own for another CPU's region)."""
    def failures(mpidrs, spec):
        img = images.load(arch, where.layout)
        idmap = where.load + img.idmap_offset
        base = percpu_base_of(img, where.load)
        if not base <= idmap < base + model.PERCPU_AREA:
            return {}
        page = (idmap - base) >> 12
        return {cpu: 'idmap-in-percpu-slot' for cpu in range(1, len(mpidrs))
                if page in slot_pages_in_use(cpu)}
    return failures


def slot_case(arch, where, smp, gic, prefix='smp'):
    return smp_case(f'{prefix}:{place(arch, where)}/smp{smp}/gic{gic}+idmap-in-slot',
                    lambda d: spec_for(arch, where, smp, gic, loader='generic'),
                    failures=idmap_in_slot_failures(arch, where))


def matrix_case(arch, where, smp, gic, prefix='smp'):
    return smp_case(f'{prefix}:{place(arch, where)}/smp{smp}/gic{gic}',
                    lambda d: spec_for(arch, where, smp, gic))


# ---------------------------------------------------------------- bad MPIDR

BOGUS_MPIDR = 0xff


def extra_cpu_dtb(spec, dest, cpus):
    """QEMU's DTB for this machine with more CPU nodes, last in /cpus: cpus is
    [(mpidr, node name)]; each reg = mpidr."""
    base = qemu.dump_dtb(qemu._machine_argv(spec), dest + '.qemu')
    dts = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', base], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    nodes = ''.join(f'\t\t{name} {{\n\t\t\treg = <{mpidr:#x}>;\n'
                    '\t\t\tenable-method = "psci";\n\t\t\tcompatible = "arm,cortex-a57";\n'
                    '\t\t\tdevice_type = "cpu";\n\t\t};\n' for mpidr, name in cpus)
    # After the last cpu@ node: inside /cpus, before its closing brace.
    dts, n = re.subn(r'(\n\tcpus \{\n.*?\n)(\t\};)', lambda m: m.group(1) + nodes + m.group(2),
                     dts, count=1, flags=re.S)
    if not n:
        raise Failure('no /cpus node in QEMU\'s DTB')
    with open(dest + '.dts', 'w', encoding='utf-8') as f:
        f.write(dts)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dest, dest + '.dts'],
                   check=True)
    return dest


def extra_cpu_case(arch, where, smp, gic, mpidr, reason, label, prefix='smp'):
    """/cpus lists one CPU more, last, with this MPIDR: PSCI must refuse it with
    `reason` and the others come up (passed unchanged by the generic loader)."""
    def make(directory):
        spec = spec_for(arch, where, smp, gic, loader='generic')
        spec.dtb = extra_cpu_dtb(spec, os.path.join(directory, f'{label}.dtb'),
                                 [(mpidr, f'cpu@{mpidr:x}' if mpidr == BOGUS_MPIDR else 'cpu@extra')])
        return spec

    def failures(mpidrs, spec):
        return {len(mpidrs) - 1: reason}
    return smp_case(f'{prefix}:{label}:{place(arch, where)}/smp{smp}/gic{gic}'
                    f'+cpu{mpidr:#x}', make, failures)


def bad_mpidr_case(arch, where, smp, gic=3, prefix='smp'):
    """An MPIDR no CPU has: INVALID_PARAMETERS."""
    return extra_cpu_case(arch, where, smp, gic, BOGUS_MPIDR, 'INVALID_PARAMETERS',
                          'bad-mpidr', prefix)


def duplicate_mpidr_case(arch, where, smp, mpidr, gic=3, prefix='smp'):
    """A second node for a CPU that is already on (cpu1's, or the boot CPU's):
    ALREADY_ON."""
    return extra_cpu_case(arch, where, smp, gic, mpidr, 'ALREADY_ON',
                          'duplicate-mpidr', prefix)


def over_limit_case(arch, where, smp, listed, prefix='smp'):
    """/cpus lists more CPUs than CONFIG_NR_CPUS: QEMU's `smp` CPUs, then
    `listed - smp` nodes whose MPIDRs (Aff1 >= 1) no CPU of the machine has
    (QEMU's board stops at CONFIG_NR_CPUS itself).  The first NR_CPUS are
    taken: the real ones come up, PSCI refuses the others; one warning names
    the first CPU left out, and the summary counts every one."""
    fake = [0x100 * (1 + i // 16) + i % 16 for i in range(listed - smp)]

    def make(directory):
        spec = spec_for(arch, where, smp, 3, loader='generic')
        spec.dtb = extra_cpu_dtb(spec, os.path.join(directory, 'over-limit.dtb'),
                                 [(m, f'cpu@{m:x}') for m in fake])
        return spec

    def failures(mpidrs, spec):
        return {cpu: 'INVALID_PARAMETERS' for cpu in range(smp, len(mpidrs))}

    def extra(result, base, mpidrs, failed):
        got = results.parse_smp(result.log)
        warned = [w for w in got.warnings if 'CONFIG_NR_CPUS' in w and 'warning' in w]
        first = f'/cpus/cpu@{fake[model.NR_CPUS - smp]:x}'
        if len(warned) != 1 or got.ignored != [(first, model.NR_CPUS)]:
            return (f'{warned}: expected one "more CPUs than CONFIG_NR_CPUS" warning naming '
                    f'{first}')
        if (got.left_out, got.limit) != (listed - model.NR_CPUS, model.NR_CPUS):
            return (f'the summary says {got.left_out} left out (CONFIG_NR_CPUS={got.limit}), '
                    f'expected {listed - model.NR_CPUS} ({model.NR_CPUS})')
        return None
    return smp_case(f'{prefix}:over-limit:{place(arch, where)}/smp{smp}/gic3+{listed}-listed',
                    make, failures, extra=extra)


# ---------------------------------------------------------------- self-tests

def selftest_smp_case(arch, where, smp, gic=3, prefix='smp'):
    def extra(result, base, mpidrs, failed):
        return model.check_selftest_smp(result.log, len(mpidrs) - 1 - len(failed), base)
    return smp_case(f'{prefix}:selftest-smp:{place(arch, where)}/smp{smp}/gic{gic}',
                    lambda d: spec_for(arch, where, smp, gic, 'selftest=smp'), extra=extra)


def stack_overflow_case(arch, where, smp, cpu=1, gic=3, prefix='smp', icount=False,
                        big=False):
    """The overflowing CPU checks in first, so every CPU counts as online.

    big: selftest=stack-overflow-big, frames that jump past the guard page.

    hypcore does not wait for the faulting CPU's dump before powering off
    (tests/qemu/README.md, "Known hypervisor problems"): under MTTCG the dump
    can be cut short, the more often the later the CPU is brought up.  With
    icount=True the vCPUs run in turn, deterministically, and the dump is
    always complete."""
    option = 'stack-overflow-big' if big else 'stack-overflow'

    def extra(result, base, mpidrs, failed):
        return model.check_stack_overflow(result.log, cpu, base, big)

    def make(directory):
        spec = spec_for(arch, where, smp, gic, f'selftest={option}:{cpu}')
        spec.icount = icount
        return spec
    return smp_case(f'{prefix}:selftest-{option}:{cpu}:{place(arch, where)}'
                    f'/smp{smp}/gic{gic}' + ('/icount' if icount else ''), make, extra=extra)


def stall_case(arch, where, smp, cpu=2, gic=3, prefix='smp'):
    return smp_case(f'{prefix}:selftest-stall:{cpu}:{place(arch, where)}/smp{smp}/gic{gic}',
                    lambda d: spec_for(arch, where, smp, gic, f'selftest=stall:{cpu}'),
                    failures=lambda mpidrs, spec: {cpu: 'timeout'} if cpu < len(mpidrs) else {})


# ---------------------------------------------------------------- sets

def cases(arch):
    """The bounded set ./hypcore test runs: every clash layout once, 1..64 CPUs,
    both GICs, 512 CPUs (QEMU's most), a bad and a duplicate MPIDR, the three
    self-tests, and 16 CPUs listed past CONFIG_NR_CPUS."""
    w = WHERE
    return [
        matrix_case(arch, w['default'], 1, 3),
        matrix_case(arch, w['default'], 2, 2),
        matrix_case(arch, w['ram-clash'], 4, 3),
        matrix_case(arch, w['ram-odd-share3'], 8, 2),
        matrix_case(arch, w['ram-high-clash'], 8, 3),
        matrix_case(arch, w['ram-share1'], 4, 2),
        matrix_case(arch, w['ram-clash'], 64, 3),
        matrix_case(arch, w['ram-odd-share3'], 512, 3),
        matrix_case(arch, w['slot-zero'], 4, 3),
        bad_mpidr_case(arch, w['default'], 4),
        duplicate_mpidr_case(arch, w['ram-odd-share3'], 4, 1, gic=2),
        selftest_smp_case(arch, w['ram-clash'], 8),
        stack_overflow_case(arch, w['default'], 4, icount=True),
        stack_overflow_case(arch, w['default'], 4, 2, icount=True, big=True),
        stall_case(arch, w['default'], 4),
        over_limit_case(arch, w['default'], 4, model.NR_CPUS + 16),
        bench_case(arch),
    ]


SWEEP_SMPS = ((1, (2, 3)), (2, (2, 3)), (3, (2, 3)), (4, (2, 3)), (8, (2, 3)),
              (16, (3,)), (32, (3,)), (64, (3,)), (512, (3,)))


def sweep_cases(arch, layouts=None):
    """./hypcore sweep --suite smp: every place x every CPU count and GIC, and the
    self-tests and the bad MPIDR at every place."""
    out = []
    if arch != 'arm64':
        return _sweep_cases_small(arch, layouts)
    for where in WHERES:
        if layouts and where.layout not in layouts:
            continue
        for smp, gics in SWEEP_SMPS:
            out += [matrix_case(arch, where, smp, gic, 'sweep:smp') for gic in gics]
        out += [selftest_smp_case(arch, where, 8, 2, 'sweep:smp'),
                selftest_smp_case(arch, where, 64, 3, 'sweep:smp'),
                stack_overflow_case(arch, where, 8, 1, prefix='sweep:smp'),
                stack_overflow_case(arch, where, 8, 7, prefix='sweep:smp'),
                stack_overflow_case(arch, where, 8, 7, prefix='sweep:smp', icount=True),
                stack_overflow_case(arch, where, 8, 3, prefix='sweep:smp', icount=True,
                                    big=True),
                stall_case(arch, where, 8, 2, prefix='sweep:smp'),
                stall_case(arch, where, 4, 3, 2, prefix='sweep:smp'),
                bad_mpidr_case(arch, where, 4, 2, 'sweep:smp'),
                bad_mpidr_case(arch, where, 32, 3, 'sweep:smp'),
                duplicate_mpidr_case(arch, where, 4, 1, 2, 'sweep:smp'),
                duplicate_mpidr_case(arch, where, 8, 0, 3, 'sweep:smp'),
                over_limit_case(arch, where, 4, model.NR_CPUS + 2, 'sweep:smp')]
    return out


def _sweep_cases_small(arch, layouts=None):
    """The smp sweep on arm32: its own places (ARCH_WHERES), every CPU count and
    GIC of arm64's, the self-tests, the bad and duplicate MPIDR and the CPUs
    past CONFIG_NR_CPUS."""
    prefix = f'{arch}:sweep:smp'
    out = []
    for where in ARCH_WHERES[arch]:
        if layouts and where.layout not in layouts:
            continue
        for smp, gics in SWEEP_SMPS:
            out += [matrix_case(arch, where, smp, gic, prefix) for gic in gics]
        out += [selftest_smp_case(arch, where, 8, 2, prefix),
                selftest_smp_case(arch, where, 64, 3, prefix),
                stack_overflow_case(arch, where, 8, 1, 2, prefix),
                stack_overflow_case(arch, where, 8, 7, 2, prefix, icount=True),
                stack_overflow_case(arch, where, 8, 3, 2, prefix, icount=True, big=True),
                stall_case(arch, where, 8, 2, 2, prefix),
                bad_mpidr_case(arch, where, 4, 2, prefix),
                duplicate_mpidr_case(arch, where, 4, 1, 2, prefix),
                over_limit_case(arch, where, 4, model.NR_CPUS + 2, prefix)]
    return out


# ---------------------------------------------------------------- bench

def bench_case(arch, cpus=8, gic=3, prefix='bench'):
    """./hypcore test: bring-up under -icount prints the same lines twice."""

    def run():
        result, same = icount_twice(f'{prefix}:smp-deterministic/smp{cpus}',
                                    qemu.RunSpec(arch=arch, smp=cpus, gic=gic), SMP_TIMEOUT)
        if not same:
            return 'two -icount runs printed different lines'
        got = results.parse_smp(result.log)
        return None if got.count == (cpus, cpus) and got.bench else \
            f'expected "{cpus} of {cpus} cpus online" and a bench: smp line, got {got.count}'
    return Case(f'{prefix}:smp-deterministic/smp{cpus}', run)
