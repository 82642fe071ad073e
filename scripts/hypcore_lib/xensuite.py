"""The test payload (tests/payload/) under Debian's Xen 4.17, and side by side
with hypcore.

A case boots Xen with the payload as dom0's kernel (xen.py) and checks every
"payload: " line against a model computed from the inputs: the payload's
bootargs, the number of CPUs, the probe address, dom0's RAM as Xen reports it
("BANK[n] 0x...-0x..."), and what Xen 4.17's vpsci.c returns (PSCI 1.1;
MIGRATE_INFO_TYPE 2 = "not present"; AFFINITY_INFO 1 = off; INVALID_PARAMETERS
-2 for an MPIDR with no vCPU; ALREADY_ON -4).  The same lines, apart from the
addresses, are what hypcore's dom0 must print (payload_lines, model_lines).
"""
import dataclasses
import os
import re

from .common import RAM_BASE, MiB
from . import qemu, suites, xen

CONTEXT_ID = 0x600dc0de            # tests/payload/payload.h CPU1_CONTEXT
ENTRY_LINE = {'arm64': 'payload: el=1', 'arm32': 'payload: mode=svc'}
PSCI_VERSION_1_1 = 0x10001
PSCI_SUCCESS, PSCI_INVALID_PARAMETERS, PSCI_ALREADY_ON = 0, -2, -4
PSCI_TOS_NOT_PRESENT = 2            # MIGRATE_INFO_TYPE: no Trusted OS to migrate
AFFINITY_OFF = 1
ESR_EC_SHIFT = 26
ESR_EC_DABT_SAME_EL = 0x25          # arm64: data abort taken without a change of EL
# What Xen 4.17's inject_abt64_exception (xen/arch/arm/traps.c) writes to
# ESR_EL1 for an A64 load at EL1 that nothing backs: EC 0x25, IL copied from
# the trap (1), ISS 0 (no fault status code, no WnR).
XEN_DABT_ESR = (ESR_EC_DABT_SAME_EL << ESR_EC_SHIFT) | (1 << 25)
DFSR_DEBUG_EVENT = 0x2              # arm32: what Xen 4.17 injects ("best we can do")
TIMEOUT = 90                        # seconds; a run takes about 3 s here
XEN_DOM0_MEM_MIB = 64               # xen.DEFAULT_ARGS' dom0_mem, given to hypcore too
PROBE_RE = re.compile(r'payload: probe (0x[0-9a-f]+) -> (value|abort esr=)(0x[0-9a-f]+)$')
DTB_RE = re.compile(r'payload: dtb=(0x[0-9a-f]+)$')

# Lines whose values are addresses: the same between hypervisors only in form.
ADDRESS_LINE_RE = re.compile(r'payload: (dtb=|memory )')


def payload_lines(log):
    """The payload's lines of a serial log, in order (xen.payload_lines)."""
    return xen.payload_lines(log)


def comparable(lines):
    """`lines` without the address lines: what hypcore's run and Xen's must
    share.  The probe line stays: both probe the same address (RAM_BASE), so
    its address and the ESR_EL1 the abort brings must be the same too."""
    return [line for line in lines if not ADDRESS_LINE_RE.match(line)]


@dataclasses.dataclass(frozen=True)
class Inputs:
    arch: str
    smp: int
    bootargs: str
    probe: int = None


