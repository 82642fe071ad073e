"""The boot core on arm64: the decision line against the model for every reachable
(layout, share, clash), every loader, bad entries (EL1, no DTB, corrupt DTBs, a DTB
pointer outside RAM: badsuite.py), the DT
facts against fdtget/dtc, selftest=fault's dump, and -icount determinism.

The cases are built by scripts/hypcore_lib/suites.py (shared with ./hypcore sweep)."""
from conftest import arches, run_case
from hypcore_lib import badsuite, suites


def cases(config):
    if arches(config) not in (None, 'arm64'):
        return []
    arch = 'arm64'
    return (suites.decision_cases(arch) + suites.loader_cases(arch)
            + badsuite.bad_entry_cases(arch) + suites.dt_cases(arch)
            + suites.fault_cases(arch) + [suites.bench_case(arch)])


def test_boot(case):
    run_case(case)
