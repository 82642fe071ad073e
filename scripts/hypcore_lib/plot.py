"""The clash map: ./hypcore sweep --suite load --plot.

From build/sweep/<arch>-load.csv (results.csv_row: one row per load address,
with the share level, clash and temporary alias hypcore printed there and
whether the case passed, i.e. agreed with the model), one figure per arch with
a row per layout: load address (x) against the share level (y).  A circle is a
load without a clash, a cross one where hypcore went through the temporary
alias (clash=yes); green passed, red failed (a failure without a decision line
is drawn below level 0).  The left panel spans the RAM the layout was swept in;
the right one zooms on the runtime region's surroundings, where the levels
change, with the region itself shaded.  Saved as PNG and SVG.

matplotlib comes from Debian's python3-matplotlib, imported here only (by
Debian's /usr/bin/python3, which runs ./hypcore).
"""
import csv
import os

from . import image as images, model
from .common import MiB, RAM_BASE

ZOOM_MARGIN = 12 * MiB
PASS_COLOUR, FAIL_COLOUR = '#2a9d3f', '#d62728'


def _rows(csv_path, layouts=None):
    by_layout = {}
    with open(csv_path, encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            if row.get('suite') != 'load' or not row.get('load'):
                continue
            if layouts and row['layout'] not in layouts:
                continue
            by_layout.setdefault(row['layout'], []).append(row)
    for rows in by_layout.values():
        rows.sort(key=lambda r: int(r['load'], 16))
    return by_layout


def _panel(ax, rows, arch, top, xlim=None, shade=None):
    import matplotlib.ticker as ticker
    for clash, marker, size in ((False, 'o', 9), (True, 'X', 28)):
        for ok, colour in ((True, PASS_COLOUR), (False, FAIL_COLOUR)):
            pts = [(int(r['load'], 16), int(r['share']) if r['share'] != '' else -0.5)
                   for r in rows if (r['clash'] == 'yes') == clash
                   and (r['status'] == 'pass') == ok
                   and (xlim is None or xlim[0] <= int(r['load'], 16) <= xlim[1])]
            if pts:
                ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=size, marker=marker,
                           c=colour, linewidths=0, zorder=3)
    if shade:
        ax.axvspan(shade[0], shade[1], color='#f4a261', alpha=0.25, zorder=1, linewidth=0)
    ax.set_ylim(-0.9, top + 0.6)
    ax.set_yticks(range(top + 1))
    ax.grid(True, axis='y', alpha=0.3)
    if xlim:
        ax.set_xlim(*xlim)
        # Ticks at a power-of-two step (a round hex address), four to eight of them.
        step = 1 << max(12, ((xlim[1] - xlim[0]) // 4).bit_length() - 1)
        ax.xaxis.set_major_locator(ticker.MultipleLocator(step))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f'{int(v):#x}'))
    ax.tick_params(labelsize=7)


def clash_map(csv_path, stem, layouts=None):
    """Draw the map of the CSV into stem.png and stem.svg; returns their paths."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.lines as mlines
    import matplotlib.pyplot as plt
    from .common import Failure

    by_layout = _rows(csv_path, layouts)
    if not by_layout:
        raise Failure(f'{csv_path} holds no load-matrix rows to draw')
    arch = next(iter(by_layout.values()))[0]['arch']
    top = model.levels(arch)
    names = sorted(by_layout)
    fig, axes = plt.subplots(len(names), 2, figsize=(13, 2.1 * len(names) + 0.8),
                             squeeze=False, gridspec_kw={'width_ratios': [3, 2]})
    for (full, zoom), name in zip(axes, names):
        rows = by_layout[name]
        base = images.runtime_base(arch, name)
        region = (base, base + model.RUNTIME_REGION_SIZE)
        loads = [int(r['load'], 16) for r in rows]
        ram_end = max(RAM_BASE + int(r['mem']) for r in rows)
        in_ram = region[0] < ram_end and RAM_BASE < region[1]
        _panel(full, rows, arch, top, (RAM_BASE, ram_end), region if in_ram else None)
        failed = sum(r['status'] != 'pass' for r in rows)
        temps = sorted({r['temp'] for r in rows if r['clash'] == 'yes'})
        full.set_title(f'{arch} {name}: runtime {region[0]:#x}-{region[1]:#x}, {len(rows)} loads'
                       f', {failed} failed' + (f', temporary alias at {", ".join(temps)}'
                                               if temps else ''), fontsize=8, loc='left')
        full.set_ylabel('share', fontsize=8)
        if in_ram:
            lo = max(RAM_BASE, region[0] - ZOOM_MARGIN)
            _panel(zoom, rows, arch, top, (lo, region[1] + ZOOM_MARGIN), region)
            zoom.set_title('around the runtime region (shaded)', fontsize=8, loc='left')
        else:
            changes = [a for a, b in zip(rows, rows[1:]) if a['share'] != b['share']]
            centre = int(changes[0]['load'], 16) if changes else loads[0]
            _panel(zoom, rows, arch, top, (max(RAM_BASE, centre - ZOOM_MARGIN),
                                           centre + ZOOM_MARGIN))
            zoom.set_title('runtime region outside RAM; zoom on the first change'
                           if changes else 'runtime region outside RAM: one share level',
                           fontsize=8, loc='left')
    for ax in axes[-1]:
        ax.set_xlabel('load address (physical)', fontsize=8)
    handles = [mlines.Line2D([], [], color=PASS_COLOUR, marker='o', linestyle='', label='no clash, passed'),
               mlines.Line2D([], [], color=PASS_COLOUR, marker='X', linestyle='',
                             label='clash: temporary alias used, passed'),
               mlines.Line2D([], [], color=FAIL_COLOUR, marker='o', linestyle='', label='failed'),
               matplotlib.patches.Patch(color='#f4a261', alpha=0.25, label='runtime region')]
    fig.legend(handles=handles, loc='lower center', ncol=4, fontsize=8, frameon=False)
    fig.suptitle(f'hypcore {arch}: page-table levels shared by the identity page and the '
                 f'runtime region, per load address', fontsize=10)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    os.makedirs(os.path.dirname(os.path.abspath(stem)), exist_ok=True)
    paths = [stem + '.png', stem + '.svg']
    fig.savefig(paths[0], dpi=110)
    fig.savefig(paths[1])
    plt.close(fig)
    return paths
