/* SPDX-License-Identifier: MIT */
/*
 * Binary buddy page allocator (include/page_alloc.h).
 *
 * Metadata: one struct page_info per RAM page, banks packed one after the
 * other (a hole between banks costs nothing).  Free lists are doubly linked
 * through page indices in the metadata, so the free pages themselves are
 * never touched and need no mapping.
 *
 * Reserved pages: a page covered by several reserved ranges counts under
 * the type with the lowest enum mem_type value (firmware, then image, dtb,
 * module, boot).  The "heap:" line and the tests use that rule.
 */
#include <lib.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>

#define PAGE_NIL        0xffffffffU
#define ORDER_NONE      0xff
#define TYPE_UNSET      MEM_NR_TYPES

struct heap_bank {
    paddr_t start;      /* page aligned */
    u64 nr;             /* pages */
    u64 first;          /* index of its first page in pages[] */
};

static struct heap_bank banks[MEMMAP_MAX_RAM];
static unsigned int nr_banks;
static struct page_info *pages;
static u64 nr_pages;
static u32 free_head[HEAP_MAX_ORDER + 1];
static struct heap_stats stats;

static const struct heap_bank *bank_of_pa(paddr_t pa)
{
    unsigned int i;

    for ( i = 0; i < nr_banks; i++ )
        if ( pa >= banks[i].start &&
             pa - banks[i].start < (banks[i].nr << HEAP_PAGE_SHIFT) )
            return &banks[i];
    return NULL;
}

static u64 pa_to_idx(const struct heap_bank *b, paddr_t pa)
{
    return b->first + ((pa - b->start) >> HEAP_PAGE_SHIFT);
}

static paddr_t idx_to_pa(u64 idx)
{
    unsigned int i;

    for ( i = 0; i < nr_banks; i++ )
        if ( idx >= banks[i].first && idx - banks[i].first < banks[i].nr )
            return banks[i].start + ((idx - banks[i].first) << HEAP_PAGE_SHIFT);
    ASSERT(!"page index outside every bank");
    return PAGE_ALLOC_FAILED;
}

static void list_push(unsigned int order, u64 idx)
{
    struct page_info *pg = &pages[idx];

    pg->prev = PAGE_NIL;
    pg->next = free_head[order];
    if ( free_head[order] != PAGE_NIL )
        pages[free_head[order]].prev = (u32)idx;
    free_head[order] = (u32)idx;
}

static void list_del(unsigned int order, u64 idx)
{
    struct page_info *pg = &pages[idx];

    if ( pg->prev != PAGE_NIL )
        pages[pg->prev].next = pg->next;
    else
        free_head[order] = pg->next;
    if ( pg->next != PAGE_NIL )
        pages[pg->next].prev = pg->prev;
}

/*
 * Blocks are described by their head page alone: state and order.  Every
 * other page of a block keeps order = ORDER_NONE (set when the page stops
 * being a head, on a merge), so it can never pass for a head; the state of
 * such a page is stale and never read.  Only heap_init marks every page.
 */
static void set_head(u64 idx, unsigned int order, enum page_state state)
{
    pages[idx].state = state;
    pages[idx].order = order;
}

/*
 * Put the block at (b, pa, order) on the free lists, merging it with its
 * buddy as long as the buddy is a free block of the same order in the same
 * bank.
 */
static void free_block(const struct heap_bank *b, paddr_t pa, unsigned int order)
{
    set_head(pa_to_idx(b, pa), order, PAGE_FREE);
    while ( order < HEAP_MAX_ORDER )
    {
        paddr_t buddy = pa ^ (HEAP_PAGE_SIZE << order);
        u64 bidx;

        if ( buddy < b->start ||
             buddy - b->start >= (b->nr << HEAP_PAGE_SHIFT) )
            break;
        bidx = pa_to_idx(b, buddy);
        if ( pages[bidx].state != PAGE_FREE || pages[bidx].order != order )
            break;
        list_del(order, bidx);
        pages[bidx].order = ORDER_NONE;
        pages[pa_to_idx(b, pa)].order = ORDER_NONE;
        pa = MIN(pa, buddy);
        order++;
        pages[pa_to_idx(b, pa)].order = order;
    }
    list_push(order, pa_to_idx(b, pa));
}

