/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/mm.c: the C side of the boot page tables.
 *
 * head.S built the tables in the image's pool and created every table the
 * fixmap and the FDT area need, so C only fills level-3 entries there.
 * Tables live in the image, so a table's vaddr is its paddr - phys_offset.
 */
#include <arch/pgtable.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <mm.h>
#include <printk.h>
#include <sections.h>

/* paddr - vaddr for everything inside the image. */
static s64 phys_offset;

void arch_mm_boot_init(paddr_t load)
{
    phys_offset = (s64)(load - (vaddr_t)_start);
}

paddr_t virt_to_image_paddr(const void *va)
{
    ASSERT((const char *)va >= _start && (const char *)va < _end);
    return (paddr_t)((vaddr_t)va + phys_offset);
}

static u64 *table_va(u64 entry)
{
    return (u64 *)(vaddr_t)((entry & PTE_ADDR_MASK) - phys_offset);
}

/* The level-3 entry for va; every table on the way must exist. */
static u64 *boot_pte(vaddr_t va)
{
    u64 *table = table_va(sysreg_read(ttbr0));
    unsigned int lvl;

    for ( lvl = PT_ROOT_LEVEL; lvl < PT_LAST_LEVEL; lvl++ )
    {
        u64 e = table[pt_index(lvl, (u64)va)];

        ASSERT((e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE));
        table = table_va(e);
    }
    return &table[pt_index(PT_LAST_LEVEL, (u64)va)];
}

static const u64 map_attrs[] = {
    [MAP_RO] = PAGE_HYP_RO,
    [MAP_RW] = PAGE_HYP_RW,
    [MAP_DEVICE] = PAGE_HYP_DEVICE,
};

void arch_map_page(vaddr_t va, paddr_t pa, enum map_type type)
{
    u64 *pte = boot_pte(va);

    ASSERT(IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(pa, PAGE_SIZE));
    ASSERT(type < ARRAY_SIZE(map_attrs));
    /* Invalid -> valid needs no break-before-make and no TLBI. */
    ASSERT(!(*pte & PTE_VALID));
    *pte = (pa & PTE_ADDR_MASK) | map_attrs[type];
    /* The new entry is visible to the table walker before any access uses it. */
    dsb(nshst);
    isb();
}

void arch_unmap_page(vaddr_t va)
{
    u64 *pte = boot_pte(va);

    ASSERT(*pte & PTE_VALID);
    *pte = 0;
    dsb(nshst);                         /* entry cleared before the TLBI */
    asm volatile ( "tlbi vae2, %0" :: "r" ((u64)va >> PAGE_SHIFT) : "memory" );
    dsb(nsh);                           /* TLBI complete (local: one CPU runs) */
    isb();
}

static void __unused build_assertions(void)
{
    BUILD_BUG_ON(PT_LEVEL_SHIFT(PT_ROOT_LEVEL) != 39);
    BUILD_BUG_ON(PT_LEVEL_SIZE(2) != 0x200000);
    BUILD_BUG_ON(MAIR_EL2_VALUE != 0xff440400ULL);
}

/*
 * The frame table (page metadata) lives in the 1 GiB next to the runtime
 * region's: same level-0 entry and level-1 table (head.S made them), its own
 * level-1 entry, and a level-2 table in the image mapping it with 2 MiB
 * blocks.  1 GiB of metadata covers ~340 GiB of RAM.
 */
static u64 frametable_l2[PT_ENTRIES] __aligned(PAGE_SIZE);

#define PMD_BLOCK_RW    ((PAGE_HYP_RW & ~PTE_TABLE) | PTE_VALID)   /* level-2 block */

void *arch_map_frametable(paddr_t pa, u64 size)
{
    vaddr_t va = ((vaddr_t)_start & ~(PT_LEVEL_SIZE(1) - 1)) ^ PT_LEVEL_SIZE(1);
    u64 *l1 = table_va(table_va(sysreg_read(ttbr0))[pt_index(0, (u64)va)]);
    u64 *l1e = &l1[pt_index(1, (u64)va)];
    u64 off;

    ASSERT(IS_ALIGNED(pa, FRAMETABLE_ALIGN) && IS_ALIGNED(size, FRAMETABLE_ALIGN));
    if ( size > PT_LEVEL_SIZE(1) )
        panic("page metadata of %llu bytes exceeds the 1 GiB frame-table area",
              (unsigned long long)size);
    /* The neighbouring GiB is ours alone: nothing may be mapped there yet. */
    ASSERT(!(*l1e & PTE_VALID));
    for ( off = 0; off < size; off += PT_LEVEL_SIZE(2) )
        frametable_l2[off / PT_LEVEL_SIZE(2)] = ((pa + off) & PTE_ADDR_MASK) | PMD_BLOCK_RW;
    /* Table contents are visible to the walker before the entry that links them. */
    dsb(nshst);
    *l1e = (virt_to_image_paddr(frametable_l2) & PTE_ADDR_MASK) | TABLE_DESC;
    dsb(nshst);
    isb();
    return (void *)va;
}
