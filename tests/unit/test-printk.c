/* SPDX-License-Identifier: MIT */
/*
 * common/printk.c: the prefix at the start of every line (tracked across
 * calls), "\n" -> "\r\n", formatting, and truncation of long messages.
 * The console is the harness's buffer, compared byte for byte.
 */
#include <string.h>

#include "harness.h"
#include <cmdline.h>

#define P PRINTK_PREFIX

static void expect(const char *what, const char *want)
{
    const char *got = console_take();

    CHECK(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", what, got,
          want);
}

static void test_lines(void)
{
    printk("hello\n");
    expect("one line", P "hello\r\n");

    printk("a");
    printk("b\n");
    expect("a line in two calls", P "ab\r\n");

    printk("x\ny\n");
    expect("two lines in one call", P "x\r\n" P "y\r\n");

    printk("\n");
    expect("empty line", P "\r\n");

    printk("%s", "");
    expect("nothing printed: no prefix either", "");

    printk("part");
    expect("unfinished line", P "part");
    printk(" more");
    expect("continued line: no second prefix", " more");
    printk("\nnext");
    expect("line end then a new line", "\r\n" P "next");
    printk("\n\n");
    expect("end, then an empty line", "\r\n" P "\r\n");
}

static void test_formatting(void)
{
    printk("boot: load=0x%llx share=%d clash=%s\n", 0x40200000ULL, 4, "yes");
    expect("formatted", P "boot: load=0x40200000 share=4 clash=yes\r\n");

    printk("%s", "embedded\nnewline\n");
    expect("newlines from arguments", P "embedded\r\n" P "newline\r\n");
}

static void test_truncation(void)
{
    static char arg[2000];
    const char *got;
    size_t len;

    memset(arg, 'z', sizeof(arg) - 1);
    printk("%s\n", arg);
    got = console_take();
    len = strlen(got);

    CHECK(strncmp(got, P "zzz", strlen(P) + 3) == 0, "long line starts %.20s",
          got);
    CHECK(len > 4 && strcmp(got + len - strlen(" [truncated]\r\n"),
                            " [truncated]\r\n") == 0,
          "long line ends \"%s\"", len > 20 ? got + len - 20 : got);
    CHECK(len < 600, "long line was %zu bytes", len);

    /* The line was closed: the next printk starts with a prefix. */
    printk("after\n");
    expect("line after a truncated one", P "after\r\n");

    /* Truncated without a final newline: the line stays open. */
    printk("%s", arg);
    got = console_take();
    len = strlen(got);
    CHECK(len > 12 && strcmp(got + len - 12, " [truncated]") == 0,
          "open long line ends \"%s\"", len > 20 ? got + len - 20 : got);
    printk("\n");
    expect("closing it", "\r\n");
}

/* Level markers (XENLOG_*) and loglvl= (the thresholds: test-cmdline.c). */
static void test_levels(void)
{
    printk(XENLOG_WARNING "warned\n");
    expect("a marker is not printed", P "warned\r\n");
    printk(XENLOG_DEBUG "debug\n");
    expect("debug is below the default level", "");
    printk("a " XENLOG_ERR "b\n");
    expect("a marker after the start is text", P "a <0>b\r\n");
    printk("<4>x\n");
    expect("only <0>..<3> are markers", P "<4>x\r\n");
    printk("%s\n", XENLOG_ERR);
    expect("an argument is never a marker", P "<0>\r\n");
    printk(XENLOG_INFO "two\nlines\n");
    expect("a marker holds for the lines of its call", P "two\r\n" P "lines\r\n");
    printk(XENLOG_DEBUG "hidden\nlines\nand a");
    printk(" tail\n");
    printk("shown\n");
    expect("hidden lines end where their newlines are", P "shown\r\n");
    printk("shown");
    printk(XENLOG_DEBUG " rest\nhidden\n");
    expect("a line begun shown stays shown", P "shown rest\r\n");
    printk(XENLOG_DEBUG "hid");
    printk("den\nshown\n");
    expect("a line begun hidden stays hidden, the next one is shown", P "shown\r\n");

    cmdline_parse("loglvl=none");
    printk(XENLOG_ERR "error\n");
    expect("loglvl=none prints nothing", "");
    printk_show_everything();
    printk(XENLOG_DEBUG "after show-everything\n");
    expect("printk_show_everything prints every level",
           P "after show-everything\r\n");
}

int main(void)
{
    test_lines();
    test_formatting();
    test_truncation();
    test_levels();      /* last: printk_show_everything() is for good */
    return harness_exit("test-printk");
}
