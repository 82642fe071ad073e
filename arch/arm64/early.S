/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/early.S: what the boot path (head.S, secondary.S) prints and
 * traps with before C: a polled PL011 console, the early exception vectors
 * and park().  No stack: each routine says what it clobbers.
 */

#include <arch/asm.h>
#include <arch/processor.h>
#include <layout.h>

        .text
/*
 * early_fail: print the NUL-terminated line at x0 on the UART (x23) and park.
 * Usable with the MMU off or on.  Inputs: x0, x23.  Never returns.
 */
FUNC(early_fail)
        bl      early_puts
        b       park
END(early_fail)

/*
 * early_puts: print the string at x0, then CR LF, by polling the PL011.
 * Inputs: x0 = string, x23 = UART base.  Clobbers: x0-x2.
 */
FUNC(early_puts)
        mov     x2, x30
1:      ldrb    w1, [x0], #1
        cbz     w1, 2f
        bl      early_putc
        b       1b
2:      mov     w1, #'\r'
        bl      early_putc
        mov     w1, #'\n'
        bl      early_putc
        mov     x30, x2
        ret
END(early_puts)

/*
 * early_putc: write w1 to the PL011 at x23 once its FIFO has room.
 * Clobbers: w3.
 */
#define PL011_DR    0x00
#define PL011_FR    0x18
#define PL011_FR_TXFF_BIT 5
FUNC(early_putc)
1:      ldr     w3, [x23, #PL011_FR]
        tbnz    w3, #PL011_FR_TXFF_BIT, 1b
        strb    w1, [x23, #PL011_DR]
        ret
END(early_putc)

/*
 * early_puthex: print x0 as 0x followed by 16 hex digits.
 * Inputs: x0, x23.  Clobbers: x0-x5.
 */
FUNC(early_puthex)
        mov     x5, x30
        mov     x4, x0
        mov     w1, #'0'
        bl      early_putc
        mov     w1, #'x'
        bl      early_putc
        mov     x2, #60
1:      lsr     x1, x4, x2
        and     x1, x1, #0xf
        cmp     x1, #10
        add     x0, x1, #'0'
        add     x1, x1, #('a' - 10)
        csel    x1, x0, x1, lo
        bl      early_putc
        subs    x2, x2, #4
        b.ge    1b
        mov     x30, x5
        ret
END(early_puthex)

/*
 * park: stop this CPU for good, with interrupts masked.  Never returns.
 */
FUNC(park)
        msr     daifset, #0xf
1:      wfi
        b       1b
END(park)

/*
 * early_vectors: VBAR_EL2 until the runtime vectors can be used (a stack and,
 * on a secondary, its per-CPU data): by paddr while the MMU is off, then by
 * vaddr (enable_mmu).  Any exception prints one line with ESR_EL2, ELR_EL2
 * and FAR_EL2 through the UART, then parks.
 */
.macro early_vector
        .balign 0x80
        b       early_exception
.endm
        .balign 0x800
FUNC(early_vectors)
        .rept   16
        early_vector
        .endr
END(early_vectors)

FUNC_LOCAL(early_exception)
        /*
         * The UART by paddr with the MMU off; once it is on, through the
         * fixmap (head.S maps it before enabling the MMU, and every CPU's
         * tables reach it): the paddr is no longer a usable address.
         */
        mrs     x0, sctlr_el2
        ldr     x23, =BOARD_UART_PADDR
        tst     x0, #SCTLR_M
        b.eq    1f
        ldr     x23, =__fixmap_start + FIXMAP_UART * PAGE_SIZE
1:
        adr_l   x0, msg_early_exc
        bl      early_puts_nonl
        mrs     x0, esr_el2
        bl      early_puthex
        adr_l   x0, msg_elr
        bl      early_puts_nonl
        mrs     x0, elr_el2
        bl      early_puthex
        adr_l   x0, msg_far
        bl      early_puts_nonl
        mrs     x0, far_el2
        bl      early_puthex
        adr_l   x0, msg_dash
        bl      early_puts
        b       park
END(early_exception)

/* early_puts_nonl: early_puts without the line end.  Clobbers: x0-x3. */
FUNC_LOCAL(early_puts_nonl)
        mov     x2, x30
1:      ldrb    w1, [x0], #1
        cbz     w1, 2f
        bl      early_putc
        b       1b
2:      mov     x30, x2
        ret
END(early_puts_nonl)

        .section .rodata.head, "a", %progbits
msg_early_exc:   .asciz "- hypcore: early exception ESR="
msg_elr:         .asciz " ELR="
msg_far:         .asciz " FAR="
msg_dash:        .asciz " -"
