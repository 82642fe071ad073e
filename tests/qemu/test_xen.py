"""The dom0 test payload under Debian's Xen 4.17, on arm64 and arm32, against a
model of what it must print, and side by side with hypcore (arm64: the same
lines apart from addresses): cases "xen:*" / "arm32:xen:*" from
scripts/hypcore_lib/xensuite.py."""
from conftest import arches, run_case
from hypcore_lib import xensuite


def cases(config):
    wanted = arches(config)
    return [case for arch in ('arm64', 'arm32') if wanted in (None, arch)
            for case in xensuite.xen_cases(arch)]


def test_xen(case):
    run_case(case)
