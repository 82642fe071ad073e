/* SPDX-License-Identifier: MIT */
/*
 * System-register accessors.  Common code names registers after AArch64 and
 * without the EL suffix (sysreg_read(esr)); each architecture maps the name
 * to its register: here the EL2 ones, on arm32 the HYP CP15 ones.
 */
#ifndef ARCH_ARM64_SYSREGS_H
#define ARCH_ARM64_SYSREGS_H

#include <types.h>

#define SYSREG_esr      "esr_el2"
#define SYSREG_elr      "elr_el2"
#define SYSREG_far      "far_el2"
#define SYSREG_spsr     "spsr_el2"
#define SYSREG_sctlr    "sctlr_el2"
#define SYSREG_hcr      "hcr_el2"
#define SYSREG_vbar     "vbar_el2"
#define SYSREG_ttbr0    "ttbr0_el2"
#define SYSREG_tcr      "tcr_el2"
#define SYSREG_mair     "mair_el2"
#define SYSREG_tpidr    "tpidr_el2"
#define SYSREG_mpidr    "mpidr_el1"
#define SYSREG_cntpct   "cntpct_el0"
#define SYSREG_cntfrq   "cntfrq_el0"
#define SYSREG_currentel "CurrentEL"
#define SYSREG_mmfr0    "id_aa64mmfr0_el1"
#define SYSREG_vtcr     "vtcr_el2"
#define SYSREG_vttbr    "vttbr_el2"

#define sysreg_read(name) ({                                        \
    u64 v__;                                                        \
    asm volatile ( "mrs %0, " SYSREG_##name : "=r" (v__) );         \
    v__;                                                            \
})

#define sysreg_write(name, val) do {                                \
    u64 v__ = (val);                                                \
    asm volatile ( "msr " SYSREG_##name ", %0" :: "r" (v__) );      \
} while ( 0 )

#define isb()       asm volatile ( "isb" ::: "memory" )
#define dsb(opt)    asm volatile ( "dsb " #opt ::: "memory" )
/* Invalidate every stage-1+2 TLB entry of the current VMID, inner shareable. */
#define tlbi_vmid_all_is() asm volatile ( "tlbi vmalls12e1is" ::: "memory" )

#endif /* ARCH_ARM64_SYSREGS_H */
