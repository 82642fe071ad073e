"""Issue 3 in QEMU: the boot memory map, the heap and selftest=heap, against
model.memory_model.

Each case boots once and checks what hypcore printed against the model of its
inputs: RAM, /memreserve/ and /reserved-memory and the modules as the DTB
hypcore was given says (read with the dtc tools from the runner's own DTB, or
from QEMU's, dumped with the same command line), the image at the load
address with the Image header's image_size, and the DTB at the address the
runner's placement model gives with its header's totalsize.  The heap:
figures are recomputed from those inputs and, separately, from the ranges
hypcore printed.

  mem:modules-*   guest-loader modules (file sizes not page multiples) in the
                  middle of RAM, adjacent, touching the image and the DTB, at
                  the very end of RAM, over the DTB and partly outside RAM
  mem:banks-*     a custom DTB (generic loader, passed unchanged): several banks
                  with a hole, /reserved-memory with and without no-map,
                  /memreserve/, modules described only in the DTB
  mem:size:*      -m 1G, 4G, 16G: the heap's total is every RAM page
  mem:no-memory*  a DTB without a usable memory node: one PANIC line, no end
  sweep           (./hypcore sweep --suite heap) seeded random module layouts
"""
import dataclasses
import os
import random
import re
import subprocess

from .common import END_MARKER, GiB, MiB, PAGE, QEMU_DTB_SIZE, RAM_BASE, Failure
from . import image as images, model, qemu, results
from .suites import Case, check_model_decision, run_qemu, with_log, workdir

HEAP_SELFTEST = 'selftest=heap'
NO_MEMORY_RE = re.compile(r'PANIC.*no usable memory node')


# ---------------------------------------------------------------- inputs

def module_file(directory, index, size):
    """A module file of exactly `size` bytes (its contents do not matter to hypcore)."""
    path = os.path.join(directory, f'module{index}-{size:#x}.bin')
    with open(path, 'wb') as f:
        f.write(bytes((i * 13 + index) & 0xff for i in range(size)))
    return path


def modules_at(directory, placements):
    """qemu.Module for each (addr, size): the first is dom0's kernel."""
    mods = []
    for index, (addr, size) in enumerate(placements):
        mods.append(qemu.Module(module_file(directory, index, size), addr=addr,
                                bootargs='console=hvc0' if index == 0 else None))
    return mods


def input_dtb(plan, directory):
    """The DTB hypcore reads: the runner's own, else QEMU's dumped with the same options."""
    if plan.dtb_file:
        return plan.dtb_file
    return qemu.dump_dtb(plan.argv, os.path.join(directory, 'qemu.dtb'))


def inputs_of(plan, img, directory):
    dtb = input_dtb(plan, directory)
    return dtb, model.memory_inputs(dtb, plan.dtb_addr, plan.load, img.image_size)


def check_spec_modules(spec, inputs):
    """Harness sanity: every --module is in the DTB with its file's exact size."""
    described = {(s, e) for s, e, _ in inputs.modules}
    missing = [f'{m.addr:#x}+{m.size:#x}' for m in spec.modules
               if (m.addr, m.addr + m.size) not in described]
    return f'modules missing from the DTB hypcore reads: {missing}' if missing else None


# ---------------------------------------------------------------- checks

def check_boot_memory(result, plan, img, spec, directory):
    """Decision line, DTB address, then the memory lines against the model."""
    problem = check_model_decision(result, plan, img)
    if problem:
        return problem
    _, inputs = inputs_of(plan, img, directory)
    problem = check_spec_modules(spec, inputs)
    if problem:
        return problem
    selftest = HEAP_SELFTEST in spec.hyp_args.split()
    return model.check_memory(result.log, inputs, selftest)


def check_all_online(result, plan, img, spec, directory):
    """Every CPU QEMU gave is online: a secondary's tables, stacks and data
    come from the heap, so a layout that pushes them somewhere a CPU cannot
    reach shows here (arm32 tables above 4 GiB did, as a timeout)."""
    count = results.parse_smp(result.log).count
    if count == (spec.smp, spec.smp):
        return None
    got = f'{count[0]} of {count[1]}' if count else 'no count of'
    return f'smp: {got} cpus online, want all {spec.smp}'


