/* SPDX-License-Identifier: MIT */
/*
 * The dom0 test payload for arm32: the same program as payload-arm64.S, in
 * the same order, shaped as a position-independent zImage.
 *
 * Entered like a Linux zImage: SVC mode, MMU and caches off, r0 = 0,
 * r1 = ~0, r2 = DTB.  Every address is physical; every load and store is
 * naturally aligned.  Only adr/adrl and PC-relative literals are used, so
 * any load address works (the vector table needs 32-byte alignment, which
 * the placement at a 2 MiB boundary gives).
 *
 * Output goes through Xen's console_io hypercall (HVC #0xEA1, r12 = 18),
 * PSCI through HVC #0 (SMC Calling Convention).  One line per hypercall,
 * each CPU with its own buffer; the primary waits for the secondary's line.
 *
 * Registers:
 *   r4   primary_entry .. end   DTB address passed in r2 (secondary: context id)
 *   r5   after fdt_walk         /chosen/bootargs (NUL-terminated) or 0
 *   r6   probe_test             1 once the probe aborted (set by el1_dabt)
 *   r7   probe_test             DFSR of that abort (set by el1_dabt)
 *   r10  whole CPU life         this CPU's line buffer
 *   r11  whole CPU life         write cursor in that buffer (line_* routines)
 * Calling convention: AAPCS (r0-r3, r12 and lr clobbered, r4-r9 preserved),
 * r10/r11 as above.
 */
#include <linkage.h>
#include "payload.h"

        .syntax unified
        .arm
        .arch   armv7-a
        .arch_extension virt            /* hvc */
        .arch_extension idiv            /* udiv (Cortex-A15) */

#define MODE_MASK       0x1f
#define MODE_SVC        0x13
#define SCTLR_V         (1 << 13)       /* high exception vectors */

/* Append the string literal s to the line (clobbers r0-r3, r12, lr). */
.macro line_str s
        adrl    r0, 9001f
        bl      line_puts
        .subsection 1
9001:   .asciz  "\s"
        .subsection 0
.endm

/* Call PSCI with r0-r3 as loaded; print "psci <name> = <r0>"; r8 := r0. */
.macro psci_line name
        hvc     #PSCI_HVC_IMM
        mov     r8, r0
        bl      line_start
        line_str "psci \name = "
        mov     r0, r8
        bl      line_dec
        bl      line_end
.endm

        .section .text, "ax"
/* ---- zImage header (Linux arch/arm/boot/compressed/head.S) ---- */
        .globl  payload_start
payload_start:
        b       primary_entry
        .org    0x24
        .word   ZIMAGE_MAGIC
        .word   0                       /* start: 0 = position independent */
        .word   payload_end - payload_start /* end: stacks included */
        .word   0x04030201              /* little-endian marker */

/*
 * primary_entry: the boot CPU, from entry to SYSTEM_OFF.
 * Inputs: r2 = DTB (boot protocol).  Never returns.
 */
FUNC_LOCAL(primary_entry)
        mov     r4, r2                  /* r4 := DTB paddr for the whole run */
        adrl    sp, primary_stack_top
        adrl    r10, primary_line       /* r10 := this CPU's line buffer */
        adrl    r0, vectors
        mcr     p15, 0, r0, c12, c0, 0  /* VBAR */
        mrc     p15, 0, r0, c1, c0, 0
        bic     r0, r0, #SCTLR_V        /* vectors at VBAR, not 0xffff0000 */
        mcr     p15, 0, r0, c1, c0, 0
        isb

        bl      line_start
        line_str "mode="
        mrs     r0, cpsr
        and     r0, r0, #MODE_MASK
        cmp     r0, #MODE_SVC
        bne     1f
        line_str "svc"
        b       2f
1:      mov     r1, #0
        bl      line_hex
2:      bl      line_end

        bl      line_start
        line_str "dtb="
        mov     r0, r4
        mov     r1, #0
        bl      line_hex
        bl      line_end

        bl      line_start
        line_str "dtb-magic="
        mov     r5, #0                  /* no DT, no bootargs */
        ldr     r0, [r4]
        rev     r0, r0
        ldr     r1, =FDT_MAGIC
        cmp     r0, r1
        bne     1f
        line_str "ok"
        bl      line_end
        mov     r0, r4
        bl      fdt_walk                /* prints the memory lines */
        mov     r5, r0                  /* r5 := bootargs or 0 */
        b       2f
