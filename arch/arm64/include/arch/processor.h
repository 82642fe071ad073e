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
#define HCR_VM                  (_UL(1) << 0)   /* stage-2 translation on */
#define HCR_SWIO                (_UL(1) << 1)   /* set/way invalidate by EL1 cleans too */
#define HCR_FMO                 (_UL(1) << 3)   /* FIQ to EL2: kept 0 (GIC passed through) */
#define HCR_IMO                 (_UL(1) << 4)   /* IRQ to EL2: kept 0 */
#define HCR_AMO                 (_UL(1) << 5)   /* SError to EL2: kept 0 */
#define HCR_TSC                 (_UL(1) << 19)  /* SMC from EL1 traps to EL2 */
#define HCR_TGE                 (_UL(1) << 27)  /* kept 0: EL1 exists */
#define HCR_RW                  (_UL(1) << 31)
#define HCR_EL2_BOOT            HCR_RW
/* What dom0 runs with: stage 2, SMC trapped (PSCI), interrupts straight to EL1. */
#define HCR_EL2_GUEST           (HCR_VM | HCR_SWIO | HCR_TSC | HCR_RW)

/* SPSR_EL2 for entering EL1h with D, A, I and F masked. */
#define SPSR_MODE_EL0t          0x0
#define SPSR_MODE_EL1t          0x4
#define SPSR_MODE_EL1h          0x5
#define SPSR_MODE_MASK          0xf
#define SPSR_AARCH32            (_UL(1) << 4)
#define SPSR_DAIF_MASKED        (_UL(0xf) << 6)
#define SPSR_EL1H_MASKED        (SPSR_DAIF_MASKED | SPSR_MODE_EL1h)

/* SCTLR_EL1 RES1 bits (v8.0): 11, 20, 22, 23, 28, 29; MMU and caches off, LE. */
#define SCTLR_EL1_RES1          _UL(0x30d00800)

/* CNTHCTL_EL2 (E2H = 0): EL1 reads the physical counter and uses the physical timer. */
#define CNTHCTL_EL1PCTEN        (_UL(1) << 0)
#define CNTHCTL_EL1PCEN         (_UL(1) << 1)

/* MDCR_EL2.HPMN: event counters EL1 may use; PMCR_EL0.N is bits [15:11]. */
#define PMCR_N_SHIFT            11
#define PMCR_N_MASK             0x1f

/* ID_AA64PFR0_EL1.GIC, bits [27:24]: non-zero = GIC system-register interface. */
#define ID_AA64PFR0_GIC_SHIFT   24
#define ID_AA64PFR0_GIC_MASK    0xf
/* ICC_SRE_EL2: SRE (system registers at EL2) and Enable (EL1 may use them). */
#define ICC_SRE_EL2_SRE         (_UL(1) << 0)
#define ICC_SRE_EL2_ENABLE      (_UL(1) << 3)

/* ESR_ELx classes a guest traps with, and the abort fields hypcore uses. */
#define EC_UNKNOWN              0x00
#define EC_HVC64                0x16
#define EC_SMC64                0x17
#define EC_IABT_LOWER           0x20
#define EC_IABT_CUR             0x21
#define EC_DABT_LOWER           0x24
#define EC_DABT_CUR             0x25
#define ESR_HVC_IMM_MASK        0xffff
#define ESR_DABT_WNR            (_UL(1) << 6)
/* HPFAR_EL2.FIPA, bits [43:4], holds IPA[51:12]. */
#define HPFAR_FIPA_SHIFT        4
#define HPFAR_FIPA_MASK         _UL(0xffffffffff0)
/* PAR_EL1 after AT: F (bit 0) = fault; PA in bits [47:12]. */
#define PAR_F                   (_UL(1) << 0)
#define PAR_PA_MASK             _UL(0x0000fffffffff000)

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
