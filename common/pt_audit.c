/* SPDX-License-Identifier: MIT */
/*
 * selftest=pt: each CPU walks its own stage-1 tables (from TTBR0_EL2 /
 * HTTBR) and checks every mapping against the layout (include/selftest.h):
 *
 *  - no leaf is both writable and executable (AP[2] clear and XN clear);
 *  - every leaf lies in a region the layout names: the runtime region
 *    (image, fixmap, FDT area: _start..__runtime_end), this CPU's per-CPU
 *    area (the slot and stack regions from cpu_data.slot_va,
 *    PERCPU_AREA_SIZE), or the page metadata's area;
 *  - so no identity mapping and no temporary alias outlived the boot: those
 *    would lie outside every region (an identity leaf, va == pa, is named
 *    as such).
 *
 * After dom0's stage-2 tables are built (selftest_pt_stage2), every stage-2
 * leaf is checked too: 1:1 (IPA = PA); host RAM only inside dom0's RAM and
 * as Normal memory, so no page hypcore owns (image, heap, tables, stacks,
 * frame table, DTB) is mapped; everything else Device and execute-never;
 * nothing hypcore keeps (GICH/GICV) mapped.
 *
 * Tables are read through the CPU's mapping window (one slot per level),
 * never written.  The descriptor format is the long-descriptor one both
 * architectures use (arm64 VMSAv8-64, arm32 LPAE); only the level count
 * and the root's size differ (arch/<arch>/include/arch/pgtable.h).
 */
#include <arch/pgtable.h>
#include <layout.h>
#include <mem_setup.h>
#include <p2m.h>
#include <percpu_mm.h>
#include <printk.h>
#include <pt_build.h>
#include <sections.h>
#include <selftest.h>
#include <smp.h>

/* Window slots for the walk, one per level (pt_build.h keeps the top two). */
#define PT_AUDIT_SLOT(level)    (4 + (level))
/* Problems printed in full per CPU; the rest are counted. */
#define PT_AUDIT_SHOWN          8

struct pt_audit {
    unsigned int cpu;
    unsigned long leaves, rx, ro, rw, device;
    unsigned long in_runtime, in_percpu, in_meta;
    unsigned int problems;
};

static bool in_range(u64 va, u64 size, u64 start, u64 len)
{
    return va >= start && va - start < len && size <= len - (va - start);
}

static void problem(struct pt_audit *a, u64 va, u64 size, u64 e, const char *what)
{
    if ( a->problems++ < PT_AUDIT_SHOWN )
        printk(XENLOG_ERR "selftest pt: cpu%u va 0x%llx-0x%llx -> pa 0x%llx (descriptor "
               "0x%llx): %s\n", a->cpu, (unsigned long long)va,
               (unsigned long long)(va + size), (unsigned long long)(e & PTE_ADDR_MASK),
               (unsigned long long)e, what);
}

static void check_leaf(struct pt_audit *a, u64 va, u64 size, u64 e)
{
    const struct cpu_data *d = this_cpu();
    bool writable = !(e & PTE_AP_RO), exec = !(e & PTE_XN);
    bool device = (e & PTE_ATTRINDX(7)) == PTE_ATTRINDX(MT_DEVICE_nGnRE) ||
                  (e & PTE_ATTRINDX(7)) == PTE_ATTRINDX(MT_DEVICE_nGnRnE);

    a->leaves++;
    if ( device )
        a->device++;
    else if ( writable )
        a->rw++;
    else if ( exec )
        a->rx++;
    else
        a->ro++;
    if ( writable && exec )
        problem(a, va, size, e, "writable and executable");

    if ( in_range(va, size, (vaddr_t)_start, (vaddr_t)__runtime_end - (vaddr_t)_start) )
        a->in_runtime++;
    else if ( d && in_range(va, size, d->slot_va, PERCPU_AREA_SIZE) )
        a->in_percpu++;
    else if ( boot_mem.meta_size && in_range(va, size, boot_mem.meta_va, boot_mem.meta_size) )
        a->in_meta++;
    else if ( (e & PTE_ADDR_MASK) == (va & PTE_ADDR_MASK) )
        problem(a, va, size, e, "an identity mapping outside every region of the layout");
    else
        problem(a, va, size, e, "outside every region of the layout (runtime region, "
                "per-CPU slot, page metadata)");
}

/* Walk the table at @table (level @level, covering VAs from @va_base). */
static void walk(struct pt_audit *a, paddr_t table, unsigned int level, u64 va_base)
{
    unsigned int i, n = level == PT_ROOT_LEVEL ? PT_ROOT_ENTRIES : PT_ENTRIES;
    const u64 *t = window_map(PT_AUDIT_SLOT(level), table);

    for ( i = 0; i < n; i++ )
    {
        u64 e = t[i], va = va_base + ((u64)i << PT_LEVEL_SHIFT(level));

        if ( !(e & PTE_VALID) )
            continue;
        if ( level < PT_LAST_LEVEL && (e & PTE_TABLE) )
            walk(a, e & PTE_ADDR_MASK, level + 1, va);
        else if ( level == PT_LAST_LEVEL && !(e & PTE_PAGE) )
            problem(a, va, PT_LEVEL_SIZE(level), e, "a reserved descriptor at level 3");
        else
            check_leaf(a, va, PT_LEVEL_SIZE(level), e);
    }
    window_unmap(PT_AUDIT_SLOT(level));
}

