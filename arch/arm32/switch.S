/* SPDX-License-Identifier: MIT */
#include <arch/asm.h>

        .syntax unified
        .arm
        /* Call-frame information goes where gdb reads it: the linker script
         * drops .eh_frame. */
        .cfi_sections .debug_frame
        .text
/*
 * switch_stack_and_call: continue on another stack.  The frame records left
 * on the old stack are abandoned, so the chain ends here: fp = 0 for the
 * trap dump's call trace, and call-frame information with no return address
 * for gdb; both show this routine as fn's caller and stop.
 * C: void switch_stack_and_call(vaddr_t sp, void (*fn)(void *), void *arg);
 * Never returns (parks if fn does).
 */
FUNC(switch_stack_and_call)
        .cfi_startproc
        .cfi_undefined 14                   /* lr: no caller (for gdb) */
        mov     sp, r0
        mov     r0, r2
        mov     fp, #0
        blx     r1
        b       park
        .cfi_endproc
END(switch_stack_and_call)
