/* SPDX-License-Identifier: MIT */
/*
 * AArch64 EL2 system-register fields hypcore programs (C and assembly).
 * Field positions: Arm ARM D19 (AArch64 system register descriptions).
 */
#ifndef ARCH_ARM64_PROCESSOR_H
#define ARCH_ARM64_PROCESSOR_H

#include <arch/pgtable.h>

/* CurrentEL.EL is bits [3:2]. */
#define CURRENTEL_EL2           (2 << 2)

/* SCTLR_EL2 (E2H = 0 layout) */
#define SCTLR_M                 (_UL(1) << 0)   /* stage-1 MMU enable */
#define SCTLR_A                 (_UL(1) << 1)   /* alignment checking */
#define SCTLR_C                 (_UL(1) << 2)   /* data cacheability */
#define SCTLR_SA                (_UL(1) << 3)   /* SP alignment check */
#define SCTLR_I                 (_UL(1) << 12)  /* instruction cacheability */
#define SCTLR_WXN               (_UL(1) << 19)  /* writable implies execute-never */
#define SCTLR_EE                (_UL(1) << 25)  /* big-endian data: kept 0 */
/* RES1 bits of SCTLR_EL2 when HCR_EL2.E2H = 0: 4,5,11,16,18,22,23,28,29. */
#define SCTLR_EL2_RES1          _UL(0x30c50830)
/* MMU, caches off; little-endian; SP alignment checked. */
#define SCTLR_EL2_BOOT          (SCTLR_EL2_RES1 | SCTLR_SA)
#define SCTLR_EL2_MMU_ON        (SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN)

/* HCR_EL2: RW = EL1 is AArch64; nothing routed to or trapped in EL2 yet. */
#define HCR_RW                  (_UL(1) << 31)
#define HCR_EL2_BOOT            HCR_RW

/*
 * CPTR_EL2 (E2H = 0): RES1 bits [13:12] and [9:0]; TFP (bit 10) = 0 so FP and
 * Advanced SIMD do not trap: Debian's libfdt.a uses SIMD registers.  TZ
 * (bit 8, in the RES1 range when SVE is absent) = 1 traps SVE; TTA = 0,
 * TCPAC = 0.
 */
#define CPTR_EL2_BOOT           _UL(0x33ff)

/* TCR_EL2 (E2H = 0 layout) */
#define TCR_T0SZ(bits)          (64 - (bits))
#define TCR_IRGN0_WBWA          (_UL(1) << 8)
#define TCR_ORGN0_WBWA          (_UL(1) << 10)
#define TCR_SH0_INNER           (_UL(3) << 12)
#define TCR_TG0_4K              (_UL(0) << 14)
#define TCR_PS_SHIFT            16
#define TCR_PS_WIDTH            3
#define TCR_EL2_RES1            ((_UL(1) << 31) | (_UL(1) << 23))
/* PS is filled in from ID_AA64MMFR0_EL1.PARange at boot. */
#define TCR_EL2_BOOT            (TCR_EL2_RES1 | TCR_T0SZ(VA_BITS) | TCR_IRGN0_WBWA | \
                                 TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K)
/* ID_AA64MMFR0_EL1.PARange: 5 = 48 bits, the widest our descriptors express. */
#define PARANGE_MASK            0xf
#define PARANGE_48BIT           5

/* ESR_ELx */
#define ESR_EC_SHIFT            26
#define ESR_EC_MASK             0x3f
#define ESR_IL                  (_UL(1) << 25)
#define ESR_ISS_MASK            0x1ffffff

/* Data cache line size: CTR_EL0.DminLine is log2(words), bits [19:16]. */
#define CTR_DMINLINE_SHIFT      16
#define CTR_DMINLINE_MASK       0xf

#endif /* ARCH_ARM64_PROCESSOR_H */
