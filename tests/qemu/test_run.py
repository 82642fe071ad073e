"""./hypcore itself: exit codes that never lie, and option errors without tracebacks.

Cases "run:*".  Each runs the real command line (Debian's python3 ./hypcore ...
--no-build) or the runner's library against real QEMU, and checks the exit
status and the line that says why:
  - a trap nobody asked for (a secondary overflowing its stack because the
    DTB's own bootargs say so, unknown to the runner) fails the run although
    every CPU came up and the boot completed;
  - selftest=fault / selftest=stack-overflow:N pass only when exactly that
    dump appears (a stack-overflow on a CPU that does not exist fails);
  - a U-Boot error is recognised at once, not at the timeout;
  - every bad option value exits 2 with one argparse line and no traceback;
  - --show-command prints a command that a shell runs as it is;
  - arm32 --load-addr without --loader picks a loader that can put it there.
"""
import os
import re
import shlex
import subprocess
import sys

from conftest import run_case
from hypcore_lib import dom0suite, image, qemu, suites
from hypcore_lib.common import TOP

HYPCORE = [sys.executable, os.path.join(TOP, 'hypcore')]
CLI_TIMEOUT = 60
# `./hypcore test` first collects every suite's cases (models, images, QEMU
# DTB dumps): 20-40 s on this 2-core machine when other QEMU runs share it.
TEST_CLI_TIMEOUT = 300


def hypcore(name, *args):
    """Run ./hypcore with `args`, its files in the case's work directory."""
    directory = suites.workdir(name)
    argv = HYPCORE + list(args)
    if args[0] == 'run':
        argv[3:3] = ['--no-build', '--workdir', directory]
    proc = subprocess.run(argv, cwd=TOP, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          timeout=TEST_CLI_TIMEOUT if args[0] == 'test' else CLI_TIMEOUT)
    with open(os.path.join(directory, 'output.log'), 'w', encoding='utf-8') as f:
        f.write(f'{shlex.join(argv)}\nexit {proc.returncode}\n{proc.stdout}{proc.stderr}')
    return proc


def explain(proc, problem):
    return (f'{problem}\n  command: {shlex.join(proc.args)}\n  exit {proc.returncode}\n'
            + ''.join(f'    | {line}\n' for line in (proc.stdout + proc.stderr).splitlines()))


def exit_case(name, args, status, stderr_re):
    """./hypcore ARGS exits with `status` and its own last line matches stderr_re."""
    def run():
        proc = hypcore(name, *args)
        last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ''
        if proc.returncode != status:
            return explain(proc, f'exit status {proc.returncode}, expected {status}')
        if not re.search(stderr_re, last):
            return explain(proc, f'last line {last!r} does not match {stderr_re!r}')
        if 'Traceback' in proc.stderr:
            return explain(proc, 'a traceback')
        return None
    return suites.Case(name, run)


def dtb_with_bootargs(name, bootargs, smp):
    """QEMU's own DTB for this machine with /chosen/bootargs set, so that hypcore
    gets a self-test the runner does not know about."""
    directory = suites.workdir(name + '-input')
    spec = qemu.RunSpec(smp=smp)
    dtb = qemu.dump_dtb(qemu._machine_argv(spec), os.path.join(directory, 'bootargs.dtb'))
    subprocess.run(['fdtput', '-t', 's', dtb, '/chosen', 'bootargs', bootargs], check=True)
    return dtb


def unasked_trap_case():
    name = 'run:exit:secondary-trap-unasked/smp2'

    def run():
        dtb = dtb_with_bootargs(name, 'selftest=stack-overflow:1', 2)
        return exit_case(name, ['run', '--smp', '2', '--dtb', dtb], 1,
                         r'FAILED: trap: unexpected trap dump on cpu1 \(trap: EC=0x25').run()
    return suites.Case(name, run)


