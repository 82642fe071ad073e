"""Results people can script: ./hypcore run --json and ./hypcore explain.

Cases "run:json:*" run the real command line with --json and check the file
against the models computed from the inputs: the decision's fields against
model.decide, the heap: figures against page_stats over the printed ranges and
the RAM size, each CPU's outcome against the machine, dom0's placement against
the RAM and the module hypcore was given, the QEMU command and the serial log
against what the JSON says they are.

Cases "explain:*": the level-by-level walk (explain.walk) against model.decide
for every load of the sweep's load matrix of each arch, with no QEMU; the walk
against the hypervisor's own decision line on a deterministic sample of that
matrix (SAMPLE per arch, every (layout, share, clash) first); and the explain
command itself with --boot --json.
"""
import dataclasses
import json
import os
import shlex
import subprocess
import sys

from conftest import run_case
from hypcore_lib import explain, image, model, qemu, results, suites
from hypcore_lib.common import GiB, TOP

HYPCORE = [sys.executable, os.path.join(TOP, 'hypcore')]
CLI_TIMEOUT = 90
SAMPLE = 20


def cli(name, *args):
    """./hypcore ARGS --no-build, output kept in the case's work directory."""
    directory = suites.workdir(name)
    argv = HYPCORE + [args[0], '--no-build'] + list(args[1:])
    proc = subprocess.run(argv, cwd=TOP, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=CLI_TIMEOUT)
    with open(os.path.join(directory, 'output.log'), 'w', encoding='utf-8') as f:
        f.write(f'{shlex.join(argv)}\nexit {proc.returncode}\n{proc.stdout}{proc.stderr}')
    return proc, directory


def shown(proc, problem):
    return (f'{problem}\n  command: {shlex.join(proc.args)}\n  exit {proc.returncode}\n'
            + ''.join(f'    | {line}\n' for line in (proc.stdout + proc.stderr).splitlines()))


# ---------------------------------------------------------------- run --json

def check_common(record, arch, layout, status):
    """What every record must hold, whatever the run."""
    problems = []
    spec, hyp, res = record['spec'], record['hypervisor'], record['result']
    if res['exit_status'] != status:
        problems.append(f'exit_status {res["exit_status"]}, expected {status}')
    if (spec['arch'], spec['layout']) != (arch, layout):
        problems.append(f'spec {spec["arch"]}/{spec["layout"]}, asked {arch}/{layout}')
    if record['qemu']['argv'][0] != qemu.QEMU[arch] or \
            shlex.split(record['qemu']['command']) != record['qemu']['argv']:
        problems.append(f'qemu command {record["qemu"]["command"]!r} is not {qemu.QEMU[arch]}'
                        ' or does not split into argv')
    log_path = record['serial_log']
    if not log_path or not os.path.isfile(log_path):
        return problems + [f'serial_log {log_path!r} is no file']
    with open(log_path, encoding='utf-8') as f:
        first, _, log = f.read().partition('\n')
    if first != record['qemu']['command']:
        problems.append('the serial log\'s first line is not the QEMU command')
    if results.log_summary(log) != json.loads(json.dumps(hyp)):
        problems.append('the JSON\'s "hypervisor" is not what the serial log holds')
    return problems