1:      line_str "bad"
        bl      line_end
2:      bl      line_start
        line_str "bootargs "
        mov     r0, r5
        bl      line_quoted
        bl      line_end

        bl      psci_tests
        bl      probe_test

        bl      line_start
        line_str "done"
        bl      line_end
        b       system_off
END(primary_entry)

/*
 * psci_tests: the PSCI calls, one line each, cpu1 started and waited for.
 * Clobbers r0-r3, r12 (r8, r9 saved).
 */
FUNC_LOCAL(psci_tests)
        push    {r8, r9, lr}
        ldr     r0, =PSCI_VERSION
        psci_line version
        ldr     r0, =PSCI_FEATURES
        ldr     r1, =PSCI_CPU_ON32
        psci_line features-cpu-on
        ldr     r0, =PSCI_MIGRATE_INFO_TYPE
        psci_line migrate-info-type
        ldr     r0, =PSCI_AFFINITY_INFO32
        mov     r1, #CPU1_MPIDR
        mov     r2, #0                  /* lowest affinity level 0 */
        psci_line affinity-info-before

        adrl    r0, cpu1_flag
        mov     r1, #0
        str     r1, [r0]
        adrl    r0, cpu1_go
        str     r1, [r0]
        ldr     r0, =PSCI_CPU_ON32
        mov     r1, #CPU1_MPIDR
        adrl    r2, secondary_entry
        ldr     r3, =CPU1_CONTEXT
        psci_line cpu-on
        adrl    r0, cpu1_go
        mov     r1, #1
        str     r1, [r0]                /* cpu1 prints only after our cpu-on line */
        dsb     sy
        cmp     r8, #0
        bne     3f                      /* not started: nothing to wait for */
        /* Wait for cpu1's line, then for cpu1 to be off. */
        bl      timeout_start
1:      adrl    r0, cpu1_flag
        ldr     r0, [r0]
        cmp     r0, #0
        bne     2f
        bl      timeout_passed
        cmp     r0, #0
        beq     1b
        bl      line_start
        line_str "cpu1 timeout"
        bl      line_end
        b       3f
2:      bl      timeout_start
4:      ldr     r0, =PSCI_AFFINITY_INFO32
        mov     r1, #CPU1_MPIDR
        mov     r2, #0
        hvc     #PSCI_HVC_IMM
        cmp     r0, #PSCI_AFFINITY_OFF
        beq     3f
        bl      timeout_passed
        cmp     r0, #0
        beq     4b
3:      ldr     r0, =PSCI_AFFINITY_INFO32
        mov     r1, #CPU1_MPIDR
        mov     r2, #0
        psci_line affinity-info-after

        ldr     r0, =PSCI_CPU_ON32
        mov     r1, #BAD_MPIDR
        adrl    r2, secondary_entry
        ldr     r3, =CPU1_CONTEXT
        psci_line cpu-on-bad-mpidr
        ldr     r0, =PSCI_CPU_ON32
        mov     r1, #0                  /* cpu0: this CPU */
        adrl    r2, secondary_entry
        ldr     r3, =CPU1_CONTEXT
        psci_line cpu-on-cpu0
        pop     {r8, r9, pc}
END(psci_tests)

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

/*
 * probe_test: read the word at bootargs' probe=ADDR and print its value, or
 * the abort el1_dabt recorded.  Inputs: r5 = bootargs or 0.
 * Clobbers r0-r3, r6-r8, r12.
 */
FUNC_LOCAL(probe_test)
        push    {r9, lr}
        bl      line_start
        line_str "probe "
        mov     r0, r5
        bl      find_probe              /* r0 := address, r1 := found */
        cmp     r1, #0
        bne     1f
        line_str "none"
        b       3f
1:      mov     r8, r0                  /* r8 := probed address */
        mov     r1, #0
        bl      line_hex
        line_str " -> "
        mov     r6, #0
        mov     r7, #0
probe_insn:
        ldr     r9, [r8]                /* may abort: el1_dabt skips it */
        cmp     r6, #0
        bne     2f
        line_str "value "
        mov     r0, r9
        mov     r1, #0
        bl      line_hex
        b       3f
2:      line_str "abort esr="
        mov     r0, r7
        mov     r1, #0
        bl      line_hex
3:      bl      line_end
        pop     {r9, pc}
END(probe_test)

