/* SPDX-License-Identifier: MIT */
/*
 * The dom0 edge-case payload for arm32 (edges.bin): what edges-arm64.S
 * does, but the CPU_ON/CPU_OFF rounds (payload-arm32.S does one), each
 * reported in one "payload: " line, so that one image runs under Xen 4.17
 * and under hypcore (tests/payload/README.md lists the lines):
 *   - HVC with an immediate that is neither 0 (PSCI) nor 0xEA1 (Xen): the
 *     mode the exception arrives in, the mode saved in its SPSR and its
 *     return address (LR_und) relative to the HVC;
 *   - console_io's error and corner cases: a buffer nothing backs, a buffer
 *     in MMIO, count 0, CONSOLEIO_read, an unknown sub-command, unknown
 *     hypercall numbers.
 * Entered like a Linux zImage: SVC mode, MMU off, r2 = DTB (unused).
 * Position independent; the vector table needs the 32-byte alignment the
 * 2 MiB placement gives.
 *
 * The first line is the physical counter at entry, in hex (both hypervisors
 * let PL1 read CNTPCT): ./hypcore bench --suite dom0 compares the two.
 *
 * Registers (AAPCS otherwise; r10/r11 the line buffer, lines-arm32.S):
 *   r4   hvc_imm_test / results  1 once the HVC's exception was taken (und_handler);
 *                                then each call's r0
 *   r5   hvc_imm_test            CPSR in the handler (und_handler)
 *   r6   hvc_imm_test            SPSR_und (und_handler)
 *   r7   hvc_imm_test            LR_und (und_handler)
 */
#include <linkage.h>
#include "payload.h"

        .syntax unified
        .arm
        .arch   armv7-a
        .arch_extension virt            /* hvc */
        .arch_extension idiv            /* udiv (Cortex-A15) */

#define MODE_MASK               0x1f
#define SCTLR_V                 (1 << 13)   /* high exception vectors */

#include "lines-arm32.S"

/* Hypercall corner cases (xen/include/public/xen.h, console_io's commands). */
#define CONSOLEIO_READ          1
#define CONSOLEIO_BAD_CMD       7       /* neither write nor read */
#define HYPERCALL_UNKNOWN       99      /* beyond Xen's table */
#define HYPERCALL_SET_TRAP_TABLE 1      /* in the table, x86 only */
#define UNBACKED_ADDR           0xc0000000  /* no RAM or device of QEMU virt with -m 1G */
#define MMIO_ADDR               0x09000000  /* QEMU virt's PL011: MMIO, never RAM */
#define PROBE_LEN               8
#define READ_LEN                16
#define ODD_HVC_IMM             0x1234

/* r12, r0, r1 := nr, cmd, count (r2 = buffer, loaded); HVC #0xEA1; r4 := r0. */
.macro console_io nr, cmd, count
        mov     r12, #\nr
        mov     r0, #\cmd
        mov     r1, #\count
        hvc     #XEN_HVC_IMM
        mov     r4, r0
.endm

/* Print "<text><r4 as signed decimal>". */
.macro result_line text
        bl      line_start
        line_str "\text"
        mov     r0, r4
        bl      line_dec
        bl      line_end
.endm

        .section .text, "ax"
/* ---- zImage header (Linux arch/arm/boot/compressed/head.S) ---- */
        .globl  edges_start
edges_start:
        b       primary_entry
        .org    0x24
        .word   ZIMAGE_MAGIC
        .word   0                       /* start: 0 = position independent */
        .word   edges_end - edges_start /* end: stack included */
        .word   0x04030201              /* little-endian marker */

