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

/*
 * Wait until the transmit FIFO has room.  Out of line: it is rarely taken
 * under QEMU, and the loop inlined in the writers below would put an
 * alignment NOP in their per-character path.
 */
static void __attribute__((noinline)) pl011_wait_room(vaddr_t base)
{
    while ( mmio_read32(base + PL011_FR) & PL011_FR_TXFF )
        ;
}

/*
 * One character to the UART at @base once its transmit FIFO has room.  The
 * writers below read uart_base once per call into @base: through the
 * accessors' "memory" clobber it would be reloaded twice a character.
 */
static inline void pl011_putc_at(vaddr_t base, char c)
{
    if ( mmio_read32(base + PL011_FR) & PL011_FR_TXFF )
        pl011_wait_room(base);
    mmio_write32(base + PL011_DR, (u8)c);
}

void console_write(const char *s, size_t len)
{
    vaddr_t base = (vaddr_t)uart_base;
    const char *end = s + len;

    while ( s != end )
        pl011_putc_at(base, *s++);
}

size_t console_write_line(const char *s, size_t len)
{
    vaddr_t base = (vaddr_t)uart_base;
    const char *p = s, *end = s + len;

    while ( p != end )
    {
        char c = *p++;

        if ( c == '\n' )
        {
            pl011_putc_at(base, '\r');
            pl011_putc_at(base, '\n');
            break;
        }
        pl011_putc_at(base, c);
    }
    return (size_t)(p - s);
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
