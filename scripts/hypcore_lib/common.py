"""Constants, number parsing, errors and messages shared by the ./hypcore modules.

The QEMU facts here are those of shared/qemu-facts.md (QEMU 7.2, machine virt).
"""
import argparse
import decimal
import os
import re
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
    """A QEMU-style memory size: 1G, 512M, 1.5G, 2048K or a plain number (MiB, as QEMU
    reads a bare -m number).  The result must be a whole number of bytes."""
    units = {'K': KiB, 'M': MiB, 'G': GiB, 'T': 1 << 40}
    m = re.fullmatch(r'(\d+(?:\.\d+)?)([KMGT]?)B?', str(text).strip().upper())
    if not m:
        raise Failure(f'not a size: {text!r} (use e.g. 1G or 512M)')
    value = decimal.Decimal(m.group(1)) * units.get(m.group(2), MiB)
    if value != value.to_integral_value():
        raise Failure(f'not a whole number of bytes: {text!r}')
    return int(value)


def parse_mem(text):
    """A RAM size for QEMU's -m: a positive whole number of MiB."""
    size = parse_size(text)
    if size <= 0 or size % MiB:
        raise Failure(f'RAM size {text!r} is not a positive whole number of MiB '
                      f'(QEMU would round it; use e.g. 1G or 1536M)')
    return size


def parse_timeout(text):
    """Seconds, more than zero."""
    try:
        value = float(text)
    except ValueError:
        raise Failure(f'not a number of seconds: {text!r}') from None
    if not value > 0:
        raise Failure(f'a timeout must be more than 0 seconds, not {text!r}')
    return value


def parse_count(text, least=1):
    """A whole number, at least `least`."""
    value = parse_int(text)
    if value < least:
        raise Failure(f'{text!r} is less than {least}')
    return value


def parse_regex(text):
    """A Python regular expression (re.search), checked now rather than at the first case."""
    try:
        re.compile(text)
    except re.error as e:
        raise Failure(f'not a regular expression: {text!r} ({e})') from None
    return text


def cli_type(parse):
    """An argparse type from one of the parse_* functions: a bad value becomes
    argparse's one-line error and exit status 2, never a traceback."""
    def convert(text):
        try:
            return parse(text)
        except Failure as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    convert.__name__ = parse.__name__.replace('parse_', '')
    return convert


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
