/* SPDX-License-Identifier: MIT */
/*
 * Boot stub for arm32 QEMU runs; see boot-stub-arm64.S for how the harness
 * uses it.  Enters the image as the Linux arm32 boot protocol does:
 * r0 = 0, r1 = ~0 (no machine type: a DTB is passed), r2 = DTB, HYP mode,
 * MMU off.  Only the low words of the two u64 slots are used.
 *
 *   byte  0  b stub_code
 *   byte  8  "hcstub32"        magic checked by scripts/hypcore_lib/qemu.py
 *   byte 16  stub_dtb   (u64)  physical address of the DTB
 *   byte 24  stub_entry (u64)  physical address of the image's first byte
 */
        .syntax unified
        .arm
        .section .text.stub, "ax"
        .globl  stub_start
stub_start:
        b       stub_code
        /* .org fails the build if a field drifts from the offset the harness patches */
        .org    8
        .ascii  "hcstub32"
        .org    16
stub_dtb:
        .quad   0
        .org    24
stub_entry:
        .quad   0

stub_code:
        ldr     r2, stub_dtb            /* r2 := DTB paddr, per the boot protocol */
        ldr     r4, stub_entry          /* r4 := where the image starts */
        mov     r0, #0                  /* r0 must be 0 */
        mvn     r1, #0                  /* r1 := ~0: no machine type, DT boot */
        bx      r4

