/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/percpu.c: per-CPU root tables, the private slot and the
 * mapping window.
 *
 * Every CPU runs on its own root (level-0) table.  The runtime region, the
 * fixmap, the FDT area and the frame table are reached through the level-1
 * table head.S built (shared; never re-pointed once a secondary runs).  The
 * private slot (__percpu_start, include/layout.h) is reached through each
 * CPU's own level-1/2/3 tables: stack with guard pages, per-CPU data, its
 * own root and level-3 table, and the mapping window.
 *
 * Private tables are only ever walked by the CPU that owns them, so the TLB
 * maintenance for them is local (a PE caches only its own walks); what is
 * shared is never modified after the first secondary starts.
 */
#include <arch/pgtable.h>
#include <arch/smp.h>
#include <arch/sysregs.h>
#include <layout.h>
#include <lib.h>
#include <mm.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <sections.h>
#include <smp.h>
#include <string.h>

#define PERCPU_VA(page)     (percpu_base + (vaddr_t)(page) * PAGE_SIZE)

/* Window slots the table builder uses (the rest are free for others). */
#define W_TABLE     (PERCPU_WINDOW_SLOTS - 1)
#define W_SRC       (PERCPU_WINDOW_SLOTS - 2)

/* The boot CPU's private tables: in the image, writable before any window. */
static u64 cpu0_l1[PT_ENTRIES] __aligned(PAGE_SIZE);
static u64 cpu0_l2[PT_ENTRIES] __aligned(PAGE_SIZE);
static u64 cpu0_l3[PT_ENTRIES] __aligned(PAGE_SIZE);

struct secondary_boot secondary_boot[NR_CPUS] __aligned(64);

void secondary_entry(void);
void secondary_switch(void);

struct cpu_data *this_cpu(void)
{
    return (struct cpu_data *)(vaddr_t)sysreg_read(tpidr);
}

bool arch_secondaries_supported(void)
{
    return true;
}

paddr_t arch_secondary_entry(void)
{
    return virt_to_image_paddr((const void *)secondary_entry);
}

static u64 *private_l3(void)
{
    return (u64 *)PERCPU_VA(PERCPU_L3_PAGE);
}

void *window_map(unsigned int slot, paddr_t pa)
{
    u64 *pte = &private_l3()[PERCPU_WINDOW_PAGE + slot];

    ASSERT(slot < PERCPU_WINDOW_SLOTS && IS_ALIGNED(pa, PAGE_SIZE));
    ASSERT(!(*pte & PTE_VALID));            /* the slot is free */
    *pte = (pa & PTE_ADDR_MASK) | PAGE_HYP_RW;
    dsb(nshst);                             /* visible to our own walks */
    isb();
    return (void *)PERCPU_VA(PERCPU_WINDOW_PAGE + slot);
}

void window_unmap(unsigned int slot)
{
    u64 *pte = &private_l3()[PERCPU_WINDOW_PAGE + slot];
    vaddr_t va = PERCPU_VA(PERCPU_WINDOW_PAGE + slot);

    ASSERT(slot < PERCPU_WINDOW_SLOTS && (*pte & PTE_VALID));
    *pte = 0;
    dsb(nshst);                             /* cleared before the TLBI */
    asm volatile ( "tlbi vae2, %0" :: "r" ((u64)va >> PAGE_SHIFT) : "memory" );
    dsb(nsh);                               /* local: a private mapping */
    isb();
}

