/* SPDX-License-Identifier: MIT */
/*
 * Host test of common/console.c and common/dt_addr.c on tests/dts/console.dts
 * (argv[1], compiled by meson): reg translated through bus ranges, then the
 * console UART chosen from dtuart=, /chosen/stdout-path and the board
 * default, with one warning per refused candidate.  The expected addresses
 * are worked out in the .dts beside each node.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <cmdline.h>
#include <console.h>
#include <dt.h>
#include <libfdt.h>

/* The driver hook console_init() calls: remember the UART it was given. */
static paddr_t used_paddr;
static unsigned int used_calls;
void pl011_use(paddr_t pa)
{
    used_paddr = pa;
    used_calls++;
}

static void expect_paddr(const void *fdt, const char *path, int want_rc, paddr_t want)
{
    int node = fdt_path_offset(fdt, path);
    paddr_t pa = 0;
    u64 size = 0;
    int rc;

    CHECK(node >= 0, "%s: no such node in the test DTB", path);
    if ( node < 0 )
        return;
    rc = dt_node_paddr(fdt, node, &pa, &size);
    CHECK(rc == want_rc, "%s: rc %d (%s), want %d (%s)", path, rc, dt_strerror(rc),
          want_rc, dt_strerror(want_rc));
    if ( rc == 0 && want_rc == 0 )
        CHECK(pa == want, "%s: 0x%llx, want 0x%llx", path, (unsigned long long)pa,
              (unsigned long long)want);
}

static void test_translation(const void *fdt)
{
    expect_paddr(fdt, "/pl011@9000000", 0, 0x9000000);
    expect_paddr(fdt, "/soc@8000000/serial@1000000", 0, 0x9000000);
    expect_paddr(fdt, "/soc@8000000/sub@1100000/serial@2000", 0, 0x9102000);
    expect_paddr(fdt, "/flat/serial@9000000", 0, 0x9000000);
    expect_paddr(fdt, "/soc@8000000/sub@1100000/serial@f800", -DT_ERR_UNMAPPED, 0);
    expect_paddr(fdt, "/soc@8000000/serial@3000000", -DT_ERR_UNMAPPED, 0);
    expect_paddr(fdt, "/i2c/serial@50", -DT_ERR_NO_RANGES, 0);
    expect_paddr(fdt, "/broken/serial@0", -DT_ERR_RANGES, 0);
    expect_paddr(fdt, "/pl011-noreg", -DT_ERR_NO_REG, 0);
}

/* console_choose(); the warnings it printed. */
static const char *choose(const void *fdt, const char *console, const char *dtuart,
                          struct console_choice *c)
{
    console_reset();
    console_choose(fdt, console, dtuart, c);
    return console_strip(console_take());
}

static void expect_choice(const void *fdt, const char *dtuart, enum console_source source,
                          const char *node, paddr_t pa, const char *warnings)
{
    struct console_choice c;
    char path[DT_PATH_MAX] = "";
    const char *out = choose(fdt, "dtuart", dtuart, &c);

    if ( c.node >= 0 )
        fdt_get_path(fdt, c.node, path, sizeof(path));
    CHECK(c.source == source && c.paddr == pa && !strcmp(path, node),
          "dtuart=\"%s\": source %d paddr 0x%llx node \"%s\", want %d 0x%llx \"%s\"",
          dtuart, c.source, (unsigned long long)c.paddr, path, source,
          (unsigned long long)pa, node);
    CHECK(!strcmp(out, warnings), "dtuart=\"%s\": printed \"%s\", want \"%s\"", dtuart,
          out, warnings);
}

#define SOC_SERIAL "/soc@8000000/serial@1000000"
#define NESTED "/soc@8000000/sub@1100000/serial@2000"

