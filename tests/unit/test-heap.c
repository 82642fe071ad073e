/* SPDX-License-Identifier: MIT */
/*
 * Host test of common/range.c, common/memmap.c and common/page_alloc.c
 * against a page-bitmap model computed here from the same random inputs:
 *  - RAM banks with unaligned edges and holes, reserved ranges of every type
 *    (unaligned, overlapping, adjacent, straddling bank edges);
 *  - the model marks each page RAM (wholly inside a bank), reserved (touched
 *    by any reserved range) with the lowest type touching it, or free;
 *  - heap_init's counts must match; allocating everything in random orders
 *    must hand out only model-free pages, never one twice, then return the
 *    sentinel; freeing everything restores the free count; releasing each
 *    module frees exactly the pages no other range still touches.
 * Plus range_subtract against the model directly, and fixed edge cases.
 */
#include <assert.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lib.h>
#include <memmap.h>
#include <page_alloc.h>
#include <range.h>

#define PG 4096ULL
#define SPAN_PAGES 4096             /* model address space: 16 MiB from BASE */
#define BASE 0x40000000ULL

enum { M_NONE, M_FREE, M_RESERVED };

/* heap_init's metadata, 64-byte aligned as it asserts, full of random bytes. */
static void *garbage_meta(u64 size)
{
    unsigned char *p = aligned_alloc(64, ALIGN_UP(size, 64) + 64);
    u64 i;

    if ( !p )
        abort();
    for ( i = 0; i < size + 64; i++ )
        p[i] = (unsigned char)rnd_below(256);
    return p;
}

static unsigned char model_state[SPAN_PAGES];
static unsigned char model_type[SPAN_PAGES];
static unsigned char handed_out[SPAN_PAGES];

static void model_build(const struct range *ram, unsigned nram,
                        const struct range *rsv, const enum mem_type *rt,
                        unsigned nrsv)
{
    unsigned p, i;

    for ( p = 0; p < SPAN_PAGES; p++ )
    {
        uint64_t s = BASE + p * PG, e = s + PG;

        model_state[p] = M_NONE;
        model_type[p] = MEM_NR_TYPES;
        for ( i = 0; i < nram; i++ )
            if ( s >= ram[i].start && e <= ram[i].end )
                model_state[p] = M_FREE;
        if ( model_state[p] == M_NONE )
            continue;
        for ( i = 0; i < nrsv; i++ )
            if ( rsv[i].start < e && s < rsv[i].end )
            {
                model_state[p] = M_RESERVED;
                if ( rt[i] < model_type[p] )
                    model_type[p] = rt[i];
            }
    }
}

/*
 * A naturally aligned run of 2^order model-free pages not handed out, ending
 * at or below limit, inside one of the heap's banks (mm's RAM ranges shrunk
 * to whole pages): free blocks stay merged with their free buddies, so such
 * a run always lies inside one free block.
 */
static bool model_one_bank(const struct memmap *mm, unsigned p, unsigned n)
{
    uint64_t s = BASE + (uint64_t)p * PG, e = s + (uint64_t)n * PG;
    unsigned i;

    for ( i = 0; i < mm->nr_ram; i++ )
        if ( s >= ALIGN_UP(mm->ram[i].r.start, PG) && e <= ALIGN_DOWN(mm->ram[i].r.end, PG) )
            return true;
    return false;
}

static bool model_run_below(const struct memmap *mm, unsigned order, uint64_t limit)
{
    unsigned p, q, n = 1U << order;

    for ( p = 0; p + n <= SPAN_PAGES && BASE + (uint64_t)(p + n) * PG <= limit; p += n )
    {
        for ( q = p; q < p + n && model_state[q] == M_FREE && !handed_out[q]; q++ )
            ;
        if ( q == p + n && model_one_bank(mm, p, n) )
            return true;
    }
    return false;
}