def model_lines(inputs, banks):
    """Every line the payload must print, in order; the dtb= and probe lines are
    checked apart (check_dtb, check_probe) and stand here as their prefixes."""
    cpu1 = inputs.smp >= 2
    psci = [('version', PSCI_VERSION_1_1), ('features-cpu-on', PSCI_SUCCESS),
            ('migrate-info-type', PSCI_TOS_NOT_PRESENT), ('affinity-info-before', AFFINITY_OFF),
            ('cpu-on', PSCI_SUCCESS if cpu1 else PSCI_INVALID_PARAMETERS)]
    lines = [ENTRY_LINE[inputs.arch], 'payload: dtb=', 'payload: dtb-magic=ok']
    lines += [f'payload: memory {start:#x}-{end:#x}' for start, end in banks]
    lines.append(f'payload: bootargs "{inputs.bootargs}"')
    lines += [f'payload: psci {name} = {value}' for name, value in psci]
    if cpu1:
        lines.append(f'payload: cpu1 up context={CONTEXT_ID:#x}')
    lines += [f'payload: psci affinity-info-after = {AFFINITY_OFF}',
              f'payload: psci cpu-on-bad-mpidr = {PSCI_INVALID_PARAMETERS}',
              f'payload: psci cpu-on-cpu0 = {PSCI_ALREADY_ON}',
              'payload: probe ' if inputs.probe is not None else 'payload: probe none',
              'payload: done']
    return lines


def inside(addr, banks, size=4):
    return any(start <= addr and addr + size <= end for start, end in banks)


def check_probe(line, inputs, banks):
    """None if the probe line is what the model says: a read inside dom0's RAM
    returns, one outside aborts with a data abort syndrome."""
    m = PROBE_RE.match(line)
    if not m or int(m.group(1), 16) != inputs.probe:
        return f'probe line {line!r}, expected a probe of {inputs.probe:#x}'
    if inside(inputs.probe, banks):
        return None if m.group(2) == 'value' else f'{line!r}: a read of dom0\'s RAM aborted'
    if m.group(2) == 'value':
        return f'{line!r}: {inputs.probe:#x} is outside dom0\'s RAM {banks} but the read returned'
    syndrome = int(m.group(3), 16)
    if inputs.arch == 'arm64' and syndrome != XEN_DABT_ESR:
        return f'{line!r}: ESR_EL1 is not Xen 4.17\'s data abort syndrome {XEN_DABT_ESR:#x}'
    if inputs.arch == 'arm32' and syndrome != DFSR_DEBUG_EVENT:
        return f'{line!r}: Xen 4.17 injects DFSR {DFSR_DEBUG_EVENT:#x}'
    return None


def check(log, inputs):
    """None when the payload's lines match the model, else the first difference."""
    banks = xen.dom0_banks(log)
    if not banks:
        return 'no "(XEN) BANK[n]" line: where is dom0\'s RAM?'
    want = model_lines(inputs, banks)
    got = payload_lines(log)
    for index, expected in enumerate(want):
        if index >= len(got):
            return f'payload line {index} missing, expected {expected!r}; got {got}'
        line = got[index]
        if expected == 'payload: dtb=':
            m = DTB_RE.match(line)
            if not m or not inside(int(m.group(1), 16), banks):
                return f'{line!r}: the DTB is not inside dom0\'s RAM {banks}'
        elif expected == 'payload: probe ':
            problem = check_probe(line, inputs, banks)
            if problem:
                return problem
        elif line != expected:
            return f'payload line {index}: {line!r}, expected {expected!r}'
    if len(got) != len(want):
        return f'extra payload lines: {got[len(want):]}'
    return None


def xen_case(arch, smp, gic, bootargs, probe):
    name = suites.tag(arch, f'xen:payload/smp{smp}/gic{gic}')
    inputs = Inputs(arch, smp, bootargs, probe)

    def run():
        spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic, modules=[
            qemu.Module(path=xen.payload_path(arch), bootargs=bootargs)])
        result = xen.run(spec, TIMEOUT)
        with open(os.path.join(suites.workdir(name), 'serial.log'), 'w', encoding='utf-8') as f:
            f.write(result.log)
        if not result.ok:
            return f'{result.reason}\n' + '\n'.join(result.lines()[-15:])
        return check(result.log, inputs)
    return suites.Case(name, run)


