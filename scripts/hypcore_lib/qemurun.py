"""Running one QEMU boot and reading its serial output as it comes (qemu.py
re-exports these names; qemu.py plans the command line).

boot() starts QEMU, feeds every line to a watcher that knows hypcore's
failure lines (a panic, an early "- hypcore: ... -" line, a failed self-test,
a trap dump no self-test asked for, dom0 crashing) and its end (the end
marker, dom0's SYSTEM_OFF), drives U-Boot's console when the plan has one,
and returns a Result: how the run ended and the whole log."""
import codecs
import dataclasses
import os
import re
import select
import subprocess
import threading
import time

from .common import END_MARKER, HYP_PREFIX, TOP, Failure

# Lines that end a run early: hypcore has failed and parks.
PANIC_RE = re.compile(r'PANIC')
EARLY_FAIL_RE = re.compile(r'^- .+ -$')
# A self-test that ran and failed ("selftest pt: cpu1 FAILED (...)", "selftest heap:
# FAILED ..."): the run fails even though the boot completes.
SELFTEST_FAILED_RE = re.compile(r'selftest [\w-]+: (?:\S+ )?FAILED')
# A trap dump (arch/*/traps.c): its first line names the CPU, its last says it parked.
TRAP_HEAD_RE = re.compile(r'trap: .* exception .* on cpu(\d+)\s*$')
TRAP_CLASS_RE = re.compile(r'trap: EC=')
TRAP_OVERFLOW_RE = re.compile(r'trap: stack overflow: cpu(\d+) ')
TRAP_PARKED_RE = re.compile(r'trap: cpu(\d+) parked')
# dom0's life as hypcore reports it (xen-like/dom0_build.c, vpsci.c,
# arch/*/guest.c): a run that entered dom0 ends when dom0 powers off.
DOM0_ENTER_RE = re.compile(r'dom0: entering (EL1|SVC) at 0x[0-9a-f]+ on cpu0')   # arm64 | arm32
DOM0_EXIT_RE = re.compile(r'dom0: (SYSTEM_OFF|SYSTEM_RESET) requested')
DOM0_CRASH_RE = re.compile(r'dom0: crashed')
# U-Boot: back at its prompt after the boot command, or one of its errors.
UBOOT_PROMPT = '=> '
UBOOT_ERROR_RE = re.compile(r'(Bad Linux ARM(64)? Image magic|Wrong Image Format|Unknown command|'
                            r'ERROR|Error|FDT_ERR|Could not find|not found|Bad (data|header))')
# How long to keep reading after a failure line (for the rest of a dump) and
# how long QEMU may take to exit after the end marker (PSCI SYSTEM_OFF).
FAIL_GRACE = 1.5
POWEROFF_GRACE = 5.0


# QEMU processes still running, so that an interrupted ./hypcore leaves none behind.
_live = set()
_live_lock = threading.Lock()
_stopping = False


def kill_all():
    """Kill every QEMU this process started that is still running; start no more."""
    global _stopping
    with _live_lock:
        _stopping = True
        for proc in list(_live):
            if proc.poll() is None:
                proc.kill()


@dataclasses.dataclass(frozen=True)
class ExpectedTrap:
    """The one trap dump a self-test provokes on purpose."""
    cpu: int
    overflow: bool          # the dump says the CPU hit its stack guard page
    boot_goes_on: bool      # the other CPUs finish the boot (end marker, power-off)
    option: str

    def describe(self):
        return f'the trap dump on cpu{self.cpu} that {self.option} asks for'


def expected_trap(hyp_args):
    """The trap dump that the hypervisor command line's selftest= asks for, or None.

    The last selftest= wins, as in hypcore's own parser (common/cmdline.c).
    selftest=fault: the boot CPU faults and parks, so the boot never ends;
    selftest=stack-overflow:N, selftest=stack-overflow-big:N (frames that
    jump past the guard page): CPU N overflows and parks, the boot goes on."""
    value = None
    for token in (hyp_args or '').split():
        if token.startswith('selftest='):
            value = token[len('selftest='):]
    if value == 'fault':
        return ExpectedTrap(0, False, False, 'selftest=fault')
    m = re.fullmatch(r'stack-overflow(?:-big)?:(\d+)', value or '')
    if m:
        return ExpectedTrap(int(m.group(1)), True, True, f'selftest={value}')
    return None


