/* SPDX-License-Identifier: MIT */
/* The arm32 part of struct vcpu (include/vcpu.h): HYP-mode state per vcpu. */
#ifndef ARCH_ARM32_VCPU_H
#define ARCH_ARM32_VCPU_H

#include <types.h>

struct vcpu_arch {
    u32 hcr;        /* HCR while the guest runs */
    u64 vttbr;      /* VTTBR: stage-2 root and VMID */
    u32 vtcr;       /* VTCR */
    u32 hcptr;      /* HCPTR */
    u32 hdcr;       /* HDCR */
    u32 cnthctl;    /* CNTHCTL */
    u32 sctlr;      /* the guest's SCTLR at entry */
};

/* The guest's general-purpose registers in a trap frame. */
#define guest_reg(regs, n)          ((regs)->r[n])
#define GUEST_HYPERCALL_NR(regs)    ((regs)->r[12])

/*
 * What dom0_build() takes as dom0's kernel and where its RAM may lie: an
 * arm32 zImage (Documentation/arch/arm/booting.rst), entered in SVC mode;
 * RAM below 4 GiB.  An LPAE kernel starts with the MMU off, where only
 * 32-bit physical addresses exist: its zImage, DTB and the RAM it first
 * maps must be there (booting.rst), and Xen 4.17 likewise gives a 32-bit
 * dom0 its RAM low.  dom0 is mapped 1:1, so IPA = PA < 4 GiB.
 */
#define GUEST_KERNEL_ZIMAGE         true
#define GUEST_KERNEL_MODE           "SVC"
#define GUEST_RAM_END               (1ULL << 32)

#endif
