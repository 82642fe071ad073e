/* SPDX-License-Identifier: MIT */
/*
 * Host test of arch/arm64/p2m.c, the stage-2 builder dom0 runs under.
 *
 * The tables live in a host buffer standing for RAM (the heap and the
 * mapping window below hand it out).  A map like dom0's is built -- RAM
 * banks with hypcore's pages cut out, MMIO regions (two sharing a page) --
 * and then every 4 KiB page of the IPA space it touches is walked by this
 * file's own decoder of the stage-2 descriptors (Arm ARM D8.3: level 1 and
 * 2 blocks, level 3 pages, tables; D8.5.5 attributes) and compared with the
 * expected map: RAM identity-mapped Normal write-back, inner shareable,
 * read/write, executable; MMIO identity-mapped Device-nGnRE, read/write,
 * execute-never; everything else (holes, hypcore's pages) unmapped.
 * p2m_lookup must agree with the decoder.  Then the same with seeded
 * random maps, and the registers p2m_init derives from PARange.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <arch/pgtable.h>
#include <p2m.h>
#include <page_alloc.h>
#include <percpu_mm.h>

u64 host_sysreg_mmfr0, host_sysreg_vtcr, host_sysreg_vttbr;
unsigned int host_tlbi_count;

/* ---- the heap and the window: a host buffer standing for RAM ---- */
#define POOL_BASE       0x7f000000ULL   /* "physical" address of pool[0] */
#define POOL_PAGES      2048
static unsigned char *pool;
static unsigned long pool_next;         /* pages handed out */

/* p2m.c's tables come from here: the pool lies below ARCH_TABLE_PA_LIMIT. */
paddr_t alloc_pages_below(unsigned int order, paddr_t limit)
{
    unsigned long n = 1UL << order;
    unsigned long at = (pool_next + n - 1) & ~(n - 1);

    CHECK(limit == ARCH_TABLE_PA_LIMIT, "a table asked below %#llx, not ARCH_TABLE_PA_LIMIT",
          (unsigned long long)limit);
    if ( at + n > POOL_PAGES || POOL_BASE + (at + n) * PAGE_SIZE > limit )
        return PAGE_ALLOC_FAILED;
    pool_next = at + n;
    memset(pool + at * PAGE_SIZE, 0xa5, n * PAGE_SIZE);   /* dirty: p2m.c must zero */
    return POOL_BASE + at * PAGE_SIZE;
}

void *window_map(unsigned int slot, paddr_t pa)
{
    (void)slot;
    if ( pa < POOL_BASE || pa >= POOL_BASE + (paddr_t)POOL_PAGES * PAGE_SIZE || pa % PAGE_SIZE )
    {
        fprintf(stderr, "window_map of %#llx: not a pool page\n", (unsigned long long)pa);
        abort();
    }
    return pool + (pa - POOL_BASE);
}

void window_unmap(unsigned int slot)
{
    (void)slot;
}

static void pool_reset(void)
{
    pool_next = 0;
    memset(pool, 0xa5, (size_t)POOL_PAGES * PAGE_SIZE);
}

/* ---- the expected map ---- */
enum kind { K_NONE, K_RAM, K_MMIO };
struct region {
    u64 start, end;             /* [start, end), page aligned */
    enum kind kind;
};

static enum kind model_at(const struct region *r, unsigned int n, u64 ipa)
{
    for ( unsigned int i = 0; i < n; i++ )
        if ( r[i].start <= ipa && ipa < r[i].end )
            return r[i].kind;
    return K_NONE;
}

/* ---- an independent stage-2 walk (4 KiB granule, start level 1) ---- */
struct walk {
    bool valid;
    u64 pa;
    unsigned int level;         /* of the leaf */
    unsigned int memattr, s2ap, sh;
    bool af, xn;
};

static u64 desc_at(u64 table_pa, unsigned long idx)
{
    const u64 *t = window_map(0, table_pa + (idx / 512) * PAGE_SIZE);

    return t[idx % 512];
}

static struct walk walk(const struct p2m *p2m, u64 ipa)
{
    struct walk w = { 0 };
    u64 table = p2m->root;

    for ( unsigned int lvl = 1; lvl <= 3; lvl++ )
    {
        unsigned int shift = 12 + 9 * (3 - lvl);
        unsigned long idx = lvl == 1 ? ipa >> shift : (ipa >> shift) & 511;
        u64 d = desc_at(table, idx);
        bool leaf;

        if ( !(d & 1) )
            return w;
        if ( lvl == 3 )
        {
            if ( !(d & 2) )         /* 0b01 at level 3 is reserved: a fault */
                return w;
            leaf = true;
        }
        else
            leaf = !(d & 2);        /* 0b01: block, 0b11: table */
        if ( !leaf )
        {
            table = d & 0x0000fffffffff000ULL;
            continue;
        }
        w.valid = true;
        w.level = lvl;
        w.pa = (d & 0x0000fffffffff000ULL & ~((1ULL << shift) - 1)) | (ipa & ((1ULL << shift) - 1));
        w.memattr = (d >> 2) & 0xf;
        w.s2ap = (d >> 6) & 3;
        w.sh = (d >> 8) & 3;
        w.af = (d >> 10) & 1;
        w.xn = (d >> 54) & 1;
        return w;
    }
    return w;
}

/* Check one page against the model; false (once reported) on a mismatch. */
static bool check_page(const struct p2m *p2m, u64 ipa, enum kind want)
{
    struct walk w = walk(p2m, ipa);
    paddr_t lpa;
    enum p2m_type ltype;
    bool lfound = p2m_lookup(p2m, ipa, &lpa, &ltype);
    bool ok;

    if ( want == K_NONE )
        ok = !w.valid && !lfound;
    else if ( want == K_RAM )
        ok = w.valid && w.pa == ipa && w.memattr == 0xf && w.s2ap == 3 && w.sh == 3 &&
             w.af && !w.xn && lfound && lpa == ipa && ltype == P2M_RAM;
    else
        ok = w.valid && w.pa == ipa && w.memattr == 0x1 && w.s2ap == 3 && w.af && w.xn &&
             lfound && lpa == ipa && ltype == P2M_MMIO;
    CHECK(ok, "IPA %#llx: want %s, walk valid=%d pa=%#llx level=%u memattr=%#x s2ap=%u "
          "sh=%u af=%d xn=%d; lookup %d", (unsigned long long)ipa,
          want == K_NONE ? "unmapped" : want == K_RAM ? "RAM" : "MMIO", w.valid,
          (unsigned long long)w.pa, w.level, w.memattr, w.s2ap, w.sh, w.af, w.xn, lfound);
    return ok;
}

/* Map the regions, then walk every page of [0, span) against them. */
static void build_and_check(const char *name, const struct region *r, unsigned int n,
                            u64 span, unsigned int *max_tables)
{
    struct p2m p2m;
    unsigned int bad = 0;

    pool_reset();
    host_sysreg_mmfr0 = 2;                  /* PARange 40 bits */
    CHECK(p2m_init(&p2m, 1), "%s: init", name);
    for ( unsigned int i = 0; i < n; i++ )
        CHECK(p2m_map(&p2m, r[i].start, r[i].start, r[i].end - r[i].start,
                           r[i].kind == K_RAM ? P2M_RAM : P2M_MMIO),
              "%s: map %#llx-%#llx", name, (unsigned long long)r[i].start,
              (unsigned long long)r[i].end);
    for ( u64 ipa = 0; ipa < span && bad < 5; ipa += PAGE_SIZE )
        bad += !check_page(&p2m, ipa, model_at(r, n, ipa));
    CHECK(p2m.tables == pool_next, "%s: p2m.tables %u, pages taken %lu", name, p2m.tables,
          pool_next);
    if ( max_tables )
        CHECK(p2m.tables <= *max_tables, "%s: %u table pages, expected at most %u", name,
              p2m.tables, *max_tables);
}

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* A dom0-like map: QEMU virt's devices, 1 GiB of RAM minus hypcore's pages. */
static void test_dom0_like(void)
{
    static const struct region r[] = {
        { 0x08000000, 0x08010000, K_MMIO },     /* GICD */
        { 0x080a0000, 0x08100000, K_MMIO },     /* GICR */
        { 0x09000000, 0x09001000, K_MMIO },     /* PL011 */
        { 0x09010000, 0x09011000, K_MMIO },     /* PL031 */
        { 0x0a000000, 0x0a004000, K_MMIO },     /* virtio-mmio */
        { 0x40000000, 0x40200000, K_RAM },      /* below hypcore: one 2 MiB block */
        /* 0x40200000-0x40a00000: hypcore's image, unmapped */
        { 0x40a00000, 0x4ffff000, K_RAM },      /* ends a page short of 2 MiB */
        /* 0x4ffff000-0x50001000: hypcore's boot allocations */
        { 0x50001000, 0x80000000, K_RAM },
        { 0x100000000ULL, 0x140000000ULL, K_RAM },  /* a 1 GiB aligned bank: one block */
    };
    unsigned int max = 2 + 8;       /* root + a handful of level-2/3 tables */

    build_and_check("dom0-like", r, sizeof(r) / sizeof(r[0]), 0x180000000ULL, &max);
}