def cpu_down_case():
    """/cpus lists a CPU that does not exist: hypcore reports PSCI's refusal and
    finishes the boot with the others, but run must not call that a success."""
    name = 'run:exit:cpu-not-up/smp2+cpu0xff'

    def run():
        from hypcore_lib import smpsuite
        directory = suites.workdir(name + '-input')
        spec = qemu.RunSpec(smp=2, loader='generic')
        dtb = smpsuite.extra_cpu_dtb(spec, os.path.join(directory, 'extra.dtb'),
                                     [(0xff, 'cpu@ff')])
        return exit_case(name, ['run', '--smp', '2', '--loader', 'generic', '--dtb', dtb], 1,
                         r'FAILED: the boot completed, but cpu2 did not come up '
                         r'\(INVALID_PARAMETERS\)').run()
    return suites.Case(name, run)


def dom0_refused_case():
    """A kernel module that is no arm64 Image: hypcore says so and finishes its
    boot without dom0, but run must not report that as a success."""
    name = 'run:exit:dom0-refused'

    def run():
        directory = suites.workdir(name + '-input')
        kernel = os.path.join(directory, 'not-an-image')
        with open(kernel, 'wb') as f:
            f.write(bytes(range(40)))      # shorter than an Image header
        return exit_case(name, ['run', '--module', kernel], 1,
                         r'FAILED: the boot completed, but no dom0 ran: kernel module '
                         r'0x[0-9a-f]+-0x[0-9a-f]+ is not an arm64 Image').run()
    return suites.Case(name, run)


def dom0_bad_header_case():
    """arm32: a zImage whose header claims more bytes than the module holds:
    one line naming the header's size and the module's, no dom0, exit 1."""
    name = 'run:exit:dom0-bad-header'

    def run():
        directory = suites.workdir(name + '-input')
        kernel = os.path.join(directory, 'truncated-zimage')
        with open(kernel, 'wb') as f:
            f.write(dom0suite.zimage(dom0suite.a32_system_off_code(), end=0x10000))
        return exit_case(name, ['run', '--arch', 'arm32', '--module', kernel], 1,
                         r'FAILED: the boot completed, but no dom0 ran: zImage header says '
                         r'0x10000 bytes \(end - start\) but the module holds 0x44: '
                         r'no dom0').run()
    return suites.Case(name, run)


def uboot_error_case(arch):
    """booti/bootz of an address that holds no image: U-Boot says so and returns to
    its prompt; the runner must stop there ("uboot" outcome), not at the timeout."""
    name = suites.tag(arch, 'run:exit:uboot-error-at-once')

    def run():
        img = image.load(arch, 'default')
        spec = qemu.RunSpec(arch=arch, loader='uboot')
        plan = qemu.plan(spec, img, suites.workdir(name))
        empty = 0x60000000          # RAM nobody loaded anything into
        expect, command = plan.console[-1]
        plan.console[-1] = (expect, re.sub(r'0x[0-9a-f]+', f'{empty:#x}', command, count=1))
        result = qemu.boot(plan, timeout=suites.BOOT_TIMEOUT * 3)
        if result.outcome != 'uboot':
            return suites.with_log(f'outcome {result.outcome} ({result.reason}), expected '
                                   'uboot', result, plan)
        return None
    return suites.Case(name, run)


