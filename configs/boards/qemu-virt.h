/* SPDX-License-Identifier: MIT */
/*
 * Board facts for QEMU's "virt" machine (hw/arm/virt.c, memmap[]), as data.
 * Used by both assembly and C; only plain #defines here.
 */
#ifndef CONFIGS_BOARDS_QEMU_VIRT_H
#define CONFIGS_BOARDS_QEMU_VIRT_H

#define BOARD_NAME              "qemu-virt"
/* PL011 UART0: VIRT_UART, 4 KiB of registers. */
#define BOARD_UART_PADDR        0x09000000
/* First RAM bank (VIRT_MEM). */
#define BOARD_RAM_BASE          0x40000000
/*
 * Where the firmware DTB is when the loader passed none (x0/r2 = 0): QEMU
 * writes it at the RAM base for ELF and generic-loader boots (qemu-facts.md).
 */
#define BOARD_DEFAULT_DTB_PADDR BOARD_RAM_BASE
/* Physical load address recorded in the ELF's program headers (p_paddr). */
#define BOARD_ELF_LOAD_PADDR    0x40200000

#endif /* CONFIGS_BOARDS_QEMU_VIRT_H */
