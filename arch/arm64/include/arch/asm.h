/* SPDX-License-Identifier: MIT */
/* AArch64 assembly helpers. */
#ifndef ARCH_ARM64_ASM_H
#define ARCH_ARM64_ASM_H

#ifdef __ASSEMBLER__
#include <linkage.h>

/*
 * adr_l reg, sym: PC-relative address of sym (+-4 GiB).  Before the MMU is on
 * it yields a physical address, afterwards the virtual address the code is
 * running at; that is why head.S uses it for "paddr(sym)".
 */
.macro adr_l, dst, sym
    adrp    \dst, \sym
    add     \dst, \dst, :lo12:\sym
.endm

/*
 * dcache_line_size reg, tmp: the smallest data cache line size in bytes
 * (CTR_EL0.DminLine, in words).
 */
.macro dcache_line_size, reg, tmp
    mrs     \tmp, ctr_el0
    ubfx    \tmp, \tmp, #16, #4                /* CTR_EL0.DminLine */
    mov     \reg, #4
    lsl     \reg, \reg, \tmp
.endm

/* Early failure: print a one-line reason and park (early.S).  Clobbers x0-x3. */
.macro early_fail_msg, label
    adr_l   x0, \label
    b       early_fail
.endm
#endif

#endif /* ARCH_ARM64_ASM_H */