def mem_case(name, make_spec, extra=None):
    """Boot (make_spec(directory) gives the RunSpec), check the memory lines
    and that every CPU came online, then extra(result, plan, img, spec,
    directory) if given."""
    def run():
        directory = workdir(name + '-input')
        spec = make_spec(directory)
        plan, result, img = run_qemu(name, spec)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        for check in (check_boot_memory, check_all_online, extra):
            problem = check and check(result, plan, img, spec, directory)
            if problem:
                return with_log(problem, result, plan)
        return None
    return Case(name, run)


# ---------------------------------------------------------------- module layouts

def touching_spec(arch, directory):
    """Modules around the image, the DTB and each other (1 GiB, -kernel)."""
    img = images.load(arch, 'default')
    spec = qemu.RunSpec(arch=arch, smp=2, hyp_args=HEAP_SELFTEST)
    load = qemu.default_load(img, spec.loader)
    image_end = load + img.image_size
    dtb = qemu.kernel_dtb_addr(load, img, spec)
    ram_end = qemu.ram_end(spec)
    spec.modules = modules_at(directory, [
        (0x50000000, 0x4023),                   # middle of RAM, dom0 kernel
        (0x50004023, 0x2023),                   # starts at the kernel's exact end
        (image_end, 0x1801),                    # starts at load + image_size
        (load - 0x3005, 0x3005),                # ends at the load address
        (dtb + QEMU_DTB_SIZE, 0x1234),          # starts at the DTB's end
        (dtb - 0x777, 0x777),                   # ends where the DTB starts
        (dtb + QEMU_DTB_SIZE // 2, 0x1000),     # inside the DTB (its padding): refused
        (ram_end - 0x800, 0x1000),              # partly above RAM: refused
    ])
    return spec


def ram_end_spec(arch, directory):
    """A module ending exactly at the end of RAM, and one that keeps the
    frametable out of the highest free range (it no longer holds an aligned 4 MiB)."""
    spec = qemu.RunSpec(arch=arch, hyp_args=HEAP_SELFTEST)
    ram_end = qemu.ram_end(spec)
    spec.modules = modules_at(directory, [(ram_end - 0x2345, 0x2345),
                                          (ram_end - 6 * MiB + 0x800, 0x100)])
    return spec


# A DTB with banks, a hole and firmware reservations, inside 2 GiB of QEMU RAM
# (0x40000000-0xc0000000): two touching banks, one whose ends are not page
# aligned, overlapping ones, a disabled one; reservations in the hole, across
# a bank's end and outside RAM, a dynamic one (no reg: nothing to keep).  The
# frametable (2 MiB) fits neither the top bank's free pieces nor, aligned, the
# top of the next.  Modules are described in /chosen only (hypcore does not read their
# contents): around the banks and the reservations, one over another module,
# one in the hole, one over the image, and a zero-sized and a wrapping one.
BANKS_MEM = 2 * GiB
BANKS_MEMORY = '''
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x10000000>, <0x0 0x50000000 0x0 0x10000000>;
	};
	memory@70000000 {
		device_type = "memory";
		reg = <0x0 0x70000800 0x0 0x07fff000>;
	};
	memory@a0000000 {
		device_type = "memory";
		reg = <0x0 0xa0000000 0x0 0x00c00000>, <0x0 0xa0400000 0x0 0x100000>,
		      <0x0 0xa0b00000 0x0 0x200000>;
	};
	memory@b0000000 {
		device_type = "memory";
		status = "disabled";
		reg = <0x0 0xb0000000 0x0 0x01000000>;
	};
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		secure@71000000 { reg = <0x0 0x71000000 0x0 0x200000>; no-map; };
		shm@72000000 { reg = <0x0 0x72000000 0x0 0x1000>, <0x0 0x72100800 0x0 0x800>; };
		top@a0300000 { reg = <0x0 0xa0300000 0x0 0x900000>; no-map; };
		hole@68000000 { reg = <0x0 0x68000000 0x0 0x1000>; };
		edge@5ff00000 { reg = <0x0 0x5ff00000 0x0 0x200000>; no-map; };
		pool { size = <0x0 0x400000>; alignment = <0x0 0x200000>; reusable; };
	};
'''
BANKS_MEMRESERVE = ('/memreserve/ 0x5c000000 0x10000;\n'
                    '/memreserve/ 0x5c010000 0x3000;\n'        # touches the one above
                    '/memreserve/ 0x77fff000 0x2000;\n'        # across a bank's end
                    '/memreserve/ 0xc0000000 0x1000;\n')       # outside RAM
# (name, start, size, compatible kind)
BANKS_MODULES = (
    ('module@4ffff000', 0x4ffff000, 0x2123, 'multiboot,kernel'),   # across two touching banks
    ('module@71200000', 0x71200000, 0x345, 'multiboot,ramdisk'),   # at secure's end
    ('module@71100000', 0x71100000, 0x1000, 'multiboot,ramdisk'),  # inside secure: refused
    ('module@74000000', 0x74000000, 0x3000, 'multiboot,device-tree'),
    ('module@74002000', 0x74002000, 0x1000, 'multiboot,ramdisk'),  # over the one above
    ('module@68000000', 0x68000000, 0x1000, 'multiboot,ramdisk'),  # in the hole: refused
    ('module@77fff800', 0x77fff800, 0x1000, 'multiboot,ramdisk'),  # across a bank's end
    ('module@a0000800', 0xa0000800, 0x1000, 'multiboot,ramdisk'),  # top bank, 2 pages
    ('module@5c012fff', 0x5c012fff, 0x2, 'multiboot,ramdisk'),     # over a memreserve byte
    ('module@40000000', 0x40000000, 0x20000000, 'multiboot,ramdisk'),  # over the image
    ('module@50000000', 0x50000000, 0, 'multiboot,ramdisk'),       # zero-sized: dt warning
    ('module@fffffffffff00000', 0xfffffffffff00000, 0x200000, 'multiboot,ramdisk'),  # wraps
)


def _dts_of(dtb):
    return subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', dtb], check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def _compile(dts, dest):
    with open(dest + '.dts', 'w', encoding='utf-8') as f:
        f.write(dts)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dest, dest + '.dts'],
                   check=True)
    return dest


