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
 *   r4   primary_entry .. end   DTB address passed in r2 (secondary: context id;
 *                               probe_test saves it and uses it as its cursor)
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

#include "lines-arm32.S"

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
        isb                             /* VBAR and SCTLR.V in effect before any exception */

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
 * probe_test: for each address of bootargs' probe=A[,B...] read the word
 * there and print "probe A -> value V", or the abort el1_dabt recorded
 * ("-> abort esr=<DFSR>"); "probe none" without one.  Inputs: r5 =
 * bootargs or 0.  Clobbers r0-r3, r6-r8, r12 (r4, r9 saved).
 *   r4  the cursor in the list (at the character after the last number)
 */
FUNC_LOCAL(probe_test)
        push    {r4, r9, lr}
        mov     r0, r5
        bl      find_probe              /* r0 := past "probe=", or 0 */
        movs    r4, r0
        beq     9f
        bl      parse_hex               /* r0 := address, r1 := found, r2 := past it */
        cmp     r1, #0
        beq     9f
1:      mov     r8, r0                  /* r8 := probed address */
        mov     r4, r2
        bl      line_start
        line_str "probe "
        mov     r0, r8
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
        ldrb    r0, [r4]                /* another address after a comma? */
        cmp     r0, #','
        bne     8f
        add     r0, r4, #1
        bl      parse_hex
        cmp     r1, #0
        bne     1b
8:      pop     {r4, r9, pc}
9:      bl      line_start
        line_str "probe none"
        bl      line_end
        pop     {r4, r9, pc}
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

#include "fdt-arm32.S"

/*
 * find_probe: where the value of "probe=" starts in the string at r0 (0 =
 * no string): r0 := the character after "probe=", or 0 if there is none.
 * Clobbers r0-r3, r12 (r4-r6 saved).
 */
FUNC_LOCAL(find_probe)
        push    {r4-r6, lr}
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
4:      mov     r0, r12                 /* past "probe=" */
        pop     {r4-r6, pc}
9:      mov     r0, #0
        pop     {r4-r6, pc}
END(find_probe)

/*
 * parse_hex: the hex number (optional 0x) at r0.  Output: r0 = the number
 * (low 32 bits), r1 = 1 if it had a digit else 0, r2 = the first character
 * after it.  Clobbers r0-r3.
 */
FUNC_LOCAL(parse_hex)
        mov     r2, r0
        ldrb    r3, [r2]
        cmp     r3, #'0'
        bne     1f
        ldrb    r3, [r2, #1]
        orr     r3, r3, #0x20           /* 'X' -> 'x' */
        cmp     r3, #'x'
        addeq   r2, r2, #2
1:      mov     r0, #0
        mov     r1, #0
2:      ldrb    r3, [r2]
        sub     r3, r3, #'0'
        cmp     r3, #9
        bls     3f
        ldrb    r3, [r2]
        orr     r3, r3, #0x20
        sub     r3, r3, #'a'
        cmp     r3, #5
        bxhi    lr                      /* r2 at the first non-digit */
        add     r3, r3, #10
3:      orr     r0, r3, r0, lsl #4
        mov     r1, #1
        add     r2, r2, #1
        b       2b
END(parse_hex)


str_probe:              .asciz  "probe="
        .balign 4
        .ltorg

/* ------------------------------------------------------------------------ */
/*
 * The vector table (lines-arm32.S).  Only a data abort at probe_insn is
 * expected; anything else prints one fixed line and powers off.
 */
        a32_vectors dabt=el1_dabt

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
