"""Debian's Linux 6.1 as dom0 under hypcore (linux.py): cases "linux:*".

Each boot case runs `--dom0 linux` as ./hypcore run does and checks the
initramfs's "linux: " lines against a model computed from the inputs and from
hypcore's own decisions:

  * iomem-ram: Linux's System RAM is exactly the RAM hypcore gave dom0 (its
    "dom0: ram START-END" lines, END exclusive; /proc/iomem's END inclusive),
    and adds up to dom0_mem;
  * nproc: the CPUs asked for (--smp), which hypcore must all have brought up
    ("smp: N of N cpus online") and dom0 all started with PSCI CPU_ON;
  * cmdline: /proc/cmdline is the kernel module's bootargs, byte for byte;
  * el: Linux says every CPU started at EL1 (hypcore dropped it there);
  * version: the running kernel is the fetched package's (vmlinuz-<version>);
  * hotplug: each secondary goes offline (PSCI CPU_OFF, AFFINITY_INFO polled
    until off) and comes back (CPU_ON), and all CPUs are online after;
  * timer / gic: the arch timer's PPI 27 (the virtual timer: Linux at EL1)
    took interrupts on every CPU, through the GIC asked for ("GICv3"; "GIC-0"
    is Linux's name for a GICv2).

  * probe (the /probe cases): /init reads a page of hypcore's image (load +
    4 KiB) and dom0's stage-2 root table (hypcore's heap, learnt from a first
    boot stopped at "dom0: entering EL1") through /dev/mem: hypcore prints one
    stage-2 fault line naming each address, Linux kills devmem with SIGKILL
    and reports Xen's EL0 abort syndrome at the pc hypcore saw (check_probes).
  * vulnerabilities: spectre_v2 and spec_store_bypass as Linux words them for
    the hypervisor's SMCCC_ARCH_FEATURES answers (check_vulnerabilities).
  * load anywhere (the cases with a place in their name): hypcore loaded at
    one of smpsuite's clash places, its decision line against model.decide.
  * icount: two boots under -icount print byte-identical serial logs.

arm32 ("arm32:linux:*", arm32_cases): the armmp-lpae zImage in SVC mode with
the same model, "linux: el SVC", the Spectre lines cortex-a15 gives whatever
the hypervisor answers, and arm32's probe abort (SIGTRAP, no pc).

Seven boot cases in ./hypcore test (linux:icount is two boots, the /probe
cases a first boot too), 5-18 s each here; sweep_cases is the full place x CPUs x
GIC matrix (./hypcore sweep --suite linux).  Without network and
without build/deps, every boot case fails with one line (linux.fetch).
"""
import dataclasses
import gzip
import os
import re
import stat

from . import image as images, linux, qemu, smpsuite
from .common import MiB, PAGE, Failure
from .suites import Case, check_model_decision, workdir

TIMEOUT = 180               # seconds; a boot takes 10-20 s here (2 cores shared)
ICOUNT_TIMEOUT = 300        # -icount runs every vCPU on one host thread
GIC_CHIP = {3: 'GICv3', 2: 'GIC-0'}
VTIMER_PPI = 27             # booting.rst / the DT: the EL1 virtual timer's PPI
DOM0_RAM_RE = re.compile(r'dom0: ram (0x[0-9a-f]+)-(0x[0-9a-f]+)\s*$')
ONLINE_RE = re.compile(r'smp: (\d+) of (\d+) cpus online')
P2M_ROOT_RE = re.compile(r'dom0: p2m root (0x[0-9a-f]+) ')


def fetch_once(arch):
    """linux.fetch under a lock: pytest-xdist workers must not unpack twice at once."""
    return linux.fetch(arch)        # under build.deps_lock()


def dom0_ram(log):
    """hypcore's dom0 RAM ranges [(start, end exclusive)], in log order."""
    return [(int(a, 16), int(b, 16)) for a, b in
            (m.groups() for m in map(DOM0_RAM_RE.search, log.split('\n')) if m)]


