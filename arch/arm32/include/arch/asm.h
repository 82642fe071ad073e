/* SPDX-License-Identifier: MIT */
/* ARMv7 assembly helpers. */
#ifndef ARCH_ARM32_ASM_H
#define ARCH_ARM32_ASM_H

#ifdef __ASSEMBLER__
#include <linkage.h>

/*
 * adr_l reg, sym: PC-relative address of sym anywhere in the image.  Before
 * the MMU is on it yields a physical address, afterwards the virtual
 * address the code is running at (head.S's "paddr(sym)").
 */
.macro adr_l, dst, sym
    ldr     \dst, 9998f
9997:
    add     \dst, \dst, pc
    b       9999f
9998:
    .word   \sym - (9997b + 8)
9999:
.endm

/* dcache_line_size reg, tmp: smallest D-cache line (CTR.DminLine, words). */
.macro dcache_line_size, reg, tmp
    mrc     p15, 0, \tmp, c0, c0, 1         /* CTR */
    ubfx    \tmp, \tmp, #16, #4              /* DminLine */
    mov     \reg, #4
    lsl     \reg, \reg, \tmp
.endm

/* Early failure: print a one-line reason and park (early.S). */
.macro early_fail_msg, label
    adr_l   r0, \label
    b       early_fail
.endm
#endif

#endif /* ARCH_ARM32_ASM_H */
