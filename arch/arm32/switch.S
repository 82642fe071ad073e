/* SPDX-License-Identifier: MIT */
#include <arch/asm.h>

        .syntax unified
        .arm
        .text
/*
 * switch_stack_and_call: continue on another stack.  The frame records left
 * on the old stack are abandoned, so the chain ends here (fp = 0): a call
 * trace from fn shows this routine as its last frame.
 * C: void switch_stack_and_call(vaddr_t sp, void (*fn)(void *), void *arg);
 * Never returns (parks if fn does).
 */
FUNC(switch_stack_and_call)
        mov     sp, r0
        mov     r0, r2
        mov     fp, #0
        blx     r1
        b       park
END(switch_stack_and_call)
