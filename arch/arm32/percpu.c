/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/percpu.c: the boot CPU's private slot and mapping window.
 *
 * The per-CPU area is the last PERCPU_AREA_SIZE of the runtime region's
 * GiB (hypcore.lds.S): the slot, one level-3 table (per-CPU data, its own
 * tables, the mapping window), then the stack regions, of which a CPU
 * links the one holding its stack; laid out as on arm64 (include/layout.h).  With a 32-bit VA there is no root entry to spare
 * for it as on arm64: each CPU has its own level-2 table for the runtime
 * GiB, made fresh from the shared entries (the region's level-3 tables,
 * the frame-table blocks: all created before the first secondary starts and
 * never changed afterwards), plus its own slot entry (arch/arm32/include/
 * arch/smp.h).  The boot CPU's is the boot pool's.
 */
#include <arch/cache.h>
#include <arch/pgtable.h>
#include <arch/smp.h>
#include <arch/sysregs.h>
#include <layout.h>
#include <lib.h>
#include <mm.h>
#include <percpu_mm.h>
#include <pt_build.h>
#include <sections.h>
#include <smp.h>
#include <printk.h>
#include <string.h>

/* Fixed on arm32: the last 2 MiB of the runtime GiB (hypcore.lds.S). */
vaddr_t percpu_base = (vaddr_t)__percpu_start;

#define PERCPU_VA(page)     (percpu_base + (vaddr_t)(page) * PAGE_SIZE)

static u64 cpu0_l3[PT_ENTRIES] __aligned(PAGE_SIZE);
static u64 cpu0_stack_l3[PT_ENTRIES] __aligned(PAGE_SIZE);     /* its stack's region */

struct secondary_boot secondary_boot[NR_CPUS] __aligned(64);

void secondary_switch(void);

static struct pt_build alias_build;
static u64 alias_entry;                 /* root-level entry of the shared alias */


vaddr_t arch_percpu_boot_cpu(const struct percpu_pages *pg, u64 mpidr)
{
    u64 *l1 = image_table_va(root_table_paddr());
    u64 *l2 = image_table_va(l1[pt_index(1, (u64)percpu_base)]);
    u64 *slot = &l2[pt_index(2, (u64)percpu_base)];
    u64 *stack = &l2[pt_index(2, (u64)PERCPU_VA(PERCPU_STACK_PAGE(0)))];
    struct cpu_data *d;
    unsigned int i;

    BUILD_BUG_ON(PERCPU_STACK_PAGES != ARRAY_SIZE(pg->stack));
    ASSERT(!(*slot & PTE_VALID) && !(*stack & PTE_VALID));
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        cpu0_stack_l3[(PERCPU_STACK_PAGE(0) + i) % PT_ENTRIES] = pg->stack[i] | PAGE_HYP_RW;
    cpu0_l3[PERCPU_EXC_STACK_PAGE] = pg->exc_stack | PAGE_HYP_RW;
    cpu0_l3[PERCPU_DATA_PAGE] = pg->data | PAGE_HYP_RW;
    cpu0_l3[PERCPU_L3_PAGE] = virt_to_image_paddr(cpu0_l3) | PAGE_HYP_RW;
    cpu0_l3[PERCPU_STACK_L3_PAGE] = virt_to_image_paddr(cpu0_stack_l3) | PAGE_HYP_RW;
    dsb(nshst);                         /* the tables are complete before they are linked */
    write_pte(stack, virt_to_image_paddr(cpu0_stack_l3) | TABLE_DESC);
    write_pte(slot, virt_to_image_paddr(cpu0_l3) | TABLE_DESC);
    dsb(nshst);
    isb();

    d = (struct cpu_data *)PERCPU_VA(PERCPU_DATA_PAGE);
    percpu_data_init(d, 0, mpidr, root_table_paddr(), pg->data);
    sysreg_write(tpidr, (vaddr_t)d);
    return d->stack_top;
}

static struct pt_build id_build;
static u64 id_entry;            /* the entry that links the shared identity */

/*
 * The identity page's boot-only tables, built once and linked by every
 * secondary whose own slot or stack table does not hold it: the same for
 * each (nobody writes them once built, and each CPU gives its entry back
 * before it checks in).  In the runtime GiB, a level-3 table: a copy of the
 * one the CPU's level-2 table links there (start; the same in every
 * secondary's) with the identity page, linked from that level-2 entry.
 * Elsewhere, the level-2 and level-3 tables under a root entry of their own.
 */
