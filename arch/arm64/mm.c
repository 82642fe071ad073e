/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/mm.c: the frame-table mapping (the rest of the boot page-table
 * code is common/boot_mm.c).
 */
#include <arch/pgtable.h>
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <mm.h>
#include <printk.h>
#include <sections.h>

static void __unused build_assertions(void)
{
    BUILD_BUG_ON(PT_LEVEL_SHIFT(PT_ROOT_LEVEL) != 39);
    BUILD_BUG_ON(PT_LEVEL_SIZE(2) != 0x200000);
    BUILD_BUG_ON(MAIR_EL2_VALUE != 0xff440400ULL);
    /*
     * arch_paddr_bits() promises PADDR_BITS: the descriptors' output-address
     * mask must keep every one of those bits above the page offset, and TCR_EL2.PS
     * (head.S, cpu_init) is capped at the same width.
     */
    BUILD_BUG_ON(PTE_ADDR_MASK != (((_UL(1) << PADDR_BITS) - 1) & PAGE_MASK));
    BUILD_BUG_ON(PADDR_BITS != 48 || PARANGE_48BIT != 5);
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
    u64 *l1 = image_table_va(image_table_va(root_table_paddr())[pt_index(0, (u64)va)]);
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
    /*
     * Table contents are visible to the walker before the entry that links
     * them; that entry is live (the boot root's runtime level-1 table), so it
     * is written with one single-copy-atomic store (write_pte).
     */
    dsb(nshst);
    write_pte(l1e, (virt_to_image_paddr(frametable_l2) & PTE_ADDR_MASK) | TABLE_DESC);
    dsb(nshst);
    isb();
    return (void *)va;
}
