"""Debian's Linux as dom0 under Debian's Xen 4.17 and under hypcore, side by
side (issue 11, item 6): the case "linux:xen/side-by-side/*" and the Linux
rows of ./hypcore bench --suite dom0.

The same kernel, initramfs, bootargs (linux.BOTH_BOOTARGS: hvc0 under Xen,
ttyAMA0 under hypcore), dom0_mem and machine boot under both hypervisors.
Each run's "linux: " lines are checked against linuxsuite's model with the
RAM that hypervisor says it gave dom0 (Xen's "BANK[n]" lines, hypcore's
"dom0: ram" lines); then the two reports must be equal apart from what
legitimately differs: where dom0's RAM is (iomem-ram) and the timer's
interrupt counts.  /init also probes RAM_BASE, which neither hypervisor maps
into dom0 (Xen keeps the 2 MiB below its image; hypcore's heap), so the two
"linux: probe" lines -- exit status, pc, Linux's fault line with Xen's EL0
abort syndrome -- must be identical.

The bench rows time Linux's boot in guest instructions from reset, measured
outside both hypervisors by a QEMU TCG plugin (tests/bench/serial-insns.c,
built in build/host) that records the instruction count at each store to the
PL011's data register: byte N of the serial log is the N-th store.  Xen's
console_timestamps=raw stamps only Xen's own lines (measured: dom0's
console_io output is written raw), so it is used to cross-check the plugin on
Xen's lines and for Xen's last line before dom0 runs.
"""
import os
import re

from . import image as images, linux, linuxsuite, qemu, xen
from .common import BUILD, MiB, RAM_BASE, Failure
from .suites import Case, workdir

SIDE_TIMEOUT = 240
XEN_ARGS = 'console=dtuart loglvl=all dom0_mem={mem}M'
UART_DR = 0x09000000                # QEMU virt's PL011 (its data register at +0)
PLUGIN = os.path.join(BUILD, 'host', 'tests', 'bench', 'serial-insns.so')
FIRST_LINE_RE = re.compile(r'Booting Linux on physical CPU')
RUN_INIT_RE = re.compile(r'Run /init as init process')
DOM0_ENTRY_RE = re.compile(r'bench: dom0_entry ticks=(\d+)')
# Xen's last line before it schedules dom0, with console_timestamps=raw.
XEN_LAST_RE = re.compile(r'\(XEN\) \[([0-9a-f]{16})\] Freed \d+kB init memory')
XEN_BROUGHT_UP_RE = re.compile(r'\(XEN\) Brought up (\d+) CPUs')
# What may differ between the two reports: where dom0's RAM is, and how many
# timer interrupts each CPU took by then.
# And, deliberately, the Spectre v2 / v4 lines (linuxsuite.ARCH_FEATURES:
# hypcore offers no workaround; check() holds each to its hypervisor's).
DIFFERS_RE = re.compile(r'linux: (iomem-ram|timer|vuln spectre_v2|vuln spec_store_bypass) ')
# arm32: also the probe line (linuxsuite.PROBE_WANT: the debug hardware is
# dom0's under hypcore, not under Xen, so the same abort ends devmem with
# another signal); check_linux_probes holds each to its hypervisor's.
DIFFERS_RE_ARM32 = re.compile(DIFFERS_RE.pattern[:-2] + r'|probe) ')


def _modules(kernel, initrd, bootargs):
    return [qemu.Module(kernel, bootargs=bootargs), qemu.Module(initrd)]


def boot_xen(spec, directory, timeout):
    """Boot Xen 4.17 with spec (modules and command line set); (plan, result)."""
    plan = linux.expect_linux(xen.plan(spec, xen.fetch(spec.arch)), hypervisor='xen')
    result = qemu.boot(plan, timeout)
    linuxsuite.save_log(directory, plan, result)
    return plan, result


def boot_hypcore(spec, directory, timeout):
    img = images.load(spec.arch, spec.layout)
    plan = linux.expect_linux(qemu.plan(spec, img, directory))
    result = qemu.boot(plan, timeout)
    linuxsuite.save_log(directory, plan, result)
    return plan, result


def comparable(lines, arch='arm64'):
    differs = DIFFERS_RE_ARM32 if arch == 'arm32' else DIFFERS_RE
    return [line for line in lines if not differs.match(line)]


