"""The dom0 test payload under Debian's Xen 4.17, on arm64 and arm32, against a
model of what it must print: cases "xen:*" / "arm32:xen:*" from
scripts/hypcore_lib/dom0suite.py."""
from conftest import arches, run_case
from hypcore_lib import dom0suite


def cases(config):
    wanted = arches(config)
    return [case for arch in ('arm64', 'arm32') if wanted in (None, arch)
            for case in dom0suite.xen_cases(arch)]


def test_xen(case):
    run_case(case)
