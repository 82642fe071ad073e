/* SPDX-License-Identifier: MIT */
/*
 * Small helpers and the error policy.
 *
 * Error policy (README "Errors"):
 *  - ASSERT(cond): a programming error in hypcore itself; prints the condition,
 *    file and line, then panics.
 *  - Bad data from outside (DTB, command line, module placement) that can be
 *    survived: printk a warning naming what and where, and carry on.
 *  - What cannot be survived: panic("what, where, what to do").
 * All of these are single statements (do { } while (0)).
 */
#ifndef HYPCORE_LIB_H
#define HYPCORE_LIB_H

#include <types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#define __noreturn __attribute__((noreturn))
#define __unused __attribute__((unused))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __section(s) __attribute__((section(s)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

void __noreturn panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void __noreturn assert_failed(const char *cond, const char *file, int line);

#define ASSERT(cond)                                                    \
    do {                                                                \
        if ( unlikely(!(cond)) )                                        \
            assert_failed(#cond, __FILE__, __LINE__);                   \
    } while ( 0 )

#endif /* HYPCORE_LIB_H */