vaddr_t arch_percpu_boot_cpu(const struct percpu_pages *pg, u64 mpidr)
{
    u64 *root = (u64 *)(vaddr_t)((sysreg_read(ttbr0) & PTE_ADDR_MASK) -
                                 (virt_to_image_paddr(_start) - (vaddr_t)_start));
    vaddr_t base = percpu_base;
    u64 *slot = &root[pt_index(0, (u64)base)];
    struct cpu_data *d;
    unsigned int i;

    BUILD_BUG_ON(PERCPU_STACK_PAGES != ARRAY_SIZE(pg->stack));
    ASSERT(!(*slot & PTE_VALID));           /* created fresh, never inherited */
    cpu0_l1[pt_index(1, (u64)base)] = virt_to_image_paddr(cpu0_l2) | TABLE_DESC;
    cpu0_l2[pt_index(2, (u64)base)] = virt_to_image_paddr(cpu0_l3) | TABLE_DESC;
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        cpu0_l3[PERCPU_STACK_PAGE(0) + i] = pg->stack[i] | PAGE_HYP_RW;
    cpu0_l3[PERCPU_EXC_STACK_PAGE] = pg->exc_stack | PAGE_HYP_RW;
    cpu0_l3[PERCPU_DATA_PAGE] = pg->data | PAGE_HYP_RW;
    cpu0_l3[PERCPU_ROOT_PAGE] = virt_to_image_paddr(root) | PAGE_HYP_RW;
    cpu0_l3[PERCPU_L3_PAGE] = virt_to_image_paddr(cpu0_l3) | PAGE_HYP_RW;
    /* The tables are complete before the entry that links them is. */
    dsb(nshst);
    *slot = virt_to_image_paddr(cpu0_l1) | TABLE_DESC;
    dsb(nshst);
    isb();

    d = (struct cpu_data *)PERCPU_VA(PERCPU_DATA_PAGE);
    memset(d, 0, PAGE_SIZE);
    d->id = 0;
    d->mpidr = mpidr;
    d->root = virt_to_image_paddr(root);
    d->data_pa = pg->data;
    d->guard_va = PERCPU_VA(PERCPU_GUARD_PAGE(0));
    d->stack_top = PERCPU_VA(PERCPU_STACK_PAGE(0) + PERCPU_STACK_PAGES);
    sysreg_write(tpidr, (u64)(vaddr_t)d);
    return d->stack_top;
}

/*
 * Building a secondary's tables through the window.  A builder remembers the
 * pages it made; a table it did not make is shared and is copied before it
 * is changed (copy-on-write), so the live shared tables are never touched.
 */
#define BUILD_MAX_PAGES 16

struct pt_build {
    unsigned int n;
    bool nomem;
    bool temp;                          /* pages made now are freed after boot */
    paddr_t page[BUILD_MAX_PAGES];
    bool is_temp[BUILD_MAX_PAGES];
};

static struct pt_build cpu_build[NR_CPUS];
static struct pt_build alias_build;
static u64 alias_l1_entry;              /* level-0 entry for the shared alias */

static bool bt_owned(const struct pt_build *b, paddr_t pa)
{
    unsigned int i;

    for ( i = 0; i < b->n; i++ )
        if ( b->page[i] == pa )
            return true;
    return false;
}

static paddr_t bt_new(struct pt_build *b)
{
    paddr_t pa;

    if ( b->nomem || b->n == BUILD_MAX_PAGES ||
         (pa = alloc_pages(0)) == PAGE_ALLOC_FAILED )
    {
        b->nomem = true;
        return 0;
    }
    memset(window_map(W_SRC, pa), 0, PAGE_SIZE);
    window_unmap(W_SRC);
    b->is_temp[b->n] = b->temp;
    b->page[b->n++] = pa;
    return pa;
}

/* The next-level table for va under table (level lvl), made private. */
static paddr_t bt_next(struct pt_build *b, paddr_t table, unsigned int lvl, u64 va)
{
    u64 *t, e;
    paddr_t next = 0;

    if ( b->nomem )
        return 0;
    t = window_map(W_TABLE, table);
    e = t[pt_index(lvl, va)];
    if ( (e & PTE_VALID) && (e & PTE_TABLE) && bt_owned(b, e & PTE_ADDR_MASK) )
        next = e & PTE_ADDR_MASK;
    else
    {
        window_unmap(W_TABLE);
        next = bt_new(b);
        if ( !next )
            return 0;
        if ( (e & PTE_VALID) && (e & PTE_TABLE) )
        {
            /* A shared table: work on a private copy. */
            void *dst = window_map(W_TABLE, next);

            memcpy(dst, window_map(W_SRC, e & PTE_ADDR_MASK), PAGE_SIZE);
            window_unmap(W_SRC);
            window_unmap(W_TABLE);
        }
        /*
         * A block (the frame table's 2 MiB blocks) is dropped in the copy:
         * only the identity mapping lives there until the CPU switches to
         * the shared tables.
         */
        t = window_map(W_TABLE, table);
        t[pt_index(lvl, va)] = next | TABLE_DESC;
    }
    window_unmap(W_TABLE);
    return next;
}