static void test_dtuart(const void *fdt)
{
    /* Not given: stdout-path, "serial1:115200n8" (an alias and options). */
    expect_choice(fdt, "", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000, "");
    expect_choice(fdt, "serial0", CONSOLE_DTUART, "/pl011@9000000", 0x9000000, "");
    expect_choice(fdt, NESTED, CONSOLE_DTUART, NESTED, 0x9102000, "");
    expect_choice(fdt, "nested:115200n8", CONSOLE_DTUART, NESTED, 0x9102000, "");
    expect_choice(fdt, "/flat/serial@9000000:9600", CONSOLE_DTUART, "/flat/serial@9000000",
                  0x9000000, "");

    /* Refused, one warning each, then stdout-path. */
    expect_choice(fdt, "serial2", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"serial2\": node=/pl011@9040000: disabled; "
                  "ignored\n");
    expect_choice(fdt, "gpio", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"gpio\": node=/pl061@9030000: not compatible "
                  "with \"arm,pl011\"; ignored\n");
    expect_choice(fdt, "dangling", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"dangling\": no such node; ignored\n");
    expect_choice(fdt, "serial9:115200", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"serial9:115200\": no such alias in /aliases; "
                  "ignored\n");
    expect_choice(fdt, "/nowhere", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"/nowhere\": no such node; ignored\n");
    expect_choice(fdt, ":115200", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \":115200\": names no node; ignored\n");
    expect_choice(fdt, "/pl011@9000800", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"/pl011@9000800\": node=/pl011@9000800: reg is "
                  "not 4 KiB aligned; ignored\n");
    expect_choice(fdt, "/pl011-noreg", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"/pl011-noreg\": node=/pl011-noreg: no reg "
                  "property; ignored\n");
    expect_choice(fdt, "/i2c/serial@50", CONSOLE_STDOUT_PATH, SOC_SERIAL, 0x9000000,
                  "console: warning: dtuart \"/i2c/serial@50\": node=/i2c/serial@50: a parent "
                  "bus has no ranges (not memory-mapped); ignored\n");
    expect_choice(fdt, "/soc@8000000/serial@3000000", CONSOLE_STDOUT_PATH, SOC_SERIAL,
                  0x9000000, "console: warning: dtuart \"/soc@8000000/serial@3000000\": "
                  "node=/soc@8000000/serial@3000000: outside every ranges entry of a parent "
                  "bus; ignored\n");
}

static void test_console_list(const void *fdt)
{
    struct console_choice c;
    const char *out;

    out = choose(fdt, "vga", "serial0", &c);
    CHECK(c.source == CONSOLE_BOARD && c.node == -1 && c.paddr == BOARD_UART_PADDR,
          "console=vga: the board default, not dtuart=");
    CHECK(!strcmp(out, "console: warning: console=vga: only dtuart is supported; ignored\n"),
          "console=vga: %s", out);
    out = choose(fdt, "vga,dtuart,com1", "serial0", &c);
    CHECK(c.source == CONSOLE_DTUART, "console=vga,dtuart,com1 has dtuart");
    CHECK(!strcmp(out, "console: warning: console=vga: only dtuart is supported; ignored\n"
                       "console: warning: console=com1: only dtuart is supported; ignored\n"),
          "console=vga,dtuart,com1: %s", out);
    out = choose(fdt, "", "serial0", &c);
    CHECK(c.source == CONSOLE_BOARD && out[0] == '\0', "console=: the board default: %s", out);
}

/* A copy of @fdt with /chosen/stdout-path replaced (NULL: removed). */
static void *with_stdout_path(const void *fdt, const void *value, int len)
{
    int size = fdt_totalsize(fdt) + 1024;
    void *copy = malloc(size);
    int chosen;

    CHECK(copy && fdt_open_into(fdt, copy, size) == 0, "copying the DTB");
    chosen = fdt_path_offset(copy, "/chosen");
    if ( value )
        CHECK(fdt_setprop(copy, chosen, "stdout-path", value, len) == 0, "setprop");
    else
        CHECK(fdt_delprop(copy, chosen, "stdout-path") == 0, "delprop");
    return copy;
}

