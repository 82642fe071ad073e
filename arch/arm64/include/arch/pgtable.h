/* SPDX-License-Identifier: MIT */
/*
 * AArch64 stage-1 EL2 translation: 4 KiB granule, 48-bit VA, four levels
 * (0..3), one VA range (TTBR0_EL2 only, HCR_EL2.E2H = 0).  Usable from C and
 * assembly.  Descriptor bits: Arm ARM D8.3 (VMSAv8-64 descriptor formats).
 */
#ifndef ARCH_ARM64_PGTABLE_H
#define ARCH_ARM64_PGTABLE_H

#ifdef __ASSEMBLER__
#define _UL(x) (x)
#else
#define _UL(x) (x##ULL)
#endif

#define PAGE_SHIFT              12
#define PAGE_SIZE               (_UL(1) << PAGE_SHIFT)
#define PAGE_MASK               (~(PAGE_SIZE - 1))

#define PT_LEVELS               4
#define PT_ROOT_LEVEL           0
#define PT_LAST_LEVEL           3
#define PT_ENTRY_SHIFT          3       /* 8-byte descriptors */
#define PT_ORDER                9       /* 512 entries per table */
#define PT_ENTRIES              (1 << PT_ORDER)
#define PT_INDEX_MASK           (PT_ENTRIES - 1)
/* VA bits translated below level lvl: 39, 30, 21, 12. */
#define PT_LEVEL_SHIFT(lvl)     (PAGE_SHIFT + (PT_LAST_LEVEL - (lvl)) * PT_ORDER)
#define PT_LEVEL_SIZE(lvl)      (_UL(1) << PT_LEVEL_SHIFT(lvl))
#define pt_index(lvl, va)       (((va) >> PT_LEVEL_SHIFT(lvl)) & PT_INDEX_MASK)

#define VA_BITS                 48
/* A level-0 entry covers 512 GiB; flipping this bit moves a VA to the neighbouring one. */
#define VA_ROOT_SLOT_BIT        PT_LEVEL_SHIFT(PT_ROOT_LEVEL)

/* Descriptor bits */
#define PTE_VALID               (_UL(1) << 0)
#define PTE_TABLE               (_UL(1) << 1)   /* levels 0-2: table; level 3: page */
#define PTE_PAGE                PTE_TABLE
#define PTE_ATTRINDX(n)         (_UL(n) << 2)   /* index into MAIR_EL2 */
#define PTE_AP_RES1             (_UL(1) << 6)   /* AP[1]: RES1 in the one-range EL2 regime */
#define PTE_AP_RO               (_UL(1) << 7)   /* AP[2]: read-only */
#define PTE_SH_INNER            (_UL(3) << 8)
#define PTE_AF                  (_UL(1) << 10)  /* access flag: set, no AF faults */
#define PTE_XN                  (_UL(1) << 54)  /* execute-never (EL2 regime) */
#define PTE_ADDR_MASK           _UL(0x0000fffffffff000)  /* output address bits [47:12] */
/* Physical address bits the descriptors above hold (no FEAT_LPA: 52-bit OAs need 64 KiB pages). */
#define PADDR_BITS              48
/* Where translation tables may be: anywhere (arm32's limit is narrower). */
#define ARCH_TABLE_PA_LIMIT     (_UL(1) << PADDR_BITS)

/* MAIR_EL2 attribute indices and the encodings programmed in MAIR_EL2. */
#define MT_DEVICE_nGnRnE        0       /* 0x00 */
#define MT_DEVICE_nGnRE         1       /* 0x04 */
#define MT_NORMAL_NC            2       /* 0x44: inner/outer non-cacheable */
#define MT_NORMAL               3       /* 0xff: inner/outer write-back RW-allocate */
#define MAIR_EL2_VALUE          _UL(0xff440400)

/* Page descriptors for the mappings hypcore makes (level 3). */
#define PTE_NORMAL_BASE         (PTE_VALID | PTE_PAGE | PTE_ATTRINDX(MT_NORMAL) | \
                                 PTE_SH_INNER | PTE_AF | PTE_AP_RES1)
#define PAGE_HYP_RX             (PTE_NORMAL_BASE | PTE_AP_RO)
#define PAGE_HYP_RO             (PTE_NORMAL_BASE | PTE_AP_RO | PTE_XN)
#define PAGE_HYP_RW             (PTE_NORMAL_BASE | PTE_XN)
#define PAGE_HYP_DEVICE         (PTE_VALID | PTE_PAGE | PTE_ATTRINDX(MT_DEVICE_nGnRE) | \
                                 PTE_AF | PTE_AP_RES1 | PTE_XN)
#define TABLE_DESC              (PTE_VALID | PTE_TABLE)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Write a descriptor: one 64-bit store, never torn for the walker. */
static inline void write_pte(uint64_t *p, uint64_t v)
{
    *(volatile uint64_t *)p = v;
}

/* The running CPU's root table (TTBR0_EL2). */
static inline uint64_t root_table_paddr(void)
{
    uint64_t v;

    asm volatile ( "mrs %0, ttbr0_el2" : "=r" (v) );
    return v & PTE_ADDR_MASK;
}

/*
 * Drop this CPU's cached translations of one page (every level), after its
 * entry was cleared and the clear made visible (dsb).  Local: for mappings
 * only this CPU walks.
 */
static inline void flush_tlb_local_va(uintptr_t va)
{
    asm volatile ( "tlbi vae2, %0" :: "r" ((uint64_t)va >> PAGE_SHIFT) : "memory" );
    asm volatile ( "dsb nsh; isb" ::: "memory" );
}
#endif

#endif /* ARCH_ARM64_PGTABLE_H */
