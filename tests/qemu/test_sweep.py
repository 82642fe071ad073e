"""./hypcore sweep's matrices (not part of ./hypcore test, which runs a bounded
slice of each): the load-address matrix, the SMP matrix, random module layouts
and Debian's Linux as dom0 at every clash place, each run checked against the models.  ./hypcore sweep passes what to run as
--hc-sweep '{"arch": ..., "suites": [...], "layouts": ..., "mem": ..., "loader": ...,
"seed": ..., "count": ...}'."""
import json

from conftest import run_case
from hypcore_lib import linuxsuite, memsuite, smpsuite, suites


def cases(config):
    text = config.getoption('hc_sweep')
    if not text:
        return []
    want = json.loads(text)
    arch, parts = want['arch'], want['suites']
    out = []
    makers = {'load': lambda: suites.sweep_load_cases(arch, want.get('layouts'), want.get('mem'),
                                                      want.get('loader'), {}),
              'smp': lambda: smpsuite.sweep_cases(arch, want.get('layouts')),
              'heap': lambda: memsuite.sweep_cases(arch, want['seed'], want['count']),
              'linux': lambda: linuxsuite.sweep_cases(arch, want.get('layouts'))}
    for part in suites.SWEEP_SUITES:
        if part in parts:
            for case in makers[part]():
                case.suite = part       # its CSV file: build/sweep/<arch>-<suite>.csv
                out.append(case)
    return out


def test_sweep(case):
    run_case(case)
