"""QEMU runs of hypcore: where things go in RAM, the command line per loader, and
watching the serial log until hypcore finishes, fails or times out.

What QEMU 7.2 does with each way of loading (measured here with probe images
that print their PC, x0 and the word at x0; see also shared/qemu-facts.md):

* -kernel with an arm64 Image: loaded at RAM_BASE + text_offset; a
  text_offset below 4 KiB gets +2 MiB, so RAM_BASE itself is out of reach.
  x0 = DTB, which QEMU puts at ALIGN_UP(max(RAM_BASE + min(mem/2, 128 MiB),
  load + image_size), 2 MiB) and refuses to start ("Not enough space for DTB
  after kernel/initrd") when its 1 MiB no longer fits below the end of RAM.
* -kernel with an ELF: segments at p_paddr, entry converted to physical,
  x0 = 0.  QEMU writes its DTB at RAM_BASE only when the ELF starts at or
  above RAM_BASE + 1 MiB (the DTB's size); below that there is no DTB in RAM
  at all, and nothing else is written at RAM_BASE.
* -device loader (generic): without -kernel, QEMU writes its 1 MiB DTB at
  RAM_BASE as a ROM blob and refuses any loader file that overlaps it ("Some
  ROM regions are overlapping").  `-device loader,addr=A,cpu-num=0` sets
  CPU0's PC to A, and it wins over an ELF -kernel entry point whichever comes
  first on the command line.
* RAM base (or any image in the first MiB) therefore works as: the image as
  an ELF -kernel with p_paddr moved to the load address (so QEMU writes no DTB
  at RAM_BASE), plus our boot stub (tests/payloads/boot-stub-<arch>.S) and a
  DTB dumped with -machine dumpdtb=, each put elsewhere with a generic loader,
  and a cpu-num=0 loader that starts CPU0 in the stub, which sets x0 = DTB
  and branches to the image.  The same stub carries a custom DTB or hypervisor
  arguments for the generic loader (QEMU's -append needs -kernel).
* U-Boot (-bios): it relocates itself, its heap, stack and DTB copy into the
  top ~36 MiB of RAM (bdinfo on 1 GiB: reserved from 0x7ddb2000, DTB copied to
  0x7dcaf000), so images must stay below that.  booti with flags bit 3 runs the
  image at ALIGN_UP(addr - text_offset, 2 MiB) + text_offset: a copy whose
  text_offset is load % 2 MiB runs in place.  In the first MiB (QEMU's DTB
  blob) the image is staged higher and copied down with cp.b.  booti writes
  the bootargs environment variable into the DTB's /chosen.

arm32 (qemu-system-arm, cortex-a15, HYP mode) differs in three places:

* -kernel with a raw image always loads it at RAM_BASE + 0x10000 whatever
  its header says, r2 = DTB, which QEMU puts at ALIGN_UP(max(RAM_BASE +
  min(mem/2, 128 MiB), load + file size), 4 KiB) (4 KiB, not 2 MiB, on arm32).
  So the kernel loader can only load there; other addresses need elf/generic.
* U-Boot runs "bootz LOAD - ${fdtcontroladdr}" (zImage header), in place.
* QEMU's arm32 virt board takes at most 8 CPUs with GICv2 (hypcore's arm32
  slice stays at 8 with either GIC).
ELF, generic loader and the boot stub (r2 = DTB) work as on arm64.
"""
import codecs
import dataclasses
import os
import re
import select
import shutil
import struct
import subprocess
import threading
import time

from .common import (END_MARKER, HYP_PREFIX, MiB, GiB, PAGE, QEMU_DTB_SIZE, RAM_BASE, TOP,
                     Failure, align_down, align_up, overlaps, parse_int, qemu_size)
from . import build, gdb as gdbs, image as images

QEMU = {'arm64': 'qemu-system-aarch64', 'arm32': 'qemu-system-arm'}
CPU = {'arm64': 'cortex-a57', 'arm32': 'cortex-a15'}
UBOOT_BIOS = {'arm64': '/usr/lib/u-boot/qemu_arm64/u-boot.bin',
              'arm32': '/usr/lib/u-boot/qemu_arm/u-boot.bin'}
STUB_MAGIC = {'arm64': b'hcstub64', 'arm32': b'hcstub32'}

LOADERS = ('kernel', 'elf', 'generic', 'uboot')
# arm32: QEMU's -kernel loads a raw image here and nowhere else.
ARM32_KERNEL_LOAD = RAM_BASE + 0x10000
ARM32_MAX_CPUS = 8
UBOOT_BOOT_COMMAND = {'arm64': 'booti', 'arm32': 'bootz'}
# U-Boot keeps the top of RAM for itself (see the module docstring); leave a margin.
UBOOT_TOP_RESERVE = 64 * MiB
# QEMU's -kernel puts the initrd/DTB no lower than this far into RAM.
KERNEL_DTB_FLOOR = 128 * MiB
BLOCK_2M = 2 * MiB
# Default guest-loader addresses start here (as in the QEMU facts) and go up.
MODULE_BASE = RAM_BASE + 256 * MiB
# The RTC's date under -icount (Debian 12's release day).
ICOUNT_RTC_BASE = '2023-06-10T00:00:00'
# hypcore accepts a DTB of up to 2 MiB (include/layout.h FDT_MAX_SIZE).
DTB_SLOT = 2 * MiB

