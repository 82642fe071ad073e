/* SPDX-License-Identifier: MIT */
/* Offsets of C structs used by arm32 assembly (see arch/arm64/asm-offsets.c). */
#include <asm-offsets-gen.h>
#include <arch/regs.h>
#include <arch/smp.h>
#include <smp.h>

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

    OFFSET(SB_ROOT_LO, secondary_boot, root_lo);
    OFFSET(SB_ROOT_HI, secondary_boot, root_hi);
    OFFSET(SB_ENTRY, secondary_boot, entry);
    OFFSET(SB_FIX_VA, secondary_boot, fix_va);
    OFFSET(SB_FIX_LO, secondary_boot, fix_lo);
    OFFSET(SB_FIX_HI, secondary_boot, fix_hi);
    OFFSET(SB_CLEAR_IDX, secondary_boot, clear_idx);
    OFFSET(SB_ALIAS_IDX, secondary_boot, alias_idx);
    OFFSET(SB_PERCPU, secondary_boot, percpu);
    DEFINE(SB_SIZE, sizeof(struct secondary_boot));
    DEFINE(NR_CPUS_ASM, NR_CPUS);
    OFFSET(CPU_SLOT_VA, cpu_data, slot_va);
    OFFSET(CPU_GUARD_VA, cpu_data, guard_va);
    OFFSET(CPU_STACK_TOP, cpu_data, stack_top);
}
