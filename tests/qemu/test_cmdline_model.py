"""Known answers for the command-line model (scripts/hypcore_lib/cmdlinesuite.py):
Xen's size syntax, the dom0_mem line, and the console choice on
tests/dts/console.dts, whose addresses are worked out by hand beside each node.

./hypcore test runs these as "model:..." cases; alone:
  python3 -m unittest discover -s tests/qemu -p 'test_cmdline*.py'
"""
import atexit
import functools
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'scripts'))

from hypcore_lib import cmdlinesuite as cl  # noqa: E402

CONSOLE_DTS = os.path.join(HERE, '..', 'dts', 'console.dts')
SOC_SERIAL = '/soc@8000000/serial@1000000'
NESTED = '/soc@8000000/sub@1100000/serial@2000'


class XenSize(unittest.TestCase):
    def test_suffixes(self):
        self.assertEqual(cl.xen_size('64M'), 64 << 20)
        self.assertEqual(cl.xen_size('64m'), 64 << 20)
        self.assertEqual(cl.xen_size('2T'), 2 << 40)
        self.assertEqual(cl.xen_size('3g'), 3 << 30)
        self.assertEqual(cl.xen_size('4k'), 4096)
        self.assertEqual(cl.xen_size('100B'), 100)

    def test_no_suffix_is_kib(self):
        self.assertEqual(cl.xen_size('100'), 102400)
        self.assertEqual(cl.xen_size('0x10'), 0x4000)
        self.assertEqual(cl.xen_size('017'), 15 * 1024)

    def test_refused(self):
        for text in ('', 'M', '1MB', '1P', '-1M', '1.5G', '08', '0x', '64 M'):
            self.assertIsNone(cl.xen_size(text), text)

    def test_64_bits(self):
        self.assertEqual(cl.xen_size('16777215T'), 0xffffff0000000000)
        self.assertIsNone(cl.xen_size('16777216T'))
        self.assertEqual(cl.xen_size('18446744073709551615B'), (1 << 64) - 1)
        self.assertIsNone(cl.xen_size('18014398509481984'))     # KiB: 2^64


class Dom0Line(unittest.TestCase):
    def test_default_is_128m(self):
        self.assertEqual(cl.dom0_line(''), 'cmdline: dom0_mem=0x8000000 (default)')
        self.assertEqual(cl.dom0_line('dom0_mem=0 dom0_mem=12Q'),
                         'cmdline: dom0_mem=0x8000000 (default)')

    def test_last_valid_wins(self):
        self.assertEqual(cl.dom0_line('dom0_mem=64M'), 'cmdline: dom0_mem=0x4000000')
        self.assertEqual(cl.dom0_line('dom0_mem=1G dom0_mem=0x10000 dom0_mem=12Q'),
                         'cmdline: dom0_mem=0x4000000')


class Headers(unittest.TestCase):
    def test_board_uart(self):
        self.assertEqual(cl.header_value(cl.BOARD_HEADER, 'BOARD_UART_PADDR'), 0x09000000)


@functools.lru_cache(maxsize=None)
def console_dtb():
    """tests/dts/console.dts compiled once per process (./hypcore test runs each
    test method on its own, without setUpClass)."""
    tmp = tempfile.TemporaryDirectory()
    atexit.register(tmp.cleanup)
    dtb = os.path.join(tmp.name, 'console.dtb')
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, CONSOLE_DTS], check=True)
    return dtb


