/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/mm.c: the C side of the boot page tables (in step with
 * arch/arm64/mm.c).  head.S built them in the image's pool and made every
 * table the fixmap and the FDT area need; tables live in the image, so a
 * table's vaddr is its paddr - phys_offset.  Descriptors are 64-bit and
 * written with one STRD (single-copy atomic with LPAE), never as two words
 * a walker could see half-updated.
 */
#include <arch/pgtable.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <mm.h>
#include <printk.h>
#include <sections.h>

static s64 phys_offset;

void arch_mm_boot_init(paddr_t load)
{
    phys_offset = (s64)(load - (vaddr_t)_start);
}

paddr_t virt_to_image_paddr(const void *va)
{
    ASSERT((const char *)va >= _start && (const char *)va < _end);
    return (paddr_t)((s64)(vaddr_t)va + phys_offset);
}

static u64 *table_va(u64 entry)
{
    return (u64 *)(vaddr_t)((s64)(entry & PTE_ADDR_MASK) - phys_offset);
}

static u64 *boot_pte(vaddr_t va)
{
    u64 *table = table_va(sysreg_read_ttbr0());
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
    ASSERT(!(*pte & PTE_VALID));        /* invalid -> valid: no BBM, no TLBI */
    write_pte(pte, (pa & PTE_ADDR_MASK) | map_attrs[type]);
    dsb(nshst);                         /* visible to the walker before use */
    isb();
}

void arch_unmap_page(vaddr_t va)
{
    u64 *pte = boot_pte(va);

    ASSERT(*pte & PTE_VALID);
    write_pte(pte, 0);
    dsb(nshst);                         /* cleared before the TLBI */
    asm volatile ( "mcr p15, 4, %0, c8, c7, 1" :: "r" (va) : "memory" ); /* TLBIMVAH */
    asm volatile ( "mcr p15, 0, %0, c7, c5, 6" :: "r" (0) : "memory" );  /* BPIALL */
    dsb(nsh);                           /* local: one CPU runs */
    isb();
}

/*
 * The frame table: 2 MiB blocks in the half of the runtime region's GiB that
 * does not hold the region (the last 2 MiB of the GiB is the per-CPU slot),
 * through the region's level-2 table.  256 MiB of VA covers ~80 GiB of RAM.
 */
#define FRAMETABLE_MAX      (256ULL << 20)
#define PMD_BLOCK_RW        ((PAGE_HYP_RW & ~PTE_TABLE) | PTE_VALID)

void *arch_map_frametable(paddr_t pa, u64 size)
{
    vaddr_t gib = (vaddr_t)_start & ~(vaddr_t)(PT_LEVEL_SIZE(1) - 1);
    vaddr_t va = gib + (((vaddr_t)_start - gib) < (PT_LEVEL_SIZE(1) / 2) ?
                        (vaddr_t)(PT_LEVEL_SIZE(1) / 2) : 0);
    u64 *l1 = table_va(sysreg_read_ttbr0());
    u64 *l2 = table_va(l1[pt_index(1, (u64)va)]);
    u64 off;

    ASSERT(IS_ALIGNED(pa, FRAMETABLE_ALIGN) && IS_ALIGNED(size, FRAMETABLE_ALIGN));
    if ( size > FRAMETABLE_MAX )
        panic("page metadata of %llu bytes exceeds the %llu-byte frame-table area",
              (unsigned long long)size, (unsigned long long)FRAMETABLE_MAX);
    for ( off = 0; off < size; off += PT_LEVEL_SIZE(2) )
    {
        u64 *e = &l2[pt_index(2, (u64)(va + off))];

        ASSERT(!(*e & PTE_VALID));      /* nothing else lives in that half */
        write_pte(e, ((pa + off) & PTE_ADDR_MASK) | PMD_BLOCK_RW);
    }
    dsb(nshst);
    isb();
    return (void *)va;
}
