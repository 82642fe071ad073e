/* SPDX-License-Identifier: MIT */
/*
 * Boot stub for QEMU runs where no loader hands hypcore a DTB (x0) the way the
 * test wants: ./hypcore places this page somewhere in RAM with QEMU's generic
 * loader (cpu-num=0 makes it the first instruction), puts a DTB elsewhere, and
 * patches both addresses into the two words below.  It then enters the image
 * exactly as the Linux arm64 boot protocol does: x0 = DTB, x1..x3 = 0, EL2,
 * MMU off.  The harness finds the words by the magic at byte 8.
 *
 *   byte  0  b stub_code
 *   byte  8  "hcstub64"        magic checked by scripts/hypcore_lib/qemu.py
 *   byte 16  stub_dtb   (u64)  physical address of the DTB
 *   byte 24  stub_entry (u64)  physical address of the image's first byte
 */
        .section .text.stub, "ax"
        .globl  stub_start
stub_start:
        b       stub_code
        /* .org fails the build if a field drifts from the offset the harness patches */
        .org    8
        .ascii  "hcstub64"
        .org    16
stub_dtb:
        .quad   0
        .org    24
stub_entry:
        .quad   0

stub_code:
        ldr     x0, stub_dtb            /* x0 := DTB paddr, per the boot protocol */
        ldr     x4, stub_entry          /* x4 := where the image starts */
        mov     x1, xzr                 /* x1..x3 must be 0 */
        mov     x2, xzr
        mov     x3, xzr
        br      x4

