"""The fault dump selftest=fault must print (model.py re-exports these names):
the address it reads, the ESR/FAR it must report, the load instruction at ELR."""
import re

from .common import MiB
from .results import hyp_lines, parse_trap


# include/layout.h: the fixmap is 2 MiB at runtime base + 2 MiB; selftest=fault
# reads its last page, which is never mapped while slot 0 (the UART) is, so the
# fault is a level-3 translation fault on a read.
FIXMAP_OFFSET = 2 * MiB
FIXMAP_SIZE = 2 * MiB
EC_DATA_ABORT_SAME_EL = 0x25
DFSC_TRANSLATION_L3 = 0x07
ESR_WNR = 1 << 6
TRAP_LINE_TEXT = {'arm64': 'trap: ESR=... ELR=... FAR=... SPSR=...',
                  'arm32': 'trap: HSR=... ELR_hyp=... HDFAR=... HIFAR=... SPSR=...'}
DUMP_REGISTERS = {'arm64': [f'x{i}' for i in range(31)] + ['sp'],
                  'arm32': [f'r{i}' for i in range(13)] + ['sp', 'lr']}
# objdump's names for arm32 registers the dump prints as r<n>.
ARM32_REG_ALIASES = {'sb': 'r9', 'sl': 'r10', 'fp': 'r11', 'ip': 'r12'}


def selftest_fault_address(runtime_base):
    """The virtual address selftest=fault reads."""
    return runtime_base + FIXMAP_OFFSET + FIXMAP_SIZE - 4096


LOAD_INSN_RE = re.compile(r'\bldr\w*\s+[wx]\d+, \[(x\d+)(?:, #(-?(?:0x)?[0-9a-f]+))?\]')
LOAD_INSN32_RE = re.compile(r'\bldr\w*\s+(?:r\d+|sb|sl|fp|ip|lr), '
                            r'\[(r\d+|sb|sl|fp|ip|sp|lr)(?:, #(-?(?:0x)?[0-9a-f]+))?\]')


def _dump_registers(lines):
    regs = {}
    for line in lines:
        if line.startswith('trap:'):
            for m in re.finditer(r'\b(x\d+|r\d+|sp|lr)\s*=0x([0-9a-f]{8}|[0-9a-f]{16})\b',
                                 line):
                regs[m.group(1)] = int(m.group(2), 16)
    return regs


def check_fault_dump(log, runtime_base, instruction_at, arch='arm64'):
    """None if the log holds the data-abort dump the model predicts, else why.

    `instruction_at(vaddr)` disassembles the image's instruction at vaddr: the
    one at ELR must be a load whose address, computed from the dumped
    registers, is FAR.
    """
    lines = hyp_lines(log)
    dumps = [parse_trap(line) for line in lines if parse_trap(line)]
    if len(dumps) != 1:
        return f'expected one "{TRAP_LINE_TEXT[arch]}" line, found {len(dumps)}'
    esr, elr, far = dumps[0]
    problems = []
    if esr >> 26 != EC_DATA_ABORT_SAME_EL:
        problems.append(f'ESR {esr:#x}: EC {esr >> 26:#x}, expected {EC_DATA_ABORT_SAME_EL:#x}')
    if esr & 0x3f != DFSC_TRANSLATION_L3 or esr & ESR_WNR:
        problems.append(f'ESR {esr:#x}: expected a level-3 translation fault on a read')
    if far != selftest_fault_address(runtime_base):
        problems.append(f'FAR {far:#x}, expected {selftest_fault_address(runtime_base):#x}')
    if not any(f'EC=0x{EC_DATA_ABORT_SAME_EL:02x}' in line for line in lines):
        problems.append('no "EC=0x25" line')
    regs = _dump_registers(lines)
    missing = [r for r in DUMP_REGISTERS[arch] if r not in regs]
    if missing:
        problems.append(f'registers missing from the dump: {", ".join(missing)}')
    insn = instruction_at(elr)
    m = (LOAD_INSN32_RE if arch == 'arm32' else LOAD_INSN_RE).search(insn)
    base_reg = m and ARM32_REG_ALIASES.get(m.group(1), m.group(1))
    if not m:
        problems.append(f'the instruction at ELR {elr:#x} is not a load: {insn!r}')
    elif base_reg in regs:
        address = regs[base_reg] + (int(m.group(2), 0) if m.group(2) else 0)
        address &= (1 << 32) - 1 if arch == 'arm32' else (1 << 64) - 1
        if address != far:
            problems.append(f'the load at ELR ({insn.strip()}) reads {address:#x}, '
                            f'FAR is {far:#x}')
    return '\n'.join(problems) or None
