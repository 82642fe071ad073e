/* SPDX-License-Identifier: MIT */
/* Data cache maintenance from C (head.S has its own, for the MMU-off code). */
#ifndef ARCH_ARM32_CACHE_H
#define ARCH_ARM32_CACHE_H

#include <arch/processor.h>
#include <arch/sysregs.h>
#include <types.h>

/* The smallest data cache line of any cache this PE maintains, in bytes. */
static inline unsigned long dcache_line_size(void)
{
    u32 ctr;

    asm volatile ( "mrc p15, 0, %0, c0, c0, 1" : "=r" (ctr) );     /* CTR */
    return 4UL << ((ctr >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
}

/*
 * dcache_clean_poc: clean [p, p + size) to the Point of Coherency, for a
 * reader whose accesses are non-cacheable (a CPU with its MMU off).
 *
 * DCCMVAC acts on one line, and a line may be as small as DminLine, so an
 * object is cleaned line by line over its whole extent.  The closing DSB SY
 * completes the cleans for every observer, including those outside the
 * inner-shareable domain that non-cacheable accesses reach (ARMv7-A/R Arm
 * ARM B2.2, "Ordering of cache and branch predictor maintenance
 * operations"; DSB ISH only covers the inner-shareable domain).  Callers
 * order their stores to the object before this with a DSB.
 */
static inline void dcache_clean_poc(const void *p, unsigned long size)
{
    unsigned long line = dcache_line_size();
    unsigned long va = (unsigned long)p & ~(line - 1), end = (unsigned long)p + size;

    for ( ; va < end; va += line )
        asm volatile ( "mcr p15, 0, %0, c7, c10, 1" :: "r" (va) : "memory" );  /* DCCMVAC */
    dsb(sy);
}

#endif /* ARCH_ARM32_CACHE_H */