static void one_round(unsigned round)
{
    static struct memmap mm;
    struct range ram[6], rsv[24];
    enum mem_type rt[24];
    unsigned nram = 1 + rnd_below(5), nrsv = rnd_below(24), i, p;
    uint64_t mfree = 0, mres = 0, mtotal = 0, by_type[MEM_NR_TYPES] = { 0 };
    struct heap_stats st;
    void *meta;
    static paddr_t blocks[SPAN_PAGES];
    static unsigned orders[SPAN_PAGES];
    unsigned nblocks = 0;

    memmap_init(&mm);
    for ( i = 0; i < nram; i++ )
    {
        uint64_t s = BASE + rnd_below(SPAN_PAGES * PG - PG);
        uint64_t len = 1 + rnd_below(BASE + SPAN_PAGES * PG - s - 1);

        if ( rnd_below(2) )
            s &= ~(PG - 1);
        ram[i].start = s;
        ram[i].end = s + len;
        CHECK(memmap_add_ram(&mm, s, len, "ram") == MEMMAP_OK, "add ram");
    }
    for ( i = 0; i < nrsv; i++ )
    {
        uint64_t s = BASE + rnd_below(SPAN_PAGES * PG);
        uint64_t len = 1 + rnd_below(rnd_below(4) ? 64 * PG : 2048 * PG);

        rt[i] = (enum mem_type)(1 + rnd_below(MEM_NR_TYPES - 1));
        rsv[i].start = s;
        rsv[i].end = s + len;
        CHECK(memmap_add_reserved(&mm, rt[i], s, len, "r") == MEMMAP_OK, "add rsv");
    }
    model_build(ram, nram, rsv, rt, nrsv);
    for ( p = 0; p < SPAN_PAGES; p++ )
    {
        mtotal += model_state[p] != M_NONE;
        mfree += model_state[p] == M_FREE;
        if ( model_state[p] == M_RESERVED )
        {
            mres++;
            by_type[model_type[p]]++;
        }
    }

    /* Garbage, not zeroes: heap_init must not depend on what the RAM held. */
    meta = garbage_meta(heap_metadata_size(&mm));
    if ( !heap_init(&mm, meta) )
    {
        CHECK(mtotal == 0, "round %u: heap_init failed with %llu RAM pages",
              round, (unsigned long long)mtotal);
        free(meta);
        return;
    }
    heap_get_stats(&st);
    CHECK(st.total == mtotal && st.free == mfree && st.reserved == mres,
          "round %u: total/free/reserved %llu/%llu/%llu, model %llu/%llu/%llu",
          round, (unsigned long long)st.total, (unsigned long long)st.free,
          (unsigned long long)st.reserved, (unsigned long long)mtotal,
          (unsigned long long)mfree, (unsigned long long)mres);
    for ( i = 1; i < MEM_NR_TYPES; i++ )
        CHECK(st.by_type[i] == by_type[i], "round %u: type %s %llu, model %llu",
              round, mem_type_name(i), (unsigned long long)st.by_type[i],
              (unsigned long long)by_type[i]);

    /*
     * Allocate everything, mixing orders, a quarter of the blocks below a
     * random limit; every page must be model-free, a limited block below its
     * limit, and a limited failure must leave no free aligned run below it.
     */
    memset(handed_out, 0, sizeof(handed_out));
    for ( ;; )
    {
        unsigned order = rnd_below(3) ? 0 : rnd_below(10);
        bool below = rnd_below(4) == 0;
        uint64_t limit = BASE + rnd_below(SPAN_PAGES * PG + 1);
        paddr_t pa = below ? alloc_pages_below(order, limit) : alloc_pages(order);

        if ( pa == PAGE_ALLOC_FAILED )
        {
            if ( below )
                CHECK(!model_run_below(&mm, order, limit),
                      "round %u: alloc_pages_below(%u, 0x%llx) failed with a free run below",
                      round, order, (unsigned long long)limit);
            else if ( order == 0 )
                break;
            continue;
        }
        CHECK((pa & ((PG << order) - 1)) == 0, "block 0x%llx not aligned to order %u",
              (unsigned long long)pa, order);
        CHECK(!below || pa + (PG << order) <= limit,
              "round %u: block 0x%llx order %u past its limit 0x%llx", round,
              (unsigned long long)pa, order, (unsigned long long)limit);
        for ( p = 0; p < (1U << order); p++ )
        {
            uint64_t idx = (pa - BASE) / PG + p;

            if ( !(idx < SPAN_PAGES && model_state[idx] == M_FREE && !handed_out[idx]) )
            {
                CHECK(0, "round %u: page 0x%llx handed out but not free/twice",
                      round, (unsigned long long)(BASE + idx * PG));
                break;
            }
            handed_out[idx] = 1;
        }
        blocks[nblocks] = pa;
        orders[nblocks++] = order;
    }
    heap_get_stats(&st);
    CHECK(st.free == 0 && st.allocated == mfree, "round %u: after exhaustion free=%llu",
          round, (unsigned long long)st.free);
    for ( i = 0; i < nblocks; i++ )
        free_pages(blocks[i], orders[i]);
    heap_get_stats(&st);
    CHECK(st.free == mfree && st.allocated == 0, "round %u: free after freeing all %llu, want %llu",
          round, (unsigned long long)st.free, (unsigned long long)mfree);

    /* Release every module; the model frees pages no remaining range touches. */
    for ( i = 0; i < nrsv; i++ )
    {
        uint64_t before, expect = 0;

        if ( rt[i] != MEM_MODULE )
            continue;
        CHECK(memmap_remove_reserved(&mm, MEM_MODULE, &rsv[i]), "remove module");
        rt[i] = MEM_NR_TYPES;       /* gone from the model too */
        for ( p = 0; p < SPAN_PAGES; p++ )
        {
            uint64_t s = BASE + p * PG, e = s + PG;
            unsigned j;
            bool covered = false;

            if ( model_state[p] != M_RESERVED || !(rsv[i].start < e && s < rsv[i].end) )
                continue;
            for ( j = 0; j < nrsv; j++ )
                if ( rt[j] != MEM_NR_TYPES && rsv[j].start < e && s < rsv[j].end )
                    covered = true;
            if ( !covered )
            {
                expect++;
                model_state[p] = M_FREE;
            }
        }
        heap_get_stats(&st);
        before = st.free;
        CHECK(heap_release_range(&mm, &rsv[i]) == expect, "round %u: released pages", round);
        heap_get_stats(&st);
        CHECK(st.free == before + expect, "round %u: free grew by %llu, want %llu", round,
              (unsigned long long)(st.free - before), (unsigned long long)expect);
    }
    free(meta);
}

static void test_subtract(void)
{
    unsigned round;

    for ( round = 0; round < 2000; round++ )
    {
        struct range from, holes[8], out[16];
        unsigned char covered[256] = { 0 };
        unsigned n = rnd_below(8), i, k;
        int nr;

        from.start = rnd_below(200);
        from.end = from.start + 1 + rnd_below(256 - from.start - 1);
        for ( i = 0; i < n; i++ )
        {
            holes[i].start = rnd_below(256);
            holes[i].end = holes[i].start + rnd_below(256 - holes[i].start);
            for ( k = holes[i].start; k < holes[i].end; k++ )
                covered[k] = 1;
        }
        nr = range_subtract(&from, holes, n, out, 16);
        CHECK(nr >= 0, "subtract overflowed");
        for ( k = from.start; k < from.end; k++ )
        {
            bool in_out = false;
            int j;

            for ( j = 0; j < nr; j++ )
                if ( k >= out[j].start && k < out[j].end )
                    in_out = true;
            if ( in_out == covered[k] )
            {
                CHECK(0, "subtract round %u: unit %u wrong", round, k);
                break;
            }
        }
        for ( i = 1; i < (unsigned)(nr > 0 ? nr : 0); i++ )
            CHECK(out[i - 1].end < out[i].start, "subtract output not sorted/merged");
    }
}

