"""The dom0 test payload under Debian's Xen 4.17, on arm64 and arm32, against a
model of what it must print, and side by side with hypcore (arm64: the same
lines apart from addresses): cases "xen:*" / "arm32:xen:*" from
scripts/hypcore_lib/xensuite.py; and "xen:bench-ram/1G", the slice of
./hypcore bench --suite ram (scripts/hypcore_lib/ramsuite.py): hypcore and
Xen at 1 GiB, twice each, the figures repeating and in order."""
from conftest import arches, run_case
from hypcore_lib import ramsuite, xensuite


def cases(config):
    wanted = arches(config)
    return ([case for arch in ('arm64', 'arm32') if wanted in (None, arch)
             for case in xensuite.xen_cases(arch)]
            + ([ramsuite.test_case('arm64')] if wanted in (None, 'arm64') else []))


def test_xen(case):
    run_case(case)