# Where the hypervisor starts dom0: EL1 on arm64, SVC mode (PL1) on arm32.
DOM0_EL = {'arm64': 'EL1', 'arm32': 'SVC'}


def model(smp, gic, bootargs, dom0_mem, ram, version, arch='arm64'):
    """Every "linux: " line the initramfs must print, in order; the timer line
    is checked apart (check_timer) and stands here as its prefix."""
    chip = GIC_CHIP[gic]
    return ([f'linux: version {version}', f'linux: el {DOM0_EL[arch]}',
             f'linux: cmdline {bootargs}']
            + [f'linux: iomem-ram {start:#x}-{end - 1:#x}' for start, end in ram]
            + [f'linux: nproc {smp}', f'linux: timer {chip} {VTIMER_PPI}',
               f'linux: gic {chip}']
            + [f'linux: hotplug cpu{cpu} off ok on ok online {"0-%d" % (smp - 1)}'
               for cpu in range(1, smp)]
            + ['linux: userspace ok'])


# /sys/devices/system/cpu/vulnerabilities as Linux 6.1 words it on cortex-a57,
# which it knows to be affected by Spectre v2 and v4 ("CPU features: detected:
# Spectre-v2", "Spectre-v4"), for the hypervisor's SMCCC_ARCH_FEATURES answer
# to ARCH_WORKAROUND_1 and _2 (Documentation/admin-guide/hw-vuln/spectre.rst;
# the loop mitigation for Spectre-BHB needs no call and adds ", BHB").
SMCCC_SUCCESS, SMCCC_NOT_SUPPORTED = 0, -1
VULN_TEXT = {
    'spectre_v2': {SMCCC_NOT_SUPPORTED: 'Vulnerable',
                   SMCCC_SUCCESS: 'Mitigation: Branch predictor hardening, BHB'},
    'spec_store_bypass': {SMCCC_NOT_SUPPORTED: 'Vulnerable',
                          SMCCC_SUCCESS: 'Mitigation: Speculative Store Bypass disabled '
                                         'via prctl'},
}
# What each hypervisor answers (xen-like/vpsci.c arch_features: hypcore offers
# no workaround; Xen 4.17 on QEMU virt answers SUCCESS to both, as Linux's
# report under it shows, although it warns that the firmware lacks them).
ARCH_FEATURES = {'hypcore': {'spectre_v2': SMCCC_NOT_SUPPORTED,
                             'spec_store_bypass': SMCCC_NOT_SUPPORTED},
                 'Xen': {'spectre_v2': SMCCC_SUCCESS, 'spec_store_bypass': SMCCC_SUCCESS}}
VULN_RE = re.compile(r'linux: vuln (\S+) (.*)$')
# arm32 (arch/arm/mm/proc-v7-bugs.c, 6.1): on cortex-a15 Linux asks no firmware.
# Its Spectre v2 hardening there is an I-cache invalidation that needs ACTLR.IBE,
# which only the secure side can set (Linux warns: "firmware did not set
# auxiliary control register IBE bit"), so what it reports is its own
# branch-history loop (Spectre-BHB, "History overwrite"); and it knows no
# Spectre v4 on arm32.  The same text under either hypervisor, whatever they
# answer to SMCCC_ARCH_FEATURES.
VULN_TEXT_ARM32 = {'spectre_v2': 'Mitigation: History overwrite',
                   'spec_store_bypass': 'Not affected'}


def check_vulnerabilities(lines, hypervisor, arch='arm64'):
    """The Spectre v2 / v4 lines against what the hypervisor's answers imply."""
    got = dict(m.groups() for m in map(VULN_RE.match, lines) if m)
    for name, answers in VULN_TEXT.items():
        if arch == 'arm32':
            if got.get(name) != VULN_TEXT_ARM32[name]:
                return (f'{name}: Linux reports {got.get(name)!r} on cortex-a15, expected '
                        f'{VULN_TEXT_ARM32[name]!r} (its own mitigation, no firmware call)')
            continue
        want = answers[ARCH_FEATURES[hypervisor][name]]
        if got.get(name) != want:
            return (f'{name}: Linux reports {got.get(name)!r} under {hypervisor}, expected '
                    f'{want!r} (SMCCC_ARCH_FEATURES answered '
                    f'{ARCH_FEATURES[hypervisor][name]})')
    return None


