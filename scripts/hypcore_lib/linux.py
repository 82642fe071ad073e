"""Debian's Linux 6.1 as dom0: `./hypcore run --dom0 linux` (issues 11, 12).

What it boots: Debian 12's arm64 kernel (the `linux-image-arm64` meta package
depends on the current `linux-image-6.1.0-N-arm64`; its /boot/vmlinuz-* is an
uncompressed EFI-stub Image), or with --arch arm32 the armhf
`linux-image-armmp-lpae` zImage (on GICv2 and QEMU's board with highmem=off:
shape()), and an initramfs built here around `busybox-static`'s /bin/busybox.  Both packages are fetched with
`apt-get download` (the private apt list directory of build.fetch_libfdt) and
unpacked with `dpkg -x` into build/deps; once there, no network is needed.

The initramfs is a newc cpio written here (no cpio package): /bin/busybox,
/bin/sh, /dev/console (a character device node, which an unprivileged cpio
writer can describe but not create; the kernel opens it for init's stdio
before /init runs) and /init, a busybox sh script that prints machine-readable
lines, each starting with "linux: ":

    linux: version 6.1.0-N-arm64          uname -r
    linux: el EL1                         dmesg: "CPU: All CPU(s) started at EL1"
                                          (arm32: "linux: el SVC", from "... started
                                          in SVC mode")
    linux: cmdline ...                    /proc/cmdline as it is
    linux: iomem-ram 0xSTART-0xEND        each top-level "System RAM" of
                                          /proc/iomem (END inclusive, as there)
    linux: nproc N                        CPUs online
    linux: timer CHIP HWIRQ COUNTS...     /proc/interrupts' arch_timer line
    linux: gic CHIP                       the interrupt chip serving it
                                          ("GICv3", or "GIC-0" for a GICv2)
    linux: hotplug cpuN off ok on ok online 0-M
                                          each secondary CPU taken offline
                                          (PSCI CPU_OFF, AFFINITY_INFO) and
                                          back (CPU_ON); /sys's online list after
    linux: vuln NAME TEXT                 each file of /sys/devices/system/
                                          cpu/vulnerabilities
    linux: probe ADDR status S pc 0xPC fault TEXT
                                          with hypcore.probe=ADDR,... on the
                                          command line: devmem's exit status
                                          reading ADDR, and the pc and text of
                                          Linux's "unhandled exception" line
    linux: userspace ok

and then `poweroff -f` (PSCI SYSTEM_OFF, which ends the run), or with
--dom0-shell an interactive shell on the serial console first.

The run (qemu.Plan.end_needs_dom0_off) succeeds only when "linux: userspace ok"
appeared and dom0 then powered the machine off.
"""
import glob
import gzip
import os
import re
import stat

from .common import Failure
from . import build, qemu

# Debian architecture and the meta package whose dependency names the kernel.
DEB_ARCH = {'arm64': 'arm64', 'arm32': 'armhf'}
# arm32: the LPAE flavour, the one Debian builds with CONFIG_XEN (Linux's Xen
# support on arm32 depends on ARM_LPAE), which earlycon=xenboot needs.
KERNEL_META = {'arm64': 'linux-image-arm64', 'arm32': 'linux-image-armmp-lpae'}
BUSYBOX = 'busybox-static'

# dom0's kernel command line when no --module is given (dom0.md): the PL011 is
# passed through (console=ttyAMA0); the early log goes through console_io
# (earlycon=xenboot works without a xen,xen node); /init is our script.
DEFAULT_BOOTARGS = 'console=ttyAMA0 earlycon=xenboot rdinit=/init'
# hypcore's command line: dom0's RAM (measured: 512 MiB boots in ~3 s).
DEFAULT_HYP_ARGS = 'dom0_mem=512M'
# Under Xen 4.17 (./hypcore run --hypervisor xen --dom0 linux), measured: the
# PL011 is Xen's console and is not in dom0's DT, so console=ttyAMA0 gives
# dom0 no console; hvc0 (Xen's PV console, over console_io and an event
# channel, which Xen's xen,xen node provides) works, and so does xenboot.
XEN_BOOTARGS = 'console=hvc0 earlycon=xenboot rdinit=/init'
XEN_HYP_ARGS = 'console=dtuart loglvl=all dom0_mem=512M'
# Bootargs that work under both (side by side): the last console= is the
# preferred one; under Xen ttyAMA0 does not exist and hvc0 takes /dev/console,
# under hypcore hvc0 never registers (no Xen) and ttyAMA0 does.
BOTH_BOOTARGS = 'console=hvc0 console=ttyAMA0 earlycon=xenboot rdinit=/init'
# Xen's own fatal lines (xen.py's PANIC_RE without its payload part).
XEN_PANIC_RE = re.compile(r'\(XEN\) (Panic on CPU|\*\*\*\* PANIC)')
# hypcore keeps modules out of dom0's RAM, so 1 GiB is tight next to 512 MiB of dom0.
DEFAULT_MEM = 2 << 30

