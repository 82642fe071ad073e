#!/usr/bin/env python3
"""Dump the device tree real QEMU builds for the virt board with boot modules.

Creates one file per --module of exactly the given size, attaches each with
QEMU's guest-loader at the given address, and has QEMU write its DTB
(-machine dumpdtb=) instead of running.  test-qemu-dtb is then given the
same --ram/--module values and works out what hypcore must print from them.

  gen-qemu-dtb.py --qemu PATH --out DTB --machine M --cpu C --mem SIZE
                  [--numa SIZE]... [--module ADDR:SIZE:KIND[:BOOTARGS]]...

KIND is kernel or ramdisk (what guest-loader can express); BOOTARGS goes to
the kernel's guest-loader bootargs= and must not contain ':'.
"""
import argparse
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--machine', required=True)
    ap.add_argument('--cpu', required=True)
    ap.add_argument('--mem', required=True)
    ap.add_argument('--numa', action='append', default=[],
                    help='one NUMA node (memory node in the DT) of this size')
    ap.add_argument('--module', action='append', default=[])
    args = ap.parse_args()

    workdir = args.out + '.d'
    os.makedirs(workdir, exist_ok=True)
    cmd = [args.qemu, '-M', args.machine, '-cpu', args.cpu, '-m', args.mem,
           '-nographic', '-nic', 'none']
    if args.numa:
        cmd += ['-smp', str(len(args.numa))]
    for i, size in enumerate(args.numa):
        cmd += ['-object', f'memory-backend-ram,id=m{i},size={size}',
                '-numa', f'node,memdev=m{i},cpus={i}']
    for i, spec in enumerate(args.module):
        addr, size, kind, *rest = spec.split(':')
        path = os.path.join(workdir, f'module{i}.{kind}')
        # Recognisable contents; only the size matters.
        data = bytes((i * 7 + j) & 0xff for j in range(int(size, 0)))
        with open(path, 'wb') as f:
            f.write(data)
        # QEMU option values escape ',' as ',,'.
        prop = {'kernel': 'kernel', 'ramdisk': 'initrd'}[kind]
        opt = f'guest-loader,addr={addr},{prop}={path.replace(",", ",,")}'
        if rest:
            opt += ',bootargs=' + rest[0].replace(',', ',,')
        cmd += ['-device', opt]
    cmd += ['-machine', 'dumpdtb=' + args.out]

    if os.path.exists(args.out):
        os.remove(args.out)
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0 or not os.path.exists(args.out):
        sys.stderr.write('failed: ' + ' '.join(cmd) + '\n' + res.stdout + res.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
