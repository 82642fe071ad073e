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
    if 'load' in parts:
        out += suites.sweep_load_cases(arch, want.get('layouts'), want.get('mem'),
                                       want.get('loader'), {})
    if 'smp' in parts:
        out += smpsuite.sweep_cases(arch, want.get('layouts'))
    if 'heap' in parts:
        out += memsuite.sweep_cases(arch, want['seed'], want['count'])
    if 'linux' in parts:
        out += linuxsuite.sweep_cases(arch, want.get('layouts'))
    return out


def test_sweep(case):
    run_case(case)
