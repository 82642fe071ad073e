"""SMP experiments as one flag each: ./hypcore run --cpus 3,1,2 and --refuse-cpu N.

Both are edits of QEMU's own DTB for the machine (dumped with -machine
dumpdtb=, edited as DTS text, compiled back with dtc), which the run then
passes unchanged (--dtb, generic loader by default):

  --cpus LIST      the secondaries to start, by QEMU CPU index (the N of its
                   cpu@N nodes), in this order: /cpus keeps cpu@0 (the boot
                   CPU, always hypcore's cpu0) and then exactly these nodes in
                   this order, so hypcore, which numbers the others in tree
                   order, calls them cpu1, cpu2, ...
  --refuse-cpu N   cpu@N's reg becomes an MPIDR no CPU of the machine has, so
                   PSCI CPU_ON refuses it (INVALID_PARAMETERS) and hypcore
                   reports it failed and goes on with the others.
"""
import os
import re
import subprocess

from .common import Failure
from . import qemu

# An MPIDR (Aff0 = 0xfe in cluster 0xfe) that QEMU's virt board gives no CPU.
REFUSED_MPIDR = 0xfefe
CPU_NODE_RE = re.compile(r'\t\tcpu@([0-9a-f]+) \{\n.*?\n\t\t\};\n', re.S)


def parse_list(text):
    """"3,1,2" -> [3, 1, 2] (QEMU CPU indexes of secondaries, each once)."""
    try:
        order = [int(x, 0) for x in text.split(',') if x.strip()]
    except ValueError:
        raise Failure(f'--cpus {text!r}: not a comma-separated list of CPU numbers') from None
    if not order or len(set(order)) != len(order):
        raise Failure(f'--cpus {text!r}: each CPU at most once, at least one')
    return order


def check(order, refuse, smp):
    """None if --cpus/--refuse-cpu fit a machine of `smp` CPUs, else why not."""
    for n in (order or []) + ([refuse] if refuse is not None else []):
        if not 1 <= n < smp:
            return (f'CPU {n} is not a secondary of this machine (--smp {smp}: 1..{smp - 1}; '
                    'CPU 0 boots and is always hypcore\'s cpu0)')
    if order is not None and refuse is not None and refuse not in order:
        return f'--refuse-cpu {refuse} is not one of --cpus {",".join(map(str, order))}'
    return None


def edited_dtb(spec, dest, order=None, refuse=None):
    """QEMU's DTB for spec's machine with /cpus edited (module docstring)."""
    base = qemu.dump_dtb(qemu._machine_argv(spec), dest + '.qemu')
    dts = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', base], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r'\n\tcpus \{\n(.*?)\n\t\};\n', dts, re.S)
    if not m:
        raise Failure('no /cpus node in QEMU\'s DTB')
    body = m.group(1) + '\n'
    nodes = {int(n.group(1), 16): n.group(0) for n in CPU_NODE_RE.finditer(body)}
    rest = CPU_NODE_RE.sub('', body)
    if refuse is not None:
        nodes[refuse] = re.sub(r'reg = <[^>]*>;', f'reg = <{REFUSED_MPIDR:#x}>;', nodes[refuse],
                               count=1)
    keep = [0] + (order if order is not None else sorted(n for n in nodes if n))
    missing = [n for n in keep if n not in nodes]
    if missing:
        raise Failure(f'QEMU\'s DTB has no cpu@ node for CPU {missing[0]}')
    cpus = rest + ''.join(nodes[n] for n in keep)
    dts = dts[:m.start(1)] + cpus.rstrip('\n') + dts[m.end(1):]
    with open(dest + '.dts', 'w', encoding='utf-8') as f:
        f.write(dts)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dest, dest + '.dts'],
                   check=True)
    return os.path.abspath(dest)
