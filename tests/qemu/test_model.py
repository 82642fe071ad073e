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

from hypcore_lib import model, qemu, results  # noqa: E402
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
        facts = results.parse_facts(self.LOG)
        self.assertEqual(facts.memory, [(0x40000000, 0x80000000, '/memory@40000000')])
        self.assertEqual(facts.memreserve, [(0x7c000000, 0x7c010000)])
        self.assertEqual(facts.reserved,
                         [(0x7e000000, 0x7e200000, '/reserved-memory/s@7e000000', True)])
        self.assertEqual(facts.bootargs, 'a b=c')
        self.assertEqual(facts.modules, [(0x50000000, 0x50004023, 'kernel',
                                          '/chosen/module@0x50000000', 'console=hvc0, x')])
        self.assertEqual(results.parse_dtb_addr(self.LOG), 0x48000000)
        self.assertEqual(results.parse_bench(self.LOG), {'end': 42})

    def test_bootargs_none_and_size_mismatch(self):
        facts = results.parse_facts('(HYP) dt: bootargs none\n(HYP) dt: module '
                                  '0x50000000-0x50001000 size=0x2000 kind=kernel node=/x\n')
        self.assertIsNone(facts.bootargs)
        self.assertNotEqual(facts.modules[0][2], 'kernel')

    def test_module_kind_guess(self):
        self.assertEqual(model.module_kind(['multiboot,module'], 0), ('kernel', 1))
        self.assertEqual(model.module_kind(['multiboot,module'], 1), ('ramdisk', 2))
        self.assertEqual(model.module_kind(['multiboot,module', 'multiboot,ramdisk'], 0),
                         ('ramdisk', 0))


class MemoryModel(unittest.TestCase):
    """The heap: figures by hand from the README "Memory" rules."""
    RAM_1G = [(0x40000000, 0x80000000)]
    IMAGE = (0x40200000, 0x4022a000)        # 42 pages
    DTB = (0x48000000, 0x48100000)          # 256 pages

    def model(self, modules=(), firmware=(), ram=None, image=None):
        return model.memory_model(model.MemInputs(
            ram=ram or self.RAM_1G, image=image or self.IMAGE, dtb=self.DTB,
            firmware=list(firmware), modules=list(modules)))

    def test_readme_boot_log(self):
        # README "A boot log": two modules sharing a page, 1 GiB.
        m = self.model([(0x50000006, 0x50004e26, 'ramdisk'), (0x50000000, 0x50000006, 'kernel')])
        self.assertEqual(m.stats, {'total': 262144, 'free': 260817, 'reserved': 1327,
                                   'module': 5, 'image': 42, 'dtb': 256, 'firmware': 0,
                                   'boot': 1024})
        # 262144 pages x 12 bytes = 3 MiB -> 4 MiB at the top of RAM.
        self.assertEqual(m.frametable, (0x7fc00000, 0x80000000))
        self.assertEqual(m.release, 5)
        self.assertEqual(m.refused, [])

    def test_shared_page_counts_under_the_first_type(self):
        # The firmware range and the module share page 0x50000000: it counts as
        # firmware, so the module has one page of its own and gives back one.
        m = self.model([(0x50000800, 0x50002000, 'kernel')],
                       [(0x50000000, 0x50000800, 'fw')])
        self.assertEqual((m.stats['firmware'], m.stats['module'], m.release), (1, 1, 1))
        self.assertEqual(m.stats['free'], 262144 - 1 - 1 - 42 - 256 - 1024)

    def test_banks_merge_and_shrink_to_pages(self):
        # 0x40000800-0x40003000 and 0x40003000-0x40004400 touch: one bank,
        # whole pages 0x40001000-0x40004000 = 3.
        m = self.model(ram=[(0x40003000, 0x40004400), (0x40000800, 0x40003000)],
                       image=(0x40003000, 0x40003001))
        self.assertEqual(m.ram, [(0x40000800, 0x40004400)])
        self.assertEqual(m.stats['total'], 3)

    def test_frametable_skips_a_range_it_does_not_fit_aligned(self):
        # As mem:modules-ram-end: the top free range 0x7fa01000-0x7fffd000 is
        # 6 MiB long but holds no 2 MiB-aligned 4 MiB; the one below does.
        m = self.model([(0x7fffdcbb, 0x80000000, 'kernel'), (0x7fa00800, 0x7fa00900, 'ramdisk')])
        self.assertEqual(m.frametable, (0x7f600000, 0x7fa00000))
        self.assertEqual((m.stats['module'], m.release), (4, 4))

    def test_refusals(self):
        m = self.model([(0x50000000, 0x50003000, 'kernel'),
                        (0x50002000, 0x50004000, 'ramdisk'),   # over the kernel
                        (0x480ff000, 0x48101000, 'ramdisk'),   # over the DTB
                        (0x7ffff000, 0x80001000, 'ramdisk'),   # partly above RAM
                        (0x48100000, 0x48100001, 'ramdisk')])  # touches the DTB: fine
        why = [(r.start, r.reason, [(o[2], o[0], o[1]) for o in r.others]) for r in m.refused]
        self.assertEqual(why, [(0x50002000, 'overlaps', [('module', 0x50000000, 0x50003000)]),
                               (0x480ff000, 'overlaps', [('dtb', 0x48000000, 0x48100000)]),
                               (0x7ffff000, 'not wholly inside RAM', [])])
        self.assertEqual(m.stats['module'], 3 + 1)

    def test_firmware_ranges_that_touch_merge(self):
        m = self.model(firmware=[(0x5c000000, 0x5c010000, 'memreserve'),
                                 (0x5c010000, 0x5c013000, 'memreserve')])
        fw = [r for r in m.reserved if r[2] == 'firmware']
        self.assertEqual([(r[0], r[1]) for r in fw], [(0x5c000000, 0x5c013000)])
        self.assertEqual(m.stats['firmware'], 0x13)

    def test_parse_and_check(self):
        log = '\n'.join('(HYP) ' + line for line in [
            'mem: refusing module ramdisk 0x7ffff000-0x80001000: not wholly inside RAM',
            'mem: ram 0x40000000-0x80000000',
            'mem: reserved 0x40200000-0x4022a000 image hypcore',
            'mem: reserved 0x48000000-0x48100000 dtb fdt',
            'mem: reserved 0x50000000-0x50000006 module kernel',
            'mem: reserved 0x7fc00000-0x80000000 boot frametable',
            'heap: total=262144 free=260821 reserved=1323 module=1 image=42 dtb=256 '
            'firmware=0 boot=1024',
            'heap: total=262144 free=260810 reserved=1322 module=0 image=42 dtb=256 '
            'firmware=0 boot=1024',
            'selftest heap: ok pages=260809 released=1'])
        inputs = model.MemInputs(ram=self.RAM_1G, image=self.IMAGE, dtb=self.DTB, modules=[
            (0x50000000, 0x50000006, 'kernel'), (0x7ffff000, 0x80001000, 'ramdisk')])
        self.assertIsNone(model.check_memory(log, inputs, selftest=True))
        # A heap that lost a page, and a module refused that the model accepts.
        self.assertIn('heap: line', model.check_memory(
            log.replace('free=260821', 'free=260820'), inputs))
        bad = model.MemInputs(ram=self.RAM_1G, image=self.IMAGE, dtb=self.DTB,
                              modules=[(0x50000000, 0x50000006, 'kernel')])
        self.assertIn('the model accepts it', model.check_memory(log, bad))
        # free after the self-test must be pages + released.
        self.assertIn('after the self-test', model.check_memory(
            log.replace('pages=260809', 'pages=260808'),
            inputs, selftest=True))


class SmpModel(unittest.TestCase):
    BASE = 0xb0000000000        # default layout: 0xa0000200000's level-0 slot 0x14 ^ 2

    def test_percpu_base(self):
        self.assertEqual(model.percpu_base(0x00000a0000200000), self.BASE)
        self.assertEqual(model.percpu_base(0x40200000), 0x10000000000)
        self.assertEqual(model.percpu_base(0x80400000), 0x10000000000)
        # Runtime in level-0 entry 2: the preferred slot is entry 0, the identity
        # page's for any load in QEMU's RAM, so the slot moves to entry 1 (XOR 3).
        self.assertEqual(model.percpu_base(0x10000200000), 0)
        self.assertEqual(model.percpu_base(0x10000200000, idmap=0x40201000), 0x8000000000)
        self.assertEqual(model.percpu_base(0x40200000, idmap=0x40201000), 0x10000000000)

    def test_stacks_and_guards(self):
        # cpu n: guard page 512 * (1 + n // 64) + 8 * (n % 64), stack the 4 pages above it.
        self.assertEqual(model.stack_range(self.BASE, 0), (0xb0000201000, 0xb0000205000))
        self.assertEqual(model.stack_range(self.BASE, 1), (0xb0000209000, 0xb000020d000))
        self.assertEqual(model.guard_page(self.BASE, 1), 0xb0000208000)
        self.assertEqual(model.stack_range(self.BASE, 63)[1], self.BASE + 0x3fd000)
        self.assertEqual(model.guard_page(self.BASE, 64), self.BASE + 0x400000)
        self.assertEqual(model.stack_range(self.BASE, 511)[1], self.BASE + 0x11fd000)
        self.assertEqual(model.window_va(self.BASE), 0xb0000010000)

    def test_numbering(self):
        cpus = [('/cpus/cpu@1', 0x1, 'psci'), ('/cpus/cpu@0', 0x0, 'psci'),
                ('/cpus/cpu@2', 0x2, 'spin-table'), ('/cpus/cpu@ff', 0xff, 'psci')]
        self.assertEqual(model.expected_cpus(cpus, 0x80000000), [0x0, 0x1, 0xff])

    LOG = '\n'.join('(HYP) ' + line for line in [
        'mem: ram 0x40000000-0x80000000',
        'mem: reserved 0x40200000-0x40231000 image hypcore',
        'smp: cpu0 online mpidr=0x0 root=0x40211000 stack=0xb0000201000-0xb0000205000 '
        'stack-pa=0x40245000',
        'smp: cpu1 online mpidr=0x1 root=0x5000a000 stack=0xb0000209000-0xb000020d000 '
        'stack-pa=0x5000b000',
        'smp: cpu2 failed mpidr=0xff reason=INVALID_PARAMETERS',
        'smp: 2 of 3 cpus online',
        'bench: smp ticks=656268 cpus=3'])

    def check(self, log, mpidrs=(0, 1, 0xff)):
        return model.check_smp(log, list(mpidrs), {2: 'INVALID_PARAMETERS'}, self.BASE,
                               results.parse_memory(log))

    def test_check_smp(self):
        self.assertIsNone(self.check(self.LOG))
        self.assertIn('stack', self.check(self.LOG.replace('0xb0000209000-', '0xb000020a000-')))
        self.assertIn('not distinct', self.check(self.LOG.replace('0x5000a000', '0x40211000')))
        self.assertIn('reserved range', self.check(self.LOG.replace('0x5000a000', '0x40230000')))
        self.assertIn('not in RAM', self.check(self.LOG.replace('0x5000a000', '0x80000000')))
        self.assertIn('count line', self.check(self.LOG.replace('2 of 3', '3 of 3')))
        self.assertIn('the DTB says', self.check(self.LOG, (0, 0x100, 0xff)))
        self.assertIn('stack-pa', self.check(self.LOG.replace(' stack-pa=0x5000b000', '')))
        self.assertIn('not distinct', self.check(self.LOG.replace('0x5000b000', '0x40245000')))
        self.assertIn('reserved range', self.check(self.LOG.replace('0x5000b000', '0x40201000')))

    def test_stack_overflow(self):
        log = '\n'.join('(HYP) ' + line for line in [
            'trap: synchronous exception from current EL, SP_EL2 on cpu1',
            'trap: stack overflow: cpu1 hit its stack guard page 0xb0000208000',
            'trap: ESR=0x96000047 ELR=0x00000a000020aec4 FAR=0x00000b0000208fb0 SPSR=0x800003c9',
            'trap: cpu1 parked'])
        self.assertIsNone(model.check_stack_overflow(log, 1, self.BASE))
        self.assertIsNotNone(model.check_stack_overflow(log, 2, self.BASE))
        self.assertIn('FAR', model.check_stack_overflow(
            log.replace('FAR=0x00000b0000208fb0', 'FAR=0x00000b0000209fb0'), 1, self.BASE))

    def test_stack_overflow_big(self):
        """selftest=stack-overflow-big: SP and FAR below the guard page, in the slot."""
        log = '\n'.join('(HYP) ' + line for line in [
            'trap: synchronous exception from current EL, SP_EL2 on cpu1',
            'trap: stack overflow: cpu1 ran past its stack guard page 0xb0000208000 '
            '(sp=0xb0000206f90)',
            'trap: ESR=0x96000047 ELR=0x00000a000020b5a4 FAR=0x00000b0000206f90 SPSR=0x800003c9',
            'trap: x28=0x000000004024a000 x29=0x00000b000020ffb0 x30=0x00000a000020b614 '
            'sp =0x00000b0000206f90',
            'trap: cpu1 parked'])
        self.assertIsNone(model.check_stack_overflow(log, 1, self.BASE, big=True))
        # Faulting in the guard page is the small case, not a frame that jumped it.
        self.assertIn('FAR', model.check_stack_overflow(
            log.replace('FAR=0x00000b0000206f90', 'FAR=0x00000b0000208f90'), 1, self.BASE,
            big=True))
        self.assertIn('sp', model.check_stack_overflow(
            log.replace('sp =0x00000b0000206f90', 'sp =0x00000b0000209f90'), 1, self.BASE,
            big=True))
        self.assertIn('stack overflow lines', model.check_stack_overflow(
            log.replace('ran past its', 'skipped its'), 1, self.BASE, big=True))


if __name__ == '__main__':
    unittest.main()


class Arm32Model(unittest.TestCase):
    """arm32 (LPAE, HYP mode): three levels of 1 GiB, 2 MiB, 4 KiB blocks, the alias
    in the neighbouring GiB, the per-CPU slot in the last 2 MiB of the runtime GiB,
    and QEMU's -kernel loading a raw arm32 image at 0x40010000 only."""
    class Img:
        arch = 'arm32'
        image_size = 0x2b000
        footprint = 0x2b000
        file_size = 0x22000

    def decide(self, runtime_base, load):
        return model.decide('arm32', runtime_base, load, IDMAP_OFFSET)

    def test_decision_share_0_to_3_and_clash(self):
        self.assertEqual(self.decide(0x00200000, 0x40010000).line(),
                         'boot: arch=arm32 load=0x40010000 idmap=0x40011000 '
                         'runtime=0x200000-0xa00000 share=0 clash=no temp=none')
        d = self.decide(0x40200000, 0x40401000)
        self.assertEqual(d.line(), 'boot: arch=arm32 load=0x40401000 idmap=0x40402000 '
                         'runtime=0x40200000-0x40a00000 share=3 clash=yes temp=0x200000')
        self.assertEqual((self.decide(0x40200000, 0x40200000).share,
                          self.decide(0x40200000, 0x40200000).clash), (3, False))
        self.assertEqual(self.decide(0x40200000, 0x40a00000).share, 1)
        self.assertEqual(self.decide(0x40200000, 0x80000000).share, 0)
        self.assertEqual(self.decide(0x40f00000, 0x40e00000).share, 2)
        d = self.decide(0x40f00000, 0x40f01000)
        self.assertEqual((d.share, d.clash, d.temp), (3, True, 0x00f00000))
        self.assertEqual(model.levels('arm32'), 3)

    def test_percpu_base_and_stacks(self):
        # The slot and 8 stack regions end the runtime region's GiB.
        self.assertEqual(model.percpu_base(0x40200000, 'arm32'), 0x7ee00000)
        self.assertEqual(model.percpu_base(0x00200000, 'arm32'), 0x3ee00000)
        self.assertEqual(model.stack_range(0x3ee00000, 0), (0x3f001000, 0x3f005000))
        self.assertEqual(model.guard_page(0x7ee00000, 1), 0x7f008000)

    def test_kernel_loader_only_at_0x40010000(self):
        spec = qemu.RunSpec(arch='arm32')
        self.assertIsNone(qemu.check_load('kernel', 0x40010000, self.Img, spec))
        self.assertIn('generic', qemu.check_load('kernel', 0x40200000, self.Img, spec))
        # 4 KiB-aligned after the file, above RAM base + min(mem/2, 128 MiB).
        self.assertEqual(qemu.kernel_dtb_addr(0x40010000, self.Img, spec), 0x48000000)
        self.assertEqual(qemu.kernel_dtb_addr(0x40010000, self.Img,
                                              qemu.RunSpec(arch='arm32', mem=64 * MiB)),
                         0x42000000)
        self.assertIsNotNone(qemu.check_machine(qemu.RunSpec(arch='arm32', smp=9, gic=2)))
        self.assertIsNone(qemu.check_machine(qemu.RunSpec(arch='arm32', smp=512, gic=3)))
        self.assertIsNotNone(qemu.check_machine(qemu.RunSpec(arch='arm32', smp=513, gic=3)))
        self.assertIsNotNone(qemu.check_machine(qemu.RunSpec(smp=124, gic=3, highmem=False)))

    def test_fault_dump(self):
        log = '\n'.join('(HYP) ' + line for line in [
            'trap: data abort exception in HYP mode on cpu0',
            'trap: EC=0x25 (data abort, in HYP mode) IL=1 ISS=0x1830007',
            'trap: HSR=0x97830007 ELR_hyp=0x00206c60 HDFAR=0x005ff000 HIFAR=0x00000000 '
            'SPSR=0x600001da',
            'trap: r0 =0x0000ef00 r1 =0x0000000a r2 =0x00000000 r3 =0x00000000',
            'trap: r4 =0x005ff000 r5 =0x00600000 r6 =0x00000000 r7 =0x40010000',
            'trap: r8 =0x00600000 r9 =0x00229008 r10=0x00223fc4 r11=0x00000000',
            'trap: r12=0x0020e6e6 sp =0x3fe44fa8 lr =0x00206c5c',
            'trap: cpu0 parked'])
        insn = '  206c60:\te5943000 \tldr\tr3, [r4]'
        self.assertIsNone(model.check_fault_dump(log, 0x00200000, lambda va: insn, 'arm32'))
        self.assertIsNotNone(model.check_fault_dump(log.replace('HDFAR=0x005ff000',
                                                                'HDFAR=0x005fe000'),
                                                    0x00200000, lambda va: insn, 'arm32'))


class RunnerSilence(unittest.TestCase):
    """qemu.boot's silence limit (xen.py retries a Xen that prints nothing):
    a process that prints nothing ends 'silent', one that prints is not cut short."""

    def boot(self, script, silence, timeout):
        plan = qemu.Plan(argv=['sh', '-c', script], load=0, silence_limit=silence)
        return qemu.boot(plan, timeout)

    def test_nothing_printed_is_silent(self):
        result = self.boot('sleep 20', 0.5, 10)
        self.assertEqual(result.outcome, 'silent')
        self.assertFalse(result.ok)
        self.assertLess(result.seconds, 5)

    def test_output_then_quiet_is_a_timeout(self):
        result = self.boot('echo banner; exec sleep 20', 0.5, 2)
        self.assertEqual((result.outcome, result.log.strip()), ('timeout', 'banner'))
