"""Issue 8 (item 6) in QEMU: the hypervisor command line and the console UART.

Each case boots once with a command line and checks what hypcore printed
against what the inputs say: the console line against the DTB hypcore read
(the runner's own, or QEMU's dumped with the same options) read with fdtget,
with the choice (dtuart=, /chosen/stdout-path, the board default) and the
reg translation through the parent buses' ranges worked out here; the
dom0_mem line against the size given (Xen's size syntax, parsed here) or the
default in include/dom0.h; the warnings against the options given.

  cmdline:console:stdout-path       QEMU's DTB, no dtuart=: its stdout-path node
  cmdline:console:dtuart-path       dtuart=<path> of a second PL011 node, behind a
                                    simple-bus with its own cells and ranges
  cmdline:console:dtuart-alias      dtuart=<alias>:115200n8 (the options ignored)
  cmdline:console:stdout-path-alias a stdout-path that is an alias with options
  cmdline:console:dtuart-refused    dtuart= naming no node, a disabled PL011 and a
                                    PL061: one warning each, then stdout-path
  cmdline:console:board-default     no stdout-path and a refused dtuart=
  cmdline:unknown-options           each unknown option warned about exactly once
  cmdline:bad-values                a bad value: one warning, the default kept
  cmdline:dom0_mem=64M, ...         the dom0_mem line; the last one wins
  cmdline:loglvl=...                what prints at each level (the end marker always)

The second PL011 node describes the same device as QEMU's (virt has one UART),
reached through different cells and ranges: QEMU's arm virt board has no
second UART to move to, but the path, the alias and the translation are
hypcore's to get right, and everything after the console line still prints.
"""
import dataclasses
import os
import re
import subprocess

from .common import END_MARKER, HYP_PREFIX, TOP, Failure
from . import model, qemu, results
from .suites import Case, run_qemu, tag, with_log, workdir

BOARD_HEADER = os.path.join(TOP, 'configs', 'boards', 'qemu-virt.h')
DOM0_HEADER = os.path.join(TOP, 'include', 'dom0.h')


# ---------------------------------------------------------------- inputs

def header_value(path, name):
    """An integer #define of a C header: a number, or a simple expression of numbers."""
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(rf'\s*#\s*define\s+{name}\s+(.+?)\s*(/\*.*)?$', line)
            if m:
                expr = re.sub(r'\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b', r'\1', m.group(1))
                if not re.fullmatch(r'[0-9a-fA-Fx()<>+* ]+', expr):
                    raise Failure(f'{path}: {name} is not a plain number: {m.group(1)}')
                return eval(expr, {'__builtins__': {}})     # digits and operators only
    raise Failure(f'{path}: no #define {name}')


SIZE_SHIFTS = {'t': 40, 'g': 30, 'm': 20, 'k': 10, 'b': 0}


def xen_size(text):
    """Xen's <size>: an unsigned number (0x hex, 0 octal, decimal) and at most one
    of T G M K B (either case); none means KiB.  None if it is not one, or if it
    does not fit in 64 bits."""
    m = re.fullmatch(r'(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([TtGgMmKkBb]?)', text)
    if not m:
        return None
    value = int(m.group(1), 16 if m.group(1)[:2].lower() == '0x' else
                8 if m.group(1).startswith('0') else 10)
    value <<= SIZE_SHIFTS[m.group(2).lower()] if m.group(2) else 10
    return value if value < 1 << 64 else None


def _fdtget(dtb, node, prop=None, kind='s'):
    return model._fdtget(dtb, node, prop, kind)


def _parent(path):
    return path.rsplit('/', 1)[0] or '/'


def node_paddr(dtb, path):
    """Entry 0 of `path`'s reg as a CPU address, through the parents' ranges, or
    None when it has none or is not reachable (no ranges on the way, outside them)."""
    regs = model._regs(dtb, path, model._cells(dtb, _parent(path)))
    if not regs:
        return None
    addr, end = regs[0]
    size = end - addr
    child = path
    while _parent(child) != '/':
        bus = _parent(child)
        ranges = _fdtget(dtb, bus, 'ranges', 'x')
        if ranges is None:
            return None
        if ranges:
            ca, cs = model._cells(dtb, bus)
            pa = model._cells(dtb, _parent(bus))[0]
            words = ranges.split()
            step = ca + pa + cs
            for i in range(0, len(words) - step + 1, step):
                src = model._number(' '.join(words[i:i + ca]))
                dst = model._number(' '.join(words[i + ca:i + ca + pa]))
                span = model._number(' '.join(words[i + ca + pa:i + step]))
                if src <= addr and addr + size <= src + span:
                    addr = dst + addr - src
                    break
            else:
                return None
        child = bus
    return addr


def resolve(dtb, spec):
    """The node path a "<path or alias>[:<options>]" names, or None."""
    name = spec.split(':', 1)[0]
    if not name:
        return None
    path = name if name.startswith('/') else _fdtget(dtb, '/aliases', name)
    if not path or _fdtget(dtb, path) is None:
        return None
    return path


def usable_pl011(dtb, path):
    """The PL011's address if the node is a usable console, else None."""
    status = _fdtget(dtb, path, 'status')
    compatible = (_fdtget(dtb, path, 'compatible') or '').split()
    if status not in (None, 'okay', 'ok') or 'arm,pl011' not in compatible:
        return None
    addr = node_paddr(dtb, path)
    return addr if addr is not None and addr % 4096 == 0 else None


@dataclasses.dataclass
class Console:
    line: str           # the console: line hypcore must print
    refused: list       # the dtuart=/stdout-path values it must warn about, in order


def expected_console(dtb, dtuart=''):
    """Xen's order: dtuart= (console=dtuart is the default), /chosen/stdout-path,
    then BOARD_UART_PADDR from the board header."""
    refused = []
    candidates = [('dtuart', dtuart)] if dtuart else []
    stdout = _fdtget(dtb, '/chosen', 'stdout-path')
    if stdout:
        candidates.append(('stdout-path', stdout))
    for source, spec in candidates:
        path = resolve(dtb, spec)
        addr = usable_pl011(dtb, path) if path else None
        if addr is None:
            refused.append(spec)
            continue
        if source == 'dtuart':
            name, colon, _ = spec.partition(':')
            why = f'dtuart={name}' + ('; its options ignored' if colon else '')
        else:
            why = 'stdout-path'
        return Console(f'console: pl011 at {addr:#010x} node={path} ({why})', refused)
    board = header_value(BOARD_HEADER, 'BOARD_UART_PADDR')
    return Console(f'console: pl011 at {board:#010x} (board default)', refused)


def dom0_line(args):
    """The dom0_mem line for a command line: the last valid dom0_mem= (a size
    above 0), else the default with " (default)"."""
    size = None
    for opt in args.split():
        if opt.startswith('dom0_mem='):
            value = xen_size(opt[len('dom0_mem='):])
            if value:
                size = value
    if size is None:
        return f'cmdline: dom0_mem={header_value(DOM0_HEADER, "DOM0_MEM_DEFAULT"):#x} (default)'
    return f'cmdline: dom0_mem={size:#x}'


# ---------------------------------------------------------------- DTBs

def fdtput(dtb, *args):
    proc = subprocess.run(['fdtput', dtb, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode:
        raise Failure(f'fdtput {" ".join(args)}: {proc.stdout.strip()}')


SOC = '/soc@8000000'
SOC_SERIAL = SOC + '/serial@1000000'
DISABLED = '/pl011@9040000'
GPIO = '/pl061@9030000'


def console_dtb(arch, dest, stdout_path=None, keep_stdout=True):
    """QEMU's DTB plus a second node for its PL011, under a simple-bus with 1+1
    cells whose ranges put child 0x1000000 at 0x9000000; a disabled PL011; the
    aliases serial0 (QEMU's node), serial1 (the second), serial2 (the disabled).
    stdout_path replaces /chosen/stdout-path; keep_stdout=False removes it."""
    qemu.dump_dtb(qemu._machine_argv(qemu.RunSpec(arch=arch)), dest)
    fdtput(dest, '-p', '-c', SOC_SERIAL, DISABLED)
    fdtput(dest, '-t', 's', SOC, 'compatible', 'simple-bus')
    fdtput(dest, '-t', 'x', SOC, '#address-cells', '1')
    fdtput(dest, '-t', 'x', SOC, '#size-cells', '1')
    fdtput(dest, '-t', 'x', SOC, 'ranges', '0', '0', '8000000', '2000000')
    fdtput(dest, '-t', 's', SOC_SERIAL, 'compatible', 'arm,pl011', 'arm,primecell')
    fdtput(dest, '-t', 'x', SOC_SERIAL, 'reg', '1000000', '1000')
    fdtput(dest, '-t', 's', DISABLED, 'compatible', 'arm,pl011', 'arm,primecell')
    fdtput(dest, '-t', 'x', DISABLED, 'reg', '0', '9040000', '0', '1000')
    fdtput(dest, '-t', 's', DISABLED, 'status', 'disabled')
    fdtput(dest, '-p', '-t', 's', '/aliases', 'serial0', '/pl011@9000000')
    fdtput(dest, '-t', 's', '/aliases', 'serial1', SOC_SERIAL)
    fdtput(dest, '-t', 's', '/aliases', 'serial2', DISABLED)
    if stdout_path is not None:
        fdtput(dest, '-t', 's', '/chosen', 'stdout-path', stdout_path)
    if not keep_stdout:
        fdtput(dest, '-d', '/chosen', 'stdout-path')
    return dest


def input_dtb(spec, plan, directory):
    """The DTB hypcore reads: the one the case made, else QEMU's for these options."""
    return spec.dtb or plan.dtb_file or qemu.dump_dtb(
        plan.argv, os.path.join(directory, 'qemu.dtb'))


# ---------------------------------------------------------------- checks

def lines_after_parse(log):
    """hypcore's lines from the one after "dt: blob at" (the command line is read
    there; the lines before it print at the default level)."""
    lines = results.hyp_lines(log)
    for i, line in enumerate(lines):
        if line.startswith('dt: blob at '):
            return lines[i + 1:]
    raise Failure('no "dt: blob at" line')


def check_console(log, expected):
    lines = results.hyp_lines(log)
    got = [line for line in lines if line.startswith('console: pl011 ')]
    if got != [expected.line]:
        return f'console lines {got}, expected [{expected.line!r}]'
    warnings = [line for line in lines if line.startswith('console: warning:')]
    if len(warnings) != len(expected.refused) or not all(
            f'"{spec}"' in line for spec, line in zip(expected.refused, warnings)):
        return (f'console warnings {warnings}, expected one naming each of '
                f'{expected.refused} in that order')
    return None


def check_cmdline_warnings(log, unknown, bad=()):
    """One 'unknown option' line per unknown option given (in order), one warning
    naming each (option, value) in bad, and no other cmdline: warning."""
    lines = [line for line in results.hyp_lines(log) if line.startswith('cmdline: warning:')]
    want = [f'cmdline: warning: unknown option "{opt}" ignored' for opt in unknown]
    got_unknown = [line for line in lines if 'unknown option' in line]
    if got_unknown != want:
        return f'unknown-option warnings {got_unknown}, expected {want}'
    others = [line for line in lines if 'unknown option' not in line]
    if len(others) != len(bad) or not all(
            line.startswith(f'cmdline: warning: {name}: bad value "{value}" (')
            for (name, value), line in zip(bad, others)):
        return f'bad-value warnings {others}, expected one for each of {list(bad)}'
    return None


def cmdline_case(name, make_spec, checks):
    """Boot; then each check(log, spec, dtb) with the DTB hypcore read."""
    def run():
        directory = workdir(name + '-input')
        spec = make_spec(directory)
        plan, result, _ = run_qemu(name, spec)
        if not result.ok:
            return with_log('did not boot to the end marker', result, plan)
        dtb = input_dtb(spec, plan, directory)
        for check in checks:
            problem = check(result.log, spec, dtb)
            if problem:
                return with_log(problem, result, plan)
        return None
    return Case(name, run)


def console_check(dtuart=''):
    return lambda log, spec, dtb: check_console(log, expected_console(dtb, dtuart))


def dom0_check(log, spec, dtb):
    want = dom0_line(spec.hyp_args)
    got = [line for line in results.hyp_lines(log) if line.startswith('cmdline: dom0_mem=')]
    return None if got == [want] else f'dom0_mem lines {got}, expected [{want!r}]'


def warnings_check(unknown, bad=()):
    return lambda log, spec, dtb: check_cmdline_warnings(log, unknown, bad)


# What prints after the command line is read, per loglvl: every line, or only
# the warnings and failures (their text says so), or nothing but the end marker.
INFO_KINDS = ('console: pl011 ', 'cmdline: dom0_mem=', 'dt: memory ', 'mem: ram ', 'heap: ',
              'smp: cpu0 online')


def loglvl_check(shows_info, shows_warnings):
    def check(log, spec, dtb):
        after = lines_after_parse(log)
        if not after or not after[-1].startswith(END_MARKER[len(HYP_PREFIX):]):
            return 'the end marker is not the last line'
        warnings = [line for line in after if 'warning:' in line]
        info = [kind for kind in INFO_KINDS if any(line.startswith(kind) for line in after)]
        if shows_info and info != list(INFO_KINDS):
            return f'info lines missing: {sorted(set(INFO_KINDS) - set(info))}'
        if not shows_info:
            rest = [line for line in after[:-1] if 'warning:' not in line]
            if rest:
                return f'lines below the log level printed: {rest}'
        if shows_warnings != bool(warnings):
            return f'warnings {"missing" if shows_warnings else "printed"}: {warnings}'
        return None
    return check


# ---------------------------------------------------------------- cases

def _spec(arch, args, dtb_maker=None):
    def make(directory):
        spec = qemu.RunSpec(arch=arch, hyp_args=args)
        if dtb_maker:
            spec.dtb = dtb_maker(os.path.join(directory, 'console.dtb'))
        return spec
    return make


def console_cases(arch):
    mk = lambda **kw: (lambda dest: console_dtb(arch, dest, **kw))   # noqa: E731
    cases = [
        ('console:stdout-path', '', None, ''),
        ('console:dtuart-path', f'dtuart={SOC_SERIAL}', mk(), SOC_SERIAL),
        ('console:dtuart-alias', 'dtuart=serial1:115200n8', mk(), 'serial1:115200n8'),
        ('console:stdout-path-alias', '', mk(stdout_path='serial1:115200n8'), ''),
        ('console:dtuart-refused', 'dtuart=serial2', mk(), 'serial2'),
        ('console:dtuart-no-node', 'dtuart=/nowhere@0', None, '/nowhere@0'),
        ('console:dtuart-not-pl011', f'dtuart={GPIO}', None, GPIO),
        ('console:board-default', 'dtuart=serial7', mk(keep_stdout=False), 'serial7'),
    ]
    return [cmdline_case(tag(arch, f'cmdline:{name}'), _spec(arch, args, maker),
                         [console_check(dtuart), warnings_check([])])
            for name, args, maker, dtuart in cases]


def option_cases(arch):
    def case(name, args, checks):
        return cmdline_case(tag(arch, f'cmdline:{name}'), _spec(arch, args), checks)
    unknown = ['foo=1', 'no-bar', 'dom0-mem=1G', 'DOM0_MEM=1G', 'selftest.x']
    return [
        case('unknown-options', ' '.join(unknown) + ' dom0_mem=32M',
             [warnings_check(unknown), dom0_check]),
        case('bad-values', 'dom0_mem=12Q loglvl=loud dom0_mem=16777216T dom0_mem=0',
             [warnings_check([], [('dom0_mem', '12Q'), ('loglvl', 'loud'),
                                  ('dom0_mem', '16777216T'), ('dom0_mem', '0')]),
              dom0_check, loglvl_check(True, True)]),
        case('dom0_mem=64M', 'dom0_mem=64M', [warnings_check([]), dom0_check]),
        case('dom0_mem-last-wins', 'dom0_mem=1G dom0_mem=0x10000 dom0_mem=12Q',
             [warnings_check([], [('dom0_mem', '12Q')]), dom0_check]),
        case('loglvl=all', 'loglvl=all', [warnings_check([]), loglvl_check(True, False)]),
        case('loglvl=warning', 'loglvl=warning foo', [loglvl_check(False, True)]),
        case('loglvl=error', 'loglvl=error foo', [loglvl_check(False, False)]),
        case('loglvl=none/warning', 'loglvl=none/warning foo', [loglvl_check(False, True)]),
        case('loglvl=none', 'loglvl=none foo', [loglvl_check(False, False)]),
    ]


def cases(arch):
    """The set ./hypcore test runs on arm64."""
    return console_cases(arch) + option_cases(arch)


def arm32_cases():
    """The arm32 slice: the translated node by alias, stdout-path, warnings and
    dom0_mem, and one log level."""
    keep = ('cmdline:console:dtuart-alias', 'cmdline:console:stdout-path',
            'cmdline:unknown-options', 'cmdline:bad-values', 'cmdline:loglvl=warning')
    return [c for c in cases('arm32') if c.name.split(':', 1)[1] in keep]
