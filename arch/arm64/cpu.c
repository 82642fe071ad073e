/* SPDX-License-Identifier: MIT */
/* arch/arm64/cpu.c: counter and SMC/HVC conduit. */
#include <arch/pgtable.h>
#include <arch/sysregs.h>
#include <arch/processor.h>
#include <cpu.h>
#include <psci.h>

#include <smp.h>

u64 arch_cpu_mpidr(void)
{
    return sysreg_read(mpidr);
}

/* ID_AA64MMFR0_EL1.PARange encodings 0..6 -> bits (Arm ARM D19.2.64). */
static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

unsigned int arch_paddr_bits(const char **why)
{
    unsigned int ps = sysreg_read(mmfr0) & PARANGE_MASK;
    unsigned int bits = ps < ARRAY_SIZE(parange_bits) ? parange_bits[ps] : 52;

    if ( bits > PADDR_BITS )
    {
        if ( why )
            *why = "hypcore's 4 KiB-page descriptors hold 48-bit output addresses";
        return PADDR_BITS;
    }
    if ( why )
        *why = "ID_AA64MMFR0_EL1.PARange";
    return bits;
}

u64 arch_counter(void)
{
    isb();      /* do not let the counter read be hoisted above earlier code */
    return sysreg_read(cntpct);
}

long arch_smccc_call(bool hvc, u32 fid, unsigned long a1, unsigned long a2,
                     unsigned long a3)
{
    register unsigned long x0 asm("x0") = fid;
    register unsigned long x1 asm("x1") = a1;
    register unsigned long x2 asm("x2") = a2;
    register unsigned long x3 asm("x3") = a3;

    /* SMCCC: x0-x17 may be clobbered by the callee. */
    if ( hvc )
        asm volatile ( "hvc #0"
                       : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
                       :: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                          "x12", "x13", "x14", "x15", "x16", "x17", "memory" );
    else
        asm volatile ( "smc #0"
                       : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
                       :: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                          "x12", "x13", "x14", "x15", "x16", "x17", "memory" );
    return (long)x0;
}

void arch_clean_dcache_poc(const void *va, size_t len)
{
    u64 ctr, line;
    uintptr_t p, end = (uintptr_t)va + len;

    asm volatile ( "mrs %0, ctr_el0" : "=r" (ctr) );
    line = 4UL << ((ctr >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
    /* DC CVAC: clean by VA to the PoC (Arm ARM D7.5.9 "Data cache maintenance"). */
    for ( p = (uintptr_t)va & ~(line - 1); p < end; p += line )
        asm volatile ( "dc cvac, %0" :: "r" (p) : "memory" );
    dsb(sy);    /* the cleans complete before anything that depends on them */
}
