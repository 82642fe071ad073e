/* SPDX-License-Identifier: MIT */
/*
 * Console output.  printk() prefixes every line with "(HYP) " so the log of a
 * QEMU run can be told apart from a guest's; the parseable lines the tests
 * read ("boot: ...", "dt: ...", "mem: ...") follow the prefix.
 *
 * Formats (common/vsnprintf.c): %c %s %d %i %u %x %X %o %p %%, with the
 * flags '-', '0', '#', '+', ' ', a width or '*', a precision or '.*', and
 * the length modifiers hh h l ll z j t, all with C99 meaning (the host's
 * snprintf is the test oracle).  %p prints 0x followed by the pointer in
 * lower-case hex (0x0 for NULL); %s of NULL prints "(null)"; an unknown
 * conversion is printed as written.  Use %llx with a cast to unsigned long
 * long for paddr_t/u64: the same code runs on arm32.
 *
 * Several CPUs may print: a console lock keeps lines whole (common/printk.c).
 *
 * Levels (Xen's): a format that starts with XENLOG_ERR, XENLOG_WARNING,
 * XENLOG_INFO or XENLOG_DEBUG gives its message that level (the marker is not
 * printed); a format without one is XENLOG_INFO.  The call that starts a line
 * decides for the whole line, so a line built from several printk calls needs
 * the marker on its first call only.  A line prints when its level is below
 * the threshold that loglvl= sets (README "The hypervisor command line";
 * default info: errors, warnings and info), or once printk_show_everything()
 * has been called.  Until the command line is read, the default applies.
 */
#ifndef HYPCORE_PRINTK_H
#define HYPCORE_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTK_PREFIX "(HYP) "

#define XENLOG_ERR      "<0>"   /* hypcore or a CPU cannot go on */
#define XENLOG_WARNING  "<1>"   /* bad input or a failure that hypcore survives */
#define XENLOG_INFO     "<2>"   /* what hypcore found and decided (the default) */
#define XENLOG_DEBUG    "<3>"   /* detail for debugging */

/*
 * printk_show_everything: from now on every line prints, whatever loglvl=
 * says.  For the lines that tell why the machine stops (panic, a trap dump,
 * the power-off line the test harness waits for); it is never undone.
 */
void printk_show_everything(void);

/*
 * C99: store at most size - 1 characters and a NUL (nothing if size is 0;
 * buf may then be NULL), return the length the whole output would have.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Write raw bytes to the console (no prefix); provided by the console driver. */
void console_write(const char *s, size_t len);

/*
 * For printk, also from the console driver: write @s up to its first '\n'
 * (at most @len bytes), and that newline as "\r\n".  Returns how many bytes
 * of @s it took, the newline included.  One pass over the text: the search
 * for the newline is the loop that feeds the UART.
 */
size_t console_write_line(const char *s, size_t len);

/*
 * console_guest_begin/end: bracket a guest's console output (console_io,
 * written raw with console_write()) with the console lock, so that a line a
 * guest writes in one hypercall is not interleaved with another CPU's.
 */
void console_guest_begin(void);
void console_guest_end(void);

#endif /* HYPCORE_PRINTK_H */
