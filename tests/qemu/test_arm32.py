"""The bounded arm32 slice: the arm64 families' checks run with arch='arm32'
where QEMU's arm32 board allows them (suites.arm32_cases lists them)."""
from conftest import arches, run_case
from hypcore_lib import suites


def cases(config):
    return suites.arm32_cases() if arches(config) in (None, 'arm32') else []


def test_arm32(case):
    run_case(case)
