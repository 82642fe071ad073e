"""The device-tree facts a boot's DTB holds, read with the dtc tools (fdtget,
dtc), not with anything hypcore contains: the model side of the "dt:" lines
(model.py re-exports these names)."""
import functools
import os
import subprocess

from .results import Facts


FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


@functools.lru_cache(maxsize=64)
def _fdt_tree(dtb, mtime):
    """{path: (props {name: bytes}, [child names])} of a DTB, read from its bytes
    (devicetree specification 5.4: the structure block's tokens), or None when the
    blob is not one this reader can walk.  The model's own reader: it shares no
    code with libfdt, which hypcore uses."""
    with open(dtb, 'rb') as f:
        blob = f.read()
    word = lambda at: int.from_bytes(blob[at:at + 4], 'big')   # noqa: E731
    try:
        if word(0) != 0xd00dfeed:
            return None
        off, strings = word(8), word(12)
        tree, stack, at = {}, [], off
        while True:
            tag = word(at)
            at += 4
            if tag == FDT_BEGIN_NODE:
                end = blob.index(b'\0', at)
                name = blob[at:end].decode()
                at = (end + 4) & ~3
                path = '/' if not stack else ('' if stack[-1] == '/' else stack[-1]) + '/' + name
                if stack:
                    tree[stack[-1]][1].append(name)
                tree[path] = ({}, [])
                stack.append(path)
            elif tag == FDT_END_NODE:
                stack.pop()
            elif tag == FDT_PROP:
                length, nameoff = word(at), word(at + 4)
                name_end = blob.index(b'\0', strings + nameoff)
                name = blob[strings + nameoff:name_end].decode()
                tree[stack[-1]][0][name] = blob[at + 8:at + 8 + length]
                at = (at + 8 + length + 3) & ~3
            elif tag == FDT_NOP:
                continue
            elif tag == FDT_END:
                return tree
            else:
                return None
    except (ValueError, IndexError, KeyError, UnicodeDecodeError):
        return None


def _fdtget(dtb, node, prop=None, kind='s'):
    """What `fdtget -l` (prop None) or `fdtget -t s|u|x` prints, or None where it fails."""
    tree = _fdt_tree(dtb, os.stat(dtb).st_mtime_ns)
    if tree is None or node not in tree:
        return None
    props, children = tree[node]
    if prop is None:
        return '\n'.join(children)
    value = props.get(prop)
    if value is None:
        return None
    if kind == 's':
        if value and not value.endswith(b'\0'):
            return None
        return ' '.join(v.decode(errors='replace') for v in value[:-1].split(b'\0')) if value else ''
    if len(value) % 4:
        return None
    cells = [int.from_bytes(value[i:i + 4], 'big') for i in range(0, len(value), 4)]
    return ' '.join(str(c) if kind == 'u' else f'{c:x}' for c in cells)


def _cells(dtb, node):
    """#address-cells/#size-cells of `node`, falling back to the root's (then 2, 1)."""
    root_a = _fdtget(dtb, '/', '#address-cells', 'u')
    root_s = _fdtget(dtb, '/', '#size-cells', 'u')
    a = _fdtget(dtb, node, '#address-cells', 'u') or root_a or '2'
    s = _fdtget(dtb, node, '#size-cells', 'u') or root_s or '1'
    return int(a), int(s)


def _regs(dtb, node, cells):
    raw = _fdtget(dtb, node, 'reg', 'x')
    if not raw:
        return []
    words = [int(w, 16) for w in raw.split()]
    acells, scells = cells
    step = acells + scells
    out = []
    for i in range(0, len(words) - step + 1, step):
        addr = sum(w << (32 * (acells - 1 - j)) for j, w in enumerate(words[i:i + acells]))
        size = sum(w << (32 * (scells - 1 - j))
                   for j, w in enumerate(words[i + acells:i + step]))
        out.append((addr, addr + size))
    return out


def _number(hex_words):
    """A big-endian number of one or more cells, from fdtget -t x output."""
    value = 0
    for word in hex_words.split():
        value = value << 32 | int(word, 16)
    return value


def _children(dtb, node):
    listing = _fdtget(dtb, node)
    return listing.split() if listing else []


def _path(parent, child):
    return ('' if parent == '/' else parent) + '/' + child


def memreserve_entries(dtb):
    """Every (address, size) of the DTB's /memreserve/ block up to its 0,0 entry,
    read from the bytes (devicetree spec 5.3): dtc and libfdt both stop at the
    first entry of size 0, hypcore does not.  Zero-size entries are included."""
    with open(dtb, 'rb') as f:
        return memreserve_entries_bytes(f.read())