def side_by_side_case(smp=2, gic=3, mem_mib=512, arch='arm64'):
    prefix = 'linux' if arch == 'arm64' else f'{arch}:linux'
    name = f'{prefix}:xen/side-by-side/smp{smp}/gic{gic}/dom0_mem{mem_mib}M'

    def run():
        try:
            kernel, busybox = linuxsuite.fetch_once(arch)
            xen.fetch(arch)
        except Failure as e:
            return str(e)
        version = os.path.basename(kernel)[len('vmlinuz-'):]
        bootargs = f'{linux.BOTH_BOOTARGS} {linuxsuite.probe_arg([RAM_BASE])}'
        reports = {}
        for hyp in ('xen', 'hypcore'):
            directory = workdir(f'{name}/{hyp}')
            initrd = linux.initramfs(busybox, os.path.join(directory, 'initramfs.cpio.gz'))
            spec = linux.shape(qemu.RunSpec(arch=arch, smp=smp, gic=gic, mem=linux.DEFAULT_MEM,
                                            modules=_modules(kernel, initrd, bootargs)))
            if hyp == 'xen':
                spec.hyp_args = XEN_ARGS.format(mem=mem_mib)
                plan, result = boot_xen(spec, directory, SIDE_TIMEOUT)
            else:
                spec.hyp_args = f'dom0_mem={mem_mib}M'
                plan, result = boot_hypcore(spec, directory, SIDE_TIMEOUT)
            if not result.ok:
                return linuxsuite._tail(f'under {hyp}: Linux did not reach userspace and '
                                        'power off', result, plan)
            if hyp == 'xen':
                up = XEN_BROUGHT_UP_RE.search(result.log)
                problem = ((None if up and int(up.group(1)) == smp else
                            f'Xen did not bring up {smp} CPUs ({up and up.group(0)})')
                           or linuxsuite.check(result.log, smp, gic, bootargs, mem_mib * MiB,
                                               version, ram=xen.dom0_banks(result.log),
                                               hypervisor='Xen', arch=arch)
                           or linuxsuite.check_linux_probes(result.log, [RAM_BASE],
                                                            arch=arch, hypervisor='Xen'))
            else:
                problem = (linuxsuite.check(result.log, smp, gic, bootargs, mem_mib * MiB,
                                            version, arch=arch)
                           or linuxsuite.check_stage2_faults(result.log, [RAM_BASE], arch))
            if problem:
                return linuxsuite._tail(f'under {hyp}: {problem}', result, plan)
            reports[hyp] = comparable(linux.lines(result.log), arch)
        if reports['xen'] != reports['hypcore']:
            diff = [(x, h) for x, h in zip(reports['xen'], reports['hypcore']) if x != h]
            return (f'/init reports differently under Xen and hypcore: first difference '
                    f'{diff[:1] or "in length"}\n  xen:     {reports["xen"]}\n'
                    f'  hypcore: {reports["hypcore"]}')
        return None
    return Case(name, run)


def cases(arch='arm64'):
    # arm32: GICv2 (Xen 4.17 armhf hangs with a GICv3); 2 CPUs (no -icount here).
    return [side_by_side_case()] if arch == 'arm64' else [side_by_side_case(gic=2, arch=arch)]


# ------------------------------------------------------------------ bench

BENCH_DOM0_MIB = 256        # fits beside hypcore, the modules and QEMU's DTB in 1 GiB
BENCH_TIMEOUT = 600


# QEMU's own diagnostics share the log (stderr is merged into it) but are
# no UART bytes, e.g. "qemu-system-aarch64: warning: icount sleep disabled
# and no active timers" when dom0 powers off under -icount sleep=off.
QEMU_SAYS_RE = re.compile(r'^qemu-system-[a-z0-9_]+: ')


def line_insns(log, counts):
    """[(line, instructions when its first byte left the UART)]; the log,
    less QEMU's own lines, must be exactly the bytes the plugin counted
    stores for."""
    log = '\n'.join(line for line in log.split('\n') if not QEMU_SAYS_RE.match(line))
    data = log.encode('utf-8')
    if len(data) != len(counts):
        raise Failure(f'the serial log has {len(data)} bytes but the plugin saw '
                      f'{len(counts)} stores to the UART')
    out, offset = [], 0
    for line in log.split('\n'):
        out.append((line, counts[offset] if offset < len(counts) else None))
        offset += len(line.encode('utf-8')) + 1
    return out


