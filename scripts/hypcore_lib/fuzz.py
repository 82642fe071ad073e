"""./hypcore fuzz, and the bounded fuzz case of ./hypcore test.

The target is build/host/tests/fuzz/fuzz-dt-heap (tests/fuzz/, libFuzzer with
ASan and UBSan, built by meson when clang is installed): arbitrary bytes as a
DTB through dt_check, the module binding, the memory map, the heap and the
module release.  ASSERT and panic abort, so any crash is a finding.

Corpus (build/fuzz/):
  seeds/     the host build's DTBs (build/host/tests/unit/*.dtb) and QEMU's own
             for a few machine shapes (-machine dumpdtb=), each rewritten
             compactly by dtc (QEMU pads its DTB to 1 MiB, which would make
             every input 1 MiB long)
  corpus/    what ./hypcore fuzz has found so far (kept between runs)
  crashes/   libFuzzer's crash-*, leak-*, timeout-*, oom-* reproducers
./hypcore test runs from the seeds alone (a fresh directory each time, fixed
libFuzzer seed) for FUZZ_TEST_RUNS inputs.
"""
import glob
import os
import re
import shutil
import subprocess
import time

from .common import BUILD, GiB, Failure, say
from . import build, qemu

FUZZ_DIR = os.path.join(BUILD, 'fuzz')
SEEDS = os.path.join(FUZZ_DIR, 'seeds')
CORPUS = os.path.join(FUZZ_DIR, 'corpus')
CRASHES = os.path.join(FUZZ_DIR, 'crashes')
TARGET = os.path.join(BUILD, 'host', 'tests', 'fuzz', 'fuzz-dt-heap')
# ./hypcore test: about half a minute on this 2-core host.
FUZZ_TEST_RUNS = 20000
# Inputs up to this long (the seeds are below 16 KiB; the target takes up to 2 MiB).
MAX_LEN = 64 * 1024
# QEMU machine shapes whose DTBs seed the corpus (smp, gic, mem, guest-loader modules).
QEMU_SEEDS = (
    ('qemu-smp8-gic2-1g', 8, 2, 1 * GiB, ()),
    ('qemu-smp64-gic3-4g', 64, 3, 4 * GiB, ()),
    ('qemu-2g-modules', 2, 3, 2 * GiB, ((0x50000000, 0x4023, 'kernel'),
                                       (0x50004023, 0x2023, 'initrd'),
                                       (0xbfffe000, 0x2000, 'initrd'))),
)
# What libFuzzer prints when it stops on a finding.
FINDING_MARKERS = ('ERROR: libFuzzer', 'ERROR: AddressSanitizer', 'ERROR: LeakSanitizer',
                   'runtime error:', 'SUMMARY: ', 'Test unit written to')


def target():
    """The fuzz binary, built (with the rest of build/host) if clang is there."""
    build.build_host()
    if not os.path.exists(TARGET):
        raise Failure(f'{os.path.relpath(TARGET, BUILD)} was not built: meson builds it only '
                      'when it finds clang (apt-get install clang, then '
                      'rm -rf build/host to reconfigure)')
    return TARGET


def _compact(src, dest):
    """Copy a DTB rewritten by dtc (no padding); the raw bytes if dtc refuses it."""
    proc = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dtb', '-o', dest, src],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if proc.returncode != 0:
        shutil.copyfile(src, dest)


def make_seeds(directory=SEEDS):
    """Fill `directory` with the seed DTBs (see the module docstring); returns it."""
    os.makedirs(directory, exist_ok=True)
    unit = sorted(glob.glob(os.path.join(BUILD, 'host', 'tests', 'unit', '*.dtb')))
    if not unit:
        raise Failure('no DTBs in build/host/tests/unit: the host build makes them')
    for path in unit:
        _compact(path, os.path.join(directory, 'unit-' + os.path.basename(path)))
    work = os.path.join(FUZZ_DIR, 'qemu')
    os.makedirs(work, exist_ok=True)
    for name, smp, gic, mem, modules in QEMU_SEEDS:
        dest = os.path.join(directory, name + '.dtb')
        if os.path.exists(dest):
            continue
        argv = qemu._machine_argv(qemu.RunSpec(smp=smp, gic=gic, mem=mem))
        for addr, size, kind in modules:
            path = os.path.join(work, f'{addr:#x}.bin')
            with open(path, 'wb') as f:
                f.write(b'\xa5' * size)
            argv += ['-device', f'guest-loader,addr={addr:#x},{kind}={path}']
        _compact(qemu.dump_dtb(argv, os.path.join(work, name + '.dtb')), dest)
    return directory


