"""dom0 under hypcore on arm64: building it from the boot modules, entering it at
EL1 and its traps: cases "dom0:*" from scripts/hypcore_lib/dom0suite.py."""
from conftest import arches, run_case
from hypcore_lib import dom0suite


def cases(config):
    return dom0suite.cases('arm64') if arches(config) in (None, 'arm64') else []


def test_dom0(case):
    run_case(case)