@dataclasses.dataclass
class Result:
    """How a QEMU run ended."""
    ok: bool
    outcome: str        # complete, expected-trap, panic, early-failure, trap, uboot, selftest,
                        # timeout, exited, no-poweroff, stopped, silent
    reason: str
    log: str
    seconds: float
    exited: bool        # QEMU exited by itself (rather than being killed by the runner)

    def lines(self):
        return [line.rstrip('\r') for line in self.log.split('\n')]


@dataclasses.dataclass
class _Trap:
    """What the serial log showed of one CPU's trap dump."""
    cpu: int
    class_line: str = None
    overflow: bool = False
    parked: bool = False
    dumps: int = 1


class _Watcher:
    """Follows the serial log line by line and decides when the run is over.

    Every trap dump counts: one that the command line's self-test did not ask
    for is a failure even when the other CPUs finish the boot, and the one it
    asked for must appear, complete, on the right CPU."""

    def __init__(self, expect=None, end_marker=END_MARKER, panic_re=None, needs_both=False,
                 stop_re=None):
        self.end_marker = end_marker
        self.stop_re = stop_re
        self.stopped = None     # the stop_re line, once seen
        self.needs_both = needs_both
        self.panic_re = panic_re or PANIC_RE
        self.partial = ''
        self.end_seen = False
        self.failure = None     # (outcome, line)
        self.expect = expect
        self.traps = {}         # cpu -> _Trap
        self.current = None     # the CPU whose dump is being printed
        self.expected_done = False
        self.dom0_entered = False
        self.dom0_exited = False

    @property
    def done(self):
        """The run has reached its end (the marker, dom0's power-off, or both)."""
        if self.needs_both:
            return self.end_seen and self.dom0_exited
        return self.end_seen or self.dom0_exited

    def feed(self, text):
        self.partial += text
        *lines, self.partial = self.partial.split('\n')
        for line in lines:
            self._line(line.rstrip('\r'))

    def _fail(self, outcome, line):
        if self.failure is None:
            self.failure = (outcome, line)

    def _line(self, line):
        if self.stop_re is not None and self.stopped is None and self.stop_re.search(line):
            self.stopped = line
        if line.strip().startswith(self.end_marker):
            self.end_seen = True
        elif DOM0_ENTER_RE.search(line):
            self.dom0_entered = True
        elif DOM0_EXIT_RE.search(line):
            self.dom0_exited = True
        elif DOM0_CRASH_RE.search(line):
            self._fail('dom0-crash', line)
        elif self.panic_re.search(line):
            self._fail('panic', line)
        elif EARLY_FAIL_RE.match(line):
            self._fail('early-failure', line)
        elif SELFTEST_FAILED_RE.search(line):
            self._fail('selftest', line)
        elif (m := TRAP_HEAD_RE.search(line)):
            cpu = int(m.group(1))
            if cpu in self.traps:
                self.traps[cpu].dumps += 1
            else:
                self.traps[cpu] = _Trap(cpu)
            self.current = cpu
        elif TRAP_CLASS_RE.search(line) and self.current in self.traps:
            self.traps[self.current].class_line = line
        elif (m := TRAP_OVERFLOW_RE.search(line)) and int(m.group(1)) in self.traps:
            self.traps[int(m.group(1))].overflow = True
        elif (m := TRAP_PARKED_RE.search(line)):
            self._parked(int(m.group(1)), line)

    def _parked(self, cpu, line):
        trap = self.traps.setdefault(cpu, _Trap(cpu))
        trap.parked = True
        problem = self.trap_problem(cpu)
        if problem is None:
            self.expected_done = not self.expect.boot_goes_on
        else:
            detail = (trap.class_line or line).replace(HYP_PREFIX, '').strip()
            self._fail('trap', f'{problem} ({detail})')

    def trap_problem(self, cpu=None):
        """None when the dumps seen (of `cpu`, or all) are exactly what was asked for."""
        want = self.expect
        for trap in ([self.traps[cpu]] if cpu is not None else self.traps.values()):
            if want is None or trap.cpu != want.cpu:
                return f'unexpected trap dump on cpu{trap.cpu}'
            if trap.dumps != 1:
                return f'{trap.dumps} trap dumps on cpu{trap.cpu}, expected one'
            if trap.overflow != want.overflow:
                return (f'the trap dump on cpu{trap.cpu} '
                        + ('is not' if want.overflow else 'is') + ' a stack overflow')
            if not trap.parked:
                return f'the trap dump on cpu{trap.cpu} was cut short (no "parked" line)'
        if cpu is None and want is not None and want.cpu not in self.traps:
            return f'{want.describe()} did not appear'
        return None


