/* SPDX-License-Identifier: MIT */
/*
 * The boot record a secondary CPU reads with its MMU off (head.S,
 * secondary_entry), written and cleaned to the PoC by the boot CPU.
 * Offsets for head.S come from asm-offsets.c.
 */
#ifndef ARCH_ARM64_SMP_H
#define ARCH_ARM64_SMP_H

#include <types.h>

#define SB_NONE (~0ULL)         /* "no such level-0 entry" */

struct secondary_boot {
    u64 root;           /* paddr of the CPU's root table */
    u64 entry;          /* vaddr of secondary_switch: at the alias, or at runtime */
    u64 fix_idx;        /* level-0 index to re-point at fix_val, or SB_NONE */
    u64 fix_val;        /* the shared runtime level-1 table entry */
    u64 clear_idx;      /* level-0 index of the identity's own slot, or SB_NONE */
    u64 alias_idx;      /* level-0 index of the alias, or SB_NONE */
    u64 percpu;         /* vaddr of the per-CPU slot (percpu_base) */
    u64 pad;            /* 64 bytes per CPU */
};

extern struct secondary_boot secondary_boot[];

#endif