def check_booted(record, img, smp, mem, dom0=False):
    """A completed boot: the decision against the model, the heap against the
    printed ranges and the RAM, every CPU online, the bench stages there (a boot
    that enters dom0 never prints "boot complete" nor "bench: end")."""
    problems = []
    hyp, load = record['hypervisor'], record['spec']['load']
    want = dataclasses.asdict(model.decide(img.arch, img.runtime_base, load, img.idmap_offset))
    if hyp['decision'] != want:
        problems.append(f'decision {hyp["decision"]}, model {want}')
    if hyp['decision_lines'] != 1 or hyp['decision_line'] != model.Decision(**want).line():
        problems.append(f'decision_line {hyp["decision_line"]!r} ({hyp["decision_lines"]} lines)')
    if not hyp['heap']:
        return problems + ['no heap figures']
    heap = hyp['heap'][0]
    mem_json = hyp['memory']
    ranges = [(r['start'], r['end'], r['type'], r['name']) for r in mem_json['reserved']]
    again = model.page_stats([tuple(r) for r in mem_json['ram']], ranges)
    if {k: heap[k] for k in model.HEAP_FIELDS} != {k: again[k] for k in model.HEAP_FIELDS}:
        problems.append(f'heap {heap} is not page_stats of the ranges {again}')
    if heap['total'] != mem // model.PAGE_SIZE:
        problems.append(f'heap total {heap["total"]} pages, RAM is {mem // model.PAGE_SIZE}')
    image_rows = [r for r in mem_json['reserved'] if r['type'] == 'image']
    if not image_rows or image_rows[0]['start'] != load:
        problems.append(f'image reservation {image_rows} does not start at the load {load:#x}')
    online = [c['cpu'] for c in hyp['cpus'] if c['state'] == 'online']
    if online != list(range(smp)) or (hyp['cpus_online'], hyp['cpus_listed']) != (smp, smp):
        problems.append(f'cpus online {online} ({hyp["cpus_online"]} of '
                        f'{hyp["cpus_listed"]}), expected 0..{smp - 1}')
    missing = {'c_entry', 'heap_init', 'smp', 'dom0_entry' if dom0 else 'end'} - set(hyp['bench'])
    if missing:
        problems.append(f'bench stages missing: {sorted(missing)}')
    if hyp['complete'] == dom0 or not record['result']['ok']:
        problems.append('not a completed boot')
    return problems


def json_case(name, arch, layout, load, smp=1, extra=(), check=None):
    def run():
        out = os.path.join(suites.workdir(name + '-input'), 'result.json')
        args = ['run', '--arch', arch, '--layout', layout, '--smp', str(smp), '--json', out]
        args += ['--load-addr', f'{load:#x}'] if load is not None else []
        proc, directory = cli(name, *args, '--workdir', suites.workdir(name + '-run'),
                              *extra)
        if not os.path.isfile(out):
            return shown(proc, f'no JSON file {out}')
        with open(out, encoding='utf-8') as f:
            record = json.load(f)
        img = image.load(arch, layout)
        problems = (check or (lambda r, i: check_common(r, arch, layout, 0)
                              + check_booted(r, i, smp, GiB)))(record, img)
        return shown(proc, '\n'.join(problems)) if problems else None
    return suites.Case(name, run)


def check_dom0(record, img):
    """dom0 (the test payload): entered once at EL1 at the start of its RAM, the
    kernel copied from the module the DT lists, its RAM dom0_mem's 128 MiB inside
    hypcore's RAM, ended by SYSTEM_OFF."""
    problems = (check_common(record, img.arch, 'default', 0)
                + check_booted(record, img, 1, GiB, dom0=True))
    hyp = record['hypervisor']
    dom0 = hyp['dom0']
    kernels = [m for m in hyp['dt']['modules'] if m['kind'] == 'kernel']
    if len(kernels) != 1 or (dom0.get('kernel') or {}).get('from') != kernels[0]['start']:
        problems.append(f'dom0 kernel {dom0.get("kernel")} not copied from the DT\'s kernel '
                        f'module {kernels}')
    if sum(e - s for s, e in dom0['ram']) != 128 << 20 or not all(
            any(rs <= s and e <= re_ for rs, re_ in hyp['memory']['ram'])
            for s, e in dom0['ram']):
        problems.append(f'dom0 ram {dom0["ram"]} is not 128 MiB inside {hyp["memory"]["ram"]}')
    entry = dom0['entry'] or {}
    if (entry.get('mode'), entry.get('pc'), entry.get('cpu')) != (
            'EL1', dom0['ram'][0][0] if dom0['ram'] else None, 0):
        problems.append(f'dom0 entry {entry}, expected EL1 at the start of its RAM on cpu0')
    if dom0['exit'] != 'SYSTEM_OFF' or record['result']['reason'] != 'dom0 powered off':
        problems.append(f'dom0 exit {dom0["exit"]}, run {record["result"]["reason"]!r}')
    return problems


