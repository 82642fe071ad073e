/* SPDX-License-Identifier: MIT */
/*
 * Host test of common/cmdline.c: the option table of include/cmdline.h.
 *
 * The test declares options of every type with the real macros; they join
 * the ones hypcore's objects declare (loglvl=, dom0_mem=, console=, ...) in
 * .init.param (param-section.ld), and cmdline_parse() walks them all, as in
 * hypcore.  The warnings are read back from the console.
 */
#include <string.h>

#include "harness.h"
#include <cmdline.h>
#include <dom0.h>
#include <lib.h>

static bool t_bool;
boolean_param("t_bool", t_bool);
static u8 t_u8;
integer_param("t_u8", t_u8);
static u16 t_u16;
integer_param("t_u16", t_u16);
static u32 t_u32;
integer_param("t_u32", t_u32);
static u64 t_u64;
integer_param("t_u64", t_u64);
static u64 t_size;
size_param("t_size", t_size);
static char t_str[8];
string_param("t_str", t_str);

static char custom_seen[64];
static unsigned int custom_calls;
static const char *parse_t_custom(const char *value)
{
    custom_calls++;
    if ( !strcmp(value, "refuse") )
        return "refused on purpose";
    snprintf(custom_seen, sizeof(custom_seen), "%s", value);
    return NULL;
}
custom_param("t_custom", parse_t_custom);

/* Parse @cmdline; return what it printed, "(HYP) " and "\r\n" removed. */
static const char *parse(const char *cmdline)
{
    console_reset();
    cmdline_parse(cmdline);
    return console_strip(console_take());
}

static unsigned int count_lines(const char *text)
{
    unsigned int n = 0;

    for ( ; *text; text++ )
        n += (*text == '\n');
    return n;
}

/* @cmdline parses without a word. */
static void quiet(const char *cmdline)
{
    const char *out = parse(cmdline);

    CHECK(out[0] == '\0', "\"%s\": unexpected output: %s", cmdline, out);
}

/* @cmdline prints exactly the one line @want. */
static void warns(const char *cmdline, const char *want)
{
    const char *out = parse(cmdline);
    size_t n = strlen(want);

    CHECK(count_lines(out) == 1 && !strncmp(out, want, n) && out[n] == '\n',
          "\"%s\": printed \"%s\", want the one line \"%s\"", cmdline, out, want);
}

static void test_bool(void)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    char buf[64];
    unsigned int i;

    t_bool = false;
    quiet("t_bool");
    CHECK(t_bool, "bare name sets a boolean");
    quiet("no-t_bool");
    CHECK(!t_bool, "no- clears it");
    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
    {
        t_bool = false;
        snprintf(buf, sizeof(buf), "t_bool=%s", yes[i]);
        quiet(buf);
        CHECK(t_bool, "%s sets", buf);
        snprintf(buf, sizeof(buf), "t_bool=%s", no[i]);
        quiet(buf);
        CHECK(!t_bool, "%s clears", buf);
    }

    t_bool = true;
    warns("t_bool=maybe", "cmdline: warning: t_bool: bad value \"maybe\" (not a boolean: "
          "yes/no, on/off, true/false, enable/disable, 1/0); ignored");
    CHECK(t_bool, "a bad boolean keeps the value");
    warns("t_bool=", "cmdline: warning: t_bool: bad value \"\" (not a boolean: "
          "yes/no, on/off, true/false, enable/disable, 1/0); ignored");
    warns("t_bool=YES", "cmdline: warning: t_bool: bad value \"YES\" (not a boolean: "
          "yes/no, on/off, true/false, enable/disable, 1/0); ignored");
    warns("no-t_bool=1", "cmdline: warning: no-t_bool: bad value \"1\" "
          "(\"no-\" takes no value); ignored");
    CHECK(t_bool, "no-name=value is refused, not applied");
    warns("T_BOOL", "cmdline: warning: unknown option \"T_BOOL\" ignored");
    quiet("t_bool=off t_bool");
    CHECK(t_bool, "last one wins (on)");
    quiet("t_bool no-t_bool");
    CHECK(!t_bool, "last one wins (no-)");
}