static bool shared_identity(paddr_t idmap, bool in_rt, u64 start)
{
    paddr_t t;

    if ( id_entry )
        return true;
    id_build.temp = true;               /* may replace entries of its copies */
    if ( in_rt )
    {
        if ( (start & PTE_VALID) && (start & PTE_TABLE) )
        {
            t = pt_build_new_copy(&id_build, window_map(PT_BUILD_W_SRC, start & PTE_ADDR_MASK));
            window_unmap(PT_BUILD_W_SRC);
        }
        else
            t = pt_build_new(&id_build);
        if ( t )
            write_pte(&pt_build_table(t)[pt_index(3, (u64)idmap)], idmap | PAGE_HYP_RX);
        id_entry = t ? t | TABLE_DESC : 0;
    }
    else
    {
        t = pt_build_new_root(&id_build);    /* a root of its own: one entry used */
        if ( t )
            pt_build_set(&id_build, t, idmap, idmap | PAGE_HYP_RX);
        id_entry = t && !id_build.nomem ? pt_build_get_entry(t, pt_index(1, (u64)idmap)) : 0;
    }
    if ( !id_entry )
        pt_build_free(&id_build, false);
    return id_entry != 0;
}

paddr_t arch_cpu_prepare(unsigned int cpu, u64 mpidr, const struct percpu_pages *pg,
                         struct pt_build *b, const char **why)
{
    struct secondary_boot *sb = &secondary_boot[cpu];
    u64 base = percpu_base, rt = (vaddr_t)_start;
    u64 alias = rt ^ (1ULL << VA_ROOT_SLOT_BIT);
    paddr_t idmap = virt_to_image_paddr(_idmap_start);
    u64 *boot_l1 = image_table_va(root_table_paddr());
    u64 *boot_l2 = image_table_va(boot_l1[pt_index(1, rt)]);
    unsigned int i, slot2 = pt_index(2, base);
    unsigned int stack2 = pt_index(2, (u64)PERCPU_VA(PERCPU_STACK_PAGE(cpu)));
    unsigned int stack3 = PERCPU_GUARD_PAGE(cpu) % PT_ENTRIES;
    bool in_rt = pt_index(1, (u64)idmap) == pt_index(1, rt);
    unsigned int p2 = pt_index(2, (u64)idmap), p3 = pt_index(3, (u64)idmap);
    /* The identity page in this CPU's slot or stack region: it goes in that level-3 table. */
    bool in_slot = in_rt && p2 == slot2, in_stack = in_rt && p2 == stack2;
    struct cpu_data *d;
    paddr_t root, l2, l3, stack_l3;
    u64 *t, fix = 0;

    ASSERT(cpu > 0 && cpu < NR_CPUS);
    *why = "nomem";
    if ( (in_slot && (p3 == PERCPU_EXC_STACK_PAGE ||
                      (p3 >= PERCPU_DATA_PAGE && p3 <= PERCPU_FIXED_LAST_PAGE) ||
                      (p3 >= PERCPU_WINDOW_PAGE && p3 < PERCPU_WINDOW_PAGE + PERCPU_WINDOW_SLOTS))) ||
         (in_stack && p3 >= stack3 && p3 < stack3 + PERCPU_STACK_STRIDE) )
    {
        /* ...unless that page is one this CPU uses. */
        printk(XENLOG_WARNING "smp: cpu%u: the identity page 0x%llx is page %u of the per-CPU slot "
               "(0x%llx), which this CPU uses; load hypcore elsewhere to start it\n",
               cpu, (unsigned long long)idmap, (unsigned int)((idmap - base) / PAGE_SIZE),
               (unsigned long long)base);
        *why = "idmap-in-percpu-slot";
        return 0;
    }
    /*
     * Its tables, each written whole while mapped once (no walk from the
     * root, as pt_build_set() would make per table): the root, the stack
     * region's and the slot's level-3 tables, then its runtime level-2
     * table, which links both.  No CPU walks any of them yet, so plain
     * stores do.
     */
    root = pt_build_new_root(b);
    t = pt_build_new_table(b, &stack_l3);
    if ( !t )
        goto nomem;
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        t[(PERCPU_STACK_PAGE(cpu) + i) % PT_ENTRIES] = pg->stack[i] | PAGE_HYP_RW;
    t = pt_build_new_table(b, &l3);
    if ( !t )
        goto nomem;
    t[PERCPU_EXC_STACK_PAGE] = pg->exc_stack | PAGE_HYP_RW;
    t[PERCPU_DATA_PAGE] = pg->data | PAGE_HYP_RW;
    t[PERCPU_ROOT_PAGE] = root | PAGE_HYP_RW;
    t[PERCPU_L3_PAGE] = l3 | PAGE_HYP_RW;
    t[PERCPU_STACK_L3_PAGE] = stack_l3 | PAGE_HYP_RW;
    /*
     * The level-2 table: every shared entry (the region's level-3 tables,
     * the frame-table blocks), copied whole (memcpy moves words; 512
     * write_pte()s cost 5,000 instructions); the boot CPU's stack-region
     * entry taken out again, and this CPU's slot and stack region linked.
     */
    l2 = pt_build_new_copy(b, boot_l2);
    if ( !l2 )
        goto nomem;
    t = pt_build_table(l2);
    t[pt_index(2, (u64)PERCPU_VA(PERCPU_STACK_PAGE(0)))] = 0;
    t[slot2] = l3 | TABLE_DESC;
    t[stack2] = stack_l3 | TABLE_DESC;
    /* The slot's own entry for the level-2 table, now that it has an address. */
    pt_build_table(l3)[PERCPU_RT_TABLE_PAGE] = l2 | PAGE_HYP_RW;
    pt_build_set_entry(root, pt_index(1, rt), l2 | TABLE_DESC);