def check_refused(record, img):
    """virtualization=off: the one refusal line, no decision, exit status 1."""
    problems = check_common(record, img.arch, 'default', 1)
    hyp = record['hypervisor']
    if hyp['decision'] is not None or hyp['complete']:
        problems.append(f'decision {hyp["decision"]}, complete {hyp["complete"]}')
    if hyp['early_failure'] != suites.ENTRY_MODE_LINE[img.arch] or \
            record['result']['outcome'] != 'early-failure':
        problems.append(f'early_failure {hyp["early_failure"]!r}, outcome '
                        f'{record["result"]["outcome"]}')
    return problems


def check_cpus_experiment(record, img):
    """--smp 4 --cpus 3,1,2 --refuse-cpu 1: hypcore's cpu1..3 are QEMU's CPUs 3, 1,
    2 (their MPIDRs read from QEMU's own DTB with the dtc tools), the second of
    them refused by PSCI, the others online, exit 0."""
    problems = check_common(record, img.arch, 'default', 0)
    spec = qemu.RunSpec(arch=img.arch, smp=4)
    dtb = qemu.dump_dtb(qemu._machine_argv(spec), os.path.join(
        suites.workdir('run:json:cpus-qemu-dtb'), 'qemu.dtb'))
    mpidr = {int(node.rsplit('@', 1)[1], 16): m for node, m, _ in model.dtb_cpus(dtb)}
    want = [(0, 'online', mpidr[0]), (1, 'online', mpidr[3]), (2, 'failed', 0xfefe),
            (3, 'online', mpidr[2])]
    got = [(c['cpu'], c['state'], c['mpidr']) for c in record['hypervisor']['cpus']]
    if got != want:
        problems.append(f'cpus {got}, expected {want}')
    failed = [c.get('reason') for c in record['hypervisor']['cpus'] if c['state'] == 'failed']
    if failed != ['INVALID_PARAMETERS']:
        problems.append(f'refusal reasons {failed}')
    exp = record['spec']['experiment'] or {}
    if (exp.get('cpus'), exp.get('refuse_cpu')) != ([3, 1, 2], 1):
        problems.append(f'spec.experiment {exp}')
    return problems


def json_cases(arch):
    if arch == 'arm32':
        return [json_case('arm32:run:json:ram-odd-share2@0x40e00000/smp2', arch, 'ram-odd',
                          0x40e00000, smp=2)]
    return [json_case('run:json:ram-clash@0x40401000/smp2', arch, 'ram', 0x40401000, smp=2),
            json_case('run:json:slot-zero/smp4', arch, 'slot-zero', None, smp=4),
            json_case('run:json:dom0-payload', arch, 'default', None,
                      extra=['--dom0', 'payload'], check=check_dom0),
            json_case('run:json:el1-refused', arch, 'default', None, extra=['--no-virt'],
                      check=check_refused),
            json_case('run:json:cpus-3,1,2+refuse-1/smp4', arch, 'default', None, smp=4,
                      extra=['--cpus', '3,1,2', '--refuse-cpu', '1'],
                      check=check_cpus_experiment)]


# ---------------------------------------------------------------- explain

_images = {}


def img_of(arch, layout):
    """image.load, once per layout (it runs nm)."""
    if (arch, layout) not in _images:
        _images[(arch, layout)] = image.load(arch, layout)
    return _images[(arch, layout)]


def matrix(arch):
    """[(layout, mem, load, loader)] of the sweep's load matrix."""
    return [row[:4] for row in suites.load_matrix(arch)]