def memreserve_entries_bytes(blob):
    """memreserve_entries() of a DTB's bytes."""
    header = [int.from_bytes(blob[i:i + 4], 'big') for i in range(0, 40, 4)]
    total, off_struct, off_strings, off_rsv = header[1], header[2], header[3], header[4]
    limit = min([total, len(blob)] + [o for o in (off_struct, off_strings) if o >= off_rsv])
    out = []
    while off_rsv + 16 <= limit:
        addr = int.from_bytes(blob[off_rsv:off_rsv + 8], 'big')
        size = int.from_bytes(blob[off_rsv + 8:off_rsv + 16], 'big')
        if addr == 0 and size == 0:
            break
        out.append((addr, size))
        off_rsv += 16
    return out


def _memreserve(dtb):
    return [(a, a + s) for a, s in memreserve_entries(dtb) if s]


# The /chosen boot-module binding (Xen's docs/misc/arm/device-tree/booting.txt):
# a child compatible with one of MODULE_COMPATIBLES is a module; its kind is
# given by a more specific compatible, else guessed: kernel, then ramdisk.
MODULE_COMPATIBLES = ('multiboot,module', 'xen,multiboot-module')
KIND_COMPATIBLES = (('multiboot,kernel', 'kernel'), ('multiboot,ramdisk', 'ramdisk'),
                    ('multiboot,device-tree', 'device-tree'), ('xen,linux-zimage', 'kernel'),
                    ('xen,linux-initrd', 'ramdisk'))
GUESSED_KINDS = ('kernel', 'ramdisk')


def module_kind(compatibles, guesses):
    """The kind of a module node; `guesses` counts the guesses made so far."""
    for compatible, kind in KIND_COMPATIBLES:
        if compatible in compatibles:
            return kind, guesses
    kind = GUESSED_KINDS[guesses] if guesses < len(GUESSED_KINDS) else 'unknown'
    return kind, guesses + 1


def _chosen_modules(dtb):
    """(start, end, kind, node, bootargs) for each module under /chosen."""
    modules, guesses = [], 0
    cells = _cells(dtb, '/chosen')
    for child in _children(dtb, '/chosen'):
        node = _path('/chosen', child)
        compatibles = (_fdtget(dtb, node, 'compatible') or '').split()
        if not any(c in compatibles for c in MODULE_COMPATIBLES):
            continue
        kind, guesses = module_kind(compatibles, guesses)
        regs = _regs(dtb, node, cells)
        if regs:
            modules.append((regs[0][0], regs[0][1], kind, node,
                            _fdtget(dtb, node, 'bootargs')))
    start = _fdtget(dtb, '/chosen', 'linux,initrd-start', 'x')
    end = _fdtget(dtb, '/chosen', 'linux,initrd-end', 'x')
    if start and end:
        modules.append((_number(start), _number(end), 'ramdisk', '/chosen', None))
    return modules


def normalise_dtb(dtb):
    """A copy of the DTB rewritten by dtc.

    QEMU leaves FDT_NOP tags where it edits a DTB, and fdtget -l stops
    listing children at the first one ("Unknown tag 0x00000004").
    """
    out = dtb + '.norm'
    subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dtb', '-o', out, dtb], check=True)
    return out


def dtb_facts(dtb):
    """The facts hypcore must print, read from the DTB file with the dtc tools."""
    facts = Facts(memreserve=_memreserve(dtb))     # from the original: dtc drops some
    dtb = normalise_dtb(dtb)
    root_cells = _cells(dtb, '/')
    for child in _children(dtb, '/'):
        node = _path('/', child)
        if _fdtget(dtb, node, 'device_type') == 'memory' and \
                _fdtget(dtb, node, 'status') in (None, 'okay', 'ok'):
            facts.memory += [(s, e, node) for s, e in _regs(dtb, node, root_cells)]
    if _fdtget(dtb, '/reserved-memory', '#address-cells', 'u') is not None \
            or _children(dtb, '/reserved-memory'):
        cells = _cells(dtb, '/reserved-memory')
        for child in _children(dtb, '/reserved-memory'):
            node = _path('/reserved-memory', child)
            no_map = _fdtget(dtb, node, 'no-map') is not None
            facts.reserved += [(s, e, node, no_map) for s, e in _regs(dtb, node, cells)]
    facts.bootargs = _fdtget(dtb, '/chosen', 'bootargs')
    facts.modules = _chosen_modules(dtb)
    return facts


def compare_facts(got, expected):
    """None if the printed facts equal the DTB's, else a description of the difference."""
    got, expected = got.normalised(), expected.normalised()
    problems = []
    for name in ('memory', 'memreserve', 'reserved', 'bootargs', 'modules'):
        g, e = getattr(got, name), getattr(expected, name)
        if g != e:
            problems.append(f'{name}: hypcore printed {_show(g)}, the DTB has {_show(e)}')
    return '\n'.join(problems) or None


def _show(value):
    if isinstance(value, list):
        return '[' + ', '.join('(' + ', '.join(f'{x:#x}' if isinstance(x, int) else repr(x)
                                               for x in item) + ')' for item in value) + ']'
    return repr(value)
