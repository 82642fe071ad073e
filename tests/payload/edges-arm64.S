/* SPDX-License-Identifier: MIT */
/*
 * The dom0 edge-case payload for arm64 (edges.bin): the calls the main
 * payload does not make, each reported in one "payload: " line, so that one
 * image runs under Xen 4.17 and under hypcore and the two logs compare line
 * for line (tests/payload/README.md lists the lines):
 *   - HVC with an immediate that is neither 0 (PSCI) nor 0xEA1 (Xen): the
 *     syndrome and return address of the exception that comes back;
 *   - console_io's error and corner cases: a buffer nothing backs, a buffer
 *     in MMIO, count 0, CONSOLEIO_read, an unknown sub-command, unknown
 *     hypercall numbers;
 *   - PSCI CPU_ON / CPU_OFF of cpu1 twice over, AFFINITY_INFO read while
 *     cpu1 is on and polled until it is off.
 * Entered like a Linux Image: EL1h, MMU off, x0 = DTB (unused).  Position
 * independent; the vector table needs the 2 KiB alignment the Image's 2 MiB
 * placement gives.
 *
 * The first line is the physical counter at entry (both hypervisors let EL1
 * read CNTPCT_EL0): ./hypcore bench --suite dom0 compares the two with it.
 *
 * Registers:
 *   x20  primary_entry          CNTPCT_EL0 at entry
 *   x21  hvc_imm_test           ESR_EL1 of the exception (set by el1_sync)
 *   x22  hvc_imm_test           ELR_EL1 of the exception (set by el1_sync)
 *   x23  hvc_imm_test           1 once the exception was taken (el1_sync)
 *   x27  whole CPU life         this CPU's line buffer (lines-arm64.S)
 *   x28  whole CPU life         write cursor in that buffer
 */
#include <linkage.h>
#include "payload.h"
#include "lines-arm64.S"

/* Hypercall corner cases (xen/include/public/xen.h, console_io's commands). */
#define CONSOLEIO_READ          1
#define CONSOLEIO_BAD_CMD       7       /* neither write nor read */
#define HYPERCALL_UNKNOWN       99      /* beyond Xen's table */
#define HYPERCALL_SET_TRAP_TABLE 1      /* in the table, x86 only */
#define UNBACKED_ADDR           (1 << 40)   /* beyond a 40-bit IPA space */
#define MMIO_ADDR               0x09000000  /* QEMU virt's PL011: MMIO, never RAM */
#define PROBE_LEN               8
#define READ_LEN                16
#define ODD_HVC_IMM             0x1234
#define CYCLES                  2       /* CPU_ON / CPU_OFF rounds of cpu1 */
#define SETTLE_PER_SECOND       20      /* wait 50 ms after cpu1 is off */

/* x16, x0, x1 := nr, cmd, count (x2 = buffer, loaded); HVC #0xEA1; x23 := x0. */
.macro console_io nr, cmd, count
        mov     x16, #\nr
        mov     x0, #\cmd
        mov     x1, #\count
        hvc     #XEN_HVC_IMM
        mov     x23, x0
.endm

/* Print "<text><x23 as signed decimal>". */
.macro result_line text
        bl      line_start
        line_str "\text"
        mov     x0, x23
        bl      line_dec
        bl      line_end
.endm

        .section .text, "ax"
/* ---- arm64 Image header (Linux Documentation/arch/arm64/booting.rst) ---- */
        .globl  edges_start
edges_start:
        b       primary_entry           /* code0 */
        .long   0                       /* code1 */
        .quad   0                       /* text_offset */
        .quad   edges_end - edges_start /* image_size, stacks included */
        .quad   IMAGE_FLAGS             /* LE, any page size, anywhere */
        .quad   0, 0, 0                 /* res2..res4 */
        .org    56
        .ascii  "ARM\x64"               /* magic */
        .long   0                       /* res5: no PE header */

/* primary_entry: the boot CPU, from entry to SYSTEM_OFF.  Never returns. */
FUNC_LOCAL(primary_entry)
        adr     x0, primary_stack_top
        mov     sp, x0
        adr     x27, primary_line       /* x27 := this CPU's line buffer */
        adr     x0, vectors
        msr     vbar_el1, x0
        isb                             /* VBAR_EL1 in effect, and the counter read below not early */
        mrs     x20, cntpct_el0         /* x20 := the physical counter at entry */
        bl      line_start
        line_str "entry cntpct="
        mov     x0, x20
        bl      line_dec
        bl      line_end
        bl      hvc_imm_test
        bl      console_io_tests
        bl      psci_cycle_test
        bl      line_start
        line_str "done"
        bl      line_end
        b       system_off
