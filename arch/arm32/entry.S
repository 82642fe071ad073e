/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/entry.S: the runtime HYP vectors (HVBAR).  Every exception is
 * unexpected in this boot core: save a struct cpu_user_regs frame on the
 * current stack and let do_trap() print it; then park.
 */
#include <arch/asm.h>
#include <asm-offsets.h>

/* Vector numbers passed to do_trap(): the HVBAR offset / 4. */
.macro vector num
        b       trap_\num
.endm

        .syntax unified
        .arm
        .text
        .balign 32
FUNC(hyp_vectors)
        vector  0       /* reset (unused) */
        vector  1       /* undefined instruction */
        vector  2       /* HVC/SVC in HYP */
        vector  3       /* prefetch abort */
        vector  4       /* data abort */
        vector  5       /* hyp trap (from a guest) */
        vector  6       /* IRQ */
        vector  7       /* FIQ */
END(hyp_vectors)

.macro trap_stub num
trap_\num:
        sub     sp, sp, #REGS_SIZE
        stmia   sp, {r0-r12}
        mov     r1, #\num
        b       trap_entry
.endm
        trap_stub 0
        trap_stub 1
        trap_stub 2
        trap_stub 3
        trap_stub 4
        trap_stub 5
        trap_stub 6
        trap_stub 7

/*
 * trap_entry: finish the frame and call do_trap(regs, vector).
 * Inputs: sp = frame with r0-r12 saved, r1 = vector number.  Never returns.
 */
FUNC_LOCAL(trap_entry)
        add     r0, sp, #REGS_SIZE
        str     r0, [sp, #REGS_SP]
        str     lr, [sp, #REGS_LR]
        mrs     r0, ELR_hyp
        str     r0, [sp, #REGS_ELR]
        mrs     r0, SPSR
        str     r0, [sp, #REGS_SPSR]
        mrc     p15, 4, r0, c5, c2, 0       /* HSR */
        str     r0, [sp, #REGS_ESR]
        mrc     p15, 4, r0, c6, c0, 0       /* HDFAR */
        str     r0, [sp, #REGS_FAR]
        mrc     p15, 4, r0, c6, c0, 2       /* HIFAR */
        str     r0, [sp, #REGS_IFAR]
        mov     r0, sp
        bl      do_trap
        b       park
END(trap_entry)
