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
 */
#include <lib.h>
#include <limits.h>
#include <printk.h>
#include <types.h>

/* Where the output goes: buf[0..size-1], with len counting every character. */
struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put_char(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
    for ( ; n > 0; n-- )
        put_char(o, c);
}

static void put_string(struct out *o, const char *s, size_t n)
{
    for ( ; n != 0; n--, s++ )
        put_char(o, *s);
}

/* One conversion specification, as parsed from the format. */
struct spec {
    bool left;          /* '-': pad on the right */
    bool zero;          /* '0': pad numbers with zeros */
    bool alt;           /* '#': 0x prefix for %x, leading 0 for %o */
    bool plus;          /* '+': sign for non-negative signed values */
    bool space;         /* ' ': space for non-negative signed values */
    int width;          /* minimum field width, 0 if none */
    int precision;      /* -1 if none */
    char length;        /* 'H' (hh), 'h', 0, 'l', 'L' (ll), 'z', 'j', 't' */
    char conv;          /* conversion character */
};

/* Pad the field of @len characters to the width, honouring '-'. */
static void pad_before(struct out *o, const struct spec *sp, int len)
{
    if ( !sp->left )
        put_repeat(o, ' ', sp->width - len);
}

static void pad_after(struct out *o, const struct spec *sp, int len)
{
    if ( sp->left )
        put_repeat(o, ' ', sp->width - len);
}

static void format_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t n = 0;

    if ( s == NULL )
        s = "(null)";

    /* Bounded by the precision: the string need not be NUL-terminated then. */
    while ( (sp->precision < 0 || n < (size_t)sp->precision) && s[n] != '\0' )
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
 * *n /= base, returning the remainder.  Bases 8 and 16 shift and mask.
 * Base 10: bit-by-bit long division from the highest set bit, because a
 * 64-bit '/' on arm32 is a libgcc call (__aeabi_uldivmod) that would pull in
 * libgcc's Linux division-by-zero handler.  (Every bit from bit 63 cost
 * about 500 instructions a digit: a line of six hex numbers took 27,000,
 * most of a secondary CPU's bring-up.)
 */
static unsigned int div_rem(unsigned long long *n, unsigned int base)
{
    unsigned long long q = 0;
    unsigned int r = 0;
    int bit;

    if ( base == 16 || base == 8 )
    {
        unsigned int shift = base == 16 ? 4 : 3;

        r = (unsigned int)(*n & (base - 1));
        *n >>= shift;
        return r;
    }
    if ( *n == 0 )
        return 0;
    for ( bit = 63 - __builtin_clzll(*n); bit >= 0; bit-- )
    {
        r = (r << 1) | ((*n >> bit) & 1);
        q <<= 1;
        if ( r >= base )
        {
            r -= base;
            q |= 1;
        }
    }

    *n = q;
    return r;
}

/*
 * An integer: @value is its magnitude, @negative its sign (signed
 * conversions only).  The field is [spaces][sign or 0x][zeros][digits]
 * [spaces], as C specifies: a precision sets the minimum digit count (and
 * turns the '0' flag off); value 0 with precision 0 prints no digits.
 */
static void format_number(struct out *o, const struct spec *sp,
                          unsigned long long value, bool negative)
{
    /* 64 bits in octal is 22 digits. */
    char digits[24];
    const char *hex = (sp->conv == 'X') ? "0123456789ABCDEF"
                                        : "0123456789abcdef";
    unsigned int base = 10;
    char prefix[2];
    int ndigits = 0, nprefix = 0, nzeros, len;
    bool is_signed = (sp->conv == 'd' || sp->conv == 'i');
    bool is_zero = (value == 0);

    if ( sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p' )
        base = 16;
    else if ( sp->conv == 'o' )
        base = 8;

    while ( value != 0 )
        digits[ndigits++] = hex[div_rem(&value, base)];
    if ( is_zero && sp->precision != 0 )
        digits[ndigits++] = '0';

    if ( negative )
        prefix[nprefix++] = '-';
    else if ( is_signed && sp->plus )
        prefix[nprefix++] = '+';
    else if ( is_signed && sp->space )
        prefix[nprefix++] = ' ';
    else if ( sp->conv == 'p' || (base == 16 && sp->alt && !is_zero) )
    {
        prefix[nprefix++] = '0';
        prefix[nprefix++] = sp->conv == 'X' ? 'X' : 'x';
    }

    nzeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
    /* '#' with %o: the first digit printed must be 0. */
    if ( base == 8 && sp->alt && nzeros == 0 &&
         (ndigits == 0 || digits[ndigits - 1] != '0') )
        nzeros = 1;

    len = nprefix + nzeros + ndigits;
    if ( sp->zero && !sp->left && sp->precision < 0 && sp->width > len )
    {
        nzeros += sp->width - len;
        len = sp->width;
    }

    pad_before(o, sp, len);
    put_string(o, prefix, nprefix);
    put_repeat(o, '0', nzeros);
    while ( ndigits > 0 )
        put_char(o, digits[--ndigits]);
    pad_after(o, sp, len);
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

/* Flags, width, precision and length; returns the character after them. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .precision = -1 };

    for ( ; ; f++ )
    {
        if ( *f == '-' )
            sp->left = true;
        else if ( *f == '0' )
            sp->zero = true;
        else if ( *f == '#' )
            sp->alt = true;
        else if ( *f == '+' )
            sp->plus = true;
        else if ( *f == ' ' )
            sp->space = true;
        else
            break;
    }

    if ( *f == '*' )
    {
        /* A negative width argument means '-' with its magnitude. */
        int w = va_arg(*ap, int);

        f++;
        if ( w < 0 )
        {
            sp->left = true;
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
    struct out o = { .buf = buf, .size = size, .len = 0 };
    va_list args;

    /* A va_list may be an array type: work on a copy we can point at. */
    va_copy(args, ap);

    while ( *fmt != '\0' )
    {
        const char *start = fmt;
        struct spec sp;

        if ( *fmt != '%' )
        {
            put_char(&o, *fmt++);
            continue;
        }

        fmt = parse_spec(fmt + 1, &sp, &args);
        if ( sp.conv == '\0' || !convert(&o, &sp, &args) )
        {
            /* Unknown or truncated: print the specification as it was. */
            put_string(&o, start, fmt - start);
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
