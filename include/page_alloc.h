/* SPDX-License-Identifier: MIT */
/*
 * The page allocator: a binary buddy allocator over per-page metadata for
 * every RAM bank (holes between banks cost no metadata).
 *
 * Life cycle (boot CPU):
 *   heap_init(mm, metadata)   RAM pages not covered by a reserved range become
 *                             free blocks; the others are RESERVED, with the
 *                             type of the range covering them; the total is
 *                             frozen from here on
 *   alloc_pages / free_pages  the heap
 *   heap_release_range()      give a boot module's pages back once dom0 no
 *                             longer needs them; each must be RESERVED as a
 *                             module (asserted)
 *
 * Pages are 4 KiB; blocks are naturally aligned in physical address space
 * and go up to order HEAP_MAX_ORDER (1 GiB).
 *
 * heap_init costs the same whatever the RAM size, apart from zeroing one bit
 * per page: nothing is written per page.  Each page's state is derived so:
 *   - a page is the head of a block (free or allocated) iff its bit in the
 *     head bitmap is set; only then are its page_info's state, order and
 *     (free blocks) list links meaningful: they were written with the bit;
 *   - a page that is no head lies inside a block that has a head below it,
 *     or is RESERVED: reserved pages are kept as typed extents (a few
 *     ranges, from the memory map), never per page;
 *   - the statistics are sums over the ranges and blocks, never a page scan.
 * So the metadata RAM may hold anything when heap_init starts, except the
 * head bitmap, which heap_init zeroes (1/96 of the metadata).
 */
#ifndef HYPCORE_PAGE_ALLOC_H
#define HYPCORE_PAGE_ALLOC_H

#include <memmap.h>
#include <types.h>

#define HEAP_PAGE_SHIFT     12
#define HEAP_PAGE_SIZE      (1ULL << HEAP_PAGE_SHIFT)
#define HEAP_MAX_ORDER      18          /* 2^18 pages = 1 GiB */

/* What alloc_pages() returns when no block of the order is left. */
#define PAGE_ALLOC_FAILED   (~(paddr_t)0)

/* The state of a block head (page_info.state; valid only with its head bit). */
enum page_state {
    PAGE_FREE = 1,
    PAGE_ALLOCATED,
};

struct page_info {
    u32 next;       /* free block heads: list links (page index), PAGE_NIL at the ends */
    u32 prev;
    u8 state;       /* block heads: enum page_state */
    u8 order;       /* block heads: the block's order */
    u8 pad;         /* unused by the allocator: heap_selftest_mark() */
    u8 unused;
};

/*
 * Bytes of metadata heap_init() needs for the RAM in mm: a page_info per
 * page, then the head bitmap (one bit per page), each 64-byte aligned.
 */
u64 heap_metadata_size(const struct memmap *mm);

/*
 * heap_init: build the heap from the memory map.  `meta` (64-byte aligned)
 * must hold heap_metadata_size(mm) bytes, of any content, and must itself be
 * recorded in mm as MEM_BOOT if it lies in RAM.  Returns false if mm has no
 * whole RAM page.
 */
bool heap_init(const struct memmap *mm, void *meta);

/* A naturally aligned block of 2^order pages, or PAGE_ALLOC_FAILED. */
paddr_t alloc_pages(unsigned int order);

/*
 * alloc_pages_below: as alloc_pages(), but the block ends at or below limit
 * (a physical address); PAGE_ALLOC_FAILED when no free block has its lowest
 * 2^order pages there.  For tables a walker must reach at a narrower
 * physical address (ARCH_TABLE_PA_LIMIT).
 */
paddr_t alloc_pages_below(unsigned int order, paddr_t limit);

/* Free a block from alloc_pages(); pa and order must match (asserted). */
void free_pages(paddr_t pa, unsigned int order);

/*
 * heap_release_range: give back the pages of reserved range r (type MEM_MODULE)
 * that no other range in mm still covers; mm must no longer list r.  Every
 * page given back must be RESERVED as a module (asserted).  Returns the
 * number of pages given back.
 */
u64 heap_release_range(const struct memmap *mm, const struct range *r);

/*
 * For selftest=heap only: clear every page's mark (begin), mark the pages of
 * an allocated block as handed out to the self-test (false if one already
 * was), and free every block so marked.  The mark lives in page_info.pad,
 * which the allocator never uses.
 */
void heap_selftest_begin(void);
bool heap_selftest_mark(paddr_t pa, unsigned int order);
void heap_selftest_free_marked(void);

struct heap_stats {
    u64 total;                      /* RAM pages, frozen after heap_init */
    u64 free;
    u64 allocated;
    u64 reserved;
    u64 by_type[MEM_NR_TYPES];      /* reserved pages by the type they count under */
};

void heap_get_stats(struct heap_stats *st);

/* "heap: total=... free=... reserved=... module=... image=... dtb=... firmware=... boot=..." */
void heap_print_stats(void);

#endif
