/* SPDX-License-Identifier: MIT */
/*
 * The console: which UART printk() writes to (common/console.c) and the
 * PL011 driver behind it (common/pl011.c).
 *
 * Before C, head.S maps the board's PL011 (BOARD_UART_PADDR,
 * configs/boards/) at fixmap slot FIXMAP_UART and uses its physical address
 * for early failures; printk() starts on that mapping.  Once the command
 * line is read, console_init() chooses the UART as Xen does on Arm, first
 * usable of:
 *   1. dtuart=<path or alias>[:<options>], if console= lists dtuart (the
 *      default); the options are ignored: the UART keeps the settings the
 *      firmware left, as it does today;
 *   2. /chosen/stdout-path (its ":<options>" part ignored the same way);
 *   3. the board default.
 * A candidate is usable when its node exists, is enabled, is compatible
 * with "arm,pl011", and its reg (translated through the parent buses,
 * dt_node_paddr()) starts on a 4 KiB boundary.  Each candidate refused gets
 * one "console: warning: ..." line, and the next one is tried.
 */
#ifndef HYPCORE_CONSOLE_H
#define HYPCORE_CONSOLE_H

#include <types.h>

enum console_source {
    CONSOLE_DTUART,         /* dtuart= */
    CONSOLE_STDOUT_PATH,    /* /chosen/stdout-path */
    CONSOLE_BOARD,          /* BOARD_UART_PADDR */
};

struct console_choice {
    paddr_t paddr;          /* the PL011's registers */
    int node;               /* its DT node; -1 for the board default */
    enum console_source source;
};

/*
 * console_choose: decide from @fdt (checked with dt_check()) and the values
 * of console= (@console, a comma-separated list) and dtuart= (@dtuart, ""
 * when not given).  Prints the warnings for refused candidates and for
 * console= entries other than dtuart; never fails (the board default is
 * always there).
 */
void console_choose(const void *fdt, const char *console, const char *dtuart,
                    struct console_choice *out);

/*
 * console_init: console_choose() with the command line's console= and
 * dtuart=, switch printk() to that UART (pl011_use(), for a DT node), then
 * print one line:
 *   console: pl011 at 0x<paddr> [node=<path> ](<dtuart=<value>|stdout-path|board default>)
 * Called once on the boot CPU, right after cmdline_parse() and before any
 * secondary CPU starts (they share the fixmap's tables).
 */
void console_init(const void *fdt);

/*
 * pl011_use (common/pl011.c): send the console to the PL011 at @pa (4 KiB
 * aligned), mapped as device memory at fixmap slot FIXMAP_UART_DT, once the
 * early UART has drained.  Called once (the slot must be free: asserted), on
 * the boot CPU before secondaries start, for a UART found in the DT, even at
 * the board's address; the board default keeps head.S's mapping.
 */
void pl011_use(paddr_t pa);

/* console_flush: wait until the last character written has left the UART. */
void console_flush(void);

#endif