END_MARKER = 'linux: userspace ok'
LINE_RE = re.compile(r'linux: .*')
# Linux's own fatal lines: a panic ends the run at once instead of at the timeout.
PANIC_RE = re.compile(r'PANIC|Kernel panic - not syncing')

INIT_SCRIPT = r'''#!/bin/sh
# hypcore's dom0 initramfs (scripts/hypcore_lib/linux.py): report, then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "linux: version $(uname -r)"
# arm64 says "started at EL1", arm32 "started in SVC mode".
el=$(dmesg | sed -n -e 's/.*CPU: All CPU(s) started at \(EL[0-9]\).*/\1/p' \
    -e 's/.*CPU: All CPU(s) started in \([A-Z]*\) mode.*/\1/p' | head -n 1)
echo "linux: el ${el:-unknown}"
echo "linux: cmdline $(cat /proc/cmdline)"
grep ': System RAM$' /proc/iomem | grep -v '^ ' | while read range rest; do
    echo "linux: iomem-ram 0x${range%-*}-0x${range#*-}"
done
n=$(grep -c '^processor' /proc/cpuinfo)
echo "linux: nproc $n"
awk -v n="$n" '/arch_timer/ {
    counts = ""; for (i = 2; i <= n + 1; i++) counts = counts " " $i
    print "linux: timer " $(n + 2) " " $(n + 3) counts
    print "linux: gic " $(n + 2) }' /proc/interrupts
# CPU hotplug: Linux takes CPUs down with PSCI CPU_OFF, polls AFFINITY_INFO
# until the hypervisor says off, and brings them back with CPU_ON.
for cpu in /sys/devices/system/cpu/cpu[1-9]*; do
    [ -w "$cpu/online" ] || continue
    echo 0 > "$cpu/online" && off=ok || off=failed
    echo 1 > "$cpu/online" && on=ok || on=failed
    echo "linux: hotplug ${cpu##*/} off $off on $on online $(cat /sys/devices/system/cpu/online)"
done
# Isolation: each address of hypcore.probe=A,B,... (the test passes pages of
# hypcore's own memory) read through /dev/mem (STRICT_DEVMEM allows it: not
# RAM to this kernel, no driver's).  hypcore refuses it at stage 2 and gives
# Linux Xen's abort (ISS 0, which Linux reads as FSC 0 and answers with
# SIGKILL); exception-trace=1 makes Linux say so in dmesg (default 0 on arm64:
# silent), and the console log level is lowered meanwhile so that the
# register dump stays in dmesg.  arm32 has no exception-trace: it always says
# "Unhandled fault: NAME (FSR) at VA" and never gives the pc; the abort Xen
# gives there (DFSR 0x222, a debug event) is one Linux's breakpoint code claims,
# and devmem dies of SIGTRAP.
probes=$(sed -n 's/.*hypcore\.probe=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
if [ -n "$probes" ]; then
    [ -w /proc/sys/debug/exception-trace ] && echo 1 > /proc/sys/debug/exception-trace
    dmesg -n 1
fi
for addr in $probes; do
    dmesg -c > /dev/null
    devmem "$addr" 32 > /dev/null 2>&1; status=$?
    pc=$(dmesg | sed -n 's/.*\] pc : 0*\([0-9a-f]*\)$/\1/p' | head -n 1)
    fault=$(dmesg | sed -n -e 's/.*unhandled exception: \(.*\) in .*/\1/p' \
        -e 's/.*Unhandled fault: \(.*\) at 0x[0-9a-f]*$/\1/p' | head -n 1)
    echo "linux: probe $addr status $status pc 0x${pc:-none} fault ${fault:-none}"
done
[ -n "$probes" ] && dmesg -n 7
# What Linux concluded from the hypervisor's SMCCC_ARCH_FEATURES answers.
for f in /sys/devices/system/cpu/vulnerabilities/*; do
    echo "linux: vuln ${f##*/} $(cat "$f")"
done
echo "linux: userspace ok"
@SHELL@
poweroff -f
'''
SHELL_LINES = ('echo "linux: interactive shell (exit to power off)"\n'
               'setsid cttyhack sh')


