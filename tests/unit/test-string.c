/* SPDX-License-Identifier: MIT */
/*
 * common/string.c against the host's libc on random inputs.  string.c is
 * compiled under hc_* names (string-rename.h) with -fno-builtin, so every
 * call here reaches hypcore's code, not a compiler builtin.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "string-rename.h"
#include <libc/string.h>
#include <libc/stdlib.h>
#include "string-unrename.h"

#include "harness.h"

#define ROUNDS 200000
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Bytes from a small alphabet (so searches hit and strings share prefixes),
 * including a high-bit character to catch signed-char comparisons.
 */
static char rnd_char(bool allow_nul)
{
    static const char alphabet[] = "ab\xe9\x80z";
    char c = alphabet[rnd_below(sizeof(alphabet) - 1)];

    if ( allow_nul && rnd_below(8) == 0 )
        return '\0';
    return c;
}

static void rnd_bytes(char *buf, size_t n, bool allow_nul)
{
    while ( n-- )
        *buf++ = rnd_char(allow_nul);
}

/* A search character: from the alphabet, NUL, or with bits above 0xff. */
static int rnd_search_char(void)
{
    switch ( rnd_below(4) )
    {
    case 0:  return 0;
    case 1:  return (unsigned char)rnd_char(false) + 0x100;
    case 2:  return (signed char)rnd_char(false);
    default: return (unsigned char)rnd_char(false);
    }
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_mem_search_compare(void)
{
    char a[80], b[80];
    unsigned int i;

    for ( i = 0; i < ROUNDS; i++ )
    {
        size_t n = rnd_below(sizeof(a));
        int c = rnd_search_char();

        rnd_bytes(a, sizeof(a), true);
        memcpy(b, a, sizeof(a));
        if ( n && rnd_below(2) )
            b[rnd_below(n)] = rnd_char(true);

        CHECK(hc_memchr(a, c, n) == memchr(a, c, n),
              "memchr(n=%zu, c=%#x)", n, c);
        CHECK(sign(hc_memcmp(a, b, n)) == sign(memcmp(a, b, n)),
              "memcmp(n=%zu)", n);
    }
}

/*
 * One memcpy (op 0), memmove (1: source and destination both in the buffer,
 * so they may overlap; src is not used) or memset (2 and up) of n bytes at
 * buf + doff, done by hypcore's code on buf and by libc's on want.
 */
static void one_op(unsigned int op, unsigned char *buf, unsigned char *want,
                   const unsigned char *src, size_t doff, size_t soff, size_t n, int c)
{
    void *ret = NULL;

    switch ( op )
    {
    case 0:
        memcpy(want + doff, src + soff, n);
        ret = hc_memcpy(buf + doff, src + soff, n);
        break;
    case 1:
        memmove(want + doff, want + soff, n);
        ret = hc_memmove(buf + doff, buf + soff, n);
        break;
    default:
        memset(want + doff, c, n);
        ret = hc_memset(buf + doff, c, n);
        break;
    }
    CHECK(ret == buf + doff, "op %u returned the wrong pointer", op);
}

static void test_mem_copy_fill(void)
{
    unsigned char buf[96], want[96], src[96];
    unsigned int i;

    for ( i = 0; i < ROUNDS; i++ )
    {
        size_t n = rnd_below(48), doff = rnd_below(48), soff = rnd_below(48);
        int c = (int)rnd();

        rnd_bytes((char *)buf, sizeof(buf), true);
        rnd_bytes((char *)src, sizeof(src), true);
        memcpy(want, buf, sizeof(buf));
        one_op(i % 3, buf, want, src, doff, soff, n, c);
        CHECK(memcmp(buf, want, sizeof(buf)) == 0,
              "op %u (0=memcpy 1=memmove 2=memset) n=%zu dst=%zu src=%zu c=%#x",
              i % 3, n, doff, soff, c);
    }
}

/*
 * The word-at-a-time paths against libc, exhaustively where it matters:
 * memcpy, memmove (both directions, overlapping) and memset (zero and not)
 * at every destination and source alignment within 16 bytes for every
 * length up to 600 bytes, and at four alignment pairs for every length up to
 * three pages.  The whole buffer, beyond the range written, must equal libc's.
 */
#define BIG (3 * 4096 + 64)

static void test_mem_alignments(void)
{
    static unsigned char buf[BIG + 32], want[BIG + 32], src[BIG + 32];
    static const size_t pairs[][2] = { { 0, 0 }, { 1, 0 }, { 3, 11 }, { 8, 7 } };
    size_t doff, soff, n, p;
    unsigned int op;

    for ( n = 0; n < sizeof(src); n++ )
        src[n] = (unsigned char)rnd();
    for ( op = 0; op < 4; op++ )
        for ( doff = 0; doff < 16; doff++ )
            for ( soff = 0; soff < 16; soff++ )
                for ( n = 0; n <= 600; n++ )
                {
                    int c = op == 3 ? 0 : (int)(n * 7 + 1);

                    memcpy(buf, src + 7, 1024);
                    memcpy(want, buf, 1024);
                    one_op(op, buf, want, src, doff, soff + (op == 1 ? 300 : 0), n, c);
                    CHECK(memcmp(buf, want, 1024) == 0, "op %u n=%zu dst+%zu src+%zu",
                          op, n, doff, soff);
                }
    for ( op = 0; op < 4; op++ )
        for ( p = 0; p < ARRAY_LEN(pairs); p++ )
            for ( n = 0; n + 32 <= BIG; n++ )
            {
                /* memmove: the source 0..31 bytes above or below the destination. */
                size_t d = pairs[p][0] + (op == 1 && n % 2 ? 16 : 0);
                size_t s = pairs[p][1] + (op == 1 && n % 2 ? 0 : 16);

                memcpy(buf, src, sizeof(buf));
                memcpy(want, buf, sizeof(buf));
                one_op(op, buf, want, src, d, s, n, op == 3 ? 0 : 0x5a);
                CHECK(memcmp(buf, want, sizeof(buf)) == 0, "op %u n=%zu dst+%zu src+%zu",
                      op, n, d, s);
            }
}

static void test_strings(void)
{
    char a[48], b[48];
    unsigned int i;

    for ( i = 0; i < ROUNDS; i++ )
    {
        size_t la = rnd_below(sizeof(a) - 1), max = rnd_below(sizeof(a) + 8);
        int c = rnd_search_char();

        rnd_bytes(a, la, false);
        a[la] = '\0';
        memcpy(b, a, la + 1);
        if ( rnd_below(2) )
        {
            size_t at = rnd_below(la + 1);

            b[at] = rnd_char(true);
            if ( at == la )
                b[at + 1] = '\0';
        }

        CHECK(hc_strlen(a) == strlen(a), "strlen(\"%s\")", a);
        CHECK(hc_strnlen(a, max) == strnlen(a, max), "strnlen(\"%s\", %zu)",
              a, max);
        CHECK(hc_strchr(a, c) == strchr(a, c), "strchr(\"%s\", %#x)", a, c);
        CHECK(hc_strrchr(a, c) == strrchr(a, c), "strrchr(\"%s\", %#x)", a, c);
        CHECK(sign(hc_strcmp(a, b)) == sign(strcmp(a, b)),
              "strcmp(\"%s\", \"%s\")", a, b);
        CHECK(sign(hc_strncmp(a, b, max)) == sign(strncmp(a, b, max)),
              "strncmp(\"%s\", \"%s\", %zu)", a, b, max);
    }
}

/* Compare value and end pointer of hc_strtoul/hc_strtoull with libc's. */
static void check_strto(const char *s, int base)
{
    char *end_hc, *end_libc;
    unsigned long ul_hc = hc_strtoul(s, &end_hc, base);
    unsigned long ul = strtoul(s, &end_libc, base);
    unsigned long long ull_hc, ull;

    CHECK(ul_hc == ul && end_hc == end_libc,
          "strtoul(\"%s\", %d) = %#lx end+%td, libc %#lx end+%td",
          s, base, ul_hc, end_hc - s, ul, end_libc - s);

    ull_hc = hc_strtoull(s, &end_hc, base);
    ull = strtoull(s, &end_libc, base);
    CHECK(ull_hc == ull && end_hc == end_libc,
          "strtoull(\"%s\", %d) = %#llx end+%td, libc %#llx end+%td",
          s, base, ull_hc, end_hc - s, ull, end_libc - s);

    CHECK(hc_strtoul(s, NULL, base) == ul, "strtoul(\"%s\", NULL, %d)", s, base);
}

static void test_strtoul(void)
{
    static const char *const fixed[] = {
        "", " ", "0", "00", "0x", "0X", "0x1", "0xg", "0x ", "-0x10", "+0x10",
        "  \t\n\v\f\r42", "42abc", "-1", "+", "-", "+-1", "0777", "08", "09",
        "18446744073709551615", "18446744073709551616", "-18446744073709551615",
        "-18446744073709551616", "99999999999999999999999999", "4294967295",
        "4294967296", "0xffffffffffffffff", "0x10000000000000000",
        "0xFFFFFFFF", "0x100000000", "zz", "ZZ", "1z", "0x0x1",
        "01777777777777777777777", "02000000000000000000000",
    };
    static const char alphabet[] = " +-0xX123456789abcdefgzAFZ";
    static const int bases[] = { 0, 2, 8, 10, 16, 36 };
    char s[32];
    unsigned int i, j;

    for ( i = 0; i < ARRAY_LEN(fixed); i++ )
        for ( j = 0; j < ARRAY_LEN(bases); j++ )
            check_strto(fixed[i], bases[j]);

    for ( i = 0; i < ROUNDS; i++ )
    {
        size_t n = rnd_below(24);
        int base;

        for ( j = 0; j < n; j++ )
            s[j] = rnd_below(4) ? "0123456789abcdef"[rnd_below(16)]
                                : alphabet[rnd_below(sizeof(alphabet) - 1)];
        s[n] = '\0';
        base = rnd_below(3) ? bases[rnd_below(ARRAY_LEN(bases))]
                            : (int)rnd_below(37);
        if ( base == 1 )
            continue;       /* invalid base: libc sets EINVAL, see below */
        check_strto(s, base);
    }

    /* An invalid base parses nothing (glibc agrees, and sets EINVAL). */
    for ( i = 0; i < 2; i++ )
    {
        char *end;
        int base = i ? 1 : 37;

        CHECK(hc_strtoul("123", &end, base) == 0 && *end == '1',
              "strtoul with base %d", base);
    }
}

int main(void)
{
    harness_rng_state = 0x9e3779b97f4a7c15ULL;
    test_mem_search_compare();
    test_mem_copy_fill();
    test_mem_alignments();
    test_strings();
    test_strtoul();
    return harness_exit("test-string");
}
