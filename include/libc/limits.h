/* SPDX-License-Identifier: MIT */
/* Freestanding limits.h (hypcore builds with -nostdinc). */
#ifndef HYPCORE_LIBC_LIMITS_H
#define HYPCORE_LIBC_LIMITS_H

#define CHAR_BIT    __CHAR_BIT__
#define INT_MAX     __INT_MAX__
#define INT_MIN     (-INT_MAX - 1)
#define UINT_MAX    (INT_MAX * 2U + 1U)
#define LONG_MAX    __LONG_MAX__
#define LONG_MIN    (-LONG_MAX - 1L)
#define ULONG_MAX   (LONG_MAX * 2UL + 1UL)
#define LLONG_MAX   __LONG_LONG_MAX__
#define ULLONG_MAX  (LLONG_MAX * 2ULL + 1ULL)

#endif
