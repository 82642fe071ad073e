"""./hypcore sweep and explain: experiments people script and look at (the
CSV results, the progress line, --rerun/--resume, the clash map, the
level-by-level explanation of a boot decision)."""
import csv
import dataclasses
import json
import os
import re

from .common import BUILD, Failure, say
from . import explain, image, model, pytest_run, qemu, results, suites
from .cli import check_layout, pick_loader, pytest_options, setup, write_json, write_serial_log


SWEEP_DIR = os.path.join(BUILD, 'sweep')


def rerun_target(names):
    """(arch, suites) of the --rerun case names: an "arm32:" prefix is arm32's;
    sweep:smp / sweep:heap (and the heap matrix's mem:) / sweep:linux name their
    suite, the other sweep:<layout>: cases are the load matrix's."""
    arches, parts = set(), set()
    for name in names:
        arch, rest = ('arm32', name[len('arm32:'):]) if name.startswith('arm32:') else \
            ('arm64', name)
        arches.add(arch)
        parts.add(next((part for prefix, part in (('sweep:smp:', 'smp'), ('sweep:heap:', 'heap'),
                                                  ('mem:', 'heap'), ('sweep:linux:', 'linux'))
                        if rest.startswith(prefix)), 'load'))
    if len(arches) != 1:
        raise Failure('--rerun: the cases name both arches; rerun each arch\'s on its own')
    return arches.pop(), sorted(parts, key=suites.SWEEP_SUITES.index)


def passed_cases(arch, parts):
    """The names whose row in build/sweep/<arch>-<suite>.csv says pass."""
    names = []
    for part in parts:
        path = os.path.join(SWEEP_DIR, f'{arch}-{part}.csv')
        if os.path.exists(path):
            with open(path, encoding='utf-8', newline='') as f:
                last = {row['case']: row['status'] for row in csv.DictReader(f)}
            names += [name for name, status in last.items() if status == 'pass']
    return names


def cmd_sweep(args, _, parser):
    for layout in args.layout or ():
        check_layout(parser, args.arch, layout)
    if args.no_run and not args.plot:
        parser.error('--no-run goes with --plot')
    parts = args.suite or list(suites.SWEEP_SUITES)
    pattern = args.filter
    if args.rerun:
        args.arch, parts = rerun_target(args.rerun)
        pattern = '^(' + '|'.join(re.escape(name) for name in args.rerun) + ')$'
    if args.plot and args.no_run:
        return draw_plots(args.arch, args.layout)
    setup(args)
    want = {'arch': args.arch, 'suites': parts, 'layouts': args.layout, 'mem': args.mem,
            'loader': args.loader, 'seed': args.seed, 'count': args.count}
    options = pytest_options(args, pattern) + ['--hc-sweep', json.dumps(want),
                                               '--hc-results', SWEEP_DIR]
    if args.rerun or args.resume:
        options.append('--hc-merge')
    if args.resume:
        skip = os.path.join(SWEEP_DIR, f'{args.arch}-resume-skip.txt')
        os.makedirs(SWEEP_DIR, exist_ok=True)
        with open(skip, 'w', encoding='utf-8') as f:
            f.write('\n'.join(passed_cases(args.arch, parts)))
        options += ['--hc-skip', skip]
    say(f'sweep: {", ".join(parts)} on {args.arch}, {args.jobs} at a time; results in '
        f'{os.path.relpath(SWEEP_DIR)}/{args.arch}-<suite>.csv')
    os.makedirs(SWEEP_DIR, exist_ok=True)
    watch = (os.path.join(SWEEP_DIR, f'{args.arch}-progress.json'),
             os.path.join(SWEEP_DIR, f'{args.arch}-pytest.log'))
    ok = pytest_run.run(pytest_run.SWEEP_MODULES, options, args.jobs, 'sweep', watch=watch)
    if 'load' in parts and not args.rerun:
        for (layout, combo), count in sorted(suites.load_tally(args.arch, args.layout,
                                                              args.mem, args.loader).items()):
            print(f'  {layout:<10} {suites.combo_label(combo):<16} {count} loads')
    if args.plot and 'load' in parts:
        draw_plots(args.arch, args.layout)
    return 0 if ok else 1


def draw_plots(arch, layouts):
    """sweep --plot: the clash map from build/sweep/<arch>-load.csv (plot.py),
    drawn by Debian's python3-matplotlib."""
    from hypcore_lib import plot
    csv_path = os.path.join(SWEEP_DIR, f'{arch}-load.csv')
    if not os.path.exists(csv_path):
        raise Failure(f'no {os.path.relpath(csv_path)}: run ./hypcore sweep --suite load '
                      f'--arch {arch} first')
    for path in plot.clash_map(csv_path, os.path.join(SWEEP_DIR, f'{arch}-load'), layouts):
        say(f'clash map: {os.path.relpath(path)}')
    return 0


def cmd_explain(args, _, parser):
    check_layout(parser, args.arch, args.layout)
    if args.load_addr is not None and args.load_addr % qemu.PAGE:
        parser.error(f'argument --load-addr: {args.load_addr:#x} is not 4 KiB aligned')
    setup(args)
    img = image.load(args.arch, args.layout)
    load = qemu.default_load(img) if args.load_addr is None else args.load_addr
    w = explain.walk(args.arch, img.runtime_base, load, img.idmap_offset)
    print('\n'.join(explain.describe(w, args.layout, img.idmap_offset)), flush=True)
    record = {'walk': dataclasses.asdict(w), 'model': dataclasses.asdict(
        model.decide(args.arch, img.runtime_base, load, img.idmap_offset))}
    status = 0
    if args.boot:
        spec = qemu.RunSpec(arch=args.arch, layout=args.layout, load=load, loader=args.loader,
                            mem=args.mem)
        if spec.loader is None:
            spec.loader, note = pick_loader(spec, img)
            if note:
                say(note)
        workdir = os.path.join(BUILD, 'explain')
        plan = qemu.plan(spec, img, workdir)
        result = qemu.boot(plan, 30)
        serial = write_serial_log(workdir, plan, result)
        lines = results.parse_decision_lines(result.log)
        got = lines[0] if len(lines) == 1 else None
        print(f'hypervisor: {got or "(no decision line: " + result.reason + ")"}')
        agree = got == w.decision().line()
        print(f'{"agree" if agree else "DIFFER"} ({spec.loader} loader, '
              f'{"boot complete" if result.ok else "FAILED: " + result.reason}; serial log '
              f'{os.path.relpath(serial)})')
        status = 0 if agree and result.ok else 1
        record['run'] = results.run_record(spec, plan, result, serial, status)
        record['agree'] = agree
    if args.json:
        write_json(args.json, record)
    return status


def bench_json(arch, parts, layouts, load):
    """./hypcore bench: every row this run measured, in one file for scripts:
    build/bench/<arch>.json, {"arch", "rows": [{"suite", "case", "key", ...row}]}
    (the rows are the ones the tables print from; a row that failed is absent)."""
    from . import benchsuite
    rows = []
    for part, name, key in benchsuite.plan(arch, parts, layouts, load):
        row = benchsuite._load(arch, name)
        if row is not None:
            rows.append({'suite': part, 'case': name,
                         'key': key if isinstance(key, (int, str, type(None))) else list(key),
                         **row})
    path = os.path.join(BUILD, 'bench', f'{arch}.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'arch': arch, 'rows': rows}, f, indent=1)
    say(f'results: {os.path.relpath(path)}')
