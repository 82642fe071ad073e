/* SPDX-License-Identifier: MIT */
/*
 * ARMv7 LPAE HYP-mode stage-1 translation (HTCR.T0SZ = 0): 32-bit VA, three
 * levels (1..3: 1 GiB, 2 MiB, 4 KiB), 64-bit long descriptors with up to
 * 40-bit output addresses.  Arm ARM (ARMv7-A/R, B3.6 Long-descriptor
 * translation table format).  Usable from C and assembly; names match
 * arch/arm64/include/arch/pgtable.h.
 */
#ifndef ARCH_ARM32_PGTABLE_H
#define ARCH_ARM32_PGTABLE_H

#ifdef __ASSEMBLER__
#define _UL(x) (x)
#else
#define _UL(x) (x##ULL)
#endif

#define PAGE_SHIFT              12
#define PAGE_SIZE               (1 << PAGE_SHIFT)
#define PAGE_MASK               (~(PAGE_SIZE - 1))

#define PT_LEVELS               3
#define PT_ROOT_LEVEL           1
#define PT_LAST_LEVEL           3
#define PT_ENTRY_SHIFT          3       /* 8-byte descriptors */
#define PT_ORDER                9
#define PT_ENTRIES              (1 << PT_ORDER)
#define PT_INDEX_MASK           (PT_ENTRIES - 1)
/* VA bits translated below level lvl: 30, 21, 12. */
#define PT_LEVEL_SHIFT(lvl)     (PAGE_SHIFT + (PT_LAST_LEVEL - (lvl)) * PT_ORDER)
#define PT_LEVEL_SIZE(lvl)      (_UL(1) << PT_LEVEL_SHIFT(lvl))
#define pt_index(lvl, va)       (((va) >> PT_LEVEL_SHIFT(lvl)) & PT_INDEX_MASK)

#define VA_BITS                 32
/* A level-1 entry covers 1 GiB; flipping this bit moves a VA to another one. */
#define VA_ROOT_SLOT_BIT        PT_LEVEL_SHIFT(PT_ROOT_LEVEL)

/* Descriptor bits (low word unless noted) */
#define PTE_VALID               (_UL(1) << 0)
#define PTE_TABLE               (_UL(1) << 1)
#define PTE_PAGE                PTE_TABLE
#define PTE_ATTRINDX(n)         (_UL(n) << 2)   /* index into HMAIR0/1 */
#define PTE_AP_RES1             (_UL(1) << 6)   /* AP[1]: SBO in the HYP regime */
#define PTE_AP_RO               (_UL(1) << 7)   /* AP[2] */
#define PTE_SH_INNER            (_UL(3) << 8)
#define PTE_AF                  (_UL(1) << 10)
#define PTE_XN                  (_UL(1) << 54)  /* high word bit 22 */
#define PTE_XN_HI               (1 << 22)
#define PTE_ADDR_MASK           _UL(0x000000fffffff000) /* output address [39:12] */
/* Physical address bits the LPAE descriptors above hold. */
#define PADDR_BITS              40
/*
 * Where hypcore puts translation tables (stage 1 and stage 2; the roots
 * too): below 4 GiB.  LPAE table descriptors and HTTBR/VTTBR hold 40 bits,
 * but QEMU 7.2's qemu-system-arm (32-bit target addresses) truncates the
 * address of every descriptor it fetches to 32 bits: a level-3 table at
 * 0x13ffed000 was read from 0x3ffed048 ("Invalid read", -d guest_errors),
 * an external abort on the walk (qemu-system-aarch64 -cpu cortex-a15 walks
 * it right).  Leaves may point anywhere in the 40 bits.
 */
#define ARCH_TABLE_PA_LIMIT     (_UL(1) << 32)

#define MT_DEVICE_nGnRnE        0       /* 0x00 strongly ordered */
#define MT_DEVICE_nGnRE         1       /* 0x04 device */
#define MT_NORMAL_NC            2       /* 0x44 */
#define MT_NORMAL               3       /* 0xff write-back RW-allocate */
#define HMAIR0_VALUE            0xff440400
#define HMAIR1_VALUE            0

#define PTE_NORMAL_BASE         (PTE_VALID | PTE_PAGE | PTE_ATTRINDX(MT_NORMAL) | \
                                 PTE_SH_INNER | PTE_AF | PTE_AP_RES1)
#define PAGE_HYP_RX             (PTE_NORMAL_BASE | PTE_AP_RO)
#define PAGE_HYP_RO             (PTE_NORMAL_BASE | PTE_AP_RO | PTE_XN)
#define PAGE_HYP_RW             (PTE_NORMAL_BASE | PTE_XN)
#define PAGE_HYP_DEVICE         (PTE_VALID | PTE_PAGE | PTE_ATTRINDX(MT_DEVICE_nGnRE) | \
                                 PTE_AF | PTE_AP_RES1 | PTE_XN)
#define TABLE_DESC              (PTE_VALID | PTE_TABLE)
/* The low words of the page descriptors, for assembly (XN is in the high word). */
#define PAGE_HYP_RX_LO          (PAGE_HYP_RX & 0xffffffff)
#define PAGE_HYP_RW_LO          ((PTE_NORMAL_BASE) & 0xffffffff)

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Write a descriptor with one STRD: single-copy atomic for an 8-byte aligned
 * doubleword with LPAE, so a walker never sees half of it.
 */
static inline void write_pte(uint64_t *p, uint64_t v)
{
    asm volatile ( "strd %1, %H1, [%0]" :: "r" (p), "r" (v) : "memory" );
}

/* The running CPU's root table (HTTBR). */
static inline uint64_t root_table_paddr(void)
{
    uint32_t lo, hi;

    asm volatile ( "mrrc p15, 4, %0, %1, c2" : "=r" (lo), "=r" (hi) );
    return (((uint64_t)hi << 32) | lo) & PTE_ADDR_MASK;
}

/*
 * Drop this CPU's cached translations of one page (TLBIMVAH) and its branch
 * predictions (BPIALL: required after a mapping change on ARMv7), after the
 * entry was cleared and the clear made visible.  Local: for mappings only
 * this CPU walks.
 */
static inline void flush_tlb_local_va(uintptr_t va)
{
    asm volatile ( "mcr p15, 4, %0, c8, c7, 1" :: "r" (va) : "memory" );
    asm volatile ( "mcr p15, 0, %0, c7, c5, 6" :: "r" (0) : "memory" );
    asm volatile ( "dsb nsh; isb" ::: "memory" );
}
#endif

#endif /* ARCH_ARM32_PGTABLE_H */
