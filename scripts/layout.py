#!/usr/bin/env python3
"""Read hypcore layout configs (configs/layouts/<arch>/<name>.conf).

A layout file is `key = value` lines with `#` comments.  Keys:
  runtime_base   virtual address the image is linked at (4 KiB aligned)

Used by meson.build (to link one image per layout) and by ./hypcore (to model
the boot decisions), so both read the same data.

  layout.py get ARCH NAME KEY   print one value (hex numbers normalised)
  layout.py list ARCH           the layout names, "default" first, one a line
"""
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(arch, name):
    path = os.path.join(TOP, 'configs', 'layouts', arch, name + '.conf')
    values = {}
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            if '=' not in line:
                raise SystemExit(f'{path}:{lineno}: expected "key = value"')
            key, value = (s.strip() for s in line.split('=', 1))
            values[key] = int(value, 0)
    if 'runtime_base' not in values:
        raise SystemExit(f'{path}: runtime_base is missing')
    if values['runtime_base'] & 0xfff:
        raise SystemExit(f'{path}: runtime_base must be 4 KiB aligned')
    return values


def names(arch):
    d = os.path.join(TOP, 'configs', 'layouts', arch)
    found = sorted(f[:-5] for f in os.listdir(d) if f.endswith('.conf'))
    return sorted(found, key=lambda n: n != 'default')


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'get':
        print(hex(load(sys.argv[2], sys.argv[3])[sys.argv[4]]))
    elif len(sys.argv) == 3 and sys.argv[1] == 'list':
        print('\n'.join(names(sys.argv[2])))
    else:
        raise SystemExit(__doc__)
