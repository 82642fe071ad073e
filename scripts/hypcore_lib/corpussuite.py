"""The hostile-DTB corpus (tests/corpus/manifest.toml): cases "corpus:*".

Each manifest entry says how its DTB is made and what hypcore must do with it:

  base = "qemu-arm64" | "qemu-arm32"   QEMU's own DTB for a fixed machine (dumped with
                                       -machine dumpdtb=, 1 GiB, 2 CPUs), as DTS text
  dts = "file.dts"                     or a source in tests/corpus/
  generate = "memory-nodes:N"          or generated text (see GENERATORS)
  then, on the DTS text, in this order:
  drop_memory = true                   remove the base's memory node(s)
  memreserve = ["ADDR SIZE", ...]      /memreserve/ entries (zero sizes included)
  sub = [["REGEX", "REPLACEMENT"]]     re.sub on the DTS
  root = "TEXT"  chosen = "TEXT"       inserted into / or /chosen
  and on the compiled DTB (dtc):
  patch = [["FIELD or OFFSET", VALUE]] a big-endian u32 written at a header field
                                       (magic, totalsize, off_dt_struct, ...), at
                                       "struct_start" (the root's FDT_BEGIN_NODE),
                                       "struct_end" (the FDT_END tag), "rsv_end" (the
                                       size word of the /memreserve/ terminator), or at
                                       a byte offset
  truncate = N                         keep the first N bytes of the file
  pa_bits, fdt_pa                      arch_paddr_bits() and where the DTB is (host runs)

  expect = "model"   the boot completes the memory set-up and every mem:/heap: figure
                     equals model.memory_model of the DTB's inputs (banks beyond pa_bits
                     dropped, modules there refused); the model is read from the DTB
                     with the dtc tools, or given by the generator
  expect = "refuse"  no heap: line; a line matches `line`
  lines = [REGEX]    each must match some line; absent = [REGEX]: none may
  qemu = true        also boot it in QEMU (generic loader, the DTB passed unchanged)
                     and check the same expectations against the serial log;
                     qemu_only: not on the host (CPU bring-up, faults, arm32's PSCI);
                     qemu_lines: more regexes for the QEMU log; qemu_cpu / qemu_pa_bits:
                     another -cpu and the width it gives; timeout: seconds

The host runs go through build/host/tests/unit/dt-boot (tests/unit/dt-boot.c: the
real DT -> memory map -> heap -> PSCI code) with every host case of the manifest
in one process; a crash there (ASSERT, ASan) reruns them one by one to name it.
"""
import dataclasses
import os
import re
import subprocess
import tomllib

from .common import BUILD, GiB, TOP, Failure
from . import model, qemu
from .suites import Case, run_qemu, with_log

CORPUS_DIR = os.path.join(TOP, 'tests', 'corpus')
MANIFEST = os.path.join(CORPUS_DIR, 'manifest.toml')
OUT = os.path.join(BUILD, 'corpus')
DT_BOOT = os.path.join(BUILD, 'host', 'tests', 'unit', 'dt-boot')

# The host runs' fixed inputs: where the DTB and the image are (in QEMU's RAM).
HOST_FDT_PA = 0x48000000
HOST_IMAGE = (0x40200000, 0x200000)
# arch_paddr_bits() in QEMU: cortex-a57 reports PARange 44 bits; LPAE 40.
PA_BITS = {'arm64': 44, 'arm32': 40}
BASES = {'qemu-arm64': 'arm64', 'qemu-arm32': 'arm32'}
HEADER_FIELDS = ('magic', 'totalsize', 'off_dt_struct', 'off_dt_strings', 'off_mem_rsvmap',
                 'version', 'last_comp_version', 'boot_cpuid_phys', 'size_dt_strings',
                 'size_dt_struct')


@dataclasses.dataclass
class Entry:
    name: str
    arch: str
    spec: dict
    dtb: str = None
    model_inputs: object = None     # MemInputs from a generator (else read from the DTB)


def load_manifest():
    with open(MANIFEST, 'rb') as f:
        data = tomllib.load(f)
    entries = []
    for spec in data['case']:
        base = spec.get('base', 'qemu-arm64')
        if base not in BASES:
            raise Failure(f'{MANIFEST}: case {spec["name"]}: unknown base {base!r}')
        entries.append(Entry(spec['name'], spec.get('arch', BASES[base]), spec))
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise Failure(f'{MANIFEST}: duplicate case names')
    return entries


