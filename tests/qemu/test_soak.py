"""The bounded slice of ./hypcore soak: three -icount boots with 4 CPUs and
selftest=smp must print the same bytes ("soak:*", scripts/hypcore_lib/soaksuite.py)."""
from conftest import arches, run_case
from hypcore_lib import soaksuite


def cases(config):
    return soaksuite.cases() if arches(config) in (None, 'arm64') else []


def test_soak(case):
    run_case(case)
