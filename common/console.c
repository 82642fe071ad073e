/* SPDX-License-Identifier: MIT */
/*
 * common/console.c: which PL011 is the console (include/console.h): the
 * console= and dtuart= options, /chosen/stdout-path, the board default.
 */
#include <cmdline.h>
#include <console.h>
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <printk.h>
#include <string.h>

#define UART_PAGE       4096

/* console=<list>: Xen's option; hypcore's only console is "dtuart". */
static char opt_console[32] = "dtuart";
string_param("console", opt_console);

/* dtuart=<path or alias>[:<options>] (Xen's; "" = not given). */
static char opt_dtuart[128];
string_param("dtuart", opt_dtuart);

/*
 * Whether the comma-separated @list holds "dtuart"; warns once about each
 * other entry (Xen's vga, com1, ... do not exist here).
 */
static bool console_has_dtuart(const char *list)
{
    bool found = false;

    while ( *list )
    {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);

        if ( len == 6 && !memcmp(list, "dtuart", 6) )
            found = true;
        else if ( len )
            printk(XENLOG_WARNING "console: warning: console=%.*s: only dtuart "
                   "is supported; ignored\n", (int)len, list);
        list += len + (end ? 1 : 0);
    }
    return found;
}

/*
 * The node @spec names: [@spec, @spec + @len) is a path ("/...") or an
 * alias.  Returns the offset, or -1 with *@why set.
 */
static int find_node(const void *fdt, const char *spec, size_t len,
                     const char **why)
{
    const char *path = spec;
    int node;

    if ( len == 0 )
    {
        *why = "names no node";
        return -1;
    }
    if ( spec[0] != '/' )
    {
        path = fdt_get_alias_namelen(fdt, spec, (int)len);
        if ( path == NULL )
        {
            *why = "no such alias in /aliases";
            return -1;
        }
        len = strlen(path);
    }
    node = fdt_path_offset_namelen(fdt, path, (int)len);
    if ( node < 0 )
    {
        *why = "no such node";
        return -1;
    }
    return node;
}

/*
 * Whether the UART named by @spec ("<path or alias>[:<options>]") is a
 * usable PL011; if not, one warning naming @what and why.
 */
static bool try_uart(const void *fdt, const char *what, const char *spec,
                     struct console_choice *out)
{
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    char path[DT_PATH_MAX];
    const char *why = NULL;
    paddr_t pa = 0;
    u64 size;
    int node = find_node(fdt, spec, len, &why), rc;

    if ( node < 0 )
        goto refused;
    dt_node_path(fdt, node, path, sizeof(path));
    if ( !dt_node_enabled(fdt, node) )
        why = "disabled";
    else if ( fdt_node_check_compatible(fdt, node, "arm,pl011") != 0 )
        why = "not compatible with \"arm,pl011\"";
    else if ( (rc = dt_node_paddr(fdt, node, &pa, &size)) < 0 )
        why = dt_strerror(rc);
    else if ( pa & (UART_PAGE - 1) )
        why = "reg is not 4 KiB aligned";
    if ( why )
    {
        printk(XENLOG_WARNING "console: warning: %s \"%s\": node=%s: %s; ignored\n",
               what, spec, path, why);
        return false;
    }
    out->paddr = pa;
    out->node = node;
    return true;

 refused:
    printk(XENLOG_WARNING "console: warning: %s \"%s\": %s; ignored\n", what, spec, why);
    return false;
}

void console_choose(const void *fdt, const char *console, const char *dtuart,
                    struct console_choice *out)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    const char *stdout_path = NULL;
    int err = 0;

    out->paddr = BOARD_UART_PADDR;
    out->node = -1;
    out->source = CONSOLE_BOARD;
    if ( !console_has_dtuart(console) )
        return;

    out->source = CONSOLE_DTUART;
    if ( dtuart[0] && try_uart(fdt, "dtuart", dtuart, out) )
        return;

    out->source = CONSOLE_STDOUT_PATH;
    if ( chosen >= 0 )
        stdout_path = dt_get_string(fdt, chosen, "stdout-path", &err);
    if ( err )
        printk(XENLOG_WARNING "console: warning: /chosen/stdout-path is %s; ignored\n",
               dt_strerror(err));
    if ( stdout_path && try_uart(fdt, "stdout-path", stdout_path, out) )
        return;

    out->source = CONSOLE_BOARD;
}

void console_init(const void *fdt)
{
    struct console_choice c;
    char path[DT_PATH_MAX] = "";
    const char *colon = strchr(opt_dtuart, ':');

    console_choose(fdt, opt_console, opt_dtuart, &c);
    if ( c.node >= 0 )
    {
        dt_node_path(fdt, c.node, path, sizeof(path));
        pl011_use(c.paddr);
    }

    printk("console: pl011 at 0x%08llx%s%s (", (unsigned long long)c.paddr,
           c.node >= 0 ? " node=" : "", path);
    if ( c.source == CONSOLE_DTUART )
        printk("dtuart=%.*s%s)\n",
               colon ? (int)(colon - opt_dtuart) : (int)strlen(opt_dtuart), opt_dtuart,
               colon ? "; its options ignored" : "");
    else if ( c.source == CONSOLE_STDOUT_PATH )
        printk("stdout-path)\n");
    else
        printk("board default)\n");
}
