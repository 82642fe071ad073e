/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 CPU interface through system registers at EL2, and the routing
 * an idle CPU needs to be woken by an interrupt (common/gic.c).  Encodings
 * by number (S3_...) where older assemblers lack the names.
 */
#ifndef ARCH_ARM64_GIC_CPUIF_H
#define ARCH_ARM64_GIC_CPUIF_H

#include <types.h>
#include <arch/processor.h>

#define ICC_PMR_EL1         "S3_0_C4_C6_0"
#define ICC_IGRPEN1_EL1     "S3_0_C12_C12_7"
#define ICC_SGI1R_EL1       "S3_0_C12_C11_5"
#define ICC_SRE_EL2         "S3_4_C12_C9_5"

/* The CPU has the GICv3 system-register interface (ID_AA64PFR0_EL1.GIC). */
static inline bool arch_gic_has_sysregs(void)
{
    u64 pfr0;

    asm volatile ( "mrs %0, id_aa64pfr0_el1" : "=r" (pfr0) );
    return (pfr0 >> ID_AA64PFR0_GIC_SHIFT) & ID_AA64PFR0_GIC_MASK;
}

/*
 * Let Group 1 interrupts reach this CPU: system registers on at EL2 (and
 * for EL1, as booting.rst wants anyway), the priority mask fully open,
 * Group 1 enabled.  dom0 sets all three again when it takes the CPU.
 */
static inline void arch_gicv3_cpuif_enable(void)
{
    u64 sre;

    asm volatile ( "mrs %0, " ICC_SRE_EL2 : "=r" (sre) );
    sre |= ICC_SRE_EL2_SRE | ICC_SRE_EL2_ENABLE;
    asm volatile ( "msr " ICC_SRE_EL2 ", %0" :: "r" (sre) );
    asm volatile ( "isb" ::: "memory" );       /* SRE set before the ICC_ accesses below */
    asm volatile ( "msr " ICC_PMR_EL1 ", %0" :: "r" (0xffUL) );
    asm volatile ( "msr " ICC_IGRPEN1_EL1 ", %0" :: "r" (1UL) );
    asm volatile ( "isb" ::: "memory" );       /* in effect before the WFI that relies on them */
}

/*
 * Send the SGI described by an ICC_SGI1R_EL1 value.  The caller's DSB
 * published the work first (stores are not ordered with this write
 * otherwise); the ISB makes the write take effect before we go on.
 */
static inline void arch_gicv3_send_sgi(u64 sgi1r)
{
    asm volatile ( "msr " ICC_SGI1R_EL1 ", %0" :: "r" (sgi1r) );
    asm volatile ( "isb" ::: "memory" );
}

/*
 * While this CPU idles at EL2: route physical IRQs and FIQs to EL2 (still
 * masked by PSTATE, so never taken), so that one is a WFI wake-up event
 * without relying on how an implementation treats an interrupt that
 * targets a lower Exception level.  Entering dom0 writes its own HCR_EL2.
 */
static inline void arch_idle_route_irqs_here(void)
{
    u64 hcr;

    asm volatile ( "mrs %0, hcr_el2" : "=r" (hcr) );
    asm volatile ( "msr hcr_el2, %0" :: "r" (hcr | HCR_IMO | HCR_FMO) );
    asm volatile ( "isb" ::: "memory" );       /* the routing holds before the WFI */
}

#endif