def check_timer(line, want, smp):
    """The timer line: the right chip and PPI, a count for each CPU, none zero."""
    if not line.startswith(want + ' '):
        return f'{line!r}, expected {want!r} followed by {smp} counts'
    counts = line[len(want):].split()
    if len(counts) != smp or not all(c.isdigit() and int(c) > 0 for c in counts):
        return f'{line!r}: expected {smp} non-zero interrupt counts (one per CPU)'
    return None


def check(log, smp, gic, bootargs, dom0_mem, version, ram=None, hypervisor='hypcore',
          arch='arm64'):
    """/init's lines against the model; dom0's RAM is what the hypervisor said
    it gave (hypcore's "dom0: ram" lines, unless `ram` is given: Xen's banks)."""
    if ram is None:
        ram = dom0_ram(log)
        online = ONLINE_RE.search(log)
        if not online or online.groups() != (str(smp), str(smp)):
            return f'hypcore did not bring up all {smp} CPUs ({online and online.group(0)})'
    if not ram:
        return f'no RAM for dom0 in {hypervisor}\'s lines'
    if sum(end - start for start, end in ram) != dom0_mem:
        return f'{hypervisor} gave dom0 {ram}, not dom0_mem={dom0_mem:#x}'
    want = model(smp, gic, bootargs, dom0_mem, ram, version, arch)
    problem = check_vulnerabilities(linux.lines(log), hypervisor, arch)
    if problem:
        return problem
    got = [l for l in linux.lines(log) if not l.startswith(('linux: probe ', 'linux: vuln '))]
    for index, expected in enumerate(want):
        if index >= len(got):
            return f'linux line {index} missing, expected {expected!r}; got {got}'
        if expected.startswith('linux: timer '):
            problem = check_timer(got[index], expected, smp)
            if problem:
                return problem
        elif got[index] != expected:
            return f'linux line {index}: {got[index]!r}, expected {expected!r}'
    if len(got) != len(want):
        return f'extra linux lines: {got[len(want):]}'
    return None


def _tail(reason, result, plan, lines=40):
    return (f'{reason}\n  command: {" ".join(plan.argv)}\n'
            f'  outcome: {result.outcome} ({result.reason}, {result.seconds:.1f} s)\n'
            + ''.join(f'    | {line}\n' for line in result.lines()[-lines:]))


def probe_arg(addresses):
    """The bootargs word that asks /init to read `addresses` through /dev/mem.
    Fixed-width hex, so that the first boot (placeholders) and the real one
    give hypcore command lines, DTBs and allocations of the same sizes."""
    return 'hypcore.probe=' + ','.join(f'{a:#012x}' for a in addresses)


def save_log(directory, plan, result, name='serial.log'):
    with open(os.path.join(directory, name), 'w', encoding='utf-8') as f:
        f.write(' '.join(plan.argv) + '\n' + result.log)


def linux_spec(arch, smp, gic, mem_mib, kernel, initrd, bootargs, where=None):
    """The RunSpec of one Linux boot: hypcore at the layout's default place or
    at `where` (an smpsuite.Where; boot_case gives it linux.DEFAULT_MEM of RAM
    at least, which changes no load decision: model.decide ignores RAM size)."""
    if where is None:
        spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic, mem=linux.DEFAULT_MEM)
    else:
        spec = smpsuite.spec_for(arch, where, smp, gic)
    spec.hyp_args = f'dom0_mem={mem_mib}M'
    spec.modules = [qemu.Module(kernel, bootargs=bootargs), qemu.Module(initrd)]
    return linux.shape(spec)


