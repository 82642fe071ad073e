/* SPDX-License-Identifier: MIT */
/*
 * tests/payload/fdt-arm32.S: the arm32 payload's device tree reader
 * (included by payload-arm32.S after lines-arm32.S; AAPCS, r10/r11 the
 * line buffer as there).  fdt_walk prints the memory lines and finds
 * /chosen/bootargs; the rest are its helpers.
 */

/* The device tree: just enough of the structure block to find two things. */

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

str_memory:             .asciz  "memory"
str_chosen:             .asciz  "chosen"
str_bootargs:           .asciz  "bootargs"
str_reg:                .asciz  "reg"
str_device_type:        .asciz  "device_type"
str_address_cells:      .asciz  "#address-cells"
str_size_cells:         .asciz  "#size-cells"
        .balign 4