/* Set the level-3 entry for va in the tables under root to leaf. */
static void bt_set(struct pt_build *b, paddr_t root, u64 va, u64 leaf)
{
    paddr_t table = root;
    unsigned int lvl;
    u64 *t;

    for ( lvl = PT_ROOT_LEVEL; lvl < PT_LAST_LEVEL && table; lvl++ )
        table = bt_next(b, table, lvl, va);
    if ( !table )
        return;
    t = window_map(W_TABLE, table);
    t[pt_index(PT_LAST_LEVEL, va)] = leaf;
    window_unmap(W_TABLE);
}

static u64 bt_get_root_entry(paddr_t root, unsigned int idx)
{
    u64 e = ((u64 *)window_map(W_TABLE, root))[idx];

    window_unmap(W_TABLE);
    return e;
}

static void bt_set_root_entry(paddr_t root, unsigned int idx, u64 e)
{
    ((u64 *)window_map(W_TABLE, root))[idx] = e;
    window_unmap(W_TABLE);
}

/* Map the image at va_base with the boot permissions (head.S map_image). */
static void bt_map_image(struct pt_build *b, paddr_t root, vaddr_t va_base)
{
    const char *p;

    for ( p = _start; p < _end; p += PAGE_SIZE )
    {
        u64 attr = p < _etext ? PAGE_HYP_RX : p < _erodata ? PAGE_HYP_RO : PAGE_HYP_RW;

        bt_set(b, root, va_base + (p - _start), virt_to_image_paddr(p) | attr);
    }
}

/*
 * The alias secondaries continue at while they swap their runtime entry:
 * the image at runtime XOR 2^39, as on the boot CPU.  Built once, before the
 * first secondary starts, never changed afterwards: shared by all of them.
 */
static bool build_alias(void)
{
    vaddr_t t = (vaddr_t)_start ^ ((vaddr_t)1 << VA_ROOT_SLOT_BIT);
    paddr_t root;

    if ( alias_l1_entry )
        return true;
    root = bt_new(&alias_build);
    if ( root )
        bt_map_image(&alias_build, root, t);
    if ( alias_build.nomem )
        return false;
    alias_l1_entry = bt_get_root_entry(root, pt_index(0, (u64)t));
    return true;
}