/* Seed [r) (page aligned, inside bank b) as maximal aligned free blocks. */
static void seed_range(const struct heap_bank *b, const struct range *r)
{
    paddr_t pa = r->start;

    while ( pa < r->end )
    {
        unsigned int order = 0;

        while ( order < HEAP_MAX_ORDER &&
                IS_ALIGNED(pa, HEAP_PAGE_SIZE << (order + 1)) &&
                (r->end - pa) >= (HEAP_PAGE_SIZE << (order + 1)) )
            order++;
        u64 idx = pa_to_idx(b, pa), i;

        for ( i = 0; i < (1ULL << order); i++ )
        {
            pages[idx + i].state = PAGE_FREE;
            pages[idx + i].order = ORDER_NONE;
        }
        set_head(idx, order, PAGE_FREE);
        list_push(order, idx);
        pa += HEAP_PAGE_SIZE << order;
    }
}

u64 heap_metadata_size(const struct memmap *mm)
{
    u64 n = 0;
    unsigned int i;

    for ( i = 0; i < mm->nr_ram; i++ )
    {
        struct range r;

        if ( range_page_inner(&mm->ram[i].r, HEAP_PAGE_SIZE, &r) )
            n += (r.end - r.start) >> HEAP_PAGE_SHIFT;
    }
    return n * sizeof(struct page_info);
}

/* Give each reserved page the type it counts under (see the top comment). */
static void type_reserved_pages(const struct memmap *mm)
{
    unsigned int i;

    for ( i = 0; i < mm->nr_rsv; i++ )
    {
        const struct mem_region *reg = &mm->rsv[i];
        unsigned int j;

        for ( j = 0; j < nr_banks; j++ )
        {
            paddr_t bend = banks[j].start + (banks[j].nr << HEAP_PAGE_SHIFT);
            paddr_t s = MAX(ALIGN_DOWN(reg->r.start, HEAP_PAGE_SIZE), banks[j].start);
            paddr_t e = MIN(reg->r.end, bend);
            paddr_t pa;

            for ( pa = s; pa < e; pa += HEAP_PAGE_SIZE )
            {
                struct page_info *pg = &pages[pa_to_idx(&banks[j], pa)];

                if ( pg->state == PAGE_RESERVED && reg->type < pg->type )
                    pg->type = reg->type;
            }
        }
    }
}

bool heap_init(const struct memmap *mm, struct page_info *meta)
{
    struct range free[MEMMAP_MAX_RAM + MEMMAP_MAX_RESERVED];
    unsigned int i;
    int nfree;
    u64 idx;

    nr_banks = 0;
    nr_pages = 0;
    for ( i = 0; i < mm->nr_ram; i++ )
    {
        struct range r;

        if ( !range_page_inner(&mm->ram[i].r, HEAP_PAGE_SIZE, &r) )
            continue;
        banks[nr_banks].start = r.start;
        banks[nr_banks].nr = (r.end - r.start) >> HEAP_PAGE_SHIFT;
        banks[nr_banks].first = nr_pages;
        nr_pages += banks[nr_banks].nr;
        nr_banks++;
    }
    if ( !nr_pages )
        return false;
    /* Page indices are u32 in the lists: 16 TiB of RAM at most. */
    ASSERT(nr_pages < PAGE_NIL);

    pages = meta;
    for ( idx = 0; idx < nr_pages; idx++ )
    {
        pages[idx].state = PAGE_RESERVED;
        pages[idx].order = ORDER_NONE;
        pages[idx].type = TYPE_UNSET;
        pages[idx].pad = 0;             /* the metadata RAM held anything */
        pages[idx].next = pages[idx].prev = PAGE_NIL;
    }
    for ( i = 0; i <= HEAP_MAX_ORDER; i++ )
        free_head[i] = PAGE_NIL;

    nfree = memmap_free_ranges(mm, HEAP_PAGE_SIZE, free, ARRAY_SIZE(free));
    /* Each bank splits at most once per reserved range: the array is big enough. */
    ASSERT(nfree >= 0);
    memset(&stats, 0, sizeof(stats));
    stats.total = nr_pages;
    for ( i = 0; i < (unsigned int)nfree; i++ )
    {
        const struct heap_bank *b = bank_of_pa(free[i].start);

        ASSERT(b && free[i].end - b->start <= (b->nr << HEAP_PAGE_SHIFT));
        seed_range(b, &free[i]);
        stats.free += (free[i].end - free[i].start) >> HEAP_PAGE_SHIFT;
    }

    type_reserved_pages(mm);
    for ( idx = 0; idx < nr_pages; idx++ )
    {
        if ( pages[idx].state != PAGE_RESERVED )
            continue;
        /* Neither free nor covered by a reserved range: a range-arithmetic bug. */
        ASSERT(pages[idx].type != TYPE_UNSET);
        stats.reserved++;
        stats.by_type[pages[idx].type]++;
    }
    ASSERT(stats.free + stats.reserved == stats.total);
    return true;
}