static void test_uint(void)
{
    t_u8 = 7;
    quiet("t_u8=255");
    CHECK(t_u8 == 255, "u8 255: %u", t_u8);
    warns("t_u8=256", "cmdline: warning: t_u8: bad value \"256\" (larger than 255); ignored");
    CHECK(t_u8 == 255, "u8 keeps 255 after 256: %u", t_u8);
    quiet("t_u16=0xffff");
    CHECK(t_u16 == 0xffff, "u16 0xffff: %u", t_u16);
    warns("t_u16=65536", "cmdline: warning: t_u16: bad value \"65536\" (larger than 65535); "
          "ignored");
    quiet("t_u32=4294967295");
    CHECK(t_u32 == 0xffffffffU, "u32 max: %u", t_u32);
    warns("t_u32=0x100000000", "cmdline: warning: t_u32: bad value \"0x100000000\" "
          "(larger than 0xffffffff); ignored");
    CHECK(t_u32 == 0xffffffffU, "u32 kept");
    quiet("t_u32=017");
    CHECK(t_u32 == 15, "octal 017: %u", t_u32);
    quiet("t_u32=0");
    CHECK(t_u32 == 0, "zero: %u", t_u32);
    quiet("t_u32=0X1f");
    CHECK(t_u32 == 0x1f, "0X1f: %u", t_u32);

    quiet("t_u64=18446744073709551615");
    CHECK(t_u64 == UINT64_MAX, "u64 max in decimal");
    t_u64 = 5;
    warns("t_u64=18446744073709551616", "cmdline: warning: t_u64: bad value "
          "\"18446744073709551616\" (does not fit in 64 bits); ignored");
    warns("t_u64=0x10000000000000000", "cmdline: warning: t_u64: bad value "
          "\"0x10000000000000000\" (does not fit in 64 bits); ignored");
    CHECK(t_u64 == 5, "u64 not wrapped: %llu", (unsigned long long)t_u64);
    quiet("t_u64=0xffffffffffffffff");
    CHECK(t_u64 == UINT64_MAX, "u64 max in hex");

    t_u32 = 9;
    warns("t_u32=-1", "cmdline: warning: t_u32: bad value \"-1\" (not a number); ignored");
    warns("t_u32=12abc", "cmdline: warning: t_u32: bad value \"12abc\" (not a number); ignored");
    warns("t_u32=0x", "cmdline: warning: t_u32: bad value \"0x\" (not a number); ignored");
    warns("t_u32=08", "cmdline: warning: t_u32: bad value \"08\" (not a number); ignored");
    warns("t_u32", "cmdline: warning: t_u32: bad value \"\" (not a number); ignored");
    warns("no-t_u32", "cmdline: warning: no-t_u32: bad value \"\" "
          "(\"no-\" is for boolean options only); ignored");
    CHECK(t_u32 == 9, "bad integers keep the value: %u", t_u32);
    quiet("t_u32=1 t_u32=2");
    CHECK(t_u32 == 2, "last one wins: %u", t_u32);
}

static void size_is(const char *value, u64 want)
{
    char buf[80];

    t_size = 0x5a5a;
    snprintf(buf, sizeof(buf), "t_size=%s", value);
    quiet(buf);
    CHECK(t_size == want, "%s = 0x%llx, want 0x%llx", buf, (unsigned long long)t_size,
          (unsigned long long)want);
}

static void size_refused(const char *value, const char *why)
{
    char cmd[80], want[200];

    t_size = 0x5a5a;
    snprintf(cmd, sizeof(cmd), "t_size=%s", value);
    snprintf(want, sizeof(want), "cmdline: warning: t_size: bad value \"%s\" (%s); ignored",
             value, why);
    warns(cmd, want);
    CHECK(t_size == 0x5a5a, "%s changed the size to 0x%llx", cmd, (unsigned long long)t_size);
}

static void test_size(void)
{
    static const char not_size[] = "not a size: a number and T, G, M, K or B";
    static const char too_big[] = "does not fit in 64 bits";

    size_is("64M", 64ULL << 20);
    size_is("64m", 64ULL << 20);
    size_is("1G", 1ULL << 30);
    size_is("3g", 3ULL << 30);
    size_is("2T", 2ULL << 40);
    size_is("2t", 2ULL << 40);
    size_is("4K", 4096);
    size_is("4k", 4096);
    size_is("100B", 100);
    size_is("100b", 100);
    size_is("100", 100 << 10);                          /* Xen: KiB by default */
    size_is("0x10M", 16ULL << 20);
    size_is("0", 0);
    size_is("16777215T", 0xffffff0000000000ULL);       /* the largest in T */
    size_is("18446744073709551615B", UINT64_MAX);
    size_is("18014398509481983", 0xfffffffffffffc00ULL);   /* KiB, just fits */

    size_refused("16777216T", too_big);                 /* 2^64 */
    size_refused("17179869184G", too_big);
    size_refused("18014398509481984", too_big);         /* KiB: 2^64 */
    size_refused("99999999999999999999G", too_big);     /* the number itself */
    size_refused("1MB", not_size);
    size_refused("1P", not_size);
    size_refused("M", not_size);
    size_refused("", not_size);
    size_refused("-1M", not_size);
    size_refused("1.5G", not_size);
}

