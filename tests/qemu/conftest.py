"""pytest glue for hypcore's suites: case collection, the -k regex, the summary.

Each test module under tests/qemu/ defines `cases(config)`, returning the
hypcore_lib Case objects of its family (a name and a `run()` that boots QEMU
and checks the log against a model), and one test function taking `case`;
pytest_generate_tests below parametrises it with the case names as ids, so
`build/qemu-work/<case>/` and the names ./hypcore prints are the pytest ids.

Options (./hypcore test and sweep pass them; see scripts/hypcore_lib/pytest_run.py):
  --hc-arch arm64|arm32|all   which target's cases (all: arm64's and the arm32 slice)
  --hc-filter REGEX           keep the cases whose name matches (re.search)
  --hc-sweep JSON             test_sweep.py: which matrices, with their parameters
  --hc-bench JSON             test_bench.py: which tables, with their parameters
  --hc-list FILE              write the selected case names to FILE (with --collect-only)
  --hc-summary FILE           the controller writes {"passed": [...], "failed": [...]} there
"""
import json
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'scripts'))

from hypcore_lib import suites  # noqa: E402


def pytest_addoption(parser):
    group = parser.getgroup('hypcore')
    group.addoption('--hc-arch', default='all', choices=('all', 'arm64', 'arm32'))
    group.addoption('--hc-filter', default=None)
    group.addoption('--hc-sweep', default=None)
    group.addoption('--hc-bench', default=None)
    group.addoption('--hc-list', default=None)
    group.addoption('--hc-summary', default=None)


def arches(config):
    """The targets whose cases run: None means arm64's suites and the arm32 slice."""
    arch = config.getoption('hc_arch')
    return None if arch == 'all' else arch


def pytest_generate_tests(metafunc):
    if 'case' in metafunc.fixturenames:
        cases = metafunc.module.cases(metafunc.config)
        metafunc.parametrize('case', cases, ids=[c.name for c in cases])


def case_name(nodeid):
    """The hypcore case name of a pytest node id: the parameter id of a
    parametrised case, "model:Class.test" for the models' unittest classes."""
    m = re.search(r'\[(.*)\]$', nodeid)
    if m:
        return m.group(1)
    parts = nodeid.split('::')
    module = os.path.basename(parts[0])
    if module.endswith('model.py'):    # test_model.py, test_cmdline_model.py
        return 'model:' + '.'.join(parts[1:])
    return module[:-3] + ':' + '.'.join(parts[1:])


def pytest_collection_modifyitems(config, items):
    pattern = config.getoption('hc_filter')
    if pattern:
        keep = [item for item in items if re.search(pattern, case_name(item.nodeid))]
        dropped = [item for item in items if item not in keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    listing = config.getoption('hc_list')
    if listing:
        with open(listing, 'w', encoding='utf-8') as f:
            f.writelines(case_name(item.nodeid) + '\n' for item in items)


def run_case(case):
    """Run one hypcore case; its failure text becomes the test's failure message."""
    outcome = suites.run_case(case)
    if not outcome.ok:
        pytest.fail(outcome.detail, pytrace=False)


class _Summary:
    """Collects every test's outcome on the controller (with xdist, the workers'
    reports arrive here too) and writes them for ./hypcore to print."""

    def __init__(self, path):
        self.path = path
        self.outcomes = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        name = case_name(report.nodeid)
        if report.failed:
            self.outcomes[name] = 'failed'
        elif report.skipped and name not in self.outcomes:
            self.outcomes[name] = 'skipped'
        elif report.when == 'call' and report.passed:
            self.outcomes.setdefault(name, 'passed')

    @pytest.hookimpl
    def pytest_collectreport(self, report):
        if report.failed:
            self.outcomes[f'collect:{report.nodeid or "session"}'] = 'failed'

    @pytest.hookimpl
    def pytest_sessionfinish(self, session):
        summary = {kind: sorted(n for n, o in self.outcomes.items() if o == kind)
                   for kind in ('passed', 'failed', 'skipped')}
        with open(self.path, 'w', encoding='utf-8') as f:
            json.dump(summary, f, indent=1)


def pytest_configure(config):
    path = config.getoption('hc_summary')
    if path and not hasattr(config, 'workerinput'):
        config.pluginmanager.register(_Summary(path), 'hypcore-summary')
