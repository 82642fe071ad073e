"""Helpers of the ./hypcore commands (the script itself holds the option
parsers; experiments.py the sweep and explain commands)."""
import json
import os
import re
import shlex
import sys

from .common import say
from . import build, image, qemu, results, suites


def setup(args):
    if not args.no_build:
        for arch in ([args.arch] if args.arch else suites.ARCHES):
            build.prepare(arch)


def check_layout(parser, arch, layout):
    """An unknown layout is an option error that names the layouts there are."""
    names = image.layouts(arch)
    if layout not in names:
        parser.error(f'argument --layout: no layout {layout!r} for {arch} '
                     f'(configs/layouts/{arch}/: {", ".join(names)})')


def pick_loader(spec, img):
    """--loader not given: kernel where QEMU's -kernel can place the image at the
    load address, else generic; returns a note saying which when it matters."""
    load = qemu.default_load(img, 'kernel') if spec.load is None else spec.load
    problem = qemu.check_load('kernel', load, img, spec)
    if problem is None:
        return 'kernel', None
    return 'generic', f'--loader generic chosen: {problem}'


def write_serial_log(workdir, plan, result):
    """The run's serial log, the QEMU command on its first line (as the suites keep
    theirs), in the run's work directory; returns its path."""
    path = os.path.join(os.path.abspath(workdir), 'serial.log')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(shlex.join(plan.argv) + '\n' + result.log)
    return path


def write_json(path, record):
    """--json FILE ("-": standard output)."""
    text = json.dumps(record, indent=1) + '\n'
    if path == '-':
        sys.stdout.write(text)
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    say(f'results: {os.path.relpath(path)}')


def cpus_not_up(log, hyp_args, refused=()):
    """Which CPUs hypcore reported as not brought up, other than the one a
    selftest=stall:N asked to stall and those --refuse-cpu had refused ("" when none)."""
    selftests = re.findall(r'(?:^|\s)selftest=(\S*)', hyp_args or '')
    stall = re.fullmatch(r'stall:(\d+)', selftests[-1]) if selftests else None   # last wins
    expected = ({int(stall.group(1))} if stall else set()) | set(refused)
    down = [(cpu, entry['reason']) for cpu, entries in sorted(results.parse_smp(log).cpus.items())
            for entry in entries if entry['state'] == 'failed' and cpu not in expected]
    return ', '.join(f'cpu{cpu} did not come up ({reason})' for cpu, reason in down)


def pytest_options(args, pattern):
    options = ['--hc-arch', args.arch or 'all']
    if pattern:
        options += ['--hc-filter', pattern]
    if getattr(args, 'last_failed', False):
        options += ['--lf']
    return options
