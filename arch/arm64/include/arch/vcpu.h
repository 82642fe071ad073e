/* SPDX-License-Identifier: MIT */
/* The arm64 part of struct vcpu (include/vcpu.h): EL2 state per vcpu. */
#ifndef ARCH_ARM64_VCPU_H
#define ARCH_ARM64_VCPU_H

#include <p2m.h>
#include <types.h>

struct vcpu_arch {
    u64 hcr;        /* HCR_EL2 while the guest runs */
    u64 vttbr;      /* VTTBR_EL2: stage-2 root and VMID */
    u64 vtcr;       /* VTCR_EL2 */
    u64 cptr;       /* CPTR_EL2 */
    u64 mdcr;       /* MDCR_EL2 */
    u64 cnthctl;    /* CNTHCTL_EL2 */
    u64 sctlr_el1;  /* SCTLR_EL1 at entry */
};

/* The guest's general-purpose registers in a trap frame. */
#define guest_reg(regs, n)          ((regs)->x[n])
#define GUEST_HYPERCALL_NR(regs)    ((regs)->x[16])

/*
 * What dom0_build() takes as dom0's kernel and where its RAM may lie: an
 * arm64 Image (Documentation/arch/arm64/booting.rst), entered at EL1; RAM
 * anywhere stage 2 translates (P2M_MAX_IPA_BITS, mapped 1:1).
 */
#define GUEST_KERNEL_ZIMAGE         false
#define GUEST_KERNEL_MODE           "EL1"
#define GUEST_RAM_END               (1ULL << P2M_MAX_IPA_BITS)

#endif
