"""Independent models of what hypcore must print, computed from the inputs only.

* The decision line, from the layout's runtime address, the load address and
  the offset of the identity page in the image (an ELF symbol), with the
  rules of the issue: the page tables have 4 levels of 512 GiB, 1 GiB, 2 MiB
  and 4 KiB blocks on arm64 (3 levels of 1 GiB, 2 MiB, 4 KiB with LPAE on
  arm32); `share` counts the levels, from the root, at which the block
  holding the identity page meets the boot-time runtime region.
* The device-tree facts, read from the DTB with the dtc tools (fdtget, dtc),
  not with anything hypcore contains.

Nothing here reads hypcore's output: its lines are parsed in results.py (the
parse_* names are imported here for the check_* functions and older callers).

The other models live beside this one and are re-exported here, so callers
keep writing model.<name>: dtmodel.py (the DT facts), faultmodel.py (the
selftest=fault dump), memmodel.py (mem: and heap:), smpmodel.py (smp:).
"""
import dataclasses

from .common import MiB
from .results import (Facts, HEAP_FIELDS, OVERLAP_REASON_RE, hyp_lines,  # noqa: F401
                      parse_decision_lines, parse_memory, parse_smp, parse_trap)
from .dtmodel import (  # noqa: F401  re-exported
    GUESSED_KINDS, KIND_COMPATIBLES, MODULE_COMPATIBLES, _cells, _children, _chosen_modules,
    _fdt_tree, _fdtget, _memreserve, _number, _path, _regs, _show, compare_facts, dtb_facts,
    memreserve_entries, memreserve_entries_bytes, module_kind, normalise_dtb)
from .faultmodel import (  # noqa: F401  re-exported
    ARM32_REG_ALIASES, DFSC_TRANSLATION_L3, DUMP_REGISTERS, EC_DATA_ABORT_SAME_EL, ESR_WNR,
    FIXMAP_OFFSET, FIXMAP_SIZE, LOAD_INSN32_RE, LOAD_INSN_RE, TRAP_LINE_TEXT,
    _dump_registers, check_fault_dump, selftest_fault_address)
from .memmodel import (  # noqa: F401  re-exported
    ADDR_LIMIT, BOOTMOD_MAX, FRAMETABLE_ALIGN, MEMMAP_MAX_RAM, MEM_REFUSE_RAM_RE,
    META_ALIGN, MODULE_CLASH_TYPES, MemInputs, MemModel, PAGE_INFO_BYTES, PAGE_SIZE,
    RESERVED_TYPES, Refusal, _check_refusals, _check_selftest_heap, _reserve, _show_range,
    _show_stats, beyond_reason, check_memory, dtb_totalsize, intersect_ranges,
    memory_inputs, memory_model, merge_ranges, metadata_bytes, page_stats, ram_page_numbers,
    range_length, root_devices, subtract_ranges, touched_page_numbers)
from .smpmodel import (  # noqa: F401  re-exported
    ARM32_PERCPU_SLOT, MPIDR_HWID_MASK, NR_CPUS, PERCPU_SLOT_BIT, PERCPU_AREA,
    PERCPU_STACK_PAGES, PERCPU_STACK_STRIDE, PERCPU_WINDOW_PAGE, _check_roots,
    _check_stack_pages, check_selftest_smp, check_smp, check_stack_overflow, dtb_cpus,
    expected_cpus, guard_page, percpu_base, stack_range, window_va)

# include/layout.h: the boot-time runtime region is 8 MiB from the runtime base.
RUNTIME_REGION_SIZE = 8 * MiB
# Block size at each translation level, root first (4 KiB granule, 48-bit VA).
LEVEL_BLOCK_SHIFTS = (39, 30, 21, 12)
# The temporary alias lives in the other half of the first level-0 span.
TEMP_ALIAS_BIT = 1 << 39
# Per architecture: arm32 (LPAE, 32-bit VA) has three levels from 1 GiB blocks,
# and its alias is the neighbouring 1 GiB slot.
ARCH_LEVEL_BLOCK_SHIFTS = {'arm64': LEVEL_BLOCK_SHIFTS, 'arm32': (30, 21, 12)}
ARCH_TEMP_ALIAS_BIT = {'arm64': TEMP_ALIAS_BIT, 'arm32': 1 << 30}


def levels(arch):
    """How many translation levels `share` counts on `arch` (its maximum)."""
    return len(ARCH_LEVEL_BLOCK_SHIFTS[arch])


@dataclasses.dataclass(frozen=True)
class Decision:
    """What hypcore decides for one (layout, load address)."""
    arch: str
    load: int
    idmap: int
    runtime_start: int
    runtime_end: int
    share: int
    clash: bool
    temp: int           # None when there is no clash

    def line(self):
        """The exact decision line hypcore must print (after its prefix)."""
        temp = f'{self.temp:#x}' if self.clash else 'none'
        return (f'boot: arch={self.arch} load={self.load:#x} idmap={self.idmap:#x} '
                f'runtime={self.runtime_start:#x}-{self.runtime_end:#x} share={self.share} '
                f'clash={"yes" if self.clash else "no"} temp={temp}')


def share_levels(page, start, end, shifts=LEVEL_BLOCK_SHIFTS):
    """Levels, from the root, whose block holding `page` overlaps [start, end).

    The blocks are nested, so the count stops at the first level that misses.
    """
    share = 0
    for shift in shifts:
        block = page >> shift << shift
        if not (block < end and start < block + (1 << shift)):
            break
        share += 1
    return share


def decide(arch, runtime_base, load, idmap_offset):
    """The model of the boot decision (see the module docstring)."""
    idmap = load + idmap_offset
    start, end = runtime_base, runtime_base + RUNTIME_REGION_SIZE
    shifts = ARCH_LEVEL_BLOCK_SHIFTS[arch]
    share = share_levels(idmap, start, end, shifts)
    clash = share == len(shifts) and load != runtime_base
    return Decision(arch=arch, load=load, idmap=idmap, runtime_start=start, runtime_end=end,
                    share=share, clash=clash,
                    temp=runtime_base ^ ARCH_TEMP_ALIAS_BIT[arch] if clash else None)


def check_decision(log, expected):
    """None if the log holds exactly one decision line equal to the model's, else why."""
    lines = parse_decision_lines(log)
    if len(lines) != 1:
        return f'expected one "boot:" line, found {len(lines)}: {lines}'
    if lines[0] != expected.line():
        return f'decision line differs from the model:\n  got:      {lines[0]}\n' \
               f'  expected: {expected.line()}'
    return None
