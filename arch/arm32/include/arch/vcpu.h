/* SPDX-License-Identifier: MIT */
/* The arm32 part of struct vcpu (include/vcpu.h): dom0 does not run on arm32 yet. */
#ifndef ARCH_ARM32_VCPU_H
#define ARCH_ARM32_VCPU_H

#include <types.h>

struct vcpu_arch {
    u32 hcr;
};

#define guest_reg(regs, n)          ((regs)->r[n])
#define GUEST_HYPERCALL_NR(regs)    ((regs)->r[12])

#endif
