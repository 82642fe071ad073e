/* SPDX-License-Identifier: MIT */
/*
 * tests/payload/lines-arm64.S: what the arm64 payloads share (included, not
 * built alone): the line_str macro, the line_* routines that build a
 * "payload: " line in x27's buffer and write it with one console_io
 * hypercall, the counter timeout, SYSTEM_OFF, the EL1 vector table macro and
 * the "unexpected exception" exit.  Included before any code:
 * the routines go to .text subsection 1, after the including file's own code
 * (whose first bytes are the Image header).
 */

/* Append the string literal s to the line (clobbers x0-x7, x30). */
.macro line_str s
        adr     x0, 9001f
        bl      line_puts
        .subsection 1
9001:   .asciz  "\s"
        .subsection 0
.endm

        .section .text, "ax"
        .subsection 1
/* ------------------------------------------------------------------------ */
/* Lines: x27 = buffer, x28 = cursor; a line is at most LINE_MAX bytes.     */

/* line_start: x28 := x27, then "payload: ".  Clobbers x0-x3. */
FUNC_LOCAL(line_start)
        mov     x28, x27
        adr     x0, str_prefix
        b       line_puts
END(line_start)

/* line_putc: append w0 unless the line is full (room kept for "\n"). */
FUNC_LOCAL(line_putc)
        sub     x1, x28, x27
        cmp     x1, #(LINE_MAX - 1)
        b.hs    1f
        strb    w0, [x28], #1
1:      ret
END(line_putc)

/* line_puts: append the NUL-terminated string at x0.  Clobbers x0-x3. */
FUNC_LOCAL(line_puts)
        mov     x2, x0
        mov     x3, x30
1:      ldrb    w0, [x2], #1
        cbz     w0, 2f
        bl      line_putc
        b       1b
2:      ret     x3
END(line_puts)

/* line_quoted: append "<string at x0>", or (none) for x0 = 0.  Clobbers x0-x4. */
FUNC_LOCAL(line_quoted)
        mov     x4, x30
        cbnz    x0, 1f
        adr     x0, str_none
        bl      line_puts
        ret     x4
1:      mov     x2, x0
        mov     w0, #'"'
        bl      line_putc
        mov     x0, x2
        bl      line_puts
        mov     w0, #'"'
        bl      line_putc
        ret     x4
END(line_quoted)

/* line_hex: append x0 as 0x<hex>, no leading zeros.  Clobbers x0-x6. */
FUNC_LOCAL(line_hex)
        mov     x6, x30
        mov     x4, x0
        mov     w0, #'0'
        bl      line_putc
        mov     w0, #'x'
        bl      line_putc
        mov     x5, #60                 /* x5 := shift of the next digit */
1:      cbz     x5, 2f                  /* the last digit is always printed */
        lsr     x0, x4, x5
        cbnz    x0, 2f
        sub     x5, x5, #4
        b       1b
2:      lsr     x0, x4, x5
        and     x0, x0, #0xf
        cmp     x0, #10
        add     x1, x0, #'0'
        add     x0, x0, #('a' - 10)
        csel    x0, x1, x0, lo
        bl      line_putc
        cbz     x5, 3f
        sub     x5, x5, #4
        b       2b
3:      ret     x6
END(line_hex)

/* line_dec: append x0 as a signed decimal.  Clobbers x0-x7. */
FUNC_LOCAL(line_dec)
        mov     x6, x30
        mov     x4, x0
        tbz     x4, #63, 1f
        mov     w0, #'-'
        bl      line_putc
        neg     x4, x4
1:      mov     x5, #1                  /* x5 := largest power of 10 <= x4 */
        mov     x7, #10
2:      udiv    x0, x4, x5
        cmp     x0, #10
        b.lo    3f
        mul     x5, x5, x7
        b       2b
3:      udiv    x0, x4, x5
        msub    x4, x0, x5, x4
        add     w0, w0, #'0'
        bl      line_putc
        udiv    x5, x5, x7
        cbnz    x5, 3b
        ret     x6
END(line_dec)

/*
 * line_end: append "\n" and write the line with console_io.
 * Clobbers x0-x17 (the hypervisor may clobber argument registers).
 */
FUNC_LOCAL(line_end)
        mov     w0, #'\n'
        strb    w0, [x28], #1
        mov     x16, #HYPERCALL_CONSOLE_IO
        mov     x0, #CONSOLEIO_WRITE
        sub     x1, x28, x27
        mov     x2, x27
        hvc     #XEN_HVC_IMM
        ret
END(line_end)

str_prefix:             .asciz  "payload: "
str_none:               .asciz  "(none)"

/*
 * timeout_start: x24 := the virtual counter TIMEOUT_SECONDS from now.
 * timeout_passed: x0 := 1 once the counter reached x24, else 0.
 * Clobbers x0-x1 (and x24 for start).
 */
FUNC_LOCAL(timeout_start)
        mrs     x24, cntfrq_el0
        mov     x1, #TIMEOUT_SECONDS
        mul     x24, x24, x1
        isb                             /* the counter is read here, not earlier */
        mrs     x1, cntvct_el0
        add     x24, x24, x1
        ret
END(timeout_start)

FUNC_LOCAL(timeout_passed)
        isb                             /* a fresh counter read on every poll */
        mrs     x1, cntvct_el0
        cmp     x1, x24
        cset    x0, hs
        ret
END(timeout_passed)

/* system_off: PSCI SYSTEM_OFF; parks if it returns. */
FUNC_LOCAL(system_off)
        ldr     x0, =PSCI_SYSTEM_OFF
        hvc     #PSCI_HVC_IMM
1:      wfi
        b       1b
END(system_off)
        .balign 8
        .ltorg

/*
 * el1_vectors: the EL1 vector table both payloads install (VBAR_EL1).  Only
 * a synchronous exception from EL1 with SP_EL1 is expected: it goes to the
 * including file's el1_sync; IRQ, FIQ and SError go to unexpected, as does
 * anything el1_sync does not recognise.  Exceptions with SP_EL0 or from a
 * lower EL cannot happen (the payloads run at EL1h and have no EL0).
 */
.macro el1_vectors
        .balign 2048
vectors:
        .org    vectors + 0x200         /* current EL with SP_ELx: synchronous */
        b       el1_sync
        .org    vectors + 0x280         /* IRQ */
        b       unexpected
        .org    vectors + 0x300         /* FIQ */
        b       unexpected
        .org    vectors + 0x380         /* SError */
        b       unexpected
        .org    vectors + 0x400
.endm

/* unexpected: print one fixed line through console_io and power off. */
FUNC_LOCAL(unexpected)
        mov     x16, #HYPERCALL_CONSOLE_IO
        mov     x0, #CONSOLEIO_WRITE
        mov     x1, #(unexpected_msg_end - unexpected_msg)
        adr     x2, unexpected_msg
        hvc     #XEN_HVC_IMM
        b       system_off
END(unexpected)
unexpected_msg:
        .ascii  "payload: unexpected exception\n"
unexpected_msg_end:
        .balign 4
        .subsection 0
