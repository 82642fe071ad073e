/* SPDX-License-Identifier: MIT */
/*
 * selftest=pt: each CPU walks its own stage-1 tables (from TTBR0_EL2 /
 * HTTBR) and checks every mapping against the layout (include/selftest.h):
 *
 *  - no leaf is both writable and executable (AP[2] clear and XN clear);
 *  - every leaf lies in a region the layout names: the runtime region
 *    (image, fixmap, FDT area: _start..__runtime_end), this CPU's per-CPU
 *    slot (2 MiB at cpu_data.slot_va), or the page metadata's area;
 *  - so no identity mapping and no temporary alias outlived the boot: those
 *    would lie outside every region (an identity leaf, va == pa, is named
 *    as such).
 *
 * Tables are read through the CPU's mapping window (one slot per level),
 * never written.  The descriptor format is the long-descriptor one both
 * architectures use (arm64 VMSAv8-64, arm32 LPAE); only the level count
 * and the root's size differ (arch/<arch>/include/arch/pgtable.h).
 */
#include <arch/pgtable.h>
#include <layout.h>
#include <mem_setup.h>
#include <percpu_mm.h>
#include <printk.h>
#include <sections.h>
#include <selftest.h>
#include <smp.h>

/* Window slots for the walk, one per level (pt_build.h keeps the top two). */
#define PT_AUDIT_SLOT(level)    (4 + (level))
/* Entries of the root table: the VA bits it translates. */
#define PT_ROOT_ENTRIES         (1U << (VA_BITS - PT_LEVEL_SHIFT(PT_ROOT_LEVEL)))
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
    else if ( d && in_range(va, size, d->slot_va, PT_LEVEL_SIZE(2)) )
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
