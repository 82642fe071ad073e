"""selftest=pt on every layout of both targets, clash loads included: each CPU's
page-table audit against the layout ("pt:*", "arm32:pt:*";
scripts/hypcore_lib/ptsuite.py)."""
from conftest import arches, run_case
from hypcore_lib import ptsuite


def cases(config):
    want = arches(config)
    return [c for c in ptsuite.cases()
            if want is None or (want == 'arm32') == c.name.startswith('arm32:')]


def test_pt(case):
    run_case(case)