def first_boot(spec, img, directory, timeout):
    """hypcore's own choices for these inputs: boot until it enters dom0 (its
    allocations are deterministic) and return (p2m root, load address)."""
    plan = qemu.plan(spec, img, directory)
    plan.stop_re = qemu.DOM0_ENTER_RE
    result = qemu.boot(plan, timeout)
    save_log(directory, plan, result, 'first-boot.log')
    root = P2M_ROOT_RE.search(result.log)
    if result.outcome != 'stopped' or not root:
        raise Failure(_tail('the first boot (to learn where hypcore allocates dom0\'s '
                            'stage-2 root) did not reach dom0', result, plan))
    return int(root.group(1), 16), plan.load


def boot_case(smp, gic, mem_mib=512, bootargs=linux.DEFAULT_BOOTARGS, arch='arm64',
              where=None, probe=False, prefix='linux', icount=False):
    """Boot Linux as dom0 and check its report.  probe: /init also reads a page
    of hypcore's image (load + 4 KiB) and dom0's stage-2 root table (hypcore's
    heap, learnt from a first boot) through /dev/mem (check_probes)."""
    extra = '' if bootargs == linux.DEFAULT_BOOTARGS else '/bootargs'
    if where is not None:
        where = dataclasses.replace(where, mem=max(where.mem, linux.DEFAULT_MEM))
    place = f'{smpsuite.place(arch, where)}/' if where is not None else ''
    name = (f'{prefix}:{place}smp{smp}/gic{gic}/dom0_mem{mem_mib}M{extra}'
            + ('/probe' if probe else ''))

    def run():
        try:
            kernel, busybox = fetch_once(arch)
        except Failure as e:
            return str(e)
        version = os.path.basename(kernel)[len('vmlinuz-'):]
        directory = workdir(name)
        initrd = linux.initramfs(busybox, os.path.join(directory, 'initramfs.cpio.gz'))
        args, probes = bootargs, []
        if probe:
            spec = linux_spec(arch, smp, gic, mem_mib, kernel, initrd,
                              f'{bootargs} {probe_arg((0, 0))}', where)
            img = images.load(arch, spec.layout)
            try:
                root, load = first_boot(spec, img, directory, TIMEOUT)
            except Failure as e:
                return str(e)
            probes = [load + PAGE, root]
            args = f'{bootargs} {probe_arg(probes)}'
        spec = linux_spec(arch, smp, gic, mem_mib, kernel, initrd, args, where)
        img = images.load(arch, spec.layout)
        plan = linux.expect_linux(qemu.plan(spec, img, directory))
        result = qemu.boot(plan, TIMEOUT)
        save_log(directory, plan, result)
        if not result.ok:
            return _tail('Linux did not reach userspace and power off', result, plan)
        problem = (check_model_decision(result, plan, img)
                   or check(result.log, smp, gic, args, mem_mib * MiB, version, arch=arch)
                   or check_probes(result.log, probes, arch))
        return _tail(problem, result, plan) if problem else None
    return Case(name, run)


