/* SPDX-License-Identifier: MIT */
/* The register frame arch/arm64/entry.S saves on an exception. */
#ifndef ARCH_ARM64_REGS_H
#define ARCH_ARM64_REGS_H

#include <types.h>

struct cpu_user_regs {
    u64 x[31];      /* x0..x30 */
    u64 sp;         /* SP_EL2 before the exception */
    u64 elr;
    u64 spsr;
    u64 esr;
    u64 far;
};

#endif