def bench_once(arch, hyp, mem, run):
    """One -icount run of Linux as dom0 with the plugin: a dict of the
    instructions at dom0's first kernel line and at "Run /init", and the
    hypervisor's own counter when it entered dom0 (hypcore: bench: dom0_entry;
    Xen: its last line's raw stamp)."""
    if not os.path.exists(PLUGIN):
        raise Failure(f'{PLUGIN} is missing (built in build/host)')
    kernel, busybox = linuxsuite.fetch_once(arch)
    directory = workdir(f'bench:dom0:linux-{hyp}:{mem // (1 << 30)}G#{run}')
    initrd = linux.initramfs(busybox, os.path.join(directory, 'initramfs.cpio.gz'))
    counts_path = os.path.join(directory, 'uart-insns.txt')
    spec = qemu.RunSpec(arch=arch, smp=1, gic=linux.default_gic(arch), mem=mem, icount=True,
                        modules=_modules(kernel, initrd, linux.BOTH_BOOTARGS),
                        qemu_args=['-plugin', f'{PLUGIN},out={counts_path},uart={UART_DR:#x}'])
    linux.shape(spec)
    if hyp == 'xen':
        spec.hyp_args = XEN_ARGS.format(mem=BENCH_DOM0_MIB) + ' console_timestamps=raw'
        plan, result = boot_xen(spec, directory, BENCH_TIMEOUT)
    else:
        spec.hyp_args = f'dom0_mem={BENCH_DOM0_MIB}M'
        plan, result = boot_hypcore(spec, directory, BENCH_TIMEOUT)
    if not result.ok:
        raise Failure(linuxsuite._tail(f'{hyp} {mem >> 30}G: Linux did not reach userspace',
                                       result, plan))
    with open(counts_path, encoding='ascii') as f:
        counts = [int(x) for x in f]
    lines = line_insns(result.log, counts)

    def first(regex):
        return next((n for line, n in lines if regex.search(line)), None)
    entry = DOM0_ENTRY_RE if hyp == 'hypcore' else XEN_LAST_RE
    m = next((entry.search(line) for line, _ in lines if entry.search(line)), None)
    hyp_ticks = int(m.group(1), 10 if hyp == 'hypcore' else 16) if m else None
    return {'entry_ticks': hyp_ticks, 'first_line': first(FIRST_LINE_RE),
            'run_init': first(RUN_INIT_RE)}


def bench_row(arch, hyp, mem):
    """(row, problem): measured twice, the figures must repeat exactly."""
    one, two = (bench_once(arch, hyp, mem, run) for run in (1, 2))
    row = dict(one, same=one == two)
    if one != two or None in one.values():
        return row, f'Linux dom0 under {hyp} at {mem >> 30}G: {one} then {two}'
    return row, None


def print_bench(rows, arch='arm64'):
    """rows: [(hyp, mem, row or None)] in plan order (hypcore and xen per RAM size)."""
    if not rows:
        return
    print(f'Linux as dom0 on {arch} (Debian 6.1 + busybox /init, 1 CPU, '
          f'GICv{linux.default_gic(arch)}, dom0_mem='
          f'{BENCH_DOM0_MIB}M): guest instructions from reset until the line left the UART '
          '(QEMU plugin tests/bench/serial-insns.c, -icount shift=0,sleep=off; M = 10^6)')
    print(f'  {"RAM":>4} {"hypervisor":<10} {"enters dom0":>12} {"first kernel line":>18} '
          f'{"Run /init":>10}  both runs equal')
    by_mem = {}
    for hyp, mem, row in rows:
        by_mem.setdefault(mem, {})[hyp] = row or {}
        row = row or {}

        def m(value):
            return f'{value / 1e6:.1f}M' if value else '-'
        entry = row.get('entry_ticks')
        print(f'  {mem >> 30:>3}G {hyp:<10} {m(entry * 16 if entry else None):>12} '
              f'{m(row.get("first_line")):>18} {m(row.get("run_init")):>10}  '
              f'{"yes" if row.get("same") else "NO"}')
    for mem, pair in by_mem.items():
        h, x = pair.get('hypcore', {}), pair.get('xen', {})

        def ratio(key):
            return f'{x[key] / h[key]:.3f}' if x.get(key) and h.get(key) else '-'
        print(f'  {mem >> 30:>3}G {"xen/hypcore":<10} {ratio("entry_ticks"):>12} '
              f'{ratio("first_line"):>18} {ratio("run_init"):>10}')
    print('  ("enters dom0": the hypervisor\'s own counter, 16 instructions a tick: '
          'hypcore\'s "bench: dom0_entry", Xen\'s raw stamp on its last line before dom0; '
          'the other columns count instructions up to the line\'s first byte)')