# What an EL0 load that stage 2 refuses becomes under Xen 4.17 (and hypcore):
# a data abort from a lower EL, IL 1, ISS 0 (inject_abt64_exception).  Linux
# reads ISS 0 as fault status code 0, whose name in its fault table (arch/arm64/
# mm/fault.c) is the one below, handled by do_bad: SIGKILL for the task.
ESR_EC_DABT_LOWER = 0x24
XEN_DABT_EL0_ESR = (ESR_EC_DABT_LOWER << 26) | (1 << 25)
LINUX_FSC0_NAME = 'ttbr address size fault'
SIGKILL_STATUS = 128 + 9    # the shell's $? for a child killed by SIGKILL
# arm32: Xen 4.17's inject_abt32_exception (and hypcore, design.md) gives a data
# abort with DFSR 0x222 when TTBCR.EAE is set (as for an LPAE kernel): bit 9 the
# long-descriptor format, status 0x22 a debug event.  Linux's hardware-breakpoint
# code claims that status (FAULT_CODE_DEBUG, SIGTRAP) for data and prefetch
# aborts; with LPAE both share one table (arch/arm/mm/fsr-3level.c makes
# ifsr_info fsr_info), so the name is the one hooked last, the prefetch side's
# "breakpoint debug exception".  It finds no debug event and leaves the fault
# unhandled: the task gets SIGTRAP and dmesg "Unhandled fault: breakpoint debug
# exception (0x222) at VA" (do_DataAbort's words); arm32 never names the pc.
# That needs the debug hardware, which hypcore leaves to dom0 ("hw-breakpoint:
# found 5 (+1 reserved) breakpoint and 4 watchpoint registers").  Xen 4.17 traps
# the debug registers and reads them as zero (Linux: "hw-breakpoint: Failed to
# enable monitor mode"), so nothing is hooked and the table's own entry answers:
# "debug event", do_bad, SIGBUS.
ARM32_DFSR = 0x222
SIGTRAP_STATUS = 128 + 5
SIGBUS_STATUS = 128 + 7
PROBE_WANT = {
    ('arm64', 'hypcore'): (SIGKILL_STATUS, f'DABT (lower EL), ESR {XEN_DABT_EL0_ESR:#018x}, '
                                           f'{LINUX_FSC0_NAME}'),
    ('arm32', 'hypcore'): (SIGTRAP_STATUS, f'breakpoint debug exception ({ARM32_DFSR:#05x})'),
    ('arm32', 'Xen'): (SIGBUS_STATUS, f'debug event ({ARM32_DFSR:#05x})'),
}
PROBE_WANT['arm64', 'Xen'] = PROBE_WANT['arm64', 'hypcore']
S2_FAULT_RE = re.compile(r'dom0: d0v(\d+) stage-2 fault: IPA (0x[0-9a-f]+) (\w+) ELR (0x[0-9a-f]+)')
IMAGE_RE = re.compile(r'mem: reserved (0x[0-9a-f]+)-(0x[0-9a-f]+) image hypcore')
PROBE_RE = re.compile(r'linux: probe (0x[0-9a-f]+) status (\d+) pc (0x[0-9a-f]+|0xnone) '
                      r'fault (.*)$')


def check_probes(log, probes, arch='arm64'):
    """Both sides of each probe: hypcore's one stage-2 fault line naming the
    probed address, and Linux's report of the abort it was given (devmem
    killed, the fault at the pc hypcore saw, Xen's syndrome for EL0)."""
    if not probes:
        return None
    image = IMAGE_RE.search(log)
    root = P2M_ROOT_RE.search(log)
    if not image or not int(image.group(1), 16) <= probes[0] < int(image.group(2), 16):
        return f'probe {probes[0]:#x} is not inside hypcore\'s image ({image and image.group(0)})'
    if not root or int(root.group(1), 16) != probes[1]:
        return (f'probe {probes[1]:#x} is not dom0\'s stage-2 root in this boot '
                f'({root and root.group(0)}): hypcore\'s allocations changed between boots')
    return check_stage2_faults(log, probes, arch)


def check_stage2_faults(log, probes, arch='arm64'):
    """hypcore's side of `probes`: one stage-2 fault line (a read) naming each,
    and Linux's report of each at the ELR hypcore gave."""
    faults = [m.groups() for m in map(S2_FAULT_RE.search, log.split('\n')) if m]
    if [int(ipa, 16) for _, ipa, _, _ in faults] != probes:
        return (f'hypcore\'s stage-2 fault lines name {[f[1] for f in faults]}, '
                f'expected one for each probe {[hex(p) for p in probes]}')
    for probe, (_, _, access, _) in zip(probes, faults):
        if access != 'read':
            return f'hypcore saw a {access} of {probe:#x}; devmem reads'
    return check_linux_probes(log, probes, [elr for _, _, _, elr in faults], arch)


