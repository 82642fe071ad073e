/* SPDX-License-Identifier: MIT */
/*
 * The boot-time runtime region: what head.S maps at the link address before C
 * runs.  RUNTIME_BASE comes from the layout config (configs/layouts/<arch>/)
 * through the linker script; these offsets are fixed.
 *
 *   RUNTIME_BASE + 0        image (text, rodata, data, bss), 4 KiB pages
 *   RUNTIME_BASE + 2 MiB    fixmap: slot 0 = UART, slot 1 = the DT's UART
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
#define FIXMAP_UART             0   /* the board's PL011, mapped by head.S */
#define FIXMAP_UART_DT          1   /* the DT's console PL011, if another (console.h) */

/*
 * The per-CPU private slot (__percpu_start, from the linker script; one
 * 2 MiB level-3 table): reached through each CPU's own root entry, so the
 * same virtual page maps a different physical page on each CPU.  Page
 * indices from __percpu_start:
 */
#define PERCPU_EXC_STACK_PAGE   6   /* where a fault on a blown stack is reported from */
                                    /* 5 and 7: never mapped (guards) */
#define PERCPU_DATA_PAGE        8   /* struct cpu_data, TPIDR_EL2 */
#define PERCPU_ROOT_PAGE        9   /* this CPU's root table, writable by itself */
#define PERCPU_L3_PAGE          10  /* the level-3 table of this slot (for the window) */
#define PERCPU_RT_TABLE_PAGE    11  /* arm32: its own level-2 table of the runtime GiB */
#define PERCPU_WINDOW_PAGE      16  /* first mapping-window slot */
#define PERCPU_WINDOW_SLOTS     16
/*
 * Stacks: CPU n's lies at its own vaddr (so logs and dumps tell them apart),
 * mapped only in CPU n's slot: a never-mapped guard page, then
 * PERCPU_STACK_PAGES pages growing down towards it, then an unmapped gap.
 */
#define PERCPU_STACKS_PAGE      64
#define PERCPU_STACK_PAGES      4
#define PERCPU_STACK_STRIDE     (PERCPU_STACK_PAGES + 2)
#define PERCPU_GUARD_PAGE(cpu)  (PERCPU_STACKS_PAGE + (cpu) * PERCPU_STACK_STRIDE)
#define PERCPU_STACK_PAGE(cpu)  (PERCPU_GUARD_PAGE(cpu) + 1)

#endif /* HYPCORE_LAYOUT_H */
