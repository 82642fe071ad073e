/* SPDX-License-Identifier: MIT */
/*
 * The C library string functions hypcore provides: those the static libfdt.a
 * links against, plus strcmp/strncmp and strtoull for hypcore itself.
 *
 * The string functions are plain byte loops: they run on short strings (DT
 * names, command lines).  memcpy, memmove and memset move whole words
 * (8 bytes on arm64, 4 on arm32) between byte-wise heads and tails, because
 * they also clear page tables and metadata and copy dom0's images.  No
 * access is ever unaligned, so they are safe with the MMU off (Device
 * memory): a copy whose source and destination are not equally aligned
 * within a word goes byte by byte.  On arm64, memset of zero over whole
 * DC ZVA blocks uses DC ZVA when the MMU is on (see zero_blocks).
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

/* A machine word that may alias any object (the copies move words of char buffers). */
typedef unsigned long __attribute__((may_alias)) word_t;
/* An address as an integer (the compiler's own type: no <stdint.h> here). */
typedef __UINTPTR_TYPE__ uintptr_t;
#define WORD            sizeof(word_t)
#define WORD_MASK       (WORD - 1)

static bool co_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a ^ (uintptr_t)b) & WORD_MASK) == 0;
}

/*
 * Copy n bytes forwards.  Also memmove's copy when d < s: each word is read
 * before the word written at the same step, which lies below it, and no
 * pointer is restrict, so the compiler keeps that order.
 */
