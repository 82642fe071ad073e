/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/percpu.c: per-CPU root tables, the private slot and the
 * mapping window.
 *
 * Every CPU runs on its own root (level-0) table.  The runtime region, the
 * fixmap, the FDT area and the frame table are reached through the level-1
 * table head.S built (shared; never re-pointed once a secondary runs).  The
 * private slot (percpu_base, include/layout.h) is reached through each
 * CPU's own level-1/2/3 tables: per-CPU data, its own root and level-3
 * tables, the mapping window, and in a second level-3 table (the region of
 * PERCPU_STACK_REGIONS holding it) its stack with guard pages.
 *
 * Private tables are only ever walked by the CPU that owns them, so the TLB
 * maintenance for them is local (a PE caches only its own walks); what is
 * shared is never modified after the first secondary starts.
 */
#include <arch/cache.h>
#include <arch/pgtable.h>
#include <arch/smp.h>
#include <arch/sysregs.h>
#include <layout.h>
#include <lib.h>
#include <mm.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <pt_build.h>
#include <sections.h>
#include <smp.h>
#include <string.h>

#define PERCPU_VA(page)     (percpu_base + (vaddr_t)(page) * PAGE_SIZE)

/*
 * The slot's preferred place, __percpu_start: the runtime level-0 entry
 * XOR 2 (XOR 1 is the boot alias).  A .quad in head.S: C code would reach
 * the symbol with ADRP, which cannot span the distance.
 */
extern const vaddr_t percpu_preferred;
vaddr_t percpu_base;

/* The boot CPU's private tables: in the image, writable before any window. */
static u64 cpu0_l1[PT_ENTRIES] __aligned(PAGE_SIZE);
static u64 cpu0_l2[PT_ENTRIES] __aligned(PAGE_SIZE);
static u64 cpu0_l3[PT_ENTRIES] __aligned(PAGE_SIZE);
static u64 cpu0_stack_l3[PT_ENTRIES] __aligned(PAGE_SIZE);     /* its stack's region */

struct secondary_boot secondary_boot[NR_CPUS] __aligned(64);

void secondary_switch(void);

struct cpu_data *this_cpu(void)
{
    return (struct cpu_data *)(vaddr_t)sysreg_read(tpidr);
}

/*
 * Where the per-CPU slot goes, decided once on the boot CPU from where the
 * image was loaded.  A secondary's identity page (enable_mmu) needs a
 * level-0 entry of its own unless it shares the runtime one, and the CPU
 * clears that entry once it runs at the runtime address.  When the identity
 * page's level-0 entry is the preferred slot's (a runtime base in level-0
 * entry 2 puts the slot in entry 0, where QEMU's RAM is), the identity would
 * be built inside the slot's private tables: the CPU would clear its own
 * slot, then read its stack from it, and freeing the boot-only tables would
 * free tables the slot still links.  The slot then takes the other free
 * entry, runtime XOR 3: neither the runtime entry, its alias (XOR 1) nor
 * the identity's.  (arm32, with no root entry to spare, keeps its slot and
 * refuses a CPU whose identity page is a page of the slot it uses.)
 */
static vaddr_t percpu_choose_base(void)
{
    paddr_t idmap = virt_to_image_paddr(_idmap_start);  /* < 2^48: head.S checked */

    if ( pt_index(0, (u64)idmap) == pt_index(0, (u64)percpu_preferred) )
        return percpu_preferred ^ ((vaddr_t)1 << VA_ROOT_SLOT_BIT);
    return percpu_preferred;
}