def deps_dir(what, arch):
    return os.path.join(build.DEPS, f'{what}-{DEB_ARCH[arch]}')


def kernel_package(arch):
    """The real kernel package the meta package depends on (linux-image-6.1.0-N-arm64)."""
    build.apt_update()
    meta = f'{KERNEL_META[arch]}:{DEB_ARCH[arch]}'
    proc = build._run(['apt-cache'] + build.apt_options() + ['depends', meta], f'apt-cache depends {meta}',
                      check=False)
    names = re.findall(r'Depends: (linux-image-[0-9][^:\s]*)', proc.stdout)
    if not names:
        raise Failure(f'cannot resolve {meta} to a kernel package (no network? '
                      f'apt-cache said: {proc.stdout.strip().splitlines()[-1:]})')
    return names[0]


def _download(package, arch, dest, inside):
    return build.fetch_deb(package, DEB_ARCH[arch], dest, inside)


def fetch(arch='arm64'):
    """(kernel Image, busybox) for `arch`, downloaded and unpacked once.

    Offline, what build/deps already holds is used; without it, one Failure line."""
    if arch not in DEB_ARCH:
        raise Failure(f'--dom0 linux: no Debian kernel package known for --arch {arch} '
                      f'(known: {", ".join(sorted(DEB_ARCH))})')
    try:
        with build.deps_lock():
            return _fetch(arch)
    except Failure as e:
        # One line: what failed (not its whole command) and apt's own error.
        text = str(e).splitlines()
        what = text[0].split(' failed (')[0]
        errors = [line for line in text[1:] if line.startswith('E:')] or text[1:] or ['']
        raise Failure(f'cannot fetch Debian\'s Linux for dom0: {what} failed '
                      f'({errors[-1].strip()}); build/deps needs the network once') from None


def _fetch(arch):
    kdir = deps_dir('linux', arch)
    kernel = sorted(glob.glob(os.path.join(kdir, 'boot', 'vmlinuz-*')))
    if not kernel:
        kernel = [_download(kernel_package(arch), arch, kdir, 'boot/vmlinuz-*')]
    busybox = _download(BUSYBOX, arch, deps_dir('busybox', arch), 'bin/busybox')
    return kernel[-1], busybox


# newc cpio (the kernel's Documentation/driver-api/early-userspace/buffer-format.rst):
# a 110-byte ASCII header, the name with its NUL, each padded to 4 bytes.
def _newc(ino, mode, name, data=b'', rdev=(0, 0)):
    name_b = name.encode() + b'\0'
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    head = b'070701' + b''.join(b'%08X' % v for v in fields)
    out = head + name_b
    out += bytes(-len(out) % 4) + data
    return out + bytes(-len(out) % 4)


def cpio(entries):
    """A newc archive of (name, mode, data, rdev) entries, ending with TRAILER!!!."""
    out = b''.join(_newc(i + 1, mode, name, data, rdev)
                   for i, (name, mode, data, rdev) in enumerate(entries))
    return out + _newc(0, 0, 'TRAILER!!!')


def init_script(shell=False):
    return INIT_SCRIPT.replace('@SHELL@', SHELL_LINES if shell else '')


def initramfs(busybox, dest, shell=False, compress=True):
    """Write dom0's initramfs to dest (gzip'd unless compress is False); return dest."""
    with open(busybox, 'rb') as f:
        bb = f.read()
    d, x = stat.S_IFDIR | 0o755, stat.S_IFREG | 0o755
    entries = [(name, d, b'', (0, 0)) for name in ('bin', 'sbin', 'dev', 'proc', 'sys',
                                                    'tmp', 'usr', 'usr/bin', 'usr/sbin')]
    entries += [('dev/console', stat.S_IFCHR | 0o600, b'', (5, 1)),
                ('bin/busybox', x, bb, (0, 0)),
                ('bin/sh', stat.S_IFLNK | 0o777, b'busybox', (0, 0)),
                ('init', x, init_script(shell).encode(), (0, 0))]
    data = cpio(entries)
    if compress:
        data = gzip.compress(data, compresslevel=6, mtime=0)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest + '.tmp', 'wb') as f:
        f.write(data)
    os.replace(dest + '.tmp', dest)
    return dest


