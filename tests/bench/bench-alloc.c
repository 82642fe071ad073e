/* SPDX-License-Identifier: MIT */
/*
 * Host benchmark: hypcore's buddy allocator (common/page_alloc.c) against a
 * first-fit allocator with one byte per page, both over 1 Mi pages (4 GiB),
 * measured in the same run.  Each pattern allocates N blocks then frees them
 * all, in rounds; the figure is ns per alloc+free pair.
 *
 * Output, one line per order:
 *   bench: alloc order=<k> buddy_ns=<x> firstfit_ns=<y> ratio=<y/x>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include <lib.h>
#include <memmap.h>
#include <page_alloc.h>

#define NPAGES      (1U << 20)
#define BASE        0x40000000ULL

/* First fit over a byte map: the simple allocator a port might start with. */
static unsigned char *ff_map;
static unsigned ff_hint;

static long ff_alloc(unsigned order)
{
    unsigned n = 1U << order, i, j;

    for ( i = 0; i + n <= NPAGES; i += n )
    {
        for ( j = 0; j < n && !ff_map[i + j]; j++ )
            ;
        if ( j == n )
        {
            memset(ff_map + i, 1, n);
            return i;
        }
    }
    (void)ff_hint;
    return -1;
}

static void ff_free(long idx, unsigned order)
{
    memset(ff_map + idx, 0, 1U << order);
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static paddr_t blocks[NPAGES];
static long ffblocks[NPAGES];

static double run_buddy(unsigned order, unsigned count, unsigned rounds)
{
    double t0 = now_ns();
    unsigned r, i;

    for ( r = 0; r < rounds; r++ )
    {
        for ( i = 0; i < count; i++ )
            if ( (blocks[i] = alloc_pages(order)) == PAGE_ALLOC_FAILED )
                abort();
        for ( i = 0; i < count; i++ )
            free_pages(blocks[i], order);
    }
    return (now_ns() - t0) / ((double)count * rounds);
}

static double run_ff(unsigned order, unsigned count, unsigned rounds)
{
    double t0 = now_ns();
    unsigned r, i;

    for ( r = 0; r < rounds; r++ )
    {
        for ( i = 0; i < count; i++ )
            if ( (ffblocks[i] = ff_alloc(order)) < 0 )
                abort();
        for ( i = 0; i < count; i++ )
            ff_free(ffblocks[i], order);
    }
    return (now_ns() - t0) / ((double)count * rounds);
}

int main(void)
{
    static struct memmap mm;
    static const unsigned orders[] = { 0, 9 };
    void *meta;
    unsigned k;

    memmap_init(&mm);
    memmap_add_ram(&mm, BASE, (u64)NPAGES << 12, "ram");
    meta = aligned_alloc(64, ALIGN_UP(heap_metadata_size(&mm), 64));
    ff_map = calloc(NPAGES, 1);
    if ( !meta || !ff_map || !heap_init(&mm, meta) )
        return 1;
    for ( k = 0; k < 2; k++ )
    {
        unsigned order = orders[k];
        /* order 0: 4096 blocks per round; order 9: 256 (half the heap) */
        unsigned count = order ? 256 : 4096, rounds = order ? 20 : 50;
        double b = run_buddy(order, count, rounds);
        double f = run_ff(order, count, order ? 2 : rounds);

        printf("bench: alloc order=%u pages=%u buddy_ns=%.1f firstfit_ns=%.1f ratio=%.1f\n",
               order, NPAGES, b, f, f / b);
    }
    free(meta);
    free(ff_map);
    return 0;
}
