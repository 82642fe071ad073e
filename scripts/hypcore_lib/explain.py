"""./hypcore explain: the boot decision for one (layout, load address), walked
level by level without booting, from the same model the tests check the
hypervisor against (model.py), and optionally beside the hypervisor's own line.

The walk (walk()) translates the identity page's address (a virtual address
equal to its physical one) and the boot-time runtime region through the
translation levels, root first: at each level it gives the table entry (index
and the block of addresses it covers) the identity page needs and the entries
the runtime region needs.  The two share a level when the identity page's
block there also holds part of the region (model.share_levels); the count stops
at the first level where they part, since below it they use different tables.
When they share every level, the identity page lies inside the region: unless
the image runs where it is linked (load == runtime base, so the two mappings
are the same), the identity mapping would overwrite a runtime entry, a clash,
and hypcore maps the image a second time at the temporary alias (runtime base
XOR 2^39 on arm64, XOR 1 GiB on arm32), whose root entry differs from the
identity page's, to switch over from there.
"""
import dataclasses

from . import model

LEVEL_NAMES = {'arm64': ('0', '1', '2', '3'), 'arm32': ('1', '2', '3')}
# Index bits of each level's table, root first (arm32 LPAE: a 4-entry first
# level for a 32-bit address space).
INDEX_BITS = {'arm64': (9, 9, 9, 9), 'arm32': (2, 9, 9)}


def _size(nbytes):
    for unit, shift in (('GiB', 30), ('MiB', 20), ('KiB', 10)):
        if nbytes >= 1 << shift and nbytes % (1 << shift) == 0:
            value = nbytes >> shift
            return f'{value} {unit}' if value < 1024 else f'{value >> 10} {"TiB" if unit == "GiB" else "GiB"}'
    return f'{nbytes} B'


@dataclasses.dataclass
class Level:
    """One translation level.  Blocks are numbered across the whole address
    space (address >> shift); an entry's index in its table is that number's
    low `bits` bits."""
    name: str           # the architecture's level number, as a string
    shift: int          # block size 1 << shift
    bits: int           # index bits of a table at this level
    id_block_no: int    # the identity page's block
    id_block: tuple     # (start, end) of that block
    rt_first: int       # the runtime region's first and last block
    rt_last: int
    rt_span: tuple      # (start, end) of the blocks those entries cover
    shared: bool        # the identity page's block holds part of the region

    @property
    def id_index(self):
        return self.id_block_no & ((1 << self.bits) - 1)

    def runtime_entries(self):
        """The region's entries: '[i]', '[i..j]', or, over several tables,
        'N entries in M tables, [i] .. [j]'."""
        mask = (1 << self.bits) - 1
        first, last = self.rt_first & mask, self.rt_last & mask
        tables = (self.rt_last >> self.bits) - (self.rt_first >> self.bits) + 1
        if tables == 1:
            return f'[{first}]' if first == last else f'[{first}..{last}]'
        return f'{self.rt_last - self.rt_first + 1} in {tables} tables [{first}]..[{last}]'

    def runtime_entries_beside_identity(self):
        """The region's entries in the identity page's own table at this level."""
        table = self.id_block_no >> self.bits
        lo = max(self.rt_first, table << self.bits)
        hi = min(self.rt_last, ((table + 1) << self.bits) - 1)
        if lo > hi:
            return 'none of that table\'s entries'
        mask = (1 << self.bits) - 1
        return f'[{lo & mask}]' if lo == hi else f'[{lo & mask}..{hi & mask}]'


@dataclasses.dataclass
class Walk:
    arch: str
    load: int
    idmap: int
    region: tuple       # (start, end) of the boot-time runtime region
    levels: list        # Level, root first
    share: int
    clash: bool
    temp: int           # None without a clash

    def decision(self):
        """The walk's conclusion as a model.Decision (to compare with the model's
        and with the hypervisor's line)."""
        return model.Decision(arch=self.arch, load=self.load, idmap=self.idmap,
                              runtime_start=self.region[0], runtime_end=self.region[1],
                              share=self.share, clash=self.clash, temp=self.temp)


