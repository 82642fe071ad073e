/* SPDX-License-Identifier: MIT */
/*
 * The register frame arch/arm64/entry.S saves on an exception, and the call
 * chain C code leaves on the stack.
 */
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

/*
 * Frame records (AAPCS64 6.4.6).  hypcore's C is built with
 * -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer, so every C function
 * stores one: x29 points at the pair {the caller's x29, the return address
 * into the caller}, each record above the ones its callees make.  Offsets
 * are from the frame pointer; the record is [fp + FRAME_RECORD_START,
 * fp + FRAME_RECORD_END).
 */
#define FRAME_NEXT_FP           0
#define FRAME_RETURN            8
#define FRAME_RECORD_START      0
#define FRAME_RECORD_END        16

/*
 * call_chain_start(): the first statement of a C entry from head.S, which
 * enters it with x29 = x30 = 0 (zero_bss): from here on the function's
 * call-frame information says its return address is undefined, the DWARF way
 * of saying "no caller", so gdb ends a backtrace at this function instead of
 * showing a frame at address 0 after it.
 */
#define call_chain_start() asm volatile ( ".cfi_undefined x30" ::: "memory" )

#endif