END(primary_entry)

/*
 * hvc_imm_test: HVC #ODD_HVC_IMM; print the exception it brought back as
 * "hvc-imm esr=0x<ESR_EL1> elr=hvc+<ELR_EL1 - the HVC's address>", or
 * "hvc-imm returned" if none.  Clobbers x0-x17, x21-x23.
 */
FUNC_LOCAL(hvc_imm_test)
        stp     x29, x30, [sp, #-16]!
        mov     x23, #0
hvc_insn:
        hvc     #ODD_HVC_IMM
        bl      line_start
        cbnz    x23, 1f
        line_str "hvc-imm returned"
        b       2f
1:      line_str "hvc-imm esr="
        mov     x0, x21
        bl      line_hex
        line_str " elr=hvc+"
        adr     x0, hvc_insn
        sub     x0, x22, x0
        bl      line_dec
2:      bl      line_end
        ldp     x29, x30, [sp], #16
        ret
END(hvc_imm_test)

/* console_io_tests: one "console-io <case> = <x0>" line each.  Clobbers x0-x17, x23. */
FUNC_LOCAL(console_io_tests)
        stp     x29, x30, [sp, #-16]!
        mov     x2, #UNBACKED_ADDR
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_WRITE, PROBE_LEN
        result_line "console-io write-unbacked = "
        mov     x2, #MMIO_ADDR
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_WRITE, PROBE_LEN
        result_line "console-io write-mmio = "
        adr     x2, scratch
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_WRITE, 0
        result_line "console-io write-count0 = "
        adr     x2, scratch
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_READ, READ_LEN
        result_line "console-io read = "
        adr     x2, scratch
        console_io HYPERCALL_CONSOLE_IO, CONSOLEIO_BAD_CMD, 0
        result_line "console-io bad-cmd = "
        adr     x2, scratch
        console_io HYPERCALL_UNKNOWN, CONSOLEIO_WRITE, PROBE_LEN
        result_line "hypercall 99 = "
        mov     x2, #0
        console_io HYPERCALL_SET_TRAP_TABLE, 0, 0
        result_line "hypercall 1 = "
        ldp     x29, x30, [sp], #16
        ret
END(console_io_tests)

/* psci_call: x0-x3 as loaded, HVC #0; x23 := w0 sign-extended. */
.macro psci_call
        hvc     #PSCI_HVC_IMM
        sxtw    x23, w0
.endm

/*
 * psci_cycle_test: CYCLES rounds of: CPU_ON cpu1 (context = CPU1_CONTEXT +
 * round); wait until cpu1 says it runs; AFFINITY_INFO (must be 0, on); let
 * cpu1 call CPU_OFF; poll AFFINITY_INFO until 1 (off) or TIMEOUT_SECONDS;
 * wait 50 ms.
 * Lines "psci cycle<N> cpu-on = <r>", "... context=0x<x>", "... affinity-on
 * = <r>", "... affinity-off = <r>".  Clobbers x0-x17, x23-x26.
 */
FUNC_LOCAL(psci_cycle_test)
        stp     x29, x30, [sp, #-16]!
        mov     x25, #1                 /* x25 := round */
1:      adr     x0, cpu1_up
        str     xzr, [x0]
        adr     x0, cpu1_go
        str     wzr, [x0]
        dsb     sy                      /* both flags cleared before cpu1 can run */
        ldr     x0, =PSCI_CPU_ON64
        mov     x1, #CPU1_MPIDR
        adr     x2, cycle_secondary
        ldr     x3, =CPU1_CONTEXT
        add     x3, x3, x25
        psci_call
        bl      cycle_line_start
        line_str " cpu-on = "
        mov     x0, x23
        bl      line_dec
        bl      line_end
        cbnz    x23, 9f                 /* not started: stop here */

        bl      timeout_start           /* cpu1 raises cpu1_up = its x0 */
2:      adr     x0, cpu1_up
        ldr     x26, [x0]
        cbnz    x26, 3f
        bl      timeout_passed
        cbz     x0, 2b
3:      bl      cycle_line_start
        line_str " context="
        mov     x0, x26
        bl      line_hex
        bl      line_end

        ldr     x0, =PSCI_AFFINITY_INFO64
        mov     x1, #CPU1_MPIDR
        mov     x2, #0
        psci_call
        bl      cycle_line_start
        line_str " affinity-on = "
        mov     x0, x23
        bl      line_dec
        bl      line_end

        adr     x0, cpu1_go
        mov     w1, #1
        str     w1, [x0]                /* cpu1 may turn itself off */
        dsb     sy
        bl      timeout_start
4:      ldr     x0, =PSCI_AFFINITY_INFO64
        mov     x1, #CPU1_MPIDR
        mov     x2, #0
        psci_call
        cmp     x23, #PSCI_AFFINITY_OFF
        b.eq    5f
        bl      timeout_passed
        cbz     x0, 4b
5:      bl      cycle_line_start
        line_str " affinity-off = "
        mov     x0, x23
        bl      line_dec
        bl      line_end

        /*
         * Let cpu1's CPU_OFF finish before the next CPU_ON.  Xen 4.17 marks
         * the vCPU down (AFFINITY_INFO says off) before it writes CPU_OFF's
         * result to the vCPU's x0; a CPU_ON in between has its context id
         * overwritten by that 0 (seen once in ~10 runs: "context=0x0").
         */
        mrs     x0, cntfrq_el0
        mov     x1, #SETTLE_PER_SECOND
        udiv    x0, x0, x1
        isb                             /* the counter is read now, not speculatively early */
        mrs     x1, cntvct_el0
        add     x24, x0, x1             /* x24 := now + 1/SETTLE_PER_SECOND s */
6:      bl      timeout_passed
        cbz     x0, 6b

        add     x25, x25, #1
        cmp     x25, #CYCLES
        b.ls    1b
9:      ldp     x29, x30, [sp], #16
        ret
END(psci_cycle_test)

/* cycle_line_start: line_start, then "psci cycle<x25>".  Clobbers x0-x7. */
FUNC_LOCAL(cycle_line_start)
        mov     x8, x30
        bl      line_start
        line_str "psci cycle"
        mov     x0, x25
        bl      line_dec
        ret     x8
END(cycle_line_start)

/*
 * cycle_secondary: where CPU_ON starts cpu1 (EL1h, MMU off, x0 = context).
 * cpu1_up := context, wait for cpu1_go, CPU_OFF.  Prints nothing, so lines
 * never interleave.
 */
FUNC_LOCAL(cycle_secondary)
        adr     x1, cpu1_up
        str     x0, [x1]
        dsb     sy                      /* cpu1_up reaches memory (MMU off: Device) before the wait */
1:      adr     x1, cpu1_go
        ldr     w1, [x1]
        cbz     w1, 1b
        ldr     x0, =PSCI_CPU_OFF
        hvc     #PSCI_HVC_IMM
2:      wfi                             /* CPU_OFF returned: park */
        b       2b
END(cycle_secondary)

        .balign 8
        .ltorg

/* ------------------------------------------------------------------------ */
/*
 * The EL1 vector table.  Only the exception hvc_insn brings back is
 * expected; anything else prints one fixed line and powers off.
 */
        el1_vectors

/*
 * el1_sync: the exception HVC #ODD_HVC_IMM brought: x21 := ESR_EL1, x22 :=
 * ELR_EL1, x23 := 1; return past the HVC whether ELR_EL1 points at it (as
 * the architecture has it for an UNDEFINED instruction) or after it (as Xen
 * leaves it).  Anything else is unexpected.
 */
FUNC_LOCAL(el1_sync)
        mrs     x22, elr_el1
        adr     x21, hvc_insn
        cmp     x22, x21
        b.eq    1f
        add     x21, x21, #4
        cmp     x22, x21
        b.ne    unexpected
1:      adr     x21, hvc_insn
        add     x21, x21, #4
        msr     elr_el1, x21
        mrs     x21, esr_el1
        mov     x23, #1
        eret
END(el1_sync)


/* Data and stacks: inside the file, so whoever places the image keeps them free. */
        .subsection 2
        .balign 16
cpu1_up:
        .quad   0
cpu1_go:
        .long   0
        .balign 16
primary_line:
        .space  LINE_MAX
scratch:
        .space  LINE_MAX
        .space  STACK_SIZE
primary_stack_top:
edges_end:
