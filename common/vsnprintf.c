/* SPDX-License-Identifier: MIT */
/*
 * vsnprintf()/snprintf(): the formats listed in include/printk.h, with C99
 * semantics so the host's snprintf can serve as the test oracle
 * (tests/unit/test-vsnprintf.c):
 *  - the return value is the length the whole output would have had;
 *  - at most size - 1 characters are stored, and the buffer is always
 *    NUL-terminated when size > 0 (nothing is written when size == 0).
 * Beyond the header's list it also takes %o, the '+' and ' ' flags, a
 * precision for integers and the j/t length modifiers, because they cost a
 * few lines and the oracle checks them.  %p prints "0x" and the pointer in
 * lower-case hex ("0x0" for NULL); %s of NULL prints "(null)".
 *
 * Integers are converted through unsigned long long, so %llx of a paddr_t
 * works the same on arm32 and arm64.
 *
 * Every secondary CPU's bring-up prints a line of six numbers (issue 14), so
 * the common case is kept short: literal text is copied as it is scanned,
 * a conversion with no flags, width or precision skips their parsing, hex
 * digits go straight into the buffer, and no digit takes a division loop.
 */
#include <lib.h>
#include <limits.h>
#include <printk.h>
#include <types.h>

/*
 * Where the output goes: buf[0..lim-1] (lim = size - 1, leaving room for
 * the NUL; 0 when size is 0), with len counting every character produced.
 * Output moves in runs (put_string), not a character at a time: a format's
 * literal text, a number's digits, a %s argument.
 */
struct out {
    char *buf;
    size_t lim;
    size_t len;
};

static void put_char(struct out *o, char c)
{
    if ( o->len < o->lim )
        o->buf[o->len] = c;
    o->len++;
}

/* The part of @n characters that fits, and where it goes. */
static size_t room_for(const struct out *o, size_t n, char **dst)
{
    size_t room = o->len < o->lim ? o->lim - o->len : 0;

    if ( room == 0 )
        return 0;               /* buf may be NULL: no pointer to it then */
    *dst = o->buf + o->len;
    return n < room ? n : room;
}

/*
 * put_repeat and put_string are out of line: inlined at each of their dozen
 * calls they would add hundreds of bytes to arm32's image for a few
 * instructions saved a run.
 */
static void __attribute__((noinline)) put_repeat(struct out *o, char c, int n)
{
    char *d;
    size_t i, k;

    if ( n <= 0 )
        return;
    k = room_for(o, (size_t)n, &d);
    for ( i = 0; i < k; i++ )
        d[i] = c;
    o->len += (size_t)n;
}

static void __attribute__((noinline)) put_string(struct out *o, const char *s,
                                                 size_t n)
{
    char *d;
    size_t i, k = room_for(o, n, &d);

    for ( i = 0; i < k; i++ )
        d[i] = s[i];
    o->len += n;
}

/*
 * The format's literal text from @f up to its next '%' or its end: copied as
 * it is scanned while the buffer has room, then only counted.  Returns where
 * it stopped.  (Out of line: inlined, GCC merges the two loops into one that
 * takes 12 instructions a character instead of 8.)
 */
static const char * __attribute__((noinline)) put_literal(struct out *o,
                                                          const char *f)
{
    const char *start;
    char c;

    if ( o->len < o->lim )
    {
        char *d = o->buf + o->len, *dend = o->buf + o->lim;

        while ( (c = *f) != '%' && c != '\0' )
        {
            *d++ = c;
            f++;
            if ( d == dend )
                break;
        }
        o->len = (size_t)(d - o->buf);
    }
    for ( start = f; (c = *f) != '%' && c != '\0'; f++ )
        ;
    o->len += (size_t)(f - start);
    return f;
}

/* One conversion specification, as parsed from the format. */
#define F_LEFT      0x01    /* '-': pad on the right */
#define F_ZERO      0x02    /* '0': pad numbers with zeros */
#define F_ALT       0x04    /* '#': 0x prefix for %x, leading 0 for %o */
#define F_PLUS      0x08    /* '+': sign for non-negative signed values */
#define F_SPACE     0x10    /* ' ': space for non-negative signed values */