# Lines that end a run early: hypcore has failed and parks.
PANIC_RE = re.compile(r'PANIC')
EARLY_FAIL_RE = re.compile(r'^- .+ -$')
# A self-test that ran and failed ("selftest pt: cpu1 FAILED (...)", "selftest heap:
# FAILED ..."): the run fails even though the boot completes.
SELFTEST_FAILED_RE = re.compile(r'selftest [\w-]+: (?:\S+ )?FAILED')
# A trap dump (arch/*/traps.c): its first line names the CPU, its last says it parked.
TRAP_HEAD_RE = re.compile(r'trap: .* exception .* on cpu(\d+)\s*$')
TRAP_CLASS_RE = re.compile(r'trap: EC=')
TRAP_OVERFLOW_RE = re.compile(r'trap: stack overflow: cpu(\d+) ')
TRAP_PARKED_RE = re.compile(r'trap: cpu(\d+) parked')
# dom0's life as hypcore reports it (xen-like/dom0_build.c, vpsci.c,
# arch/*/guest.c): a run that entered dom0 ends when dom0 powers off.
DOM0_ENTER_RE = re.compile(r'dom0: entering (EL1|SVC) at 0x[0-9a-f]+ on cpu0')   # arm64 | arm32
DOM0_EXIT_RE = re.compile(r'dom0: (SYSTEM_OFF|SYSTEM_RESET) requested')
DOM0_CRASH_RE = re.compile(r'dom0: crashed')
# U-Boot: back at its prompt after the boot command, or one of its errors.
UBOOT_PROMPT = '=> '
UBOOT_ERROR_RE = re.compile(r'(Bad Linux ARM(64)? Image magic|Wrong Image Format|Unknown command|'
                            r'ERROR|Error|FDT_ERR|Could not find|not found|Bad (data|header))')
# How long to keep reading after a failure line (for the rest of a dump) and
# how long QEMU may take to exit after the end marker (PSCI SYSTEM_OFF).
FAIL_GRACE = 1.5
POWEROFF_GRACE = 5.0


@dataclasses.dataclass
class Module:
    """A boot module for QEMU's guest-loader (the first is dom0's kernel)."""
    path: str
    addr: int = None
    bootargs: str = None

    @classmethod
    def parse(cls, text):
        """FILE[@ADDR][,bootargs=...] (bootargs runs to the end and may hold commas)."""
        spec, has_args, bootargs = text.partition(',bootargs=')
        path, has_addr, addr = spec.rpartition('@')
        if not has_addr:
            path, addr = spec, ''
        if not os.path.isfile(path):
            raise Failure(f'--module {text}: no such file {path!r}')
        return cls(path=os.path.abspath(path), addr=parse_int(addr) if addr else None,
                   bootargs=bootargs if has_args else None)

    @property
    def size(self):
        return os.path.getsize(self.path)


@dataclasses.dataclass
class RunSpec:
    """Everything ./hypcore run takes (the test suites build these too)."""
    arch: str = 'arm64'
    layout: str = 'default'
    load: int = None            # None: the ELF's p_paddr
    loader: str = 'kernel'
    smp: int = 1
    mem: int = GiB
    gic: int = 3
    modules: list = dataclasses.field(default_factory=list)
    dtb: str = None
    icount: bool = False
    gdb: bool = False           # start halted, gdb stub on gdb_port (gdb.py)
    gdb_port: int = gdbs.DEFAULT_PORT
    virt: bool = True
    qemu_args: list = dataclasses.field(default_factory=list)
    hyp_args: str = ''
    # The generic loader's stub passes this as the DTB pointer (x0 / r2) instead
    # of where it put the DTB: hostile-loader experiments (a pointer outside RAM).
    dtb_pointer: int = None
    # False: -M highmem=off (arm32 Linux as dom0, linux.py: the board Xen armhf
    # needs, with every device below 4 GiB; at most 3 GiB of RAM then).
    highmem: bool = True