/* primary_entry: the boot CPU, from entry to SYSTEM_OFF.  Never returns. */
FUNC_LOCAL(primary_entry)
        mrrc    p15, 0, r4, r5, c14     /* r5:r4 := CNTPCT, the counter at entry */
        adrl    sp, primary_stack_top
        adrl    r10, primary_line       /* r10 := this CPU's line buffer */
        adrl    r0, vectors
        mcr     p15, 0, r0, c12, c0, 0  /* VBAR */
        mrc     p15, 0, r0, c1, c0, 0
        bic     r0, r0, #SCTLR_V        /* vectors at VBAR, not 0xffff0000 */
        mcr     p15, 0, r0, c1, c0, 0
        isb                             /* the new vectors before any exception */
        bl      line_start
        line_str "entry cntpct="
        mov     r0, r4
        mov     r1, r5
        bl      line_hex
        bl      line_end
        bl      hvc_imm_test
        bl      console_io_tests
        bl      line_start
        line_str "done"
        bl      line_end
        b       system_off
END(primary_entry)

/*
 * hvc_imm_test: HVC #ODD_HVC_IMM; print what came back as "hvc-imm
 * mode=0x<CPSR.M in the handler> spsr=0x<SPSR_und.M> lr=hvc+<LR_und - the
 * HVC's address>", or "hvc-imm returned" if nothing was taken.
 * Clobbers r0-r7, r12.
 */
FUNC_LOCAL(hvc_imm_test)
        push    {r8, lr}
        mov     r4, #0
hvc_insn:
        hvc     #ODD_HVC_IMM
        bl      line_start
        cmp     r4, #0
        bne     1f
        line_str "hvc-imm returned"
        b       2f
1:      line_str "hvc-imm mode="
        and     r0, r5, #MODE_MASK
        mov     r1, #0
        bl      line_hex
        line_str " spsr="
        and     r0, r6, #MODE_MASK
        mov     r1, #0
        bl      line_hex
        line_str " lr=hvc+"
        adrl    r0, hvc_insn
        sub     r0, r7, r0
        bl      line_dec
2:      bl      line_end
        pop     {r8, pc}
END(hvc_imm_test)

/* console_io_tests: one "console-io <case> = <r0>" line each.  Clobbers r0-r4, r12. */
FUNC_LOCAL(console_io_tests)
        push    {r8, lr}
        ldr     r2, =UNBACKED_ADDR
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_WRITE, PROBE_LEN
        result_line "console-io write-unbacked = "
        ldr     r2, =MMIO_ADDR
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_WRITE, PROBE_LEN
        result_line "console-io write-mmio = "
        adrl    r2, scratch
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_WRITE, 0
        result_line "console-io write-count0 = "
        adrl    r2, scratch
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_READ, READ_LEN
        result_line "console-io read = "
        adrl    r2, scratch
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_BAD_CMD, 0
        result_line "console-io bad-cmd = "
        adrl    r2, scratch
        console_io HYPERCALL_UNKNOWN, CONSOLEIO_WRITE, PROBE_LEN
        result_line "hypercall 99 = "
        mov     r2, #0
        console_io HYPERCALL_SET_TRAP_TABLE, 0, 0
        result_line "hypercall 1 = "
        pop     {r8, pc}
END(console_io_tests)

        .balign 4
        .ltorg

/* ------------------------------------------------------------------------ */
/*
 * The vector table (lines-arm32.S).  Only the undefined instruction that
 * hvc_insn brings is expected; anything else prints one fixed line and
 * powers off.
 */
        a32_vectors undef=und_handler

/*
 * und_handler (Undefined mode, no stack): r5 := CPSR, r6 := SPSR_und, r7 :=
 * LR_und, r4 := 1; return to SVC past the HVC, whether LR_und is the
 * architecture's (HVC + 4) or Xen 4.17's (HVC + 8).  Any other undefined
 * instruction is unexpected.
 */
FUNC_LOCAL(und_handler)
        mov     r7, lr
        adrl    r6, hvc_insn
        sub     r6, r7, r6
        cmp     r6, #4
        cmpne   r6, #8
        bne     unexpected
        mrs     r5, cpsr
        mrs     r6, spsr
        mov     r4, #1
        adrl    lr, hvc_insn + 4
        movs    pc, lr                  /* CPSR := SPSR_und */
END(und_handler)


/* Data and stack: inside the file, so whoever places the image keeps them free. */
        .subsection 2
        .balign 16
primary_line:
        .space  LINE_MAX
scratch:
        .space  LINE_MAX
        .space  STACK_SIZE
primary_stack_top:
edges_end:
