/* SPDX-License-Identifier: MIT */
/*
 * printk(): format into a bounded buffer on the stack, then write it to the
 * console with PRINTK_PREFIX at the start of every line and "\n" turned
 * into "\r\n" (a serial terminal needs the carriage return).
 *
 * Whether the console is at the start of a line is remembered across calls,
 * so printk("a"); printk("b\n"); prints one prefix, as one printk("ab\n")
 * would.
 *
 * Several CPUs may print: see the console lock below.
 *
 * Levels and loglvl= (include/printk.h): a line that is filtered out is
 * still tracked (prefix state, the lock), it just never reaches the console.
 */
#include <cmdline.h>
#include <lib.h>
#include <printk.h>
#include <smp.h>
#include <string.h>
#include <types.h>

/* Longest message printed in one call; longer ones are cut and marked. */
#define PRINTK_BUF_SIZE     512
#define PRINTK_TRUNCATED    " [truncated]"

/* True when the next character printed starts a new console line. */
static bool at_line_start = true;
/* Whether the line being printed goes to the console (its first call's level). */
static bool line_shown = true;

/*
 * Xen's loglvl thresholds: a message of level L (XENLOG_ERR = 0 ..
 * XENLOG_DEBUG = 3) is always printed when L is below the first level of
 * loglvl=, and printed subject to rate limiting when L is below the second.
 * hypcore has no rate limiter, so only the second counts: a message prints
 * when L < loglvl_limited.
 */
enum { LOGLVL_NONE, LOGLVL_ERROR, LOGLVL_WARNING, LOGLVL_INFO, LOGLVL_ALL };
#define MSG_LEVEL_DEFAULT   2           /* a format without a marker: info */
static unsigned int loglvl_limited = LOGLVL_INFO;
static bool show_everything;

static const struct {
    const char *name;
    unsigned int threshold;
} loglvl_names[] = {
    { "none", LOGLVL_NONE }, { "error", LOGLVL_ERROR },
    { "warning", LOGLVL_WARNING }, { "info", LOGLVL_INFO },
    { "debug", LOGLVL_ALL }, { "all", LOGLVL_ALL },
};

/* The threshold named by [s, s + len), or -1. */
static int loglvl_by_name(const char *s, size_t len)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(loglvl_names); i++ )
        if ( strlen(loglvl_names[i].name) == len &&
             !memcmp(loglvl_names[i].name, s, len) )
            return (int)loglvl_names[i].threshold;
    return -1;
}

/* loglvl=<level>[/<rate-limited level>] */
static const char *parse_loglvl(const char *s)
{
    const char *slash = strchr(s, '/');
    int always = loglvl_by_name(s, slash ? (size_t)(slash - s) : strlen(s));
    int limited = slash ? loglvl_by_name(slash + 1, strlen(slash + 1)) : always;

    if ( always < 0 || limited < 0 )
        return "not <level>[/<level>], level: none, error, warning, info, debug, all";
    /* As in Xen: what is always printed is printed when rate-limited too. */
    loglvl_limited = limited < always ? always : limited;
    return NULL;
}
custom_param("loglvl", parse_loglvl);

void printk_show_everything(void)
{
    __atomic_store_n(&show_everything, true, __ATOMIC_RELAXED);
}

/* Strip a level marker from *fmt; whether a message of that level prints. */
static bool level_shown(const char **fmt)
{
    const char *f = *fmt;
    unsigned int level = MSG_LEVEL_DEFAULT;

    if ( f[0] == '<' && f[1] >= '0' && f[1] <= '3' && f[2] == '>' )
    {
        level = f[1] - '0';
        *fmt += 3;
    }
    return __atomic_load_n(&show_everything, __ATOMIC_RELAXED) ||
           level < loglvl_limited;
}

/*
 * The console lock keeps lines whole when several CPUs print: a CPU takes it
 * at its first printk of a line and drops it when the line ends, so a line
 * built from several printk calls (the trap dump) is never interleaved.  It
 * is re-entrant for its owner (a fault while printing), and a CPU that has
 * waited CONSOLE_SPIN_MAX rounds takes it anyway: a CPU that parked mid-line
 * must not silence the others for good.
 */
#define CONSOLE_UNOWNED     (-1)
#define CONSOLE_SPIN_MAX    50000000UL
static int console_owner = CONSOLE_UNOWNED;

static void console_lock(void)
{
    int me = (int)smp_processor_id();
    unsigned long spins = 0;

    if ( __atomic_load_n(&console_owner, __ATOMIC_ACQUIRE) == me )
        return;
    for ( ;; )
    {
        int expected = CONSOLE_UNOWNED;

        if ( __atomic_compare_exchange_n(&console_owner, &expected, me, false,
                                         __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) )
            return;
        if ( ++spins == CONSOLE_SPIN_MAX )
        {
            __atomic_store_n(&console_owner, me, __ATOMIC_RELEASE);
            at_line_start = true;       /* start our line on a fresh prefix */
            console_write("\r\n", 2);
            return;
        }
    }
}

static void console_unlock_at_line_end(void)
{
    if ( at_line_start )
        __atomic_store_n(&console_owner, CONSOLE_UNOWNED, __ATOMIC_RELEASE);
}

void console_guest_begin(void)
{
    console_lock();
}

void console_guest_end(void)
{
    console_unlock_at_line_end();
}

/*
 * Write @len bytes of @s, adding the prefix before the first character of
 * each line and a carriage return before each newline.  A line this call
 * starts is shown or not as @shown says; the rest of a line begun earlier as
 * its start decided.  A shown line goes out in one console_write_line()
 * call, which finds its end as it writes: the text is read once here, not
 * searched and then written.
 */
static void emit(const char *s, size_t len, bool shown)
{
    while ( len != 0 )
    {
        size_t run;

        if ( at_line_start )
        {
            line_shown = shown;
            if ( line_shown )
                console_write(PRINTK_PREFIX, sizeof(PRINTK_PREFIX) - 1);
            at_line_start = false;
        }
        if ( line_shown )
            run = console_write_line(s, len);
        else
        {
            const char *nl = memchr(s, '\n', len);

            run = nl ? (size_t)(nl - s) + 1 : len;
        }
        /* A run ends at a newline or at the end of the text. */
        if ( s[run - 1] == '\n' )
            at_line_start = true;
        s += run;
        len -= run;
    }
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[PRINTK_BUF_SIZE];
    bool shown = level_shown(&fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if ( n < 0 )
        return;

    console_lock();
    if ( (size_t)n < sizeof(buf) )
    {
        emit(buf, n, shown);
        console_unlock_at_line_end();
        return;
    }

    /*
     * Too long: print what fitted and say so.  Keep the line structure: if
     * the message ended a line, end it here too, so the next printk starts
     * with its prefix.
     */
    emit(buf, sizeof(buf) - 1, shown);
    emit(PRINTK_TRUNCATED, sizeof(PRINTK_TRUNCATED) - 1, shown);
    if ( fmt[0] != '\0' && fmt[strlen(fmt) - 1] == '\n' )
        emit("\n", 1, shown);
    console_unlock_at_line_end();
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
