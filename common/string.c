/* SPDX-License-Identifier: MIT */
/*
 * The C library string functions hypcore provides: those the static libfdt.a
 * links against, plus strcmp/strncmp and strtoull for hypcore itself.
 *
 * They are deliberately plain byte loops: they run on short strings (DT
 * names, command lines) and small copies, and simple code is easy to trust
 * with the MMU off or on.  Nothing here depends on alignment.
 *
 * GCC recognises "for (...) p[i] = c;" as memset (and copy loops as memcpy,
 * length loops as strlen) and may replace the loop with a call to that very
 * function, which would recurse forever here.  -ffreestanding happens to
 * stop GCC 12 doing so, but GCC documents that even a freestanding program
 * must provide memcpy/memmove/memset/memcmp for it to call, so this file does
 * not rely on it: loop-pattern distribution is off for every function here.
 * tests/unit/check-string-libcalls.py checks the object code calls nothing,
 * with and without -ffreestanding.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for ( ; n != 0; n--, p++ )
        if ( *p == (unsigned char)c )
            return (void *)p;

    return NULL;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a, *pb = b;

    for ( ; n != 0; n--, pa++, pb++ )
        if ( *pa != *pb )
            return *pa < *pb ? -1 : 1;

    return 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while ( n-- != 0 )
        *d++ = *s++;

    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /*
     * Copying forwards is safe unless the destination starts inside the
     * source; then copy backwards so no byte is overwritten before it is read.
     */
    if ( d <= s || d >= s + n )
    {
        while ( n-- != 0 )
            *d++ = *s++;
    }
    else
    {
        while ( n-- != 0 )
            d[n] = s[n];
    }

    return dst;
}

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while ( n-- != 0 )
        *p++ = (unsigned char)c;

    return s;
}

/* As in C, the terminating NUL is part of the string: strchr(s, 0) finds it. */
char *strchr(const char *s, int c)
{
    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( *s == '\0' )
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            last = s;
        if ( *s == '\0' )
            return (char *)last;
    }
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while ( s[n] != '\0' )
        n++;

    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] != '\0' )
        n++;

    return n;
}

/* C compares the characters as unsigned char. */
int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n != 0; n--, a++, b++ )
    {
        unsigned char ca = *a, cb = *b;

        if ( ca != cb )
            return ca < cb ? -1 : 1;
        if ( ca == '\0' )
            break;
    }

    return 0;
}

/* isspace() in the C locale. */
static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Value of c as a digit in bases up to 36, or 36 when it is not one. */
static unsigned int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'z' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'Z' )
        return c - 'A' + 10;
    return 36;
}

/*
 * The C strtoul/strtoull algorithm for a result type whose largest value is
 * @max: optional white space and sign, a "0x"/"0X" prefix for base 16 or 0, a
 * leading "0" meaning octal for base 0, then digits.  Out-of-range values
 * saturate to @max (there is no errno to set); a '-' negates the result in
 * the result type, as C requires.  *end gets the first character not used,
 * or @s itself when there were no digits (or the base is invalid).
 */
static unsigned long long parse_unsigned(const char *s, char **end, int base,
                                         unsigned long long max)
{
    const char *p = s;
    unsigned long long value = 0, next;
    bool negative = false, overflow = false, any = false;

    if ( base < 0 || base == 1 || base > 36 )
        goto out;

    while ( is_space(*p) )
        p++;
    if ( *p == '+' || *p == '-' )
        negative = (*p++ == '-');

    /* The prefix only counts when a hex digit follows it: "0x" alone is 0. */
    if ( (base == 0 || base == 16) && p[0] == '0' &&
         (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16 )
    {
        p += 2;
        base = 16;
    }
    else if ( base == 0 )
        base = (p[0] == '0') ? 8 : 10;

    for ( ; digit_value(*p) < (unsigned int)base; p++ )
    {
        unsigned int d = digit_value(*p);

        any = true;
        /* Checked without a 64-bit division: arm32 would need libgcc. */
        if ( __builtin_mul_overflow(value, (unsigned int)base, &next) ||
             __builtin_add_overflow(next, d, &next) || next > max )
            overflow = true;
        else
            value = next;
    }

 out:
    if ( end )
        *end = (char *)(any ? p : s);
    if ( !any )
        return 0;
    if ( overflow )
        return max;
    /* Negation modulo max + 1, written so that it cannot overflow. */
    return negative && value != 0 ? max - value + 1 : value;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    return parse_unsigned(s, end, base, ULONG_MAX);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    return parse_unsigned(s, end, base, ULLONG_MAX);
}
