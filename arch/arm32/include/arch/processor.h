/* SPDX-License-Identifier: MIT */
/*
 * ARMv7 HYP-mode control register fields hypcore programs (C and assembly).
 * ARMv7-A/R Arm ARM, B4.1 (HSCTLR, HTCR, HCR, HCPTR, HSR).
 */
#ifndef ARCH_ARM32_PROCESSOR_H
#define ARCH_ARM32_PROCESSOR_H

#include <arch/pgtable.h>

/* CPSR */
#define PSR_MODE_MASK           0x1f
#define PSR_MODE_HYP            0x1a
#define PSR_A                   (1 << 8)
#define PSR_I                   (1 << 7)
#define PSR_F                   (1 << 6)

/* CPSR / SPSR modes and state bits the guest entry and abort injection use. */
#define PSR_MODE_SVC            0x13
#define PSR_MODE_ABT            0x17
#define PSR_MODE_UND            0x1b
#define PSR_T                   (1 << 5)
#define PSR_E                   (1 << 9)
#define PSR_IT_MASK             0x0600fc00  /* IT[7:2] (15:10), IT[1:0] (26:25) */
#define PSR_J                   (1 << 24)
/* SVC, A, I and F masked: a zImage's entry state (booting.rst) and Xen's. */
#define PSR_GUEST_ENTRY         (PSR_MODE_SVC | PSR_A | PSR_I | PSR_F)

/* HSCTLR */
#define SCTLR_M                 (1 << 0)
#define SCTLR_A                 (1 << 1)    /* alignment checking: on */
#define SCTLR_C                 (1 << 2)
#define SCTLR_I                 (1 << 12)
#define SCTLR_WXN               (1 << 19)
#define SCTLR_EE                (1 << 25)
#define SCTLR_TE                (1 << 30)   /* exceptions in Thumb: off (vectors are ARM) */
/* RES1: bits 3, 4, 5, 11, 16, 18, 22, 23, 28, 29. */
#define HSCTLR_RES1             0x30c50838
#define HSCTLR_BOOT             (HSCTLR_RES1 | SCTLR_A)
#define HSCTLR_MMU_ON           (SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN)

/* HCR: nothing trapped or routed yet. */
#define HCR_BOOT                0
/*
 * HCR while dom0 runs (B4.1.65): VM = stage 2 on; SWIO = set/way
 * invalidates by the guest also clean (its lines may hold hypcore's data
 * too, as on arm64); TSC = SMC traps (PSCI over SMC, as QEMU's DT asks).
 * IMO/FMO/AMO stay 0: the GIC is passed through, interrupts and
 * asynchronous aborts go straight to the guest.  No RW bit on arm32.
 */
#define HCR_VM                  (1U << 0)
#define HCR_SWIO                (1U << 1)
#define HCR_TSC                 (1U << 19)
#define HCR_GUEST               (HCR_VM | HCR_SWIO | HCR_TSC)

/*
 * SCTLR for a guest at reset (B4.1.130, Cortex-A15 TRM 4.3.27): MMU, caches
 * and alignment checks off, low vectors, ARM exceptions, little-endian;
 * only the RAO/SBO bits 3, 4, 5, 6, 16, 18, 22 and 23 set.
 */
#define SCTLR_GUEST_RESET       0x00c50078
#define SCTLR_V                 (1 << 13)   /* exception vectors at 0xffff0000 */

/* CNTHCTL (B4.1.26): PL1 and PL0 may read the physical counter and use the physical timer. */
#define CNTHCTL_PL1PCTEN        (1 << 0)
#define CNTHCTL_PL1PCEN         (1 << 1)

/* PMCR.N (bits 15:11): event counters, given to the guest through HDCR.HPMN. */
#define PMCR_N_SHIFT            11
#define PMCR_N_MASK             0x1f

/* HSR exception classes of traps from the guest (B3.13.6). */
#define EC_HVC                  0x12
#define EC_SMC                  0x13
#define EC_IABT_GUEST           0x20
#define EC_DABT_GUEST           0x24
#define ESR_HVC_IMM_MASK        0xffff
#define ESR_DABT_WNR            (1 << 6)

/* HPFAR (B4.1.70): FIPA, bits [31:4], holds IPA[39:12]. */
#define HPFAR_FIPA_MASK         0xfffffff0U
#define HPFAR_FIPA_LSHIFT       8
/* PAR (B4.1.112), read as 64 bits: F (bit 0) = fault; LPAE (bit 11) = long format. */
#define PAR_F                   (1ULL << 0)
#define PAR_LPAE                (1ULL << 11)
#define PAR_PA_MASK_LPAE        0x000000fffffff000ULL
#define PAR_PA_MASK_SHORT       0xfffff000ULL
/* TTBCR.EAE: the guest's stage 1 uses long descriptors (and FSR formats). */
#define TTBCR_EAE               (1U << 31)
/*
 * The fault status Xen 4.17 injects into a 32-bit guest for an access it
 * cannot back: "debug event" (B4.1.52 short format FS = 0b00010; long
 * format: LPAE bit 9, STATUS 0b100010).
 */
#define FSR_SHORT_DEBUG         0x2
#define FSR_LPAE                (1U << 9)
#define FSR_LONG_DEBUG          0x22
/* Exception vector offsets (B1.8.1) and preferred-return adjustments (B1.8.3). */
#define VECTOR_UND              0x04
#define VECTOR_PABT             0x0c
#define VECTOR_DABT             0x10
#define LR_OFFSET_PABT          4
#define LR_OFFSET_DABT          8
#define LR_OFFSET_UND_A32       4       /* from the undefined instruction, ARM state */
#define LR_OFFSET_UND_T32       2       /* Thumb state */
#define HIGH_VECTORS            0xffff0000U

/*
 * HCPTR: RES1 bits 0-9, 12, 13; TCP10/TCP11 (bits 10, 11) = 0 so VFP/Neon
 * do not trap (Debian's armhf libfdt.a is built for VFPv3-D16); TASE,
 * TTA = 0.
 */
#define HCPTR_BOOT              0x33ff

/* HTCR: T0SZ = 0 (32-bit VA), walks inner/outer WBWA, inner shareable. */
#define HTCR_RES1               ((1U << 31) | (1 << 23))
#define HTCR_BOOT               (HTCR_RES1 | (1 << 8) | (1 << 10) | (3 << 12))

/* HSR */
#define ESR_EC_SHIFT            26
#define ESR_EC_MASK             0x3f
#define ESR_IL                  (1 << 25)
#define ESR_ISS_MASK            0x1ffffff

/* FPEXC.EN */
#define FPEXC_EN                (1 << 30)

/* Data cache line size: CTR.DminLine is log2(words), bits [19:16]. */
#define CTR_DMINLINE_SHIFT      16
#define CTR_DMINLINE_MASK       0xf

#endif /* ARCH_ARM32_PROCESSOR_H */