def _without_memory_nodes(dts):
    """QEMU's DTS without its memory node(s)."""
    return re.sub(r'\n\tmemory@[0-9a-f]+ \{.*?\n\t\};', '', dts, flags=re.S)


def _add_to_root(dts, text):
    return dts[:dts.rindex('};')] + text + '};\n'


def _cells(value):
    """A 64-bit number as two DTS cells."""
    return f'{value >> 32:#x} {value & 0xffffffff:#x}'


def banks_dtb(spec, dest):
    """QEMU's DTB for spec's machine with BANKS_* in place of its memory node."""
    base = qemu.dump_dtb(qemu._machine_argv(spec), dest + '.qemu')
    dts = _without_memory_nodes(_dts_of(base))
    dts = dts.replace('/dts-v1/;', '/dts-v1/;\n' + BANKS_MEMRESERVE, 1)
    modules = ''.join(
        f'\t\t{node} {{ compatible = "multiboot,module", "{kind}"; '
        f'reg = <{_cells(start)} {_cells(size)}>; }};\n'
        for node, start, size, kind in BANKS_MODULES)
    # Subnodes go after the properties: just before /chosen's closing brace.
    dts = re.sub(r'(\n\tchosen \{\n.*?\n)(\t\};)', lambda m: m.group(1) + modules + m.group(2),
                 dts, count=1, flags=re.S)
    if modules not in dts:
        raise Failure('no /chosen node in QEMU\'s DTB to add the modules to')
    return _compile(_add_to_root(dts, BANKS_MEMORY), dest)


def banks_spec(arch, directory):
    spec = qemu.RunSpec(arch=arch, loader='generic', mem=BANKS_MEM, smp=2,
                        hyp_args=HEAP_SELFTEST)
    spec.dtb = banks_dtb(spec, os.path.join(directory, 'banks.dtb'))
    return spec