/*
 * secondary_entry: where CPU_ON starts cpu1 (SVC, MMU off, r0 = context id).
 * Waits for cpu1_go, prints its line, raises cpu1_flag and turns itself off.
 */
FUNC_LOCAL(secondary_entry)
        mov     r4, r0                  /* r4 := context id */
        adrl    sp, secondary_stack_top
        adrl    r10, secondary_line     /* r10 := this CPU's line buffer */
        /*
         * Wait for the primary's "psci cpu-on" line: CPU_ON returns to it
         * while this CPU already runs, and the two lines must come out in
         * one order under every hypervisor.
         */
        adrl    r0, cpu1_go
2:      ldr     r1, [r0]
        cmp     r1, #0
        beq     2b
        bl      line_start
        line_str "cpu1 up context="
        mov     r0, r4
        mov     r1, #0
        bl      line_hex
        bl      line_end
        adrl    r0, cpu1_flag
        mov     r1, #1
        str     r1, [r0]                /* the primary may print again */
        dsb     sy
        ldr     r0, =PSCI_CPU_OFF
        hvc     #PSCI_HVC_IMM
1:      wfi                             /* CPU_OFF returned: park */
        b       1b
END(secondary_entry)

/* system_off: PSCI SYSTEM_OFF; parks if it returns. */
FUNC_LOCAL(system_off)
        ldr     r0, =PSCI_SYSTEM_OFF
        hvc     #PSCI_HVC_IMM
1:      wfi
        b       1b
END(system_off)

/* ------------------------------------------------------------------------ */
/* The device tree: just enough of the structure block to find two things.  */

/*
 * fdt_walk: print "memory 0x<start>-0x<end>" (end exclusive) for every reg
 * entry of a top-level node named memory / memory@... or with device_type
 * "memory", using the root's #address-cells / #size-cells (1 or 2 each).
 * Inputs: r0 = DTB with a good magic.  Output: r0 = /chosen/bootargs or 0.
 * Clobbers r0-r3, r12 (r4-r9 saved).
 *   r4 token cursor  r5 strings block  r6 depth  r7 NODE_* of the open
 *   top-level node  r8/r9 its reg value/length  cells at [sp]/[sp, #4],
 *   bootargs at [sp, #8]
 */
