"""Debian's Linux 6.1 as dom0 under hypcore: its initramfs read back, and
boots whose "linux: " lines are checked against a model of the inputs: cases
"linux:*" (arm64) and "arm32:linux:*" (the armmp-lpae zImage) from
scripts/hypcore_lib/linuxsuite.py; the same Linux under Xen 4.17 beside
hypcore: "linux:xen/*" from linuxxen.py."""
from conftest import arches, run_case
from hypcore_lib import linuxsuite, linuxxen


def cases(config):
    wanted = arches(config)
    found = []
    if wanted in (None, 'arm64'):
        found += linuxsuite.cases('arm64') + linuxxen.cases('arm64')
    if wanted in (None, 'arm32'):
        found += linuxsuite.cases('arm32') + linuxxen.cases('arm32')
    return found


def test_linux(case):
    run_case(case)
