/* SPDX-License-Identifier: MIT */
/* The arm64 part of struct vcpu (include/vcpu.h): EL2 state per vcpu. */
#ifndef ARCH_ARM64_VCPU_H
#define ARCH_ARM64_VCPU_H

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

#endif