def sample(arch, count=SAMPLE):
    """count loads of the matrix: one per (layout, share, clash) first, then evenly
    spaced through the rest (deterministic)."""
    rows = matrix(arch)
    picked, seen = [], set()
    for row in rows:
        img = img_of(arch, row[0])
        d = model.decide(arch, img.runtime_base, row[2], img.idmap_offset)
        if (row[0], d.share, d.clash) not in seen:
            seen.add((row[0], d.share, d.clash))
            picked.append(row)
    rest = [r for r in rows if r not in picked]
    step = max(1, len(rest) // max(1, count - len(picked)))
    picked += rest[::step][:max(0, count - len(picked))]
    return picked


def walk_matrix_case(arch):
    def run():
        bad = []
        rows = matrix(arch)
        for layout, _, load, _ in rows:
            img = img_of(arch, layout)
            w = explain.walk(arch, img.runtime_base, load, img.idmap_offset)
            if w.decision() != model.decide(arch, img.runtime_base, load, img.idmap_offset):
                bad.append(f'{layout}@{load:#x}: walk {w.decision().line()}')
        return (f'{len(bad)} of {len(rows)} loads differ:\n' + '\n'.join(bad[:20])) if bad \
            else None
    return suites.Case(suites.tag(arch, 'explain:walk=model:load-matrix'), run)


def boot_sample_case(arch, layout, mem, load, loader):
    img = img_of(arch, layout)
    w = explain.walk(arch, img.runtime_base, load, img.idmap_offset)
    combo = suites.combo_label((w.share, w.clash))
    name = suites.tag(arch, f'explain:{layout}:{combo}@{load:#x}/{mem // GiB}G/{loader}')

    def run():
        spec = qemu.RunSpec(arch=arch, layout=layout, load=load, mem=mem, loader=loader)
        plan, result, _ = suites.run_qemu(name, spec)
        lines = results.parse_decision_lines(result.log)
        got = results.parse_decision(lines[0]) if len(lines) == 1 else None
        if got != dataclasses.asdict(w.decision()):
            return suites.with_log(f'hypervisor {lines}, explain {w.decision().line()}',
                                   result, plan)
        return None
    return suites.Case(name, run)


def cli_case(arch, layout, load):
    name = suites.tag(arch, f'explain:cli:{layout}@{load:#x}')

    def run():
        out = os.path.join(suites.workdir(name + '-input'), 'explain.json')
        proc, _ = cli(name, 'explain', '--arch', arch, '--layout', layout,
                      '--load-addr', f'{load:#x}', '--boot', '--json', out)
        img = img_of(arch, layout)
        want = model.decide(arch, img.runtime_base, load, img.idmap_offset)
        problems = []
        if proc.returncode != 0 or 'agree (' not in proc.stdout:
            problems.append('explain --boot did not exit 0 with "agree"')
        if f'model:      {want.line()}' not in proc.stdout or \
                f'hypervisor: {want.line()}' not in proc.stdout:
            problems.append(f'the model\'s and the hypervisor\'s lines are not {want.line()}')
        if want.clash and f'mapped again at {want.temp:#x}' not in proc.stdout:
            problems.append('no line says where the temporary alias goes')
        if os.path.isfile(out):
            with open(out, encoding='utf-8') as f:
                record = json.load(f)
            if not record.get('agree') or record['run']['hypervisor']['decision'] != \
                    dataclasses.asdict(want):
                problems.append(f'JSON agree={record.get("agree")}')
        else:
            problems.append(f'no JSON file {out}')
        return shown(proc, '\n'.join(problems)) if problems else None
    return suites.Case(name, run)


def explain_cases(arch):
    return ([walk_matrix_case(arch)]
            + [boot_sample_case(arch, *row) for row in sample(arch)]
            + [cli_case(arch, 'ram', 0x40401000)])


def cases(config):
    from conftest import arches
    out = []
    for arch in suites.ARCHES:
        if arches(config) in (None, arch):
            out += json_cases(arch) + explain_cases(arch)
    return out


def test_results(case):
    run_case(case)