vaddr_t arch_percpu_boot_cpu(const struct percpu_pages *pg, u64 mpidr)
{
    u64 *root = image_table_va(root_table_paddr());
    vaddr_t base = percpu_base = percpu_choose_base();
    u64 *slot = &root[pt_index(0, (u64)base)];
    struct cpu_data *d;
    unsigned int i;

    BUILD_BUG_ON(PERCPU_STACK_PAGES != ARRAY_SIZE(pg->stack));
    ASSERT(!(*slot & PTE_VALID));           /* created fresh, never inherited */
    cpu0_l1[pt_index(1, (u64)base)] = virt_to_image_paddr(cpu0_l2) | TABLE_DESC;
    cpu0_l2[pt_index(2, (u64)base)] = virt_to_image_paddr(cpu0_l3) | TABLE_DESC;
    cpu0_l2[pt_index(2, (u64)PERCPU_VA(PERCPU_STACK_PAGE(0)))] =
        virt_to_image_paddr(cpu0_stack_l3) | TABLE_DESC;
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        cpu0_stack_l3[(PERCPU_STACK_PAGE(0) + i) % PT_ENTRIES] = pg->stack[i] | PAGE_HYP_RW;
    cpu0_l3[PERCPU_EXC_STACK_PAGE] = pg->exc_stack | PAGE_HYP_RW;
    cpu0_l3[PERCPU_DATA_PAGE] = pg->data | PAGE_HYP_RW;
    cpu0_l3[PERCPU_ROOT_PAGE] = virt_to_image_paddr(root) | PAGE_HYP_RW;
    cpu0_l3[PERCPU_L3_PAGE] = virt_to_image_paddr(cpu0_l3) | PAGE_HYP_RW;
    cpu0_l3[PERCPU_STACK_L3_PAGE] = virt_to_image_paddr(cpu0_stack_l3) | PAGE_HYP_RW;
    /*
     * The tables are complete before the entry that links them is; that
     * entry is in the live root, so it is one single-copy-atomic store
     * (write_pte) that the walker cannot see torn.
     */
    dsb(nshst);
    write_pte(slot, virt_to_image_paddr(cpu0_l1) | TABLE_DESC);
    dsb(nshst);
    isb();

    d = (struct cpu_data *)PERCPU_VA(PERCPU_DATA_PAGE);
    percpu_data_init(d, 0, mpidr, virt_to_image_paddr(root), pg->data);
    sysreg_write(tpidr, (u64)(vaddr_t)d);
    return d->stack_top;
}

static struct pt_build alias_build;
static u64 alias_entry;                 /* root-level entry of the shared alias */
static struct pt_build id_build;
static u64 id_entry;                    /* root-level entry of the shared identity */

/*
 * The identity page's boot-only tables, built once and linked by every
 * secondary: they are the same for each (the identity page alone, or a copy
 * of the runtime level-1 table and what leads to the page, when the two share
 * a level-0 entry), nobody writes them once built, and each CPU drops its
 * link to them (its own root entry) before it checks in.  One set, not one
 * per CPU: three heap pages to allocate, zero and free less per secondary.
 * Returns the level-0 entry to link at idx, or 0 with no memory.
 */
static u64 shared_identity(paddr_t idmap, unsigned int idx, u64 start)
{
    paddr_t scratch;

    if ( id_entry )
        return id_entry;
    scratch = pt_build_new_root(&id_build);  /* a root of its own: one entry used */
    if ( scratch && start )
        pt_build_set_entry(scratch, idx, start);
    id_build.temp = true;               /* may replace entries of its copies */
    if ( scratch )
        pt_build_set(&id_build, scratch, idmap, idmap | PAGE_HYP_RX);
    if ( id_build.nomem )
    {
        pt_build_free(&id_build, false);
        return 0;
    }
    id_entry = pt_build_get_entry(scratch, idx);
    return id_entry;
}

void arch_smp_prepare_done(bool all_checked_in)
{
    /* A CPU that never checked in may still walk them: then they stay. */
    if ( all_checked_in && id_entry )
    {
        pt_build_free(&id_build, false);
        id_entry = 0;
    }
    pt_build_release();
}

paddr_t arch_cpu_prepare(unsigned int cpu, u64 mpidr, const struct percpu_pages *pg,
                         struct pt_build *b, const char **why)
{
    struct secondary_boot *sb = &secondary_boot[cpu];
    struct cpu_data *d;
    u64 base = (u64)percpu_base, rt = (u64)(vaddr_t)_start;
    u64 alias = rt ^ (1ULL << VA_ROOT_SLOT_BIT);
    paddr_t idmap = virt_to_image_paddr(_idmap_start);
    u64 *cpu0_root = (u64 *)PERCPU_VA(PERCPU_ROOT_PAGE);
    unsigned int i;
    paddr_t root, l3, stack_l3;
    bool share;

