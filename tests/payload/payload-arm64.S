/* SPDX-License-Identifier: MIT */
/*
 * The dom0 test payload for arm64: a kernel-shaped image that runs unchanged
 * under Debian's Xen 4.17 and under hypcore and reports what it was given in
 * lines prefixed "payload: " (tests/payload/README.md lists them).
 *
 * Entered like a Linux Image: EL1h, MMU and caches off, x0 = DTB.  With the
 * MMU off every address is physical and data accesses are Device-nGnRnE, so
 * every load and store here is naturally aligned (FDT fields are 4-byte
 * aligned; 64-bit cells are read as two 32-bit words).  It is position
 * independent (adr and PC-relative literals only), so any load address works;
 * the vector table needs the image at a 2 KiB boundary, which the Image
 * protocol's 2 MiB alignment gives.
 *
 * Output goes through Xen's console_io hypercall, PSCI through HVC #0.  Each
 * line is built in the CPU's own buffer and written with one hypercall, and
 * the primary waits for the secondary's line before it prints again, so lines
 * never interleave.
 *
 * Registers:
 *   x19  primary_entry .. end   DTB address passed in x0 (secondary: context id)
 *   x20  after fdt_walk         /chosen/bootargs (NUL-terminated) or 0
 *   x21  probe_test             1 once the probe aborted (set by el1_sync)
 *   x22  probe_test             ESR_EL1 of that abort (set by el1_sync)
 *   x25  probe_test             the cursor in the probe= list
 *   x27  whole CPU life         this CPU's line buffer
 *   x28  whole CPU life         write cursor in that buffer (line_* routines)
 * Calling convention: line_* and the string helpers are leaves clobbering
 * x0-x7 (line_end also x8-x17: it makes a hypercall); the rest say theirs.
 */
#include <linkage.h>
#include "payload.h"
#include "lines-arm64.S"


/* Call PSCI with x0-x3 as loaded; print "psci <name> = <w0>"; w23 := w0. */
.macro psci_line name
        hvc     #PSCI_HVC_IMM
        sxtw    x23, w0                 /* PSCI returns an int32 */
        bl      line_start
        line_str "psci \name = "
        mov     x0, x23
        bl      line_dec
        bl      line_end
.endm

        .section .text, "ax"
/* ---- arm64 Image header (Linux Documentation/arch/arm64/booting.rst) ---- */
        .globl  payload_start
payload_start:
        b       primary_entry           /* code0 */
        .long   0                       /* code1 */
        .quad   0                       /* text_offset: at a 2 MiB boundary */
        .quad   payload_end - payload_start /* image_size, stacks included */
        .quad   IMAGE_FLAGS             /* LE, any page size, anywhere */
        .quad   0, 0, 0                 /* res2..res4 */
        .org    56
        .ascii  "ARM\x64"               /* magic */
        .long   0                       /* res5: no PE header */

/*
 * primary_entry: the boot CPU, from entry to SYSTEM_OFF.
 * Inputs: x0 = DTB (boot protocol).  Never returns.
 */
FUNC_LOCAL(primary_entry)
        mov     x19, x0                 /* x19 := DTB paddr for the whole run */
        adr     x0, primary_stack_top
        mov     sp, x0
        adr     x27, primary_line       /* x27 := this CPU's line buffer */
        adr     x0, vectors
        msr     vbar_el1, x0
        isb

        bl      line_start
        line_str "el="
        mrs     x0, CurrentEL
        ubfx    x0, x0, #2, #2          /* CurrentEL.EL, bits [3:2] */
        bl      line_dec
        bl      line_end

        bl      line_start
        line_str "dtb="
        mov     x0, x19
        bl      line_hex
        bl      line_end

        bl      line_start
        line_str "dtb-magic="
        mov     x20, #0                 /* no DT, no bootargs */
        ldr     w0, [x19]
        rev     w0, w0
        ldr     w1, =FDT_MAGIC
        cmp     w0, w1
        b.ne    1f
        line_str "ok"
        bl      line_end
        mov     x0, x19
        bl      fdt_walk                /* prints the memory lines */
        mov     x20, x0                 /* x20 := bootargs or 0 */
        b       2f
