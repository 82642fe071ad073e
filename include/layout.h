/* SPDX-License-Identifier: MIT */
/*
 * The boot-time runtime region: what head.S maps at the link address before C
 * runs.  RUNTIME_BASE comes from the layout config (configs/layouts/<arch>/)
 * through the linker script; these offsets are fixed.
 *
 *   RUNTIME_BASE + 0        image (text, rodata, data, bss), 4 KiB pages
 *   RUNTIME_BASE + 2 MiB    fixmap: slot 0 = UART
 *   RUNTIME_BASE + 4 MiB    boot FDT area (DTB pages mapped by C, up to 2 MiB + 1 page)
 *   RUNTIME_BASE + 8 MiB    end of the boot-time runtime region
 *
 * Usable from C, assembly and the linker script.
 */
#ifndef HYPCORE_LAYOUT_H
#define HYPCORE_LAYOUT_H

#define _LAYOUT_MB(x)           ((x) * 0x100000)

#define LAYOUT_IMAGE_OFFSET     0
#define LAYOUT_IMAGE_MAX        _LAYOUT_MB(2)
#define LAYOUT_FIXMAP_OFFSET    _LAYOUT_MB(2)
#define LAYOUT_FIXMAP_SIZE      _LAYOUT_MB(2)
#define LAYOUT_FDT_OFFSET       _LAYOUT_MB(4)
#define LAYOUT_FDT_SIZE         _LAYOUT_MB(4)
#define LAYOUT_REGION_SIZE      _LAYOUT_MB(8)

/* Largest DTB hypcore accepts (its area also needs room for the page offset). */
#define FDT_MAX_SIZE            _LAYOUT_MB(2)

/* Fixmap slots (4 KiB each). */
#define FIXMAP_UART             0

#endif /* HYPCORE_LAYOUT_H */
