"""./hypcore bench's measurements (not part of ./hypcore test, whose bench:
cases only check that -icount runs repeat): each case measures one row of a
table under -icount (twice; the runs must agree) and saves it for the table
./hypcore bench prints afterwards (scripts/hypcore_lib/benchsuite.py).
./hypcore bench passes what to measure as --hc-bench '{"arch": ..., "suites":
[...], "layouts": ..., "load": ...}'."""
import json

from conftest import run_case
from hypcore_lib import benchsuite


def cases(config):
    text = config.getoption('hc_bench')
    if not text:
        return []
    want = json.loads(text)
    return benchsuite.cases(want['arch'], want['suites'], want.get('layouts'), want.get('load'))


def test_bench(case):
    run_case(case)
