/* SPDX-License-Identifier: MIT */
/*
 * System-register accessors with the AArch64 names common code uses
 * (sysreg_read(esr) is HSR here), mapped to the HYP-mode CP15 registers.
 */
#ifndef ARCH_ARM32_SYSREGS_H
#define ARCH_ARM32_SYSREGS_H

#include <types.h>

/* 32-bit registers: "p15, opc1, %0, CRn, CRm, opc2" */
#define SYSREG_esr      "p15, 4, %0, c5, c2, 0"     /* HSR */
#define SYSREG_far      "p15, 4, %0, c6, c0, 0"     /* HDFAR */
#define SYSREG_ifar     "p15, 4, %0, c6, c0, 2"     /* HIFAR */
#define SYSREG_sctlr    "p15, 4, %0, c1, c0, 0"     /* HSCTLR */
#define SYSREG_hcr      "p15, 4, %0, c1, c1, 0"     /* HCR */
#define SYSREG_vbar     "p15, 4, %0, c12, c0, 0"    /* HVBAR */
#define SYSREG_tcr      "p15, 4, %0, c2, c0, 2"     /* HTCR */
#define SYSREG_tpidr    "p15, 4, %0, c13, c0, 2"    /* HTPIDR */
#define SYSREG_mpidr    "p15, 0, %0, c0, c0, 5"     /* MPIDR */
#define SYSREG_cntfrq   "p15, 0, %0, c14, c0, 0"    /* CNTFRQ */

#define sysreg_read(name) ({                                            \
    u32 v__;                                                            \
    asm volatile ( "mrc " SYSREG_##name : "=r" (v__) );                 \
    (u64)v__;                                                           \
})

#define sysreg_write(name, val) do {                                    \
    u32 v__ = (u32)(val);                                               \
    asm volatile ( "mcr " SYSREG_##name :: "r" (v__) );                 \
} while ( 0 )

/* 64-bit registers (mrrc/mcrr): HTTBR, CNTPCT */
static inline u64 sysreg_read_ttbr0(void)
{
    u32 lo, hi;

    asm volatile ( "mrrc p15, 4, %0, %1, c2" : "=r" (lo), "=r" (hi) );
    return ((u64)hi << 32) | lo;
}

static inline u64 sysreg_read_cntpct(void)
{
    u32 lo, hi;

    asm volatile ( "mrrc p15, 0, %0, %1, c14" : "=r" (lo), "=r" (hi) );
    return ((u64)hi << 32) | lo;
}

static inline u32 sysreg_read_elr(void)
{
    u32 v;

    asm volatile ( "mrs %0, ELR_hyp" : "=r" (v) );
    return v;
}

#define isb()       asm volatile ( "isb" ::: "memory" )
#define dsb(opt)    asm volatile ( "dsb " #opt ::: "memory" )

#endif /* ARCH_ARM32_SYSREGS_H */