static void test_string(void)
{
    quiet("t_str=abc");
    CHECK(!strcmp(t_str, "abc"), "t_str=%s", t_str);
    quiet("t_str=1234567");
    CHECK(!strcmp(t_str, "1234567"), "7 characters fit 8 bytes: %s", t_str);
    warns("t_str=12345678", "cmdline: warning: t_str: bad value \"12345678\" "
          "(too long for the option); ignored");
    CHECK(!strcmp(t_str, "1234567"), "too long keeps the value: %s", t_str);
    quiet("t_str=a=b");
    CHECK(!strcmp(t_str, "a=b"), "the value runs past a second '=': %s", t_str);
    quiet("t_str=");
    CHECK(t_str[0] == '\0', "empty value: %s", t_str);
    quiet("t_str=x t_str");
    CHECK(t_str[0] == '\0', "a bare name is the empty string: %s", t_str);

    /* No quoting (as in Xen): the quote is a character, the space ends the option. */
    warns("t_str=\"a b\"", "cmdline: warning: unknown option \"b\"\" ignored");
    CHECK(!strcmp(t_str, "\"a"), "no quoting: %s", t_str);
}

static void test_custom(void)
{
    custom_calls = 0;
    quiet("t_custom=hello");
    CHECK(custom_calls == 1 && !strcmp(custom_seen, "hello"), "custom: %s", custom_seen);
    quiet("t_custom");
    CHECK(custom_calls == 2 && custom_seen[0] == '\0', "custom, bare: %s", custom_seen);
    warns("t_custom=refuse", "cmdline: warning: t_custom: bad value \"refuse\" "
          "(refused on purpose); ignored");
    quiet("t_custom=a t_custom=b");
    CHECK(custom_calls == 5 && !strcmp(custom_seen, "b"), "called in order: %s", custom_seen);
}

static void test_unknown_and_spacing(void)
{
    static char longopt[400];
    const char *out;

    quiet(NULL);
    quiet("");
    quiet("   \t\n ");
    warns("foo=1", "cmdline: warning: unknown option \"foo=1\" ignored");
    warns("no-foo", "cmdline: warning: unknown option \"no-foo\" ignored");
    warns("=1", "cmdline: warning: unknown option \"=1\" ignored");
    warns("t_u8x=1", "cmdline: warning: unknown option \"t_u8x=1\" ignored");
    warns("t_u=1", "cmdline: warning: unknown option \"t_u=1\" ignored");

    out = parse("  t_u32=3\tfoo\n t_u8=4  bar=x=y  ");
    CHECK(!strcmp(out, "cmdline: warning: unknown option \"foo\" ignored\n"
                       "cmdline: warning: unknown option \"bar=x=y\" ignored\n"),
          "spaces, tabs and newlines separate options: %s", out);
    CHECK(t_u32 == 3 && t_u8 == 4, "the known ones still apply: %u %u", t_u32, t_u8);

    memset(longopt, 'a', sizeof(longopt) - 1);
    memcpy(longopt, "t_str=", 6);
    t_u8 = 1;
    out = parse(longopt);
    CHECK(count_lines(out) == 1 && strstr(out, "is longer than 255 characters; ignored"),
          "an option too long to read: %s", out);
    memcpy(longopt + 300, " t_u8=2", 8);                /* with its NUL */
    out = parse(longopt);
    CHECK(count_lines(out) == 1 && t_u8 == 2, "the next option is read: %s", out);
}

