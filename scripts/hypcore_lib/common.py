"""Constants, number parsing, errors and messages shared by the ./hypcore modules.

The QEMU facts here are those of shared/qemu-facts.md (QEMU 7.2, machine virt).
"""
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(TOP, 'build')
SCRIPTS = os.path.join(TOP, 'scripts')

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30
PAGE = 4 * KiB

# QEMU virt: RAM starts here; the PL011 is at 0x09000000.
RAM_BASE = 0x40000000
DEFAULT_MEM = GiB
# QEMU virt builds a 1 MiB DTB (its totalsize) and, without -kernel, writes it
# at RAM_BASE as a ROM blob that no other loader file may overlap.
QEMU_DTB_SIZE = 1 * MiB

# What hypcore prints (include/printk.h, the boot contract).
HYP_PREFIX = '(HYP) '
END_MARKER = '(HYP) hypcore: boot complete'


class Failure(Exception):
    """A problem to report to the user in one sentence (no traceback)."""


def parse_int(text):
    """An address or count: decimal, or hex with 0x."""
    try:
        return int(str(text).replace('_', ''), 0)
    except ValueError:
        raise Failure(f'not a number: {text!r}') from None


def parse_size(text):
    """A QEMU-style memory size: 1G, 512M, 2048K or a plain byte count."""
    units = {'K': KiB, 'M': MiB, 'G': GiB, 'T': 1 << 40}
    text = str(text).strip().upper()
    if text.endswith('B'):
        text = text[:-1]
    if text and text[-1] in units:
        number, unit = text[:-1], units[text[-1]]
    else:
        # QEMU reads a bare -m number as MiB.
        number, unit = text, MiB
    try:
        return int(float(number) * unit)
    except ValueError:
        raise Failure(f'not a size: {text!r} (use e.g. 1G or 512M)') from None


def qemu_size(nbytes):
    """The -m argument for a byte count (QEMU takes an M suffix)."""
    return f'{nbytes // MiB}M'


def align_up(value, align):
    return (value + align - 1) // align * align


def align_down(value, align):
    return value // align * align


def overlaps(a_start, a_end, b_start, b_end):
    """Whether the half-open ranges [a_start, a_end) and [b_start, b_end) meet."""
    return a_start < b_end and b_start < a_end


def say(message):
    """A note from the tool itself (not the guest's log): on stderr."""
    print(f'hypcore: {message}', file=sys.stderr, flush=True)