class ConsoleChoice(unittest.TestCase):
    def setUp(self):
        self.dtb = console_dtb()

    def test_translation(self):
        self.assertEqual(cl.node_paddr(self.dtb, '/pl011@9000000'), 0x9000000)
        self.assertEqual(cl.node_paddr(self.dtb, SOC_SERIAL), 0x9000000)
        self.assertEqual(cl.node_paddr(self.dtb, NESTED), 0x9102000)
        self.assertEqual(cl.node_paddr(self.dtb, '/flat/serial@9000000'), 0x9000000)
        for path in ('/soc@8000000/sub@1100000/serial@f800', '/soc@8000000/serial@3000000',
                     '/i2c/serial@50', '/broken/serial@0', '/pl011-noreg'):
            self.assertIsNone(cl.node_paddr(self.dtb, path), path)

    def test_stdout_path_alias_with_options(self):
        c = cl.expected_console(self.dtb)
        self.assertEqual(c.line, f'console: pl011 at 0x09000000 node={SOC_SERIAL} (stdout-path)')
        self.assertEqual(c.refused, [])

    def test_dtuart(self):
        c = cl.expected_console(self.dtb, 'nested:115200n8')
        self.assertEqual(c.line, f'console: pl011 at 0x09102000 node={NESTED} '
                         '(dtuart=nested; its options ignored)')
        c = cl.expected_console(self.dtb, '/pl011@9000000')
        self.assertEqual(c.line, 'console: pl011 at 0x09000000 node=/pl011@9000000 '
                         '(dtuart=/pl011@9000000)')

    def test_refused_dtuart_falls_back(self):
        for spec in ('serial2', 'gpio', 'dangling', 'serial9', '/nowhere', ':115200',
                     '/pl011@9000800', '/pl011-noreg', '/i2c/serial@50'):
            c = cl.expected_console(self.dtb, spec)
            self.assertEqual(c.refused, [spec], spec)
            self.assertTrue(c.line.endswith('(stdout-path)'), spec)

    def test_check_console_rejects_another_line(self):
        c = cl.expected_console(self.dtb)
        good = f'(HYP) {c.line}\r\n'
        self.assertIsNone(cl.check_console(good, c))
        self.assertIsNotNone(cl.check_console(good.replace('0x09000000', '0x9000000'), c))
        self.assertIsNotNone(cl.check_console(good + good, c))
        self.assertIsNotNone(cl.check_console(
            '(HYP) console: warning: dtuart "x": no such node; ignored\r\n' + good, c))


def log(*lines):
    return ''.join(f'(HYP) {line}\r\n' for line in lines)


BLOB = 'dt: blob at 0x48000000 size 1048576'
END = 'hypcore: boot complete, powering off'
INFO = ['console: pl011 at 0x09000000 node=/pl011@9000000 (stdout-path)',
        'cmdline: dom0_mem=0x8000000 (default)', 'dt: memory 0x40000000-0x80000000 node=/m',
        'mem: ram 0x40000000-0x80000000', 'heap: total=1', 'smp: cpu0 online mpidr=0x0']
WARNING = 'cmdline: warning: unknown option "foo" ignored'


class LogChecks(unittest.TestCase):
    def test_loglvl(self):
        full = log('boot: x', BLOB, WARNING, *INFO, END)
        quiet = log('boot: x', BLOB, WARNING, END)
        silent = log('boot: x', BLOB, END)
        self.assertIsNone(cl.loglvl_check(True, True)(full, None, None))
        self.assertIsNotNone(cl.loglvl_check(False, True)(full, None, None))
        self.assertIsNone(cl.loglvl_check(False, True)(quiet, None, None))
        self.assertIsNotNone(cl.loglvl_check(False, False)(quiet, None, None))
        self.assertIsNone(cl.loglvl_check(False, False)(silent, None, None))
        self.assertIsNotNone(cl.loglvl_check(False, False)(log('boot: x', BLOB), None, None))

    def test_warnings(self):
        two = log(WARNING, 'cmdline: warning: dom0_mem: bad value "12Q" (not a size); ignored')
        self.assertIsNone(cl.check_cmdline_warnings(two, ['foo'], [('dom0_mem', '12Q')]))
        self.assertIsNotNone(cl.check_cmdline_warnings(two, ['foo']))
        self.assertIsNotNone(cl.check_cmdline_warnings(two, [], [('dom0_mem', '12Q')]))
        self.assertIsNotNone(cl.check_cmdline_warnings(log(WARNING, WARNING), ['foo']))


if __name__ == '__main__':
    unittest.main()
