/* SPDX-License-Identifier: MIT */
/*
 * Binary buddy page allocator (include/page_alloc.h).
 *
 * Metadata: one struct page_info per RAM page, banks packed one after the
 * other (a hole between banks costs nothing), then a bitmap with one bit per
 * page saying which pages head a block.  Free lists are doubly linked
 * through page indices in the metadata, so the free pages themselves are
 * never touched and need no mapping.  Only block heads' page_info is ever
 * written or read (the header says what every other page's state is
 * derived from).
 *
 * Reserved pages: the RAM that reserved ranges cover (each grown to whole
 * pages) is kept as a short sorted list of typed extents.  A page covered by
 * several reserved ranges counts under the type with the lowest enum
 * mem_type value (firmware, then image, dtb, module, boot).  The "heap:" line
 * and the tests use that rule.
 */
#include <lib.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>

#define PAGE_NIL        0xffffffffU
#define META_ALIGN      64              /* a cache line; DC ZVA blocks on QEMU */
#define BITS_PER_WORD   64

struct heap_bank {
    paddr_t start;      /* page aligned */
    u64 nr;             /* pages */
    u64 first;          /* index of its first page in pages[] */
};

/* Reserved RAM: [start, end) page aligned, disjoint, ascending. */
struct heap_extent {
    paddr_t start;
    paddr_t end;
    enum mem_type type;
};

/*
 * Cuts per bank: its two ends and two per reserved range give at most
 * 2 * MEMMAP_MAX_RESERVED + 1 pieces, so as many extents per bank; a module
 * release splits an extent at most twice per range still covering it.
 */
#define HEAP_MAX_EXTENTS    (4 * MEMMAP_MAX_RESERVED + 2 * MEMMAP_MAX_RAM)

static struct heap_bank banks[MEMMAP_MAX_RAM];
static unsigned int nr_banks;
static struct page_info *pages;
static u64 *heads;                      /* bit i: page i heads a block */
static u64 nr_pages;
static paddr_t heap_end;                /* the end of the highest bank */
static u32 free_head[HEAP_MAX_ORDER + 1];
static struct heap_extent extents[HEAP_MAX_EXTENTS];
static unsigned int nr_extents;
static struct heap_stats stats;

static u64 page_info_bytes(u64 n)
{
    return ALIGN_UP(n * sizeof(struct page_info), META_ALIGN);
}

static u64 bitmap_bytes(u64 n)
{
    return ALIGN_UP(ALIGN_UP(n, BITS_PER_WORD) / 8, META_ALIGN);
}

static bool is_head(u64 idx)
{
    return (heads[idx / BITS_PER_WORD] >> (idx % BITS_PER_WORD)) & 1;
}

static void clear_head(u64 idx)
{
    heads[idx / BITS_PER_WORD] &= ~(1ULL << (idx % BITS_PER_WORD));
}

/* Make page idx the head of a block of this order and state. */
static void set_head(u64 idx, unsigned int order, enum page_state state)
{
    heads[idx / BITS_PER_WORD] |= 1ULL << (idx % BITS_PER_WORD);
    pages[idx].state = state;
    pages[idx].order = order;
}

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
 * Put the block at (b, pa, order) on the free lists, merging it with its
 * buddy as long as the buddy is a free block of the same order in the same
 * bank.  A merged block's upper half stops being a head.
 */
static void free_block(const struct heap_bank *b, paddr_t pa, unsigned int order)
{
    while ( order < HEAP_MAX_ORDER )
    {
        paddr_t buddy = pa ^ (HEAP_PAGE_SIZE << order);
        u64 bidx;

        if ( buddy < b->start ||
             buddy - b->start >= (b->nr << HEAP_PAGE_SHIFT) )
            break;
        bidx = pa_to_idx(b, buddy);
        if ( !is_head(bidx) || pages[bidx].state != PAGE_FREE || pages[bidx].order != order )
            break;
        list_del(order, bidx);
        clear_head(MAX(bidx, pa_to_idx(b, pa)));
        pa = MIN(pa, buddy);
        order++;
    }
    set_head(pa_to_idx(b, pa), order, PAGE_FREE);
    list_push(order, pa_to_idx(b, pa));
}

