/* SPDX-License-Identifier: MIT */
/* arch/arm32/cpu.c: counter, MPIDR, per-CPU pointer and the SMC/HVC conduit. */
#include <arch/pgtable.h>
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <cpu.h>
#include <psci.h>
#include <smp.h>

struct cpu_data *this_cpu(void)
{
    return (struct cpu_data *)(vaddr_t)sysreg_read(tpidr);
}

u64 arch_counter(void)
{
    isb();      /* do not let the counter read be hoisted above earlier code */
    return sysreg_read_cntpct();
}

u64 arch_cpu_mpidr(void)
{
    return sysreg_read(mpidr);
}

/*
 * LPAE: 40-bit physical addresses in every descriptor (and in HTTBR); the
 * Cortex-A15 implements all 40.
 */
unsigned int arch_paddr_bits(const char **why)
{
    BUILD_BUG_ON(PTE_ADDR_MASK != (((_UL(1) << PADDR_BITS) - 1) & PAGE_MASK));
    if ( why )
        *why = "LPAE descriptors hold 40-bit physical addresses";
    return PADDR_BITS;
}

long arch_smccc_call(bool hvc, u32 fid, unsigned long a1, unsigned long a2,
                     unsigned long a3)
{
    register unsigned long r0 asm("r0") = fid;
    register unsigned long r1 asm("r1") = a1;
    register unsigned long r2 asm("r2") = a2;
    register unsigned long r3 asm("r3") = a3;

    /* SMCCC (32-bit): r0-r3 results, r4-r14 preserved. */
    if ( hvc )
        asm volatile ( ".arch_extension virt\n\thvc #0"
                       : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3) :: "memory" );
    else
        asm volatile ( ".arch_extension sec\n\tsmc #0"
                       : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3) :: "memory" );
    return (long)r0;
}

void arch_clean_dcache_poc(const void *va, size_t len)
{
    u32 ctr, line;
    uintptr_t p, end = (uintptr_t)va + len;

    asm volatile ( "mrc p15, 0, %0, c0, c0, 1" : "=r" (ctr) );     /* CTR */
    line = 4U << ((ctr >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
    /* DCCMVAC: clean by MVA to the PoC (Arm ARM B4.2.1). */
    for ( p = (uintptr_t)va & ~(uintptr_t)(line - 1); p < end; p += line )
        asm volatile ( "mcr p15, 0, %0, c7, c10, 1" :: "r" (p) : "memory" );
    dsb(sy);    /* the cleans complete before anything that depends on them */
}

/*
 * libgcc's 64-bit division helpers call these on a division by zero (its own
 * versions call the C library's raise()).  Always a hypcore bug.
 */
#include <lib.h>
void __aeabi_ldiv0(void);
void __aeabi_idiv0(void);
void __aeabi_ldiv0(void)
{
    panic("64-bit division by zero, called from %p", __builtin_return_address(0));
}
void __aeabi_idiv0(void)
{
    panic("division by zero, called from %p", __builtin_return_address(0));
}
