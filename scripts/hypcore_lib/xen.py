"""Debian's Xen 4.17 on the same QEMU machine, for side-by-side runs with hypcore.

`./hypcore run --hypervisor xen` boots Xen where `./hypcore run` boots hypcore:
the same -M virt machine (plus its=off and -nic none, so that no DMA bypasses
stage-2), the same --module files through QEMU's guest-loader (which writes the
/chosen/module@... nodes Xen reads; the first is dom0's kernel), the hypervisor
command line as -append.  The run is over when dom0 powers the machine off.

How Xen is loaded: Debian's xen-hypervisor-4.17-arm64 ships /boot/xen-4.17-arm64,
an arm64 Image (magic "ARM\\x64" at 56, text_offset 0, with a PE header for EFI)
that QEMU's -kernel loads at RAM_BASE + 2 MiB (text_offset 0) and enters at
EL2 with x0 = DTB;
xen-hypervisor-4.17-armhf ships /boot/xen-4.17-armhf, a zImage (magic
0x016f2818 at 0x24) that -kernel loads at RAM_BASE + 0x10000 and enters in HYP
mode with r2 = DTB.  Both find their console from /chosen/stdout-path
(console=dtuart; QEMU 7.2's DT has no serial0 alias).

QEMU's -kernel puts its DTB at RAM_BASE + 128 MiB (qemu.py's module docstring):
a module there is overwritten, and Xen then fails to set up dom0 without saying
why.  Modules therefore go from qemu.MODULE_BASE up, as for hypcore.
"""
import os
import re

from .common import BUILD, RAM_BASE, MiB, Failure, say
from . import build, qemu

# Per target: Debian package, Debian architecture, the file inside the .deb.
PACKAGES = {
    'arm64': ('xen-hypervisor-4.17-arm64', 'arm64', 'boot/xen-4.17-arm64'),
    'arm32': ('xen-hypervisor-4.17-armhf', 'armhf', 'boot/xen-4.17-armhf'),
}

# Xen's command line when the user gives none: the console from stdout-path,
# dom0's RAM (Xen needs dom0_mem), and every message.
DEFAULT_ARGS = 'console=dtuart dom0_mem=64M loglvl=all'

# The payload's own bootargs when no --module is given: probe RAM_BASE, the
# first 2 MiB that Xen (loaded just above, or over it on arm32) keeps for
# itself: it is never dom0's RAM, nor mapped into dom0.
PAYLOAD_PROBE = RAM_BASE
PAYLOAD_BOOTARGS = f'console=hvc0 probe={PAYLOAD_PROBE:#x}'

# The run is complete when the payload says so and QEMU exits 0 (SYSTEM_OFF).
END_MARKER = 'payload: done'
# Xen's own fatal lines (it reboots afterwards: -no-reboot makes QEMU exit).
PANIC_RE = re.compile(r'\(XEN\) (Panic on CPU|\*\*\*\* PANIC)|payload: unexpected exception')
XEN_PREFIX = '(XEN) '
# Xen prints its banner about 0.2 s after QEMU starts (measured, -smp 1 to 4,
# with and without -icount).  Once in a full `./hypcore test` (1 run of 286;
# not reproduced in 500 runs in a loop, alone or on a loaded machine) Xen 4.17
# printed nothing at all for 90 s.  Xen is the reference here, not what is
# tested: a start that stays silent this long is retried once, and says so.
XEN_SILENCE_LIMIT = 20.0

# What Xen says about dom0's memory ("BANK[0] 0x...-0x... (64MB)", end exclusive).
BANK_RE = re.compile(r'\(XEN\) BANK\[(\d+)\] (0x[0-9a-f]+)-(0x[0-9a-f]+) ')
PAYLOAD_RE = re.compile(r'payload: .*')


def deps_dir(arch):
    return os.path.join(build.DEPS, 'xen-' + PACKAGES[arch][1])


def fetch(arch):
    """Download Debian's Xen for `arch` (once) and unpack it; return the image's path.

    Through build.fetch_deb: the same private apt list directory as libfdt's,
    which knows the foreign architectures; the .deb is only unpacked into
    build/deps."""
    package, deb_arch, inside = PACKAGES[arch]
    return build.fetch_deb(package, deb_arch, deps_dir(arch), inside)


def payload_path(arch):
    return os.path.join(BUILD, arch, 'tests', 'payload', 'payload.bin')


def default_modules(arch):
    """The test payload as dom0's kernel, probing an address Xen keeps."""
    return [qemu.Module(path=payload_path(arch), bootargs=PAYLOAD_BOOTARGS)]


def check(spec):
    """None if Xen can run on spec's machine, else why not."""
    if spec.arch == 'arm32' and spec.gic == 3:
        # Measured: Xen 4.17 for armhf prints nothing at all with GICv3 (QEMU 7.2).
        return '--hypervisor xen --arch arm32 needs --gic 2 (Xen 4.17 on arm32 hangs with GICv3)'
    return None


def plan(spec, xen_image):
    """A qemu.Plan that boots Xen with spec's machine, modules and command line."""
    problem = check(spec)
    if problem:
        raise Failure(problem)
    argv = qemu._machine_argv(spec)
    machine = argv.index('-M') + 1
    argv[machine] += ',its=off' if spec.gic == 3 else ''
    if spec.arch == 'arm32' and 'highmem=off' not in argv[machine]:
        argv[machine] += ',highmem=off'
    placer = qemu.Placer(RAM_BASE, qemu.ram_end(spec))
    # Xen itself and QEMU's DTB (at RAM_BASE + 128 MiB, 2 MiB with slack).
    placer.take(RAM_BASE, 130 * MiB, 'Xen and QEMU\'s DTB')
    notes = []
    argv += ['-kernel', xen_image, '-append', spec.hyp_args or DEFAULT_ARGS]
    argv += qemu._module_argv(spec, placer, notes)
    argv += list(spec.qemu_args)
    return qemu.Plan(argv=argv, load=RAM_BASE, notes=notes,
                     end_marker=END_MARKER, panic_re=PANIC_RE,
                     silence_limit=XEN_SILENCE_LIMIT)


def run(spec, timeout, echo=False):
    """Fetch Xen, boot it with spec and return the qemu.Result."""
    if not spec.modules:
        spec.modules = default_modules(spec.arch)
    the_plan = plan(spec, fetch(spec.arch))
    for note in the_plan.notes:
        say(note)
    result = qemu.boot(the_plan, timeout, echo=echo)
    if result.outcome == 'silent':
        say(f'Xen printed nothing in {XEN_SILENCE_LIMIT:g} s (its banner takes about '
            '0.2 s): starting it once more')
        result = qemu.boot(the_plan, timeout, echo=echo)
        result.reason += ' (on the second start: the first printed nothing)'
    return result


def payload_lines(log):
    """The payload's lines of a serial log, prefix included, in order.

    The same for a hypcore run as for a Xen run: Xen writes dom0's console_io
    bytes raw; anything before "payload: " on a line (a hypervisor's own prefix,
    or its output interleaved) is dropped."""
    return [m.group(0).rstrip('\r') for m in map(PAYLOAD_RE.search, log.split('\n')) if m]


def dom0_banks(log):
    """dom0's RAM as Xen reports it: [(start, end exclusive)] in bank order."""
    banks = {}
    for m in BANK_RE.finditer(log):
        banks[int(m.group(1))] = (int(m.group(2), 16), int(m.group(3), 16))
    return [banks[i] for i in sorted(banks)]
