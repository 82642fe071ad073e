"""Idle CPUs while dom0 runs: cases "dom0:idle/*" and "arm32:dom0:idle/*".

A CPU hypcore brought up waits for dom0's PSCI CPU_ON.  It must wait asleep
(WFI, woken by the GIC's wake SGI: common/gic.c), not spinning: QEMU's TCG
implements WFE as a yield, so a CPU "waiting" in WFE executes instructions,
and burns a host thread, for as long as it waits -- seven of them starved a
Linux smp8 boot on a 2-core machine past its 180 s limit.

Each case boots hypcore twice at -smp 4 with a QEMU TCG plugin that counts
each vCPU's instructions (tests/bench/vcpu-insns.c): once with no dom0 (the
secondaries come up and sleep in WFI for good: the baseline), once with the
test payload as dom0, which starts cpu1 and never cpu2 or cpu3.  The checks:

  * the "gic:" line names the GIC of QEMU's own DTB for the machine (its
    node path, version and, for GICv3, one redistributor per CPU);
  * the payload's cpu1 came up with its context id (the wake worked);
  * cpu2 and cpu3 executed at most IDLE_MARGIN instructions more than in the
    baseline (the GIC set-up of the idle loop), while cpu0 executed millions
    (dom0's build and the payload): a spinning CPU runs millions too.

The hostile cases edit the GIC node of that DTB (HOSTILE): "no-gic" renames
its compatible, "gicd-nowhere" moves GICD where nothing answers (a read
there aborts: hypcore reads it through probe_read32), "gicd-unaligned"
moves it off its 64 KiB alignment.  hypcore must say in its "gic:" line
what was wrong and that idle CPUs wait in WFE, cpu1 must still start (SEV
wakes it), and the idle CPUs' counts show the spinning the measure exists
to see.
"""
import os
import re
import subprocess

from . import qemu
from .common import BUILD, Failure
from .dom0suite import payload_lines, payload_path
from .suites import Case, run_qemu, tag, with_log, workdir

PLUGIN = os.path.join(BUILD, 'host', 'tests', 'bench', 'vcpu-insns.so')
SMP = 4
NEVER_STARTED = (2, 3)          # the payload starts cpu1 only
IDLE_MARGIN = 2000              # the idle loop's GIC set-up: ~220 instructions measured
BUSY_CPU0 = 1_000_000           # cpu0's work while the others wait: ~9M measured
SPIN_SEEN = 100_000             # a WFE-spinning CPU in that time: millions measured
GIC_COMPATIBLE = {3: 'arm,gic-v3', 2: 'arm,cortex-a15-gic'}
COUNT_RE = re.compile(r'vcpu(\d+) (\d+)$')
GIC_LINE_RE = re.compile(r'(?:\(HYP\) )?(gic: .*)$')


def read_counts(path):
    """{vcpu index: instructions} from the plugin's file (absent vCPUs ran nothing)."""
    if not os.path.exists(path):
        raise Failure(f'{path}: the vcpu-insns plugin wrote nothing')
    with open(path, encoding='utf-8') as f:
        return {int(m.group(1)): int(m.group(2)) for m in map(COUNT_RE.match, f) if m}


def qemu_dts(spec, dest):
    """QEMU's own DTB for the machine, as DTS text."""
    dtb = qemu.dump_dtb(qemu._machine_argv(spec), dest)
    return subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', dtb], check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def top_nodes(dts):
    """[(name, body text)] of the root's child nodes in DTS text from dtc."""
    nodes, name, body = [], None, []
    for line in dts.split('\n'):
        if name is None:
            m = re.match(r'\t([^\s{]+) \{$', line)
            if m:
                name, body = m.group(1), []
        elif line == '\t};':
            nodes.append((name, '\n'.join(body)))
            name = None
        else:
            body.append(line)
    return nodes


def gic_path(dts, gic):
    """The path of the GIC node of version @gic in QEMU's DTS (a root child)."""
    for name, body in top_nodes(dts):
        own = [l for l in body.split('\n') if l.startswith('\t\tcompatible = ')]
        if any(f'"{GIC_COMPATIBLE[gic]}"' in l for l in own):
            return '/' + name
    raise Failure(f'no {GIC_COMPATIBLE[gic]} node in QEMU\'s DTB')


def move_gicd(dts, gic, addr):
    """@dts with the GIC node's first reg entry (GICD) moved to @addr."""
    name = gic_path(dts, gic)[1:]
    start = dts.index(f'\n\t{name} {{\n')
    end = dts.index('\n\t};', start)
    node = re.sub(r'(\n\t\treg = <0x00 )0x[0-9a-f]+ ', rf'\g<1>{addr:#x} ', dts[start:end], count=1)
    if node == dts[start:end]:
        raise Failure(f'{name}: no reg line of the expected form in QEMU\'s DTS')
    return dts[:start] + node + dts[end:]


