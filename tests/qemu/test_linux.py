"""Debian's Linux 6.1 as dom0 under hypcore (arm64): its initramfs read back, and
boots whose "linux: " lines are checked against a model of the inputs: cases
"linux:*" from scripts/hypcore_lib/linuxsuite.py; the same Linux under Xen 4.17
beside hypcore: "linux:xen/*" from linuxxen.py."""
from conftest import arches, run_case
from hypcore_lib import linuxsuite, linuxxen


def cases(config):
    wanted = arches(config)
    return linuxsuite.cases('arm64') + linuxxen.cases('arm64') if wanted in (None, 'arm64') \
        else []


def test_linux(case):
    run_case(case)
