/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor command line (Xen's syntax), from /chosen xen,xen-bootargs
 * or bootargs (dt_bootargs()).
 *
 * Options are separated by spaces (or tabs, newlines); each is "name",
 * "name=value" or, for a boolean, "no-name".  A value runs to the next space:
 * there is no quoting (Xen has none either), so a '"' is an ordinary
 * character.  Names and values are case sensitive, except the size suffixes.
 * When an option is given several times, the last valid one wins.
 *
 * Every option is declared next to the code that uses it, with one of the
 * macros below, which puts a struct param into the linker section
 * .init.param (both arch/<arch>/hypcore.lds.S collect it between
 * __param_start and __param_end).  A section rather than one central table:
 * a subsystem keeps its option variable static and its default beside it,
 * and adding an option touches one file.
 *
 * Value types (README "The hypervisor command line"):
 *   boolean  "name", "name=<b>" or "no-name"; <b> is one of yes/no, on/off,
 *            true/false, enable/disable, 1/0
 *   integer  an unsigned number: decimal, 0x hex or 0-prefixed octal; it must
 *            fit the variable (1, 2, 4 or 8 bytes)
 *   size     an integer and one suffix: T/t G/g M/m K/k (binary multiples) or
 *            B/b (bytes); no suffix means KiB, as in Xen; it must fit 64 bits
 *   string   the value as it is (possibly empty), at most the buffer size - 1
 *   custom   a function of the value (e.g. loglvl=, dom0_mem=)
 *
 * Bad input is data from outside: an unknown option, a bad value or an
 * option too long to read gets one "cmdline: warning: ..." line naming it,
 * and the variable keeps the value it had (its default, or an earlier valid
 * occurrence).
 */
#ifndef HYPCORE_CMDLINE_H
#define HYPCORE_CMDLINE_H

#include <types.h>

/* Longest option ("name=value") read; a longer one is refused whole. */
#define CMDLINE_OPTION_MAX  256

enum param_type {
    PARAM_BOOL,
    PARAM_UINT,
    PARAM_SIZE,
    PARAM_STRING,
    PARAM_CUSTOM,
};

/*
 * A custom option's parser: gets the NUL-terminated value ("" for a bare
 * name) and returns NULL when it took it, else a short reason it did not
 * ("not a size") for the warning; it must then leave its state unchanged.
 */
typedef const char *(*param_parse_fn)(const char *value);

struct param {
    const char *name;
    enum param_type type;
    void *var;              /* BOOL: bool; UINT, SIZE: unsigned of len bytes;
                             * STRING: char[len] */
    size_t len;
    param_parse_fn parse;   /* CUSTOM only */
};

#define PARAM_SECTION ".init.param"

#define __define_param(id, n, t, v, l, f)                                   \
    static const struct param __param_##id                                \
        __attribute__((used, section(PARAM_SECTION),                       \
                       aligned(__alignof__(struct param)))) =              \
        { .name = (n), .type = (t), .var = (v), .len = (l), .parse = (f) }

/* A bool variable. */
#define boolean_param(name, var)                                            \
    _Static_assert(__builtin_types_compatible_p(__typeof__(var), bool),     \
                   #var " is not a bool");                                  \
    __define_param(var, name, PARAM_BOOL, &(var), sizeof(var), NULL)

/* An unsigned integer variable of 1, 2, 4 or 8 bytes. */
#define integer_param(name, var)                                            \
    _Static_assert((__typeof__(var))-1 > 0 &&                               \
                   (sizeof(var) == 1 || sizeof(var) == 2 ||                 \
                    sizeof(var) == 4 || sizeof(var) == 8),                  \
                   #var " is not an unsigned integer of 1, 2, 4 or 8 bytes"); \
    __define_param(var, name, PARAM_UINT, &(var), sizeof(var), NULL)

/* A u64 (or paddr_t) variable: sizes are 64-bit. */
#define size_param(name, var)                                               \
    _Static_assert((__typeof__(var))-1 > 0 && sizeof(var) == 8,             \
                   #var " is not a 64-bit unsigned integer");               \
    __define_param(var, name, PARAM_SIZE, &(var), sizeof(var), NULL)

/* A char array; the value and its NUL must fit. */
#define string_param(name, var)                                             \
    _Static_assert(__builtin_types_compatible_p(__typeof__(var),            \
                                                char[sizeof(var)]),         \
                   #var " is not a char array");                            \
    __define_param(var, name, PARAM_STRING, (var), sizeof(var), NULL)

/* A function that parses the value itself (param_parse_fn). */
#define custom_param(name, fn)                                              \
    __define_param(fn, name, PARAM_CUSTOM, NULL, 0, (fn))

/*
 * cmdline_parse: set every declared option from @cmdline (NULL: none given,
 * every option keeps its default).  Called once by the boot CPU, as soon as
 * the DTB is mapped and checked and before any code reads an option; the
 * warnings it prints are the only output.  Custom parsers run during the
 * call, in command-line order.
 */
void cmdline_parse(const char *cmdline);

/*
 * The value readers the table uses, for custom parsers: each takes the whole
 * of @s (nothing may follow the value) and returns NULL with *@out set, or
 * the reason it is not a value of that type (*@out untouched).
 */
const char *cmdline_read_bool(const char *s, bool *out);
const char *cmdline_read_uint(const char *s, u64 *out);
const char *cmdline_read_size(const char *s, u64 *out);

#endif
