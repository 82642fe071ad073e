/* SPDX-License-Identifier: MIT */
#ifndef HYPCORE_LIBC_STDLIB_H
#define HYPCORE_LIBC_STDLIB_H

#include <stddef.h>

/* C semantics: base 0 means 0x/0 prefixes; *end gets the first unparsed char. */
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

#endif
