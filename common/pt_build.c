/* SPDX-License-Identifier: MIT */
/*
 * common/pt_build.c: building page tables that are not live yet (a
 * secondary CPU's), through the running CPU's mapping window
 * (include/pt_build.h).  The descriptor bits used are the same in the
 * AArch64 and the ARMv7 LPAE formats; each architecture's pgtable.h gives
 * them one set of names.
 */
#include <arch/pgtable.h>
#include <lib.h>
#include <mm.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <pt_build.h>
#include <sections.h>
#include <string.h>

#define W_TABLE     PT_BUILD_W_TABLE
#define W_SRC       PT_BUILD_W_SRC

/*
 * Building a secondary's tables through the window.  A builder remembers the
 * pages it made; a table it did not make is shared and is copied before it
 * is changed (copy-on-write), so the live shared tables are never touched.
 */

/*
 * The table W_TABLE maps, kept mapped between calls (0: none): a secondary's
 * tables are written a few entries at a time into the same table, and each
 * window_unmap() costs a TLB invalidation.  A page freed while mapped is
 * only ever reached again as that same physical page.
 */
static paddr_t w_table;
static u64 *w_table_va;

u64 *pt_build_table(paddr_t pa)
{
    if ( w_table != pa )
    {
        pt_build_release();
        w_table_va = window_map(W_TABLE, pa);
        w_table = pa;
    }
    return w_table_va;
}

void pt_build_release(void)
{
    if ( w_table )
        window_unmap(W_TABLE);
    w_table = 0;
}

static bool owned(const struct pt_build *b, paddr_t pa)
{
    unsigned int i;

    for ( i = 0; i < b->n; i++ )
        if ( b->page[i] == pa )
            return true;
    return false;
}

/*
 * A page for b from the heap (below ARCH_TABLE_PA_LIMIT: it holds a table),
 * not written yet; 0 (and b->nomem) on failure.
 */
static paddr_t take_page(struct pt_build *b)
{
    paddr_t pa;

    if ( b->nomem || b->n == PT_BUILD_MAX_PAGES ||
         (pa = alloc_pages_below(0, ARCH_TABLE_PA_LIMIT)) == PAGE_ALLOC_FAILED )
    {
        b->nomem = true;
        return 0;
    }
    b->is_temp[b->n] = b->temp;
    b->page[b->n++] = pa;
    return pa;
}

/* A page for b: a copy of src, else zeroed for its first @entries entries. */
static paddr_t new_page(struct pt_build *b, const void *src, unsigned int entries)
{
    paddr_t pa = take_page(b);

    if ( !pa )
        return 0;
    /*
     * A copy goes through the table slot (src may be the source slot's); a
     * zeroed page through the source slot, so that the table slot keeps the
     * parent the caller links it from.
     */
    if ( src )
        memcpy(pt_build_table(pa), src, PAGE_SIZE);
    else
    {
        memset(window_map(W_SRC, pa), 0, entries * sizeof(u64));
        window_unmap(W_SRC);
    }
    return pa;
}

u64 *pt_build_new_table(struct pt_build *b, paddr_t *pa)
{
    u64 *t;

    *pa = take_page(b);
    if ( !*pa )
        return NULL;
    t = pt_build_table(*pa);
    memset(t, 0, PAGE_SIZE);
    return t;
}

paddr_t pt_build_new_copy(struct pt_build *b, const void *src)
{
    return new_page(b, src, PT_ENTRIES);
}

paddr_t pt_build_new(struct pt_build *b)
{
    return new_page(b, NULL, PT_ENTRIES);
}

paddr_t pt_build_new_root(struct pt_build *b)
{
    return new_page(b, NULL, PT_ROOT_ENTRIES);
}