FUNC_LOCAL(fdt_walk)
        push    {r4-r9, lr}
        sub     sp, sp, #16
        mov     r1, #FDT_DEFAULT_ADDR_CELLS
        str     r1, [sp]
        mov     r1, #FDT_DEFAULT_SIZE_CELLS
        str     r1, [sp, #4]
        mov     r1, #0
        str     r1, [sp, #8]            /* bootargs: none yet */
        ldr     r1, [r0, #FDT_OFF_DT_STRUCT]
        rev     r1, r1
        add     r4, r0, r1
        ldr     r1, [r0, #FDT_OFF_DT_STRINGS]
        rev     r1, r1
        add     r5, r0, r1
        mov     r6, #0
next_token:
        ldr     r0, [r4], #4
        rev     r0, r0
        cmp     r0, #FDT_BEGIN_NODE
        beq     begin_node
        cmp     r0, #FDT_END_NODE
        beq     end_node
        cmp     r0, #FDT_PROP
        beq     property
        cmp     r0, #FDT_NOP
        beq     next_token
        ldr     r0, [sp, #8]            /* FDT_END or garbage: stop */
        add     sp, sp, #16
        pop     {r4-r9, pc}

begin_node:
        add     r6, r6, #1
        cmp     r6, #FDT_TOP_DEPTH
        bne     1f
        mov     r7, #NODE_OTHER
        mov     r8, #0
        mov     r0, r4
        adrl    r1, str_memory
        bl      name_is
        cmp     r0, #0
        movne   r7, #NODE_MEMORY
        mov     r0, r4
        adrl    r1, str_chosen
        bl      name_is
        cmp     r0, #0
        movne   r7, #NODE_CHOSEN
1:      mov     r0, r4
        bl      skip_string
        mov     r4, r0
        b       next_token

end_node:
        cmp     r6, #FDT_TOP_DEPTH
        bne     1f
        cmp     r7, #NODE_MEMORY
        bne     1f
        cmp     r8, #0
        beq     1f
        mov     r0, r8
        mov     r1, r9
        ldr     r2, [sp]
        ldr     r3, [sp, #4]
        bl      print_reg
1:      sub     r6, r6, #1
        b       next_token

property:                               /* [sp, #12] name; r2 len, r3 value */
        ldr     r2, [r4]
        rev     r2, r2
        ldr     r0, [r4, #4]
        rev     r0, r0
        add     r0, r5, r0
        str     r0, [sp, #12]
        add     r3, r4, #8
        add     r4, r3, r2
        add     r4, r4, #3
        bic     r4, r4, #3              /* r4 := next token */
        push    {r2, r3}                /* name_is clobbers r0-r3 */
        cmp     r6, #FDT_ROOT_DEPTH
        bne     1f
        ldr     r0, [sp, #20]
        adrl    r1, str_address_cells
        bl      name_is
        cmp     r0, #0
        ldrne   r0, [sp, #4]
        ldrne   r0, [r0]
        revne   r0, r0
        strne   r0, [sp, #8]
        ldr     r0, [sp, #20]
        adrl    r1, str_size_cells
        bl      name_is
        cmp     r0, #0
        ldrne   r0, [sp, #4]
        ldrne   r0, [r0]
        revne   r0, r0
        strne   r0, [sp, #12]
        b       9f
1:      cmp     r6, #FDT_TOP_DEPTH
        bne     9f
        cmp     r7, #NODE_CHOSEN
        bne     3f
        ldr     r0, [sp, #20]
        adrl    r1, str_bootargs
        bl      name_is
        cmp     r0, #0
        ldrne   r0, [sp, #4]
        strne   r0, [sp, #16]
        b       9f
3:      ldr     r0, [sp, #20]
        adrl    r1, str_reg
        bl      name_is
        cmp     r0, #0
        beq     4f
        ldr     r9, [sp]                /* r9 := reg length */
        ldr     r8, [sp, #4]            /* r8 := reg value */
        b       9f
4:      ldr     r0, [sp, #20]
        adrl    r1, str_device_type
        bl      name_is
        cmp     r0, #0
        beq     9f
        ldr     r0, [sp, #4]
        adrl    r1, str_memory
        bl      name_is
        cmp     r0, #0
        movne   r7, #NODE_MEMORY
9:      add     sp, sp, #8              /* drop r2, r3 */
        b       next_token
END(fdt_walk)

/*
 * print_reg: one "memory" line per (address, size) pair of a reg value.
 * Inputs: r0 = value, r1 = length in bytes, r2/r3 = address/size cells.
 * Clobbers r0-r3, r12.
 */
FUNC_LOCAL(print_reg)
        push    {r4-r9, lr}
        mov     r4, r0                  /* r4 := cursor */
        mov     r5, r1                  /* r5 := bytes left */
        mov     r6, r2
        mov     r7, r3
1:      add     r0, r6, r7
        cmp     r5, r0, lsl #2
        blo     2f
        sub     r5, r5, r0, lsl #2
        bl      line_start
        line_str "memory "
        mov     r0, r4
        mov     r1, r6
        bl      read_cells
        add     r4, r4, r6, lsl #2
        mov     r8, r0                  /* r9:r8 := start */
        mov     r9, r1
        bl      line_hex
        line_str "-"
        mov     r0, r4
        mov     r1, r7
        bl      read_cells
        add     r4, r4, r7, lsl #2
        adds    r0, r0, r8              /* r1:r0 := end, exclusive */
        adc     r1, r1, r9
        bl      line_hex
        bl      line_end
        b       1b
2:      pop     {r4-r9, pc}
END(print_reg)

/* read_cells: r1:r0 := the 1- or 2-cell big-endian number at r0 (r1 cells). */
FUNC_LOCAL(read_cells)
        mov     r2, r0
        mov     r3, r1
        mov     r0, #0
        mov     r1, #0
1:      cmp     r3, #0
        bxeq    lr
        mov     r1, r0                  /* shift a cell in from the right */
        ldr     r0, [r2], #4
        rev     r0, r0
        sub     r3, r3, #1
        b       1b
END(read_cells)

/*
 * name_is: r0 := 1 when the string at r0 is the literal at r1, alone or
 * followed by a unit address ("memory@40000000"), else 0.  Clobbers r0-r3.
 */
FUNC_LOCAL(name_is)
1:      ldrb    r2, [r1], #1
        ldrb    r3, [r0], #1
        cmp     r2, #0
        beq     2f
        cmp     r2, r3
        beq     1b
        mov     r0, #0
        bx      lr
2:      mov     r0, #0
        cmp     r3, #'@'
        cmpne   r3, #0
        moveq   r0, #1
        bx      lr
END(name_is)

/* skip_string: r0 := past the NUL of the string at r0, 4-byte aligned. */
FUNC_LOCAL(skip_string)
1:      ldrb    r1, [r0], #1
        cmp     r1, #0
        bne     1b
        add     r0, r0, #3
        bic     r0, r0, #3
        bx      lr
END(skip_string)

/*
 * find_probe: the hex number after "probe=" (optional 0x) in the string at
 * r0 (0 = no string).  Output: r0 = the number, r1 = 1 if found else 0.
 * Clobbers r0-r3, r12 (r4-r6 saved).
 */
FUNC_LOCAL(find_probe)
        push    {r4-r6, lr}
        mov     r1, #0
        cmp     r0, #0
        beq     9f
        mov     r4, r0                  /* r4 := scan position */
        mov     r5, #' '                /* r5 := previous character */
1:      ldrb    r2, [r4]
        cmp     r2, #0
        beq     9f
        cmp     r5, #' '
        bne     3f
        adrl    r6, str_probe           /* word start: does "probe=" follow? */
        mov     r12, r4
2:      ldrb    r3, [r6], #1
        cmp     r3, #0
        beq     4f
        ldrb    r2, [r12], #1
        cmp     r2, r3
        beq     2b
3:      ldrb    r5, [r4], #1
        b       1b
4:      ldrb    r2, [r12]               /* r12 := past "probe=" */
        cmp     r2, #'0'
        bne     5f
        ldrb    r2, [r12, #1]
        orr     r2, r2, #0x20           /* 'X' -> 'x' */
        cmp     r2, #'x'
        addeq   r12, r12, #2
5:      mov     r0, #0
6:      ldrb    r2, [r12], #1
        sub     r3, r2, #'0'
        cmp     r3, #9
        bls     7f
        orr     r2, r2, #0x20
        sub     r3, r2, #'a'
        cmp     r3, #5
        bhi     8f
        add     r3, r3, #10
7:      orr     r0, r3, r0, lsl #4
        mov     r1, #1
        b       6b
8:      pop     {r4-r6, pc}
9:      mov     r0, #0
        pop     {r4-r6, pc}
END(find_probe)

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
str_memory:             .asciz  "memory"
str_chosen:             .asciz  "chosen"
str_bootargs:           .asciz  "bootargs"
str_reg:                .asciz  "reg"
str_device_type:        .asciz  "device_type"
str_address_cells:      .asciz  "#address-cells"
str_size_cells:         .asciz  "#size-cells"
str_probe:              .asciz  "probe="
        .balign 4
        .ltorg

/* ------------------------------------------------------------------------ */
/*
 * The vector table.  Only a data abort at probe_insn is expected; anything
 * else prints one fixed line and powers off.
 */
        .balign 32
vectors:
        b       unexpected              /* reset */
        b       unexpected              /* undefined instruction */
        b       unexpected              /* SVC */
        b       unexpected              /* prefetch abort */
        b       el1_dabt                /* data abort */
        b       unexpected              /* (hyp trap: not at PL1) */
        b       unexpected              /* IRQ */
        b       unexpected              /* FIQ */

/*
 * el1_dabt: the probe's data abort (ABT mode): skip the load, r6 := 1,
 * r7 := DFSR, back to SVC.  The architecture sets lr to the faulting
 * instruction + 8; Xen 4.17 injects it with lr = the faulting instruction
 * itself (and DFSR = "debug event"), so both are accepted.  Any other abort
 * is unexpected.
 */
FUNC_LOCAL(el1_dabt)
        adrl    r7, probe_insn
        sub     r6, lr, #8
        cmp     r6, r7                  /* architectural lr */
        cmpne   lr, r7                  /* Xen 4.17's lr */
        bne     unexpected
        mrc     p15, 0, r7, c5, c0, 0   /* DFSR */
        mov     r6, #1
        adrl    lr, probe_insn + 4
        movs    pc, lr                  /* CPSR := SPSR_abt */
END(el1_dabt)

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

/* Data and stacks: inside the file, so whoever places the image keeps them free. */
        .subsection 2
        .balign 16
cpu1_flag:
        .word   0
cpu1_go:
        .word   0
        .balign 16
primary_line:
        .space  LINE_MAX
secondary_line:
        .space  LINE_MAX
        .space  STACK_SIZE
primary_stack_top:
        .space  STACK_SIZE
secondary_stack_top:
payload_end:
