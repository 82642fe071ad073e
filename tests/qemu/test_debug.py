"""Debugging like on Xen, on arm64: trap dumps that name the function (PC, LR and a
call trace along the frame records, checked against the ELF's own symbols) and
gdb through the script ./hypcore run --gdb writes: cases "debug:*" from
scripts/hypcore_lib/debugsuite.py (arm32's are in the arm32 slice)."""
from conftest import arches, run_case
from hypcore_lib import debugsuite


def cases(config):
    return debugsuite.cases('arm64') if arches(config) in (None, 'arm64') else []


def test_debug(case):
    run_case(case)
