/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART console (Arm PrimeCell UART, DDI 0183), polled transmit only.
 * printk() starts on the UART head.S mapped at fixmap slot FIXMAP_UART;
 * console_init() may move it to another PL011 (pl011_use(), include/
 * console.h).  The firmware (QEMU) leaves the UART enabled, so no baud-rate
 * setup is done here.
 */
#include <arch/mmio.h>
#include <console.h>
#include <layout.h>
#include <lib.h>
#include <mm.h>
#include <printk.h>
#include <sections.h>
#include <types.h>

#define PL011_DR        0x00    /* data register */
#define PL011_FR        0x18    /* flag register */
#define PL011_FR_TXFF   (1U << 5)   /* transmit FIFO full */
#define PL011_FR_BUSY   (1U << 3)

#define FIXMAP_PAGE     4096
#define FIXMAP_VA(slot) ((vaddr_t)__fixmap_start + (vaddr_t)(slot) * FIXMAP_PAGE)

/* The UART in use: head.S's until pl011_use() moves it. */
static const char *uart_base = __fixmap_start + FIXMAP_UART * FIXMAP_PAGE;

static inline u32 pl011_read(unsigned int reg)
{
    return mmio_read32((vaddr_t)uart_base + reg);
}

static inline void pl011_write(unsigned int reg, u32 val)
{
    mmio_write32((vaddr_t)uart_base + reg, val);
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

void console_flush(void)
{
    while ( pl011_read(PL011_FR) & PL011_FR_BUSY )
        ;
}

void pl011_use(paddr_t pa)
{
    ASSERT(IS_ALIGNED(pa, FIXMAP_PAGE));
    /* Even the board's own UART: then every boot from a DT takes this path. */
    map_boot_page(FIXMAP_VA(FIXMAP_UART_DT), pa, MAP_DEVICE);
    console_flush();            /* what is in flight leaves by the old UART */
    uart_base = (const char *)FIXMAP_VA(FIXMAP_UART_DT);
}