struct spec {
    unsigned int flags; /* F_* */
    int width;          /* minimum field width, 0 if none */
    int precision;      /* -1 if none */
    char length;        /* 'H' (hh), 'h', 0, 'l', 'L' (ll), 'z', 'j', 't' */
    char conv;          /* conversion character */
};

/* Pad the field of @len characters to the width, honouring '-'. */
static void pad_before(struct out *o, const struct spec *sp, int len)
{
    if ( !(sp->flags & F_LEFT) )
        put_repeat(o, ' ', sp->width - len);
}

static void pad_after(struct out *o, const struct spec *sp, int len)
{
    if ( sp->flags & F_LEFT )
        put_repeat(o, ' ', sp->width - len);
}

static void format_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t n = 0;

    if ( s == NULL )
        s = "(null)";

    /* Bounded by the precision: the string need not be NUL-terminated then. */
    if ( sp->precision < 0 )
        while ( s[n] != '\0' )
            n++;
    else
        while ( n < (size_t)sp->precision && s[n] != '\0' )
            n++;

    pad_before(o, sp, (int)n);
    put_string(o, s, n);
    pad_after(o, sp, (int)n);
}

static void format_char(struct out *o, const struct spec *sp, char c)
{
    pad_before(o, sp, 1);
    put_char(o, c);
    pad_after(o, sp, 1);
}

/*
 * The widest unsigned type the target divides and shifts in single
 * instructions.  The host unit tests also build this file with a 32-bit
 * word (-DVSNPRINTF_WORD="unsigned int") to check arm32's path on the host.
 */
#ifndef VSNPRINTF_WORD
#define VSNPRINTF_WORD unsigned long
#endif
typedef VSNPRINTF_WORD word_t;

/*
 * *n /= 10, returning the remainder, for a value wider than word_t (arm32's
 * %llu above 4 Gi): a 64-bit '/' would be a libgcc call (__aeabi_uldivmod),
 * which pulls in libgcc's Linux division-by-zero handler.  Long division in
 * 16-bit steps instead: each step divides less than 10 << 16 by 10, which a
 * 32-bit word does by a multiplication.
 */
static unsigned int div10_wide(unsigned long long *n)
{
    unsigned int hi = (unsigned int)(*n >> 32), lo = (unsigned int)*n;
    unsigned int qhi = hi / 10, r = hi % 10, t, qmid, qlo;

    t = (r << 16) | (lo >> 16);
    qmid = t / 10;
    t = ((t % 10) << 16) | (lo & 0xffff);
    qlo = t / 10;
    *n = ((unsigned long long)qhi << 32) | (qmid << 16) | qlo;
    return t % 10;
}

/*
 * Write the digits of @v for conversion @conv backwards, ending just before
 * @end; returns the first digit.  0 gives "0".  Hex and octal take each digit
 * with a shift and a mask; decimal divides by the constant 10, which the
 * compiler turns into a multiplication (no division loop).  The loops on
 * the wide value only run when it does not fit in a word_t (never on arm64).
 */
static char *to_digits(char *end, unsigned long long v, char conv)
{
    const char *digit = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    word_t w;

    if ( conv == 'd' || conv == 'i' || conv == 'u' )
    {
        while ( v != (word_t)v )
            *--p = (char)('0' + div10_wide(&v));
        for ( w = (word_t)v; w >= 10; w /= 10 )
            *--p = (char)('0' + w % 10);
        *--p = (char)('0' + w);
    }
    else
    {
        unsigned int shift = conv == 'o' ? 3 : 4, mask = (1U << shift) - 1;

        while ( v != (word_t)v )
        {
            *--p = digit[(unsigned int)v & mask];
            v >>= shift;
        }
        for ( w = (word_t)v; w > mask; w >>= shift )
            *--p = digit[(unsigned int)w & mask];
        *--p = digit[w];
    }
    return p;
}

/*
 * An integer's field: @value is its magnitude, @negative its sign (signed
 * conversions only).  The field is [spaces][sign or 0x][zeros][digits]
 * [spaces], as C specifies: a precision sets the minimum digit count (and
 * turns the '0' flag off); value 0 with precision 0 prints no digits.
 */
