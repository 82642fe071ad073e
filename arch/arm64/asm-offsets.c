/* SPDX-License-Identifier: MIT */
/*
 * Offsets of C structs used by AArch64 assembly, compiled to assembly and
 * turned into asm-offsets.h by scripts/asm-offsets.py (see arch/meson.build).
 */
#include <asm-offsets-gen.h>
#include <arch/regs.h>

void asm_offsets(void);

void asm_offsets(void)
{
    OFFSET(REGS_X0, cpu_user_regs, x[0]);
    OFFSET(REGS_X30, cpu_user_regs, x[30]);
    OFFSET(REGS_SP, cpu_user_regs, sp);
    OFFSET(REGS_ELR, cpu_user_regs, elr);
    OFFSET(REGS_SPSR, cpu_user_regs, spsr);
    OFFSET(REGS_ESR, cpu_user_regs, esr);
    OFFSET(REGS_FAR, cpu_user_regs, far);
    /* Keep SP 16-byte aligned (SCTLR_EL2.SA) when the frame is pushed. */
    DEFINE(REGS_SIZE, (sizeof(struct cpu_user_regs) + 15) & ~15UL);
}
