/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/entry.S: the runtime EL2 exception vectors.
 *
 * Every exception is unexpected in this boot core: save the registers in a
 * struct cpu_user_regs frame on the current stack, and let do_trap() print
 * the dump and park the CPU.
 */
#include <arch/asm.h>
#include <asm-offsets.h>

/* Vector numbers passed to do_trap(): (group << 2) | type. */
#define VEC_SYNC    0
#define VEC_IRQ     1
#define VEC_FIQ     2
#define VEC_SERROR  3

.macro vector group, type
        .balign 0x80
        sub     sp, sp, #REGS_SIZE
        stp     x0, x1, [sp, #REGS_X0]
        mov     x1, #((\group << 2) | \type)
        b       trap_entry
.endm

        .text
        .balign 0x800
FUNC(hyp_vectors)
        /* group 0: current EL with SP_EL0; 1: current EL with SP_ELx;
         * 2: lower EL, AArch64; 3: lower EL, AArch32 */
        .irp group, 0, 1, 2, 3
        vector \group, VEC_SYNC
        vector \group, VEC_IRQ
        vector \group, VEC_FIQ
        vector \group, VEC_SERROR
        .endr
END(hyp_vectors)

/*
 * trap_entry: finish the frame and call do_trap(regs, vector).
 * Inputs: sp = frame with x0/x1 saved, x1 = vector number.  Never returns.
 */
FUNC_LOCAL(trap_entry)
        stp     x2, x3, [sp, #REGS_X0 + 2 * 8]
        stp     x4, x5, [sp, #REGS_X0 + 4 * 8]
        stp     x6, x7, [sp, #REGS_X0 + 6 * 8]
        stp     x8, x9, [sp, #REGS_X0 + 8 * 8]
        stp     x10, x11, [sp, #REGS_X0 + 10 * 8]
        stp     x12, x13, [sp, #REGS_X0 + 12 * 8]
        stp     x14, x15, [sp, #REGS_X0 + 14 * 8]
        stp     x16, x17, [sp, #REGS_X0 + 16 * 8]
        stp     x18, x19, [sp, #REGS_X0 + 18 * 8]
        stp     x20, x21, [sp, #REGS_X0 + 20 * 8]
        stp     x22, x23, [sp, #REGS_X0 + 22 * 8]
        stp     x24, x25, [sp, #REGS_X0 + 24 * 8]
        stp     x26, x27, [sp, #REGS_X0 + 26 * 8]
        stp     x28, x29, [sp, #REGS_X0 + 28 * 8]
        str     x30, [sp, #REGS_X30]
        add     x2, sp, #REGS_SIZE
        str     x2, [sp, #REGS_SP]
        mrs     x2, elr_el2
        mrs     x3, spsr_el2
        stp     x2, x3, [sp, #REGS_ELR]
        mrs     x2, esr_el2
        mrs     x3, far_el2
        stp     x2, x3, [sp, #REGS_ESR]
        mov     x0, sp
        bl      do_trap
        b       park
END(trap_entry)