static void test_edges(void)
{
    struct range r, o;
    static struct memmap mm;

    CHECK(!range_from_size(0x1000, 0, &r), "zero size accepted");
    CHECK(!range_from_size(~0ULL - 0xfff, 0x1000, &r), "range to 2^64 accepted");
    CHECK(!range_from_size(~0ULL - 0xfff, 0x2000, &r), "wrapping range accepted");
    CHECK(range_from_size(~0ULL - 0x1fff, 0x1000, &r), "top range refused");
    r.start = 0x1001; r.end = 0x2fff;
    CHECK(!range_page_inner(&r, PG, &o), "inner of a sub-page range");
    CHECK(range_page_outer(&r, PG, &o) && o.start == 0x1000 && o.end == 0x3000, "outer");
    r.start = ~0ULL - 0x1000; r.end = ~0ULL;
    CHECK(!range_page_outer(&r, PG, &o), "outer to 2^64 should fail");

    memmap_init(&mm);
    for ( unsigned i = 0; i < MEMMAP_MAX_RAM; i++ )
        CHECK(memmap_add_ram(&mm, 0x100000000ULL * (i + 1), PG, NULL) == MEMMAP_OK, "ram %u", i);
    CHECK(memmap_add_ram(&mm, 0x40000000, PG, NULL) == MEMMAP_ERR_FULL, "ram table limit");
    /* touching banks merge, even when added out of order */
    memmap_init(&mm);
    memmap_add_ram(&mm, 0x2000, 0x1000, NULL);
    memmap_add_ram(&mm, 0x0000, 0x1000, NULL);
    memmap_add_ram(&mm, 0x1000, 0x1000, NULL);
    CHECK(mm.nr_ram == 1 && mm.ram[0].r.start == 0 && mm.ram[0].r.end == 0x3000, "merge");
    /* adjacent modules stay separate, adjacent firmware ranges merge */
    memmap_add_reserved(&mm, MEM_MODULE, 0x1000, 0x800, "a");
    memmap_add_reserved(&mm, MEM_MODULE, 0x1800, 0x800, "b");
    memmap_add_reserved(&mm, MEM_FIRMWARE, 0x0, 0x800, NULL);
    memmap_add_reserved(&mm, MEM_FIRMWARE, 0x800, 0x100, NULL);
    CHECK(mm.nr_rsv == 3, "reserved entries %u", mm.nr_rsv);
}

/*
 * Programming errors must be assertion failures (the harness turns ASSERT
 * into abort()): each misuse runs in a child process, which must die of
 * SIGABRT, and the same steps without the misuse must not.
 */
enum misuse { NONE, DOUBLE_FREE, FREE_UNALLOCATED, FREE_WRONG_ORDER, RELEASE_FREE_PAGE,
              RELEASE_TWICE };

static void misuse_child(enum misuse m)
{
    static struct memmap mm;
    static unsigned char meta[64 * sizeof(struct page_info) + 128] __attribute__((aligned(64)));
    struct range mod = { BASE + 8 * PG, BASE + 10 * PG };
    paddr_t pa;

    memmap_init(&mm);
    memmap_add_ram(&mm, BASE, 64 * PG, "ram");
    memmap_add_reserved(&mm, MEM_MODULE, mod.start, mod.end - mod.start, "m");
    if ( !heap_init(&mm, meta) )
        _exit(3);
    pa = alloc_pages(1);
    if ( pa == PAGE_ALLOC_FAILED )
        _exit(4);
    free_pages(pa, 1);
    memmap_remove_reserved(&mm, MEM_MODULE, &mod);
    heap_release_range(&mm, &mod);
    switch ( m )
    {
    case NONE: break;
    case DOUBLE_FREE: free_pages(pa, 1); break;
    case FREE_UNALLOCATED: free_pages(BASE + 20 * PG, 0); break;
    case FREE_WRONG_ORDER: pa = alloc_pages(2); free_pages(pa, 1); break;
    case RELEASE_FREE_PAGE:
    {
        struct range r = { BASE + 30 * PG, BASE + 31 * PG };

        heap_release_range(&mm, &r);
        break;
    }
    case RELEASE_TWICE: heap_release_range(&mm, &mod); break;
    }
    _exit(0);
}

static void test_misuse(void)
{
    static const char *const names[] = {
        "none", "double free", "free of a page never allocated", "free with the wrong order",
        "release of a free page", "module released twice",
    };
    unsigned int m;

    for ( m = NONE; m <= RELEASE_TWICE; m++ )
    {
        int status = 0;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if ( pid == 0 )
        {
            /* The child's ASSERT message is expected: keep the log readable. */
            if ( m != NONE && !freopen("/dev/null", "w", stdout) )
                _exit(5);
            misuse_child((enum misuse)m);
        }
        waitpid(pid, &status, 0);
        if ( m == NONE )
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the well-behaved sequence failed (status 0x%x)", status);
        else
            CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
                  "%s was not an assertion failure (status 0x%x)", names[m], status);
    }
}

int main(void)
{
    unsigned round;

    harness_rng_state = 0x9e3779b97f4a7c15ULL;
    test_edges();
    test_misuse();
    test_subtract();
    for ( round = 0; round < 300; round++ )
        one_round(round);
    return harness_exit("heap");
}
