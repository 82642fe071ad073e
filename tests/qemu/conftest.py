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
  --hc-results DIR            sweep: each case's row (results.csv_row) into
                              DIR/<arch>-<suite>.csv as it ends (_SweepResults)
  --hc-merge                  with --hc-results: keep the rows already there (the
                              last row of a case wins), for --resume and --rerun
  --hc-skip FILE              deselect the case names listed in FILE (--resume)
  --hc-progress FILE          the controller keeps {"total", "done", "failed", ...} there
"""
import csv
import json
import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'scripts'))

from hypcore_lib import results, suites  # noqa: E402


def pytest_addoption(parser):
    group = parser.getgroup('hypcore')
    group.addoption('--hc-arch', default='all', choices=('all', 'arm64', 'arm32'))
    group.addoption('--hc-filter', default=None)
    group.addoption('--hc-sweep', default=None)
    group.addoption('--hc-bench', default=None)
    group.addoption('--hc-list', default=None)
    group.addoption('--hc-summary', default=None)
    group.addoption('--hc-results', default=None)
    group.addoption('--hc-merge', action='store_true')
    group.addoption('--hc-skip', default=None)
    group.addoption('--hc-progress', default=None)


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
    skip_file = config.getoption('hc_skip')
    if skip_file:
        with open(skip_file, encoding='utf-8') as f:
            skip = set(f.read().split('\n'))
        keep = [item for item in items if case_name(item.nodeid) not in skip]
        dropped = [item for item in items if item not in keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep
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


# Each case's CSV row, from run_case to the report (pytest_runtest_makereport).
_rows = {}


def run_case(case):
    """Run one hypcore case; its failure text becomes the test's failure message."""
    outcome = suites.run_case(case)
    _rows[case.name] = outcome.row
    if not outcome.ok:
        pytest.fail(outcome.detail, pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """The case's row travels with its report (to the xdist controller too)."""
    made = yield
    row = _rows.pop(case_name(item.nodeid), None) if call.when == 'call' else None
    if row is not None:
        made.get_result().user_properties.append(('hc_row', row))


class _Summary:
    """Collects every test's outcome on the controller (with xdist, the workers'
    reports arrive here too) and writes them for ./hypcore to print."""

    def __init__(self, path):
        self.path = path
        self.outcomes = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        name = case_name(report.nodeid)
        if report.skipped and 'got empty parameter set' in str(report.longrepr):
            return      # a module with no case for this arch or -k: not a case
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


class _SweepResults:
    """On the controller: each finished case's row into its CSV file, and the
    progress file that ./hypcore sweep shows as one line."""

    def __init__(self, directory, merge, progress, arch):
        self.directory, self.merge, self.progress, self.arch = directory, merge, progress, arch
        self.files = {}             # csv path -> (file, writer)
        self.total, self.done, self.failed = None, 0, 0
        self.started = time.monotonic()
        self.last_write = 0.0

    def _writer(self, row):
        row['arch'] = row['arch'] or self.arch
        path = os.path.join(self.directory, f'{row["arch"]}-{row["suite"] or "other"}.csv')
        if path not in self.files:
            exists = os.path.exists(path) and self.merge
            f = open(path, 'a' if exists else 'w', encoding='utf-8', newline='')
            writer = csv.DictWriter(f, fieldnames=results.CSV_FIELDS)
            if not exists:
                writer.writeheader()
            self.files[path] = (f, writer)
        return self.files[path]

    def _write_progress(self, force=False):
        now = time.monotonic()
        if not self.progress or (not force and now - self.last_write < 0.2):
            return
        self.last_write = now
        tmp = self.progress + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump({'total': self.total, 'done': self.done, 'failed': self.failed,
                       'elapsed': now - self.started}, f)
        os.replace(tmp, self.progress)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        self.total = len(items)
        self._write_progress(True)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        if self.total is None:
            self.total = len(ids)
            self._write_progress(True)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if report.when != 'call' and not (report.failed and report.when == 'setup'):
            return
        self.done += 1
        self.failed += bool(report.failed)
        for key, row in report.user_properties:
            if key == 'hc_row':
                f, writer = self._writer(row)
                writer.writerow(row)
                f.flush()
        self._write_progress()

    @pytest.hookimpl
    def pytest_sessionfinish(self, session):
        for f, _ in self.files.values():
            f.close()
        for path in self.files:
            _dedupe_csv(path)
        self._write_progress(True)


def _dedupe_csv(path):
    """One row per case, the last one written winning, in first-seen order."""
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.DictReader(f))
    last = {}
    for row in rows:
        last[row['case']] = row
    if len(last) == len(rows):
        return
    order = list(dict.fromkeys(row['case'] for row in rows))
    with open(path, 'w', encoding='utf-8', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=results.CSV_FIELDS, extrasaction='ignore')
        writer.writeheader()
        writer.writerows(last[name] for name in order)


def pytest_configure(config):
    path = config.getoption('hc_summary')
    if path and not hasattr(config, 'workerinput'):
        config.pluginmanager.register(_Summary(path), 'hypcore-summary')
    directory = config.getoption('hc_results')
    if directory and not hasattr(config, 'workerinput'):
        os.makedirs(directory, exist_ok=True)
        config.pluginmanager.register(
            _SweepResults(directory, config.getoption('hc_merge'), config.getoption('hc_progress'),
                          json.loads(config.getoption('hc_sweep') or '{}').get('arch', 'arm64')),
            'hypcore-sweep-results')
