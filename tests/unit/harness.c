/* SPDX-License-Identifier: MIT */
/* Host unit-test harness: see harness.h. */
#include <stdlib.h>
#include <string.h>

#include <lib.h>

#include "harness.h"

uint64_t harness_rng_state = 0x9e3779b97f4a7c15ULL;
unsigned int test_failures;
unsigned int test_checks;

/*
 * The tests are short-lived programs that do not free what they load: leak
 * reports would be noise.  (AddressSanitizer calls this when linked in;
 * otherwise it is an unused function.)
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

void panic(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "panic: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

void assert_failed(const char *cond, const char *file, int line)
{
    fflush(stdout);
    fprintf(stderr, "ASSERT(%s) failed at %s:%d\n", cond, file, line);
    abort();
}

void harness_check(bool ok, const char *file, int line, const char *cond,
                   const char *fmt, ...)
{
    va_list ap;

    test_checks++;
    if ( ok )
        return;

    test_failures++;
    printf("FAIL %s:%d: %s: ", file, line, cond);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

int harness_exit(const char *name)
{
    printf("%s: %u checks, %u failed\n", name, test_checks, test_failures);
    return test_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The console: a growing buffer. */
static char *console_buf;
static size_t console_len, console_cap;

/* The tests run on one "CPU": printk's console lock asks which. */
unsigned int smp_processor_id(void)
{
    return 0;
}

void console_write(const char *s, size_t len)
{
    if ( console_len + len + 1 > console_cap )
    {
        console_cap = (console_len + len + 1) * 2;
        console_buf = realloc(console_buf, console_cap);
        if ( console_buf == NULL )
        {
            perror("console_write");
            exit(EXIT_FAILURE);
        }
    }
    memcpy(console_buf + console_len, s, len);
    console_len += len;
    console_buf[console_len] = '\0';
}

/* printk's line writer, written here from the definition in printk.h. */
size_t console_write_line(const char *s, size_t len)
{
    const char *nl = memchr(s, '\n', len);

    if ( nl == NULL )
    {
        console_write(s, len);
        return len;
    }
    console_write(s, (size_t)(nl - s));
    console_write("\r\n", 2);
    return (size_t)(nl - s) + 1;
}

void console_reset(void)
{
    console_len = 0;
    if ( console_buf )
        console_buf[0] = '\0';
}

const char *console_take(void)
{
    static char *taken;

    free(taken);
    taken = strdup(console_buf ? console_buf : "");
    console_reset();
    return taken;
}

const char *console_strip(const char *raw)
{
    static char *out;
    static const char prefix[] = PRINTK_PREFIX;
    const size_t plen = sizeof(prefix) - 1;
    size_t n = 0;
    const char *p = raw;

    free(out);
    out = malloc(strlen(raw) + 1);
    if ( out == NULL )
        abort();

    while ( *p != '\0' )
    {
        const char *eol = strstr(p, "\r\n");

        if ( strncmp(p, prefix, plen) != 0 || eol == NULL ||
             memchr(p, '\n', eol - p) != NULL )
        {
            CHECK(false, "console line is not \"%s...\\r\\n\": \"%.60s\"",
                  prefix, p);
            break;
        }
        memcpy(out + n, p + plen, eol - p - plen);
        n += eol - p - plen;
        out[n++] = '\n';
        p = eol + 2;
    }
    out[n] = '\0';
    return out;
}

void *load_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;

    if ( f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
         fseek(f, 0, SEEK_SET) != 0 )
    {
        perror(path);
        exit(EXIT_FAILURE);
    }
    /* One spare byte so text files can be used as strings. */
    buf = malloc(size + 1);
    if ( buf == NULL || fread(buf, 1, size, f) != (size_t)size )
    {
        perror(path);
        exit(EXIT_FAILURE);
    }
    buf[size] = '\0';
    fclose(f);
    *len = size;
    return buf;
}

/* Line @n (0-based) of @text, as a pointer and a length. */
static const char *nth_line(const char *text, unsigned int n, size_t *len)
{
    for ( ; n != 0 && *text != '\0'; n-- )
    {
        const char *nl = strchr(text, '\n');

        text = nl ? nl + 1 : text + strlen(text);
    }
    *len = strcspn(text, "\n");
    return *text ? text : NULL;
}

bool lines_equal(const char *what, const char *got, const char *want)
{
    unsigned int i;

    CHECK(strcmp(got, want) == 0, "%s: output differs", what);
    if ( strcmp(got, want) == 0 )
        return true;

    printf("---- %s: got / want, first difference marked '!'\n", what);
    for ( i = 0; ; i++ )
    {
        size_t lg, lw;
        const char *g = nth_line(got, i, &lg);
        const char *w = nth_line(want, i, &lw);
        bool same = g && w && lg == lw && memcmp(g, w, lg) == 0;

        if ( g == NULL && w == NULL )
            break;
        printf("%c got : %.*s\n", same ? ' ' : '!', g ? (int)lg : 6,
               g ? g : "<none>");
        if ( !same )
            printf("%c want: %.*s\n", '!', w ? (int)lw : 6, w ? w : "<none>");
    }
    return false;
}
