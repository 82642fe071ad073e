"""gdb for ./hypcore run --gdb and the debug: tests.

QEMU starts halted (-S) with its gdb stub on a loopback TCP port (-gdb
tcp:127.0.0.1:PORT; 1234 is what -s would give).  The runner writes a gdb script beside the run's files
that:

* sets the architecture (gdb-multiarch debugs either target);
* loads the ELF's symbols at the runtime (link) address, where C and head.S
  run once the MMU is on;
* loads them again at the physical load address, where head.S runs before
  the MMU is on (add-symbol-file FILE -o OFFSET, OFFSET = load - runtime
  base, modulo the address width), so that "break cpu_init" also stops there
  and a backtrace there names the routines;
* connects to QEMU.

QEMU's breakpoints are on virtual addresses (before the MMU is on, virtual =
physical), so a breakpoint at the physical copy of a symbol hits only while
the MMU is off.  Where the two copies overlap (a load address within the
image's size of its runtime address, e.g. layout ram at 0x40201000), an
address may be named after either.
"""
import os
import shutil
import socket

from .common import Failure

GDB = 'gdb-multiarch'
GDB_ARCH = {'arm64': 'aarch64', 'arm32': 'arm'}
ADDR_BITS = {'arm64': 64, 'arm32': 32}
DEFAULT_PORT = 1234


def qemu_argv(port):
    """QEMU's options for a halted start with the gdb stub on `port`."""
    return ['-gdb', f'tcp:127.0.0.1:{port}', '-S']


def free_port():
    """A TCP port nobody listens on now (for tests that run side by side)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def symbol_offset(arch, load, runtime_base):
    """What to add to a link address to get the physical one, as gdb takes it."""
    return (load - runtime_base) % (1 << ADDR_BITS[arch])


def write_script(path, img, load, port):
    """The gdb script for image `img` loaded at `load`, QEMU's stub on `port`."""
    offset = symbol_offset(img.arch, load, img.runtime_base)
    elf = os.path.abspath(img.elf)
    lines = [
        '# Written by ./hypcore run --gdb (scripts/hypcore_lib/gdb.py).',
        f'# {img.arch} image {elf}',
        f'# linked at {img.runtime_base:#x}, loaded at {load:#x}',
        'set pagination off',
        f'set architecture {GDB_ARCH[img.arch]}',
        '# Symbols at the runtime address: C, and head.S once the MMU is on.',
        f'file {elf}',
    ]
    if offset:
        lines += [
            '# Again at the physical load address: head.S before the MMU is on',
            f'# (offset {offset:#x} = load - runtime base).',
            'set confirm off',
            f'add-symbol-file {elf} -o {offset:#x}',
            'set confirm on',
        ]
    # By address, not name: a minimal system (the fresh-machine check's chroot)
    # has no /etc/hosts, and gdb's ":PORT" then fails to resolve the empty host.
    lines += [f'target remote 127.0.0.1:{port}']
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def command(script):
    """The one command that starts gdb on a written script."""
    return f'{GDB} -x {script}'


def require():
    """The path of gdb-multiarch, or a Failure that says how to get it."""
    path = shutil.which(GDB)
    if not path:
        raise Failure(f'{GDB} is not installed (apt-get install gdb-multiarch; ./hypcore '
                      'installs it unless --no-build is given)')
    return path