def check_linux_probes(log, probes, elrs=None, arch='arm64', hypervisor='hypcore'):
    """Linux's side of `probes`: devmem killed (arm64 SIGKILL, arm32 SIGTRAP),
    and Linux's line with Xen's abort syndrome (arm64: at the pc hypcore
    reported, when `elrs` given; arm32 Linux names no pc: "none")."""
    got = [m.groups() for m in map(PROBE_RE.search, linux.lines(log)) if m]
    if len(got) != len(probes):
        return f'{len(got)} "linux: probe" lines for {len(probes)} probes'
    want_status, want_fault = PROBE_WANT[arch, hypervisor]
    if arch == 'arm32':
        elrs = ['0xnone'] * len(probes)
    for index, (probe, (addr, status, pc, fault)) in enumerate(zip(probes, got)):
        if int(addr, 16) != probe or int(status) != want_status:
            return (f'probe {addr}: devmem exit status {status}, expected '
                    f'{want_status} (signal {want_status - 128}) for {probe:#x}')
        if elrs and pc != elrs[index]:
            return f'probe {addr}: Linux reports the fault at pc {pc}, hypcore at ELR {elrs[index]}'
        if fault != want_fault:
            return f'probe {addr}: Linux reports {fault!r}, expected {want_fault!r}'
    return None


def first_difference(a, b):
    """(line number, line of a, line of b) where two logs first differ."""
    la, lb = a.split('\n'), b.split('\n')
    for index, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return index + 1, x, y
    return min(len(la), len(lb)) + 1, '(end)' if len(la) < len(lb) else la[len(lb)], \
        '(end)' if len(lb) < len(la) else lb[len(la)]


def icount_case(smp=2, gic=3, mem_mib=256, arch='arm64'):
    """Two boots under -icount shift=0,sleep=off -seed 1 (QEMU's DTB random
    seeds included) must print byte-identical serial logs: hypcore's lines
    and ticks, Linux's timestamps, /init's report; the first is checked
    against the model too."""
    name = f'linux:icount/smp{smp}/gic{gic}/dom0_mem{mem_mib}M'

    def run():
        try:
            kernel, busybox = fetch_once(arch)
        except Failure as e:
            return str(e)
        version = os.path.basename(kernel)[len('vmlinuz-'):]
        results = []
        for index in (1, 2):
            directory = workdir(f'{name}#{index}')
            initrd = linux.initramfs(busybox, os.path.join(directory, 'initramfs.cpio.gz'))
            spec = linux_spec(arch, smp, gic, mem_mib, kernel, initrd, linux.DEFAULT_BOOTARGS)
            spec.icount = True
            img = images.load(arch, spec.layout)
            plan = linux.expect_linux(qemu.plan(spec, img, directory))
            result = qemu.boot(plan, ICOUNT_TIMEOUT)
            save_log(directory, plan, result)
            if not result.ok:
                return _tail(f'run {index} under -icount did not reach userspace and power '
                             'off', result, plan)
            results.append(result)
        problem = check(results[0].log, smp, gic, linux.DEFAULT_BOOTARGS, mem_mib * MiB,
                        version)
        if problem:
            return _tail(problem, results[0], plan)
        if results[0].log != results[1].log:
            line, first, second = first_difference(results[0].log, results[1].log)
            return (f'two -icount runs differ first at line {line}:\n  run 1: {first!r}\n'
                    f'  run 2: {second!r}')
        return None
    return Case(name, run)


# ------------------------------------------------------ the initramfs itself