def no_memory_dtb(spec, dest, disabled):
    """QEMU's DTB with no usable memory node: none at all, or one that is disabled."""
    base = qemu.dump_dtb(qemu._machine_argv(spec), dest + '.qemu')
    dts = _without_memory_nodes(_dts_of(base))
    if disabled:
        dts = _add_to_root(dts, '\tmemory@40000000 { device_type = "memory"; '
                           'status = "disabled"; reg = <0x0 0x40000000 0x0 0x40000000>; };\n')
    return _compile(dts, dest)


def no_memory_case(arch, disabled):
    name = 'mem:no-memory-node' + (':disabled' if disabled else '')

    def run():
        directory = workdir(name + '-input')
        spec = qemu.RunSpec(arch=arch, loader='generic')
        spec.dtb = no_memory_dtb(spec, os.path.join(directory, 'no-memory.dtb'), disabled)
        plan, result, _ = run_qemu(name, spec)
        lines = results.hyp_lines(result.log)
        panics = [line for line in result.lines() if 'PANIC' in line]
        if END_MARKER in result.log:
            return with_log('reached the end marker without RAM', result, plan)
        if len(panics) != 1 or not NO_MEMORY_RE.search(panics[0]):
            return with_log(f'expected one "PANIC ... no usable memory node" line, got '
                            f'{panics}', result, plan)
        if result.outcome != 'panic' or any(line.startswith(('heap:', 'smp:')) for line in lines):
            return with_log(f'expected hypcore to stop at the panic, got {result.outcome}',
                            result, plan)
        return None
    return Case(name, run)


def check_total_is_ram(mem):
    def check(result, plan, img, spec, directory):
        heap = results.parse_memory(result.log).heap
        want = mem // model.PAGE_SIZE
        if not heap or heap[0]['total'] != want:
            return f'heap total {heap and heap[0]["total"]}, expected every RAM page: {want}'
        return None
    return check


def size_case(arch, mem, selftest=True, loader='kernel', prefix='mem'):
    return mem_case(f'{prefix}:size:{mem // GiB}G' + ('+selftest' if selftest else '')
                    + ('' if loader == 'kernel' else f'/{loader}'),
                    lambda d: qemu.RunSpec(arch=arch, mem=mem, loader=loader,
                                           hyp_args=HEAP_SELFTEST if selftest else ''),
                    check_total_is_ram(mem))


def cases(arch):
    """The bounded set ./hypcore test runs."""
    return [
        mem_case('mem:modules-touching+selftest/smp2', lambda d: touching_spec(arch, d)),
        mem_case('mem:modules-ram-end+selftest', lambda d: ram_end_spec(arch, d)),
        mem_case('mem:banks-reserved+selftest/2G/generic/smp2', lambda d: banks_spec(arch, d)),
        size_case(arch, 1 * GiB), size_case(arch, 4 * GiB), size_case(arch, 16 * GiB),
        no_memory_case(arch, False), no_memory_case(arch, True),
    ]


# ---------------------------------------------------------------- sweep

SWEEP_MEMS = (1 * GiB, 2 * GiB, 4 * GiB)
SWEEP_SIZES = (1, 0x7ff, 0x1000, 0x1001, 0x4023, 0x10000, 0x123457)


def random_layout(rng, img, spec):
    """Up to 8 module (addr, size) that QEMU's guest-loader accepts (their files do
    not overlap each other or the image file), placed where the edges are:
    at and around the image, the DTB, RAM's end, each other, and anywhere."""
    load = qemu.default_load(img, spec.loader) if spec.load is None else spec.load
    dtb = qemu.kernel_dtb_addr(load, img, spec)
    end = qemu.ram_end(spec)
    files = [(load, load + img.file_size), (RAM_BASE, RAM_BASE + PAGE)]   # image, QEMU stub
    out = []
    for _ in range(rng.randint(1, 8)):
        size = rng.choice(SWEEP_SIZES + (rng.randint(1, 0x40000),))
        prev = out[-1] if out else None
        anchors = [load + img.image_size, load - size, dtb - size, dtb + QEMU_DTB_SIZE,
                   dtb + rng.randrange(0, QEMU_DTB_SIZE, 8), end - size,
                   end - rng.randint(1, size) if size > 1 else end - 1,
                   rng.randrange(RAM_BASE, end - size, 8),
                   rng.randrange(RAM_BASE, end, PAGE)]
        if prev:
            anchors += [prev[0] + prev[1], prev[0] - size]
        for _ in range(20):
            addr = rng.choice(anchors)
            if addr >= RAM_BASE and not any(addr < e and s < addr + size for s, e in files):
                files.append((addr, addr + size))
                out.append((addr, size))
                break
    return out