static void test_dom0_mem(void)
{
    const char *out;

    CHECK(dom0_mem_size() == DOM0_MEM_DEFAULT, "default dom0_mem 0x%llx",
          (unsigned long long)dom0_mem_size());
    console_reset();
    dom0_print_options();
    out = console_strip(console_take());
    CHECK(!strcmp(out, "cmdline: dom0_mem=0x8000000 (default)\n"), "default line: %s", out);

    quiet("dom0_mem=64M");
    CHECK(dom0_mem_size() == 64ULL << 20, "dom0_mem=64M: 0x%llx",
          (unsigned long long)dom0_mem_size());
    console_reset();
    dom0_print_options();
    out = console_strip(console_take());
    CHECK(!strcmp(out, "cmdline: dom0_mem=0x4000000\n"), "given line: %s", out);

    warns("dom0_mem=0", "cmdline: warning: dom0_mem: bad value \"0\" "
          "(dom0 needs some memory); ignored");
    warns("dom0_mem=512M,max:1G", "cmdline: warning: dom0_mem: bad value \"512M,max:1G\" "
          "(not a size: a number and T, G, M, K or B); ignored");
    warns("dom0_mem=16777216T", "cmdline: warning: dom0_mem: bad value \"16777216T\" "
          "(does not fit in 64 bits); ignored");
    CHECK(dom0_mem_size() == 64ULL << 20, "bad values keep 64M");
    quiet("dom0_mem=1G dom0_mem=256M");
    CHECK(dom0_mem_size() == 256ULL << 20, "last one wins");
}

/* Which of an error, a warning, an info and a debug line print. */
static const char *levels_printed(void)
{
    console_reset();
    printk(XENLOG_ERR "e\n");
    printk(XENLOG_WARNING "w\n");
    printk("i\n");
    printk(XENLOG_INFO "I\n");
    printk(XENLOG_DEBUG "d\n");
    return console_strip(console_take());
}

static void loglvl(const char *cmdline, const char *want)
{
    const char *got;

    quiet(cmdline);
    got = levels_printed();
    CHECK(!strcmp(got, want), "%s prints \"%s\", want \"%s\"", cmdline, got, want);
}

static void test_loglvl(void)
{
    const char *got = levels_printed();

    CHECK(!strcmp(got, "e\nw\ni\nI\n"), "default (info) prints \"%s\"", got);
    loglvl("loglvl=none", "");
    loglvl("loglvl=error", "e\n");
    loglvl("loglvl=warning", "e\nw\n");
    loglvl("loglvl=info", "e\nw\ni\nI\n");
    loglvl("loglvl=debug", "e\nw\ni\nI\nd\n");
    loglvl("loglvl=all", "e\nw\ni\nI\nd\n");
    /* The rate-limited level prints too: hypcore has no rate limiter. */
    loglvl("loglvl=error/warning", "e\nw\n");
    loglvl("loglvl=none/all", "e\nw\ni\nI\nd\n");
    /* Lower than the always-printed one: raised to it (as Xen does). */
    loglvl("loglvl=info/error", "e\nw\ni\nI\n");

    quiet("loglvl=warning");
    warns("loglvl=loud", "cmdline: warning: loglvl: bad value \"loud\" (not <level>[/<level>], "
          "level: none, error, warning, info, debug, all); ignored");
    got = levels_printed();
    CHECK(!strcmp(got, "e\nw\n"), "a bad loglvl keeps warning: %s", got);
    /* The command line's own warnings obey the level set before them. */
    quiet("loglvl=error foo=1");
    quiet("loglvl=info");
    warns("loglvl=info/", "cmdline: warning: loglvl: bad value \"info/\" (not <level>[/<level>], "
          "level: none, error, warning, info, debug, all); ignored");
    warns("loglvl=warningx", "cmdline: warning: loglvl: bad value \"warningx\" "
          "(not <level>[/<level>], level: none, error, warning, info, debug, all); ignored");
    warns("loglvl=Info", "cmdline: warning: loglvl: bad value \"Info\" "
          "(not <level>[/<level>], level: none, error, warning, info, debug, all); ignored");

    /* A filtered line still counts as a line: the next one gets its prefix. */
    quiet("loglvl=warning");
    console_reset();
    printk("hidden ");
    printk(XENLOG_WARNING "part of the hidden line\n");
    printk(XENLOG_WARNING "shown ");
    printk("and its end\n");
    got = console_take();
    CHECK(!strcmp(got, PRINTK_PREFIX "shown and its end\r\n"), "mixed lines: \"%s\"", got);
    quiet("loglvl=info");
}

int main(void)
{
    test_bool();
    test_uint();
    test_size();
    test_string();
    test_custom();
    test_unknown_and_spacing();
    test_dom0_mem();
    test_loglvl();
    return harness_exit("cmdline");
}