    /*
     * Boot-only from here: the identity page.  In the CPU's own slot or
     * stack table, an entry there; elsewhere, tables every secondary shares.
     */
    b->temp = true;
    if ( in_slot || in_stack )
        pt_build_set(b, root, idmap, idmap | PAGE_HYP_RX);
    else if ( in_rt )
    {
        fix = pt_build_get_entry(l2, p2);
        if ( shared_identity(idmap, true, fix) )   /* replaced: no CPU walks l2 yet */
            write_pte(&pt_build_table(l2)[p2], id_entry);
    }
    else if ( shared_identity(idmap, false, 0) )
        pt_build_set_entry(root, pt_index(1, (u64)idmap), id_entry);
    if ( (!in_slot && !in_stack && !id_entry) ||
         (in_rt && !pt_build_alias(&alias_build, &alias_entry)) )
        b->nomem = true;
    if ( b->nomem )
        goto nomem;
    if ( in_rt )
        pt_build_set_entry(root, pt_index(1, alias), alias_entry);

    pt_build_release();
    d = window_map(PT_BUILD_W_SRC, pg->data);
    percpu_data_init(d, cpu, mpidr, root, pg->data);
    window_unmap(PT_BUILD_W_SRC);

    sb->root_lo = (u32)root;
    sb->root_hi = (u32)(root >> 32);
    sb->entry = (in_rt ? alias : rt) + ((vaddr_t)secondary_switch - (vaddr_t)_start);
    /* The entry to give back its shared value (none in its own tables: clear it). */
    sb->fix_va = !in_rt ? SB_NONE :
                 in_slot ? PERCPU_VA(PERCPU_L3_PAGE) + p3 * 8 :
                 in_stack ? PERCPU_VA(PERCPU_STACK_L3_PAGE) + p3 * 8 :
                 PERCPU_VA(PERCPU_RT_TABLE_PAGE) + p2 * 8;
    sb->fix_lo = (u32)fix;
    sb->fix_hi = (u32)(fix >> 32);
    sb->clear_idx = in_rt ? SB_NONE : pt_index(1, (u64)idmap);
    sb->alias_idx = in_rt ? pt_index(1, alias) : SB_NONE;
    sb->percpu = base;
    /*
     * The CPU reads its record with the MMU off, so with non-cacheable
     * accesses: our stores must reach the PoC.  Stores complete before the
     * clean, then every line of the record (fields beyond the first line
     * would otherwise stay dirty) and a DSB SY (arch/cache.h).
     */
    dsb(ishst);
    dcache_clean_poc(sb, sizeof(*sb));
    /* The tables need no cleaning: the secondary's walks are cacheable (HTCR). */
    return root;

nomem:
    pt_build_free(b, false);
    return 0;
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

static void __unused build_assertions(void)
{
    BUILD_BUG_ON(sizeof(struct secondary_boot) != 64);
    BUILD_BUG_ON(NR_CPUS > PERCPU_MAX_CPUS);
}