static void test_stdout_path(const void *fdt)
{
    static const char gpio[] = "/pl061@9030000";
    static const char plain[] = "/pl011@9000000";
    static const char unterminated[] = { 's', 'e', 'r' };
    void *copy;

    copy = with_stdout_path(fdt, NULL, 0);
    expect_choice(copy, "", CONSOLE_BOARD, "", BOARD_UART_PADDR, "");
    expect_choice(copy, "serial0", CONSOLE_DTUART, "/pl011@9000000", 0x9000000, "");
    free(copy);

    copy = with_stdout_path(fdt, plain, sizeof(plain));
    expect_choice(copy, "", CONSOLE_STDOUT_PATH, "/pl011@9000000", 0x9000000, "");
    free(copy);

    copy = with_stdout_path(fdt, gpio, sizeof(gpio));
    expect_choice(copy, "serial2", CONSOLE_BOARD, "", BOARD_UART_PADDR,
                  "console: warning: dtuart \"serial2\": node=/pl011@9040000: disabled; "
                  "ignored\n"
                  "console: warning: stdout-path \"/pl061@9030000\": node=/pl061@9030000: "
                  "not compatible with \"arm,pl011\"; ignored\n");
    free(copy);

    copy = with_stdout_path(fdt, unterminated, sizeof(unterminated));
    expect_choice(copy, "", CONSOLE_BOARD, "", BOARD_UART_PADDR,
                  "console: warning: /chosen/stdout-path is not a NUL-terminated string; "
                  "ignored\n");
    free(copy);
}

/* console_init(): the options from the command line, the one line it prints. */
/* @pa 0: the board default, head.S's mapping kept (no pl011_use()). */
static void expect_init(const void *fdt, const char *cmdline, paddr_t pa, const char *want)
{
    const char *out;

    console_reset();
    cmdline_parse(cmdline);
    used_calls = 0;
    used_paddr = 0;
    console_init(fdt);
    out = console_strip(console_take());
    CHECK(used_calls == (pa ? 1 : 0) && used_paddr == pa,
          "%s: pl011_use(0x%llx) x%u, want 0x%llx", cmdline, (unsigned long long)used_paddr,
          used_calls, (unsigned long long)pa);
    CHECK(!strcmp(out, want), "%s: printed \"%s\", want \"%s\"", cmdline, out, want);
}

static void test_init(const void *fdt)
{
    expect_init(fdt, "", 0x9000000,
                "console: pl011 at 0x09000000 node=" SOC_SERIAL " (stdout-path)\n");
    expect_init(fdt, "dtuart=serial0", 0x9000000,
                "console: pl011 at 0x09000000 node=/pl011@9000000 (dtuart=serial0)\n");
    expect_init(fdt, "dtuart=nested:115200n8", 0x9102000,
                "console: pl011 at 0x09102000 node=" NESTED
                " (dtuart=nested; its options ignored)\n");
    expect_init(fdt, "dtuart=/nowhere", 0x9000000,
                "console: warning: dtuart \"/nowhere\": no such node; ignored\n"
                "console: pl011 at 0x09000000 node=" SOC_SERIAL " (stdout-path)\n");
    expect_init(fdt, "dtuart=serial0 console=none", 0,
                "console: warning: console=none: only dtuart is supported; ignored\n"
                "console: pl011 at 0x09000000 (board default)\n");
    cmdline_parse("console=dtuart dtuart=");
}

int main(int argc, char **argv)
{
    size_t len;
    void *fdt;

    if ( argc != 2 )
    {
        fprintf(stderr, "usage: %s console.dtb\n", argv[0]);
        return 2;
    }
    fdt = load_file(argv[1], &len);
    CHECK(dt_check(fdt, len) == 0, "%s is a good DTB", argv[1]);

    test_translation(fdt);
    test_dtuart(fdt);
    test_console_list(fdt);
    test_stdout_path(fdt);
    test_init(fdt);
    return harness_exit("console");
}