    ASSERT(cpu > 0 && cpu < NR_CPUS);
    /* The identity's own level-0 entry is never the slot's (percpu_choose_base). */
    ASSERT(pt_index(0, (u64)idmap) != pt_index(0, base));
    *why = "nomem";
    share = pt_index(0, (u64)idmap) == pt_index(0, rt);
    /* Boot-only: the identity page's tables, shared by the secondaries. */
    if ( !shared_identity(idmap, pt_index(0, share ? rt : (u64)idmap),
                          share ? cpu0_root[pt_index(0, rt)] : 0) ||
         (share && !pt_build_alias(&alias_build, &alias_entry)) )
        return 0;
    root = pt_build_new_root(b);
    if ( !root )
        return 0;
    /*
     * Shared: the runtime level-1 table, linked, never copied; or, when the
     * identity shares its level-0 entry, the identity's copy of it.
     */
    pt_build_set_entry(root, pt_index(0, rt), share ? id_entry : cpu0_root[pt_index(0, rt)]);
    if ( !share )
        pt_build_set_entry(root, pt_index(0, (u64)idmap), id_entry);
    else
        pt_build_set_entry(root, pt_index(0, alias), alias_entry);

    /*
     * Private area, made fresh: nothing in it comes from the boot CPU's.
     * The stack first: its region's level-3 table is then the last page made.
     */
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        pt_build_set(b, root, base + (PERCPU_STACK_PAGE(cpu) + i) * PAGE_SIZE, pg->stack[i] | PAGE_HYP_RW);
    stack_l3 = b->nomem ? 0 : b->page[b->n - 1];
    pt_build_set(b, root, base + PERCPU_EXC_STACK_PAGE * PAGE_SIZE, pg->exc_stack | PAGE_HYP_RW);
    pt_build_set(b, root, base + PERCPU_DATA_PAGE * PAGE_SIZE, pg->data | PAGE_HYP_RW);
    pt_build_set(b, root, base + PERCPU_ROOT_PAGE * PAGE_SIZE, root | PAGE_HYP_RW);
    l3 = b->nomem ? 0 : b->page[b->n - 1];  /* the slot's level-3 table, made last */
    pt_build_set(b, root, base + PERCPU_L3_PAGE * PAGE_SIZE, l3 | PAGE_HYP_RW);
    pt_build_set(b, root, base + PERCPU_STACK_L3_PAGE * PAGE_SIZE, stack_l3 | PAGE_HYP_RW);
    pt_build_release();
    if ( b->nomem )
    {
        pt_build_free(b, false);
        return 0;
    }

    d = window_map(PT_BUILD_W_SRC, pg->data);
    percpu_data_init(d, cpu, mpidr, root, pg->data);
    window_unmap(PT_BUILD_W_SRC);

    /*
     * The identity shares the runtime level-0 entry: that entry points at
     * the identity's copy now, and the CPU re-points it at the shared table
     * from the alias.  Otherwise the identity has its own level-0 entry, dropped
     * once the CPU runs at the runtime address.
     */
    sb->root = root;
    sb->entry = (share ? alias : rt) + ((vaddr_t)secondary_switch - (vaddr_t)_start);
    sb->fix_idx = share ? pt_index(0, rt) : SB_NONE;
    sb->fix_val = cpu0_root[pt_index(0, rt)];
    sb->clear_idx = share ? SB_NONE : pt_index(0, (u64)idmap);
    sb->alias_idx = share ? pt_index(0, alias) : SB_NONE;
    sb->percpu = base;
    /*
     * The CPU reads its record with the MMU off, so with non-cacheable
     * accesses: our stores must reach the PoC.  Stores complete before the
     * clean, then every line of the record (fields beyond the first line
     * would otherwise stay dirty) and a DSB SY (arch/cache.h).
     */
    dsb(ishst);
    dcache_clean_poc(sb, sizeof(*sb));
    /*
     * The tables themselves need no cleaning: the secondary's walks are
     * cacheable (TCR_EL2 IRGN/ORGN = WBWA, inner shareable) and so coherent
     * with the boot CPU's cache.
     */
    return root;
}

static void __unused build_assertions(void)
{
    BUILD_BUG_ON(sizeof(struct secondary_boot) != 64);
    BUILD_BUG_ON(PERCPU_WINDOW_PAGE + PERCPU_WINDOW_SLOTS > PT_ENTRIES);
    BUILD_BUG_ON(NR_CPUS > PERCPU_MAX_CPUS);
    BUILD_BUG_ON(PERCPU_AREA_SIZE > PT_LEVEL_SIZE(1));     /* one private level-2 table */
}