@dataclasses.dataclass
class Plan:
    """A ready QEMU command line and what the runner knows about the boot."""
    argv: list
    load: int                   # physical address of the image's first byte
    dtb_file: str = None        # the DTB hypcore reads, when the runner made it
    dtb_addr: int = None        # where that DTB is (or QEMU's, when known)
    console: list = dataclasses.field(default_factory=list)   # (expect, send) for U-Boot
    notes: list = dataclasses.field(default_factory=list)
    machine_argv: list = dataclasses.field(default_factory=list)  # for -machine dumpdtb=
    expect_trap: object = None  # the ExpectedTrap the hypervisor arguments ask for
    end_marker: str = END_MARKER  # the line that completes the run (xen.py: the payload's)
    panic_re: object = None     # fatal lines (None: hypcore's PANIC_RE)
    # The run is complete only when the end marker appeared AND dom0 then
    # powered off (linux.py: Linux's /init says "linux: userspace ok", then
    # poweroff -f); otherwise either one is enough.
    end_needs_dom0_off: bool = False
    # Seconds after which a run that has printed nothing at all ends with
    # outcome 'silent' (xen.py: Xen prints its banner within a second).
    silence_limit: float = None
    # A line that ends the run at once, as 'stopped' (linuxsuite: a first boot
    # that only needs hypcore's dom0 lines, killed before dom0 runs).
    stop_re: object = None


class Placer:
    """Physical RAM with the ranges already taken; finds room for new ones."""

    def __init__(self, ram_start, ram_end):
        self.ram_start, self.ram_end = ram_start, ram_end
        self.taken = []

    def take(self, start, size, what):
        self.taken.append((start, start + size, what))

    def is_free(self, start, size):
        return (self.ram_start <= start and start + size <= self.ram_end
                and not any(overlaps(start, start + size, s, e) for s, e, _ in self.taken))

    def find(self, size, align, what, prefer=None):
        """The first free aligned slot at or above `prefer`, else from RAM start."""
        starts = [align_up(prefer if prefer is not None else self.ram_start, align),
                  align_up(self.ram_start, align)]
        for first in starts:
            for addr in range(first, self.ram_end - size + 1, align):
                if self.is_free(addr, size):
                    self.take(addr, size, what)
                    return addr
        raise Failure(f'no free {size:#x} bytes in RAM for {what}')


def ram_end(spec):
    return RAM_BASE + spec.mem