def walk(arch, runtime_base, load, idmap_offset):
    """The level-by-level walk (module docstring); its share, clash and temp are
    derived from the levels themselves, and must equal model.decide's."""
    idmap = load + idmap_offset
    start, end = runtime_base, runtime_base + model.RUNTIME_REGION_SIZE
    levels, share, parted = [], 0, False
    for name, shift, bits in zip(LEVEL_NAMES[arch], model.ARCH_LEVEL_BLOCK_SHIFTS[arch],
                                 INDEX_BITS[arch]):
        block = 1 << shift
        id_block = (idmap >> shift << shift, (idmap >> shift << shift) + block)
        first, last = start >> shift, (end - 1) >> shift
        shared = not parted and first <= idmap >> shift <= last
        parted = parted or not shared
        share += shared
        levels.append(Level(name, shift, bits, idmap >> shift, id_block, first, last,
                            (first << shift, (last + 1) << shift), shared))
    clash = share == len(levels) and load != runtime_base
    temp = runtime_base ^ model.ARCH_TEMP_ALIAS_BIT[arch] if clash else None
    return Walk(arch, load, idmap, (start, end), levels, share, clash, temp)


def describe(w, layout, idmap_offset):
    """The explanation, as lines of text."""
    top = model.levels(w.arch)
    out = [f'{w.arch}, layout {layout}: runtime region {w.region[0]:#x}-{w.region[1]:#x} '
           f'({_size(w.region[1] - w.region[0])} mapped at boot), image loaded at {w.load:#x}',
           f'identity page (the page that turns the MMU on, _idmap_start = load + '
           f'{idmap_offset:#x}): {w.idmap:#x}, mapped at the same virtual address',
           '',
           f'{"level":<6} {"block":<8} {"identity page entry":<38} '
           f'{"runtime region entries":<58} shared']
    for lv in w.levels:
        ident = f'[{lv.id_index}] {lv.id_block[0]:#x}-{lv.id_block[1]:#x}'
        runtime = f'{lv.runtime_entries()} {lv.rt_span[0]:#x}-{lv.rt_span[1]:#x}'
        out.append(f'{lv.name:<6} {_size(1 << lv.shift):<8} {ident:<38} {runtime:<58} '
                   f'{"yes" if lv.shared else "no"}')
    out.append('')
    if w.share == 0:
        root = w.levels[0]
        out.append(f'share=0: the identity page needs root entry [{root.id_index}], the runtime '
                   f'region {root.runtime_entries()}: two separate walks from the root, no clash')
    elif w.share < top:
        lv = w.levels[w.share]
        above = w.levels[:w.share]
        out.append(f'share={w.share}: the same entr{"y" if len(above) == 1 else "ies"} at '
                   f'level{"" if len(above) == 1 else "s"} {", ".join(x.name for x in above)}, '
                   f'so the same level-{lv.name} table; there they part: the identity page '
                   f'needs entry [{lv.id_index}], the region {lv.runtime_entries_beside_identity()}; both '
                   'mappings fit side by side, no clash')
    elif not w.clash:
        out.append(f'share={top}: the identity page lies inside the runtime region, but the '
                   'image runs where it is linked (load = runtime base): the identity '
                   'mapping is the runtime mapping of that page, no clash')
    else:
        out.append(f'share={top} clash=yes: the identity page lies inside the runtime '
                   f'region at a different address: its level-{w.levels[-1].name} entry '
                   f'[{w.levels[-1].id_index}] would replace a runtime mapping')
        bit = model.ARCH_TEMP_ALIAS_BIT[w.arch]
        root = w.levels[0]
        alias_index = (w.temp >> root.shift) & ((1 << INDEX_BITS[w.arch][0]) - 1)
        out.append(f'temporary alias: the image is mapped again at {w.temp:#x} (runtime base '
                   f'XOR {bit:#x}), level-{root.name} entry [{alias_index}], not the '
                   f'identity page\'s [{root.id_index}]: hypcore turns the MMU on through the '
                   'identity page, jumps to the alias, replaces the identity entries with the '
                   'runtime ones (break-before-make) and jumps to the runtime address')
    d = w.decision()
    out += ['', 'model:      ' + d.line()]
    return out
