/* SPDX-License-Identifier: MIT */
/*
 * The image's own text symbols, for trap dumps.  The table is generated from
 * the linked image and linked in again (scripts/symtab.py, meson.build).
 */
#ifndef HYPCORE_SYMBOLS_H
#define HYPCORE_SYMBOLS_H

#include <types.h>

/*
 * symbols_lookup: the name of the text symbol at or nearest below addr, and
 * addr's offset from it (*offset).  NULL when addr is outside the image's
 * text [_start, _etext), below its first symbol, or the table is empty (the
 * first link).  Reads only the image's rodata: safe from a trap handler.
 */
const char *symbols_lookup(vaddr_t addr, vaddr_t *offset);

#endif
