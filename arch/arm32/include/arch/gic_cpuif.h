/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 CPU interface through CP15 in Hyp mode, and the routing an idle
 * CPU needs to be woken by an interrupt (common/gic.c).  Encodings from the
 * GICv3 architecture specification's AArch32 register descriptions.
 */
#ifndef ARCH_ARM32_GIC_CPUIF_H
#define ARCH_ARM32_GIC_CPUIF_H

#include <types.h>

#define ID_PFR1_GIC_SHIFT   28              /* ID_PFR1.GIC: system-register interface */
#define ICC_HSRE_SRE        (1U << 0)
#define ICC_HSRE_ENABLE     (1U << 3)
#define HCR_FMO_BIT         (1U << 3)
#define HCR_IMO_BIT         (1U << 4)

static inline bool arch_gic_has_sysregs(void)
{
    u32 pfr1;

    asm volatile ( "mrc p15, 0, %0, c0, c1, 1" : "=r" (pfr1) );     /* ID_PFR1 */
    return (pfr1 >> ID_PFR1_GIC_SHIFT) & 0xf;
}

/* As on arm64: ICC_HSRE.{SRE,Enable}, ICC_PMR open, Group 1 enabled. */
static inline void arch_gicv3_cpuif_enable(void)
{
    u32 sre;

    asm volatile ( "mrc p15, 4, %0, c12, c9, 5" : "=r" (sre) );      /* ICC_HSRE */
    sre |= ICC_HSRE_SRE | ICC_HSRE_ENABLE;
    asm volatile ( "mcr p15, 4, %0, c12, c9, 5" :: "r" (sre) );
    asm volatile ( "isb" ::: "memory" );       /* SRE set before the ICC_ accesses below */
    asm volatile ( "mcr p15, 0, %0, c4, c6, 0" :: "r" (0xffU) );     /* ICC_PMR */
    asm volatile ( "mcr p15, 0, %0, c12, c12, 7" :: "r" (1U) );      /* ICC_IGRPEN1 */
    asm volatile ( "isb" ::: "memory" );       /* in effect before the WFI that relies on them */
}

/* ICC_SGI1R (64-bit, MCRR); the caller's DSB published the work first. */
static inline void arch_gicv3_send_sgi(u64 sgi1r)
{
    asm volatile ( "mcrr p15, 0, %0, %1, c12" :: "r" ((u32)sgi1r), "r" ((u32)(sgi1r >> 32)) );
    asm volatile ( "isb" ::: "memory" );       /* the write takes effect before we go on */
}

/* HCR.{IMO,FMO} while idle in Hyp mode, as on arm64 (entering dom0 rewrites HCR). */
static inline void arch_idle_route_irqs_here(void)
{
    u32 hcr;

    asm volatile ( "mrc p15, 4, %0, c1, c1, 0" : "=r" (hcr) );
    asm volatile ( "mcr p15, 4, %0, c1, c1, 0" :: "r" (hcr | HCR_IMO_BIT | HCR_FMO_BIT) );
    asm volatile ( "isb" ::: "memory" );       /* the routing holds before the WFI */
}

#endif
