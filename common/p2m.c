/* SPDX-License-Identifier: MIT */
/*
 * common/p2m.c: stage-2 tables (include/p2m.h), the same on both arches.
 *
 * arm64 (VMSAv8-64) and arm32 with LPAE (VMSAv7 long descriptors) share the
 * stage-2 format hypcore uses: a 4 KiB granule, 64-bit descriptors, walks
 * starting at level 1 (VTCR.SL0 = 1).  With a 40-bit IPA the level-1 table
 * would need 1024 entries, so two level-1 tables are concatenated (Arm ARM
 * D8.2.5 "Concatenated translation tables for the initial stage 2 lookup";
 * ARMv7: B3.6.6).  Descriptors: D8.3 / B3.6.1; stage-2 attributes D8.5.5 /
 * B3.6.2 (MemAttr, S2AP, SH, AF, XN: the same bit positions in both).
 * What differs, the registers that point the CPU at the tables, is
 * arch/<arch>/p2m.c.
 *
 * The tables are written through this CPU's mapping window; walks are
 * cacheable (VTCR IRGN0/ORGN0 = WBWA, SH0 = inner), so no cache maintenance
 * is needed for the walker to see them, only a DSB.
 */
#include <arch/pgtable.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <p2m.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <string.h>

/* Window slot for table pages (the pt_build slots are the top two). */
#define P2M_W_TABLE         2

/* Stage-2 descriptor fields (Arm ARM D8.5.5; ARMv7 B3.6.2). */
#define S2_MEMATTR(x)       (_UL(x) << 2)
#define S2_MEMATTR_NORMAL_WB S2_MEMATTR(0xf)    /* outer WB, inner WB */
#define S2_MEMATTR_DEV_nGnRE S2_MEMATTR(0x1)
#define S2_MEMATTR_MASK     S2_MEMATTR(0xf)
#define S2_AP_RW            (_UL(3) << 6)
#define S2_SH_INNER         (_UL(3) << 8)
#define S2_AF               (_UL(1) << 10)
#define S2_XN               (_UL(1) << 54)      /* XN (arm64 XN[1]): no execution at PL1/PL0 */

#define S2_RAM              (S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER | S2_AF)
#define S2_MMIO             (S2_MEMATTR_DEV_nGnRE | S2_AP_RW | S2_AF | S2_XN)

#define P2M_START_LEVEL     1
/* One level-1 table translates 39 bits (512 x 1 GiB). */
#define P2M_L1_TABLE_BITS   (PT_LEVEL_SHIFT(1) + PT_ORDER)

bool p2m_init(struct p2m *p2m, unsigned int vmid)
{
    unsigned int i;
    paddr_t root;

    memset(p2m, 0, sizeof(*p2m));
    p2m->ipa_bits = arch_p2m_ipa_bits();
    ASSERT(p2m->ipa_bits <= P2M_MAX_IPA_BITS && p2m->ipa_bits > PT_LEVEL_SHIFT(1));
    p2m->root_pages = p2m->ipa_bits > P2M_L1_TABLE_BITS
                      ? 1U << (p2m->ipa_bits - P2M_L1_TABLE_BITS) : 1;
    /* Concatenated tables are aligned to their total size: a buddy block is. */
    root = alloc_pages_below(p2m->root_pages == 2 ? 1 : 0, ARCH_TABLE_PA_LIMIT);
    if ( root == PAGE_ALLOC_FAILED )
        return false;
    for ( i = 0; i < p2m->root_pages; i++ )
    {
        memset(window_map(P2M_W_TABLE, root + i * PAGE_SIZE), 0, PAGE_SIZE);
        window_unmap(P2M_W_TABLE);
    }
    p2m->root = root;
    p2m->tables = p2m->root_pages;
    p2m->vmid = vmid;
    arch_p2m_regs(p2m);
    return true;
}

/* Entry idx of the table at pa (any of the concatenated root pages). */
static u64 *entry_map(paddr_t table, unsigned long idx)
{
    u64 *t = window_map(P2M_W_TABLE, table + (idx / PT_ENTRIES) * PAGE_SIZE);

    return &t[idx % PT_ENTRIES];
}

static void entry_unmap(void)
{
    window_unmap(P2M_W_TABLE);
}

/* The index of ipa in a table at level lvl (the root takes every bit above). */
static unsigned long p2m_index(unsigned int lvl, paddr_t ipa)
{
    if ( lvl == P2M_START_LEVEL )
        return ipa >> PT_LEVEL_SHIFT(lvl);
    return pt_index(lvl, ipa);
}

/* Map one block or page at level lvl; make intermediate tables as needed. */
static bool map_one(struct p2m *p2m, paddr_t ipa, paddr_t pa, unsigned int lvl, u64 attr)
{
    paddr_t table = p2m->root;
    unsigned int l;

    for ( l = P2M_START_LEVEL; l < lvl; l++ )
    {
        u64 *e = entry_map(table, p2m_index(l, ipa));
        u64 v = *e;

        if ( !(v & PTE_VALID) )
        {
            paddr_t t;

            entry_unmap();
            t = alloc_pages_below(0, ARCH_TABLE_PA_LIMIT);
            if ( t == PAGE_ALLOC_FAILED )
                return false;
            memset(window_map(P2M_W_TABLE, t), 0, PAGE_SIZE);
            window_unmap(P2M_W_TABLE);
            p2m->tables++;
            e = entry_map(table, p2m_index(l, ipa));
            /* The zeroed table is visible to walks before the entry linking it. */
            dsb(ishst);
            v = t | TABLE_DESC;
            write_pte(e, v);
        }
        entry_unmap();
        if ( !(v & PTE_TABLE) )
            return true;            /* a block already covers it: leave it */
        table = v & PTE_ADDR_MASK;
    }
    {
        u64 *e = entry_map(table, p2m_index(lvl, ipa));

        if ( !(*e & PTE_VALID) )
            write_pte(e, (pa & PTE_ADDR_MASK) | attr | PTE_VALID |
                         (lvl == PT_LAST_LEVEL ? PTE_PAGE : 0));
        entry_unmap();
    }
    return true;
}

/* Is a block at level lvl free to use: nothing below it yet (a table)? */
static bool block_free(const struct p2m *p2m, paddr_t ipa, unsigned int lvl)
{
    paddr_t table = p2m->root;
    unsigned int l;

    for ( l = P2M_START_LEVEL; l <= lvl; l++ )
    {
        u64 v = *entry_map(table, p2m_index(l, ipa));

        entry_unmap();
        if ( !(v & PTE_VALID) )
            return true;
        if ( l == lvl || !(v & PTE_TABLE) )
            return false;
        table = v & PTE_ADDR_MASK;
    }
    return false;
}

bool p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa, u64 size,
                  enum p2m_type type)
{
    u64 attr = type == P2M_RAM ? S2_RAM : S2_MMIO;

    ASSERT(IS_ALIGNED(ipa | pa | size, PAGE_SIZE));
    if ( ipa + size < ipa || ipa + size > (1ULL << p2m->ipa_bits) )
        return false;
    while ( size )
    {
        unsigned int lvl;

        /* Levels 1 and 2 hold blocks (1 GiB, 2 MiB) with a 4 KiB granule. */
        for ( lvl = P2M_START_LEVEL; lvl < PT_LAST_LEVEL; lvl++ )
        {
            u64 blk = PT_LEVEL_SIZE(lvl);

            if ( IS_ALIGNED(ipa | pa, blk) && size >= blk && block_free(p2m, ipa, lvl) )
                break;
        }
        if ( !map_one(p2m, ipa, pa, lvl, attr) )
            return false;
        ipa += PT_LEVEL_SIZE(lvl);
        pa += PT_LEVEL_SIZE(lvl);
        size -= PT_LEVEL_SIZE(lvl);
    }
    dsb(ishst);     /* every descriptor written before a walk can use them */
    return true;
}

bool p2m_lookup(const struct p2m *p2m, paddr_t ipa, paddr_t *pa,
                     enum p2m_type *type)
{
    paddr_t table = p2m->root;
    unsigned int l;

    if ( ipa >= (1ULL << p2m->ipa_bits) )
        return false;
    for ( l = P2M_START_LEVEL; l <= PT_LAST_LEVEL; l++ )
    {
        u64 v = *entry_map(table, p2m_index(l, ipa));

        entry_unmap();
        if ( !(v & PTE_VALID) )
            return false;
        if ( l < PT_LAST_LEVEL && (v & PTE_TABLE) )
        {
            table = v & PTE_ADDR_MASK;
            continue;
        }
        *pa = (v & PTE_ADDR_MASK & ~(PT_LEVEL_SIZE(l) - 1)) | (ipa & (PT_LEVEL_SIZE(l) - 1));
        *type = (v & S2_MEMATTR_MASK) == S2_MEMATTR_NORMAL_WB ? P2M_RAM : P2M_MMIO;
        return true;
    }
    return false;
}

/* Window slots of the leaf walk, one per level (P2M_W_TABLE is the writer's). */
#define P2M_W_WALK(lvl)     (8 + (lvl))

static unsigned long walk_leaves(paddr_t table, unsigned int lvl, paddr_t ipa_base,
                                 unsigned int entries,
                                 void (*fn)(const struct p2m_leaf *, void *), void *ctx)
{
    unsigned long found = 0;
    const u64 *t = NULL;
    unsigned int i;

    /* One page of this level mapped at a time; the levels below use their own slots. */
    for ( i = 0; i < entries; i++ )
    {
        paddr_t ipa = ipa_base + ((paddr_t)i << PT_LEVEL_SHIFT(lvl));
        struct p2m_leaf leaf;
        u64 v;

        if ( i % PT_ENTRIES == 0 )
        {
            if ( t )
                window_unmap(P2M_W_WALK(lvl));
            t = window_map(P2M_W_WALK(lvl), table + (i / PT_ENTRIES) * PAGE_SIZE);
        }
        v = t[i % PT_ENTRIES];
        if ( !(v & PTE_VALID) )
            continue;
        if ( lvl < PT_LAST_LEVEL && (v & PTE_TABLE) )
        {
            found += walk_leaves(v & PTE_ADDR_MASK, lvl + 1, ipa, PT_ENTRIES, fn, ctx);
            continue;
        }
        leaf.ipa = ipa;
        leaf.size = PT_LEVEL_SIZE(lvl);
        leaf.pa = v & PTE_ADDR_MASK & ~(leaf.size - 1);
        leaf.desc = v;
        leaf.type = (v & S2_MEMATTR_MASK) == S2_MEMATTR_NORMAL_WB ? P2M_RAM : P2M_MMIO;
        leaf.xn = v & S2_XN;
        leaf.reserved = lvl == PT_LAST_LEVEL && !(v & PTE_PAGE);
        fn(&leaf, ctx);
        found++;
    }
    window_unmap(P2M_W_WALK(lvl));
    return found;
}

unsigned long p2m_for_each_leaf(const struct p2m *p2m,
                                void (*fn)(const struct p2m_leaf *leaf, void *ctx), void *ctx)
{
    return walk_leaves(p2m->root, P2M_START_LEVEL, 0,
                       (unsigned int)(1ULL << (p2m->ipa_bits - PT_LEVEL_SHIFT(P2M_START_LEVEL))),
                       fn, ctx);
}
