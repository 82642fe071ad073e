"""./hypcore soak N, and its bounded slice in ./hypcore test ("soak:*").

N boots of one configuration (default: arm64, 4 CPUs, -icount shift=0,sleep=off
-seed 1), each of which must reach the end marker and print exactly what the
first printed, byte for byte (QEMU's own warnings on its stderr left out): under -icount a boot is deterministic, so any
difference is a race, an uninitialised read or a use of the host's time.  The
first difference is shown with the lines around it; every run's serial log stays
in build/qemu-work/soak_<arch>_<config>_<i>/.
"""
import concurrent.futures

from . import qemu
from .suites import Case, run_qemu, with_log

DEFAULT_COUNT = 20
TEST_COUNT = 3          # ./hypcore test: three boots of the default configuration
DEFAULT_SMP = 4


def config_name(spec):
    return (f'{spec.arch}:smp{spec.smp}' + ('/icount' if spec.icount else '')
            + (f'/{spec.hyp_args.replace(" ", ",")}' if spec.hyp_args else ''))


def serial_only(log):
    """The log without QEMU's own messages ("qemu-system-...: warning: ..."), which
    come on its stderr and land wherever the pipe interleaves them."""
    return '\n'.join(line for line in log.split('\n') if not line.startswith('qemu-system-'))


def _first_difference(a, b):
    la, lb = serial_only(a).split('\n'), serial_only(b).split('\n')
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return i, x, y
    if len(la) != len(lb):
        i = min(len(la), len(lb))
        return i, la[i] if i < len(la) else '<end>', lb[i] if i < len(lb) else '<end>'
    return None


def soak(spec, count, jobs=1, say=print):
    """Boot `count` times; None when every boot completed and printed what the first did."""
    name = config_name(spec)

    def boot(i):
        return run_qemu(f'soak:{name}#{i}', spec, timeout=60)

    plan, first, _ = boot(0)
    if not first.ok:
        return with_log(f'soak {name}: run 0 did not boot to the end marker', first, plan)
    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for i, (plan_i, result, _) in enumerate(pool.map(boot, range(1, count)), start=1):
            if not result.ok:
                problems.append(with_log(f'run {i} did not boot to the end marker',
                                         result, plan_i))
                continue
            diff = _first_difference(first.log, result.log)
            if diff:
                line, want, got = diff
                problems.append(f'run {i} differs from run 0 at output line {line + 1}:\n'
                                f'  run 0: {want!r}\n  run {i}: {got!r}')
            say(f'soak {name}: run {i} {"differs" if diff else "same"}')
    if problems:
        return f'soak {name}: {len(problems)} of {count - 1} runs differ from run 0\n' + \
            '\n'.join(problems)
    return None


def default_spec(arch='arm64', smp=DEFAULT_SMP, icount=True, hyp_args=''):
    return qemu.RunSpec(arch=arch, smp=smp, icount=icount,
                        gic=3 if arch == 'arm64' else 2, hyp_args=hyp_args)


def cases():
    """The slice ./hypcore test runs: TEST_COUNT -icount boots with 4 CPUs and selftest=smp."""
    spec = default_spec(hyp_args='selftest=smp')
    return [Case(f'soak:{config_name(spec)}/x{TEST_COUNT}',
                 lambda: soak(spec, TEST_COUNT, say=lambda _: None))]

