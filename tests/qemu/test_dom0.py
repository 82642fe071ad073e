"""dom0 under hypcore on arm64 and on arm32: building it from the boot modules,
entering it at EL1 (arm32: SVC) and its traps: cases "dom0:*" and "arm32:dom0:*"
from scripts/hypcore_lib/dom0suite.py."""
from conftest import arches, run_case
from hypcore_lib import dom0suite


def cases(config):
    wanted = arches(config)
    return [case for arch in ('arm64', 'arm32') if wanted in (None, arch)
            for case in dom0suite.cases(arch)]


def test_dom0(case):
    run_case(case)
