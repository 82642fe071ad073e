"""Known answers for the harness's own models (scripts/hypcore_lib), worked out by
hand from the issue's rules and QEMU's measured behaviour, so that a wrong model
cannot make the QEMU suites agree with a wrong hypervisor.

./hypcore test runs these first (cases "model:..."); alone:
  python3 -m unittest discover -s tests/qemu
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'scripts'))

from hypcore_lib import model, qemu  # noqa: E402
from hypcore_lib.common import GiB, MiB  # noqa: E402

IDMAP_OFFSET = 0x1000       # the identity page right after the header page


class DecisionModel(unittest.TestCase):
    def decide(self, runtime_base, load):
        return model.decide('arm64', runtime_base, load, IDMAP_OFFSET)

    def test_default_layout_shares_nothing(self):
        d = self.decide(0xa0000200000, 0x40200000)
        self.assertEqual(d.line(), 'boot: arch=arm64 load=0x40200000 idmap=0x40201000 '
                         'runtime=0xa0000200000-0xa0000a00000 share=0 clash=no temp=none')

    def test_load_at_runtime_address_is_no_clash(self):
        d = self.decide(0x40200000, 0x40200000)
        self.assertEqual((d.share, d.clash, d.temp), (4, False, None))

    def test_identity_page_inside_region_clashes(self):
        d = self.decide(0x40200000, 0x40201000)
        self.assertEqual(d.line(), 'boot: arch=arm64 load=0x40201000 idmap=0x40202000 '
                         'runtime=0x40200000-0x40a00000 share=4 clash=yes temp=0x8040200000')

    def test_same_2m_block_outside_region_is_share_3(self):
        # ram-odd: region 0x40f00000-0x41700000; 0x40e01000 is in block 0x40e00000.
        self.assertEqual(self.decide(0x40f00000, 0x40e00000).share, 3)

    def test_same_gib_other_2m_block_is_share_2(self):
        # Region ends at 0x40a00000: block 0x40a00000-0x40c00000 does not meet it.
        self.assertEqual(self.decide(0x40200000, 0x40a00000).share, 2)
        # Identity page 0x40a00000: the first page past the region.
        self.assertEqual(self.decide(0x40200000, 0x409ff000).share, 2)

    def test_other_gib_is_share_1(self):
        self.assertEqual(self.decide(0x40200000, 0x80000000).share, 1)
        self.assertEqual(self.decide(0x80400000, 0x40000000).share, 1)

    def test_last_page_of_region(self):
        d = self.decide(0x40200000, 0x409fe000)      # identity page 0x409ff000
        self.assertEqual((d.share, d.clash), (4, True))


class PlacementModel(unittest.TestCase):
    """Where QEMU 7.2 puts things (measured with probe images, see qemu.py)."""
    class Img:
        image_size = 0x2a000
        footprint = 0x2a000
        file_size = 0x22000

    def spec(self, mem=GiB):
        return qemu.RunSpec(mem=mem)

    def test_kernel_dtb_above_128m_or_after_image(self):
        self.assertEqual(qemu.kernel_dtb_addr(0x40200000, self.Img, self.spec()), 0x48000000)
        self.assertEqual(qemu.kernel_dtb_addr(0x48000000, self.Img, self.spec()), 0x48200000)
        # Measured: text_offset 0x3fbff000 with image_size 0x100000 -> DTB 0x7fe00000.
        img = type('Img', (), {'image_size': 0x100000, 'footprint': 0x100000})
        self.assertEqual(qemu.kernel_dtb_addr(0x7fbff000, img, self.spec()), 0x7fe00000)

    def test_kernel_loader_limits(self):
        self.assertIsNotNone(qemu.check_load('kernel', 0x40000000, self.Img, self.spec()))
        self.assertIsNone(qemu.check_load('kernel', 0x40001000, self.Img, self.spec()))
        # Measured: image ending at 0x7fdff000 boots, one ending at 0x7fefe000 does not.
        img = type('Img', (), {'image_size': 0x1000, 'footprint': 0x1000})
        self.assertIsNone(qemu.check_load('kernel', 0x7fdfe000, img, self.spec()))
        img = type('Img', (), {'image_size': 0x100000, 'footprint': 0x100000})
        self.assertIsNotNone(qemu.check_load('kernel', 0x7fdfe000, img, self.spec()))

    def test_every_loader_refuses_outside_ram_and_unaligned(self):
        for loader in qemu.LOADERS:
            for load in (0x3ffff000, 0x40000800, 0x80000000 - 0x1000):
                self.assertIsNotNone(qemu.check_load(loader, load, self.Img, self.spec()),
                                     f'{loader} @ {load:#x}')

    def test_generic_reaches_ram_base_and_last_page(self):
        self.assertIsNone(qemu.check_load('generic', 0x40000000, self.Img, self.spec()))
        self.assertIsNone(qemu.check_load('generic', 0x80000000 - 0x2a000, self.Img,
                                          self.spec()))

    def test_placer_skips_taken_ranges(self):
        placer = qemu.Placer(0x40000000, 0x40000000 + 64 * MiB)
        placer.take(0x40000000, 0x100000, 'dtb')
        placer.take(0x40200000, 0x2a000, 'image')
        self.assertEqual(placer.find(0x5000, 2 * MiB, 'module'), 0x40400000)
        self.assertEqual(placer.find(0x1000, 0x1000, 'stub'), 0x40100000)


class OutputParsing(unittest.TestCase):
    LOG = '\r\n'.join([
        '(HYP) dt: blob at 0x48000000 size 1048576',
        '(HYP) dt: memory 0x40000000-0x80000000 node=/memory@40000000',
        '(HYP) dt: memreserve 0x7c000000-0x7c010000',
        '(HYP) dt: reserved-memory 0x7e000000-0x7e200000 node=/reserved-memory/s@7e000000 no-map',
        '(HYP) dt: bootargs "a b=c"',
        '(HYP) dt: module 0x50000000-0x50004023 size=0x4023 kind=kernel '
        'node=/chosen/module@0x50000000 bootargs="console=hvc0, x"',
        '(HYP) bench: end ticks=42', ''])

    def test_facts(self):
        facts = model.parse_facts(self.LOG)
        self.assertEqual(facts.memory, [(0x40000000, 0x80000000, '/memory@40000000')])
        self.assertEqual(facts.memreserve, [(0x7c000000, 0x7c010000)])
        self.assertEqual(facts.reserved,
                         [(0x7e000000, 0x7e200000, '/reserved-memory/s@7e000000', True)])
        self.assertEqual(facts.bootargs, 'a b=c')
        self.assertEqual(facts.modules, [(0x50000000, 0x50004023, 'kernel',
                                          '/chosen/module@0x50000000', 'console=hvc0, x')])
        self.assertEqual(model.parse_dtb_addr(self.LOG), 0x48000000)
        self.assertEqual(model.parse_bench(self.LOG), {'end': 42})

    def test_bootargs_none_and_size_mismatch(self):
        facts = model.parse_facts('(HYP) dt: bootargs none\n(HYP) dt: module '
                                  '0x50000000-0x50001000 size=0x2000 kind=kernel node=/x\n')
        self.assertIsNone(facts.bootargs)
        self.assertNotEqual(facts.modules[0][2], 'kernel')

    def test_module_kind_guess(self):
        self.assertEqual(model.module_kind(['multiboot,module'], 0), ('kernel', 1))
        self.assertEqual(model.module_kind(['multiboot,module'], 1), ('ramdisk', 2))
        self.assertEqual(model.module_kind(['multiboot,module', 'multiboot,ramdisk'], 0),
                         ('ramdisk', 0))


if __name__ == '__main__':
    unittest.main()