def read_newc(data):
    """Parse a newc archive (buffer-format.rst): {name: (mode, data, (rdevmajor, minor))}."""
    entries, pos = {}, 0
    while True:
        if data[pos:pos + 6] != b'070701':
            raise ValueError(f'no newc magic at {pos}')
        fields = [int(data[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = fields[11], fields[6]
        name = data[pos + 110:pos + 110 + namesize - 1].decode()
        pos += 110 + namesize
        pos += -pos % 4
        body = data[pos:pos + filesize]
        pos += filesize
        pos += -pos % 4
        if name == 'TRAILER!!!':
            return entries
        entries[name] = (fields[1], body, (fields[9], fields[10]))


def initramfs_case():
    """The archive the boot cases use, read back by an independent parser: /init
    an executable script, /dev/console the character device 5:1 (what the
    kernel opens for init's stdio), /bin/sh a link to busybox, busybox itself
    byte for byte; no QEMU, no network (a stand-in busybox)."""
    def run():
        directory = workdir('linux:initramfs')
        fake = os.path.join(directory, 'busybox')
        with open(fake, 'wb') as f:
            f.write(b'\x7fELF stand-in busybox' * 7)
        dest = linux.initramfs(fake, os.path.join(directory, 'i.cpio.gz'))
        with open(dest, 'rb') as f:
            entries = read_newc(gzip.decompress(f.read()))
        init = entries.get('init')
        if not init or not stat.S_ISREG(init[0]) or not init[0] & 0o100:
            return f'/init is missing or not executable: {init and oct(init[0])}'
        if not init[1].startswith(b'#!/bin/sh\n') or b'echo "linux: userspace ok"' not in init[1]:
            return '/init is not the report script'
        console = entries.get('dev/console')
        if not console or not stat.S_ISCHR(console[0]) or console[2] != (5, 1):
            return f'/dev/console is not the character device 5:1: {console}'
        sh = entries.get('bin/sh')
        if not sh or not stat.S_ISLNK(sh[0]) or sh[1] != b'busybox':
            return f'/bin/sh is not a link to busybox: {sh}'
        with open(fake, 'rb') as f:
            if entries.get('bin/busybox', (0, b''))[1] != f.read():
                return '/bin/busybox differs from the file given'
        for needed in ('proc', 'sys', 'dev', 'bin'):
            if needed not in entries or not stat.S_ISDIR(entries[needed][0]):
                return f'no /{needed} directory'
        return None
    return Case('linux:initramfs', run)


def arm32_cases():
    """arm32 (cases "arm32:linux:*"): Debian's armmp-lpae zImage in SVC mode,
    GICv2, the board with highmem=off (linux.shape), checked with the same model
    as arm64's; 1 and 4 CPUs, a clash layout probing hypcore's image and heap."""
    arch, prefix = 'arm32', 'arm32:linux'
    w = {where.label: where for where in smpsuite.ARCH_WHERES[arch]}
    return [boot_case(1, 2, arch=arch, prefix=prefix),
            boot_case(4, 2, arch=arch, prefix=prefix),
            boot_case(2, 2, arch=arch, prefix=prefix, where=w['ram-clash'], probe=True)]


def cases(arch='arm64'):
    if arch == 'arm32':
        return arm32_cases()
    w = smpsuite.WHERE
    return [initramfs_case(),
            boot_case(2, 3, probe=True),
            boot_case(2, 2),
            boot_case(1, 3, mem_mib=256,
                      bootargs=linux.DEFAULT_BOOTARGS + ' quiet hypcore.case=bootargs,1'),
            # Load anywhere: a slice of sweep_cases (the clash layouts' hardest
            # places, 4 and 8 CPUs, both GICs).
            boot_case(4, 3, where=w['ram-clash'], probe=True),
            boot_case(8, 2, where=w['ram-odd-share3']),
            boot_case(4, 2, where=w['ram-high-clash']),
            icount_case()]


SWEEP_SMPS = (1, 2, 4, 8)


def sweep_cases(arch='arm64', layouts=None):
    """./hypcore sweep --suite linux: Linux as dom0 with hypcore at every clash
    layout's place, 1, 2, 4 and 8 CPUs, GICv2 and GICv3; the 4-CPU GICv3 boot
    of each place also probes hypcore's image and heap."""
    if arch != 'arm64':
        return []
    return [boot_case(smp, gic, where=where, prefix='sweep:linux', probe=(smp, gic) == (4, 3))
            for where in smpsuite.WHERES if not layouts or where.layout in layouts
            for smp in SWEEP_SMPS for gic in (2, 3)]