def show_command_case():
    """The printed QEMU command, pasted into a shell, boots hypcore to its end marker
    with the hypervisor arguments intact (spaces and quotes included)."""
    name = 'run:show-command-pastes'
    args = 'loglvl=all hypcore.note="two words"'

    def run():
        proc = hypcore(name, 'run', '--show-command', '--', *args.split(' ', 1))
        line = [ln for ln in proc.stderr.splitlines() if ln.startswith('hypcore: QEMU: ')]
        if proc.returncode != 0 or len(line) != 1:
            return explain(proc, 'expected exit 0 and one "hypcore: QEMU: " line')
        command = line[0][len('hypcore: QEMU: '):]
        shell = subprocess.run(['bash', '-c', f'timeout 30 {command}'], cwd=TOP,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        if 'hypcore: boot complete' not in shell.stdout:
            return f'the pasted command did not boot:\n{command}\n{shell.stdout}'
        want = f'dt: bootargs "{args}"'
        if want not in shell.stdout:
            return f'the pasted command lost the arguments: no {want!r} in\n{shell.stdout}'
        return None
    return suites.Case(name, run)


def _arm32_pick(load):
    name = 'arm32:run:load-addr-picks-loader'

    def run():
        proc = hypcore(name, 'run', '--arch', 'arm32', '--load-addr', hex(load))
        if proc.returncode != 0:
            return explain(proc, 'expected exit 0')
        if not re.search(rf'--loader generic chosen: .*{load:#x}', proc.stderr):
            return explain(proc, 'no line saying that --loader generic was chosen and why')
        if f'load={load:#x}' not in proc.stdout:
            return explain(proc, f'hypcore did not run at {load:#x}')
        return None
    return suites.Case(name, run)


# (name, arguments, the argparse error it must produce)
BAD_VALUES = [
    ('mem-word', ['run', '--mem', 'lots'], r'--mem: not a size'),
    ('mem-not-mib', ['run', '--mem', '1000K'], r'--mem: .*not a positive whole number of MiB'),
    ('mem-fraction-byte', ['run', '--mem', '1.0000001M'], r'--mem: not a whole number'),
    ('load-addr', ['run', '--load-addr', 'zzz'], r'--load-addr: not a number'),
    ('timeout-zero', ['run', '--timeout', '0'], r'--timeout: .*more than 0'),
    ('timeout-negative', ['run', '--timeout', '-5'], r'--timeout: .*more than 0'),
    ('smp-zero', ['run', '--smp', '0'], r'--smp: .*less than 1'),
    ('gic', ['run', '--gic', '4'], r'--gic: invalid choice'),
    ('layout', ['run', '--layout', 'nosuch'], r'no layout .nosuch.*default.*ram'),
    ('module', ['run', '--module', '/nonexistent/k'], r'--module: .*no such file'),
    ('arm32-smp', ['run', '--arch', 'arm32', '--smp', '9', '--gic', '2'], r'at most 8 CPUs with GICv2'),
    ('smp-513', ['run', '--smp', '513'], r'at most 512 CPUs with GICv3'),
    ('test-regex', ['test', '--no-build', '-k', '('], r'-k/--filter: not a regular expression'),
    ('jobs', ['test', '--no-build', '--jobs', 'x'], r'--jobs: not a number'),
    ('sweep-mem', ['sweep', '--no-build', '--mem', '3.5K'], r'--mem: .*whole number'),
    ('dom0-shell', ['run', '--dom0-shell'], r'--dom0-shell needs --dom0 linux'),
    ('dom0-linux-arm32-mem', ['run', '--arch', 'arm32', '--dom0', 'linux', '--mem', '4G'],
     r'--mem 4096M: arm32 Linux as dom0 .*highmem=off.*at most 3 GiB'),
    ('dom0-shell-xen', ['run', '--hypervisor', 'xen', '--dom0', 'linux', '--dom0-shell'],
     r'--dom0-shell runs under hypcore only'),
]


def cases(config):
    from conftest import arches
    out = []
    if arches(config) in (None, 'arm64'):
        out += [exit_case(f'run:bad-value:{name}', args, 2, r': error: .*' + pattern)
                for name, args, pattern in BAD_VALUES]
        out += [
            unasked_trap_case(),
            exit_case('run:exit:selftest-fault', ['run', '--', 'selftest=fault'], 0,
                      r'trap dump on cpu0 that selftest=fault asks for appeared'),
            exit_case('run:exit:selftest-stack-overflow/smp2',
                      ['run', '--smp', '2', '--', 'selftest=stack-overflow:1'], 0,
                      r'boot complete'),
            exit_case('run:exit:selftest-stack-overflow-no-such-cpu',
                      ['run', '--smp', '2', '--', 'selftest=stack-overflow:5'], 1,
                      r'FAILED: .*cpu5 that selftest=stack-overflow:5 asks for did not appear'),
            uboot_error_case('arm64'),
            cpu_down_case(),
            dom0_refused_case(),
            dom0_bad_header_case(),
            exit_case('run:exit:selftest-stall/smp4', ['run', '--smp', '4', '--',
                                                       'selftest=stall:2'], 0, r'boot complete'),
            show_command_case(),
            exit_case('run:test-k-nomatch', ['test', '--no-build', '-k', 'no-such-case-xyz'],
                      1, r'no test case was selected'),
        ]
    if arches(config) in (None, 'arm32'):
        out += [_arm32_pick(0x40400000), uboot_error_case('arm32')]
    return out


def test_run(case):
    run_case(case)