def xen_cases(arch):
    """The payload under Xen: two CPUs (cpu1 comes up), and one (CPU_ON fails)."""
    probe = RAM_BASE                # Xen keeps it (xen.PAYLOAD_PROBE): not dom0's RAM
    args = f'console=hvc0 probe={probe:#x} earlycon=xenboot'
    gic = 3 if arch == 'arm64' else 2
    return ([xen_case(arch, 2, gic, args, probe),
             xen_case(arch, 1, gic, 'probe=' + hex(probe + 64 * MiB), probe + 64 * MiB)]
            + [side_by_side_case(arch, gic=gic)]
            + ([xen_edges_case(arch, 2), xen_edges_case(arch, 1)] if arch == 'arm64'
               else [xen_edges_case(arch, 2, gic=2)]))


def side_by_side_case(arch='arm64', smp=2, gic=3):
    """The same payload, bootargs and dom0_mem under Xen 4.17 and under hypcore:
    the payload must print the same lines in the same order, apart from the
    lines that name addresses (dtb=, memory), which legitimately differ
    (each hypervisor puts dom0's RAM elsewhere).  The probe, RAM_BASE, is RAM
    neither gives dom0, so it aborts under both, and its line (address and
    the abort syndrome injected) must be identical.  arm32: GICv2, as Xen's
    arm32 runs use."""
    name = suites.tag(arch, f'xen:side-by-side/smp{smp}/gic{gic}')
    bootargs = f'console=hvc0 probe={RAM_BASE:#x}'

    def run():
        module = [qemu.Module(path=xen.payload_path(arch), bootargs=bootargs)]
        under_xen = xen.run(qemu.RunSpec(arch=arch, smp=smp, gic=gic, modules=module,
                                         hyp_args=xen.DEFAULT_ARGS), TIMEOUT)
        with open(os.path.join(suites.workdir(name + '-xen'), 'serial.log'), 'w',
                  encoding='utf-8') as f:
            f.write(under_xen.log)
        if not under_xen.ok:
            return 'Xen: ' + under_xen.reason + '\n' + '\n'.join(under_xen.lines()[-15:])
        spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic, modules=module,
                            hyp_args=f'dom0_mem={XEN_DOM0_MEM_MIB}M')
        plan, ours, _ = suites.run_qemu(name, spec, TIMEOUT)
        if not ours.ok:
            return suites.with_log('hypcore: the run failed', ours, plan)
        theirs, mine = comparable(payload_lines(under_xen.log)), comparable(payload_lines(ours.log))
        if theirs != mine:
            diff = [f'  xen: {a!r}\n  hypcore: {b!r}' for a, b in zip(theirs, mine) if a != b]
            return ('the payload printed different lines under the two hypervisors:\n'
                    + '\n'.join(diff[:10]) + (f'\n  (xen {len(theirs)} lines, hypcore '
                                              f'{len(mine)})' if len(theirs) != len(mine) else ''))
        return None
    return suites.Case(name, run)


# ------------------------------------------------ the edge-case payload
# tests/payload/edges-<arch>.S: an unknown HVC immediate, console_io's error
# and corner cases, and (arm64) two CPU_ON / CPU_OFF rounds of cpu1.  The
# model is what Xen 4.17's code answers (traps.c do_trap_hypercall +
# inject_undef64_exception: EC 0, IL 1, ISS 0, ELR_EL1 past the HVC;
# inject_undef32_exception: Undefined mode, SPSR_und = the SVC-mode CPSR,
# LR_und = ELR_hyp (past the HVC) + 4; console.c do_console_io: -EFAULT for
# a buffer that is not guest RAM, 0 for count 0 and for a read with no
# input, -ENOSYS for another command; -ENOSYS for a hypercall with no
# handler; vpsci.c: CPU_ON of a vCPU that did CPU_OFF succeeds again,
# AFFINITY_INFO 0 while on, 1 once off); xen:edges checks Xen against it,
# dom0:edges hypcore.  The one difference: on arm32 hypcore's LR_und is the
# architecture's (the HVC + 4, TakeUndefInstrException), Xen's the HVC + 8
# (design.md, "dom0").
XEN_UNDEF_ESR = 1 << 25             # EC 0x00 (unknown), IL 1, ISS 0
XEN_EFAULT, XEN_ENOSYS = -14, -38
EDGES_CYCLES = 2                    # edges-arm64.S CYCLES
MODE_SVC, MODE_UND = 0x13, 0x1b     # CPSR.M (ARMv7 B1.3.1)
UNDEF_LR_OFFSET = {'hypcore': 4, 'xen': 8}


