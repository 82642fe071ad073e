/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/p2m.c: stage-2 tables (include/p2m.h).
 *
 * 4 KiB granule, walks starting at level 1 (VTCR_EL2.SL0 = 1): with a 40-bit
 * IPA the level-1 table would need 1024 entries, so two level-1 tables are
 * concatenated (Arm ARM D8.2.5 "Concatenated translation tables for the
 * initial stage 2 lookup").  Descriptors: Arm ARM D8.3, stage-2 attributes
 * D8.5.5 (MemAttr, S2AP, SH, AF, XN).
 *
 * The tables are written through this CPU's mapping window; walks are
 * cacheable (VTCR_EL2 IRGN0/ORGN0 = WBWA, SH0 = inner), so no cache
 * maintenance is needed for the walker to see them, only a DSB.
 *
 * Registers and barriers only through <arch/sysregs.h>, so that
 * tests/unit/test-p2m.c can build this file for the host (with a stand-in
 * for that header) and walk the tables it writes.
 */
#include <arch/pgtable.h>
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <p2m.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <string.h>

/* Window slot for table pages (the pt_build slots are the top two). */
#define P2M_W_TABLE         2

/* Stage-2 descriptor fields (Arm ARM D8.5.5). */
#define S2_MEMATTR(x)       (_UL(x) << 2)
#define S2_MEMATTR_NORMAL_WB S2_MEMATTR(0xf)    /* outer WB, inner WB */
#define S2_MEMATTR_DEV_nGnRE S2_MEMATTR(0x1)
#define S2_MEMATTR_MASK     S2_MEMATTR(0xf)
#define S2_AP_RW            (_UL(3) << 6)
#define S2_SH_INNER         (_UL(3) << 8)
#define S2_AF               (_UL(1) << 10)
#define S2_XN               (_UL(1) << 54)      /* XN[1]: no execution at EL1 or EL0 */

#define S2_RAM              (S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER | S2_AF)
#define S2_MMIO             (S2_MEMATTR_DEV_nGnRE | S2_AP_RW | S2_AF | S2_XN)

#define P2M_START_LEVEL     1
#define P2M_MAX_IPA_BITS    40
/* One level-1 table translates 39 bits (512 x 1 GiB). */
#define P2M_L1_TABLE_BITS   (PT_LEVEL_SHIFT(1) + PT_ORDER)

/* VTCR_EL2 (Arm ARM D19.2.x): T0SZ, SL0, IRGN0, ORGN0, SH0, TG0, PS; bit 31 RES1. */
#define VTCR_T0SZ(bits)     (64 - (bits))
#define VTCR_SL0_L1         (_UL(1) << 6)
#define VTCR_IRGN0_WBWA     (_UL(1) << 8)
#define VTCR_ORGN0_WBWA     (_UL(1) << 10)
#define VTCR_SH0_INNER      (_UL(3) << 12)
#define VTCR_TG0_4K         (_UL(0) << 14)
#define VTCR_PS_SHIFT       16
#define VTCR_RES1           (_UL(1) << 31)
#define VTTBR_VMID_SHIFT    48

/* ID_AA64MMFR0_EL1.PARange encodings 0..5 -> bits (Arm ARM D19.2.64). */
static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48 };

bool arch_p2m_init(struct p2m *p2m, unsigned int vmid)
{
    u64 mmfr0;
    unsigned int pa_range, ps, i;
    paddr_t root;

    mmfr0 = sysreg_read(mmfr0);
    pa_range = mmfr0 & PARANGE_MASK;
    if ( pa_range >= ARRAY_SIZE(parange_bits) )
        pa_range = ARRAY_SIZE(parange_bits) - 1;
    /* The IPA size: what the CPU supports, at most 40 bits (PS must cover it). */
    ps = pa_range;
    while ( parange_bits[ps] > P2M_MAX_IPA_BITS )
        ps--;
    memset(p2m, 0, sizeof(*p2m));
    p2m->ipa_bits = parange_bits[ps];
    p2m->root_pages = p2m->ipa_bits > P2M_L1_TABLE_BITS
                      ? 1U << (p2m->ipa_bits - P2M_L1_TABLE_BITS) : 1;
    /* Concatenated tables are aligned to their total size: a buddy block is. */
    root = alloc_pages(p2m->root_pages == 2 ? 1 : 0);
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
    p2m->vtcr = VTCR_RES1 | VTCR_T0SZ(p2m->ipa_bits) | VTCR_SL0_L1 | VTCR_IRGN0_WBWA |
                VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
                ((u64)ps << VTCR_PS_SHIFT);
    p2m->vttbr = root | ((u64)vmid << VTTBR_VMID_SHIFT);
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
            t = alloc_pages(0);
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

bool arch_p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa, u64 size,
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

bool arch_p2m_lookup(const struct p2m *p2m, paddr_t ipa, paddr_t *pa,
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

void arch_p2m_activate(const struct p2m *p2m)
{
    sysreg_write(vtcr, p2m->vtcr);
    sysreg_write(vttbr, p2m->vttbr);
    isb();          /* the new VMID is current before any TLBI that names it */
}

void arch_p2m_flush(const struct p2m *p2m)
{
    (void)p2m;
    /*
     * TLB entries for this VMID may be left from firmware or an earlier
     * user of the VMID, and the architecture does not clear them at reset
     * (Arm ARM D8.16 "TLB maintenance requirements").  The tables were
     * written with ordinary stores: DSB ISHST makes them visible before the
     * invalidation, DSB ISH waits for it to finish on every CPU of the
     * inner-shareable domain, ISB before this CPU can walk again.
     */
    dsb(ishst);
    tlbi_vmid_all_is();
    dsb(ish);
    isb();
}
