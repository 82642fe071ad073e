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
 * The per-CPU private area (__percpu_start, from the linker script): reached
 * through each CPU's own tables, so the same virtual page maps a different
 * physical page on each CPU.  Its first 2 MiB (one level-3 table, "the
 * slot") holds the CPU's fixed pages; the PERCPU_STACK_REGIONS 2 MiB after
 * it hold the stacks, 64 CPUs to a region, each CPU linking only the
 * region (its own level-3 table) that holds its own stack.  Page indices
 * from __percpu_start:
 */
#define PERCPU_EXC_STACK_PAGE   6   /* where a fault on a blown stack is reported from */
                                    /* 5 and 7: never mapped (guards) */
#define PERCPU_DATA_PAGE        8   /* struct cpu_data, TPIDR_EL2 */
#define PERCPU_ROOT_PAGE        9   /* this CPU's root table, writable by itself */
#define PERCPU_L3_PAGE          10  /* the level-3 table of this slot (for the window) */
#define PERCPU_RT_TABLE_PAGE    11  /* arm32: its own level-2 table of the runtime GiB */
#define PERCPU_STACK_L3_PAGE    12  /* the level-3 table of its stack's region */
#define PERCPU_DEVICE_PAGE      13  /* 2 pages: GICv3 RD_base and SGI_base of its redistributor */
#define PERCPU_DEVICE_PAGES     2
#define PERCPU_FIXED_LAST_PAGE  14  /* pages 8..14: fixed, each CPU's own */
#define PERCPU_WINDOW_PAGE      16  /* first mapping-window slot */
#define PERCPU_WINDOW_SLOTS     16
/*
 * Stacks: CPU n's lies at its own vaddr (so logs and dumps tell them apart),
 * mapped only in CPU n's tables: a never-mapped guard page, then
 * PERCPU_STACK_PAGES pages growing down towards it, then an unmapped gap.
 * A stride of 8 pages puts 64 CPUs in a region, none across two.
 */
#define PERCPU_SLOT_SIZE        _LAYOUT_MB(2)
#define PERCPU_STACK_REGIONS    8
#define PERCPU_STACK_PAGES      4
#define PERCPU_STACK_STRIDE     8
#define PERCPU_CPUS_PER_REGION  (512 / PERCPU_STACK_STRIDE)
#define PERCPU_MAX_CPUS         (PERCPU_STACK_REGIONS * PERCPU_CPUS_PER_REGION)
#define PERCPU_AREA_SIZE        (PERCPU_SLOT_SIZE * (1 + PERCPU_STACK_REGIONS))
/* Pages from __percpu_start (512 to a region): CPU n's guard page, stack. */
#define PERCPU_GUARD_PAGE(cpu)  (512 * (1 + (cpu) / PERCPU_CPUS_PER_REGION) + \
                                 ((cpu) % PERCPU_CPUS_PER_REGION) * PERCPU_STACK_STRIDE)
#define PERCPU_STACK_PAGE(cpu)  (PERCPU_GUARD_PAGE(cpu) + 1)

#endif /* HYPCORE_LAYOUT_H */
