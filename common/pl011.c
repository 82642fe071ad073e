/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART console (Arm PrimeCell UART, DDI 0183), polled transmit only.
 * The UART is reached through fixmap slot FIXMAP_UART, which head.S mapped;
 * the firmware (QEMU) leaves it enabled, so no baud-rate setup is done here.
 */
#include <arch/mmio.h>
#include <layout.h>
#include <mm.h>
#include <printk.h>
#include <sections.h>
#include <types.h>

#define PL011_DR        0x00    /* data register */
#define PL011_FR        0x18    /* flag register */
#define PL011_FR_TXFF   (1U << 5)   /* transmit FIFO full */
#define PL011_FR_BUSY   (1U << 3)

#define UART_VA ((vaddr_t)__fixmap_start + FIXMAP_UART * 4096)

static inline u32 pl011_read(unsigned int reg)
{
    return mmio_read32(UART_VA + reg);
}

static inline void pl011_write(unsigned int reg, u32 val)
{
    mmio_write32(UART_VA + reg, val);
}

static void pl011_putc(char c)
{
    while ( pl011_read(PL011_FR) & PL011_FR_TXFF )
        ;
    pl011_write(PL011_DR, (u8)c);
}

void console_write(const char *s, size_t len)
{
    while ( len-- )
        pl011_putc(*s++);
}

/* console_flush: wait until the last character has left the UART. */
void console_flush(void);
void console_flush(void)
{
    while ( pl011_read(PL011_FR) & PL011_FR_BUSY )
        ;
}
