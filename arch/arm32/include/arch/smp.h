/* SPDX-License-Identifier: MIT */
/*
 * The boot record a secondary CPU reads with its MMU off (head.S,
 * secondary_entry), written and cleaned to the PoC by the boot CPU.
 * Offsets for head.S come from asm-offsets.c.
 *
 * On arm32 every CPU has its own level-2 table for the runtime region's GiB
 * (its private slot is a 2 MiB entry there; a 32-bit VA has no room for a
 * root entry of its own), linking the shared level-3 tables and frame-table
 * blocks.  When the identity page lies in that GiB, its entry in that table
 * points at a boot-only table until the CPU re-points it (fix_*), from the
 * alias; an identity page inside the slot's own 2 MiB is a boot-only entry of
 * the slot's level-3 table, which the CPU clears the same way.
 */
#ifndef ARCH_ARM32_SMP_H
#define ARCH_ARM32_SMP_H

#include <types.h>

#define SB_NONE 0xffffffffU     /* "no such entry" */

struct secondary_boot {
    u32 root_lo;        /* paddr of the CPU's root (level 1) table */
    u32 root_hi;
    u32 entry;          /* vaddr of secondary_switch: at the alias, or at runtime */
    u32 fix_va;         /* vaddr (in its private slot) of the entry to fix, or SB_NONE */
    u32 fix_lo;         /* the shared value of that entry */
    u32 fix_hi;
    u32 clear_idx;      /* level-1 index of the identity's own slot, or SB_NONE */
    u32 alias_idx;      /* level-1 index of the alias, or SB_NONE */
    u32 percpu;         /* vaddr of the per-CPU slot (percpu_base) */
    u32 pad[7];         /* 64 bytes per CPU */
};

extern struct secondary_boot secondary_boot[];

#endif