/* Two DT nodes sharing a page, mapped twice: the first mapping stays. */
static void test_overlap_and_limits(void)
{
    struct p2m p2m;
    paddr_t pa;
    enum p2m_type t;

    pool_reset();
    host_sysreg_mmfr0 = 2;
    CHECK(p2m_init(&p2m, 1), "init");
    CHECK(p2m_map(&p2m, 0x09000000, 0x09000000, 0x2000, P2M_MMIO), "map");
    CHECK(p2m_map(&p2m, 0x09001000, 0x09001000, 0x2000, P2M_MMIO), "map overlap");
    CHECK(p2m_lookup(&p2m, 0x09002000, &pa, &t) && pa == 0x09002000 && t == P2M_MMIO,
          "overlap's new page mapped");
    CHECK(p2m_map(&p2m, 0x40000000, 0x40000000, 2 * MiB, P2M_RAM), "RAM block");
    CHECK(p2m_map(&p2m, 0x40000000, 0x40000000, PAGE_SIZE, P2M_MMIO), "MMIO over RAM");
    CHECK(p2m_lookup(&p2m, 0x40000000, &pa, &t) && t == P2M_RAM,
          "a page inside an existing block keeps the block");
    /* Above the 40-bit IPA space (QEMU's high PCIe window ends at 1 TiB). */
    CHECK(!p2m_map(&p2m, 1ULL << 40, 1ULL << 40, PAGE_SIZE, P2M_MMIO), "beyond 40 bits");
    CHECK(!p2m_map(&p2m, (1ULL << 40) - PAGE_SIZE, (1ULL << 40) - PAGE_SIZE, 2 * PAGE_SIZE,
                        P2M_MMIO), "straddling 40 bits");
    CHECK(!p2m_lookup(&p2m, 1ULL << 40, &pa, &t), "lookup beyond 40 bits");
}

/* What p2m_init derives from ID_AA64MMFR0_EL1.PARange. */
static void test_init_registers(void)
{
    static const struct { u64 parange; unsigned int bits, pages, ps; } c[] = {
        { 0, 32, 1, 0 }, { 1, 36, 1, 1 }, { 2, 40, 2, 2 },
        { 4, 40, 2, 2 }, { 5, 40, 2, 2 }, { 6, 40, 2, 2 },     /* capped at 40 */
    };

    for ( unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++ )
    {
        struct p2m p2m;

        pool_reset();
        host_sysreg_mmfr0 = c[i].parange | (0xfULL << 60);  /* other fields ignored */
        CHECK(p2m_init(&p2m, 7), "init %u", i);
        CHECK(p2m.ipa_bits == c[i].bits && p2m.root_pages == c[i].pages,
              "PARange %llu: %u bits, %u root pages", (unsigned long long)c[i].parange,
              p2m.ipa_bits, p2m.root_pages);
        CHECK(p2m.root % (c[i].pages * PAGE_SIZE) == 0, "root aligned to its size");
        CHECK((p2m.vtcr & 0x3f) == 64 - c[i].bits, "T0SZ");
        CHECK(((p2m.vtcr >> 6) & 3) == 1, "SL0 = 1: walks start at level 1");
        CHECK(((p2m.vtcr >> 16) & 7) == c[i].ps, "PS");
        CHECK(((p2m.vtcr >> 8) & 0x3f) == 0x35, "IRGN0/ORGN0 WBWA, SH0 inner");
        CHECK(p2m.vtcr >> 31 & 1, "RES1 bit 31");
        CHECK(p2m.vttbr == (p2m.root | (7ULL << 48)), "VTTBR = root | VMID << 48");
        for ( unsigned int b = 0; b < c[i].pages * PAGE_SIZE; b++ )
            if ( ((unsigned char *)window_map(0, p2m.root))[b] )
            {
                CHECK(false, "root table not zeroed at byte %u", b);
                break;
            }
        arch_p2m_activate(&p2m);
        CHECK(host_sysreg_vtcr == p2m.vtcr && host_sysreg_vttbr == p2m.vttbr, "activate");
    }
    host_tlbi_count = 0;
    {
        struct p2m p2m = { 0 };

        arch_p2m_flush(&p2m);
    }
    CHECK(host_tlbi_count == 1, "flush invalidates once");
}

/* Seeded random maps: disjoint page-aligned regions of both kinds in 4 GiB. */
static void test_random(void)
{
    harness_rng_state = 0x5eed0f2b;
    for ( unsigned int round = 0; round < 12; round++ )
    {
        struct region r[12];
        unsigned int n = 0;
        u64 at = 0;
        char name[32];

        while ( n < 12 && at < 4 * GiB )
        {
            /* Gaps and sizes from a page to ~1.5 GiB, biased to block edges. */
            u64 gap = rnd_below(4) == 0 ? 0 : (rnd_below(1 << 18) + (rnd_below(3) ? 0 : 1)) * PAGE_SIZE;

            if ( rnd_below(2) )                 /* often start at a 2 MiB boundary */
                gap += (2 * MiB - (at + gap) % (2 * MiB)) % (2 * MiB);
            u64 size = rnd_below(2) ? (rnd_below(768) + 1) * 2 * MiB - rnd_below(2) * PAGE_SIZE
                                    : (rnd_below(64) + 1) * PAGE_SIZE;

            at += gap;
            if ( at + size > 4 * GiB )
                break;
            r[n].start = at;
            r[n].end = at + size;
            r[n].kind = rnd_below(2) ? K_RAM : K_MMIO;
            at += size;
            n++;
        }
        snprintf(name, sizeof(name), "random %u", round);
        build_and_check(name, r, n, 4 * GiB, NULL);
    }
}

int main(void)
{
    pool = aligned_alloc(PAGE_SIZE, (size_t)POOL_PAGES * PAGE_SIZE);
    if ( !pool )
        return 1;
    test_init_registers();
    test_dom0_like();
    test_overlap_and_limits();
    test_random();
    free(pool);
    return harness_exit("p2m");
}