# ---------------------------------------------------------------- making the DTBs

_base_cache = {}


def base_dts(base):
    """QEMU's DTB for the base machine, as DTS text (dumped once per process)."""
    if base not in _base_cache:
        arch = BASES[base]
        os.makedirs(OUT, exist_ok=True)
        spec = qemu.RunSpec(arch=arch, smp=2, mem=1 * GiB, gic=3 if arch == 'arm64' else 2)
        dtb = qemu.dump_dtb(qemu._machine_argv(spec), os.path.join(OUT, f'{base}.{os.getpid()}.dtb'))
        _base_cache[base] = _dtc(['-I', 'dtb', '-O', 'dts', dtb])
        os.unlink(dtb)
    return _base_cache[base]


def _dtc(args, text=None):
    proc = subprocess.run(['dtc', '-q'] + args, input=text, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise Failure(f'dtc {" ".join(args)} failed: {proc.stderr.strip()}')
    return proc.stdout


def _cells(value):
    return f'{value >> 32:#x} {value & 0xffffffff:#x}'


def gen_memory_nodes(count):
    """`count` extra memory nodes of one page each inside QEMU's 1 GiB (merged by
    hypcore into its bank): their (start, end), in tree order."""
    out = []
    for i in range(count):
        addr = 0x40000000 + (i * 0x13 % 0x40000) * 0x1000   # distinct: 0x13 is odd
        out.append((addr, addr + 0x1000))
    return out


def gen_zero_size_memory_nodes(count):
    """`count` memory nodes of size 0 (each a warning, each ignored)."""
    return [(start, start) for start, _ in gen_memory_nodes(count)]


GENERATORS = {'memory-nodes': gen_memory_nodes,
              'zero-size-memory-nodes': gen_zero_size_memory_nodes}


def _be32(value):
    return value.to_bytes(4, 'big')


def _padded(data):
    return data + bytes(-len(data) % 4)


def append_memory_nodes(blob, banks):
    """Add a memory node per (start, end) at the end of the root node of a dtc-made
    DTB (header, /memreserve/, structure, strings, in that order), in its bytes:
    dtc's parser runs out of memory on 20,000 sibling nodes."""
    header = [int.from_bytes(blob[i:i + 4], 'big') for i in range(0, 40, 4)]
    off_struct, off_strings, size_struct = header[2], header[3], header[9]
    strings = bytes(blob[off_strings:off_strings + header[8]])
    name_type, name_reg = strings.index(b'device_type\0'), strings.index(b'reg\0')
    nodes = bytearray()
    for start, end in banks:
        nodes += _be32(1) + _padded(f'memory@{start:x}'.encode() + b'\0')
        nodes += _be32(3) + _be32(7) + _be32(name_type) + _padded(b'memory\0')
        nodes += (_be32(3) + _be32(16) + _be32(name_reg) + start.to_bytes(8, 'big')
                  + (end - start).to_bytes(8, 'big'))
        nodes += _be32(2)
    at = off_struct + size_struct - 8           # the root's FDT_END_NODE, then FDT_END
    if blob[at:at + 8] != _be32(2) + _be32(9) or off_strings < off_struct + size_struct:
        raise Failure('the DTB does not end its structure block as dtc writes it')
    blob[at:at] = nodes
    for index, grow in ((1, len(nodes)), (3, len(nodes)), (9, len(nodes))):
        blob[4 * index:4 * index + 4] = _be32(header[index] + grow)


def _insert_into(dts, node_re, text):
    m = re.search(node_re, dts, flags=re.S)
    if not m:
        raise Failure(f'no node matching {node_re!r} in the base DTS')
    return dts[:m.end()] + text + dts[m.end():]


def make_dts(entry):
    spec = entry.spec
    if 'dts' in spec:
        with open(os.path.join(CORPUS_DIR, spec['dts']), encoding='utf-8') as f:
            return f.read()
    dts = base_dts(spec.get('base', 'qemu-arm64'))
    if spec.get('drop_memory'):
        dts = re.sub(r'\n\tmemory@[0-9a-f]+ \{.*?\n\t\};', '', dts, flags=re.S)
    for line in spec.get('memreserve', []):
        addr, size = line.split()
        dts = dts.replace('/dts-v1/;', f'/dts-v1/;\n/memreserve/ {addr} {size};', 1)
    for pattern, repl in spec.get('sub', []):
        dts, n = re.subn(pattern, repl, dts, flags=re.S)
        if n == 0:
            raise Failure(f'sub {pattern!r} matched nothing')
    for i in range(spec.get('generate_memreserve', 0)):
        dts = dts.replace('/dts-v1/;', f'/dts-v1/;\n/memreserve/ {0x50000000 + i * 0x2000:#x} '
                          '0x1000;', 1)
    # A '\n' in a TOML literal string is two characters: the DTS wants a newline.
    chosen = spec.get('chosen', '').replace('\\n', '\n')
    for i in range(spec.get('generate_modules', 0)):
        addr = 0x50000000 + i * 0x10000
        kind = 'multiboot,kernel' if i == 0 else 'multiboot,ramdisk'
        chosen += (f'\t\tmodule@{addr:x} {{ compatible = "multiboot,module", "{kind}"; '
                   f'reg = <{_cells(addr)} {_cells(0x1000)}>; }};\n')
    root = spec.get('root', '').replace('\\n', '\n')
    if root and not root.endswith('\n'):
        root += '\n'
    if root:
        dts = dts[:dts.rindex('};')] + root + '};\n'
    if chosen:
        dts = _insert_into(dts, r'\n\tchosen \{\n(?:\t\t[^\t{}][^\n]*\n)*', chosen)
    return dts


def _patch(blob, where, value):
    header = [int.from_bytes(blob[i:i + 4], 'big') for i in range(0, 40, 4)]
    if where in HEADER_FIELDS:
        at = 4 * HEADER_FIELDS.index(where)
    elif where == 'struct_start':
        at = header[2]
    elif where == 'struct_end':
        at = header[2] + header[9] - 4
    elif where == 'rsv_end':
        at = header[4] + 16 * len(model.memreserve_entries_bytes(bytes(blob))) + 12
    else:
        at = int(where, 0) if isinstance(where, str) else where
    blob[at:at + 4] = (value & 0xffffffff).to_bytes(4, 'big')


def make_dtb(entry):
    """Write the entry's DTB under build/corpus/ (once per process) and return its path."""
    if entry.dtb:
        return entry.dtb
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, re.sub(r'[^A-Za-z0-9_.-]+', '_', entry.name) + '.dtb')
    dts = make_dts(entry)
    # Every pytest-xdist worker writes the same files: each writes its own
    # and renames it into place whole, so that none reads another's half
    # (dtc's output before the memory nodes are appended, say).
    tmp = f'{path}.{os.getpid()}'
    with open(tmp + '.dts', 'w', encoding='utf-8') as f:
        f.write(dts)
    proc = subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', tmp, tmp + '.dts'],
                          stderr=subprocess.PIPE, text=True)
    os.replace(tmp + '.dts', path + '.dts')     # kept beside the DTB, to read
    if proc.returncode != 0:
        raise Failure(f'dtc cannot compile {path}.dts: {proc.stderr.strip()}')
    with open(tmp, 'rb') as f:
        blob = bytearray(f.read())
    if 'generate' in entry.spec:
        kind, _, count = entry.spec['generate'].partition(':')
        banks = GENERATORS[kind](int(count))
        append_memory_nodes(blob, banks)
        entry.model_inputs = [(0x40000000, 0x80000000)] + banks
    for where, value in entry.spec.get('patch', []):
        _patch(blob, where, value)
    if 'truncate' in entry.spec:
        del blob[entry.spec['truncate']:]
    with open(tmp, 'wb') as f:
        f.write(blob)
    os.replace(tmp, path)
    entry.dtb = path
    return path


# ---------------------------------------------------------------- checking

def host_params(entry):
    s = entry.spec
    return (s.get('fdt_pa', HOST_FDT_PA), HOST_IMAGE[0], HOST_IMAGE[1],
            s.get('pa_bits', PA_BITS[entry.arch]))


def inputs_for(entry, dtb, fdt_pa, load, image_size, pa_bits):
    if entry.model_inputs is not None:
        return model.MemInputs(ram=entry.model_inputs, image=(load, load + image_size),
                               dtb=(fdt_pa, fdt_pa + model.dtb_totalsize(dtb)),
                               pa_bits=pa_bits, mmio=model.root_devices(dtb))
    return model.memory_inputs(dtb, fdt_pa, load, image_size, pa_bits)


def check(entry, log, inputs_fn, extra=()):
    """None if `log` (hypcore's lines, "(HYP) " prefixed) meets the entry's expectations
    (and the regexes in `extra`)."""
    s = entry.spec
    lines = model.hyp_lines(log)
    problems = []
    heap = [line for line in lines if line.startswith('heap: ')]
    if s['expect'] == 'model':
        problems.append(model.check_memory(log, inputs_fn()))
    elif s['expect'] == 'refuse':
        if heap:
            problems.append(f'expected a refusal, but the heap was built: {heap[0]}')
        if not any(re.search(s['line'], line) for line in lines):
            problems.append(f'no line matches {s["line"]!r}')
    else:
        problems.append(f'unknown expect {s["expect"]!r}')
    for regex in list(s.get('lines', [])) + list(extra):
        if not any(re.search(regex, line) for line in lines):
            problems.append(f'no line matches {regex!r}')
    for regex in s.get('absent', []):
        bad = [line for line in lines if re.search(regex, line)]
        if bad:
            problems.append(f'{bad[0]!r} matches {regex!r}, which must not appear')
    problems = [p for p in problems if p]
    return '\n'.join(problems) or None


_host_logs = {}


def _run_dt_boot(entries):
    argv = [DT_BOOT] + [':'.join([make_dtb(e)] + [hex(v) for v in host_params(e)])
                        for e in entries]
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors='replace', timeout=600)


def _split(output):
    logs = {}
    for m in re.finditer(r'^=== (\S+)\n(.*?)^=== end \1$', output, re.S | re.M):
        logs[m[1]] = m[2]
    return logs


def host_log(entry, all_entries):
    """dt-boot's output for the entry; the first call runs every host case in one process."""
    if not _host_logs:
        built = []
        for e in all_entries:
            try:
                make_dtb(e)
                built.append(e)
            except Failure as exc:
                _host_logs[e.name] = f'CRASH (no DTB): {exc}'
        all_entries = built
        proc = _run_dt_boot(all_entries)
        logs = _split(proc.stdout)
        if proc.returncode == 0:
            _host_logs.update({e.name: logs.get(e.dtb) for e in all_entries})
        else:
            for e in all_entries:       # find the one that crashed
                one = _run_dt_boot([e])
                _host_logs[e.name] = (_split(one.stdout).get(e.dtb) if one.returncode == 0
                                      else f'CRASH (exit {one.returncode}):\n{one.stdout}')
    log = _host_logs.get(entry.name)
    if log is None:
        raise Failure(f'dt-boot printed nothing for {entry.name}')
    if log.startswith('CRASH'):
        raise Failure(f'dt-boot crashed on {entry.name}: {log[-3000:]}')
    return log


def host_case(entry, all_entries):
    def run():
        log = host_log(entry, all_entries)
        fdt_pa, load, size, bits = host_params(entry)
        problem = check(entry, log, lambda: inputs_for(entry, entry.dtb, fdt_pa, load, size,
                                                        bits))
        return problem and f'{problem}\n  DTB: {entry.dtb}\n' + ''.join(
            f'    | {line}\n' for line in log.splitlines()[-60:])
    return Case(f'corpus:{entry.name}', run)


def qemu_case(entry):
    name = f'corpus:qemu:{entry.name}'

    def run():
        dtb = make_dtb(entry)
        spec = qemu.RunSpec(arch=entry.arch, loader='generic', smp=2, mem=1 * GiB,
                            gic=3 if entry.arch == 'arm64' else 2, dtb=dtb)
        if 'qemu_cpu' in entry.spec:        # QEMU takes the last -cpu
            spec.qemu_args = ['-cpu', entry.spec['qemu_cpu']]
        plan, result, img = run_qemu(name, spec, timeout=entry.spec.get('timeout', 20))
        if entry.spec['expect'] == 'model' and not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        if entry.spec['expect'] == 'refuse' and (qemu.PANIC_RE.search(result.log) is None
                                                 and result.outcome == 'timeout'):
            return with_log('hung without a line', result, plan)
        problem = check(entry, result.log, lambda: inputs_for(
            entry, dtb, plan.dtb_addr, plan.load, img.image_size,
            entry.spec.get('qemu_pa_bits', PA_BITS[entry.arch])),
            entry.spec.get('qemu_lines', ()))
        return problem and with_log(problem, result, plan)
    return Case(name, run)


def cases():
    entries = load_manifest()
    host = [host_case(e, entries) for e in entries if not e.spec.get('qemu_only')]
    return host + [qemu_case(e) for e in entries if e.spec.get('qemu')]