def run_fuzzer(corpus_dirs, runs=None, seconds=None, seed=None, echo=False):
    """Run libFuzzer over corpus_dirs (the first one receives new inputs).

    Returns (ok, output, artifacts): ok when it exited 0 and left no reproducer."""
    binary = target()
    os.makedirs(CRASHES, exist_ok=True)
    before = set(os.listdir(CRASHES))
    argv = [binary, f'-max_len={MAX_LEN}', f'-artifact_prefix={CRASHES}{os.sep}',
            '-print_final_stats=1']
    if runs is not None:
        argv.append(f'-runs={runs}')
    if seconds is not None:
        argv.append(f'-max_total_time={int(seconds)}')
    if seed is not None:
        argv.append(f'-seed={seed}')
    argv += corpus_dirs
    if echo:
        say(' '.join(os.path.relpath(a, os.getcwd()) if os.path.isabs(a) else a
                     for a in argv))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors='replace')
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if echo and (re.match(r'#\d+\s+(INITED|pulse|DONE)', line)
                         or line.startswith(('INFO: seed', 'Done', 'stat::'))
                         or any(m in line for m in FINDING_MARKERS)):
                print(line, end='', flush=True)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    artifacts = sorted(os.path.join(CRASHES, a) for a in set(os.listdir(CRASHES)) - before)
    output = ''.join(lines)
    return proc.returncode == 0 and not artifacts, output, artifacts, proc.returncode


def _finding_text(output, artifacts, returncode):
    lines = output.splitlines()
    marks = [i for i, line in enumerate(lines) if any(m in line for m in FINDING_MARKERS)]
    start = max(0, (marks[0] if marks else len(lines)) - 5)
    text = '\n'.join(lines[start:start + 80])
    repro = '\n'.join(f'  reproduce: {TARGET} {a}' for a in artifacts)
    return f'libFuzzer exited with status {returncode}\n{text}\n{repro}'


def test_case():
    """./hypcore test: FUZZ_TEST_RUNS inputs from the seeds alone; fails on any finding."""
    from .suites import Case

    def run():
        make_seeds()
        corpus = os.path.join(FUZZ_DIR, 'test-corpus')
        shutil.rmtree(corpus, ignore_errors=True)
        os.makedirs(corpus)
        ok, output, artifacts, code = run_fuzzer([corpus, SEEDS], runs=FUZZ_TEST_RUNS, seed=1)
        return None if ok else _finding_text(output, artifacts, code)
    return Case(f'fuzz:dt-heap/{FUZZ_TEST_RUNS}-runs', run)


def fuzz(seconds=None, runs=None, seed=None, fresh=False):
    """./hypcore fuzz: grow build/fuzz/corpus; True when nothing was found."""
    if seconds is None and runs is None:
        seconds = 60
    if fresh:
        shutil.rmtree(CORPUS, ignore_errors=True)
    make_seeds()
    os.makedirs(CORPUS, exist_ok=True)
    started = time.monotonic()
    ok, output, artifacts, code = run_fuzzer([CORPUS, SEEDS], runs=runs, seconds=seconds,
                                             seed=seed, echo=True)
    took = time.monotonic() - started
    size = len(os.listdir(CORPUS))
    if ok:
        say(f'no crash in {took:.0f} s; corpus {os.path.relpath(CORPUS, os.getcwd())} '
            f'holds {size} inputs')
        return True
    print(_finding_text(output, artifacts, code))
    say(f'FOUND a crash after {took:.0f} s: reproducer(s) in '
        f'{os.path.relpath(CRASHES, os.getcwd())}')
    return False