static void __attribute__((noinline))
format_field(struct out *o, const struct spec *sp, unsigned long long value,
             bool negative)
{
    /* 64 bits in octal is 22 digits. */
    char digits[24];
    char *end = digits + sizeof(digits), *first = end;
    char prefix[2];
    int ndigits, nprefix = 0, nzeros, len;
    bool is_signed = (sp->conv == 'd' || sp->conv == 'i');

    if ( value != 0 || sp->precision != 0 )
        first = to_digits(end, value, sp->conv);
    ndigits = (int)(end - first);

    if ( negative )
        prefix[nprefix++] = '-';
    else if ( is_signed && (sp->flags & F_PLUS) )
        prefix[nprefix++] = '+';
    else if ( is_signed && (sp->flags & F_SPACE) )
        prefix[nprefix++] = ' ';
    else if ( sp->conv == 'p' ||
              ((sp->conv == 'x' || sp->conv == 'X') && (sp->flags & F_ALT) &&
               value != 0) )
    {
        prefix[nprefix++] = '0';
        prefix[nprefix++] = sp->conv == 'X' ? 'X' : 'x';
    }

    nzeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
    /* '#' with %o: the first digit printed must be 0. */
    if ( sp->conv == 'o' && (sp->flags & F_ALT) && nzeros == 0 &&
         (ndigits == 0 || first[0] != '0') )
        nzeros = 1;

    len = nprefix + nzeros + ndigits;
    if ( (sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->precision < 0 &&
         sp->width > len )
    {
        nzeros += sp->width - len;
        len = sp->width;
    }

    pad_before(o, sp, len);
    put_string(o, prefix, (size_t)nprefix);
    put_repeat(o, '0', nzeros);
    put_string(o, first, (size_t)ndigits);
    pad_after(o, sp, len);
}

/*
 * An integer, as format_field() says.  Most of printk's are hex with no
 * flags, width or precision: those go straight into the buffer when they
 * fit, their digit count following from the top bit set.  (No local array
 * here, so no stack-protector check on this path either.)
 */
static void format_number(struct out *o, const struct spec *sp,
                          unsigned long long value, bool negative)
{
    if ( (sp->conv == 'x' || sp->conv == 'X') && sp->flags == 0 &&
         sp->width == 0 && sp->precision < 0 )
    {
        size_t n = (size_t)(67 - __builtin_clzll(value | 1)) / 4;
        char *d;

        if ( room_for(o, n, &d) == n )
        {
            to_digits(d + n, value, sp->conv);
            o->len += n;
            return;
        }
    }
    format_field(o, sp, value, negative);
}

/* Fetch a signed argument of the size the length modifier names. */
static long long fetch_signed(const struct spec *sp, va_list *ap)
{
    switch ( sp->length )
    {
    case 'H': return (signed char)va_arg(*ap, int);
    case 'h': return (short)va_arg(*ap, int);
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'j': return va_arg(*ap, long long);
    /* ptrdiff_t is the signed type of size_t's width on both ABIs. */
    case 'z': case 't': return va_arg(*ap, ptrdiff_t);
    default:  return va_arg(*ap, int);
    }
}

static unsigned long long fetch_unsigned(const struct spec *sp, va_list *ap)
{
    switch ( sp->length )
    {
    case 'H': return (unsigned char)va_arg(*ap, unsigned int);
    case 'h': return (unsigned short)va_arg(*ap, unsigned int);
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'j': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    case 't': return (size_t)va_arg(*ap, ptrdiff_t);
    default:  return va_arg(*ap, unsigned int);
    }
}

/*
 * A decimal width or precision, capped so that a silly format cannot
 * overflow an int; returns the character after the digits.
 */
#define FIELD_MAX 0x10000

static const char *parse_field(const char *f, int *value)
{
    int v = 0;

    for ( ; *f >= '0' && *f <= '9'; f++ )
        v = MIN(v * 10 + (*f - '0'), FIELD_MAX);

    *value = v;
    return f;
}

/* Flags, width and precision; returns the character after them. */
static const char *parse_field_spec(const char *f, struct spec *sp, va_list *ap)
{
    for ( ; ; f++ )
    {
        switch ( *f )
        {
        case '-': sp->flags |= F_LEFT; continue;
        case '0': sp->flags |= F_ZERO; continue;
        case '#': sp->flags |= F_ALT; continue;
        case '+': sp->flags |= F_PLUS; continue;
        case ' ': sp->flags |= F_SPACE; continue;
        }
        break;
    }

    if ( *f == '*' )
    {
        /* A negative width argument means '-' with its magnitude. */
        int w = va_arg(*ap, int);

        f++;
        if ( w < 0 )
        {
            sp->flags |= F_LEFT;
            w = (w == INT_MIN) ? INT_MAX : -w;
        }
        sp->width = w;
    }
    else
        f = parse_field(f, &sp->width);

    if ( *f == '.' )
    {
        f++;
        sp->precision = 0;
        if ( *f == '*' )
        {
            /* A negative precision argument means "no precision". */
            int p = va_arg(*ap, int);

            f++;
            sp->precision = p < 0 ? -1 : p;
        }
        else
            f = parse_field(f, &sp->precision);
    }
    return f;
}

/* Flags, width, precision and length; returns the character after them. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .precision = -1 };

    /*
     * Every flag, digit, '*' and '.' sorts below 'A' and every length and
     * conversion letter above: most conversions ("%llx", "%s") skip this.
     */
    if ( *f < 'A' )
        f = parse_field_spec(f, sp, ap);

    if ( f[0] == 'h' && f[1] == 'h' )
    {
        sp->length = 'H';
        f += 2;
    }
    else if ( f[0] == 'l' && f[1] == 'l' )
    {
        sp->length = 'L';
        f += 2;
    }
    else if ( *f == 'h' || *f == 'l' || *f == 'z' || *f == 'j' || *f == 't' )
        sp->length = *f++;

    sp->conv = *f;
    return f;
}

