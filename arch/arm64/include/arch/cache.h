/* SPDX-License-Identifier: MIT */
/* Data cache maintenance from C (head.S has its own, for the MMU-off code). */
#ifndef ARCH_ARM64_CACHE_H
#define ARCH_ARM64_CACHE_H

#include <arch/processor.h>
#include <arch/sysregs.h>
#include <types.h>

/* The smallest data cache line of any cache this PE maintains, in bytes. */
static inline unsigned long dcache_line_size(void)
{
    u64 ctr;

    asm volatile ( "mrs %0, ctr_el0" : "=r" (ctr) );
    return 4UL << ((ctr >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
}

/*
 * dcache_clean_poc: clean [p, p + size) to the Point of Coherency, for a
 * reader whose accesses are non-cacheable (a CPU with its MMU off).
 *
 * A DC by VA acts on one line, and a line may be as small as DminLine (16
 * bytes at least), so an object is cleaned line by line over its whole
 * extent: cleaning only its first address could leave the rest dirty.
 * The closing DSB SY completes the cleans for every observer, including
 * those outside the inner-shareable domain that non-cacheable accesses
 * reach (Arm ARM D7.5, "Ordering and completion of data and instruction
 * cache instructions"; DSB ISH only covers the inner-shareable domain).
 * Callers order their stores to the object before this with a DSB.
 */
static inline void dcache_clean_poc(const void *p, unsigned long size)
{
    unsigned long line = dcache_line_size();
    unsigned long va = (unsigned long)p & ~(line - 1), end = (unsigned long)p + size;

    for ( ; va < end; va += line )
        asm volatile ( "dc cvac, %0" :: "r" (va) : "memory" );
    dsb(sy);
}

#endif /* ARCH_ARM64_CACHE_H */
