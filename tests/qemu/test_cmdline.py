"""The hypervisor command line on arm64 (Xen's typed options), and the console UART
it chooses (dtuart=, stdout-path, the board default), against the DTB read with
fdtget: cases "cmdline:*" from scripts/hypcore_lib/cmdlinesuite.py."""
from conftest import arches, run_case
from hypcore_lib import cmdlinesuite


def cases(config):
    return cmdlinesuite.cases('arm64') if arches(config) in (None, 'arm64') else []


def test_cmdline(case):
    run_case(case)
