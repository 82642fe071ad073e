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