def kernel_dtb_addr(load, img, spec):
    """Where QEMU's -kernel puts the DTB for an Image at `load` (module docstring)."""
    floor = RAM_BASE + min(spec.mem // 2, KERNEL_DTB_FLOOR)
    if spec.arch == 'arm32':
        # QEMU only knows the file's size and aligns the DTB to 4 KiB on arm32.
        return align_up(max(floor, load + img.file_size), PAGE)
    return align_up(max(floor, load + img.image_size), BLOCK_2M)


def uboot_top(spec):
    """Highest end address an image may have under U-Boot."""
    return min(ram_end(spec), 4 * GiB) - UBOOT_TOP_RESERVE


def check_load(loader, load, img, spec):
    """None if `loader` can put `img` at `load`, else the reason it cannot."""
    end = ram_end(spec)
    if load % PAGE:
        return f'load address {load:#x} is not 4 KiB aligned'
    if not RAM_BASE <= load or load + img.footprint > end:
        return (f'the image ({img.footprint:#x} bytes with BSS) does not fit at {load:#x} '
                f'in RAM {RAM_BASE:#x}-{end:#x}')
    if loader == 'kernel' and spec.arch == 'arm32':
        if load != ARM32_KERNEL_LOAD:
            return (f'--loader kernel on arm32 can only load at {ARM32_KERNEL_LOAD:#x} (QEMU '
                    f'loads a raw arm32 image there whatever its header says); for '
                    f'{load:#x} use --loader generic or --loader elf')
        if kernel_dtb_addr(load, img, spec) + QEMU_DTB_SIZE > end:
            return '--loader kernel: no room for QEMU\'s DTB in RAM (use --loader generic)'
    elif loader == 'kernel':
        if load - RAM_BASE < PAGE:
            return ('--loader kernel cannot load at the RAM base: QEMU adds 2 MiB to a '
                    'text_offset below 4 KiB (use --loader generic)')
        if kernel_dtb_addr(load, img, spec) + QEMU_DTB_SIZE > end:
            return (f'--loader kernel: QEMU needs room for its DTB after the image; the image '
                    f'must end by {align_down(end - QEMU_DTB_SIZE, BLOCK_2M):#x} '
                    f'(use --loader generic)')
    if loader == 'uboot' and load + img.footprint > uboot_top(spec):
        return (f'--loader uboot: U-Boot keeps the top of RAM; the image must end by '
                f'{uboot_top(spec):#x}')
    return None


def default_load(img, loader=None):
    """The ELF's own load address (p_paddr of the first segment); for the kernel
    loader on arm32, the one address QEMU loads a raw arm32 image at."""
    if loader == 'kernel' and img.arch == 'arm32':
        return ARM32_KERNEL_LOAD
    return images.elf_load_start(img.elf)


def check_machine(spec):
    """None if QEMU can build this machine for spec.arch, else why not."""
    if spec.arch == 'arm32' and spec.smp > ARM32_MAX_CPUS:
        return (f'--smp {spec.smp}: hypcore on arm32 runs at most {ARM32_MAX_CPUS} CPUs '
                '(QEMU\'s arm32 virt board with GICv2)')
    if spec.smp < 1:
        return f'--smp {spec.smp}: at least one CPU'
    return None


def _machine_argv(spec):
    """QEMU options that shape the machine (and so its DTB), without loaders."""
    machine = (f'virt,virtualization={"on" if spec.virt else "off"},'
               f'gic-version={spec.gic}' + ('' if spec.highmem else ',highmem=off'))
    argv = [QEMU[spec.arch], '-M', machine, '-cpu', CPU[spec.arch], '-smp', str(spec.smp),
            '-m', qemu_size(spec.mem), '-nographic', '-nic', 'none', '-no-reboot']
    if spec.icount:
        # Deterministic: instruction counting, QEMU's random numbers (the DTB's
        # kaslr-seed and rng-seed), and the PL031 RTC counting virtual time
        # from a fixed date rather than reading the host's clock (Linux
        # prints the time it sets from it).
        argv += ['-icount', 'shift=0,sleep=off', '-seed', '1',
                 '-rtc', f'base={ICOUNT_RTC_BASE},clock=vm']
    return argv


def _qemu_opt(value):
    """Escape a value for QEMU's -device option syntax (a comma is doubled)."""
    return str(value).replace(',', ',,')


def _module_argv(spec, placer, notes):
    argv = []
    for index, mod in enumerate(spec.modules):
        if mod.addr is None:
            mod = dataclasses.replace(mod, addr=placer.find(
                align_up(mod.size, PAGE), BLOCK_2M, f'module {mod.path}', MODULE_BASE))
            notes.append(f'module {os.path.basename(mod.path)} at {mod.addr:#x}')
        else:
            placer.take(mod.addr, align_up(mod.size, PAGE), f'module {mod.path}')
        kind = 'kernel' if index == 0 else 'initrd'
        opt = f'guest-loader,addr={mod.addr:#x},{kind}={_qemu_opt(mod.path)}'
        if mod.bootargs is not None:
            opt += f',bootargs={_qemu_opt(mod.bootargs)}'
        argv += ['-device', opt]
    return argv


def _loader_file(path, addr):
    return ['-device', f'loader,file={_qemu_opt(path)},addr={addr:#x},force-raw=on']


def _loader_pc(addr):
    return ['-device', f'loader,addr={addr:#x},cpu-num=0']


def dump_dtb(machine_argv, dest, timeout=20):
    """Have QEMU write the DTB it would build for these options (-machine dumpdtb=)."""
    if os.path.exists(dest):
        os.unlink(dest)
    proc = subprocess.run(machine_argv + ['-machine', f'dumpdtb={dest}'],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if not os.path.exists(dest):
        raise Failure(f'QEMU did not dump its DTB: {proc.stdout.strip()}')
    return dest


def _fdtput_bootargs(dtb, args):
    proc = subprocess.run(['fdtput', '-t', 's', dtb, '/chosen', 'bootargs', args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise Failure(f'cannot set /chosen/bootargs in {dtb}: {proc.stdout.strip()}')


def _stub(arch, workdir, dtb_addr, entry):
    """A copy of the boot stub with the DTB and entry addresses patched in."""
    src = os.path.join(build.cross_dir(arch), 'tests', 'payloads', f'boot-stub-{arch}.bin')
    if not os.path.exists(src):
        raise Failure(f'{src} is missing (built by tests/payloads/meson.build)')
    with open(src, 'rb') as f:
        data = bytearray(f.read())
    if data[8:16] != STUB_MAGIC[arch]:
        raise Failure(f'{src}: no {STUB_MAGIC[arch].decode()} magic at byte 8')
    struct.pack_into('<QQ', data, 16, dtb_addr, entry)
    dest = os.path.join(workdir, 'boot-stub.bin')
    with open(dest, 'wb') as f:
        f.write(data)
    return dest


def _plan_kernel(spec, img, load, workdir, plan, placer):
    if spec.arch == 'arm32':
        # QEMU loads it at ARM32_KERNEL_LOAD as it is (check_load made sure load is that).
        copy = img.bin
    else:
        copy = images.patch_text_offset(img.bin, os.path.join(workdir, 'hypcore-kernel.bin'),
                                        load - RAM_BASE)
    plan.argv += ['-kernel', copy]
    plan.dtb_addr = kernel_dtb_addr(load, img, spec)
    placer.take(RAM_BASE, PAGE, "QEMU's boot stub")
    placer.take(plan.dtb_addr, QEMU_DTB_SIZE, "QEMU's DTB")
    _kernel_args_tail(spec, plan, placer)


def _kernel_args_tail(spec, plan, placer):
    """What both -kernel loaders add: hypervisor arguments (QEMU writes them to
    /chosen/bootargs), a -dtb, and the guest-loader modules."""
    if spec.hyp_args:
        plan.argv += ['-append', spec.hyp_args]
    if spec.dtb:
        plan.argv += ['-dtb', spec.dtb]
    plan.argv += _module_argv(spec, placer, plan.notes)


def _plan_elf(spec, img, load, workdir, plan, placer):
    copy = images.shift_elf(img.elf, os.path.join(workdir, 'hypcore-elf'), load)
    plan.argv += ['-kernel', copy]
    if load >= RAM_BASE + QEMU_DTB_SIZE:
        plan.dtb_addr = RAM_BASE
        placer.take(RAM_BASE, QEMU_DTB_SIZE, "QEMU's DTB")
    else:
        plan.notes.append('an ELF below RAM base + 1 MiB gets no DTB from QEMU: '
                          'hypcore will find none')
    _kernel_args_tail(spec, plan, placer)


def _plan_generic(spec, img, load, workdir, plan, placer):
    low = load < RAM_BASE + QEMU_DTB_SIZE
    if not (low or spec.dtb or spec.hyp_args or spec.dtb_pointer is not None):
        # Plain recipe: x0 = 0, hypcore reads QEMU's DTB at its board default.
        placer.take(RAM_BASE, QEMU_DTB_SIZE, "QEMU's DTB")
        plan.argv += _loader_file(img.bin, load) + _loader_pc(load)
        plan.argv += _module_argv(spec, placer, plan.notes)
        plan.dtb_addr = RAM_BASE
        return
    # Stub recipe (module docstring): our DTB and stub elsewhere, PC in the stub.
    if low:
        plan.argv += ['-kernel', images.shift_elf(img.elf, os.path.join(workdir, 'hypcore-elf'),
                                                  load)]
        plan.notes.append('image in the first MiB: loaded as an ELF -kernel so that QEMU '
                          'writes no DTB over it')
    else:
        placer.take(RAM_BASE, QEMU_DTB_SIZE, "QEMU's DTB (unused)")
        plan.argv += _loader_file(img.bin, load)
    modules = _module_argv(spec, placer, plan.notes)
    plan.argv += modules
    dtb = os.path.join(workdir, 'hypcore.dtb')
    if spec.dtb:
        shutil.copyfile(spec.dtb, dtb)
    else:
        dump_dtb(plan.machine_argv + modules, dtb)
    if spec.hyp_args:
        _fdtput_bootargs(dtb, spec.hyp_args)
    size = max(align_up(os.path.getsize(dtb), BLOCK_2M), DTB_SLOT)
    plan.dtb_addr = placer.find(size, BLOCK_2M, 'the DTB', RAM_BASE + KERNEL_DTB_FLOOR)
    stub_addr = placer.find(PAGE, PAGE, 'the boot stub', plan.dtb_addr + size)
    plan.argv += _loader_file(dtb, plan.dtb_addr)
    pointer = plan.dtb_addr if spec.dtb_pointer is None else spec.dtb_pointer
    plan.argv += _loader_file(_stub(spec.arch, workdir, pointer, load), stub_addr)
    plan.argv += _loader_pc(stub_addr)
    plan.dtb_file = dtb
    plan.notes.append(f'boot stub at {stub_addr:#x}, DTB at {plan.dtb_addr:#x}'
                      + ('' if pointer == plan.dtb_addr else f', DTB pointer {pointer:#x}'))


def _plan_uboot(spec, img, load, workdir, plan, placer):
    if img.arch == 'arm64' and not img.flags & images.FLAG_ANYWHERE:
        raise Failure('--loader uboot: the Image header lacks the "anywhere" flag, so booti '
                      'would move it to a 2 MiB boundary + text_offset')
    plan.argv += ['-bios', UBOOT_BIOS[spec.arch]]
    placer.take(RAM_BASE, QEMU_DTB_SIZE, "QEMU's DTB (U-Boot reads it first)")
    placer.take(uboot_top(spec), ram_end(spec) - uboot_top(spec), 'U-Boot')
    copy = images.patch_text_offset(img.bin, os.path.join(workdir, 'hypcore-uboot.bin'),
                                    load % BLOCK_2M)
    commands = []
    if load < RAM_BASE + QEMU_DTB_SIZE:
        stage = placer.find(align_up(img.file_size, PAGE), BLOCK_2M, 'the staged image',
                            RAM_BASE + KERNEL_DTB_FLOOR)
        commands.append(f'cp.b {stage:#x} {load:#x} {img.file_size:#x}')
        plan.notes.append(f'image staged at {stage:#x} and copied down by U-Boot')
    else:
        stage = load
    plan.argv += _loader_file(copy, stage)
    plan.argv += _module_argv(spec, placer, plan.notes)
    fdt = '${fdtcontroladdr}'
    if spec.dtb:
        fdt_addr = placer.find(DTB_SLOT, BLOCK_2M, 'the DTB', RAM_BASE + KERNEL_DTB_FLOOR)
        plan.argv += _loader_file(spec.dtb, fdt_addr)
        fdt = f'{fdt_addr:#x}'
    if spec.hyp_args:
        commands.append(f'setenv bootargs {_uboot_quote(spec.hyp_args)}')
    commands.append(f'{UBOOT_BOOT_COMMAND[spec.arch]} {load:#x} - {fdt}')
    plan.console = [('Hit any key to stop autoboot', ' ')] + [('=> ', c + '\r') for c in commands]


def _uboot_quote(text):
    """Quote for U-Boot's hush shell: single quotes (no $ expansion) where possible."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text and '$' not in text:
        return f'"{text}"'
    raise Failure("--loader uboot: hypervisor arguments cannot hold both ' and \" (or ' and $)")


PLANNERS = {'kernel': _plan_kernel, 'elf': _plan_elf, 'generic': _plan_generic,
            'uboot': _plan_uboot}


def plan(spec, img, workdir):
    """The QEMU command line for `spec`, after checking the load address."""
    load = default_load(img, spec.loader) if spec.load is None else spec.load
    problem = check_machine(spec) or check_load(spec.loader, load, img, spec)
    if problem:
        raise Failure(problem)
    os.makedirs(workdir, exist_ok=True)
    machine = _machine_argv(spec)
    result = Plan(argv=list(machine), load=load, machine_argv=machine,
                  expect_trap=expected_trap(spec.hyp_args))
    placer = Placer(RAM_BASE, ram_end(spec))
    placer.take(load, img.footprint, 'the hypcore image')
    PLANNERS[spec.loader](spec, img, load, workdir, result, placer)
    if spec.dtb and spec.modules and spec.loader in ('generic', 'uboot'):
        result.notes.append('--dtb is passed as it is: it does not describe the --module '
                            'files (QEMU adds them only to its own DTB or a -dtb one)')
    if spec.gdb:
        result.argv += gdbs.qemu_argv(spec.gdb_port)
    result.argv += spec.qemu_args
    return result


# QEMU processes still running, so that an interrupted ./hypcore leaves none behind.
_live = set()
_live_lock = threading.Lock()
_stopping = False


def kill_all():
    """Kill every QEMU this process started that is still running; start no more."""
    global _stopping
    with _live_lock:
        _stopping = True
        for proc in list(_live):
            if proc.poll() is None:
                proc.kill()


@dataclasses.dataclass(frozen=True)
class ExpectedTrap:
    """The one trap dump a self-test provokes on purpose."""
    cpu: int
    overflow: bool          # the dump says the CPU hit its stack guard page
    boot_goes_on: bool      # the other CPUs finish the boot (end marker, power-off)
    option: str

    def describe(self):
        return f'the trap dump on cpu{self.cpu} that {self.option} asks for'


def expected_trap(hyp_args):
    """The trap dump that the hypervisor command line's selftest= asks for, or None.

    The last selftest= wins, as in hypcore's own parser (common/cmdline.c).
    selftest=fault: the boot CPU faults and parks, so the boot never ends;
    selftest=stack-overflow:N, selftest=stack-overflow-big:N (frames that
    jump past the guard page): CPU N overflows and parks, the boot goes on."""
    value = None
    for token in (hyp_args or '').split():
        if token.startswith('selftest='):
            value = token[len('selftest='):]
    if value == 'fault':
        return ExpectedTrap(0, False, False, 'selftest=fault')
    m = re.fullmatch(r'stack-overflow(?:-big)?:(\d+)', value or '')
    if m:
        return ExpectedTrap(int(m.group(1)), True, True, f'selftest={value}')
    return None


@dataclasses.dataclass
class Result:
    """How a QEMU run ended."""
    ok: bool
    outcome: str        # complete, expected-trap, panic, early-failure, trap, uboot, selftest,
                        # timeout, exited, no-poweroff, stopped, silent
    reason: str
    log: str
    seconds: float
    exited: bool        # QEMU exited by itself (rather than being killed by the runner)

    def lines(self):
        return [line.rstrip('\r') for line in self.log.split('\n')]


@dataclasses.dataclass
class _Trap:
    """What the serial log showed of one CPU's trap dump."""
    cpu: int
    class_line: str = None
    overflow: bool = False
    parked: bool = False
    dumps: int = 1


class _Watcher:
    """Follows the serial log line by line and decides when the run is over.

    Every trap dump counts: one that the command line's self-test did not ask
    for is a failure even when the other CPUs finish the boot, and the one it
    asked for must appear, complete, on the right CPU."""

    def __init__(self, expect=None, end_marker=END_MARKER, panic_re=None, needs_both=False,
                 stop_re=None):
        self.end_marker = end_marker
        self.stop_re = stop_re
        self.stopped = None     # the stop_re line, once seen
        self.needs_both = needs_both
        self.panic_re = panic_re or PANIC_RE
        self.partial = ''
        self.end_seen = False
        self.failure = None     # (outcome, line)
        self.expect = expect
        self.traps = {}         # cpu -> _Trap
        self.current = None     # the CPU whose dump is being printed
        self.expected_done = False
        self.dom0_entered = False
        self.dom0_exited = False

    @property
    def done(self):
        """The run has reached its end (the marker, dom0's power-off, or both)."""
        if self.needs_both:
            return self.end_seen and self.dom0_exited
        return self.end_seen or self.dom0_exited

    def feed(self, text):
        self.partial += text
        *lines, self.partial = self.partial.split('\n')
        for line in lines:
            self._line(line.rstrip('\r'))

    def _fail(self, outcome, line):
        if self.failure is None:
            self.failure = (outcome, line)

    def _line(self, line):
        if self.stop_re is not None and self.stopped is None and self.stop_re.search(line):
            self.stopped = line
        if line.strip().startswith(self.end_marker):
            self.end_seen = True
        elif DOM0_ENTER_RE.search(line):
            self.dom0_entered = True
        elif DOM0_EXIT_RE.search(line):
            self.dom0_exited = True
        elif DOM0_CRASH_RE.search(line):
            self._fail('dom0-crash', line)
        elif self.panic_re.search(line):
            self._fail('panic', line)
        elif EARLY_FAIL_RE.match(line):
            self._fail('early-failure', line)
        elif SELFTEST_FAILED_RE.search(line):
            self._fail('selftest', line)
        elif (m := TRAP_HEAD_RE.search(line)):
            cpu = int(m.group(1))
            if cpu in self.traps:
                self.traps[cpu].dumps += 1
            else:
                self.traps[cpu] = _Trap(cpu)
            self.current = cpu
        elif TRAP_CLASS_RE.search(line) and self.current in self.traps:
            self.traps[self.current].class_line = line
        elif (m := TRAP_OVERFLOW_RE.search(line)) and int(m.group(1)) in self.traps:
            self.traps[int(m.group(1))].overflow = True
        elif (m := TRAP_PARKED_RE.search(line)):
            self._parked(int(m.group(1)), line)

    def _parked(self, cpu, line):
        trap = self.traps.setdefault(cpu, _Trap(cpu))
        trap.parked = True
        problem = self.trap_problem(cpu)
        if problem is None:
            self.expected_done = not self.expect.boot_goes_on
        else:
            detail = (trap.class_line or line).replace(HYP_PREFIX, '').strip()
            self._fail('trap', f'{problem} ({detail})')

    def trap_problem(self, cpu=None):
        """None when the dumps seen (of `cpu`, or all) are exactly what was asked for."""
        want = self.expect
        for trap in ([self.traps[cpu]] if cpu is not None else self.traps.values()):
            if want is None or trap.cpu != want.cpu:
                return f'unexpected trap dump on cpu{trap.cpu}'
            if trap.dumps != 1:
                return f'{trap.dumps} trap dumps on cpu{trap.cpu}, expected one'
            if trap.overflow != want.overflow:
                return (f'the trap dump on cpu{trap.cpu} '
                        + ('is not' if want.overflow else 'is') + ' a stack overflow')
            if not trap.parked:
                return f'the trap dump on cpu{trap.cpu} was cut short (no "parked" line)'
        if cpu is None and want is not None and want.cpu not in self.traps:
            return f'{want.describe()} did not appear'
        return None


class _UBootWatch:
    """Recognises a U-Boot that failed: an error line after the first command,
    or its prompt again after the boot command, before "Starting kernel"."""

    def __init__(self):
        self.first_command = None   # log position after the first command was sent
        self.boot_command = None    # ... after the boot command was sent
        self.kernel_started = False

    def check(self, log):
        if self.first_command is None or self.kernel_started:
            return None
        window = log[self.first_command:]
        started = window.find('Starting kernel')
        if started >= 0:
            self.kernel_started = True
            window = window[:started]
        # The first line is the echo of the first command, and each later
        # command echoes after a prompt: what the user typed is not an error.
        for line in window.split('\n')[1:-1]:
            if not line.startswith(UBOOT_PROMPT) and UBOOT_ERROR_RE.search(line):
                return line.strip()
        if self.boot_command is not None and not self.kernel_started:
            if ('\n' + UBOOT_PROMPT) in log[self.boot_command:]:
                return 'U-Boot returned to its prompt after the boot command'
        return None


def boot(plan_, timeout, echo=False, stop=None, interactive=False):
    """Run QEMU, feed U-Boot its commands, and classify the end of the run.

    ok when hypcore printed its end marker and QEMU then exited with 0
    (PSCI SYSTEM_OFF) with no trap dump on any CPU, or when exactly the trap
    dump the command line's self-test asks for appeared (plan_.expect_trap).
    A panic, an early-failure line ("- ... -"), a trap dump's "parked" line
    nobody asked for, or a U-Boot error ends the run after a short grace
    period (hypcore parks there); QEMU is killed then, at the timeout (None:
    wait for ever, for --gdb), and once the threading.Event `stop` is set
    (outcome stopped), or as soon as a line matches plan_.stop_re (stopped
    too).  interactive: QEMU reads this process's stdin (the
    serial console's input; --dom0-shell).
    """
    start = time.monotonic()
    with _live_lock:
        if _stopping:
            raise Failure('interrupted')
        stdin = (subprocess.PIPE if plan_.console else None if interactive
                 else subprocess.DEVNULL)
        proc = subprocess.Popen(plan_.argv, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=TOP)
        _live.add(proc)
    watcher = _Watcher(plan_.expect_trap, plan_.end_marker, plan_.panic_re,
                       plan_.end_needs_dom0_off, plan_.stop_re)
    uboot = _UBootWatch()
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    console = list(plan_.console)
    log, console_pos = '', 0
    last_output = time.monotonic()
    outcome = None
    try:
        while outcome is None:
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if ready:
                data = os.read(proc.stdout.fileno(), 65536)
                if data:
                    text = decoder.decode(data)
                    log += text
                    last_output = time.monotonic()
                    if echo:
                        print(text, end='', flush=True)
                    watcher.feed(text)
                    console_pos = _drive_console(proc, console, log, console_pos, uboot,
                                                 len(plan_.console))
                    error = uboot.check(log)
                    if error:
                        watcher._fail('uboot', error)
                    if watcher.stopped is not None:     # now, while output keeps coming
                        outcome = _outcome(proc, watcher, start, last_output, timeout)
                    continue
                proc.wait(timeout=POWEROFF_GRACE)
            outcome = _outcome(proc, watcher, start, last_output, timeout)
            if (outcome is None and not log and plan_.silence_limit is not None
                    and time.monotonic() - start > plan_.silence_limit):
                outcome = ('silent', f'no output at all in {plan_.silence_limit:g} s')
            if outcome is None and stop is not None and stop.is_set():
                outcome = ('stopped', 'stopped by the caller')
    finally:
        exited = proc.poll() is not None
        if not exited:
            proc.kill()
        proc.wait()
        with _live_lock:
            _live.discard(proc)
    return _result(outcome, exited, proc.returncode, log, time.monotonic() - start)


def _drive_console(proc, console, log, pos, uboot, total):
    """Send U-Boot the next command once its expected prompt has appeared."""
    while console:
        expect, send = console[0]
        found = log.find(expect, pos)
        if found < 0:
            break
        pos = found + len(expect)
        proc.stdin.write(send.encode())
        proc.stdin.flush()
        console.pop(0)
        if len(console) == total - 2 and uboot.first_command is None:
            uboot.first_command = pos       # the first command after the autoboot key
        if not console:
            uboot.boot_command = pos
    return pos


def _outcome(proc, watcher, start, last_output, timeout):
    """None while the run goes on, else (outcome, reason)."""
    now = time.monotonic()
    if watcher.stopped is not None:
        return ('stopped', f'stopped at {watcher.stopped.strip()!r}')
    if proc.poll() is not None:
        if watcher.failure:
            return watcher.failure
        if watcher.needs_both and watcher.dom0_exited and not watcher.end_seen:
            return ('exited', f'dom0 powered off before "{watcher.end_marker}"')
        if watcher.done:
            problem = watcher.trap_problem()
            if problem:
                return ('trap', problem)
            what = ('the end marker' if not watcher.dom0_exited else 'dom0 powered off'
                    if not watcher.end_seen else
                    f'"{watcher.end_marker}", then dom0 powered off' if watcher.needs_both
                    else 'the end marker')
            return ('complete', what) if proc.returncode == 0 else \
                ('exited', f'QEMU exited with status {proc.returncode} after {what}')
        if watcher.dom0_entered:
            return ('exited', f'QEMU exited with status {proc.returncode} while dom0 ran '
                    '(no SYSTEM_OFF/SYSTEM_RESET line)')
        return ('exited', f'QEMU exited with status {proc.returncode} before the end marker')
    if watcher.failure and now - last_output > FAIL_GRACE:
        return watcher.failure
    if watcher.expected_done and now - last_output > FAIL_GRACE:
        return ('expected-trap', watcher.expect.describe())
    if watcher.done and now - last_output > POWEROFF_GRACE:
        return ('no-poweroff', 'QEMU did not exit after the end marker (no SYSTEM_OFF?)')
    if timeout is not None and now - start > timeout:
        return ('timeout', f'timed out after {timeout} s')
    return None


def _result(outcome, exited, returncode, log, seconds):
    kind, reason = outcome
    if kind == 'complete':
        return Result(True, kind, reason if reason.startswith('dom0') or reason.startswith('"')
                      else 'boot complete', log, seconds, exited)
    if kind == 'expected-trap':
        return Result(True, kind, reason + ' appeared', log, seconds, exited)
    if kind in ('panic', 'early-failure', 'trap', 'uboot', 'dom0-crash', 'selftest'):
        reason = f'{kind}: {reason.strip()}'
    elif kind == 'exited' and returncode and log.strip():
        reason += ': ' + log.strip().splitlines()[-1]
    return Result(False, kind, reason, log, seconds, exited)
