/* SPDX-License-Identifier: MIT */
/*
 * dt_print_facts() on device trees dumped from real QEMU (gen-qemu-dtb.py),
 * checked against what the QEMU command line asked for:
 *
 *   test-qemu-dtb DTB --mem SIZE [--numa SIZE]... [--module ADDR:SIZE:KIND[:BOOTARGS]]...
 *
 * The arguments are the ones the generator got.  RAM starts at the board's
 * RAM base (configs/boards/qemu-virt.h) and is one memory node, or one per
 * NUMA node in order; guest-loader names its nodes /chosen/module@0x<addr>.
 * QEMU's node order is its own business, so lines are compared sorted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bootmodule.h>
#include <dt.h>
#include <libfdt.h>

#include "dt-index-check.h"
#include "harness.h"

/* "512M", "1G", "0x1000": a QEMU size. */
static unsigned long long parse_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);

    switch ( *end )
    {
    case 'K': case 'k': return v << 10;
    case 'M': case 'm': return v << 20;
    case 'G': case 'g': return v << 30;
    default:            return v;
    }
}

/* Append a printf-formatted line to the growing text *@buf. */
static void add_line(char **buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_line(char **buf, const char *fmt, ...)
{
    size_t old = *buf ? strlen(*buf) : 0;
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    *buf = realloc(*buf, old + strlen(line) + 2);
    strcpy(*buf + old, line);
    strcat(*buf, "\n");
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of @text sorted, joined again. */
static char *sorted(const char *text)
{
    char *copy = strdup(text), *out = calloc(1, strlen(text) + 1);
    char *lines[256], *save = NULL, *l;
    size_t n = 0, i;

    for ( l = strtok_r(copy, "\n", &save); l && n < 256;
          l = strtok_r(NULL, "\n", &save) )
        lines[n++] = l;
    qsort(lines, n, sizeof(lines[0]), cmp_lines);
    for ( i = 0; i < n; i++ )
    {
        strcat(out, lines[i]);
        strcat(out, "\n");
    }
    free(copy);
    return out;
}

int main(int argc, char **argv)
{
    unsigned long long ram_base = BOARD_RAM_BASE, mem = 0, numa_total = 0;
    char *want = NULL;
    size_t len;
    void *fdt;
    int i;

    if ( argc < 2 )
    {
        fprintf(stderr, "usage: %s DTB --mem SIZE [--numa SIZE]... "
                "[--module ADDR:SIZE:KIND[:BOOTARGS]]...\n", argv[0]);
        return 2;
    }
    fdt = load_file(argv[1], &len);
    CHECK(dt_check(fdt, len) == 0, "%s is not a DTB", argv[1]);

    for ( i = 2; i + 1 < argc; i += 2 )
    {
        const char *opt = argv[i], *val = argv[i + 1];

        if ( strcmp(opt, "--mem") == 0 )
            mem = parse_size(val);
        else if ( strcmp(opt, "--numa") == 0 )
        {
            unsigned long long size = parse_size(val),
                               start = ram_base + numa_total;

            add_line(&want, "dt: memory 0x%llx-0x%llx node=/memory@%llx",
                     start, start + size, start);
            numa_total += size;
        }
        else if ( strcmp(opt, "--module") == 0 )
        {
            char spec[256], *addr, *size, *kind, *args, *save = NULL;
            unsigned long long a, s;

            snprintf(spec, sizeof(spec), "%s", val);
            addr = strtok_r(spec, ":", &save);
            size = strtok_r(NULL, ":", &save);
            kind = strtok_r(NULL, ":", &save);
            args = strtok_r(NULL, "", &save);
            a = strtoull(addr, NULL, 0);
            s = strtoull(size, NULL, 0);
            if ( args )
                add_line(&want, "dt: module 0x%llx-0x%llx size=0x%llx kind=%s "
                         "node=/chosen/module@0x%llx bootargs=\"%s\"",
                         a, a + s, s, kind, a, args);
            else
                add_line(&want, "dt: module 0x%llx-0x%llx size=0x%llx kind=%s "
                         "node=/chosen/module@0x%llx", a, a + s, s, kind, a);
        }
        else
        {
            fprintf(stderr, "unknown option %s\n", opt);
            return 2;
        }
    }
    CHECK(mem != 0, "--mem is required");
    if ( numa_total == 0 )
        add_line(&want, "dt: memory 0x%llx-0x%llx node=/memory@%llx",
                 ram_base, ram_base + mem, ram_base);
    else
        CHECK(numa_total == mem, "NUMA sizes add up to 0x%llx, not --mem 0x%llx",
              numa_total, mem);
    /* QEMU's /chosen has no bootargs without -kernel/-append. */
    add_line(&want, "dt: bootargs none");

    /* With the index dt_check() made, then with libfdt alone: the same lines. */
    CHECK(dt_index_present(fdt), "dt_check() indexed %s", argv[1]);
    check_dt_index(fdt);
    for ( i = 0; i < 2; i++ )
    {
        if ( i == 1 )
            dt_index_build(NULL);
        console_reset();
        { static struct bootmodules mods_; dt_print_facts(fdt, &mods_); }
        lines_equal(argv[1], sorted(console_strip(console_take())), sorted(want));
    }

    return harness_exit("test-qemu-dtb");
}
