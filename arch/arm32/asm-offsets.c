/* SPDX-License-Identifier: MIT */
/* Offsets of C structs used by arm32 assembly (see arch/arm64/asm-offsets.c). */
#include <asm-offsets-gen.h>
#include <arch/regs.h>

void asm_offsets(void);

void asm_offsets(void)
{
    OFFSET(REGS_R0, cpu_user_regs, r[0]);
    OFFSET(REGS_SP, cpu_user_regs, sp);
    OFFSET(REGS_LR, cpu_user_regs, lr);
    OFFSET(REGS_ELR, cpu_user_regs, elr);
    OFFSET(REGS_SPSR, cpu_user_regs, spsr);
    OFFSET(REGS_ESR, cpu_user_regs, esr);
    OFFSET(REGS_FAR, cpu_user_regs, far);
    OFFSET(REGS_IFAR, cpu_user_regs, ifar);
    DEFINE(REGS_SIZE, (sizeof(struct cpu_user_regs) + 7) & ~7UL);
}