def modules(arch, workdir, bootargs=DEFAULT_BOOTARGS, shell=False):
    """The guest-loader modules for Linux as dom0: kernel (with bootargs), initramfs."""
    kernel, busybox = fetch(arch)
    name = 'initramfs-shell.cpio.gz' if shell else 'initramfs.cpio.gz'
    initrd = initramfs(busybox, os.path.join(workdir, name), shell=shell)
    return [qemu.Module(path=kernel, bootargs=bootargs), qemu.Module(path=initrd)]


# arm32: GICv2 (the cortex-a15's own GIC; Xen 4.17 armhf hangs with a GICv3), and
# QEMU's board with highmem=off as Xen armhf needs it: every device below 4 GiB.
DEFAULT_GIC = {'arm64': 3, 'arm32': 2}


def default_gic(arch):
    return DEFAULT_GIC[arch]


def shape(spec):
    """The machine Linux as dom0 runs on for spec.arch: arm32's board with
    highmem=off (so the same board under hypcore and under Xen)."""
    if spec.arch == 'arm32':
        spec.highmem = False
    return spec


# QEMU's arm32 virt board with highmem=off puts RAM at 1 GiB and ends it below
# 4 GiB: 3 GiB at most.
ARM32_LOWMEM_MAX = 3 << 30


def check(spec):
    """None if Linux as dom0 can run on spec's machine, else why not."""
    if spec.arch == 'arm32' and spec.mem > ARM32_LOWMEM_MAX:
        return (f'--mem {spec.mem >> 20}M: arm32 Linux as dom0 runs on QEMU\'s board with '
                f'highmem=off (as Xen armhf needs), which takes at most 3 GiB (--mem 3G)')
    return None


def setup_spec(spec, workdir, shell=False, hypervisor='hypcore'):
    """Fill in what `--dom0 linux` implies where the user said nothing: the modules
    (any --module wins), dom0_mem, 2 GiB of RAM; QEMU gets its=off (no DMA from
    the ITS bypassing stage 2; -nic none is there for every run).  Under Xen:
    dom0's console is hvc0 and Xen's command line xen.DEFAULT_ARGS' with
    dom0_mem=512M."""
    xen = hypervisor == 'xen'
    shape(spec)
    if not spec.modules:
        spec.modules = modules(spec.arch, workdir, shell=shell,
                               bootargs=XEN_BOOTARGS if xen else DEFAULT_BOOTARGS)
    if xen and not spec.hyp_args:
        spec.hyp_args = XEN_HYP_ARGS
    if 'dom0_mem=' not in (spec.hyp_args or ''):
        spec.hyp_args = ' '.join(filter(None, [spec.hyp_args, DEFAULT_HYP_ARGS]))
    return spec


def expect_linux(plan_, hypervisor='hypcore'):
    """Make a QEMU plan a Linux dom0 run: its=off on the -M option (GICv3: the
    ITS writes its tables by DMA, which stage 2 does not confine), and the end
    condition "linux: userspace ok" then, under hypcore, dom0's power-off
    (hypcore's "dom0: SYSTEM_OFF requested"; Xen only says "Hardware Dom0
    halted", and QEMU's exit 0 after the marker is the end there)."""
    machine = plan_.argv.index('-M') + 1
    if 'gic-version=3' in plan_.argv[machine] and 'its=' not in plan_.argv[machine]:
        plan_.argv[machine] += ',its=off'
    plan_.end_marker = END_MARKER
    if hypervisor == 'xen':
        plan_.panic_re = re.compile(f'{PANIC_RE.pattern}|{XEN_PANIC_RE.pattern}')
    else:
        plan_.end_needs_dom0_off = True
        plan_.panic_re = PANIC_RE
    return plan_


def lines(log):
    """The initramfs's "linux: ..." lines of a serial log, in order."""
    return [m.group(0).rstrip('\r') for m in map(LINE_RE.search, log.split('\n')) if m]
