"""./hypcore test and sweep through pytest (tests/qemu/, conftest.py there).

pytest and pytest-xdist come from Debian (python3-pytest, python3-pytest-xdist),
so they import only in Debian's own interpreter: pytest runs as
`/usr/bin/python3 -m pytest`, whatever python3 comes first on PATH.  With more
than one job, pytest-xdist runs that many workers (one QEMU each).  The
controller writes a summary (tests/qemu/conftest.py) from which the run ends
with the failed cases, then "N passed, N failed".
"""
import json
import os
import subprocess
import sys
import time

from .common import BUILD, TOP, Failure, say

DEBIAN_PYTHON = '/usr/bin/python3'
TESTS = os.path.join(TOP, 'tests', 'qemu')
# Every suite of ./hypcore test; test_sweep.py and test_bench.py run only for
# ./hypcore sweep and bench.
TEST_MODULES = ('test_host.py', 'test_model.py', 'test_cmdline_model.py', 'test_fuzz.py',
                'test_corpus.py', 'test_soak.py', 'test_pt.py',
                'test_boot.py', 'test_mem.py', 'test_smp.py', 'test_debug.py',
                'test_cmdline.py', 'test_dom0.py', 'test_run.py', 'test_arm32.py',
                'test_xen.py', 'test_linux.py', 'test_results.py')
SWEEP_MODULES = ('test_sweep.py',)
BENCH_MODULES = ('test_bench.py',)
CACHE = os.path.join(BUILD, 'pytest-cache')
SUMMARY = os.path.join(BUILD, 'qemu-work', 'summary.json')
# pytest's exit status when every collected case was deselected (or none existed).
NO_TESTS_COLLECTED = 5


def python():
    if not os.path.exists(DEBIAN_PYTHON):
        raise Failure(f'{DEBIAN_PYTHON} is missing: install Debian\'s python3')
    return DEBIAN_PYTHON


def _argv(modules, options, jobs):
    argv = [python(), '-m', 'pytest', '-c', os.path.join(TESTS, 'pytest.ini'),
            '--rootdir', TOP, '-o', f'cache_dir={CACHE}']
    argv += [os.path.join(TESTS, m) for m in modules] + options
    if jobs > 1:
        argv += ['-n', str(jobs)]
    return argv


def list_cases(modules, options):
    """The names of the cases that `options` select, in collection order."""
    listing = os.path.join(BUILD, 'qemu-work', 'cases.txt')
    os.makedirs(os.path.dirname(listing), exist_ok=True)
    proc = subprocess.run(_argv(modules, options + ['--collect-only', '-q', '-p', 'no:xdist',
                                                    '--hc-list', listing], 1),
                          cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode not in (0, NO_TESTS_COLLECTED) or not os.path.exists(listing):
        raise Failure(f'pytest could not collect the cases:\n{proc.stdout}')
    with open(listing, encoding='utf-8') as f:
        return [line.rstrip('\n') for line in f]


def run(modules, options, jobs, what, watch=None):
    """Run pytest over `modules`; print the failed cases and the count line.
    True when every selected case passed (and at least one ran).

    watch: (progress file, log file): pytest's own output goes to the log file
    and one progress line (done/total, failures, ETA) shows instead (watch())."""
    os.makedirs(os.path.dirname(SUMMARY), exist_ok=True)
    if os.path.exists(SUMMARY):
        os.unlink(SUMMARY)
    argv = _argv(modules, options + ['--hc-summary', SUMMARY, '-v', '-rfE', '--tb=short'],
                 jobs)
    if watch:
        proc = _watched(argv + ['--hc-progress', watch[0]], *watch)
    else:
        proc = subprocess.run(argv, cwd=TOP)
    if not os.path.exists(SUMMARY):
        say(f'pytest ended (exit {proc.returncode}) without a summary')
        print('0 passed, 1 failed', flush=True)
        return False
    with open(SUMMARY, encoding='utf-8') as f:
        summary = json.load(f)
    passed, failed = summary['passed'], summary['failed']
    if proc.returncode == NO_TESTS_COLLECTED or not (passed or failed):
        say(f'no {what} case was selected')
        print('0 passed, 0 failed', flush=True)
        return False
    if failed:
        print(f'failed ({len(failed)}; logs in build/qemu-work/<case>/):', flush=True)
        for name in failed:
            print(f'  {name}', flush=True)
    skipped = f', {len(summary["skipped"])} skipped' if summary['skipped'] else ''
    print(f'{len(passed)} passed, {len(failed)} failed{skipped}', flush=True)
    return proc.returncode == 0 and not failed


def _watched(argv, progress, log):
    """Run pytest with its output in `log`, showing one progress line meanwhile:
    rewritten in place on a terminal, else printed at every tenth of the cases."""
    if os.path.exists(progress):
        os.unlink(progress)
    tty = sys.stderr.isatty()
    shown, last = -1, ''
    with open(log, 'w', encoding='utf-8') as out:
        proc = subprocess.Popen(argv, cwd=TOP, stdout=out, stderr=subprocess.STDOUT)
        try:
            while True:
                ended = proc.poll() is not None
                state = _read_progress(progress)
                if state and state.get('total'):
                    line = progress_line(state)
                    step = state['done'] * 10 // state['total']
                    if tty and line != last:
                        sys.stderr.write('\r\033[K' + line)
                        sys.stderr.flush()
                    elif not tty and (step != shown or ended) and line != last:
                        print(line, file=sys.stderr, flush=True)
                        shown = step
                    last = line
                if ended:
                    break
                time.sleep(0.5)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    if tty and last:
        sys.stderr.write('\n')
    say(f'pytest\'s output: {os.path.relpath(log)}')
    return proc


def _read_progress(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def progress_line(state):
    """"sweep: 812/4885 done, 0 failed, 3:05 elapsed, ETA 14:02" from the progress file."""
    done, total, elapsed = state['done'], state['total'], state['elapsed']
    eta = elapsed / done * (total - done) if done else None
    clock = lambda s: f'{int(s) // 60}:{int(s) % 60:02d}'   # noqa: E731
    return (f'{done}/{total} done, {state["failed"]} failed, {clock(elapsed)} elapsed'
            + (f', ETA {clock(eta)}' if eta is not None else ''))
