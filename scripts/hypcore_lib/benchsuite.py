"""./hypcore bench: the figures, measured as pytest cases (tests/qemu/test_bench.py),
then printed as tables.

Each case measures one row under -icount shift=0,sleep=off -seed 1 (twice: the
two runs must print the same), writes it to build/bench/<arch>/<case>.json and
fails if the figure did not come out or did not repeat.  After pytest,
print_tables() reads the rows back, so the tables show only what was measured
in this run (stale rows are removed before it starts).

  boot   every layout at the ELF's load address (or --load-addr): the bench:
         stage ticks, the image's file size and footprint, the decision
  heap   bench: heap_init at -m 1G, 4G and 16G (arm32: 1G and 4G)
  smp    bench: smp for 8 and 64 CPUs, GICv3
  alloc  the host allocator benchmark (buddy against first fit, host ns)
  dtb    a big device tree against QEMU's own (both through the generic loader, 2 CPUs):
         QEMU's DTB and 20,000 extra memory nodes (1.4 MB, tests/corpus/manifest.toml
         "big:20000-memory-nodes"): bench: dt_facts (reading and printing what the
         DT says), heap_init (the memory map and the heap) and end, in ticks
  dom0   the edge payload (tests/payload/edges-<arch>.S) as dom0 with one CPU
         and dom0_mem=64M at -m 1G and 16G (arm32, GICv2: 1G and 3G, the most
         Xen's highmem=off board takes, and hypcore at 4G), under hypcore (bench: dom0_entry, the physical
         counter when hypcore enters EL1 / SVC) and under Xen 4.17; both rows
         also give the payload's own first line, CNTPCT read at entry, so the
         two hypervisors are compared with one clock
         and Debian's Linux as dom0 (arm64, 1 CPU, dom0_mem=256M) at -m 1G
         and 4G under both: the guest instructions from reset to dom0's first
         kernel line and to "Run /init", counted by a QEMU plugin (linuxxen.py)
  ram    boot cost against RAM size, hypcore beside Xen 4.17 (1, 2, 4, 16 GiB;
         arm32 1, 2), SMP bring-up per secondary at 8, 64 and 512 CPUs, and
         issue 14's targets met or missed by how much (ramsuite.py)
"""
import json
import os
import re
import shutil
import subprocess

from .common import BUILD, GiB, Failure
from . import (build, corpussuite, image as images, linuxxen, model, qemu, ramsuite, results, xen,
               xensuite)
from .memsuite import icount_twice
from .suites import Case, bench_once, run_qemu

BENCH_SUITES = ('boot', 'alloc', 'heap', 'smp', 'dtb', 'dom0', 'ram')
# The corpus cases whose DTBs the dtb table boots.
BENCH_DTBS = ('base:qemu-arm64', 'big:20000-memory-nodes')
DTB_TIMEOUT = 120
# arm32: RAM above 4 GiB only up to -m 4G; QEMU's virt board stops at 8 CPUs with GICv2, 512 with GICv3.
BENCH_MEMS = {'arm64': (1 * GiB, 4 * GiB, 16 * GiB), 'arm32': (1 * GiB, 4 * GiB)}
BENCH_SMPS = {'arm64': (8, 64), 'arm32': (8, 64)}
# Bring-up of 64 CPUs under TCG takes a few seconds on a loaded 2-core host.
SMP_TIMEOUT = 90
ALLOC_BENCH = os.path.join('tests', 'bench', 'bench-alloc')
ALLOC_BENCH_RUNS = 5
# arm32: Xen armhf runs with highmem=off (xen.py), where QEMU's 32-bit board
# takes at most 3 GiB; hypcore also at 4 GiB, the most its arm32 board takes.
DOM0_MEMS = {'arm64': {'hypcore': (1 * GiB, 16 * GiB), 'xen': (1 * GiB, 16 * GiB)},
             'arm32': {'hypcore': (1 * GiB, 3 * GiB, 4 * GiB), 'xen': (1 * GiB, 3 * GiB)}}
DOM0_GIC = {'arm64': 3, 'arm32': 2}     # arm32's dom0 runs GICv2 throughout
DOM0_TIMEOUT = 180                  # Xen under -icount at 16 GiB is the slowest
# Linux as dom0 (linuxxen.py), both hypervisors; arm32's board has highmem=off there
# (linux.shape, as Xen armhf needs): 3 GiB at most.
LINUX_MEMS = {'arm64': (1 * GiB, 4 * GiB), 'arm32': (1 * GiB, 3 * GiB)}


