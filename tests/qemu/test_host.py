"""The host unit tests (tests/unit, the real common/*.c behind a small harness),
one pytest case per meson test: "host:<name>".  They stay meson tests (run alone
with `meson test -C build/host`); here each runs as `meson test <name>` so that a
failure shows its own log.  ./hypcore builds build/host before pytest starts."""
import json
import os
import re
import subprocess

from conftest import run_case
from hypcore_lib import build, suites
from hypcore_lib.common import Failure


def meson_tests():
    """The names of the meson tests in build/host, from meson's introspection."""
    bdir = os.path.join(build.BUILD, 'host')
    proc = subprocess.run(['meson', 'introspect', bdir, '--tests'], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        return None, f'meson introspect {bdir} --tests failed: {proc.stdout.strip()}'
    return [test['name'] for test in json.loads(proc.stdout)], None


def host_case(name):
    def run():
        bdir = os.path.join(build.BUILD, 'host')
        logbase = 'host-' + re.sub(r'[^A-Za-z0-9_.-]+', '_', name)
        proc = subprocess.run(['meson', 'test', '-C', bdir, '--no-rebuild', '--print-errorlogs',
                               '--logbase', logbase, name], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            return f'meson test {name} failed (exit {proc.returncode}):\n{proc.stdout}'
        if not re.search(r'^\s*Ok:\s+1\s*$', proc.stdout, re.M):
            return f'meson test {name} did not report one passed test:\n{proc.stdout}'
        return None
    return suites.Case('host:' + name, run)


def cases(config):
    names, problem = meson_tests()
    if problem:
        def fail():
            raise Failure(problem)
        return [suites.Case('host:introspect', fail)]
    return [host_case(name) for name in names]


def test_host(case):
    run_case(case)
