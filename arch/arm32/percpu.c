/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/percpu.c: the boot CPU's private slot and mapping window.
 *
 * The slot is the last 2 MiB of the runtime region's GiB (hypcore.lds.S),
 * one level-3 table in the image: stack with guard pages, per-CPU data,
 * its own level-3 table and the mapping window, laid out as on arm64
 * (include/layout.h).  With a 32-bit VA, the slot cannot get a root entry
 * of its own as on arm64; secondary CPUs are not brought up on arm32 yet
 * (arch_secondaries_supported() says so, and smp_init() reports it).
 */
#include <arch/pgtable.h>
#include <arch/sysregs.h>
#include <layout.h>
#include <lib.h>
#include <mm.h>
#include <percpu_mm.h>
#include <sections.h>
#include <smp.h>
#include <string.h>

const vaddr_t percpu_base = (vaddr_t)__percpu_start;

#define PERCPU_VA(page)     (percpu_base + (vaddr_t)(page) * PAGE_SIZE)

static u64 cpu0_l3[PT_ENTRIES] __aligned(PAGE_SIZE);

bool arch_secondaries_supported(void)
{
    return false;
}

paddr_t arch_secondary_entry(void)
{
    return 0;
}

static u64 *private_l3(void)
{
    return (u64 *)PERCPU_VA(PERCPU_L3_PAGE);
}

void *window_map(unsigned int slot, paddr_t pa)
{
    u64 *pte = &private_l3()[PERCPU_WINDOW_PAGE + slot];

    ASSERT(slot < PERCPU_WINDOW_SLOTS && IS_ALIGNED(pa, PAGE_SIZE));
    ASSERT(!(*pte & PTE_VALID));
    write_pte(pte, (pa & PTE_ADDR_MASK) | PAGE_HYP_RW);
    dsb(nshst);
    isb();
    return (void *)PERCPU_VA(PERCPU_WINDOW_PAGE + slot);
}

void window_unmap(unsigned int slot)
{
    u64 *pte = &private_l3()[PERCPU_WINDOW_PAGE + slot];
    vaddr_t va = PERCPU_VA(PERCPU_WINDOW_PAGE + slot);

    ASSERT(slot < PERCPU_WINDOW_SLOTS && (*pte & PTE_VALID));
    write_pte(pte, 0);
    dsb(nshst);
    asm volatile ( "mcr p15, 4, %0, c8, c7, 1" :: "r" (va) : "memory" ); /* TLBIMVAH */
    dsb(nsh);                           /* local: only the boot CPU runs */
    isb();
}

vaddr_t arch_percpu_boot_cpu(const struct percpu_pages *pg, u64 mpidr)
{
    u64 *l1 = (u64 *)(vaddr_t)((sysreg_read_ttbr0() & PTE_ADDR_MASK) -
                               (virt_to_image_paddr(_start) - (vaddr_t)_start));
    u64 *l2 = (u64 *)(vaddr_t)((l1[pt_index(1, (u64)percpu_base)] & PTE_ADDR_MASK) -
                               (virt_to_image_paddr(_start) - (vaddr_t)_start));
    u64 *slot = &l2[pt_index(2, (u64)percpu_base)];
    struct cpu_data *d;
    unsigned int i;

    BUILD_BUG_ON(PERCPU_STACK_PAGES != ARRAY_SIZE(pg->stack));
    ASSERT(!(*slot & PTE_VALID));
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        cpu0_l3[PERCPU_STACK_PAGE(0) + i] = pg->stack[i] | PAGE_HYP_RW;
    cpu0_l3[PERCPU_EXC_STACK_PAGE] = pg->exc_stack | PAGE_HYP_RW;
    cpu0_l3[PERCPU_DATA_PAGE] = pg->data | PAGE_HYP_RW;
    cpu0_l3[PERCPU_L3_PAGE] = virt_to_image_paddr(cpu0_l3) | PAGE_HYP_RW;
    dsb(nshst);                         /* the table is complete before it is linked */
    write_pte(slot, virt_to_image_paddr(cpu0_l3) | TABLE_DESC);
    dsb(nshst);
    isb();

    d = (struct cpu_data *)PERCPU_VA(PERCPU_DATA_PAGE);
    memset(d, 0, PAGE_SIZE);
    d->id = 0;
    d->mpidr = mpidr;
    d->root = sysreg_read_ttbr0() & PTE_ADDR_MASK;
    d->data_pa = pg->data;
    d->guard_va = PERCPU_VA(PERCPU_GUARD_PAGE(0));
    d->stack_top = PERCPU_VA(PERCPU_STACK_PAGE(0) + PERCPU_STACK_PAGES);
    sysreg_write(tpidr, (vaddr_t)d);
    return d->stack_top;
}

paddr_t arch_cpu_prepare(unsigned int cpu, u64 mpidr, const struct percpu_pages *pg)
{
    (void)cpu; (void)mpidr; (void)pg;
    return 0;
}

void arch_cpu_boot_done(unsigned int cpu)
{
    (void)cpu;
}

void arch_cpu_release(unsigned int cpu)
{
    (void)cpu;
}
