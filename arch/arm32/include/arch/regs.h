/* SPDX-License-Identifier: MIT */
/*
 * The register frame arch/arm32/entry.S saves on an exception, and the call
 * chain C code leaves on the stack.
 */
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

/*
 * Frame records.  hypcore's ARM-mode C is built with -mapcs-frame
 * -fno-omit-frame-pointer: every function, leaf or not, opens with
 *     mov ip, sp;  push {..., fp, ip, lr, pc};  sub fp, ip, #4
 * so fp (r11) points at the saved pc, with the return address (lr) at fp - 4,
 * the caller's sp at fp - 8 and the caller's fp at fp - 12.  (Without
 * -mapcs-frame GCC saves {fp, lr} with fp pointing at lr, but only {fp}, fp
 * pointing at it, in leaf functions: a walker could not tell which.)
 * Offsets are from the frame pointer; the record is [fp + FRAME_RECORD_START,
 * fp + FRAME_RECORD_END).  Thumb code (Debian's libfdt.a) keeps no such
 * chain: a trap there shows only the PC and LR lines reliably.
 */
#define FRAME_NEXT_FP           (-12)
#define FRAME_RETURN            (-4)
#define FRAME_RECORD_START      (-12)
#define FRAME_RECORD_END        4

/*
 * call_chain_start(): the first statement of a C entry from head.S, which
 * enters it with fp = lr = 0 (zero_bss): from here on the function's
 * call-frame information says its return address (lr, DWARF register 14) is
 * undefined, the DWARF way of saying "no caller", so gdb ends a backtrace at
 * this function instead of showing a frame at address 0 after it.
 */
#define call_chain_start() asm volatile ( ".cfi_undefined 14" ::: "memory" )

#endif
