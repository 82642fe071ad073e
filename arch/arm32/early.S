/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/early.S: what the boot path (head.S, secondary.S) prints and
 * traps with before C: a polled PL011 console, the early exception vectors
 * and park().  Routines follow the AAPCS and say what else they clobber.
 */

#include <arch/asm.h>
#include <arch/processor.h>
#include <layout.h>

        .syntax unified
        .arm
        .text
/*
 * early_fail: print the NUL-terminated line at r0 on the UART (r6) and park.
 * Usable with the MMU off or on.  Never returns.
 */
FUNC(early_fail)
        bl      early_puts
        b       park
END(early_fail)

/*
 * early_puts: print the string at r0, then CR LF, polling the PL011 at r6.
 * Clobbers: r0-r3.
 */
#define PL011_DR            0x00
#define PL011_FR            0x18
#define PL011_FR_TXFF       (1 << 5)
FUNC(early_puts)
        mov     r3, lr
        bl      early_puts_nonl
        mov     r1, #'\r'
        bl      early_putc
        mov     r1, #'\n'
        bl      early_putc
        bx      r3
END(early_puts)

/* early_puts_nonl: early_puts without the line end.  Clobbers: r0-r2. */
FUNC_LOCAL(early_puts_nonl)
        mov     r2, lr
1:      ldrb    r1, [r0], #1
        cmp     r1, #0
        beq     2f
        bl      early_putc
        b       1b
2:      bx      r2
END(early_puts_nonl)

/* early_putc: write r1 to the PL011 at r6 once its FIFO has room.  Clobbers: r12. */
FUNC(early_putc)
1:      ldr     r12, [r6, #PL011_FR]
        tst     r12, #PL011_FR_TXFF
        bne     1b
        strb    r1, [r6, #PL011_DR]
        bx      lr
END(early_putc)

/*
 * early_puthex: print r0 as 0x and 8 hex digits.  No stack: with the MMU
 * on, SP may still be the early stack's paddr.  Only for early_exception,
 * which parks: it clobbers the long-lived r4-r5.
 * Clobbers: r0-r2, r4, r5, r12.
 */
FUNC(early_puthex)
        mov     r4, r0
        mov     r5, lr
        mov     r1, #'0'
        bl      early_putc
        mov     r1, #'x'
        bl      early_putc
        mov     r2, #28
1:      lsr     r1, r4, r2
        and     r1, r1, #0xf
        cmp     r1, #10
        addlo   r1, r1, #'0'
        addhs   r1, r1, #('a' - 10)
        bl      early_putc
        subs    r2, r2, #4
        bge     1b
        bx      r5
END(early_puthex)

/* park: stop this CPU for good, interrupts masked.  Never returns. */
FUNC(park)
        cpsid   aif
1:      wfi
        b       1b
END(park)

/*
 * early_vectors: HVBAR until the runtime vectors can be used (a stack and,
 * on a secondary, its per-CPU data): by paddr while the MMU is off, then by
 * vaddr (enable_mmu).  Any exception prints one line with HSR, ELR_hyp and
 * HDFAR through the UART, then parks.
 */
        .balign 32
FUNC(early_vectors)
        .rept   8
        b       early_exception
        .endr
END(early_vectors)

FUNC_LOCAL(early_exception)
        /*
         * The UART by paddr with the MMU off; once it is on, through the
         * fixmap (head.S maps it before enabling the MMU, and every CPU's
         * tables reach it).
         */
        mrc     p15, 4, r0, c1, c0, 0       /* HSCTLR */
        tst     r0, #SCTLR_M
        ldreq   r6, =BOARD_UART_PADDR
        ldrne   r6, =__fixmap_start + FIXMAP_UART * PAGE_SIZE
        adr_l   r0, msg_early_exc
        bl      early_puts_nonl
        mrc     p15, 4, r0, c5, c2, 0       /* HSR */
        bl      early_puthex
        adr_l   r0, msg_elr
        bl      early_puts_nonl
        mrs     r0, ELR_hyp
        bl      early_puthex
        adr_l   r0, msg_far
        bl      early_puts_nonl
        mrc     p15, 4, r0, c6, c0, 0       /* HDFAR */
        bl      early_puthex
        adr_l   r0, msg_dash
        bl      early_puts
        b       park
        .ltorg
END(early_exception)

        .section .rodata.head, "a", %progbits
msg_early_exc:   .asciz "- hypcore: early exception HSR="
msg_elr:         .asciz " ELR="
msg_far:         .asciz " HDFAR="
msg_dash:        .asciz " -"