/* Carry out one conversion; false if @sp->conv is not one we know. */
static bool convert(struct out *o, struct spec *sp, va_list *ap)
{
    long long sv;

    switch ( sp->conv )
    {
    case 'd': case 'i':
        sv = fetch_signed(sp, ap);
        /* Negate in unsigned arithmetic: -LLONG_MIN does not fit. */
        format_number(o, sp, sv < 0 ? 0ULL - (unsigned long long)sv
                                    : (unsigned long long)sv,
                      sv < 0);
        return true;
    case 'u': case 'x': case 'X': case 'o':
        format_number(o, sp, fetch_unsigned(sp, ap), false);
        return true;
    case 'p':
        /* Like %#lx, except that NULL prints as 0x0 too. */
        format_number(o, sp, (uintptr_t)va_arg(*ap, void *), false);
        return true;
    case 'c':
        format_char(o, sp, (char)va_arg(*ap, int));
        return true;
    case 's':
        format_string(o, sp, va_arg(*ap, const char *));
        return true;
    case '%':
        put_char(o, '%');
        return true;
    default:
        return false;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { .buf = buf, .lim = size ? size - 1 : 0, .len = 0 };
    va_list args;

    /* A va_list may be an array type: work on a copy we can point at. */
    va_copy(args, ap);

    for ( ;; )
    {
        const char *start;
        struct spec sp;

        fmt = put_literal(&o, fmt);
        if ( *fmt == '\0' )
            break;

        start = fmt;
        fmt = parse_spec(fmt + 1, &sp, &args);
        if ( sp.conv == '\0' || !convert(&o, &sp, &args) )
        {
            /* Unknown or truncated: print the specification as it was. */
            put_string(&o, start, (size_t)(fmt - start));
            if ( *fmt == '\0' )
                break;
            put_char(&o, *fmt);
        }
        fmt++;
    }
    va_end(args);

    if ( size != 0 )
        buf[o.len < size ? o.len : size - 1] = '\0';

    return o.len > INT_MAX ? INT_MAX : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);

    return n;
}