def edges_path(arch='arm64'):
    return os.path.join(os.path.dirname(xen.payload_path(arch)), 'edges.bin')


def edges_model_lines(smp, arch='arm64', hypervisor='hypcore'):
    if arch == 'arm32':
        lines = [f'payload: hvc-imm mode={MODE_UND:#x} spsr={MODE_SVC:#x} '
                 f'lr=hvc+{UNDEF_LR_OFFSET[hypervisor]}']
    else:
        lines = [f'payload: hvc-imm esr={XEN_UNDEF_ESR:#x} elr=hvc+4']
    lines += [f'payload: console-io write-unbacked = {XEN_EFAULT}',
              f'payload: console-io write-mmio = {XEN_EFAULT}',
              'payload: console-io write-count0 = 0',
              'payload: console-io read = 0',
              f'payload: console-io bad-cmd = {XEN_ENOSYS}',
              f'payload: hypercall 99 = {XEN_ENOSYS}',
              f'payload: hypercall 1 = {XEN_ENOSYS}']
    for n in range(1, EDGES_CYCLES + 1 if arch == 'arm64' else 1):
        if smp < 2:
            lines.append(f'payload: psci cycle{n} cpu-on = {PSCI_INVALID_PARAMETERS}')
            break
        lines += [f'payload: psci cycle{n} cpu-on = {PSCI_SUCCESS}',
                  f'payload: psci cycle{n} context={CONTEXT_ID + n:#x}',
                  f'payload: psci cycle{n} affinity-on = 0',
                  f'payload: psci cycle{n} affinity-off = {AFFINITY_OFF}']
    return lines + ['payload: done']


# arm64 prints the counter in decimal, arm32 (no 64-bit division) in hex.
ENTRY_CNTPCT_RE = re.compile(r'payload: entry cntpct=(\d+|0x[0-9a-f]+)$')


def edges_entry_ticks(log):
    """The physical counter when the edge payload started, or None."""
    m = next((ENTRY_CNTPCT_RE.match(line) for line in payload_lines(log)
              if ENTRY_CNTPCT_RE.match(line)), None)
    return int(m.group(1), 0) if m else None


def check_edges(log, smp, arch='arm64', hypervisor='hypcore'):
    """None when the edge payload's lines are the model's, else the first difference.
    The first line, the counter at entry, differs from run to run: its form only."""
    got = payload_lines(log)
    if not got or not ENTRY_CNTPCT_RE.match(got[0]):
        return f'the first payload line is not "payload: entry cntpct=<n>": {got[:1]}'
    want, got = edges_model_lines(smp, arch, hypervisor), got[1:]
    for index, expected in enumerate(want):
        if index >= len(got) or got[index] != expected:
            return (f'payload line {index}: expected {expected!r}, got '
                    f'{got[index] if index < len(got) else "nothing"!r}; all: {got}')
    if len(got) != len(want):
        return f'extra payload lines: {got[len(want):]}'
    return None


def xen_edges_case(arch='arm64', smp=2, gic=3):
    """The edge payload under Xen 4.17 against the model (is the model Xen's?)."""
    name = suites.tag(arch, f'xen:edges/smp{smp}/gic{gic}')

    def run():
        spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic, modules=[
            qemu.Module(path=edges_path(arch), bootargs='console=hvc0')])
        result = xen.run(spec, TIMEOUT)
        with open(os.path.join(suites.workdir(name), 'serial.log'), 'w', encoding='utf-8') as f:
            f.write(result.log)
        if not result.ok:
            return f'{result.reason}\n' + '\n'.join(result.lines()[-15:])
        return check_edges(result.log, smp, arch, 'xen')
    return suites.Case(name, run)
