/* SPDX-License-Identifier: MIT */
/*
 * common/boot_mm.c: the C side of the boot page tables, and the per-CPU
 * mapping window (include/mm.h, include/percpu_mm.h).
 *
 * head.S built the tables in the image's pool and created every table the
 * fixmap and the FDT area need, so C only fills last-level entries there.
 * Tables in the image have vaddr = paddr - phys_offset.  Descriptor bits,
 * write_pte(), root_table_paddr() and flush_tlb_local_va() come from the
 * architecture's pgtable.h.
 */
#include <arch/pgtable.h>
#include <cpu.h>
#include <layout.h>
#include <lib.h>
#include <mm.h>
#include <percpu_mm.h>
#include <sections.h>
#include <smp.h>

/* paddr - vaddr for everything inside the image. */
static s64 phys_offset;

void mm_boot_init(paddr_t load)
{
    phys_offset = (s64)(load - (vaddr_t)_start);
}

paddr_t virt_to_image_paddr(const void *va)
{
    ASSERT((const char *)va >= _start && (const char *)va < _end);
    return (paddr_t)((s64)(vaddr_t)va + phys_offset);
}

u64 *image_table_va(u64 entry)
{
    return (u64 *)(vaddr_t)((s64)(entry & PTE_ADDR_MASK) - phys_offset);
}

/* The last-level entry for va in the running tables; every table must exist. */
static u64 *boot_pte(vaddr_t va)
{
    u64 *table = image_table_va(root_table_paddr());
    unsigned int lvl;

    for ( lvl = PT_ROOT_LEVEL; lvl < PT_LAST_LEVEL; lvl++ )
    {
        u64 e = table[pt_index(lvl, (u64)va)];

        ASSERT((e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE));
        table = image_table_va(e);
    }
    return &table[pt_index(PT_LAST_LEVEL, (u64)va)];
}

static const u64 map_attrs[] = {
    [MAP_RO] = PAGE_HYP_RO,
    [MAP_RW] = PAGE_HYP_RW,
    [MAP_DEVICE] = PAGE_HYP_DEVICE,
};

void map_boot_page(vaddr_t va, paddr_t pa, enum map_type type)
{
    u64 *pte = boot_pte(va);

    ASSERT(IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(pa, PAGE_SIZE));
    ASSERT(type < ARRAY_SIZE(map_attrs));
    /* Invalid -> valid needs no break-before-make and no TLBI. */
    ASSERT(!(*pte & PTE_VALID));
    write_pte(pte, (pa & PTE_ADDR_MASK) | map_attrs[type]);
    /* The new entry is visible to the table walker before any access uses it. */
    dsb(nshst);
    isb();
}

void unmap_boot_page(vaddr_t va)
{
    u64 *pte = boot_pte(va);

    ASSERT(*pte & PTE_VALID);
    write_pte(pte, 0);
    dsb(nshst);                         /* cleared before the TLBI */
    flush_tlb_local_va(va);             /* boot CPU only: local */
}

/*
 * The mapping window: slots in this CPU's private slot, whose level-3 table
 * is mapped at PERCPU_L3_PAGE.  Private: only this CPU walks it, so the TLB
 * maintenance is local.
 */
static u64 *window_pte(unsigned int slot)
{
    u64 *l3 = (u64 *)(percpu_base + (vaddr_t)PERCPU_L3_PAGE * PAGE_SIZE);

    ASSERT(slot < PERCPU_WINDOW_SLOTS);
    return &l3[PERCPU_WINDOW_PAGE + slot];
}

void *window_map(unsigned int slot, paddr_t pa)
{
    u64 *pte = window_pte(slot);

    ASSERT(IS_ALIGNED(pa, PAGE_SIZE));
    ASSERT(!(*pte & PTE_VALID));        /* the slot is free */
    write_pte(pte, (pa & PTE_ADDR_MASK) | PAGE_HYP_RW);
    dsb(nshst);                         /* visible to our own walks */
    isb();
    return (void *)(percpu_base + (vaddr_t)(PERCPU_WINDOW_PAGE + slot) * PAGE_SIZE);
}

void window_unmap(unsigned int slot)
{
    u64 *pte = window_pte(slot);

    ASSERT(*pte & PTE_VALID);
    write_pte(pte, 0);
    dsb(nshst);                         /* cleared before the TLBI */
    flush_tlb_local_va(percpu_base + (vaddr_t)(PERCPU_WINDOW_PAGE + slot) * PAGE_SIZE);
}

vaddr_t percpu_map_device(unsigned int i, paddr_t pa)
{
    u64 *l3 = (u64 *)(percpu_base + (vaddr_t)PERCPU_L3_PAGE * PAGE_SIZE);
    u64 *pte, want = (pa & PTE_ADDR_MASK) | PAGE_HYP_DEVICE;

    ASSERT(i < PERCPU_DEVICE_PAGES && IS_ALIGNED(pa, PAGE_SIZE));
    pte = &l3[PERCPU_DEVICE_PAGE + i];
    if ( *pte != want )
    {
        /* Made once per CPU; a second idle entry finds it in place. */
        ASSERT(!(*pte & PTE_VALID));
        write_pte(pte, want);
        dsb(nshst);                     /* visible to our own walks before any access */
        isb();
    }
    return percpu_base + (vaddr_t)(PERCPU_DEVICE_PAGE + i) * PAGE_SIZE;
}
