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
* QEMU's virt board takes at most 8 CPUs with GICv2, and with GICv3 512 on
  both arches (123 with highmem=off: the second redistributor region lies
  at 256 GiB); hypcore's arm32 slice of the SMP matrices stays at 8.
ELF, generic loader and the boot stub (r2 = DTB) work as on arm64.
"""
import dataclasses
import os
import shutil
import struct
import subprocess

from .common import (END_MARKER, MiB, GiB, PAGE, QEMU_DTB_SIZE, RAM_BASE,
                     Failure, align_down, align_up, overlaps, parse_int, qemu_size)
from . import build, gdb as gdbs, image as images
from .qemurun import (  # noqa: F401  re-exported: callers write qemu.boot, qemu.Result, ...
    DOM0_CRASH_RE, DOM0_ENTER_RE, DOM0_EXIT_RE, EARLY_FAIL_RE, ExpectedTrap, FAIL_GRACE,
    PANIC_RE, POWEROFF_GRACE, Result, SELFTEST_FAILED_RE, TRAP_CLASS_RE, TRAP_HEAD_RE,
    TRAP_OVERFLOW_RE, TRAP_PARKED_RE, UBOOT_ERROR_RE, UBOOT_PROMPT, _Trap, _UBootWatch,
    _Watcher, _drive_console, _outcome, _result, boot, expected_trap, kill_all)

QEMU = {'arm64': 'qemu-system-aarch64', 'arm32': 'qemu-system-arm'}
CPU = {'arm64': 'cortex-a57', 'arm32': 'cortex-a15'}
UBOOT_BIOS = {'arm64': '/usr/lib/u-boot/qemu_arm64/u-boot.bin',
              'arm32': '/usr/lib/u-boot/qemu_arm/u-boot.bin'}
STUB_MAGIC = {'arm64': b'hcstub64', 'arm32': b'hcstub32'}

LOADERS = ('kernel', 'elf', 'generic', 'uboot')
# arm32: QEMU's -kernel loads a raw image here and nowhere else.
ARM32_KERNEL_LOAD = RAM_BASE + 0x10000
# QEMU 7.2's virt board: CPUs by GIC version (GICv3 without highmem: 123).
QEMU_MAX_CPUS = {2: 8, 3: 512}
QEMU_MAX_CPUS_GIC3_LOWMEM = 123
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
    top = QEMU_MAX_CPUS.get(spec.gic, 8)
    if spec.gic == 3 and not spec.highmem:
        top = QEMU_MAX_CPUS_GIC3_LOWMEM
    if spec.smp > top:
        return (f'--smp {spec.smp}: QEMU\'s virt board takes at most {top} CPUs with GICv{spec.gic}'
                + ('' if spec.highmem or spec.gic != 3 else ' and highmem=off'))
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


def _module_argv(spec, placer, notes, placed=None):
    """The guest-loader options for spec's modules, each placed in RAM (its
    --module address, or a free 2 MiB-aligned one); the placed Modules are
    appended to @placed when given."""
    argv = []
    for index, mod in enumerate(spec.modules):
        if mod.addr is None:
            mod = dataclasses.replace(mod, addr=placer.find(
                align_up(mod.size, PAGE), BLOCK_2M, f'module {mod.path}', MODULE_BASE))
            notes.append(f'module {os.path.basename(mod.path)} at {mod.addr:#x}')
        else:
            placer.take(mod.addr, align_up(mod.size, PAGE), f'module {mod.path}')
        if placed is not None:
            placed.append(mod)
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
    _kernel_args_tail(spec, plan, placer, workdir)


def _kernel_args_tail(spec, plan, placer, workdir):
    """What both -kernel loaders add: hypervisor arguments (QEMU writes them to
    /chosen/bootargs), a -dtb (with the modules' nodes: see _add_module_nodes),
    and the guest-loader modules."""
    if spec.hyp_args:
        plan.argv += ['-append', spec.hyp_args]
    placed = []
    modules = _module_argv(spec, placer, plan.notes, placed)
    if spec.dtb:
        dtb = spec.dtb
        if placed:
            dtb = os.path.join(workdir, 'hypcore.dtb')
            shutil.copyfile(spec.dtb, dtb)
            _add_module_nodes(dtb, placed)
        plan.argv += ['-dtb', dtb]
    plan.argv += modules


def _fdt(*args):
    proc = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise Failure(f'{" ".join(args[:2])} {args[3] if len(args) > 3 else ""}: '
                      f'{proc.stdout.strip()}')
    return proc.stdout.strip()


def _add_module_nodes(dtb, modules):
    """Describe the --module files in a --dtb, as QEMU's guest-loader does in
    the DTB it builds itself: a given DTB replaces that one, and the
    guest-loader's nodes would be lost.  /chosen/module@<addr> with the
    multiboot compatibles (the first module the kernel, the next the
    ramdisk), reg in /chosen's cells (made 2/2 when /chosen has none) and
    bootargs.  A node the DTB already has at that address is left alone."""
    have = _fdt('fdtget', '-l', dtb, '/chosen').split()
    cells = []
    for prop in ('#address-cells', '#size-cells'):
        got = subprocess.run(['fdtget', dtb, '/chosen', prop], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
        if got.returncode != 0:
            _fdt('fdtput', '-t', 'u', dtb, '/chosen', prop, '2')
        cells.append(int(got.stdout) if got.returncode == 0 else 2)
    for index, mod in enumerate(modules):
        name = f'module@{mod.addr:x}'
        if name in have:
            continue
        node = '/chosen/' + name
        kind = 'multiboot,kernel' if index == 0 else 'multiboot,ramdisk'
        words = []
        for value, n in ((mod.addr, cells[0]), (mod.size, cells[1])):
            words += [(value >> (32 * (n - 1 - k))) & 0xffffffff for k in range(n)]
        _fdt('fdtput', '-c', dtb, node)
        _fdt('fdtput', '-t', 's', dtb, node, 'compatible', kind, 'multiboot,module')
        _fdt('fdtput', '-t', 'x', dtb, node, 'reg', *[f'{w:x}' for w in words])
        if mod.bootargs is not None:
            _fdt('fdtput', '-t', 's', dtb, node, 'bootargs', mod.bootargs)


def _plan_elf(spec, img, load, workdir, plan, placer):
    copy = images.shift_elf(img.elf, os.path.join(workdir, 'hypcore-elf'), load)
    plan.argv += ['-kernel', copy]
    if load >= RAM_BASE + QEMU_DTB_SIZE:
        plan.dtb_addr = RAM_BASE
        placer.take(RAM_BASE, QEMU_DTB_SIZE, "QEMU's DTB")
    else:
        plan.notes.append('an ELF below RAM base + 1 MiB gets no DTB from QEMU: '
                          'hypcore will find none')
    _kernel_args_tail(spec, plan, placer, workdir)


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
    placed = []
    modules = _module_argv(spec, placer, plan.notes, placed)
    plan.argv += modules
    dtb = os.path.join(workdir, 'hypcore.dtb')
    if spec.dtb:
        shutil.copyfile(spec.dtb, dtb)
        if placed:
            _add_module_nodes(dtb, placed)
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
    if spec.dtb and spec.modules and spec.loader == 'uboot':
        result.notes.append('--dtb is passed to U-Boot as it is: it does not describe the '
                            '--module files (QEMU adds their nodes only to the DTB it '
                            'builds itself)')
    if spec.gdb:
        result.argv += gdbs.qemu_argv(spec.gdb_port)
    result.argv += spec.qemu_args
    return result
