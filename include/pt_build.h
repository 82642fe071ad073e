/* SPDX-License-Identifier: MIT */
/*
 * Building page tables that no CPU uses yet (a secondary's root and what
 * hangs off it), through the running CPU's mapping window.  A builder
 * remembers the table pages it made; a table it did not make is shared and
 * is copied before it is changed (copy-on-write), so live shared tables are
 * never written.  Pages made while `temp` is set are boot-only and can be
 * freed apart (pt_build_free(b, true)).
 */
#ifndef HYPCORE_PT_BUILD_H
#define HYPCORE_PT_BUILD_H

#include <layout.h>
#include <types.h>

/* Window slots the builder uses (the others are free for its callers). */
#define PT_BUILD_W_TABLE    (PERCPU_WINDOW_SLOTS - 1)
#define PT_BUILD_W_SRC      (PERCPU_WINDOW_SLOTS - 2)

#define PT_BUILD_MAX_PAGES  16

/*
 * Entries of a root table: the VA bits it translates (arm64: 512; arm32's
 * LPAE first level with a 32-bit VA: 4, the only ones the walker reads).
 */
#define PT_ROOT_ENTRIES     (1U << (VA_BITS - PT_LEVEL_SHIFT(PT_ROOT_LEVEL)))

struct pt_build {
    unsigned int n;
    bool nomem;                         /* a page could not be had: give up */
    bool temp;
    paddr_t page[PT_BUILD_MAX_PAGES];
    bool is_temp[PT_BUILD_MAX_PAGES];
    /*
     * The last-level table pt_build_set() last wrote through, for last_root
     * and the last-level table's span holding last_va: the builder's own
     * (made or copied by it), so the next entry in that span needs no walk
     * from the root.  0: none (pt_build_free() forgets it).
     */
    paddr_t last_table, last_root;
    u64 last_va;
};

/*
 * pt_build_table: table page pa mapped at the builder's window slot, valid
 * until the next pt_build call maps another (the mapping is kept between
 * calls); pt_build_release: unmap it (before the caller uses
 * PT_BUILD_W_TABLE itself, and when done building).
 */
u64 *pt_build_table(paddr_t pa);
void pt_build_release(void);

/*
 * A zeroed page from the heap, owned by b; 0 (and b->nomem) on failure.
 * pt_build_new_copy: the same, holding a copy of the page at src instead.
 */
paddr_t pt_build_new(struct pt_build *b);
paddr_t pt_build_new_copy(struct pt_build *b, const void *src);
/*
 * pt_build_new_table: a zeroed page owned by b (its address in *pa), left
 * mapped at the table slot for the caller to fill (as pt_build_table());
 * NULL (and b->nomem) on failure.  For a table the caller builds whole:
 * one window mapping, no walk.
 */
u64 *pt_build_new_table(struct pt_build *b, paddr_t *pa);
/* A root table: only its PT_ROOT_ENTRIES are zeroed (nothing reads further). */
paddr_t pt_build_new_root(struct pt_build *b);

/*
 * Set the last-level entry for va under root to leaf, making tables private.
 * Unless b->temp, the entry must be free (asserted).
 */
void pt_build_set(struct pt_build *b, paddr_t root, u64 va, u64 leaf);

/* Read / write entry idx of a table by paddr (through the window); the
 * written entry must be free (asserted): this links fresh tables. */
u64 pt_build_get_entry(paddr_t table, unsigned int idx);
void pt_build_set_entry(paddr_t table, unsigned int idx, u64 e);

/* Map the whole image at va_base with the boot permissions. */
void pt_build_map_image(struct pt_build *b, paddr_t root, vaddr_t va_base);

/*
 * pt_build_alias: the image at its runtime address XOR the root-level bit
 * (the boot CPU's alias), built once into b and shared by every secondary;
 * *entry gets the root-level entry to link it.  False when out of memory.
 */
bool pt_build_alias(struct pt_build *b, u64 *entry);

/* Free b's pages: only the boot-only ones, or all of them. */
void pt_build_free(struct pt_build *b, bool temp_only);

#endif
