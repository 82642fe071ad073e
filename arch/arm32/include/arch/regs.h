/* SPDX-License-Identifier: MIT */
/* The register frame arch/arm32/entry.S saves on an exception. */
#ifndef ARCH_ARM32_REGS_H
#define ARCH_ARM32_REGS_H

#include <types.h>

struct cpu_user_regs {
    u32 r[13];      /* r0..r12 */
    u32 sp;         /* SP_hyp before the exception */
    u32 lr;         /* LR_hyp */
    u32 elr;        /* ELR_hyp: where it happened */
    u32 spsr;       /* SPSR_hyp */
    u32 esr;        /* HSR */
    u32 far;        /* HDFAR */
    u32 ifar;       /* HIFAR */
};

#endif