paddr_t alloc_pages(unsigned int order)
{
    unsigned int k;
    u64 idx;

    if ( order > HEAP_MAX_ORDER )
        return PAGE_ALLOC_FAILED;
    for ( k = order; k <= HEAP_MAX_ORDER && free_head[k] == PAGE_NIL; k++ )
        ;
    if ( k > HEAP_MAX_ORDER )
        return PAGE_ALLOC_FAILED;
    idx = free_head[k];
    list_del(k, idx);
    /* Split: the upper halves go back on the lists. */
    while ( k > order )
    {
        k--;
        set_head(idx + (1ULL << k), k, PAGE_FREE);
        list_push(k, idx + (1ULL << k));
    }
    set_head(idx, order, PAGE_ALLOCATED);
    stats.free -= 1ULL << order;
    stats.allocated += 1ULL << order;
    return idx_to_pa(idx);
}

void free_pages(paddr_t pa, unsigned int order)
{
    const struct heap_bank *b = bank_of_pa(pa);
    u64 idx;

    ASSERT(b != NULL);                          /* not a RAM page of the heap */
    idx = pa_to_idx(b, pa);
    ASSERT(pages[idx].state == PAGE_ALLOCATED); /* double free or never allocated */
    ASSERT(pages[idx].order == order);          /* not the block alloc_pages() gave */
    free_block(b, pa, order);
    stats.free += 1ULL << order;
    stats.allocated -= 1ULL << order;
}

u64 heap_release_range(const struct memmap *mm, const struct range *r)
{
    paddr_t pa;
    u64 n = 0;

    for ( pa = ALIGN_DOWN(r->start, HEAP_PAGE_SIZE); pa < r->end; pa += HEAP_PAGE_SIZE )
    {
        struct range page = { pa, pa + HEAP_PAGE_SIZE };
        const struct heap_bank *b = bank_of_pa(pa);
        struct page_info *pg;

        if ( !b || memmap_find_overlap(mm, &page, ~0U) )
            continue;   /* outside the heap, or still reserved for something else */
        pg = &pages[pa_to_idx(b, pa)];
        ASSERT(pg->state == PAGE_RESERVED && pg->type == MEM_MODULE);
        free_block(b, pa, 0);
        stats.free++;
        stats.reserved--;
        stats.by_type[MEM_MODULE]--;
        n++;
    }
    return n;
}

bool heap_selftest_mark(paddr_t pa, unsigned int order)
{
    const struct heap_bank *b = bank_of_pa(pa);
    u64 i, idx;
    bool ok = true;

    ASSERT(b);
    idx = pa_to_idx(b, pa);
    for ( i = 0; i < (1ULL << order); i++ )
    {
        if ( pages[idx + i].pad )
            ok = false;
        pages[idx + i].pad = 1;
    }
    return ok;
}

void heap_selftest_free_marked(void)
{
    unsigned int i;

    for ( i = 0; i < nr_banks; i++ )
    {
        u64 j;

        for ( j = 0; j < banks[i].nr; j++ )
        {
            struct page_info *pg = &pages[banks[i].first + j];

            if ( !pg->pad )
                continue;
            pg->pad = 0;
            if ( pg->state == PAGE_ALLOCATED && pg->order != ORDER_NONE )
                free_pages(banks[i].start + (j << HEAP_PAGE_SHIFT), pg->order);
        }
    }
}

void heap_get_stats(struct heap_stats *st)
{
    *st = stats;
}

void heap_print_stats(void)
{
    printk("heap: total=%llu free=%llu reserved=%llu module=%llu image=%llu "
           "dtb=%llu firmware=%llu boot=%llu\n",
           (unsigned long long)stats.total, (unsigned long long)stats.free,
           (unsigned long long)stats.reserved,
           (unsigned long long)stats.by_type[MEM_MODULE],
           (unsigned long long)stats.by_type[MEM_IMAGE],
           (unsigned long long)stats.by_type[MEM_DTB],
           (unsigned long long)stats.by_type[MEM_FIRMWARE],
           (unsigned long long)stats.by_type[MEM_BOOT]);
}