static void copy_forwards(unsigned char *d, const unsigned char *s, size_t n)
{
    if ( n >= 2 * WORD && co_aligned(d, s) )
    {
        word_t *dw;
        const word_t *sw;

        for ( ; (uintptr_t)d & WORD_MASK; n-- )
            *d++ = *s++;
        dw = (word_t *)d;
        sw = (const word_t *)s;
#if defined(__arm__)
        /*
         * Eight words a step with one LDM and one STM (word aligned, as both
         * need, on Device memory with the MMU off too): a page is 128 steps
         * of 4 instructions, not 256 of 12.  r3-r10 carry the data; the
         * pointers and the count get registers outside that list.
         */
        if ( n >= 8 * WORD )
        {
            size_t steps = n / (8 * WORD);

            n -= steps * 8 * WORD;
            asm volatile("1:  ldmia   %1!, {r3-r10}\n\t"
                         "    stmia   %0!, {r3-r10}\n\t"
                         "    subs    %2, %2, #1\n\t"
                         "    bne     1b"
                         : "+r"(dw), "+r"(sw), "+r"(steps)
                         : : "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "memory", "cc");
        }
#endif
        for ( ; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4 )
        {
            dw[0] = sw[0];
            dw[1] = sw[1];
            dw[2] = sw[2];
            dw[3] = sw[3];
        }
        for ( ; n >= WORD; n -= WORD )
            *dw++ = *sw++;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    }
    while ( n-- != 0 )
        *d++ = *s++;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    copy_forwards(dst, src, n);
    return dst;
}

/* Copy n bytes backwards from the ends d + n and s + n (memmove's overlap case). */
static void copy_backwards(unsigned char *d, const unsigned char *s, size_t n)
{
    d += n;
    s += n;
    if ( n >= 2 * WORD && co_aligned(d, s) )
    {
        word_t *dw;
        const word_t *sw;

        for ( ; (uintptr_t)d & WORD_MASK; n-- )
            *--d = *--s;
        dw = (word_t *)d;
        sw = (const word_t *)s;
        for ( ; n >= WORD; n -= WORD )
            *--dw = *--sw;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    }
    while ( n-- != 0 )
        *--d = *--s;
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
        copy_forwards(d, s, n);
    else
        copy_backwards(d, s, n);

    return dst;
}

#if defined(__aarch64__)
/*
 * zero_blocks: zero the whole DC ZVA blocks of [p, p + n) from p, which
 * the caller has aligned to a block.  Returns the bytes zeroed: 0 when DC
 * ZVA may not be used, i.e. DCZID_EL0.DZP prohibits it, or hypcore's MMU is
 * off (SCTLR_EL2.M clear: every access is then to Device memory, where DC
 * ZVA takes an alignment fault).  hypcore's C code runs only at EL2.
 * DC ZVA is ordered like a store to the block (Arm ARM, "Data cache zero
 * instruction"), so the word stores around it need no barrier; it also
 * leaves the zeroes in the cache like ordinary stores: callers clean to
 * the PoC afterwards whatever they would clean after memset.
 */
static size_t zero_block_size(void)
{
    unsigned long dczid, sctlr;

    asm volatile("mrs %0, dczid_el0" : "=r"(dczid));
    asm volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
    if ( (dczid & (1UL << 4)) || !(sctlr & 1) )
        return 0;
    return 4UL << (dczid & 0xf);
}

static size_t zero_blocks(unsigned char *p, size_t n, size_t block)
{
    size_t steps = n / (4 * block), done = steps * 4 * block;

    /*
     * Four blocks a step (a page is 16 steps of 64-byte blocks on
     * cortex-a57), one address register stepped along: 10 instructions a
     * step.  Then one block at a time.
     */
    if ( steps )
        asm volatile("1:  dc      zva, %0\n\t"
                     "    add     %0, %0, %2\n\t"
                     "    dc      zva, %0\n\t"
                     "    add     %0, %0, %2\n\t"
                     "    dc      zva, %0\n\t"
                     "    add     %0, %0, %2\n\t"
                     "    dc      zva, %0\n\t"
                     "    add     %0, %0, %2\n\t"
                     "    subs    %1, %1, #1\n\t"
                     "    b.ne    1b"
                     : "+r"(p), "+r"(steps) : "r"(block) : "memory", "cc");
    for ( ; n - done >= block; done += block, p += block )
        asm volatile("dc zva, %0" : : "r"(p) : "memory");
    return done;
}
#endif

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    if ( n >= 2 * WORD )
    {
        /* c's low byte in every byte of a word. */
        word_t w = (unsigned char)c * (~(word_t)0 / 0xff), *pw;

        for ( ; (uintptr_t)p & WORD_MASK; n-- )
            *p++ = (unsigned char)c;
        pw = (word_t *)p;
#if defined(__aarch64__)
        if ( (unsigned char)c == 0 && n >= 256 )
        {
            size_t block = zero_block_size();

            if ( block && n >= 2 * block )
            {
                for ( ; (uintptr_t)pw & (block - 1); n -= WORD )
                    *pw++ = 0;
                block = zero_blocks((unsigned char *)pw, n, block);
                pw = (word_t *)((unsigned char *)pw + block);
                n -= block;
            }
        }
#endif
#if defined(__arm__)
        /*
         * Sixteen words a step with two STMs of eight (ARMv7 has no DC ZVA):
         * a page is 64 steps of 4 instructions.  pw is word aligned, as STM
         * needs, on Device memory (MMU off) too.  r3-r10 hold the pattern;
         * the pointer and the count get registers outside that list.
         */
        if ( n >= 16 * WORD )
        {
            size_t steps = n / (16 * WORD);

            n -= steps * 16 * WORD;
            asm volatile("    mov     r3, %2\n\t"
                         "    mov     r4, %2\n\t"
                         "    mov     r5, %2\n\t"
                         "    mov     r6, %2\n\t"
                         "    mov     r7, %2\n\t"
                         "    mov     r8, %2\n\t"
                         "    mov     r9, %2\n\t"
                         "    mov     r10, %2\n\t"
                         "1:  stmia   %0!, {r3-r10}\n\t"
                         "    stmia   %0!, {r3-r10}\n\t"
                         "    subs    %1, %1, #1\n\t"
                         "    bne     1b"
                         : "+r"(pw), "+r"(steps) : "r"(w)
                         : "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "memory", "cc");
        }
#endif
        for ( ; n >= 4 * WORD; n -= 4 * WORD, pw += 4 )
        {
            pw[0] = w;
            pw[1] = w;
            pw[2] = w;
            pw[3] = w;
        }
        for ( ; n >= WORD; n -= WORD )
            *pw++ = w;
        p = (unsigned char *)pw;
    }
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