class _UBootWatch:
    """Recognises a U-Boot that failed: an error line after the first command,
    or its prompt again after the boot command, before "Starting kernel"."""

    def __init__(self):
        self.first_command = None   # log position after the first command was sent
        self.boot_command = None    # ... after the boot command was sent
        self.kernel_started = False

    def check(self, log):
        if self.first_command is None or self.kernel_started:
            return None
        window = log[self.first_command:]
        started = window.find('Starting kernel')
        if started >= 0:
            self.kernel_started = True
            window = window[:started]
        # The first line is the echo of the first command, and each later
        # command echoes after a prompt: what the user typed is not an error.
        for line in window.split('\n')[1:-1]:
            if not line.startswith(UBOOT_PROMPT) and UBOOT_ERROR_RE.search(line):
                return line.strip()
        if self.boot_command is not None and not self.kernel_started:
            if ('\n' + UBOOT_PROMPT) in log[self.boot_command:]:
                return 'U-Boot returned to its prompt after the boot command'
        return None


def boot(plan_, timeout, echo=False, stop=None, interactive=False):
    """Run QEMU, feed U-Boot its commands, and classify the end of the run.

    ok when hypcore printed its end marker and QEMU then exited with 0
    (PSCI SYSTEM_OFF) with no trap dump on any CPU, or when exactly the trap
    dump the command line's self-test asks for appeared (plan_.expect_trap).
    A panic, an early-failure line ("- ... -"), a trap dump's "parked" line
    nobody asked for, or a U-Boot error ends the run after a short grace
    period (hypcore parks there); QEMU is killed then, at the timeout (None:
    wait for ever, for --gdb), and once the threading.Event `stop` is set
    (outcome stopped), or as soon as a line matches plan_.stop_re (stopped
    too).  interactive: QEMU reads this process's stdin (the
    serial console's input; --dom0-shell).
    """
    start = time.monotonic()
    with _live_lock:
        if _stopping:
            raise Failure('interrupted')
        stdin = (subprocess.PIPE if plan_.console else None if interactive
                 else subprocess.DEVNULL)
        proc = subprocess.Popen(plan_.argv, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=TOP)
        _live.add(proc)
    watcher = _Watcher(plan_.expect_trap, plan_.end_marker, plan_.panic_re,
                       plan_.end_needs_dom0_off, plan_.stop_re)
    uboot = _UBootWatch()
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    console = list(plan_.console)
    log, console_pos = '', 0
    last_output = time.monotonic()
    outcome = None
    try:
        while outcome is None:
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if ready:
                data = os.read(proc.stdout.fileno(), 65536)
                if data:
                    text = decoder.decode(data)
                    log += text
                    last_output = time.monotonic()
                    if echo:
                        print(text, end='', flush=True)
                    watcher.feed(text)
                    console_pos = _drive_console(proc, console, log, console_pos, uboot,
                                                 len(plan_.console))
                    error = uboot.check(log)
                    if error:
                        watcher._fail('uboot', error)
                    if watcher.stopped is not None:     # now, while output keeps coming
                        outcome = _outcome(proc, watcher, start, last_output, timeout)
                    continue
                proc.wait(timeout=POWEROFF_GRACE)
            outcome = _outcome(proc, watcher, start, last_output, timeout)
            if (outcome is None and not log and plan_.silence_limit is not None
                    and time.monotonic() - start > plan_.silence_limit):
                outcome = ('silent', f'no output at all in {plan_.silence_limit:g} s')
            if outcome is None and stop is not None and stop.is_set():
                outcome = ('stopped', 'stopped by the caller')
    finally:
        exited = proc.poll() is not None
        if not exited:
            proc.kill()
        proc.wait()
        with _live_lock:
            _live.discard(proc)
    return _result(outcome, exited, proc.returncode, log, time.monotonic() - start)


