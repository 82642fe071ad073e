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

#endif
