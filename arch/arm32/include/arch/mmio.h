/* SPDX-License-Identifier: MIT */
/*
 * Device register access: one 32-bit load or store each, whatever the
 * compiler thinks it knows about the pointer's alignment (with
 * -mno-unaligned-access it would otherwise split a store to an address
 * derived from a char[] linker symbol into four byte stores).
 */
#ifndef ARCH_ARM32_MMIO_H
#define ARCH_ARM32_MMIO_H

#include <types.h>

static inline u32 mmio_read32(vaddr_t addr)
{
    u32 v;

    asm volatile ( "ldr %0, [%1]" : "=r" (v) : "r" (addr) : "memory" );
    return v;
}

static inline void mmio_write32(vaddr_t addr, u32 v)
{
    asm volatile ( "str %0, [%1]" :: "r" (v), "r" (addr) : "memory" );
}

#endif
