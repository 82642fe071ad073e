/* SPDX-License-Identifier: MIT */
/*
 * The page allocator: a binary buddy allocator over per-page metadata for
 * every RAM bank (holes between banks cost no metadata).
 *
 * Life cycle (boot CPU):
 *   heap_init(mm, metadata)   every RAM page becomes RESERVED (with the type
 *                             of the range covering it) or FREE; the total
 *                             is frozen from here on
 *   alloc_pages / free_pages  the heap
 *   heap_release_range()      give a boot module's pages back once dom0 no
 *                             longer needs them; each must be RESERVED as a
 *                             module (asserted)
 *
 * Pages are 4 KiB; blocks are naturally aligned in physical address space
 * and go up to order HEAP_MAX_ORDER (1 GiB).
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

enum page_state {
    PAGE_FREE = 1,
    PAGE_ALLOCATED,
    PAGE_RESERVED,
};

struct page_info {
    u32 next;       /* free list links (page index), PAGE_NIL at the ends */
    u32 prev;
    u8 state;       /* enum page_state */
    u8 order;       /* head of a free or allocated block: its order; else ORDER_NONE */
    u8 type;        /* RESERVED pages: enum mem_type */
    u8 pad;         /* unused by the allocator: heap_selftest_mark() */
};

/* Bytes of metadata heap_init() needs for the RAM in mm. */
u64 heap_metadata_size(const struct memmap *mm);

/*
 * heap_init: build the heap from the memory map.  `meta` must hold
 * heap_metadata_size(mm) bytes and must itself be recorded in mm as
 * MEM_BOOT if it lies in RAM.  Returns false if mm has no whole RAM page.
 */
bool heap_init(const struct memmap *mm, struct page_info *meta);

/* A naturally aligned block of 2^order pages, or PAGE_ALLOC_FAILED. */
paddr_t alloc_pages(unsigned int order);

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
 * For selftest=heap only: mark the pages of an allocated block as handed
 * out to the self-test (false if one already was), and free every block so
 * marked.  The mark lives in page_info.pad, which the allocator never uses.
 */
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