bool selftest_pt_cpu(unsigned int cpu)
{
    struct pt_audit a = { .cpu = cpu };

    walk(&a, root_table_paddr(), PT_ROOT_LEVEL, 0);
    if ( a.problems )
    {
        printk(XENLOG_ERR "selftest pt: cpu%u FAILED (%u problems, %u shown)\n", cpu,
               a.problems, a.problems < PT_AUDIT_SHOWN ? a.problems : PT_AUDIT_SHOWN);
        return false;
    }
    printk("selftest pt: cpu%u ok leaves=%lu rx=%lu ro=%lu rw=%lu device=%lu "
           "runtime=%lu percpu=%lu metadata=%lu\n", cpu, a.leaves, a.rx, a.ro, a.rw,
           a.device, a.in_runtime, a.in_percpu, a.in_meta);
    return true;
}

/* ------------------------------------------------------------- stage 2 */

struct s2_audit {
    const struct range *ram, *kept;
    unsigned int nr_ram, nr_kept, problems;
    u64 ram_bytes, mmio_bytes;
};

static bool overlaps(paddr_t a, u64 alen, paddr_t b, u64 blen)
{
    return a < b + blen && b < a + alen;
}

static void s2_problem(struct s2_audit *a, const struct p2m_leaf *l, const char *what,
                       const char *name)
{
    if ( a->problems++ < PT_AUDIT_SHOWN )
        printk(XENLOG_ERR "selftest pt: stage-2 ipa 0x%llx-0x%llx -> pa 0x%llx (descriptor "
               "0x%llx): %s%s%s\n", (unsigned long long)l->ipa,
               (unsigned long long)(l->ipa + l->size), (unsigned long long)l->pa,
               (unsigned long long)l->desc, what, name ? ": " : "", name ? name : "");
}

/* What of hypcore's the host RAM at [pa, pa + size) is, for the message. */
static const char *owner(paddr_t pa, u64 size)
{
    struct range r = { pa, pa + size };
    const struct mem_region *m = memmap_find_overlap(&boot_mem.map, &r, ~0U);

    return m ? mem_type_name(m->type) : "the heap (tables, stacks, data)";
}

static void check_s2_leaf(const struct p2m_leaf *l, void *ctx)
{
    struct s2_audit *a = ctx;
    bool in_host_ram = false, in_dom0 = false;
    unsigned int i;

    if ( l->reserved )
        s2_problem(a, l, "a reserved descriptor at level 3", NULL);
    if ( l->ipa != l->pa )
        s2_problem(a, l, "not 1:1 (dom0 is mapped IPA = PA)", NULL);
    for ( i = 0; i < boot_mem.map.nr_ram; i++ )
        in_host_ram |= overlaps(l->pa, l->size, boot_mem.map.ram[i].r.start,
                                boot_mem.map.ram[i].r.end - boot_mem.map.ram[i].r.start);
    for ( i = 0; i < a->nr_ram; i++ )
        in_dom0 |= l->pa >= a->ram[i].start && l->pa + l->size <= a->ram[i].end;
    if ( in_host_ram )
    {
        if ( !in_dom0 )
            s2_problem(a, l, "host RAM that is not dom0's: hypcore's", owner(l->pa, l->size));
        else if ( l->type != P2M_RAM )
            s2_problem(a, l, "dom0 RAM mapped as Device memory", NULL);
        a->ram_bytes += l->size;
    }
    else
    {
        if ( l->type != P2M_MMIO || !l->xn )
            s2_problem(a, l, "MMIO mapped as Normal memory or executable", NULL);
        a->mmio_bytes += l->size;
    }
    for ( i = 0; i < a->nr_kept; i++ )
        if ( overlaps(l->pa, l->size, a->kept[i].start, a->kept[i].end - a->kept[i].start) )
            s2_problem(a, l, "a range hypcore keeps for itself", NULL);
}

bool selftest_pt_stage2(const struct p2m *p2m, const struct range *ram, unsigned int nr_ram,
                        const struct range *kept, unsigned int nr_kept)
{
    struct s2_audit a = { .ram = ram, .nr_ram = nr_ram, .kept = kept, .nr_kept = nr_kept };
    unsigned long leaves = p2m_for_each_leaf(p2m, check_s2_leaf, &a);

    if ( a.problems )
    {
        printk(XENLOG_ERR "selftest pt: stage-2 FAILED (%u problems, %u shown)\n", a.problems,
               a.problems < PT_AUDIT_SHOWN ? a.problems : PT_AUDIT_SHOWN);
        return false;
    }
    printk("selftest pt: stage-2 ok leaves=%lu ram=0x%llx mmio=0x%llx kept-unmapped=%u\n",
           leaves, (unsigned long long)a.ram_bytes, (unsigned long long)a.mmio_bytes, nr_kept);
    return true;
}
