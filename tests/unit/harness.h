/* SPDX-License-Identifier: MIT */
/*
 * Host unit-test harness: the real common/ and xen-like/ C compiled for the
 * host against the host's libfdt, with
 *  - panic() and assert_failed() printing their message and aborting, so a
 *    hypervisor ASSERT fails the test with the condition, file and line;
 *  - console_write() appending to a buffer the test reads back, so printk
 *    output is checked byte for byte.
 *
 * Names the host C library also defines are renamed when hypervisor code is
 * compiled for the tests (tests/unit/meson.build): vsnprintf/snprintf become
 * hc_vsnprintf/hc_snprintf here, and common/string.c is tested on its own
 * under hc_* names (test-string.c).  The test programs themselves use the
 * host's libc, which doubles as the oracle.
 */
#ifndef HYPCORE_TEST_HARNESS_H
#define HYPCORE_TEST_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* hypcore's printk.h, with the names it shares with libc renamed. */
#define vsnprintf hc_vsnprintf
#define snprintf hc_snprintf
#include <printk.h>
#undef vsnprintf
#undef snprintf

/* Failed checks so far; harness_exit() turns it into the exit code. */
extern unsigned int test_failures;
extern unsigned int test_checks;

/*
 * The tests' pseudo-random inputs: xorshift64*, reproducible from the seed a
 * test sets in harness_rng_state (each test its own, so a failure names its
 * inputs).  rnd_below(0) is 0.
 */
extern uint64_t harness_rng_state;

static inline uint64_t rnd(void)
{
    harness_rng_state ^= harness_rng_state >> 12;
    harness_rng_state ^= harness_rng_state << 25;
    harness_rng_state ^= harness_rng_state >> 27;
    return harness_rng_state * 0x2545f4914f6cdd1dULL;
}

static inline uint64_t rnd_below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

/* Record a check; print where and why when it fails. */
#define CHECK(cond, ...)                                                \
    harness_check(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

void harness_check(bool ok, const char *file, int line, const char *cond,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Print the summary and return the exit code for main(). */
int harness_exit(const char *name);

/*
 * Everything console_write() received since the last take, NUL-terminated.
 * The pointer stays valid until the next take/reset.
 */
const char *console_take(void);
void console_reset(void);

/*
 * Check that every line of @raw is "(HYP) <text>\r\n" and return the texts
 * joined with "\n" (each line ends with "\n"), in a buffer that stays valid
 * until the next call.  A line that breaks the format is a failed check.
 */
const char *console_strip(const char *raw);

/* Read a whole file into memory (exits the test on error); *len gets its size. */
void *load_file(const char *path, size_t *len);

/*
 * Compare two texts made of "\n"-terminated lines; on a difference, print
 * both with the first differing line marked.  Returns true if equal.
 */
bool lines_equal(const char *what, const char *got, const char *want);

#endif /* HYPCORE_TEST_HARNESS_H */