/* Seed [r) (page aligned, inside bank b) as maximal aligned free blocks. */
static void seed_range(const struct heap_bank *b, const struct range *r)
{
    paddr_t pa = r->start;

    while ( pa < r->end )
    {
        unsigned int order = 0;
        u64 idx = pa_to_idx(b, pa);

        while ( order < HEAP_MAX_ORDER &&
                IS_ALIGNED(pa, HEAP_PAGE_SIZE << (order + 1)) &&
                (r->end - pa) >= (HEAP_PAGE_SIZE << (order + 1)) )
            order++;
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
    return page_info_bytes(n) + bitmap_bytes(n);
}

/* Append reserved piece r of this type, merged with the last extent if they touch. */
static void add_extent(const struct range *r, enum mem_type type)
{
    struct heap_extent *last = nr_extents ? &extents[nr_extents - 1] : NULL;

    if ( last && last->end == r->start && last->type == type )
        last->end = r->end;
    else
    {
        ASSERT(nr_extents < HEAP_MAX_EXTENTS);
        extents[nr_extents].start = r->start;
        extents[nr_extents].end = r->end;
        extents[nr_extents].type = type;
        nr_extents++;
    }
    stats.reserved += (r->end - r->start) >> HEAP_PAGE_SHIFT;
    stats.by_type[type] += (r->end - r->start) >> HEAP_PAGE_SHIFT;
}

/*
 * Split bank b at every end of a reserved range (`outer`: the n ranges
 * grown to whole pages); each piece between two cuts is covered by a
 * reserved range wholly or not at all: free pieces are seeded, the others
 * become extents of the lowest type covering them.
 */
static void scan_bank(const struct memmap *mm, const struct range *outer, unsigned int n,
                      const struct heap_bank *b)
{
    paddr_t cut[2 * MEMMAP_MAX_RESERVED + 2], bend = b->start + (b->nr << HEAP_PAGE_SHIFT);
    unsigned int nc = 0, i, j;

    cut[nc++] = b->start;
    cut[nc++] = bend;
    for ( i = 0; i < n; i++ )
        if ( outer[i].start < bend && b->start < outer[i].end )
        {
            cut[nc++] = MAX(outer[i].start, b->start);
            cut[nc++] = MIN(outer[i].end, bend);
        }
    for ( i = 1; i < nc; i++ )                  /* insertion sort: nc is small */
        for ( j = i; j > 0 && cut[j - 1] > cut[j]; j-- )
        {
            paddr_t t = cut[j];

            cut[j] = cut[j - 1];
            cut[j - 1] = t;
        }
    for ( i = 0; i + 1 < nc; i++ )
    {
        struct range piece = { cut[i], cut[i + 1] };
        enum mem_type type = MEM_NR_TYPES;

        if ( piece.start == piece.end )
            continue;
        for ( j = 0; j < n; j++ )
            if ( range_overlaps(&outer[j], &piece) && mm->rsv[j].type < type )
                type = mm->rsv[j].type;
        if ( type == MEM_NR_TYPES )
        {
            seed_range(b, &piece);
            stats.free += (piece.end - piece.start) >> HEAP_PAGE_SHIFT;
        }
        else
            add_extent(&piece, type);
    }
}

bool heap_init(const struct memmap *mm, void *meta)
{
    struct range outer[MEMMAP_MAX_RESERVED];
    unsigned int i;

    nr_banks = 0;
    nr_pages = 0;
    heap_end = 0;
    for ( i = 0; i < mm->nr_ram; i++ )
    {
        struct range r;

        if ( !range_page_inner(&mm->ram[i].r, HEAP_PAGE_SIZE, &r) )
            continue;
        banks[nr_banks].start = r.start;
        banks[nr_banks].nr = (r.end - r.start) >> HEAP_PAGE_SHIFT;
        banks[nr_banks].first = nr_pages;
        nr_pages += banks[nr_banks].nr;
        heap_end = MAX(heap_end, r.end);
        nr_banks++;
    }
    if ( !nr_pages )
        return false;
    /* Page indices are u32 in the lists: 16 TiB of RAM at most. */
    ASSERT(nr_pages < PAGE_NIL);
    ASSERT(IS_ALIGNED((uintptr_t)meta, META_ALIGN));

    pages = meta;
    heads = (u64 *)((char *)meta + page_info_bytes(nr_pages));
    memset(heads, 0, bitmap_bytes(nr_pages));
    for ( i = 0; i <= HEAP_MAX_ORDER; i++ )
        free_head[i] = PAGE_NIL;
    memset(&stats, 0, sizeof(stats));
    stats.total = nr_pages;
    nr_extents = 0;

    for ( i = 0; i < mm->nr_rsv; i++ )
        if ( !range_page_outer(&mm->rsv[i].r, HEAP_PAGE_SIZE, &outer[i]) )
        {
            /* Reaches the top of the address space: reserve up to it. */
            outer[i].start = ALIGN_DOWN(mm->rsv[i].r.start, HEAP_PAGE_SIZE);
            outer[i].end = ~(paddr_t)0;
        }
    for ( i = 0; i < nr_banks; i++ )
        scan_bank(mm, outer, mm->nr_rsv, &banks[i]);
    ASSERT(stats.free + stats.reserved == stats.total);
    return true;
}

/* The extent holding pa, or NULL (pa is free or allocated). */
static struct heap_extent *extent_of(paddr_t pa)
{
    unsigned int i;

    for ( i = 0; i < nr_extents; i++ )
        if ( pa >= extents[i].start && pa < extents[i].end )
            return &extents[i];
    return NULL;
}

/* Take the page at pa out of extent e (splitting it if pa is inside). */
static void extent_take_page(struct heap_extent *e, paddr_t pa)
{
    unsigned int at = (unsigned int)(e - extents);

    if ( pa == e->start )
        e->start += HEAP_PAGE_SIZE;
    else if ( pa + HEAP_PAGE_SIZE == e->end )
        e->end = pa;
    else
    {
        ASSERT(nr_extents < HEAP_MAX_EXTENTS);
        memmove(&extents[at + 1], &extents[at], (nr_extents - at) * sizeof(*e));
        nr_extents++;
        extents[at].end = pa;
        extents[at + 1].start = pa + HEAP_PAGE_SIZE;
        return;
    }
    if ( e->start == e->end )
    {
        memmove(&extents[at], &extents[at + 1], (nr_extents - at - 1) * sizeof(*e));
        nr_extents--;
    }
}

/* Take free block idx (order k) off its list and split it down to order. */
static paddr_t take_block(unsigned int k, u64 idx, unsigned int order)
{
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

paddr_t alloc_pages(unsigned int order)
{
    unsigned int k;

    if ( order > HEAP_MAX_ORDER )
        return PAGE_ALLOC_FAILED;
    for ( k = order; k <= HEAP_MAX_ORDER && free_head[k] == PAGE_NIL; k++ )
        ;
    if ( k > HEAP_MAX_ORDER )
        return PAGE_ALLOC_FAILED;
    return take_block(k, free_head[k], order);
}

/*
 * The smallest order first, and on each list the first block whose lowest
 * 2^order pages end at or below limit: a split keeps the lowest part.  The
 * lists are walked, so the cost grows with the free blocks passed over
 * (few at boot: the heap is seeded with maximal blocks).
 */
paddr_t alloc_pages_below(unsigned int order, paddr_t limit)
{
    unsigned int k;
    u32 idx;

    if ( limit >= heap_end )
        return alloc_pages(order);      /* every block qualifies: no walk */
    if ( order > HEAP_MAX_ORDER )
        return PAGE_ALLOC_FAILED;
    for ( k = order; k <= HEAP_MAX_ORDER; k++ )
        for ( idx = free_head[k]; idx != PAGE_NIL; idx = pages[idx].next )
        {
            paddr_t pa = idx_to_pa(idx);

            if ( pa < limit && limit - pa >= (HEAP_PAGE_SIZE << order) )
                return take_block(k, idx, order);
        }
    return PAGE_ALLOC_FAILED;
}

void free_pages(paddr_t pa, unsigned int order)
{
    const struct heap_bank *b = bank_of_pa(pa);
    u64 idx;

    ASSERT(b != NULL);                          /* not a RAM page of the heap */
    idx = pa_to_idx(b, pa);
    ASSERT(is_head(idx));                       /* inside a block, or reserved */
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
        struct heap_extent *e;

        if ( !b || memmap_find_overlap(mm, &page, ~0U) )
            continue;   /* outside the heap, or still reserved for something else */
        e = extent_of(pa);
        /* Free, allocated, or released already: not a module's page. */
        ASSERT(e && e->type == MEM_MODULE);
        extent_take_page(e, pa);
        free_block(b, pa, 0);
        stats.free++;
        stats.reserved--;
        stats.by_type[MEM_MODULE]--;
        n++;
    }
    return n;
}

void heap_selftest_begin(void)
{
    u64 i;

    for ( i = 0; i < nr_pages; i++ )
        pages[i].pad = 0;
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
            if ( is_head(banks[i].first + j) && pg->state == PAGE_ALLOCATED )
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
