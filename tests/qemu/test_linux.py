"""Debian's Linux 6.1 as dom0 under hypcore (arm64): its initramfs read back, and
boots whose "linux: " lines are checked against a model of the inputs: cases
"linux:*" from scripts/hypcore_lib/linuxsuite.py."""
from conftest import arches, run_case
from hypcore_lib import linuxsuite


def cases(config):
    wanted = arches(config)
    return linuxsuite.cases('arm64') if wanted in (None, 'arm64') else []


def test_linux(case):
    run_case(case)
