/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/mm.c: the frame-table mapping (the rest of the boot page-table
 * code is common/boot_mm.c).
 */
#include <arch/pgtable.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <mm.h>
#include <printk.h>
#include <sections.h>

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
    u64 *l1 = image_table_va(root_table_paddr());
    u64 *l2 = image_table_va(l1[pt_index(1, (u64)va)]);
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
