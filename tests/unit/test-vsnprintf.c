/* SPDX-License-Identifier: MIT */
/*
 * common/vsnprintf.c (as hc_snprintf) against the host's snprintf, an
 * independent implementation of the same C99 rules: every combination of
 * flags, width, precision, length and conversion whose meaning C defines,
 * on edge and random values, at full and truncating buffer sizes.  The
 * few behaviours hypcore defines itself (%p, NULL %s, unknown conversions)
 * are checked against fixed expectations.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BUF 512
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static unsigned int formats_checked;

/*
 * Compare hc_snprintf's output with the reference @want (@nwant characters,
 * from the host's snprintf) at a full-size, a random truncating and a zero
 * size buffer.  CALL(buf, size) must run hc_snprintf with the arguments.
 */
#define COMPARE(fmt, want, nwant, CALL)                                     \
    do {                                                                    \
        static char got_[BUF + 16];                                         \
        size_t sizes_[3] = { BUF, rnd_below((nwant) + 2), 0 };              \
        unsigned int k_;                                                    \
                                                                            \
        formats_checked++;                                                  \
        for ( k_ = 0; k_ < 3; k_++ )                                        \
        {                                                                   \
            size_t sz_ = sizes_[k_], keep_, c_;                             \
            int n_;                                                         \
            char *b_ = sz_ ? got_ : NULL;                                   \
                                                                            \
            memset(got_, 0x5a, sizeof(got_));                               \
            n_ = CALL(b_, sz_);                                             \
            keep_ = sz_ == 0 ? 0 : ((size_t)(nwant) < sz_ ? (size_t)(nwant) \
                                                          : sz_ - 1);       \
            CHECK(n_ == (nwant), "\"%s\" size %zu: returned %d, want %d",   \
                  fmt, sz_, n_, (nwant));                                   \
            if ( sz_ != 0 )                                                 \
            {                                                               \
                CHECK(memcmp(got_, want, keep_) == 0 && got_[keep_] == 0,   \
                      "\"%s\" size %zu: got \"%.*s\", want \"%.*s\"", fmt,  \
                      sz_, (int)keep_, got_, (int)keep_, want);             \
            }                                                               \
            for ( c_ = sz_; c_ < sizeof(got_); c_++ )                       \
                if ( got_[c_] != 0x5a )                                     \
                    break;                                                  \
            CHECK(c_ == sizeof(got_), "\"%s\" size %zu: wrote past the end" \
                  " (byte %zu)", fmt, sz_, c_);                             \
        }                                                                   \
    } while ( 0 )

/*
 * Run the host's snprintf and hc_snprintf on @fmt with @nstar star
 * arguments (s1, s2) before the value @val.
 */
#define CHECK_FORMAT(fmt, nstar, s1, s2, val)                               \
    do {                                                                    \
        static char want_[BUF];                                             \
        int nw_;                                                            \
                                                                            \
        if ( (nstar) == 0 )                                                 \
            nw_ = snprintf(want_, BUF, fmt, val);                           \
        else if ( (nstar) == 1 )                                            \
            nw_ = snprintf(want_, BUF, fmt, s1, val);                       \
        else                                                                \
            nw_ = snprintf(want_, BUF, fmt, s1, s2, val);                   \
        if ( nw_ < 0 || nw_ >= BUF )                                        \
            break;                                                          \
        if ( (nstar) == 0 )                                                 \
            COMPARE(fmt, want_, nw_, CALL0);                                \
        else if ( (nstar) == 1 )                                            \
            COMPARE(fmt, want_, nw_, CALL1);                                \
        else                                                                \
            COMPARE(fmt, want_, nw_, CALL2);                                \
    } while ( 0 )
#define CALL0(b, sz) hc_snprintf(b, sz, fmt, val)
#define CALL1(b, sz) hc_snprintf(b, sz, fmt, s1, val)
#define CALL2(b, sz) hc_snprintf(b, sz, fmt, s1, s2, val)

