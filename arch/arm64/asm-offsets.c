/* SPDX-License-Identifier: MIT */
/*
 * Offsets of C structs used by AArch64 assembly, compiled to assembly and
 * turned into asm-offsets.h by scripts/asm-offsets.py (see arch/meson.build).
 */
#include <asm-offsets-gen.h>
#include <arch/regs.h>
#include <arch/smp.h>
#include <layout.h>
#include <smp.h>

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

    OFFSET(SB_ROOT, secondary_boot, root);
    OFFSET(SB_ENTRY, secondary_boot, entry);
    OFFSET(SB_FIX_IDX, secondary_boot, fix_idx);
    OFFSET(SB_FIX_VAL, secondary_boot, fix_val);
    OFFSET(SB_CLEAR_IDX, secondary_boot, clear_idx);
    OFFSET(SB_ALIAS_IDX, secondary_boot, alias_idx);
    OFFSET(SB_PERCPU, secondary_boot, percpu);
    DEFINE(SB_SIZE, sizeof(struct secondary_boot));
    DEFINE(NR_CPUS_ASM, NR_CPUS);
    OFFSET(CPU_SLOT_VA, cpu_data, slot_va);
    OFFSET(CPU_GUARD_VA, cpu_data, guard_va);
    OFFSET(CPU_STACK_TOP, cpu_data, stack_top);
}
