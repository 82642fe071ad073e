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

Two to three boots in all, about 10-20 s each here.  Without network and
without build/deps, every boot case fails with one line (linux.fetch).
"""
import fcntl
import gzip
import os
import re
import stat

from . import linux, qemu
from .common import BUILD, MiB, Failure
from .suites import Case, workdir

TIMEOUT = 180               # seconds; a boot takes 10-20 s here (2 cores shared)
GIC_CHIP = {3: 'GICv3', 2: 'GIC-0'}
VTIMER_PPI = 27             # booting.rst / the DT: the EL1 virtual timer's PPI
DOM0_RAM_RE = re.compile(r'dom0: ram (0x[0-9a-f]+)-(0x[0-9a-f]+)\s*$')
ONLINE_RE = re.compile(r'smp: (\d+) of (\d+) cpus online')
FETCH_LOCK = os.path.join(BUILD, 'deps', 'linux-fetch.lock')


def fetch_once(arch):
    """linux.fetch under a lock: pytest-xdist workers must not unpack twice at once."""
    os.makedirs(os.path.dirname(FETCH_LOCK), exist_ok=True)
    with open(FETCH_LOCK, 'w', encoding='utf-8') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return linux.fetch(arch)


def dom0_ram(log):
    """hypcore's dom0 RAM ranges [(start, end exclusive)], in log order."""
    return [(int(a, 16), int(b, 16)) for a, b in
            (m.groups() for m in map(DOM0_RAM_RE.search, log.split('\n')) if m)]


def model(smp, gic, bootargs, dom0_mem, ram, version):
    """Every "linux: " line the initramfs must print, in order; the timer line
    is checked apart (check_timer) and stands here as its prefix."""
    chip = GIC_CHIP[gic]
    return ([f'linux: version {version}', 'linux: el EL1', f'linux: cmdline {bootargs}']
            + [f'linux: iomem-ram {start:#x}-{end - 1:#x}' for start, end in ram]
            + [f'linux: nproc {smp}', f'linux: timer {chip} {VTIMER_PPI}',
               f'linux: gic {chip}']
            + [f'linux: hotplug cpu{cpu} off ok on ok online {"0-%d" % (smp - 1)}'
               for cpu in range(1, smp)]
            + ['linux: userspace ok'])


def check_timer(line, want, smp):
    """The timer line: the right chip and PPI, a count for each CPU, none zero."""
    if not line.startswith(want + ' '):
        return f'{line!r}, expected {want!r} followed by {smp} counts'
    counts = line[len(want):].split()
    if len(counts) != smp or not all(c.isdigit() and int(c) > 0 for c in counts):
        return f'{line!r}: expected {smp} non-zero interrupt counts (one per CPU)'
    return None


def check(log, smp, gic, bootargs, dom0_mem, version):
    ram = dom0_ram(log)
    if not ram:
        return 'no "dom0: ram" line from hypcore'
    if sum(end - start for start, end in ram) != dom0_mem:
        return f'hypcore gave dom0 {ram}, not dom0_mem={dom0_mem:#x}'
    online = ONLINE_RE.search(log)
    if not online or online.groups() != (str(smp), str(smp)):
        return f'hypcore did not bring up all {smp} CPUs ({online and online.group(0)})'
    want = model(smp, gic, bootargs, dom0_mem, ram, version)
    got = linux.lines(log)
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


def boot_case(smp, gic, mem_mib=512, bootargs=linux.DEFAULT_BOOTARGS, arch='arm64'):
    extra = '' if bootargs == linux.DEFAULT_BOOTARGS else '/bootargs'
    name = f'linux:smp{smp}/gic{gic}/dom0_mem{mem_mib}M{extra}'

    def run():
        try:
            kernel, busybox = fetch_once(arch)
        except Failure as e:
            return str(e)
        version = os.path.basename(kernel)[len('vmlinuz-'):]
        directory = workdir(name)
        initrd = linux.initramfs(busybox, os.path.join(directory, 'initramfs.cpio.gz'))
        spec = qemu.RunSpec(arch=arch, smp=smp, gic=gic, mem=linux.DEFAULT_MEM,
                            hyp_args=f'dom0_mem={mem_mib}M',
                            modules=[qemu.Module(kernel, bootargs=bootargs),
                                     qemu.Module(initrd)])
        from . import image as images
        img = images.load(arch, spec.layout)
        plan = linux.expect_linux(qemu.plan(spec, img, directory))
        result = qemu.boot(plan, TIMEOUT)
        with open(os.path.join(directory, 'serial.log'), 'w', encoding='utf-8') as f:
            f.write(' '.join(plan.argv) + '\n' + result.log)
        if not result.ok:
            return _tail('Linux did not reach userspace and power off', result, plan)
        problem = check(result.log, smp, gic, bootargs, mem_mib * MiB, version)
        return _tail(problem, result, plan) if problem else None
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


def cases(arch='arm64'):
    if arch != 'arm64':
        return []
    return [initramfs_case(),
            boot_case(2, 3),
            boot_case(2, 2),
            boot_case(1, 3, mem_mib=256,
                      bootargs=linux.DEFAULT_BOOTARGS + ' quiet hypcore.case=bootargs,1')]