def _drive_console(proc, console, log, pos, uboot, total):
    """Send U-Boot the next command once its expected prompt has appeared."""
    while console:
        expect, send = console[0]
        found = log.find(expect, pos)
        if found < 0:
            break
        pos = found + len(expect)
        proc.stdin.write(send.encode())
        proc.stdin.flush()
        console.pop(0)
        if len(console) == total - 2 and uboot.first_command is None:
            uboot.first_command = pos       # the first command after the autoboot key
        if not console:
            uboot.boot_command = pos
    return pos


def _outcome(proc, watcher, start, last_output, timeout):
    """None while the run goes on, else (outcome, reason)."""
    now = time.monotonic()
    if watcher.stopped is not None:
        return ('stopped', f'stopped at {watcher.stopped.strip()!r}')
    if proc.poll() is not None:
        if watcher.failure:
            return watcher.failure
        if watcher.needs_both and watcher.dom0_exited and not watcher.end_seen:
            return ('exited', f'dom0 powered off before "{watcher.end_marker}"')
        if watcher.done:
            problem = watcher.trap_problem()
            if problem:
                return ('trap', problem)
            what = ('the end marker' if not watcher.dom0_exited else 'dom0 powered off'
                    if not watcher.end_seen else
                    f'"{watcher.end_marker}", then dom0 powered off' if watcher.needs_both
                    else 'the end marker')
            return ('complete', what) if proc.returncode == 0 else \
                ('exited', f'QEMU exited with status {proc.returncode} after {what}')
        if watcher.dom0_entered:
            return ('exited', f'QEMU exited with status {proc.returncode} while dom0 ran '
                    '(no SYSTEM_OFF/SYSTEM_RESET line)')
        return ('exited', f'QEMU exited with status {proc.returncode} before the end marker')
    if watcher.failure and now - last_output > FAIL_GRACE:
        return watcher.failure
    if watcher.expected_done and now - last_output > FAIL_GRACE:
        return ('expected-trap', watcher.expect.describe())
    if watcher.done and now - last_output > POWEROFF_GRACE:
        return ('no-poweroff', 'QEMU did not exit after the end marker (no SYSTEM_OFF?)')
    if timeout is not None and now - start > timeout:
        return ('timeout', f'timed out after {timeout} s')
    return None


def _result(outcome, exited, returncode, log, seconds):
    kind, reason = outcome
    if kind == 'complete':
        return Result(True, kind, reason if reason.startswith('dom0') or reason.startswith('"')
                      else 'boot complete', log, seconds, exited)
    if kind == 'expected-trap':
        return Result(True, kind, reason + ' appeared', log, seconds, exited)
    if kind in ('panic', 'early-failure', 'trap', 'uboot', 'dom0-crash', 'selftest'):
        reason = f'{kind}: {reason.strip()}'
    elif kind == 'exited' and returncode and log.strip():
        reason += ': ' + log.strip().splitlines()[-1]
    return Result(False, kind, reason, log, seconds, exited)
