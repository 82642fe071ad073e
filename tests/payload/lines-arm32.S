/* SPDX-License-Identifier: MIT */
/*
 * tests/payload/lines-arm32.S: what the arm32 payloads share (included, not
 * built alone, after the including file's .syntax/.arch directives): the
 * line_str macro, the line_* routines that build a "payload: " line in
 * r10's buffer and write it with one console_io hypercall, the counter
 * timeout, SYSTEM_OFF, the vector table macro and the "unexpected
 * exception" exit.  The routines go to .text subsection 1, after the
 * including file's own code (whose first bytes are the zImage header).
 * Calling convention: AAPCS (r0-r3, r12 and lr clobbered, r4-r9 preserved);
 * r10 = this CPU's line buffer, r11 = the cursor in it.
 */

/* Append the string literal s to the line (clobbers r0-r3, r12, lr). */
.macro line_str s
        adrl    r0, 9001f
        bl      line_puts
        .subsection 1
9001:   .asciz  "\s"
        .subsection 0
.endm

        .section .text, "ax"
        .subsection 1
/*
 * timeout_start: r8 := low word of the virtual counter, r9 := ticks in
 * TIMEOUT_SECONDS.  timeout_passed: r0 := 1 once that many ticks went by.
 * Clobbers r0-r1 (and r8-r9 for start).
 */
FUNC_LOCAL(timeout_start)
        mrc     p15, 0, r9, c14, c0, 0  /* CNTFRQ */
        mov     r0, #TIMEOUT_SECONDS
        mul     r9, r9, r0
        isb                             /* the counter is read here, not earlier */
        mrrc    p15, 1, r8, r1, c14     /* CNTVCT */
        bx      lr
END(timeout_start)

FUNC_LOCAL(timeout_passed)
        isb                             /* a fresh counter read on every poll */
        mrrc    p15, 1, r0, r1, c14     /* CNTVCT */
        sub     r0, r0, r8              /* ticks since start, modulo 2^32 */
        cmp     r0, r9
        movhs   r0, #1
        movlo   r0, #0
        bx      lr
END(timeout_passed)

/* system_off: PSCI SYSTEM_OFF; parks if it returns. */
FUNC_LOCAL(system_off)
        ldr     r0, =PSCI_SYSTEM_OFF
        hvc     #PSCI_HVC_IMM
1:      wfi
        b       1b
END(system_off)

/* ------------------------------------------------------------------------ */
/* Lines: r10 = buffer, r11 = cursor; a line is at most LINE_MAX bytes.     */

/* line_start: r11 := r10, then "payload: ".  Clobbers r0-r3, r12. */
FUNC_LOCAL(line_start)
        mov     r11, r10
        adrl    r0, str_prefix
        b       line_puts
END(line_start)

/* line_putc: append r0 unless the line is full (room kept for "\n"). */
FUNC_LOCAL(line_putc)
        sub     r12, r11, r10
        add     r12, r12, #1            /* length once "\n" follows */
        cmp     r12, #LINE_MAX
        strblo  r0, [r11], #1
        bx      lr
END(line_putc)

/* line_puts: append the NUL-terminated string at r0.  Clobbers r0-r3, r12. */
FUNC_LOCAL(line_puts)
        push    {r4, lr}
        mov     r4, r0
1:      ldrb    r0, [r4], #1
        cmp     r0, #0
        popeq   {r4, pc}
        bl      line_putc
        b       1b
END(line_puts)

/* line_quoted: append "<string at r0>", or (none) for r0 = 0. */
FUNC_LOCAL(line_quoted)
        push    {r4, lr}
        movs    r4, r0
        bne     1f
        adrl    r0, str_none
        bl      line_puts
        pop     {r4, pc}
1:      mov     r0, #'"'
        bl      line_putc
        mov     r0, r4
        bl      line_puts
        mov     r0, #'"'
        bl      line_putc
        pop     {r4, pc}
END(line_quoted)