/* Integer values worth trying: edges of every width, then random ones. */
static unsigned long long int_value(unsigned int i)
{
    static const unsigned long long edges[] = {
        0, 1, 7, 8, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256, 0x7fff,
        0x8000, 0xffff, 0x10000, INT_MAX, (unsigned int)INT_MIN, UINT_MAX,
        (unsigned long long)UINT_MAX + 1, LLONG_MAX, (unsigned long long)LLONG_MIN,
        ULLONG_MAX, (unsigned long long)-1, (unsigned long long)-100,
        1234567890123456789ULL,
    };
    uint64_t r;

    if ( i < ARRAY_LEN(edges) )
        return edges[i];
    r = rnd();
    /* Random magnitudes, not just huge numbers. */
    return r >> rnd_below(64);
}

static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z", "j", "t" };

/*
 * Check one integer format: @len is an index in lengths[], @conv the
 * conversion; the value is passed with the type the length names.
 */
static void check_int(const char *fmt, unsigned int len, char conv, int nstar,
                      int s1, int s2, unsigned long long v)
{
    bool is_signed = (conv == 'd' || conv == 'i');

    switch ( len )
    {
    case 0: case 1: case 2:
        if ( is_signed )
        {
            int val = (int)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        else
        {
            unsigned int val = (unsigned int)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        break;
    case 3:
        if ( is_signed )
        {
            long val = (long)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        else
        {
            unsigned long val = (unsigned long)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        break;
    case 4:
        if ( is_signed )
        {
            long long val = (long long)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        else
        {
            unsigned long long val = v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        break;
    case 5:
        if ( is_signed )
        {
            ptrdiff_t val = (ptrdiff_t)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        else
        {
            size_t val = (size_t)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        break;
    case 6:
        if ( is_signed )
        {
            intmax_t val = (intmax_t)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        else
        {
            uintmax_t val = (uintmax_t)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        break;
    default:
        {
            ptrdiff_t val = (ptrdiff_t)v;
            CHECK_FORMAT(fmt, nstar, s1, s2, val);
        }
        break;
    }
}

static const char *const widths[] = { "", "1", "3", "8", "21", "*" };
static const char *const precisions[] = {
    "", ".", ".0", ".1", ".3", ".12", ".25", ".*"
};

/* A random star argument: negative widths mean '-', negative precisions none. */
static int star_value(void)
{
    return (int)rnd_below(56) - 25;
}

/*
 * Build "%<flags><width><precision><length><conv>" for every subset of
 * @flags and every width and precision, and hand it to @check.
 */
static void for_each_format(const char *flags, bool with_precision,
                            const char *length, char conv,
                            void (*check)(const char *fmt, int nstar,
                                          void *arg), void *arg)
{
    size_t nflags = strlen(flags);
    unsigned int mask, w, p;

    for ( mask = 0; mask < (1u << nflags); mask++ )
        for ( w = 0; w < ARRAY_LEN(widths); w++ )
            for ( p = 0; p < (with_precision ? ARRAY_LEN(precisions) : 1); p++ )
            {
                char fmt[48], *f = fmt;
                unsigned int i;
                int nstar = (strchr(widths[w], '*') != NULL) +
                            (strchr(precisions[p], '*') != NULL);

                /* Literal text around it sometimes, to check it is copied. */
                if ( mask & 1 )
                    *f++ = '<';
                *f++ = '%';
                for ( i = 0; i < nflags; i++ )
                    if ( mask & (1u << i) )
                        *f++ = flags[i];
                f += sprintf(f, "%s%s%s%c", widths[w], precisions[p], length,
                             conv);
                if ( mask & 2 )
                    strcpy(f, ">x");
                check(fmt, nstar, arg);
            }
}

struct int_case {
    unsigned int len;
    char conv;
};

static void check_int_format(const char *fmt, int nstar, void *arg)
{
    const struct int_case *c = arg;
    unsigned int i;

    for ( i = 0; i < 40; i++ )
        check_int(fmt, c->len, c->conv, nstar, star_value(), star_value(),
                  int_value(i));
}

static void test_integers(void)
{
    static const struct {
        char conv;
        const char *flags;      /* the flags C defines for it */
    } convs[] = {
        { 'd', "-0+ " }, { 'i', "-0+ " }, { 'u', "-0" },
        { 'x', "-0#" }, { 'X', "-0#" }, { 'o', "-0#" },
    };
    unsigned int c, l;

    for ( c = 0; c < ARRAY_LEN(convs); c++ )
        for ( l = 0; l < ARRAY_LEN(lengths); l++ )
        {
            struct int_case ic = { .len = l, .conv = convs[c].conv };

            for_each_format(convs[c].flags, true, lengths[l], convs[c].conv,
                            check_int_format, &ic);
        }
}

static void check_char_format(const char *fmt, int nstar, void *arg)
{
    static const int chars[] = { 'a', 'Z', ' ', '%', 0, 0x7f, 0xe9, -23 };
    unsigned int i;

    (void)arg;
    for ( i = 0; i < ARRAY_LEN(chars); i++ )
    {
        int s1 = star_value(), s2 = star_value(), val = chars[i];

        CHECK_FORMAT(fmt, nstar, s1, s2, val);
    }
}

static void check_string_format(const char *fmt, int nstar, void *arg)
{
    static const char *const strings[] = {
        "", "a", "hello", "with spaces and 100% text", "\xe9t\xe9",
        "a string longer than any width tried here, by a margin",
    };
    unsigned int i;

    (void)arg;
    for ( i = 0; i < ARRAY_LEN(strings); i++ )
    {
        int s1 = star_value(), s2 = star_value();
        const char *val = strings[i];

        CHECK_FORMAT(fmt, nstar, s1, s2, val);
    }
}

static void test_char_string(void)
{
    for_each_format("-", false, "", 'c', check_char_format, NULL);
    for_each_format("-", true, "", 's', check_string_format, NULL);
}

/*
 * %p is hypcore's own: "0x" and lower-case hex, so for non-NULL pointers
 * it must match the host's %#lx at the same width.
 */
static void test_pointers(void)
{
    static const char *const fmts[][2] = {
        { "%p", "%#lx" }, { "%20p", "%#20lx" }, { "%-20p|", "%-#20lx|" },
        { "%3p", "%#3lx" }, { "[%p]", "[%#lx]" },
    };
    unsigned int i, j;

    for ( i = 0; i < ARRAY_LEN(fmts); i++ )
        for ( j = 0; j < 200; j++ )
        {
            const char *fmt = fmts[i][0];
            unsigned long v = (unsigned long)int_value(j + 1) | 1;
            void *val = (void *)(uintptr_t)v;
            char want[BUF];
            int nw = snprintf(want, sizeof(want), fmts[i][1], v);

            COMPARE(fmt, want, nw, CALL0);
        }
}

/*
 * Whole printk-style lines: several conversions between runs of literal
 * text, as the tree's formats use them (the SMP and console lines among
 * them), with random values, checked at every buffer size from 0 to one
 * past the full length, so that a cut falls inside every literal run and
 * every number.
 */
#define CHECK_LINE(fmt, ...)                                                \
    do {                                                                    \
        char want_[BUF], got_[BUF + 16];                                    \
        int nw_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);         \
        size_t sz_, c_;                                                     \
                                                                            \
        formats_checked++;                                                  \
        for ( sz_ = 0; sz_ <= (size_t)nw_ + 1; sz_++ )                      \
        {                                                                   \
            size_t keep_ = sz_ == 0 ? 0 : ((size_t)nw_ < sz_ ? (size_t)nw_  \
                                                             : sz_ - 1);    \
            int n_;                                                         \
                                                                            \
            memset(got_, 0x5a, sizeof(got_));                               \
            n_ = hc_snprintf(sz_ ? got_ : NULL, sz_, fmt, __VA_ARGS__);     \
            CHECK(n_ == nw_ && (sz_ == 0 || (memcmp(got_, want_, keep_) == 0 \
                                             && got_[keep_] == 0)),         \
                  "\"%s\" size %zu: got %d \"%.*s\", want %d \"%.*s\"",     \
                  fmt, sz_, n_, (int)keep_, got_, nw_, (int)keep_, want_);  \
            for ( c_ = sz_; c_ < sizeof(got_) && got_[c_] == 0x5a; c_++ )   \
                ;                                                           \
            CHECK(c_ == sizeof(got_), "\"%s\" size %zu: wrote past the end", \
                  fmt, sz_);                                                \
        }                                                                   \
    } while ( 0 )

static void test_lines(void)
{
    static const char *const names[] = {
        "", "/pl011@9000000", "dtuart", "a name with 100% in it",
    };
    unsigned int i;

    for ( i = 0; i < 300; i++ )
    {
        unsigned long long a = int_value(i), b = int_value(i + 7),
                           c = int_value(i + 13), d = int_value(i + 19);
        unsigned int u = (unsigned int)int_value(i + 3);
        int w = (int)rnd_below(20);
        const char *s = names[i % ARRAY_LEN(names)];

        CHECK_LINE("smp: cpu%u online mpidr=0x%llx root=0x%llx stack=0x%llx-0x%llx"
                   " stack-pa=0x%llx\n", u, a, b, c, d, a ^ d);
        CHECK_LINE("console: pl011 at 0x%08llx%s%s (", a, *s ? " node=" : "", s);
        CHECK_LINE("mem: %s 0x%0*llx-0x%0*llx %llu pages, %u%%\n", s, w, a, w, b,
                   c, u);
        CHECK_LINE("[%-2u] %08x %02x %lu %ld %d %zu|%.*s|%.40s|%#lx\n", u, u,
                   u & 0xff, (unsigned long)a, (long)b, (int)c, (size_t)d,
                   w, s, s, (unsigned long)c);
    }
}

/* What C leaves to the implementation, or that hypcore defines itself. */
static void test_fixed(void)
{
    static const struct {
        const char *fmt;
        const char *want;
    } cases[] = {
        { "abc%", "abc%" },            /* '%' at the very end */
        { "a%qb", "a%qb" },            /* unknown conversion: printed as is */
        { "a%-5qb", "a%-5qb" },
        { "100%%", "100%" },
    };
    char buf[64];
    unsigned int i;
    const char *fmt;
    char *heap;
    const char *volatile null_string = NULL;

    for ( i = 0; i < ARRAY_LEN(cases); i++ )
    {
        fmt = cases[i].fmt;
        CHECK(hc_snprintf(buf, sizeof(buf), fmt, 0) == (int)strlen(cases[i].want) &&
              strcmp(buf, cases[i].want) == 0,
              "\"%s\" gave \"%s\", want \"%s\"", fmt, buf, cases[i].want);
    }

    fmt = "%p|%5p|%-5p|";
    hc_snprintf(buf, sizeof(buf), fmt, NULL, NULL, NULL);
    CHECK(strcmp(buf, "0x0|  0x0|0x0  |") == 0, "NULL %%p gave \"%s\"", buf);

    /* volatile: GCC would warn about a NULL it can see. */
    fmt = "%s|%8s|%.2s";
    hc_snprintf(buf, sizeof(buf), fmt, null_string, null_string, null_string);
    CHECK(strcmp(buf, "(null)|  (null)|(n") == 0, "NULL %%s gave \"%s\"", buf);

    /* A precision bounds the read: the string need not be terminated. */
    heap = malloc(3);
    memcpy(heap, "abc", 3);
    hc_snprintf(buf, sizeof(buf), "%.3s|%.2s|%.*s", heap, heap, 1, heap);
    CHECK(strcmp(buf, "abc|ab|a") == 0, "unterminated %%.Ns gave \"%s\"", buf);
    free(heap);

    /* Several conversions in one format, as printk uses them. */
    hc_snprintf(buf, sizeof(buf), "dt: memory 0x%llx-0x%llx node=%s",
                0x40000000ULL, 0x80000000ULL, "/memory@40000000");
    CHECK(strcmp(buf, "dt: memory 0x40000000-0x80000000 node=/memory@40000000") == 0,
          "mixed format gave \"%s\"", buf);

    /* Size 1: only the terminator. */
    buf[0] = 'x';
    CHECK(hc_snprintf(buf, 1, "%d", 12345) == 5 && buf[0] == '\0',
          "size 1 gave \"%s\"", buf);
}

int main(void)
{
    harness_rng_state = 0x243f6a8885a308d3ULL;
    test_integers();
    test_char_string();
    test_pointers();
    test_lines();
    test_fixed();
    printf("test-vsnprintf: %u formatted outputs compared\n", formats_checked);
    return harness_exit("test-vsnprintf");
}