paddr_t arch_cpu_prepare(unsigned int cpu, u64 mpidr, const struct percpu_pages *pg)
{
    struct pt_build *b = &cpu_build[cpu];
    struct secondary_boot *sb = &secondary_boot[cpu];
    struct cpu_data *d;
    u64 base = (u64)percpu_base, rt = (u64)(vaddr_t)_start;
    u64 alias = rt ^ (1ULL << VA_ROOT_SLOT_BIT);
    paddr_t idmap = virt_to_image_paddr(_idmap_start);
    u64 *cpu0_root = (u64 *)PERCPU_VA(PERCPU_ROOT_PAGE);
    unsigned int i;
    paddr_t root, l3;
    bool share;

    ASSERT(cpu > 0 && cpu < NR_CPUS);
    memset(b, 0, sizeof(*b));
    root = bt_new(b);
    if ( !root )
        return 0;
    /* Shared: the runtime level-1 table, linked, never copied. */
    bt_set_root_entry(root, pt_index(0, rt), cpu0_root[pt_index(0, rt)]);

    /* Private slot, made fresh: nothing in it comes from the boot CPU's. */
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        bt_set(b, root, base + (PERCPU_STACK_PAGE(cpu) + i) * PAGE_SIZE, pg->stack[i] | PAGE_HYP_RW);
    bt_set(b, root, base + PERCPU_EXC_STACK_PAGE * PAGE_SIZE, pg->exc_stack | PAGE_HYP_RW);
    bt_set(b, root, base + PERCPU_DATA_PAGE * PAGE_SIZE, pg->data | PAGE_HYP_RW);
    bt_set(b, root, base + PERCPU_ROOT_PAGE * PAGE_SIZE, root | PAGE_HYP_RW);
    l3 = b->nomem ? 0 : b->page[b->n - 1];  /* the slot's level-3 table, made last */
    bt_set(b, root, base + PERCPU_L3_PAGE * PAGE_SIZE, l3 | PAGE_HYP_RW);

    /* Boot-only from here: the identity page, through private copies. */
    b->temp = true;
    share = pt_index(0, (u64)idmap) == pt_index(0, rt);
    bt_set(b, root, idmap, idmap | PAGE_HYP_RX);
    if ( share && !build_alias() )
        b->nomem = true;
    if ( b->nomem )
    {
        arch_cpu_boot_done(cpu);
        for ( i = 0; i < b->n; i++ )
            if ( !b->is_temp[i] )
                free_pages(b->page[i], 0);
        b->n = 0;
        return 0;
    }
    if ( share )
        bt_set_root_entry(root, pt_index(0, alias), alias_l1_entry);

    d = window_map(W_SRC, pg->data);
    memset(d, 0, PAGE_SIZE);
    d->id = cpu;
    d->mpidr = mpidr;
    d->root = root;
    d->data_pa = pg->data;
    d->guard_va = PERCPU_VA(PERCPU_GUARD_PAGE(cpu));
    d->stack_top = PERCPU_VA(PERCPU_STACK_PAGE(cpu) + PERCPU_STACK_PAGES);
    window_unmap(W_SRC);

    /*
     * The identity shares the runtime level-0 entry: that entry points at a
     * private copy now, and the CPU re-points it at the shared table from
     * the alias.  Otherwise the identity has its own level-0 entry, dropped
     * once the CPU runs at the runtime address.
     */
    sb->root = root;
    sb->entry = (share ? alias : rt) + ((vaddr_t)secondary_switch - (vaddr_t)_start);
    sb->fix_idx = share ? pt_index(0, rt) : SB_NONE;
    sb->fix_val = cpu0_root[pt_index(0, rt)];
    sb->clear_idx = share ? SB_NONE : pt_index(0, (u64)idmap);
    sb->alias_idx = share ? pt_index(0, alias) : SB_NONE;
    /* The CPU reads its record with the MMU and caches off: clean it to the PoC. */
    dsb(ishst);
    asm volatile ( "dc cvac, %0" :: "r" (sb) : "memory" );
    dsb(ish);
    /*
     * The tables themselves need no cleaning: the secondary's walks are
     * cacheable (TCR_EL2 IRGN/ORGN = WBWA, inner shareable) and so coherent
     * with the boot CPU's cache.
     */
    return root;
}

void arch_cpu_boot_done(unsigned int cpu)
{
    struct pt_build *b = &cpu_build[cpu];
    unsigned int i, n = 0;

    for ( i = 0; i < b->n; i++ )
    {
        if ( b->is_temp[i] )
            free_pages(b->page[i], 0);
        else
        {
            b->page[n] = b->page[i];
            b->is_temp[n++] = false;
        }
    }
    b->n = n;
}

void arch_cpu_release(unsigned int cpu)
{
    struct pt_build *b = &cpu_build[cpu];
    unsigned int i;

    for ( i = 0; i < b->n; i++ )
        free_pages(b->page[i], 0);
    b->n = 0;
}

static void __unused build_assertions(void)
{
    BUILD_BUG_ON(sizeof(struct secondary_boot) != 64);
    BUILD_BUG_ON(PERCPU_WINDOW_PAGE + PERCPU_WINDOW_SLOTS > PT_ENTRIES);
    BUILD_BUG_ON(PERCPU_GUARD_PAGE(NR_CPUS) > PT_ENTRIES);
}