# Hostile GIC nodes: (how the DTS is edited, the reason hypcore must give).
# -m 1G: nothing answers at 0xc0000000; a GICv3 distributor is 64 KiB-aligned.
HOSTILE = {
    'no-gic': (lambda dts, gic: _rename_gics(dts), None),
    'gicd-nowhere': (lambda dts, gic: move_gicd(dts, gic, 0xc0000000),
                     'GICD at 0xc0000000 does not answer (reading it aborted)'),
    'gicd-unaligned': (lambda dts, gic: move_gicd(dts, gic, 0x8000800),
                       'GICD reg 0x8000800 is not 0x10000-aligned'),
}


def _rename_gics(dts):
    for compatible in GIC_COMPATIBLE.values():
        dts = dts.replace(f'"{compatible}"', '"hypcore-test,not-a-gic"')
    return dts


def hostile_dtb(spec, scratch, hostile):
    """QEMU's own DTB for spec's machine with the GIC node edited as
    HOSTILE[hostile] says, and the "gic:" line hypcore must print.  The
    runner adds the boot modules' nodes to it (qemu._add_module_nodes: a -dtb
    replaces the DTB QEMU's guest-loader describes them in)."""
    dts = qemu_dts(spec, os.path.join(scratch, 'qemu-machine.dtb'))
    edit, reason = HOSTILE[hostile]
    want = ('gic: no GICv2 or GICv3 node; idle CPUs wait in WFE' if reason is None else
            f'gic: {gic_path(dts, spec.gic)}: {reason}; idle CPUs wait in WFE')
    dts = edit(dts, spec.gic)
    with open(os.path.join(scratch, 'hostile.dts'), 'w', encoding='utf-8') as f:
        f.write(dts)
    out = os.path.join(scratch, 'hostile.dtb')
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', out,
                    os.path.join(scratch, 'hostile.dts')], check=True)
    return out, want


def gic_model(dts, gic, smp):
    """The "gic:" line hypcore must print for the GIC in QEMU's DTB."""
    found = gic_path(dts, gic) + (f', {smp} redistributors' if gic == 3 else '')
    return f'gic: v{gic} {found}; SGI 15 wakes idle CPUs from WFI'


def idle_case(arch, gic, hostile=None):
    name = tag(arch, f'dom0:idle/smp{SMP}/gic{gic}' + (f'/{hostile}' if hostile else ''))

    def spec_with(counts, modules):
        return qemu.RunSpec(arch=arch, smp=SMP, gic=gic, hyp_args='dom0_mem=64M',
                            modules=modules, qemu_args=['-plugin', f'{PLUGIN},out={counts}'])

    def run():
        if not os.path.exists(PLUGIN):
            raise Failure(f'{PLUGIN} is missing (built in build/host)')
        scratch = workdir(name + '/counts')
        base_counts = os.path.join(scratch, 'base.txt')
        dom0_counts = os.path.join(scratch, 'dom0.txt')
        base = spec_with(base_counts, [])
        dom0 = spec_with(dom0_counts, [qemu.Module(payload_path(arch), bootargs='console=hvc0')])
        if hostile:
            dom0.dtb, want_gic = hostile_dtb(dom0, scratch, hostile)
        else:
            want_gic = gic_model(qemu_dts(base, os.path.join(scratch, 'qemu.dtb')), gic, SMP)
        plan, result, _ = run_qemu(name + '/base', base)
        if not result.ok:
            return with_log('the boot without dom0 failed', result, plan)
        plan, result, _ = run_qemu(name, dom0)
        if not result.ok:
            return with_log('the boot with the payload as dom0 failed', result, plan)
        got_gic = [m.group(1) for line in result.lines() if (m := GIC_LINE_RE.match(line))]
        if got_gic != [want_gic]:
            return with_log(f'gic lines {got_gic}, expected [{want_gic!r}]', result, plan)
        lines = payload_lines(result)
        if 'cpu1 up context=0x600dc0de' not in lines or 'done' not in lines:
            return with_log('the payload did not start cpu1 or did not finish', result, plan)
        before, after = read_counts(base_counts), read_counts(dom0_counts)
        if after.get(0, 0) < BUSY_CPU0:
            return with_log(f'cpu0 executed {after.get(0, 0)} instructions: too few for the '
                            'idle CPUs\' counts to tell sleeping from spinning', result, plan)
        extra = {cpu: after.get(cpu, 0) - before.get(cpu, 0) for cpu in NEVER_STARTED}
        if hostile:
            if max(extra.values()) < SPIN_SEEN:
                return with_log(f'idle CPUs in WFE executed only {extra} instructions more '
                                'than asleep: the measure does not see spinning', result, plan)
            return None
        if max(extra.values()) > IDLE_MARGIN:
            return with_log(f'idle CPUs executed {extra} instructions more while dom0 ran than '
                            f'with no dom0 (at most {IDLE_MARGIN}): they do not sleep; '
                            f'cpu0 executed {after[0]}', result, plan)
        return None
    return Case(name, run)


def cases(arch='arm64'):
    if arch == 'arm32':         # GICv3 through CP15 (arch/arm32/include/arch/gic_cpuif.h)
        return [idle_case(arch, 2), idle_case(arch, 3)]
    return [idle_case(arch, 3), idle_case(arch, 2)] + [
        idle_case(arch, 3, hostile) for hostile in HOSTILE]