/* line_hex: append r1:r0 as 0x<hex>, no leading zeros.  Clobbers r0-r3, r12. */
FUNC_LOCAL(line_hex)
        push    {r4-r6, lr}
        mov     r4, r0                  /* r5:r4 := value */
        mov     r5, r1
        mov     r0, #'0'
        bl      line_putc
        mov     r0, #'x'
        bl      line_putc
        mov     r6, #60                 /* r6 := shift of the next digit */
1:      cmp     r6, #0                  /* the last digit is always printed */
        beq     2f
        bl      hex_digit
        cmp     r0, #0
        bne     2f
        sub     r6, r6, #4
        b       1b
2:      bl      hex_digit
        cmp     r0, #10
        addlo   r0, r0, #'0'
        addhs   r0, r0, #('a' - 10)
        bl      line_putc
        subs    r6, r6, #4
        bpl     2b
        pop     {r4-r6, pc}
END(line_hex)

/* hex_digit: r0 := bits [r6+3:r6] of r5:r4.  Clobbers r0. */
FUNC_LOCAL(hex_digit)
        subs    r0, r6, #32
        lsrhs   r0, r5, r0
        lsrlo   r0, r4, r6
        and     r0, r0, #0xf
        bx      lr
END(hex_digit)

/* line_dec: append r0 as a signed decimal.  Clobbers r0-r3, r12. */
FUNC_LOCAL(line_dec)
        push    {r4-r6, lr}
        movs    r4, r0
        bpl     1f
        mov     r0, #'-'
        bl      line_putc
        rsb     r4, r4, #0
1:      mov     r5, #1                  /* r5 := largest power of 10 <= r4 */
        mov     r6, #10
2:      udiv    r0, r4, r5
        cmp     r0, #10
        mulhs   r5, r5, r6
        bhs     2b
3:      udiv    r0, r4, r5
        mls     r4, r0, r5, r4
        add     r0, r0, #'0'
        bl      line_putc
        udiv    r5, r5, r6
        cmp     r5, #0
        bne     3b
        pop     {r4-r6, pc}
END(line_dec)

/*
 * line_end: append "\n" and write the line with console_io.
 * Clobbers r0-r3, r12 (r4, r5 saved: a debug Xen clobbers unused arguments).
 */
FUNC_LOCAL(line_end)
        push    {r4, r5, r6, lr}
        mov     r0, #'\n'
        strb    r0, [r11], #1
        mov     r12, #HYPERCALL_CONSOLE_IO
        mov     r0, #CONSOLEIO_WRITE
        sub     r1, r11, r10
        mov     r2, r10
        hvc     #XEN_HVC_IMM
        pop     {r4, r5, r6, pc}
END(line_end)

str_prefix:             .asciz  "payload: "
str_none:               .asciz  "(none)"

FUNC_LOCAL(unexpected)
        mov     r12, #HYPERCALL_CONSOLE_IO
        mov     r0, #CONSOLEIO_WRITE
        mov     r1, #(unexpected_msg_end - unexpected_msg)
        adrl    r2, unexpected_msg
        hvc     #XEN_HVC_IMM
        b       system_off
END(unexpected)
unexpected_msg:
        .ascii  "payload: unexpected exception\n"
unexpected_msg_end:
        .balign 4
        .ltorg
        .subsection 0

/*
 * a32_vectors: the vector table (VBAR, SCTLR.V clear), 32-byte aligned.
 * Only the exceptions the including file names are expected (undef, dabt:
 * its handlers); every other one goes to unexpected.
 */
.macro a32_vectors undef=unexpected, dabt=unexpected
        .balign 32
vectors:
        b       unexpected              /* reset */
        b       \undef                  /* undefined instruction */
        b       unexpected              /* SVC */
        b       unexpected              /* prefetch abort */
        b       \dabt                   /* data abort */
        b       unexpected              /* (hyp trap: not at PL1) */
        b       unexpected              /* IRQ */
        b       unexpected              /* FIQ */
.endm