/* The next-level table for va under table (level lvl), made private. */
static paddr_t next_table(struct pt_build *b, paddr_t table, unsigned int lvl, u64 va)
{
    u64 *t, e;
    paddr_t next = 0;

    if ( b->nomem )
        return 0;
    t = pt_build_table(table);
    e = t[pt_index(lvl, va)];
    if ( (e & PTE_VALID) && (e & PTE_TABLE) && owned(b, e & PTE_ADDR_MASK) )
        next = e & PTE_ADDR_MASK;
    else
    {
        /* A shared table: work on a private copy (no zeroing first). */
        if ( (e & PTE_VALID) && (e & PTE_TABLE) )
        {
            next = pt_build_new_copy(b, window_map(W_SRC, e & PTE_ADDR_MASK));
            window_unmap(W_SRC);
        }
        else
            next = pt_build_new(b);
        if ( !next )
            return 0;
        /*
         * A block (the frame table's 2 MiB blocks) is dropped in the copy:
         * only the identity mapping lives there until the CPU switches to
         * the shared tables.
         */
        t = pt_build_table(table);
        write_pte(&t[pt_index(lvl, va)], next | TABLE_DESC);
    }
    return next;
}

/* Set the level-3 entry for va in the tables under root to leaf. */
void pt_build_set(struct pt_build *b, paddr_t root, u64 va, u64 leaf)
{
    const u64 span = ~(PT_LEVEL_SIZE(PT_LAST_LEVEL - 1) - 1);  /* one last-level table's */
    paddr_t table = root;
    unsigned int lvl;
    u64 *t;

    /*
     * The same last-level table as last time: every table on the way to it
     * is the builder's own, and owned tables are never re-pointed, so the
     * walk would end there again (next_table() copies only what it does not
     * own).  Saves three window mappings a level on each slot page.
     */
    if ( b->last_table && b->last_root == root && (b->last_va & span) == (va & span) &&
         !b->nomem )
        table = b->last_table;
    else
    {
        for ( lvl = PT_ROOT_LEVEL; lvl < PT_LAST_LEVEL && table; lvl++ )
            table = next_table(b, table, lvl, va);
        if ( !table )
            return;
        b->last_table = table;
        b->last_root = root;
        b->last_va = va;
    }
    t = pt_build_table(table);
    /*
     * Entries that outlive the boot (the private slot) are made fresh: the
     * entry must be free.  A boot-only entry (the identity page) may replace
     * one in a private copy of a shared table, which nobody else walks.
     */
    ASSERT(b->temp || !(t[pt_index(PT_LAST_LEVEL, va)] & PTE_VALID));
    write_pte(&t[pt_index(PT_LAST_LEVEL, va)], leaf);
}

u64 pt_build_get_entry(paddr_t table, unsigned int idx)
{
    return pt_build_table(table)[idx];
}

void pt_build_set_entry(paddr_t table, unsigned int idx, u64 e)
{
    u64 *t = pt_build_table(table);

    /* Only used to link fresh tables: the entry must be free. */
    ASSERT(!(t[idx] & PTE_VALID));
    write_pte(&t[idx], e);
}

/*
 * Map the image at va_base with the boot permissions, leaving the boot
 * stack's guard page unmapped (head.S map_image).
 */
void pt_build_map_image(struct pt_build *b, paddr_t root, vaddr_t va_base)
{
    const char *p;

    for ( p = _start; p < _end; p += PAGE_SIZE )
    {
        u64 attr = p < _etext ? PAGE_HYP_RX : p < _erodata ? PAGE_HYP_RO : PAGE_HYP_RW;

        if ( p == __boot_stack_guard )
            continue;

        pt_build_set(b, root, va_base + (p - _start), virt_to_image_paddr(p) | attr);
    }
}

void pt_build_free(struct pt_build *b, bool temp_only)
{
    unsigned int i, n = 0;

    pt_build_release();

    for ( i = 0; i < b->n; i++ )
    {
        if ( b->is_temp[i] || !temp_only )
            free_pages(b->page[i], 0);
        else
        {
            b->page[n] = b->page[i];
            b->is_temp[n++] = false;
        }
    }
    b->n = n;
    b->nomem = false;
    b->last_table = 0;          /* it may have been freed */
}

bool pt_build_alias(struct pt_build *b, u64 *entry)
{
    vaddr_t t = (vaddr_t)_start ^ ((vaddr_t)1 << VA_ROOT_SLOT_BIT);
    paddr_t root;

    if ( *entry )
        return true;                    /* built already */
    root = pt_build_new_root(b);
    if ( root )
        pt_build_map_image(b, root, t);
    if ( b->nomem )
        return false;
    *entry = pt_build_get_entry(root, pt_index(PT_ROOT_LEVEL, (u64)t));
    return true;
}