def sweep_case(arch, seed, index, img=None):
    """The seeded random layout `index` of `seed` (the name carries both)."""
    img = img or images.load(arch, 'default')
    rng = random.Random(f'{seed}:{index}')
    mem = rng.choice(SWEEP_MEMS)
    smp = rng.choice((1, 2))
    name = f'sweep:heap:seed{seed}#{index}/{mem // GiB}G'
    if arch != 'arm64':
        name = f'{arch}:{name}'

    def make(directory):
        spec = qemu.RunSpec(arch=arch, mem=mem, smp=smp, hyp_args=HEAP_SELFTEST)
        spec.modules = modules_at(directory, random_layout(rng, img, spec))
        return spec
    return mem_case(name, make)


def sweep_cases(arch, seed, count):
    """`count` seeded random layouts (reproducible: the name carries seed and index)."""
    img = images.load(arch, 'default')
    out = [sweep_case(arch, seed, index, img) for index in range(count)]
    prefix = 'mem' if arch == 'arm64' else f'{arch}:mem'
    for mem in SWEEP_SIZE_MEMS.get(arch, SWEEP_SIZE_MEMS['arm64']):
        out.append(size_case(arch, mem, prefix=prefix))
    out.append(size_case(arch, 2 * GiB, loader='generic', prefix=prefix))
    out += [uboot_selftest_case(arch, mem) for mem in (1 * GiB, 2 * GiB)]
    return out


# RAM sizes of the size cases in the heap sweep; arm32 RAM stops at -m 4G.
SWEEP_SIZE_MEMS = {'arm64': (1 * GiB, 2 * GiB, 3 * GiB, 4 * GiB, 8 * GiB, 16 * GiB),
                   'arm32': (1 * GiB, 2 * GiB, 3 * GiB, 4 * GiB)}


def uboot_selftest_case(arch, mem):
    """selftest=heap after U-Boot, which leaves its own data at the top of RAM,
    where the frametable goes.  U-Boot moves the DTB where the runner cannot
    model it, so only the self-test and the RAM total are checked here."""
    name = f'sweep:heap:uboot+selftest/{mem // GiB}G'
    if arch != 'arm64':
        name = f'{arch}:{name}'

    def run():
        spec = qemu.RunSpec(arch=arch, loader='uboot', mem=mem, hyp_args=HEAP_SELFTEST)
        plan, result, _ = run_qemu(name, spec)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        got = results.parse_memory(result.log)
        problems = [f'self-test problem: {line}' for line in got.selftest_problems]
        if got.selftest is None:
            problems.append('no "selftest heap: ok" line')
        if not got.heap or got.heap[0]['total'] != mem // model.PAGE_SIZE:
            problems.append(f'heap total is not every RAM page ({mem // model.PAGE_SIZE})')
        return with_log('\n'.join(problems), result, plan) if problems else None
    return Case(name, run)


# ---------------------------------------------------------------- bench

def icount_twice(name, spec, timeout=60):
    """Boot twice under -icount; (first result, whether both printed the same lines)."""
    spec = dataclasses.replace(spec, icount=True)
    runs = []
    for run in (1, 2):
        plan, result, _ = run_qemu(f'{name}#{run}', spec, timeout)
        if not result.ok:
            raise Failure(with_log(f'{name}: did not boot', result, plan))
        runs.append(result)
    first, second = (results.hyp_lines(r.log) for r in runs)
    return runs[0], first == second
