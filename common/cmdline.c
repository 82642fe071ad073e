/* SPDX-License-Identifier: MIT */
/*
 * common/cmdline.c: the command line against the option table (include/
 * cmdline.h has the syntax and the policy).
 */
#include <cmdline.h>
#include <lib.h>
#include <printk.h>
#include <string.h>

/* The table: every struct param the objects put in .init.param (the linker
 * scripts define both symbols; the host tests add them with an INSERT script). */
extern const struct param __param_start[], __param_end[];

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ------------------------------------------------------------ value readers */

static const char *const bool_true[] = { "1", "yes", "on", "true", "enable" };
static const char *const bool_false[] = { "0", "no", "off", "false", "disable" };

const char *cmdline_read_bool(const char *s, bool *out)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bool_true); i++ )
    {
        if ( !strcmp(s, bool_true[i]) )
        {
            *out = true;
            return NULL;
        }
        if ( !strcmp(s, bool_false[i]) )
        {
            *out = false;
            return NULL;
        }
    }
    return "not a boolean: yes/no, on/off, true/false, enable/disable, 1/0";
}

static const char not_a_number[] = "not a number";
static const char not_a_size[] = "not a size: a number and T, G, M, K or B";
static const char too_big[] = "does not fit in 64 bits";

static unsigned int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return 16;
}

/*
 * Read an unsigned number at @s (0x hex, 0-prefixed octal, else decimal; no
 * sign, no spaces) into *@out and point *@end after it.  Returns NULL, or
 * why not (no digits, more than 64 bits).
 */
static const char *read_number(const char *s, u64 *out, const char **end)
{
    unsigned int base = 10;
    u64 value = 0;
    const char *p = s;

    if ( p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16 )
    {
        base = 16;
        p += 2;
    }
    else if ( p[0] == '0' )
        base = 8;
    if ( digit_value(*p) >= base )
        return not_a_number;

    for ( ; digit_value(*p) < base; p++ )
    {
        /* No 64-bit division: arm32 would need libgcc for it. */
        if ( __builtin_mul_overflow(value, (u64)base, &value) ||
             __builtin_add_overflow(value, (u64)digit_value(*p), &value) )
            return too_big;
    }
    *out = value;
    *end = p;
    return NULL;
}

const char *cmdline_read_uint(const char *s, u64 *out)
{
    const char *end;
    u64 value;
    const char *why = read_number(s, &value, &end);

    if ( why )
        return why;
    if ( *end )
        return not_a_number;
    *out = value;
    return NULL;
}

const char *cmdline_read_size(const char *s, u64 *out)
{
    const char *end;
    unsigned int shift;
    u64 value;
    const char *why = read_number(s, &value, &end);

    if ( why )
        return why == not_a_number ? not_a_size : why;

    switch ( *end )
    {
    case 'T': case 't': shift = 40; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'K': case 'k': shift = 10; end++; break;
    case 'B': case 'b': shift = 0; end++; break;
    default:            shift = 10; break;     /* Xen: no suffix is KiB */
    }
    if ( *end )
        return not_a_size;
    if ( value > (UINT64_MAX >> shift) )
        return too_big;
    *out = value << shift;
    return NULL;
}

/* ------------------------------------------------------------ the table */

static const struct param *find_param(const char *name)
{
    const struct param *p;

    for ( p = __param_start; p < __param_end; p++ )
        if ( !strcmp(p->name, name) )
            return p;
    return NULL;
}

/* Two options of one name, or an entry of no known type, are hypcore's bugs. */
static void check_table(void)
{
    const struct param *p, *q;

    for ( p = __param_start; p < __param_end; p++ )
    {
        ASSERT(p->name && p->name[0] && p->type <= PARAM_CUSTOM);
        ASSERT(p->type == PARAM_CUSTOM ? p->parse != NULL : p->var != NULL);
        for ( q = p + 1; q < __param_end; q++ )
            ASSERT(strcmp(p->name, q->name));
    }
}

/* Store @value in the unsigned variable of @p (1, 2, 4 or 8 bytes). */
static const char *store_uint(const struct param *p, u64 value)
{
    switch ( p->len )
    {
    case 1:
        if ( value > UINT8_MAX )
            return "larger than 255";
        *(u8 *)p->var = (u8)value;
        return NULL;
    case 2:
        if ( value > UINT16_MAX )
            return "larger than 65535";
        *(u16 *)p->var = (u16)value;
        return NULL;
    case 4:
        if ( value > UINT32_MAX )
            return "larger than 0xffffffff";
        *(u32 *)p->var = (u32)value;
        return NULL;
    }
    ASSERT(p->len == 8);
    *(u64 *)p->var = value;
    return NULL;
}

/*
 * Apply @value (NULL when the option had no '=') to @p; @negated for
 * "no-name".  Returns NULL, or why the value was refused (nothing changed).
 */
static const char *apply(const struct param *p, const char *value, bool negated)
{
    const char *why;
    bool b = true;
    u64 n = 0;

    if ( negated && p->type != PARAM_BOOL )
        return "\"no-\" is for boolean options only";
    if ( negated && value )
        return "\"no-\" takes no value";

    switch ( p->type )
    {
    case PARAM_BOOL:
        why = value ? cmdline_read_bool(value, &b) : NULL;
        if ( !why )
            *(bool *)p->var = negated ? false : b;
        return why;
    case PARAM_UINT:
        why = cmdline_read_uint(value ? value : "", &n);
        return why ? why : store_uint(p, n);
    case PARAM_SIZE:
        why = cmdline_read_size(value ? value : "", &n);
        if ( !why )
            *(u64 *)p->var = n;
        return why;
    case PARAM_STRING:
        if ( !value )
            value = "";
        if ( strlen(value) >= p->len )
            return "too long for the option";
        memcpy(p->var, value, strlen(value) + 1);
        return NULL;
    case PARAM_CUSTOM:
        return p->parse(value ? value : "");
    }
    ASSERT(!"unknown param type");
    return NULL;
}

/* One option: the characters [@tok, @tok + @len), with no space in them. */
static void parse_option(const char *tok, size_t len)
{
    char opt[CMDLINE_OPTION_MAX];
    const struct param *p;
    char *value;
    bool negated = false;
    const char *why;

    if ( len >= sizeof(opt) )
    {
        printk(XENLOG_WARNING "cmdline: warning: option \"%.40s...\" is longer than "
               "%u characters; ignored\n", tok, CMDLINE_OPTION_MAX - 1);
        return;
    }
    memcpy(opt, tok, len);
    opt[len] = '\0';

    value = strchr(opt, '=');
    if ( value )
        *value++ = '\0';
    p = find_param(opt);
    if ( !p && !strncmp(opt, "no-", 3) )
    {
        p = find_param(opt + 3);
        negated = (p != NULL);
    }
    if ( !p )
    {
        printk(XENLOG_WARNING "cmdline: warning: unknown option \"%.*s\" ignored\n",
               (int)len, tok);
        return;
    }

    why = apply(p, value, negated);
    if ( why )
        printk(XENLOG_WARNING "cmdline: warning: %s: bad value \"%s\" (%s); ignored\n",
               opt, value ? value : "", why);
}

void cmdline_parse(const char *cmdline)
{
    const char *p = cmdline;

    check_table();
    if ( !p )
        return;

    for ( ;; )
    {
        const char *tok;

        while ( is_space(*p) )
            p++;
        if ( !*p )
            break;
        tok = p;
        while ( *p && !is_space(*p) )
            p++;
        parse_option(tok, p - tok);
    }
}
