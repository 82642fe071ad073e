#!/usr/bin/env python3
"""Check that common/string.c calls no C library function.

GCC may turn the byte loops in memset/memcpy/... into calls to memset/memcpy
themselves, which would recurse forever in hypcore.  -ffreestanding stops
GCC 12 from doing so, and common/string.c also turns the optimisation off
itself in case it is ever built without (a fuzzer, another compiler).  This
compiles it with each compiler given, at several optimisation levels, with
and without -ffreestanding, under the hc_* names of string-rename.h (so a call GCC
invents shows up as an undefined memset/memcpy), and fails if the object has
any undefined symbol other than the stack protector's.

  check-string-libcalls.py SRC_ROOT CC:NM [CC:NM ...]
"""
import os
import subprocess
import sys
import tempfile

ALLOWED = {'__stack_chk_fail', '__stack_chk_guard', '_GLOBAL_OFFSET_TABLE_'}


def check(root, cc, nm, opt, freestanding, tmp):
    gcc_inc = subprocess.run([cc, '-print-file-name=include'], check=True,
                             capture_output=True, text=True).stdout.strip()
    obj = os.path.join(tmp, 'string.o')
    cmd = [cc] + (['-ffreestanding'] if freestanding else []) + [
           '-nostdinc', '-isystem', gcc_inc,
           '-I', os.path.join(root, 'include'),
           '-I', os.path.join(root, 'include', 'libc'),
           '-include', os.path.join(root, 'tests', 'unit', 'string-rename.h'),
           '-std=gnu11', '-Wall', '-Wextra', '-Werror', opt,
           '-fstack-protector-strong', '-fno-pic',
           '-c', os.path.join(root, 'common', 'string.c'), '-o', obj]
    subprocess.run(cmd, check=True)
    out = subprocess.run([nm, '-u', obj], check=True, capture_output=True,
                         text=True).stdout.split()
    calls = sorted(set(s for s in out if s not in ('U', 'w')) - ALLOWED)
    ok = not calls
    mode = '-ffreestanding' if freestanding else 'hosted'
    print(f"{'ok  ' if ok else 'FAIL'} {cc} {opt} {mode}: "
          f"{'no library calls' if ok else 'calls ' + ', '.join(calls)}")
    return ok


def main():
    root = sys.argv[1]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for pair in sys.argv[2:]:
            cc, nm = pair.split(':')
            for opt in ('-O1', '-O2', '-O3', '-Os'):
                for freestanding in (True, False):
                    ok = check(root, cc, nm, opt, freestanding, tmp) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
