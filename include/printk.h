/* SPDX-License-Identifier: MIT */
/*
 * Console output.  printk() prefixes every line with "(HYP) " so the log of a
 * QEMU run can be told apart from a guest's; the parseable lines the tests
 * read ("boot: ...", "dt: ...", "mem: ...") follow the prefix.
 *
 * Formats (common/vsnprintf.c): %c %s %d %i %u %x %X %p %%, with the flags
 * '-', '0', '#', a width or '*', a precision for %s, and the length
 * modifiers hh h l ll z.  %p prints 0x followed by the pointer in hex.
 */
#ifndef HYPCORE_PRINTK_H
#define HYPCORE_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTK_PREFIX "(HYP) "

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Write raw bytes to the console (no prefix); provided by the console driver. */
void console_write(const char *s, size_t len);

#endif /* HYPCORE_PRINTK_H */
