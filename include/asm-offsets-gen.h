/* SPDX-License-Identifier: MIT */
/*
 * For asm-offsets.c only: DEFINE(NAME, value) leaves "->NAME value" in the
 * compiler's assembly output, which scripts/asm-offsets.py turns into
 * asm-offsets.h.  OFFSET(NAME, struct, member) is the usual shorthand.
 */
#ifndef HYPCORE_ASM_OFFSETS_GEN_H
#define HYPCORE_ASM_OFFSETS_GEN_H

#include <stddef.h>

#define DEFINE(sym, val) \
    asm volatile ( "\n.ascii \"->" #sym " %0\"" :: "i" (val) )
#define OFFSET(sym, str, mem) DEFINE(sym, offsetof(struct str, mem))

#endif