1:      line_str "bad"
        bl      line_end
2:      bl      line_start
        line_str "bootargs "
        mov     x0, x20
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
 * Inputs: x27/x28.  Clobbers x0-x17, x23-x25.
 */
FUNC_LOCAL(psci_tests)
        stp     x29, x30, [sp, #-16]!
        ldr     x0, =PSCI_VERSION
        psci_line version
        ldr     x0, =PSCI_FEATURES
        ldr     x1, =PSCI_CPU_ON64
        psci_line features-cpu-on
        ldr     x0, =PSCI_MIGRATE_INFO_TYPE
        psci_line migrate-info-type
        ldr     x0, =PSCI_AFFINITY_INFO64
        mov     x1, #CPU1_MPIDR
        mov     x2, #0                  /* lowest affinity level 0 */
        psci_line affinity-info-before

        adr     x0, cpu1_flag
        str     wzr, [x0]
        adr     x0, cpu1_go
        str     wzr, [x0]
        ldr     x0, =PSCI_CPU_ON64
        mov     x1, #CPU1_MPIDR
        adr     x2, secondary_entry
        ldr     x3, =CPU1_CONTEXT
        psci_line cpu-on
        adr     x0, cpu1_go
        mov     w1, #1
        str     w1, [x0]                /* cpu1 prints only after our cpu-on line */
        dsb     sy
        cbnz    w23, 3f                 /* not started: nothing to wait for */
        /* Wait for cpu1's line, then for cpu1 to be off. */
        bl      timeout_start
1:      adr     x0, cpu1_flag
        ldr     w0, [x0]
        cbnz    w0, 2f
        bl      timeout_passed
        cbz     x0, 1b
        bl      line_start
        line_str "cpu1 timeout"
        bl      line_end
        b       3f
2:      bl      timeout_start
4:      ldr     x0, =PSCI_AFFINITY_INFO64
        mov     x1, #CPU1_MPIDR
        mov     x2, #0
        hvc     #PSCI_HVC_IMM
        cmp     w0, #PSCI_AFFINITY_OFF
        b.eq    3f
        bl      timeout_passed
        cbz     x0, 4b
3:      ldr     x0, =PSCI_AFFINITY_INFO64
        mov     x1, #CPU1_MPIDR
        mov     x2, #0
        psci_line affinity-info-after

        ldr     x0, =PSCI_CPU_ON64
        mov     x1, #BAD_MPIDR
        adr     x2, secondary_entry
        ldr     x3, =CPU1_CONTEXT
        psci_line cpu-on-bad-mpidr
        ldr     x0, =PSCI_CPU_ON64
        mov     x1, #0                  /* cpu0: this CPU */
        adr     x2, secondary_entry
        ldr     x3, =CPU1_CONTEXT
        psci_line cpu-on-cpu0
        ldp     x29, x30, [sp], #16
        ret
END(psci_tests)

/*
 * probe_test: for each address of bootargs' probe=A[,B...] read the word
 * there and print "probe A -> value V", or the abort el1_sync recorded
 * ("-> abort esr=<ESR_EL1>"); "probe none" without one.
 * Inputs: x20 = bootargs or 0.  Clobbers x0-x17, x21-x25.
 *   x25  the cursor in the list (at the character after the last number)
 */
FUNC_LOCAL(probe_test)
        stp     x29, x30, [sp, #-16]!
        mov     x0, x20
        bl      find_probe              /* x0 := past "probe=", or 0 */
        cbz     x0, 9f
        bl      parse_hex               /* x0 := address, x1 := found, x2 := past it */
        cbz     x1, 9f
1:      mov     x23, x0                 /* x23 := probed address */
        mov     x25, x2
        bl      line_start
        line_str "probe "
        mov     x0, x23
        bl      line_hex
        line_str " -> "
        mov     x21, #0
        mov     x22, #0
probe_insn:
        ldr     w24, [x23]              /* may abort: el1_sync skips it */
        cbnz    x21, 2f
        line_str "value "
        mov     x0, x24
        bl      line_hex
        b       3f
2:      line_str "abort esr="
        mov     x0, x22
        bl      line_hex
3:      bl      line_end
        ldrb    w0, [x25]               /* another address after a comma? */
        cmp     w0, #','
        b.ne    8f
        add     x0, x25, #1
        bl      parse_hex
        cbnz    x1, 1b
8:      ldp     x29, x30, [sp], #16
        ret
9:      bl      line_start
        line_str "probe none"
        bl      line_end
        ldp     x29, x30, [sp], #16
        ret
END(probe_test)

/*
 * secondary_entry: where CPU_ON starts cpu1 (EL1h, MMU off, x0 = context id).
 * Waits for cpu1_go, prints its line, raises cpu1_flag and turns itself off.
 */
FUNC_LOCAL(secondary_entry)
        mov     x19, x0                 /* x19 := context id */
        adr     x0, secondary_stack_top
        mov     sp, x0
        adr     x27, secondary_line     /* x27 := this CPU's line buffer */
        /*
         * Wait for the primary's "psci cpu-on" line: CPU_ON returns to it
         * while this CPU already runs, and the two lines must come out in
         * one order under every hypervisor.
         */
        adr     x0, cpu1_go
2:      ldr     w1, [x0]
        cbz     w1, 2b
        bl      line_start
        line_str "cpu1 up context="
        mov     x0, x19
        bl      line_hex
        bl      line_end
        adr     x0, cpu1_flag
        mov     w1, #1
        str     w1, [x0]                /* the primary may print again */
        dsb     sy
        ldr     x0, =PSCI_CPU_OFF
        hvc     #PSCI_HVC_IMM
1:      wfi                             /* CPU_OFF returned: park */
        b       1b
END(secondary_entry)

/* ------------------------------------------------------------------------ */
/* The device tree: just enough of the structure block to find two things.  */

/*
 * fdt_walk: print "memory 0x<start>-0x<end>" (end exclusive) for every reg
 * entry of a top-level node named memory / memory@... or with device_type
 * "memory", using the root's #address-cells / #size-cells (1 or 2 each).
 * Inputs: x0 = DTB with a good magic.  Output: x0 = /chosen/bootargs or 0.
 * Clobbers x0-x17 (x19-x26 are saved).
 *   x19 token cursor  x20 strings block  x21 depth  x22 NODE_* of the open
 *   top-level node  x23/x24 its reg value/length  x25/x26 address/size cells
 */
FUNC_LOCAL(fdt_walk)
        stp     x29, x30, [sp, #-96]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        str     xzr, [sp, #80]          /* bootargs: none yet */
        ldr     w1, [x0, #FDT_OFF_DT_STRUCT]
        rev     w1, w1
        add     x19, x0, x1
        ldr     w1, [x0, #FDT_OFF_DT_STRINGS]
        rev     w1, w1
        add     x20, x0, x1
        mov     x21, #0
        mov     x25, #FDT_DEFAULT_ADDR_CELLS
        mov     x26, #FDT_DEFAULT_SIZE_CELLS
next_token:
        ldr     w0, [x19], #4
        rev     w0, w0
        cmp     w0, #FDT_BEGIN_NODE
        b.eq    begin_node
        cmp     w0, #FDT_END_NODE
        b.eq    end_node
        cmp     w0, #FDT_PROP
        b.eq    property
        cmp     w0, #FDT_NOP
        b.eq    next_token
        ldr     x0, [sp, #80]           /* FDT_END or garbage: stop */
        ldp     x19, x20, [sp, #16]
        ldp     x21, x22, [sp, #32]
        ldp     x23, x24, [sp, #48]
        ldp     x25, x26, [sp, #64]
        ldp     x29, x30, [sp], #96
        ret

begin_node:
        add     x21, x21, #1
        cmp     x21, #FDT_TOP_DEPTH
        b.ne    1f
        mov     x22, #NODE_OTHER
        mov     x23, #0
        mov     x0, x19
        adr     x1, str_memory
        bl      name_is
        cbz     x0, 2f
        mov     x22, #NODE_MEMORY
2:      mov     x0, x19
        adr     x1, str_chosen
        bl      name_is
        cbz     x0, 1f
        mov     x22, #NODE_CHOSEN
1:      mov     x0, x19
        bl      skip_string
        mov     x19, x0
        b       next_token

end_node:
        cmp     x21, #FDT_TOP_DEPTH
        b.ne    1f
        cmp     x22, #NODE_MEMORY
        b.ne    1f
        cbz     x23, 1f
        bl      print_reg
1:      sub     x21, x21, #1
        b       next_token

property:                               /* x9 len, x10 value, x11 name */
        ldr     w9, [x19]
        rev     w9, w9
        ldr     w11, [x19, #4]
        rev     w11, w11
        add     x11, x20, x11
        add     x10, x19, #8
        add     x19, x10, x9
        add     x19, x19, #3
        and     x19, x19, #~3           /* x19 := next token */
        cmp     x21, #FDT_ROOT_DEPTH
        b.ne    1f
        mov     x0, x11
        adr     x1, str_address_cells
        bl      name_is
        cbz     x0, 2f
        ldr     w25, [x10]
        rev     w25, w25
2:      mov     x0, x11
        adr     x1, str_size_cells
        bl      name_is
        cbz     x0, next_token
        ldr     w26, [x10]
        rev     w26, w26
        b       next_token
1:      cmp     x21, #FDT_TOP_DEPTH
        b.ne    next_token
        cmp     x22, #NODE_CHOSEN
        b.ne    3f
        mov     x0, x11
        adr     x1, str_bootargs
        bl      name_is
        cbz     x0, next_token
        str     x10, [sp, #80]
        b       next_token
3:      mov     x0, x11
        adr     x1, str_reg
        bl      name_is
        cbz     x0, 4f
        mov     x23, x10
        mov     x24, x9
        b       next_token
4:      mov     x0, x11
        adr     x1, str_device_type
        bl      name_is
        cbz     x0, next_token
        mov     x0, x10
        adr     x1, str_memory
        bl      name_is
        cbz     x0, next_token
        mov     x22, #NODE_MEMORY
        b       next_token
END(fdt_walk)

/*
 * print_reg: one "memory" line per (address, size) pair of a reg value.
 * Inputs: x23 = value, x24 = length in bytes, x25/x26 = cells.
 * Clobbers x0-x17, x23-x24.
 */
FUNC_LOCAL(print_reg)
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        add     x0, x25, x26
        lsl     x19, x0, #2             /* x19 := bytes per entry */
1:      cmp     x24, x19
        b.lo    2f
        sub     x24, x24, x19
        bl      line_start
        line_str "memory "
        mov     x0, x23
        mov     x1, x25
        bl      read_cells
        mov     x12, x0                 /* x12 := start (line_* keep x8-x17) */
        add     x23, x23, x25, lsl #2
        mov     x0, x23
        mov     x1, x26
        bl      read_cells
        add     x13, x12, x0            /* x13 := end, exclusive */
        add     x23, x23, x26, lsl #2
        mov     x0, x12
        bl      line_hex
        line_str "-"
        mov     x0, x13
        bl      line_hex
        bl      line_end
        b       1b
2:      ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret
END(print_reg)

/* read_cells: x0 := the 1- or 2-cell big-endian number at x0 (x1 cells). */
FUNC_LOCAL(read_cells)
        mov     x2, x0
        mov     x0, #0
1:      cbz     x1, 2f
        ldr     w3, [x2], #4
        rev     w3, w3
        orr     x0, x3, x0, lsl #32
        sub     x1, x1, #1
        b       1b
2:      ret
END(read_cells)

/*
 * name_is: x0 := 1 when the string at x0 is the literal at x1, alone or
 * followed by a unit address ("memory@40000000"), else 0.  Clobbers x0-x3.
 */
FUNC_LOCAL(name_is)
1:      ldrb    w2, [x1], #1
        ldrb    w3, [x0], #1
        cbz     w2, 2f
        cmp     w2, w3
        b.eq    1b
        mov     x0, #0
        ret
2:      cmp     w3, #'@'
        ccmp    w3, #0, #4, ne          /* Z := w3 is '@' or NUL */
        cset    x0, eq
        ret
END(name_is)

/* skip_string: x0 := past the NUL of the string at x0, 4-byte aligned. */
FUNC_LOCAL(skip_string)
1:      ldrb    w1, [x0], #1
        cbnz    w1, 1b
        add     x0, x0, #3
        and     x0, x0, #~3
        ret
END(skip_string)

/*
 * find_probe: where the value of "probe=" starts in the string at x0 (0 =
 * no string): x0 := the character after "probe=", or 0 if there is none.
 * Clobbers x0-x7.
 */
FUNC_LOCAL(find_probe)
        cbz     x0, 9f
        mov     x4, x0                  /* x4 := scan position */
        mov     w5, #' '                /* w5 := previous character */
1:      ldrb    w2, [x4]
        cbz     w2, 9f
        cmp     w5, #' '
        b.ne    3f
        adr     x6, str_probe           /* word start: does "probe=" follow? */
        mov     x7, x4
2:      ldrb    w3, [x6], #1
        cbz     w3, 4f
        ldrb    w2, [x7], #1
        cmp     w2, w3
        b.eq    2b
3:      ldrb    w5, [x4], #1
        b       1b
4:      mov     x0, x7                  /* past "probe=" */
        ret
9:      mov     x0, #0
        ret
END(find_probe)

/*
 * parse_hex: the hex number (optional 0x) at x0.  Output: x0 = the number,
 * x1 = 1 if it had a digit else 0, x2 = the first character after it.
 * Clobbers x0-x3.
 */
FUNC_LOCAL(parse_hex)
        mov     x2, x0
        ldrb    w3, [x2]
        cmp     w3, #'0'
        b.ne    1f
        ldrb    w3, [x2, #1]
        orr     w3, w3, #0x20           /* 'X' -> 'x' */
        cmp     w3, #'x'
        b.ne    1f
        add     x2, x2, #2
1:      mov     x0, #0
        mov     x1, #0
2:      ldrb    w3, [x2]
        sub     w3, w3, #'0'
        cmp     w3, #9
        b.ls    3f
        ldrb    w3, [x2]
        orr     w3, w3, #0x20
        sub     w3, w3, #'a'
        cmp     w3, #5
        b.hi    4f
        add     w3, w3, #10
3:      orr     x0, x3, x0, lsl #4
        mov     x1, #1
        add     x2, x2, #1
        b       2b
4:      ret
END(parse_hex)

str_memory:             .asciz  "memory"
str_chosen:             .asciz  "chosen"
str_bootargs:           .asciz  "bootargs"
str_reg:                .asciz  "reg"
str_device_type:        .asciz  "device_type"
str_address_cells:      .asciz  "#address-cells"
str_size_cells:         .asciz  "#size-cells"
str_probe:              .asciz  "probe="
        .balign 8
        .ltorg

/* ------------------------------------------------------------------------ */
/*
 * The EL1 vector table.  Only a synchronous exception at probe_insn is
 * expected; anything else prints one fixed line and powers off.
 */
        el1_vectors

/*
 * el1_sync: the probe's data abort: skip the load, x21 := 1, x22 := ESR_EL1.
 * Anything that is not the probe is unexpected.
 */
FUNC_LOCAL(el1_sync)
        mrs     x21, elr_el1
        adr     x22, probe_insn
        cmp     x21, x22
        b.ne    unexpected
        add     x21, x21, #4
        msr     elr_el1, x21
        mrs     x22, esr_el1
        mov     x21, #1
        eret
END(el1_sync)


/* Data and stacks: inside the file, so whoever places the image keeps them free. */
        .subsection 2
        .balign 16
cpu1_flag:
        .long   0
cpu1_go:
        .long   0
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
