"""Issue 8, item 5 in QEMU: debugging like on Xen (trap dumps that name
functions, a call trace from the frame records, gdb).

Every name the dump prints is checked against the ELF's own symbol table, read
here with nm -S (each function's start and size), not against the table
hypcore embeds.

  debug:fault-trace:<place>    selftest=fault: "trap: PC" names the function
                               holding ELR at the right offset, "trap: LR" the
                               one holding LR (or "?" outside the text); each
                               call-trace frame is a return address just after
                               a call, named right, in a function on the real
                               call path (selftest_fault, selftest_run,
                               start_hypcore_late, switch_stack_and_call); the
                               trace reaches start_hypcore_late and ends at the
                               outermost frame
  debug:trace-depth:<place>    selftest=stack-overflow:1: a recursion deeper
                               than the bound: exactly TRAP_TRACE_DEPTH frames
                               (include/traps.h), all in the recursing
                               function, then "depth limit"
  debug:gdb:<place>            QEMU halted with its gdb stub on a free port;
                               gdb-multiarch -batch with the script ./hypcore
                               run --gdb writes: a breakpoint at the physical
                               address of head.S's cpu_init (MMU off) is hit
                               there, then one in heap_init, whose bt holds
                               heap_init and ends with start_hypcore within
                               MAX_BT_FRAMES frames; then the boot completes
"""
import os
import re
import subprocess
import threading

from .common import TOP, Failure
from . import gdb as gdbs, image as images, model, qemu, results
from .suites import Case, run_qemu, tag, with_log, workdir

# The real call path of selftest=fault (common/setup.c, common/selftest.c).
FAULT_PATH = ('selftest_fault', 'selftest_run', 'start_hypcore_late', 'switch_stack_and_call')
FAULT_CALLER = 'start_hypcore_late'
PC_RE = re.compile(r'^trap: PC 0x([0-9a-f]+) (?:(\S+)\+0x([0-9a-f]+)|\?)$')
LR_RE = re.compile(r'^trap: LR 0x([0-9a-f]+) (?:(\S+)\+0x([0-9a-f]+)|\?)$')
FRAME_RE = re.compile(r'^trap:   #(\d+) 0x([0-9a-f]+) (?:(\S+)\+0x([0-9a-f]+)|\?)$')
TRACE_HEAD_RE = re.compile(r'^trap: call trace \(frame records from fp 0x[0-9a-f]+, '
                           r'stack 0x[0-9a-f]+-0x[0-9a-f]+\):$')
TRACE_END_RE = re.compile(r'^trap: call trace ends: (.*)$')
CALL_INSN_RE = re.compile(r'\s(bl|blr|blx)\s')
DEPTH_RE = re.compile(r'^#define TRAP_TRACE_DEPTH (\d+)$', re.M)
LR_REG = {'arm64': 'x30', 'arm32': 'lr'}

GDB_TIMEOUT = 90        # gdb's whole session, and QEMU's boot under it (+30 s)
POWEROFF_WAIT = 10      # for QEMU to exit once gdb is done (it lets the boot finish)
MAX_BT_FRAMES = 8
BT_RE = re.compile(r'^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(')


# ---------------------------------------------------------------- the ELF's symbols

class Functions:
    """The ELF's functions (nm -S: text symbols with a size) and its text bounds."""

    def __init__(self, arch, elf):
        proc = subprocess.run([images.NM[arch], '-S', '--defined-only', elf],
                              stdout=subprocess.PIPE, text=True, check=True)
        self.funcs, marks = [], {}
        for fields in (line.split() for line in proc.stdout.splitlines()):
            if len(fields) == 4 and fields[2] in 'tTwW' and int(fields[1], 16):
                self.funcs.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
            if len(fields) == 3 and fields[2] in ('_start', '_etext'):
                marks[fields[2]] = int(fields[0], 16)
            if len(fields) == 4 and fields[3] in ('cpu_init', 'heap_init'):
                marks[fields[3]] = int(fields[0], 16)
        self.text = (marks['_start'], marks['_etext'])
        self.marks = marks

    def holding(self, addr):
        """(name, offset) of the function whose bytes hold addr, else None."""
        for start, size, name in self.funcs:
            if start <= addr < start + size:
                return name, addr - start
        return None

    def expected(self, addr, is_return):
        """What the dump should print after an address: (name, offset), '?' for
        an address outside the text, None where nm gives no answer (text
        between functions).  A return address is looked up one byte back."""
        back = 1 if is_return else 0
        hit = self.holding(addr - back)
        if hit:
            return hit[0], hit[1] + back
        return '?' if not self.text[0] <= addr - back < self.text[1] else None


def _named(m, addr_group=1):
    """(addr, (name, offset) or '?') from a PC/LR/frame line match."""
    addr = int(m.group(addr_group), 16)
    if m.group(addr_group + 1) is None:
        return addr, '?'
    return addr, (m.group(addr_group + 1), int(m.group(addr_group + 2), 16))


def _show(named):
    return named if named == '?' else f'{named[0]}+{named[1]:#x}'


# ---------------------------------------------------------------- the dump

def parse_trace(lines):
    """The PC and LR lines, the frames and the end reason of the (one) dump."""
    out = {'pc': None, 'lr': None, 'head': False, 'frames': [], 'end': None}
    for line in lines:
        for key, regex in (('pc', PC_RE), ('lr', LR_RE)):
            m = regex.match(line)
            if m:
                out[key] = _named(m)
        m = FRAME_RE.match(line)
        if m:
            out['frames'].append((int(m.group(1)),) + _named(m, 2))
        if TRACE_HEAD_RE.match(line):
            out['head'] = True
        m = TRACE_END_RE.match(line)
        if m:
            out['end'] = m.group(1)
    return out


def check_names(got, funcs, regs, elr, arch):
    """The PC and LR lines against nm; problems as a list."""
    problems = []
    if got['pc'] is None or got['lr'] is None:
        return ['no "trap: PC ..." or "trap: LR ..." line']
    pc, pc_name = got['pc']
    if pc != elr:
        problems.append(f'trap: PC {pc:#x}, ELR is {elr:#x}')
    want = funcs.expected(elr, False)
    if pc_name != want:
        problems.append(f'trap: PC names {_show(pc_name)}, nm says ELR {elr:#x} is in '
                        f'{want and _show(want)}')
    lr, lr_name = got['lr']
    if lr != regs.get(LR_REG[arch]):
        problems.append(f'trap: LR {lr:#x}, the dump\'s {LR_REG[arch]} is '
                        f'{regs.get(LR_REG[arch])}')
    want = funcs.expected(lr, True)
    if want is not None and lr_name != want:
        problems.append(f'trap: LR names {_show(lr_name)}, nm says {_show(want)}')
    return problems


def check_frames(got, funcs, arch, elf, path):
    """Each frame named as nm says, just after a call, in a function of `path`."""
    problems = []
    if not got['head']:
        problems.append('no "trap: call trace (...)" line')
    for want_index, (index, addr, named) in enumerate(got['frames']):
        if index != want_index:
            problems.append(f'frame #{index} where #{want_index} was due')
        want = funcs.expected(addr, True)
        if named != want:
            problems.append(f'frame #{index} {addr:#x}: dump says {_show(named)}, nm says '
                            f'{want and _show(want)}')
        if named == '?' or named[0] not in path:
            problems.append(f'frame #{index} {addr:#x} ({_show(named)}) is not on the call '
                            f'path {", ".join(path)}')
        insn = images.instruction_at(arch, elf, addr - 4)
        if not CALL_INSN_RE.search(insn):
            problems.append(f'frame #{index} {addr:#x}: the instruction before it is not a '
                            f'call: {insn.strip()!r}')
    return problems


def fault_trace_case(arch, layout='default', load=None, loader=None):
    """selftest=fault: names and frames against nm and the disassembly."""
    place = layout + (f'@{load:#x}' if load is not None else '')
    name = tag(arch, f'debug:fault-trace:{place}')

    def run():
        spec = qemu.RunSpec(arch=arch, layout=layout, load=load, hyp_args='selftest=fault')
        if loader:
            spec.loader = loader
        plan, result, img = run_qemu(name, spec)
        lines = results.hyp_lines(result.log)
        traps = [results.parse_trap(line) for line in lines if results.parse_trap(line)]
        if len(traps) != 1:
            return with_log(f'expected one trap dump, found {len(traps)}', result, plan)
        funcs = Functions(arch, img.elf)
        got = parse_trace(lines)
        problems = check_names(got, funcs, model._dump_registers(lines), traps[0][1], arch)
        problems += check_frames(got, funcs, arch, img.elf, FAULT_PATH)
        if got['pc'] and got['pc'][1] != '?' and got['pc'][1][0] not in FAULT_PATH[:2]:
            problems.append(f'the fault is in {got["pc"][1][0]}, not in selftest_fault or '
                            'its caller selftest_run')
        if FAULT_CALLER not in [f[2][0] for f in got['frames'] if f[2] != '?']:
            problems.append(f'the call trace does not reach {FAULT_CALLER}, the self-test\'s '
                            'caller')
        if got['end'] != 'outermost frame':
            problems.append(f'the call trace ends with {got["end"]!r}, not at the outermost '
                            'frame')
        return with_log('\n'.join(problems), result, plan) if problems else None
    return Case(name, run)


def trace_depth():
    """TRAP_TRACE_DEPTH as include/traps.h defines it."""
    with open(os.path.join(TOP, 'include', 'traps.h'), encoding='utf-8') as f:
        m = DEPTH_RE.search(f.read())
    if not m:
        raise Failure('include/traps.h defines no TRAP_TRACE_DEPTH')
    return int(m.group(1))


def trace_depth_case(arch, layout='default'):
    """A recursion to the guard page: the trace stops at the bound, every
    frame in the recursing function.  Under -icount, as smp's stack-overflow
    case, so the secondary's dump is complete before power-off."""
    name = tag(arch, f'debug:trace-depth:{layout}')

    def run():
        spec = qemu.RunSpec(arch=arch, layout=layout, smp=2, gic=2, icount=True,
                            hyp_args='selftest=stack-overflow:1')
        plan, result, img = run_qemu(name, spec, timeout=60)
        lines = results.hyp_lines(result.log)
        got = parse_trace(lines)
        if got['pc'] is None or got['pc'][1] == '?':
            return with_log('no named "trap: PC" line', result, plan)
        funcs = Functions(arch, img.elf)
        recursing = got['pc'][1][0]
        depth = trace_depth()
        problems = check_frames(got, funcs, arch, img.elf, (recursing,))
        if len(got['frames']) != depth:
            problems.append(f'{len(got["frames"])} frames, expected the bound {depth}')
        if got['end'] != f'depth limit of {depth} frames':
            problems.append(f'the call trace ends with {got["end"]!r}, not at the depth limit')
        return with_log('\n'.join(problems), result, plan) if problems else None
    return Case(name, run)


# ---------------------------------------------------------------- gdb

def gdb_commands(phys_cpu_init):
    """The session: a breakpoint before the MMU is on, one in C, bt, then let it boot."""
    return ['break *' + hex(phys_cpu_init), 'continue',
            'printf "hypcore-test pc 0x%lx\\n", $pc', 'info symbol $pc', 'delete',
            'break heap_init', 'continue',
            'echo hypcore-test bt\\n', f'bt {MAX_BT_FRAMES + 4}', 'echo hypcore-test end\\n',
            'delete', 'continue']


def check_gdb(out, phys_cpu_init):
    """Problems in gdb's output of gdb_commands()."""
    problems = []
    m = re.search(r'^hypcore-test pc 0x([0-9a-f]+)$', out, re.M)
    if not m or int(m.group(1), 16) != phys_cpu_init:
        problems.append(f'the breakpoint at the physical cpu_init {phys_cpu_init:#x} was not '
                        f'hit there (pc {m and m.group(1)})')
    if not re.search(r'^cpu_init in section \.text', out, re.M):
        problems.append('gdb does not name the physical address cpu_init (info symbol)')
    bt = out.partition('hypcore-test bt\n')[2].partition('hypcore-test end')[0]
    frames = [m.group(2) for m in map(BT_RE.match, bt.splitlines()) if m]
    if not frames or frames[0] != 'heap_init':
        problems.append(f'bt does not start in heap_init: {frames}')
    if not frames or frames[-1] != 'start_hypcore':
        problems.append(f'bt does not end with start_hypcore: {frames}')
    if len(frames) > MAX_BT_FRAMES:
        problems.append(f'bt has {len(frames)} frames, more than {MAX_BT_FRAMES}')
    if 'Backtrace stopped' in bt or '??' in bt:
        problems.append('bt wanders past start_hypcore (a "??" frame or "Backtrace stopped")')
    return problems


def gdb_case(arch, layout='default', load=None, loader=None):
    place = layout + (f'@{load:#x}' if load is not None else '')
    name = tag(arch, f'debug:gdb:{place}')

    def run():
        gdb = gdbs.require()
        spec = qemu.RunSpec(arch=arch, layout=layout, load=load, gdb=True,
                            gdb_port=gdbs.free_port())
        if loader:
            spec.loader = loader
        img = images.load(arch, layout)
        directory = workdir(name)
        plan = qemu.plan(spec, img, directory)
        script = gdbs.write_script(os.path.join(directory, 'gdbinit'), img, plan.load,
                                   spec.gdb_port)
        funcs = Functions(arch, img.elf)
        phys_cpu_init = plan.load + funcs.marks['cpu_init'] - img.runtime_base
        stop, box = threading.Event(), {}
        booter = threading.Thread(target=lambda: box.update(
            result=qemu.boot(plan, GDB_TIMEOUT + 30, stop=stop)))
        booter.start()
        argv = [gdb, '-nx', '-batch', '-x', script]
        for command in gdb_commands(phys_cpu_init):
            argv += ['-ex', command]
        try:
            # gdb retries the connection (set tcp auto-retry, 15 s) while QEMU starts.
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=GDB_TIMEOUT)
            out = proc.stdout
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b'').decode(errors='replace') + '\n(gdb timed out)'
        finally:
            booter.join(POWEROFF_WAIT)
            stop.set()              # QEMU still running (gdb failed): kill it
            booter.join()
        result = box.get('result')
        with open(os.path.join(directory, 'gdb.log'), 'w', encoding='utf-8') as f:
            f.write(' '.join(argv) + '\n' + out)
        with open(os.path.join(directory, 'serial.log'), 'w', encoding='utf-8') as f:
            f.write(' '.join(plan.argv) + '\n' + (result.log if result else ''))
        problems = check_gdb(out, phys_cpu_init)
        if result is None or not result.ok:
            problems.append('the boot did not complete after gdb let it go: '
                            f'{result and result.reason}')
        if problems:
            detail = '\n'.join(problems) + '\n  gdb:\n' + ''.join(
                f'    | {line}\n' for line in out.splitlines())
            return with_log(detail, result, plan) if result else detail
        return None
    return Case(name, run)


# ---------------------------------------------------------------- sets

def cases(arch):
    """arm64: the dump at the default layout and after a clash, the depth bound,
    gdb at the default layout and in a clash; arm32: a dump and gdb."""
    if arch == 'arm32':
        return [fault_trace_case(arch), gdb_case(arch)]
    # gdb in a clash at 0x40401000: the physical copy of the symbols does not
    # overlap the runtime one there (gdb.py), as it would at 0x40201000.
    return [fault_trace_case(arch), fault_trace_case(arch, 'ram', 0x40201000, 'generic'),
            trace_depth_case(arch), gdb_case(arch),
            gdb_case(arch, 'ram', 0x40401000, 'generic')]