def results_dir(arch):
    return os.path.join(BUILD, 'bench', arch)


def _save(arch, name, row):
    path = os.path.join(results_dir(arch), re.sub(r'[^A-Za-z0-9_.-]+', '_', name) + '.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(row, f)


def _load(arch, name):
    path = os.path.join(results_dir(arch), re.sub(r'[^A-Za-z0-9_.-]+', '_', name) + '.json')
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def plan(arch, parts=None, layouts=None, load=None):
    """[(part, name, key)] of the rows to measure, in table order."""
    rows = []
    for part in parts or BENCH_SUITES:
        if part == 'boot':
            rows += [(part, f'bench:boot:{arch}:{layout}', layout)
                     for layout in layouts or images.layouts(arch)]
        elif part == 'heap':
            rows += [(part, f'bench:heap:{arch}:{mem // GiB}G', mem) for mem in BENCH_MEMS[arch]]
        elif part == 'smp':
            rows += [(part, f'bench:smp:{arch}:smp{cpus}', cpus) for cpus in BENCH_SMPS[arch]]
        elif part == 'alloc':
            rows.append((part, 'bench:alloc:host', None))
        elif part == 'dtb' and arch == 'arm64':
            rows += [(part, f'bench:dtb:{arch}:{case}', case) for case in BENCH_DTBS]
        elif part == 'dom0':
            rows += [(part, f'bench:dom0:{arch}:{hyp}:{mem // GiB}G', (hyp, mem))
                     for hyp in ('hypcore', 'xen') for mem in DOM0_MEMS[arch][hyp]]
            rows += [(part, f'bench:dom0:{arch}:linux-{hyp}:{mem // GiB}G', ('linux', hyp, mem))
                     for mem in LINUX_MEMS[arch] for hyp in ('hypcore', 'xen')]
        elif part == 'ram':
            rows += [(part, name, key) for name, key in ramsuite.plan(arch)]
    return rows


def cases(arch, parts=None, layouts=None, load=None):
    shutil.rmtree(results_dir(arch), ignore_errors=True)
    os.makedirs(results_dir(arch))
    measure = {'boot': lambda key: _boot(arch, key, load), 'heap': lambda key: _heap(arch, key),
               'smp': lambda key: _smp(arch, key), 'alloc': lambda key: _alloc(),
               'dtb': lambda key: _dtb(arch, key),
               'dom0': lambda key: (linuxxen.bench_row(arch, *key[1:]) if key[0] == 'linux'
                                    else _dom0(arch, *key)),
               'ram': lambda key: ramsuite.measure(arch, key)}
    out = []
    for part, name, key in plan(arch, parts, layouts, load):
        def run(part=part, name=name, key=key):
            row, problem = measure[part](key)
            if row is not None:
                _save(arch, name, row)
            return problem
        out.append(Case(name, run))
    return out


def _boot(arch, layout, load):
    first, img, decision = bench_once(arch, layout, load)
    second = bench_once(arch, layout, load)[0]
    row = {'ticks': first, 'file_size': img.file_size, 'image_size': img.image_size,
           'decision': decision, 'same': first == second}
    return row, None if first == second else f'runs differ: {first} vs {second}'


def _heap(arch, mem):
    result, same = icount_twice(f'bench:heap/{mem // GiB}G', qemu.RunSpec(arch=arch, mem=mem))
    ticks = results.parse_bench(result.log).get('heap_init')
    heap = results.parse_memory(result.log).heap
    pages = heap[0]['total'] if heap else None
    row = {'ticks': ticks, 'pages': pages, 'same': same}
    if not same or ticks is None or pages != mem // model.PAGE_SIZE:
        return row, f'heap_init: ticks={ticks} pages={pages} both runs equal={same}'
    return row, None


def _smp(arch, cpus):
    result, same = icount_twice(f'bench:smp/smp{cpus}', qemu.RunSpec(arch=arch, smp=cpus, gic=3),
                                SMP_TIMEOUT)
    got = results.parse_smp(result.log)
    ticks = got.bench[0] if got.bench else None
    row = {'ticks': ticks, 'online': got.count[0] if got.count else None, 'same': same}
    if not same or ticks is None or got.count != (cpus, cpus):
        return row, f'smp: ticks={ticks} count={got.count} both runs equal={same}'
    return row, None


def _dtb(arch, case):
    entry = next(e for e in corpussuite.load_manifest() if e.name == case)
    dtb = corpussuite.make_dtb(entry)
    spec = qemu.RunSpec(arch=arch, loader='generic', smp=2, dtb=dtb)
    result, same = icount_twice(f'bench:dtb/{case}', spec, DTB_TIMEOUT)
    ticks = results.parse_bench(result.log)
    row = {'ticks': {k: ticks.get(k) for k in ('dt_facts', 'heap_init', 'end')},
           'bytes': os.path.getsize(dtb), 'same': same, 'ok': result.ok}
    if not same or not result.ok or None in row['ticks'].values():
        return row, f'dtb {case}: ticks={row["ticks"]} booted={result.ok} both runs equal={same}'
    return row, None


def _print_dtb(rows):
    print('device-tree size (bench: dt_facts, heap_init and end, counter ticks under -icount; '
          'generic loader, 2 CPUs)')
    print(f'  {"DTB":<24} {"bytes":>9} {"dt_facts":>12} {"heap_init":>12} {"end":>12}  '
          'both runs equal')
    for _, case, row in rows:
        row = row or {}
        t = row.get('ticks', {})
        print(f'  {case:<24} {row.get("bytes", "-"):>9} {t.get("dt_facts") or "-":>12} '
              f'{t.get("heap_init") or "-":>12} {t.get("end") or "-":>12}  '
              f'{"yes" if row.get("same") else "NO"}')


def _dom0_once(arch, hyp, mem, run):
    """One -icount run of the edge payload as dom0: (ticks at EL1 entry as
    hypcore reports it or None, the payload's entry CNTPCT, the log)."""
    spec = qemu.RunSpec(arch=arch, smp=1, mem=mem, icount=True, gic=DOM0_GIC[arch], modules=[
        qemu.Module(path=xensuite.edges_path(arch), bootargs='console=hvc0')])
    name = f'bench:dom0:{arch}:{hyp}:{mem // GiB}G#{run}'
    if hyp == 'xen':
        spec.hyp_args = xen.DEFAULT_ARGS
        result = xen.run(spec, DOM0_TIMEOUT)
    else:
        spec.hyp_args = 'dom0_mem=64M'
        result = run_qemu(name, spec, DOM0_TIMEOUT)[1]
    if not result.ok:
        raise Failure(f'{name}: {result.reason}\n' + '\n'.join(result.lines()[-10:]))
    entry = results.parse_bench(result.log).get('dom0_entry') if hyp == 'hypcore' else None
    return entry, xensuite.edges_entry_ticks(result.log), result.log


def _dom0(arch, hyp, mem):
    (entry, payload, _), (entry2, payload2, _) = (_dom0_once(arch, hyp, mem, run)
                                                   for run in (1, 2))
    same = (entry, payload) == (entry2, payload2)
    row = {'entry': entry, 'payload': payload, 'same': same}
    if not same or payload is None or (hyp == 'hypcore' and entry is None):
        return row, f'dom0 {hyp} {mem // GiB}G: entry={entry}/{entry2} payload={payload}/{payload2}'
    return row, None


def _alloc(runs=ALLOC_BENCH_RUNS):
    """tests/bench/bench-alloc over 1 Mi pages, `runs` times (host time is noisy)."""
    binary = os.path.join(build.BUILD, 'host', ALLOC_BENCH)
    if not os.path.exists(binary):
        raise Failure(f'{binary} is missing (built in build/host)')
    by_order = {}
    for _ in range(runs):
        proc = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        rows = results.parse_alloc_bench(proc.stdout)
        if proc.returncode != 0 or not {0, 9} <= {r.get('order') for r in rows}:
            return None, f'bench-alloc (exit {proc.returncode}): expected orders 0 and 9\n' \
                + proc.stdout
        for r in rows:
            by_order.setdefault(str(r['order']), []).append(r)
    return {'runs': runs, 'by_order': by_order}, None


def _short_decision(line):
    fields = dict(re.findall(r'(\w+)=(\S+)', line or ''))
    return ' '.join(f'{k}={fields.get(k, "?")}' for k in ('load', 'share', 'clash', 'temp'))


def print_tables(arch, parts=None, layouts=None, load=None):
    """The tables of what this run measured (a row that failed shows '-')."""
    rows = plan(arch, parts, layouts, load)
    for part in parts or BENCH_SUITES:
        mine = [(name, key, _load(arch, name)) for p, name, key in rows if p == part]
        {'boot': _print_boot, 'heap': _print_heap, 'smp': _print_smp,
         'alloc': _print_alloc, 'dtb': _print_dtb, 'dom0': _print_dom0,
         'ram': lambda rows: ramsuite.print_table(arch, rows)}[part](mine)
        print(flush=True)


def _print_boot(rows):
    done = [(key, row) for _, key, row in rows if row]
    stages = sorted({s for _, row in done for s in row['ticks']},
                    key=lambda s: max(row['ticks'].get(s, 0) for _, row in done))
    print(f'{"layout":<10} ' + ' '.join(f'{s + " ticks":>16}' for s in stages)
          + f' {"file bytes":>11} {"image_size":>11}  decision')
    for layout, row in done:
        print(f'{layout:<10} ' + ' '.join(f'{row["ticks"].get(s, "-"):>16}' for s in stages)
              + f' {row["file_size"]:>11} {row["image_size"]:>11}  '
              f'{_short_decision(row["decision"])}')
    print('(counter ticks under -icount shift=0,sleep=off -seed 1, 1 tick = 16 instructions: '
          'c_entry and end from reset, heap_init and smp the length of that stage; both runs '
          'equal)')


def _print_heap(rows):
    print('heap initialisation (bench: heap_init, counter ticks under -icount; '
          '1 tick = 16 instructions)')
    print(f'  {"RAM":>5} {"pages":>9} {"heap_init ticks":>16} {"ticks/page":>11}  both runs equal')
    for _, mem, row in rows:
        row = row or {}
        ticks, pages = row.get('ticks'), row.get('pages')
        per_page = f'{ticks / pages:.2f}' if ticks and pages else '-'
        print(f'  {mem // GiB:>4}G {pages or "-":>9} {ticks or "-":>16} {per_page:>11}  '
              f'{"yes" if row.get("same") else "NO"}')


def _print_smp(rows):
    print('secondary bring-up (bench: smp, counter ticks under -icount, GICv3, default layout)')
    print(f'  {"cpus":>5} {"online":>7} {"total ticks":>12} {"per secondary":>14}  '
          'both runs equal')
    for _, cpus, row in rows:
        row = row or {}
        ticks = row.get('ticks')
        per_cpu = f'{ticks / (cpus - 1):.0f}' if ticks else '-'
        print(f'  {cpus:>5} {row.get("online") or "-":>7} {ticks or "-":>12} {per_cpu:>14}  '
              f'{"yes" if row.get("same") else "NO"}')


def _print_alloc(rows):
    row = rows[0][2] if rows and rows[0][2] else None
    if row is None:
        print('allocator on the host: not measured (see the failure above)')
        return
    print(f'allocator on the host (tests/bench/bench-alloc; ns per alloc+free pair, '
          f'median of {row["runs"]} runs)')
    print(f'  {"order":>5} {"pages":>9} {"buddy ns":>10} {"first-fit ns":>13} {"ratio":>7}  '
          'ratio min..max')
    for order, runs in sorted(row['by_order'].items(), key=lambda kv: int(kv[0])):
        def median(key):
            return sorted(r[key] for r in runs)[len(runs) // 2]
        ratios = [r['firstfit_ns'] / r['buddy_ns'] for r in runs]
        print(f'  {order:>5} {runs[0]["pages"]:>9} {median("buddy_ns"):>10.1f} '
              f'{median("firstfit_ns"):>13.1f} {median("firstfit_ns") / median("buddy_ns"):>7.1f}'
              f'  {min(ratios):.1f}..{max(ratios):.1f}')


def _print_dom0(rows):
    arch = rows[0][0].split(':')[2] if rows else 'arm64'    # bench:dom0:ARCH:...
    linux_rows = [(key[1], key[2], row) for _, key, row in rows if key[0] == 'linux']
    rows = [(name, key, row) for name, key, row in rows if key[0] != 'linux']
    if linux_rows:
        linuxxen.print_bench(linux_rows, arch)
        print()
    if not rows:
        return
    print('dom0 start (the edge payload, 1 CPU, dom0_mem=64M; counter ticks from reset '
          'under -icount, 1 tick = 16 instructions)')
    print(f'  {"hypervisor":<10} {"RAM":>5} {"dom0 entry (hyp)":>16} {"payload CNTPCT":>15}  '
          'both runs equal')
    for _, (hyp, mem), row in rows:
        row = row or {}
        print(f'  {hyp:<10} {mem // GiB:>4}G {row.get("entry") or "-":>16} '
              f'{row.get("payload") or "-":>15}  {"yes" if row.get("same") else "NO"}')
